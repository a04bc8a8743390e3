//! "May I write this?", asked once and the server's way: core places the
//! record ([`locate`], with the store as the [`PlacementLookup`]: a review
//! stands where its post does, a visit where its household and member
//! do), finds what it is written under ([`touches`]), and [`authorize`]s
//! the actor at the record's old place, its new place and each parent's
//! place — the checks the server's push applies before it stores a change.
//! A screen shows an action only when this says yes, and a form asks
//! again before it saves, so a change the server would refuse is never
//! queued.
//!
//! To ask about an action before its record exists (show 新增 or not),
//! ask about a probe: the record the action would write, with placeholder
//! texts (it must be valid: core places only valid records).
//!
//! ```ignore
//! let may_review = kit::may_write(actor, &PublicReview { post: post.id, ..probe });
//! if !kit::may_write(actor, &visit) { return Err(FormError::not_allowed(lang)); }
//! ```
//!
//! Records that move others (a pairing moves its household's card) are
//! checked for those followers by the server after the write; the pairing
//! screen probes the household's new place itself (see `pairing/pair.rs`).

use serde_json::Value;
use uuid::Uuid;
use xianfeng_core::ids::{HouseholdId, MemberId};
use xianfeng_core::sync::{authorize, locate, touches, Placement, PlacementLookup};
use xianfeng_core::{Actor, Directory, Location, Record, RecordKind};

use crate::store::{self, Store};

/// Whether `actor` may write `record` (new, or as an edit leaves it).
pub fn may_write<T: Record>(actor: Option<Actor>, record: &T) -> bool {
    let Ok(after) = serde_json::to_value(record) else {
        return false;
    };
    store::with(|s| allowed(actor, T::KIND, &after, s))
}

/// Whether `actor` writes `kind` records at all within its own scope
/// (core's rule, asked at the scope's own corner): a section home's
/// buttons (开始巡察, 名单) before any record is chosen.
pub fn may_write_in_scope(actor: Option<Actor>, kind: RecordKind) -> bool {
    actor.is_some_and(|a| {
        store::with(|s| a.may_write(kind, &s.directory().scope_location(&a.scope)))
    })
}

/// [`may_write`] with the org as `directory` has it: for roster records
/// saved with org records not stored yet (a roster import's new branches,
/// which its members are placed in).
pub fn may_write_with<T: Record>(actor: Option<Actor>, record: &T, directory: &Directory) -> bool {
    let Ok(after) = serde_json::to_value(record) else {
        return false;
    };
    store::with(|s| {
        allowed(
            actor,
            T::KIND,
            &after,
            &WithDirectory {
                store: s,
                directory,
            },
        )
    })
}

/// The check itself takes the record as core's rules read it (JSON), not
/// its type, so it is compiled once, not once per kind (bundle size).
fn allowed(
    actor: Option<Actor>,
    kind: RecordKind,
    after: &Value,
    s: &(impl PlacementLookup + Before),
) -> bool {
    let Some(actor) = actor else {
        return false;
    };
    let Some(id) = after
        .get("id")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
    else {
        return false;
    };
    let before = s.before(kind, &id);
    let from = before.as_ref().and_then(|b| locate(kind, b, s).ok());
    let Ok(to) = locate(kind, after, s) else {
        return false;
    };
    let touched = touches(kind, before.as_ref(), after);
    let parents: Option<Vec<_>> = touched
        .parents
        .iter()
        .map(|&(k, id)| s.location_of(k, id))
        .collect();
    let Some(parents) = parents else {
        return false;
    };
    let change = Placement { kind, id, from, to };
    authorize(&actor, &change, &parents, &[]).is_ok()
}

/// A record as the phone has it before the change.
trait Before {
    fn before(&self, kind: RecordKind, id: &Uuid) -> Option<Value>;
}

impl Before for Store {
    fn before(&self, kind: RecordKind, id: &Uuid) -> Option<Value> {
        self.tables.value(kind, id)
    }
}

/// The store, with another directory.
struct WithDirectory<'a> {
    store: &'a Store,
    directory: &'a Directory,
}

impl Before for WithDirectory<'_> {
    fn before(&self, kind: RecordKind, id: &Uuid) -> Option<Value> {
        self.store.before(kind, id)
    }
}

impl PlacementLookup for WithDirectory<'_> {
    fn directory(&self) -> &Directory {
        self.directory
    }
    fn location_of(&self, kind: RecordKind, id: Uuid) -> Option<Location> {
        self.store.location_of(kind, id)
    }
    fn paired_member(&self, household: HouseholdId) -> Option<MemberId> {
        self.store.paired_member(household)
    }
}
