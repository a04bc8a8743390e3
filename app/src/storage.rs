//! The phone's one storage module: everything the app keeps lives in one
//! IndexedDB database, opened through here, with a versioned schema.
//!
//! Version 1 holds a `meta` store (key → JSON value) for device settings.
//! The sync issue adds record stores and the outbox as version 2 in
//! [`upgrade`], never by editing an earlier step.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{de::DeserializeOwned, Serialize};

/// The database name used by the app. Tests open their own names.
pub const DB_NAME: &str = "xianfeng";
/// The current schema version; bump it and add a step to [`upgrade`].
pub const SCHEMA_VERSION: u32 = 1;

const META: &str = "meta";

/// Why a storage call failed, in words a screen can show.
#[derive(Debug)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "本机存储出错：{}", self.0)
    }
}

impl<E: std::fmt::Debug> From<E> for StorageError
where
    E: Into<indexed_db_futures::error::Error>,
{
    fn from(e: E) -> Self {
        StorageError(format!("{:?}", e.into()))
    }
}

/// An open handle on the app's IndexedDB database.
pub struct Storage {
    db: Database,
}

impl Storage {
    /// Opens (creating or upgrading as needed) the database called `name`.
    pub async fn open(name: &str) -> Result<Storage, StorageError> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| upgrade(event.old_version() as u32, &db))
            .await
            .map_err(|e| StorageError(format!("{e:?}")))?;
        Ok(Storage { db })
    }

    /// Writes one settings value under `key`, in its own transaction.
    pub async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(META)?;
        let json = serde_json::to_string(value).map_err(|e| StorageError(e.to_string()))?;
        store.put(json).with_key(key.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads the settings value under `key`, if there is one.
    pub async fn get_meta<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StorageError> {
        let tx = self.db.transaction(META).build()?;
        let store = tx.object_store(META)?;
        let json: Option<String> = store.get(key.to_string()).primitive()?.await?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| StorageError(e.to_string())))
            .transpose()
    }

    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    pub fn close(self) {
        self.db.close();
    }
}

/// Schema migrations: one step per version, applied in order from `old`.
fn upgrade(old: u32, db: &Database) -> indexed_db_futures::Result<()> {
    if old < 1 {
        db.create_object_store(META).build()?;
    }
    Ok(())
}
