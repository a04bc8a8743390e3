//! A user action's read-write transaction ([`super::Storage::action_tx`]).
//!
//! Why a wrapper: when the browser aborts a transaction at its commit —
//! the phone's disk or the origin's quota is full — `indexed_db_futures`
//! reports only "aborted" (no request fails; the reason is the
//! transaction's own `error`). A full phone must reach the user as
//! [`StorageError::Full`], a clear message, not as a raw error, so
//! [`ActionTx::commit`] reads that reason. Everything else is the crate's
//! transaction (`Deref`), so the one save path is unchanged.

use std::ops::Deref;

use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::transaction::Transaction;

use super::StorageError;

/// The name of the `DOMException` a write over the quota fails with.
pub(crate) const QUOTA_EXCEEDED: &str = "QuotaExceededError";

pub(crate) struct ActionTx<'a>(pub(super) Transaction<'a>);

impl<'a> Deref for ActionTx<'a> {
    type Target = Transaction<'a>;

    fn deref(&self) -> &Transaction<'a> {
        &self.0
    }
}

impl ActionTx<'_> {
    /// Commits; a transaction the browser aborted for lack of space is
    /// [`StorageError::Full`] (nothing of it was written).
    pub(crate) async fn commit(self) -> Result<(), StorageError> {
        let sys = self.0.as_sys().clone();
        self.0.commit().await.map_err(|e| {
            let full = sys.error().is_some_and(|d| d.name() == QUOTA_EXCEEDED);
            if full {
                StorageError::Full
            } else {
                e.into()
            }
        })
    }
}
