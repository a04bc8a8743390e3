//! Changes the server refused for good (out of scope, invalid for the
//! server's data, a fact id reused with other content). They must not block
//! every later change of the phone, and they must not be lost: the refused
//! change moves out of the outbox into a list kept in `meta` (and in
//! backups), with the server's reason, for the user to see on the 同步 tab.
//!
//! Why renumbering is safe: the server refused the whole batch, so it has
//! processed nothing after its `last_seq`; every outbox entry is still
//! unknown to it, and closing the gap (seq − 1 for the entries after the
//! refused one) keeps the numbering the server expects: 1, 2, 3…

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Deserialize, Serialize};
use xianfeng_core::sync::Change;

use super::outbox::{self, seq_key};
use super::{key, meta_get, meta_put, Storage, StorageError, META, OUTBOX};

/// A change the server will never take, with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedChange {
    pub change: Change,
    /// The server's stable error code.
    pub code: String,
    /// The reason in words (zh-CN where the server sent it).
    pub message: String,
    /// When it was set aside (ms since the epoch).
    pub at: u64,
}

impl Storage {
    /// Moves the outbox entry `seq` to the rejected list and renumbers the
    /// entries after it, in one transaction. Returns false if there is no
    /// such entry (nothing changes).
    pub async fn set_aside(
        &self,
        seq: u64,
        code: &str,
        message: &str,
        at: u64,
    ) -> Result<bool, StorageError> {
        self.last_stamp.set(None);
        let tx = self
            .db()
            .transaction([META, OUTBOX])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let meta = tx.object_store(META)?;
        let store = tx.object_store(OUTBOX)?;
        let pending = outbox::all(&store).await?;
        let Some(refused) = pending.iter().find(|c| c.seq == seq).cloned() else {
            return Ok(false);
        };
        let mut rejected: Vec<RejectedChange> =
            meta_get(&meta, key::REJECTED).await?.unwrap_or_default();
        rejected.push(RejectedChange {
            change: refused,
            code: code.to_string(),
            message: message.to_string(),
            at,
        });
        store.delete(seq_key(seq)).await?;
        for mut change in pending.into_iter().filter(|c| c.seq > seq) {
            store.delete(seq_key(change.seq)).await?;
            change.seq -= 1;
            outbox::put(&store, &change).await?;
        }
        let next: u64 = meta_get(&meta, key::NEXT_SEQ).await?.unwrap_or(1);
        meta_put(&meta, key::NEXT_SEQ, &next.saturating_sub(1).max(1)).await?;
        meta_put(&meta, key::REJECTED, &rejected).await?;
        tx.commit().await?;
        // Entries were renumbered and one went: mirror the outbox again.
        self.reload_pending().await?;
        Ok(true)
    }

    /// Every change set aside so far, oldest first.
    pub async fn rejected(&self) -> Result<Vec<RejectedChange>, StorageError> {
        Ok(self.get_meta(key::REJECTED).await?.unwrap_or_default())
    }
}
