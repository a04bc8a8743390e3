//! Filling the store from IndexedDB: once per session ([`ready`]), and
//! again after the rare actions that rewrite storage wholesale (a backup
//! imported, the phone enrolled anew: [`Storage::reload`]); the outbox
//! mirror alone after a change is set aside ([`Storage::reload_pending`]).
//!
//! Why one read transaction: IndexedDB gives it one consistent view, and
//! every writer waits for [`Storage::ready`] first, so no write can fall
//! between what the store read and what it is told afterwards.

use std::collections::HashMap;
use std::sync::Arc;

use xianfeng_core::order;
use xianfeng_core::spotcheck::{LiveSpotChecks, Observation, SpotCheck};
use xianfeng_core::sync::{Change, Op};
use xianfeng_core::RecordKind;

use super::{Key, Store, ORG};
use crate::storage::{self, Storage, StorageError, StoredRecord};

impl Storage {
    /// Waits until this database's store holds what IndexedDB holds (the
    /// first caller loads it; the others wait for that load). Every
    /// writer calls it first.
    pub async fn ready(&self) -> Result<(), StorageError> {
        let mut loaded = self.loaded.lock().await;
        if !*loaded {
            let fresh = build(self).await?;
            *self.store.borrow_mut() = fresh;
            *loaded = true;
            super::warm_when_idle();
        }
        Ok(())
    }

    /// Reads everything again (after a backup import or a new enrollment).
    pub(crate) async fn reload(&self) -> Result<(), StorageError> {
        let mut loaded = self.loaded.lock().await;
        let fresh = build(self).await?;
        *self.store.borrow_mut() = fresh;
        *loaded = true;
        Ok(())
    }

    /// Mirrors the outbox again (after entries were renumbered or removed).
    pub(crate) async fn reload_pending(&self) -> Result<(), StorageError> {
        let fresh = group_pending(self.outbox_all().await?);
        self.update_store(|s| {
            let mut keys: Vec<Key> = s.pending.keys().copied().collect();
            keys.extend(fresh.keys().copied());
            order::sort(&mut keys);
            keys.dedup();
            let mut fresh = fresh;
            for (kind, id) in keys {
                s.set_pending(kind, id, fresh.remove(&(kind, id)).unwrap_or_default());
            }
        });
        Ok(())
    }
}

/// Waits until the app's store is loaded (see [`Storage::ready`]).
pub async fn ready() -> Result<(), StorageError> {
    storage::shared().await?.ready().await
}

/// The outbox's field edits by record, each in `seq` order.
fn group_pending(outbox: Vec<Change>) -> HashMap<Key, Vec<Change>> {
    let mut pending: HashMap<Key, Vec<Change>> = HashMap::new();
    for change in outbox {
        if matches!(change.op, Op::Set { .. }) {
            pending
                .entry((change.kind, change.id))
                .or_default()
                .push(change);
        }
    }
    pending
}

async fn build(db: &Storage) -> Result<Store, StorageError> {
    let mut store = Store::default();
    let mut checks: Vec<SpotCheck> = Vec::new();
    let mut observations: Vec<Observation> = Vec::new();
    let mut states: Vec<StoredRecord> = Vec::new();
    let outbox = db
        .scan(|record| match (record.kind, &record.fact) {
            // Spot-check facts go to core's live views in one pass below.
            (RecordKind::Observation, Some(fact)) => {
                observations.extend(super::observation_of(fact));
                if !record.confirmed {
                    store.unconfirmed.insert((record.kind, record.id));
                }
            }
            (RecordKind::SpotCheck, Some(fact)) => {
                let version = store.tick();
                store.tables.upsert(record.kind, record.id, fact, version);
                if let Some(check) = store.tables.spot_checks.get(&record.id) {
                    checks.push(check.clone());
                }
                if !record.confirmed {
                    store.unconfirmed.insert((record.kind, record.id));
                }
            }
            (kind, Some(fact)) => store.put_fact(kind, record.id, fact, record.confirmed),
            (_, None) => states.push(record),
        })
        .await?;
    store.pending = group_pending(outbox);
    store.set_partners(
        db.get_meta(crate::storage::key::PARTNERS)
            .await?
            .unwrap_or_default(),
    );
    for state in states {
        store.put_state(state);
    }
    // Mutable records with only unsent edits (new on this phone).
    let only_pending: Vec<Key> = store
        .pending
        .keys()
        .filter(|k| !store.states.contains_key(k))
        .copied()
        .collect();
    for key in only_pending {
        store.show(key);
    }
    let t = &store.tables;
    store.directory = Arc::new(t.directory());
    store.directory_version = store.stamp_of(&ORG);
    store.live = Some(LiveSpotChecks::build(
        (*store.directory).clone(),
        &checks,
        &observations,
    ));
    store.live_version = store.tick();
    Ok(store)
}
