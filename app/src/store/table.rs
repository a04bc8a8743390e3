//! One kind's records, decoded once into core's type and validated by
//! core; screens take a cheap shared snapshot ([`Table::all`]).
//!
//! Why a snapshot: a screen keeps what it rendered from, and a write or a
//! pulled page must not copy every record of the kind each time; the
//! snapshot is built once per change of the kind, and only when a screen
//! asks for it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;
use uuid::Uuid;
use xianfeng_core::Record;

/// The records of one kind, by id (id order: UUIDv7 ids sort by creation).
pub struct Table<T> {
    rows: BTreeMap<Uuid, T>,
    /// The store's change counter when this kind last changed.
    version: u64,
    snapshot: RefCell<Option<Arc<Vec<T>>>>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: BTreeMap::new(),
            version: 0,
            snapshot: RefCell::new(None),
        }
    }
}

impl<T: Record + Clone> Table<T> {
    /// Takes in a record's value as shown. A value that core cannot read
    /// or refuses (a record whose fields are still arriving) is left out,
    /// never guessed at.
    pub fn upsert(&mut self, id: Uuid, value: &Value, version: u64) {
        match T::deserialize(value).ok().filter(|r| r.validate().is_ok()) {
            Some(record) => {
                self.rows.insert(id, record);
            }
            None => {
                self.rows.remove(&id);
            }
        }
        self.touch(version);
    }

    pub fn remove(&mut self, id: Uuid, version: u64) {
        if self.rows.remove(&id).is_some() {
            self.touch(version);
        }
    }

    fn touch(&mut self, version: u64) {
        self.version = version;
        self.snapshot.get_mut().take();
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn contains(&self, id: &Uuid) -> bool {
        self.rows.contains_key(id)
    }

    pub fn get(&self, id: &Uuid) -> Option<&T> {
        self.rows.get(id)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.rows.values()
    }

    /// Every record, in id order, shared until the kind changes.
    pub fn all(&self) -> Arc<Vec<T>> {
        self.snapshot
            .borrow_mut()
            .get_or_insert_with(|| Arc::new(self.rows.values().cloned().collect()))
            .clone()
    }
}
