//! Xianfeng's functional core: the campaign's domain types and every rule
//! (badge ladder, tallies, rankings, post scores, pairing totals) plus the
//! sans-IO sync protocol. Written once here so the phone and the server
//! compute the same answers from the same facts.
//!
//! Invariant: no IO, no clock reads, no web-sys. Time is always passed in.
//! It builds for `wasm32-unknown-unknown` and natively.

/// The version of the app and server, shared so both report the same one.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
