//! The org directory sync places records with (units, branches, members,
//! inspection groups → core's `Directory`), cached in memory.
//!
//! The cache is shared by a process's requests and tagged with the
//! database's `org_version`, which every write that changes an org record
//! moves on inside its transaction. A write reads the version under the
//! write lock and reloads the directory when it differs, so a directory
//! changed by another server process (several instances on one
//! PostgreSQL) is never used stale. Only writes place records; pulls read
//! stored locations and need no directory.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;
use uuid::Uuid;
use xianfeng_core::ids::MemberId;
use xianfeng_core::org::{Branch, InspectionGroup, Member, Unit};
use xianfeng_core::{Directory, RecordKind};

use crate::store::{log, Sql};

/// The org records the directory is built from, and the directory.
#[derive(Clone, Debug, Default)]
pub struct OrgIndex {
    units: BTreeMap<Uuid, Unit>,
    branches: BTreeMap<Uuid, Branch>,
    members: BTreeMap<Uuid, Member>,
    groups: BTreeMap<Uuid, InspectionGroup>,
    pub(crate) directory: Directory,
}

/// Kinds whose records feed the directory.
pub fn is_org_kind(kind: RecordKind) -> bool {
    matches!(
        kind,
        RecordKind::Unit | RecordKind::Branch | RecordKind::Member | RecordKind::InspectionGroup
    )
}

impl OrgIndex {
    /// A member, as the org records have it.
    pub fn member(&self, id: MemberId) -> Option<&Member> {
        self.members.get(id.as_uuid())
    }

    /// Reads every org record from the store.
    fn load(sql: &mut dyn Sql) -> anyhow::Result<OrgIndex> {
        let mut index = OrgIndex::default();
        for kind in [
            RecordKind::Unit,
            RecordKind::Branch,
            RecordKind::Member,
            RecordKind::InspectionGroup,
        ] {
            let mut records: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
            for (id, field, value) in log::fields_of_kind(sql, kind)? {
                let record = records.entry(id.clone()).or_insert_with(|| {
                    serde_json::Map::from_iter([("id".to_owned(), Value::String(id))])
                });
                record.insert(field, serde_json::from_str(&value)?);
            }
            for record in records.into_values() {
                index.upsert(kind, &Value::Object(record));
            }
        }
        index.rebuild();
        Ok(index)
    }

    /// Takes in the current value of an org record (invalid ones are skipped:
    /// only validated records reach the store). Call [`Self::rebuild`] after.
    pub fn upsert(&mut self, kind: RecordKind, value: &Value) {
        fn put<T: serde::de::DeserializeOwned>(
            map: &mut BTreeMap<Uuid, T>,
            value: &Value,
            id: impl Fn(&T) -> Uuid,
        ) {
            if let Ok(record) = xianfeng_core::record_value::read::<T>(value) {
                map.insert(id(&record), record);
            }
        }
        match kind {
            RecordKind::Unit => put(&mut self.units, value, |r: &Unit| *r.id.as_uuid()),
            RecordKind::Branch => put(&mut self.branches, value, |r: &Branch| *r.id.as_uuid()),
            RecordKind::Member => put(&mut self.members, value, |r: &Member| *r.id.as_uuid()),
            RecordKind::InspectionGroup => put(&mut self.groups, value, |r: &InspectionGroup| {
                *r.id.as_uuid()
            }),
            _ => {}
        }
    }

    pub fn rebuild(&mut self) {
        let units: Vec<Unit> = self.units.values().cloned().collect();
        let branches: Vec<Branch> = self.branches.values().cloned().collect();
        let members: Vec<Member> = self.members.values().cloned().collect();
        let groups: Vec<InspectionGroup> = self.groups.values().cloned().collect();
        self.directory = Directory::new(&units, &branches, &members, &groups);
    }
}

/// An org index and the `org_version` it was built at.
type Versioned = (i64, Arc<OrgIndex>);

/// The committed org index with the `org_version` it was built at.
#[derive(Clone, Debug, Default)]
pub struct OrgCache(Arc<Mutex<Option<Versioned>>>);

impl OrgCache {
    /// The directory as of the write `sql` is in (reloaded if stale).
    pub(crate) fn get(&self, sql: &mut dyn Sql) -> anyhow::Result<Arc<OrgIndex>> {
        let version = log::org_version(sql)?;
        {
            let slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((v, index)) = &*slot {
                if *v == version {
                    return Ok(Arc::clone(index));
                }
            }
        }
        let index = Arc::new(OrgIndex::load(sql)?);
        self.set(version, Arc::clone(&index));
        Ok(index)
    }

    /// Keeps `index` as the directory at `version` (after a commit).
    pub(crate) fn set(&self, version: i64, index: Arc<OrgIndex>) {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Never go back to an older version (commits may publish out of order).
        if slot.as_ref().is_none_or(|(v, _)| *v <= version) {
            *slot = Some((version, index));
        }
    }
}
