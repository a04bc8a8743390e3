//! The outbox: the device's unsent changes under their `seq` (a number key,
//! so they come back in order). An entry leaves only once the server has
//! acknowledged it; at that moment it is folded into the record's confirmed
//! state (facts: marked confirmed; field edits: merged by core's rule), so
//! what the screen shows never flickers back while a pull is still due.

use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;
use xianfeng_core::sync::Change;

use super::records::{self, StoredRecord};
use super::{from_js, to_js, Storage, StorageError, OUTBOX, RECORDS};

/// A `seq` as an IndexedDB key.
pub(crate) fn seq_key(seq: u64) -> f64 {
    seq as f64
}

pub(crate) async fn put(store: &ObjectStore<'_>, change: &Change) -> Result<(), StorageError> {
    store
        .put(to_js(change)?)
        .with_key(seq_key(change.seq))
        .await?;
    Ok(())
}

fn decode(
    values: impl Iterator<Item = indexed_db_futures::Result<JsValue>>,
) -> Result<Vec<Change>, StorageError> {
    values.map(|v| from_js::<Change>(&v?)).collect()
}

/// Every entry, in `seq` order.
pub(crate) async fn all(store: &ObjectStore<'_>) -> Result<Vec<Change>, StorageError> {
    decode(store.get_all::<JsValue>().primitive()?.await?)
}

/// The unsent changes of one record, in `seq` order.
pub(crate) async fn pending_for(
    store: &ObjectStore<'_>,
    record_key: &JsValue,
) -> Result<Vec<Change>, StorageError> {
    // An index lists equal keys in primary-key order: here, `seq` order.
    let index = store.index(super::BY_RECORD)?;
    decode(
        index
            .get_all::<JsValue>()
            .with_query::<JsValue, _>(KeyRange::Only(record_key.clone()))
            .primitive()?
            .await?,
    )
}

/// Folds entries up to `seq` into their records and deletes them;
/// returns them (the store folds them in the same way after the commit).
pub(crate) async fn fold_acked(
    records_store: &ObjectStore<'_>,
    outbox_store: &ObjectStore<'_>,
    seq: u64,
) -> Result<Vec<Change>, StorageError> {
    if seq == 0 {
        return Ok(Vec::new());
    }
    let acked = decode(
        outbox_store
            .get_all::<JsValue>()
            .with_query::<f64, _>(KeyRange::UpperBound(seq_key(seq), false))
            .primitive()?
            .await?,
    )?;
    if acked.is_empty() {
        return Ok(acked);
    }
    outbox_store
        .delete::<f64, _>(KeyRange::UpperBound(seq_key(seq), false))
        .await?;
    for change in &acked {
        let key = records::record_key(change.kind, change.id);
        let mut record = records::get_stored(records_store, &key)
            .await?
            .unwrap_or_else(|| StoredRecord::empty(change.kind, change.id));
        record.absorb(change);
        let pending =
            pending_for(outbox_store, &records::index_key(change.kind, change.id)).await?;
        record.refresh_parent(&pending);
        records::put_stored(records_store, &key, &record).await?;
    }
    Ok(acked)
}

impl Storage {
    /// How many changes wait to be sent.
    pub async fn outbox_len(&self) -> Result<u64, StorageError> {
        let tx = self.db().transaction(OUTBOX).build()?;
        let n = tx.object_store(OUTBOX)?.count().primitive()?.await?;
        Ok(u64::from(n))
    }

    /// The first `limit` unsent changes, in `seq` order.
    pub async fn outbox_page(&self, limit: u32) -> Result<Vec<Change>, StorageError> {
        let tx = self.db().transaction(OUTBOX).build()?;
        let store = tx.object_store(OUTBOX)?;
        decode(
            store
                .get_all::<JsValue>()
                .with_limit(limit)
                .primitive()?
                .await?,
        )
    }

    /// The server acknowledged every change up to `seq`: in one
    /// transaction, fold them into the confirmed records and delete them.
    pub async fn ack_through(&self, seq: u64) -> Result<(), StorageError> {
        self.ready().await?;
        let tx = self
            .db()
            .transaction([RECORDS, OUTBOX])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let acked = fold_acked(&tx.object_store(RECORDS)?, &tx.object_store(OUTBOX)?, seq).await?;
        tx.commit().await?;
        self.update_store(|s| s.acknowledge(&acked));
        Ok(())
    }
}
