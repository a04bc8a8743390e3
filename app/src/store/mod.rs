//! The phone's one in-memory store: every record in IndexedDB, read once
//! per session and decoded once into core's types, kept current by each
//! write and each pulled page; the screens read it, never IndexedDB.
//!
//! Why: at city scale (~139,000 records, ~100,000 of them observations) a
//! screen that reads and decodes its kinds from IndexedDB takes seconds,
//! and a tap's transaction waits behind those reads. Here:
//!
//! - **IndexedDB stays the durable truth.** Every user action is still one
//!   transaction (record + outbox entry) committed before the screen says
//!   saved; the storage module updates this store only after the commit
//!   ([`Store::put_fact`], [`Store::put_state`]…), so the store never
//!   shows what is not on disk.
//! - **Decoded once, validated by core.** A record whose value core cannot
//!   read or refuses is left out ([`Table::upsert`]).
//! - **Observations are not listed:** core's [`LiveSpotChecks`] keeps them
//!   with the ladder, tallies and check summaries current one fact at a
//!   time (a tap updates one member, not 100,000 observations).
//! - **Fine-grained versions.** Each kind's table knows when it last
//!   changed; a screen keys its data on the kinds it reads ([`stamp`]), so a
//!   pulled page of 示范岗 records does not recompute 巡察's rankings.
//! - **The storage module knows the state without reading it:** a pulled
//!   page is applied with blind puts, because the store already knows
//!   which facts the phone has and each mutable record's confirmed state
//!   and unsent edits (the outbox mirrored in [`Store::pending_of`]).
//!
//! One store per page: two tabs of the app each keep their own (a write in
//! one shows in the other after a reload).
//!
//! Each open [`crate::storage::Storage`] owns its store; the app's is the
//! shared database's ([`with`]).
//!
//! ```ignore
//! store::ready().await?;
//! let members = store::with(|s| s.tables.members.all()); // Arc<Vec<Member>>
//! ```

mod load;
mod placement;
mod study;
mod table;
mod tables;
mod warm;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;
use uuid::Uuid;
use xianfeng_core::ids::ObservationId;
use xianfeng_core::order;
use xianfeng_core::pairing::Partner;
use xianfeng_core::spotcheck::{LiveSpotChecks, Observation, Rankings, SpotCheckReport};
use xianfeng_core::sync::{Change, Op};
use xianfeng_core::{Directory, RecordKind};

use crate::storage::StoredRecord;

pub use load::ready;
pub use placement::Paired;
pub use table::Table;
pub use tables::Tables;
pub use warm::warm_when_idle;

/// A record's key in the store.
pub type Key = (RecordKind, Uuid);

/// The kinds the directory is built from.
const ORG: [RecordKind; 4] = [
    RecordKind::Unit,
    RecordKind::Branch,
    RecordKind::Member,
    RecordKind::InspectionGroup,
];

/// Every record the phone has, decoded.
#[derive(Default)]
pub struct Store {
    /// Counts changes; a kind's version is the count at its last change.
    clock: u64,
    pub tables: Tables,
    live: Option<LiveSpotChecks>,
    live_version: u64,
    /// Mutable records' confirmed state, as in IndexedDB.
    states: HashMap<Key, StoredRecord>,
    /// Unsent changes of mutable records, in `seq` order (the outbox).
    pending: HashMap<Key, Vec<Change>>,
    /// Facts the server has not confirmed yet.
    unconfirmed: HashSet<Key>,
    /// Facts of kinds no table keeps, known to be stored (e.g. summaries).
    other_facts: HashSet<Key>,
    directory: Arc<Directory>,
    directory_version: u64,
    report: RefCell<Option<(u64, Arc<SpotCheckReport>)>>,
    paired: RefCell<Option<(u64, Arc<placement::Paired>)>>,
    study: RefCell<Option<(u64, Arc<xianfeng_core::study::StudyIndex>)>>,
    unsent_ids: RefCell<Option<(u64, Arc<HashSet<Uuid>>)>>,
    /// The paired members' names and units, as the server last sent them
    /// (kept in IndexedDB's meta; here so that a screen needs no read).
    partners: Arc<Vec<Partner>>,
}

