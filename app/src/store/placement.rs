//! Where the phone's records stand, for core's `locate` and `authorize`:
//! the store is the phone's [`PlacementLookup`], as the server's database
//! is the server's, so a write the server would refuse is never queued.
//!
//! Why here: a permission check needs where a parent stands (the
//! household under a visit, the post under a review, the spot check under
//! an observation) and who a household is paired with; the store holds
//! every record decoded, so these are lookups, not loads.

use std::collections::BTreeMap;
use std::sync::Arc;

use uuid::Uuid;
use xianfeng_core::ids::{HouseholdId, MemberId};
use xianfeng_core::pairing::current_pairings;
use xianfeng_core::sync::{locate, PlacementLookup};
use xianfeng_core::{Directory, Located, Location, RecordKind};

use super::Store;

/// Each household's member by its current pairing.
pub type Paired = BTreeMap<HouseholdId, MemberId>;

impl Store {
    /// Each household's currently paired member (core's
    /// `current_pairings`), shared until a pairing changes.
    pub fn paired(&self) -> Arc<Paired> {
        let version = self.version(RecordKind::Pairing);
        if let Some((v, paired)) = self.paired.borrow().as_ref() {
            if *v == version {
                return paired.clone();
            }
        }
        let pairings = self.tables.pairings.all();
        let paired: Arc<Paired> = Arc::new(
            current_pairings(&pairings)
                .into_iter()
                .map(|(h, p)| (h, p.member))
                .collect(),
        );
        *self.paired.borrow_mut() = Some((version, paired.clone()));
        paired
    }
}

impl PlacementLookup for Store {
    fn directory(&self) -> &Directory {
        &self.directory
    }

    fn location_of(&self, kind: RecordKind, id: Uuid) -> Option<Location> {
        let t = &self.tables;
        match kind {
            RecordKind::Household => t
                .households
                .get(&id)
                .map(|h| h.location(&self.directory, self.paired_member(h.id))),
            RecordKind::SpotCheck => t.spot_checks.get(&id).map(|c| c.location(&self.directory)),
            RecordKind::Post => t.posts.get(&id).map(|p| p.location(&self.directory)),
            RecordKind::SituationReport => t.reports.get(&id).map(|r| r.location(&self.directory)),
            // Any other record: placed as core places it when it arrives.
            _ => locate(kind, &t.value(kind, &id)?, self).ok(),
        }
    }

    fn paired_member(&self, household: HouseholdId) -> Option<MemberId> {
        self.paired().get(&household).copied()
    }
}
