//! Xianfeng's functional core: the campaign's domain types and every rule
//! (badge ladder, tallies, rankings, post scores, pairing totals) plus the
//! sans-IO sync protocol. Written once here so the phone and the server
//! compute the same answers from the same facts.
//!
//! Invariant: no IO, no clock reads, no web-sys. Time is always passed in.
//! It builds for `wasm32-unknown-unknown` and natively.
//!
//! # Map
//!
//! - [`org`]: office, systems, units, branches, villages, members,
//!   inspection groups; [`directory`] indexes them for placement lookups.
//! - [`scope`]: roles, scopes, the one containment rule and permissions.
//! - [`spotcheck`]: 1. badge spot checks: ladder, tallies, weekly ranking,
//!   supervision quota ([`spotcheck::report`] runs them together).
//! - [`posts`]: 2. demonstration posts: records, the rubric as data, the
//!   explained score ([`posts::score()`], [`posts::score_all`]).
//! - [`pairing`]: 3. pairing with poor households: records and totals for
//!   any scope ([`pairing::totals()`], [`pairing::breakdown`]).
//! - [`study`]: 4. the study stage: sessions, attendance and hours (两个
//!   确保), 三个完成, discussions, suggestions, and the 转段评估
//!   ([`study::StudyIndex`], [`study::transition_statuses`]).
//! - [`demo`] (the demo city) and [`city`] (the city of the documents at
//!   full scale, for benchmarks).
//! - [`calendar`] (ISO weeks, half-years), [`money`] (fen, mu),
//!   [`ids`] (UUIDv7 newtypes), [`error`] (codes, zh-CN/English messages),
//!   [`schema`] (schema version, JSON envelope, validation on read),
//!   [`validate`] (text and list limits) and [`nfc`] (the Unicode form
//!   every stored text takes).
//!
//! # Data
//!
//! Facts (observations, reviews, checks, visits, support items, disputes,
//! reports, report reviews) are immutable and append-only, with ids made
//! on the device. Mutable records (members, units, posts, household cards,
//! commitments, the rubric) are plain structs with public fields, to be
//! merged per field by sync. No record stores a derived number: steps,
//! rates, ranks, key-management status, scores and totals are computed.
//! Rule outputs never depend on input order (property-tested). JSON shapes:
//! `core/SCHEMA.md`.

#[macro_use]
mod macros;
mod hash;

pub mod calendar;
pub mod city;
pub mod demo;
pub mod directory;
pub mod error;
pub mod ids;
pub mod money;
pub mod nfc;
pub mod order;
pub mod org;
pub mod pairing;
pub mod posts;
pub mod record_value;
pub mod roster;
pub mod schema;
pub mod scope;
pub mod sections;
pub mod spotcheck;
pub mod study;
pub mod sync;
pub mod validate;

pub use calendar::{DateRange, HalfYear, IsoWeek};
pub use directory::Directory;
pub use error::{DomainError, ErrorBody, Lang};
pub use money::{Fen, Mu};
pub use schema::{from_json, to_json, Envelope, Record, RecordKind, SCHEMA_VERSION};
pub use scope::{Access, Actor, Located, Location, Role, Scope};

/// The version of the app and server, shared so both report the same one.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