thread_local! {
    static EMPTY: Store = Store::default();
}

/// Reads the app's store (empty before the database is open; screens
/// call [`ready`] first).
pub fn with<R>(f: impl FnOnce(&Store) -> R) -> R {
    match crate::storage::opened() {
        Some(db) => f(&db.store()),
        None => EMPTY.with(f),
    }
}

/// The org records every section reads (names, places).
const READ_BY_ALL: [RecordKind; 6] = [
    RecordKind::System,
    RecordKind::Unit,
    RecordKind::Branch,
    RecordKind::Member,
    RecordKind::InspectionGroup,
    RecordKind::Inspector,
];

/// When the org or any of a section's own `kinds` last changed (0: never):
/// a screen reads it in its resource's key and reloads only when what it
/// shows moved.
pub fn stamp(kinds: &[RecordKind]) -> u64 {
    with(|s| s.stamp_of(&READ_BY_ALL).max(s.stamp_of(kinds)))
}

impl Store {
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// When `kind` last changed.
    pub fn version(&self, kind: RecordKind) -> u64 {
        match kind {
            RecordKind::Observation => self.live_version,
            k => self.tables.version(k),
        }
    }

    fn live_mut(&mut self) -> &mut LiveSpotChecks {
        self.live
            .get_or_insert_with(|| LiveSpotChecks::new(Directory::default()))
    }

    /// The spot-check facts with their ladder, tallies and summaries.
    pub fn live(&self) -> Option<&LiveSpotChecks> {
        self.live.as_ref()
    }

    /// Where every unit, branch, member and group sits.
    pub fn directory(&self) -> Arc<Directory> {
        self.directory.clone()
    }

    /// Ladder, tallies and rankings over every spot check on the phone,
    /// shared until a check, an observation or the org changes.
    pub fn report(&self) -> Arc<SpotCheckReport> {
        let version = self.stamp_of(&[
            RecordKind::Observation,
            RecordKind::SpotCheck,
            RecordKind::Unit,
            RecordKind::Branch,
            RecordKind::Member,
            RecordKind::InspectionGroup,
        ]);
        if let Some((v, r)) = self.report.borrow().as_ref() {
            if *v == version {
                return r.clone();
            }
        }
        let report = Arc::new(match &self.live {
            Some(live) => SpotCheckReport {
                ladder: live.ladder().clone(),
                tally: live.tally().clone(),
                rankings: Rankings::compute(&self.directory, live.tally()),
            },
            None => xianfeng_core::spotcheck::report(&self.directory, &[], &[]),
        });
        *self.report.borrow_mut() = Some((version, report.clone()));
        report
    }

    fn stamp_of(&self, kinds: &[RecordKind]) -> u64 {
        kinds.iter().map(|&k| self.version(k)).max().unwrap_or(0)
    }

    /// Whether something about the record has not reached the server.
    pub fn is_unsent(&self, kind: RecordKind, id: Uuid) -> bool {
        let key = (kind, id);
        self.unconfirmed.contains(&key)
            || self.pending.get(&key).is_some_and(|p| !p.is_empty())
            || self.states.get(&key).is_some_and(|s| !s.confirmed)
    }

    /// The paired members this phone may name (`GET /api/partners`).
    pub fn partners(&self) -> Arc<Vec<Partner>> {
        self.partners.clone()
    }

    /// Keeps the partners the server sent (after they were stored).
    pub(crate) fn set_partners(&mut self, partners: Vec<Partner>) {
        self.partners = Arc::new(partners);
    }

