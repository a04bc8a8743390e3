//! How many of a city's records a user may read: what a phone enrolled
//! with that role and scope holds after its first sync.
//!
//! Why: the bench logs first-sync progress against it, and the tests pin
//! the sizes the issue states (inspector ~16k, cadre ~0.6k). Placement is
//! core's own (`sync::locate`, the server's path), with parents found
//! among the records before them and households placed with their final
//! pairing, as the server re-places a card when it is paired.

use std::collections::HashMap;

use uuid::Uuid;

use crate::demo::DemoRecord;
use crate::directory::Directory;
use crate::ids::{HouseholdId, MemberId};
use crate::order;
use crate::org::{Branch, InspectionGroup, Member, Unit};
use crate::pairing::Pairing;
use crate::schema::RecordKind;
use crate::scope::{Actor, Location};
use crate::sync::{locate, PlacementLookup, SyncError};

struct Placer {
    directory: Directory,
    places: HashMap<Uuid, Location>,
    paired: HashMap<HouseholdId, MemberId>,
}

impl PlacementLookup for Placer {
    fn directory(&self) -> &Directory {
        &self.directory
    }

    fn location_of(&self, _: RecordKind, id: Uuid) -> Option<Location> {
        self.places.get(&id).copied()
    }

    fn paired_member(&self, household: HouseholdId) -> Option<MemberId> {
        self.paired.get(&household).copied()
    }
}

fn all<T: serde::de::DeserializeOwned>(records: &[DemoRecord], kind: RecordKind) -> Vec<T> {
    records
        .iter()
        .filter(|r| r.kind == kind)
        .filter_map(|r| crate::record_value::read::<T>(&r.value).ok())
        .collect()
}

/// Where every record sits, in order; fails on a record whose parent
/// comes after it (the order is wrong) or is missing.
pub(super) fn locations(records: &[DemoRecord]) -> Result<Vec<Location>, SyncError> {
    let directory = Directory::new(
        &all::<Unit>(records, RecordKind::Unit),
        &all::<Branch>(records, RecordKind::Branch),
        &all::<Member>(records, RecordKind::Member),
        &all::<InspectionGroup>(records, RecordKind::InspectionGroup),
    );
    let mut pairings = all::<Pairing>(records, RecordKind::Pairing);
    order::sort_by_key(&mut pairings, |p| p.id);
    let paired = pairings
        .into_iter()
        .filter(|p| p.until.is_none())
        .map(|p| (p.household, p.member))
        .collect();
    let mut placer = Placer {
        directory,
        places: HashMap::with_capacity(records.len()),
        paired,
    };
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let location = locate(r.kind, &r.value, &placer)?;
        placer.places.insert(r.id, location);
        out.push(location);
    }
    Ok(out)
}

/// How many of `records` `actor` may read.
pub fn count_visible(records: &[DemoRecord], actor: &Actor) -> Result<usize, SyncError> {
    let places = locations(records)?;
    Ok(records
        .iter()
        .zip(&places)
        .filter(|(r, at)| actor.may_read(r.kind, at))
        .count())
}
