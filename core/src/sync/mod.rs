//! The sync protocol, sans-IO: what a phone sends, what the server decides,
//! and how both merge — with no transport, storage or clock inside.
//!
//! Why: "nothing recorded may be lost or duplicated" must hold whatever the
//! network does, so the decisions live here as pure functions tested with
//! tables and properties; the server (axum + SQLite) and the app
//! (IndexedDB + fetch) only move bytes and store results. Modelled on
//! automerge's `sync.rs`: the peers exchange messages, the protocol object
//! says what to send next.
//!
//! The model:
//! - A device numbers its [`Change`]s 1, 2, 3… ([`Change::seq`]). The server
//!   keeps the last number it processed per device; [`plan_push`] skips
//!   numbers already seen (replays are no-ops) and refuses gaps.
//! - Facts (observations, reviews, checks, visits, support items, reports)
//!   are [`Op::Insert`]: insert-once, compared by canonical JSON
//!   ([`fact_outcome`]): same id and content → no-op; different → refused.
//! - Mutable records (org records, posts, household cards, pairings) are
//!   [`Op::Set`] of some fields, merged last-writer-wins per field by
//!   [`Hlc`] ([`merge_field`]). A value that loses to a concurrent edit is
//!   returned as a [`Conflict`] for the office's list: hidden, not lost.
//! - Pull pages through the server's log by cursor ([`PullRequest`]); a
//!   phone applies pulled changes to its confirmed state with the same
//!   merge, and shows its unsent outbox on top ([`RecordState::overlay`]).
//! - Derived numbers (ladders, tallies, rankings, scores, totals) are never
//!   synced: both sides compute them from the facts with this crate.

mod authorize;
mod change;
mod client;
mod error;
mod hlc;
mod merge;
mod push;
mod records;
mod typed;
mod wire;

pub use authorize::{authorize, touches, Placement, Touches};
pub use change::{canonical_json, Change, Op};
pub use client::{ClientSync, Step};
pub use error::SyncError;
pub use hlc::{Hlc, MAX_CLOCK_AHEAD_MS};
pub use merge::{
    fact_outcome, merge_field, Conflict, FactOutcome, FieldMerge, FieldVersion, RecordState,
};
pub use push::{plan_push, PushPlan, MAX_BATCH, MAX_SEQ};
pub use records::{check_change, locate, validate_record, PlacementLookup};
pub use typed::{AnyRecord, MAX_RECORD_BYTES};
pub use wire::{PullRequest, PullResponse, PushRequest, PushResponse, ServerChange, MAX_PULL_PAGE};