    /// The ids of every record with something unsent (a few, usually).
    pub fn unsent_ids(&self) -> Arc<HashSet<Uuid>> {
        let version = self.clock;
        if let Some((v, ids)) = self.unsent_ids.borrow().as_ref() {
            if *v == version {
                return ids.clone();
            }
        }
        let ids: HashSet<Uuid> = self
            .unconfirmed
            .iter()
            .chain(
                self.pending
                    .iter()
                    .filter(|(_, p)| !p.is_empty())
                    .map(|(k, _)| k),
            )
            .chain(
                self.states
                    .iter()
                    .filter(|(_, s)| !s.confirmed)
                    .map(|(k, _)| k),
            )
            .map(|(_, id)| *id)
            .collect();
        let ids = Arc::new(ids);
        *self.unsent_ids.borrow_mut() = Some((version, ids.clone()));
        ids
    }

    /// Everything the store holds, as JSON: records, what is unsent, the
    /// unsent edits, the spot-check views (tests compare a store kept
    /// current with one loaded afresh).
    pub fn to_json(&self) -> Value {
        let mut unsent: Vec<String> = self.unsent_ids().iter().map(Uuid::to_string).collect();
        order::sort(&mut unsent);
        let mut pending: Vec<(String, Vec<u64>)> = self
            .pending
            .iter()
            .map(|((k, id), p)| {
                (
                    format!("{}/{id}", k.as_str()),
                    p.iter().map(|c| c.seq).collect(),
                )
            })
            .collect();
        order::sort(&mut pending);
        let live = self.live.as_ref();
        serde_json::json!({
            "tables": self.tables.to_json(),
            "unsent": unsent,
            "pending": pending,
            "observations": live.map_or(0, LiveSpotChecks::observation_count),
            "ladder": live.map(|l| serde_json::to_value(l.ladder()).unwrap_or_default()),
            "tally": live.map(|l| serde_json::to_value(l.tally()).unwrap_or_default()),
        })
    }

    /// Whether the phone stores this fact (of any kind).
    pub(crate) fn has_fact(&self, kind: RecordKind, id: Uuid) -> bool {
        match kind {
            RecordKind::Observation => self
                .live
                .as_ref()
                .is_some_and(|l| l.contains_observation(ObservationId::from_u128(id.as_u128()))),
            k => self.tables.contains(k, &id) || self.other_facts.contains(&(k, id)),
        }
    }

    /// Whether the server has confirmed this fact.
    pub(crate) fn is_confirmed_fact(&self, kind: RecordKind, id: Uuid) -> bool {
        !self.unconfirmed.contains(&(kind, id))
    }

    /// A mutable record's confirmed state, if the phone has the record.
    pub(crate) fn state_of(&self, kind: RecordKind, id: Uuid) -> Option<&StoredRecord> {
        self.states.get(&(kind, id))
    }

    /// A mutable record's unsent changes, in `seq` order.
    pub(crate) fn pending_of(&self, kind: RecordKind, id: Uuid) -> &[Change] {
        self.pending.get(&(kind, id)).map_or(&[], Vec::as_slice)
    }

    /// Takes in a stored fact (`confirmed`: the server has it).
    pub(crate) fn put_fact(&mut self, kind: RecordKind, id: Uuid, fact: &Value, confirmed: bool) {
        self.put_facts([(kind, id, fact)], confirmed);
    }

    /// Takes in stored facts (a pulled page). The page's observations reach
    /// the spot-check views together, after its checks, so each member
    /// they touch is computed once ([`LiveSpotChecks::add_observations`]).
    pub(crate) fn put_facts<'a>(
        &mut self,
        facts: impl IntoIterator<Item = (RecordKind, Uuid, &'a Value)>,
        confirmed: bool,
    ) {
        let mut observations: Vec<Observation> = Vec::new();
        for (kind, id, fact) in facts {
            let version = self.tick();
            if confirmed {
                self.unconfirmed.remove(&(kind, id));
            } else {
                self.unconfirmed.insert((kind, id));
            }
            match kind {
                RecordKind::Observation => observations.extend(observation_of(fact)),
                RecordKind::SpotCheck => {
                    self.tables.upsert(kind, id, fact, version);
                    if let Some(check) = self.tables.spot_checks.get(&id).cloned() {
                        self.live_mut().add_check(check);
                        self.live_version = version;
                    }
                }
                k => {
                    if !self.tables.upsert(k, id, fact, version) {
                        self.other_facts.insert((k, id));
                    }
                }
            }
        }
        if !observations.is_empty() {
            self.live_mut().add_observations(observations);
            self.live_version = self.tick();
        }
    }

