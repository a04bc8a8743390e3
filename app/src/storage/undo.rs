//! Undo of the phone's newest unsent fact (the 巡察 screen's 撤销).
//!
//! Why this shape: facts are immutable once anyone else may have them, and
//! the server numbers a device's changes 1, 2, 3… with no gaps. So the only
//! fact that can be taken back is the one nobody has seen: the newest
//! outbox entry, still unsent, whose record the server never confirmed.
//! [`Storage::undo_last`] checks exactly that and, in ONE transaction,
//! deletes the record and its outbox entry and gives its `seq` back
//! (`next_seq` = that `seq`), so the next change reuses the number and the
//! server never sees a gap. Anything else (already sent, not the newest,
//! not a fact) is refused with `Ok(false)`: 已同步，无法撤销.
//!
//! Callers must not undo while a sync session may be pushing (the pushed
//! batch may hold the entry): check `SyncState::running` synchronously
//! right before calling, with no `await` in between, so this transaction is
//! created before any later session reads the outbox (IndexedDB runs
//! overlapping transactions in the order they were created).

use indexed_db_futures::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsValue;
use xianfeng_core::sync::{Change, Op};
use xianfeng_core::RecordKind;

use super::outbox::seq_key;
use super::records::{get_stored, record_key};
use super::{from_js, key, meta_get, meta_put, Storage, StorageError, META, OUTBOX, RECORDS};

impl Storage {
    /// Takes back fact `kind`/`id` if it is the newest unsent change;
    /// `Ok(false)` (and nothing changed) otherwise.
    pub async fn undo_last(&self, kind: RecordKind, id: Uuid) -> Result<bool, StorageError> {
        if !kind.is_fact() {
            return Ok(false);
        }
        let tx = self.begin_action().await?;
        let meta = tx.object_store(META)?;
        let records = tx.object_store(RECORDS)?;
        let outbox = tx.object_store(OUTBOX)?;
        let next: u64 = meta_get(&meta, key::NEXT_SEQ).await?.unwrap_or(1);
        if next <= 1 {
            return Ok(false);
        }
        let seq = next - 1;
        let newest: Option<JsValue> = outbox.get(seq_key(seq)).primitive()?.await?;
        let Some(newest) = newest else {
            return Ok(false);
        };
        let change: Change = from_js(&newest)?;
        if change.kind != kind || change.id != id || !matches!(change.op, Op::Insert { .. }) {
            return Ok(false);
        }
        let record = record_key(kind, id);
        match get_stored(&records, &record).await? {
            Some(stored) if !stored.confirmed => {}
            _ => return Ok(false),
        }
        outbox.delete(seq_key(seq)).await?;
        records.delete(record).await?;
        meta_put(&meta, key::NEXT_SEQ, &seq).await?;
        tx.commit().await?;
        self.update_store(|s| s.remove(kind, id));
        Ok(true)
    }
}

/// For screens: [`Storage::undo_last`] on the app's database, unless
/// `may_undo` (asked synchronously, right before the transaction is made)
/// says no, e.g. because a sync session is running. Tells the sync module
/// when something was taken back (the unsent count changes).
pub async fn undo_last(
    kind: RecordKind,
    id: Uuid,
    may_undo: impl FnOnce() -> bool,
) -> Result<bool, StorageError> {
    let db = super::shared().await?;
    if !may_undo() {
        return Ok(false);
    }
    let undone = db.undo_last(kind, id).await?;
    if undone {
        super::notify_write();
    }
    Ok(undone)
}
