//! One kind's records, decoded once into core's type and validated by
//! core; screens take a cheap shared snapshot ([`Table::all`]).
//!
//! Why a snapshot: a screen keeps what it rendered from, and a write or a
//! pulled page must not copy every record of the kind each time; the
//! snapshot is built once per change of the kind, and only when a screen
//! asks for it.
//!
//! Why the records sit in slots behind an id index, not in a
//! `BTreeMap<Uuid, T>`: the store has a table for each of the 33 kinds,
//! and a map per record type compiled B-tree insertion, removal and
//! rebalancing 33 times into the phone's wasm. Every table shares one
//! `BTreeMap<Uuid, u32>` instead; what is left per type is a `Vec`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;
use uuid::Uuid;
use xianfeng_core::Record;

/// The records of one kind, by id (id order: UUIDv7 ids sort by creation).
pub struct Table<T> {
    /// Each id's slot in `slots`, in id order.
    index: BTreeMap<Uuid, u32>,
    /// The records; `None` only for a slot freed by a removal.
    slots: Vec<Option<T>>,
    /// Freed slots, taken again before `slots` grows.
    free: Vec<u32>,
    /// The store's change counter when this kind last changed.
    version: u64,
    snapshot: RefCell<Option<Arc<Vec<T>>>>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            index: BTreeMap::new(),
            slots: Vec::new(),
            free: Vec::new(),
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
        match xianfeng_core::record_value::read::<T>(value)
            .ok()
            .filter(|r| r.validate().is_ok())
        {
            Some(record) => self.insert(id, record),
            None => {
                self.take(&id);
            }
        }
        self.touch(version);
    }

    pub fn remove(&mut self, id: Uuid, version: u64) {
        if self.take(&id).is_some() {
            self.touch(version);
        }
    }

    fn insert(&mut self, id: Uuid, record: T) {
        if let Some(&slot) = self.index.get(&id) {
            self.slots[slot as usize] = Some(record);
            return;
        }
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(record);
                slot
            }
            None => {
                self.slots.push(Some(record));
                // A phone holds far fewer than 4 billion records of a kind.
                (self.slots.len() - 1) as u32
            }
        };
        self.index.insert(id, slot);
    }

    fn take(&mut self, id: &Uuid) -> Option<T> {
        let slot = self.index.remove(id)?;
        self.free.push(slot);
        self.slots[slot as usize].take()
    }

    fn touch(&mut self, version: u64) {
        self.version = version;
        self.snapshot.get_mut().take();
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn contains(&self, id: &Uuid) -> bool {
        self.index.contains_key(id)
    }

    pub fn get(&self, id: &Uuid) -> Option<&T> {
        let slot = *self.index.get(id)?;
        self.slots[slot as usize].as_ref()
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Every record, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.index
            .values()
            .filter_map(|&slot| self.slots[slot as usize].as_ref())
    }

    /// Every record, in id order, shared until the kind changes.
    pub fn all(&self) -> Arc<Vec<T>> {
        self.snapshot
            .borrow_mut()
            .get_or_insert_with(|| Arc::new(self.iter().cloned().collect()))
            .clone()
    }
}