    /// The server now has this fact (it was the phone's).
    pub(crate) fn confirm_fact(&mut self, kind: RecordKind, id: Uuid) {
        if self.unconfirmed.remove(&(kind, id)) {
            self.tick();
        }
    }

    /// Takes in a mutable record's confirmed state; its unsent changes are
    /// the store's ([`Store::set_pending`]).
    pub(crate) fn put_state(&mut self, stored: StoredRecord) {
        let key = (stored.kind, stored.id);
        self.states.insert(key, stored);
        self.show(key);
    }

    /// Replaces a mutable record's unsent changes.
    pub(crate) fn set_pending(&mut self, kind: RecordKind, id: Uuid, pending: Vec<Change>) {
        let key = (kind, id);
        if pending.is_empty() {
            self.pending.remove(&key);
        } else {
            self.pending.insert(key, pending);
        }
        self.show(key);
    }

    /// The server acknowledged `changes` (folded into the confirmed state
    /// by the storage module in the same way).
    pub(crate) fn acknowledge(&mut self, changes: &[Change]) {
        for change in changes {
            let key = (change.kind, change.id);
            match &change.op {
                Op::Insert { .. } => self.confirm_fact(change.kind, change.id),
                Op::Set { .. } => {
                    let state = self
                        .states
                        .entry(key)
                        .or_insert_with(|| StoredRecord::empty(change.kind, change.id));
                    state.absorb(change);
                    if let Some(p) = self.pending.get_mut(&key) {
                        p.retain(|c| c.seq != change.seq);
                        if p.is_empty() {
                            self.pending.remove(&key);
                        }
                    }
                    self.show(key);
                }
            }
        }
    }

    /// Forgets a record (undone before it was sent).
    pub(crate) fn remove(&mut self, kind: RecordKind, id: Uuid) {
        let version = self.tick();
        let key = (kind, id);
        self.unconfirmed.remove(&key);
        self.states.remove(&key);
        self.pending.remove(&key);
        self.other_facts.remove(&key);
        match kind {
            RecordKind::Observation => {
                if let Some(live) = self.live.as_mut() {
                    if live.remove_observation(ObservationId::from_u128(id.as_u128())) {
                        self.live_version = version;
                    }
                }
            }
            k => self.tables.remove(k, id, version),
        }
    }

    /// Decodes a mutable record's value as shown (confirmed state with its
    /// unsent edits on top) into its table.
    fn show(&mut self, key: Key) {
        let version = self.tick();
        let (kind, id) = key;
        let pending = self.pending.get(&key).map_or(&[][..], Vec::as_slice);
        let value = match self.states.get(&key) {
            Some(stored) => stored.display(pending),
            None if pending.is_empty() => {
                self.tables.remove(kind, id, version);
                return;
            }
            None => StoredRecord::empty(kind, id).display(pending),
        };
        self.tables.upsert(kind, id, &value, version);
    }

    /// Rebuilds the directory when an org kind changed, and places the
    /// spot-check tallies by it (after every change the storage module
    /// makes: [`crate::storage::Storage::update_store`]).
    pub(crate) fn settle(&mut self) {
        let org = self.stamp_of(&ORG);
        if org == self.directory_version {
            return;
        }
        self.directory_version = org;
        let t = &self.tables;
        self.directory = Arc::new(t.directory());
        let directory = (*self.directory).clone();
        self.live_mut().set_directory(directory);
        self.live_version = self.tick();
    }
}

/// A stored observation as core's type, if it reads and is valid (the
/// store's load and [`Store::put_facts`] take observations alike).
pub(crate) fn observation_of(fact: &Value) -> Option<Observation> {
    xianfeng_core::record_value::read::<Observation>(fact)
        .ok()
        .filter(|o| xianfeng_core::Record::validate(o).is_ok())
}
