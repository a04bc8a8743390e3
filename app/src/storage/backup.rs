//! Backup: everything on the phone to one JSON file, and back.
//!
//! The file holds every record (confirmed state and facts), the unsent
//! outbox and the `meta` values — without the device token, so a lost
//! file cannot act as the phone. Importing skips records the phone already
//! has (by key); the outbox entries of records it did not have are queued
//! again as new changes of this device (fresh `seq`), so data that never
//! reached the server gets there. Facts keep their ids, so a fact the
//! server already has is a no-op there: nothing doubles, and importing
//! the same file twice adds nothing the second time.

use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use xianfeng_core::sync::{check_change, validate_record, Change, Hlc};

use super::outbox;
use super::records::{get_stored, put_stored, record_key, StoredRecord};
use super::{
    from_js, key, meta_get, meta_put, now_ms, Storage, StorageError, META, OUTBOX, PULLED, RECORDS,
};

/// The `format` of a backup file.
pub const BACKUP_FORMAT: &str = "xianfeng-backup";
/// The backup file's own version.
pub const BACKUP_VERSION: u32 = 1;

/// The content of a backup file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub version: u32,
    /// When it was made (ms since the epoch).
    pub exported_at: u64,
    /// The `meta` store, key → value; `device` without its `token`.
    #[serde(default)]
    pub meta: serde_json::Map<String, Value>,
    pub records: Vec<StoredRecord>,
    /// Unsent changes, in `seq` order.
    pub outbox: Vec<Change>,
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Records the phone did not have.
    pub imported: u32,
    /// Records it already had (or could not read).
    pub skipped: u32,
    /// Unsent changes queued again for the server.
    pub queued: u32,
}

impl Backup {
    pub fn parse(text: &str) -> Result<Backup, StorageError> {
        let backup: Backup = super::parse(text).map_err(|e| match e {
            StorageError::Db(detail) => StorageError::BadBackup(detail),
            e => e,
        })?;
        if backup.format != BACKUP_FORMAT || backup.version != BACKUP_VERSION {
            return Err(StorageError::BadBackup(format!(
                "{} {}",
                backup.format, backup.version
            )));
        }
        Ok(backup)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a backup serialises")
    }
}

impl Storage {
    /// Everything on the phone, without the token (one read transaction).
    pub async fn export(&self) -> Result<Backup, StorageError> {
        let tx = self
            .db()
            .transaction([META, RECORDS, OUTBOX, PULLED])
            .build()?;
        let meta_store = tx.object_store(META)?;
        let keys = meta_store.get_all_keys::<String>().primitive()?.await?;
        let values = meta_store.get_all::<String>().primitive()?.await?;
        let mut meta = serde_json::Map::new();
        for (k, v) in keys.zip(values) {
            let (k, mut value) = (k?, super::parse::<Value>(&v?)?);
            if k == key::DEVICE {
                if let Some(device) = value.as_object_mut() {
                    device.remove("token");
                }
            }
            meta.insert(k, value);
        }
        let records = tx
            .object_store(RECORDS)?
            .get_all::<JsValue>()
            .primitive()?
            .await?
            .map(|v| from_js::<StoredRecord>(&v?))
            .collect::<Result<Vec<_>, _>>()?;
        // Facts pulled from the server are kept a page at a time.
        let mut records = records;
        super::scan::read_pulled(&tx.object_store(PULLED)?, &mut |r| records.push(r)).await?;
        let outbox = outbox::all(&tx.object_store(OUTBOX)?).await?;
        Ok(Backup {
            format: BACKUP_FORMAT.into(),
            version: BACKUP_VERSION,
            exported_at: now_ms(),
            meta,
            records,
            outbox,
        })
    }

    /// Imports a backup in one transaction (see the module docs).
    /// Records that fail core's validation are skipped, never stored.
    pub async fn import(&self, backup: &Backup) -> Result<ImportReport, StorageError> {
        // The unsent changes of one record, in the file's (`seq`) order.
        let pending_of = |r: &StoredRecord| -> Vec<Change> {
            backup
                .outbox
                .iter()
                .filter(|c| c.kind == r.kind && c.id == r.id)
                .cloned()
                .collect()
        };
        let tx = self.begin_action().await?;
        let meta = tx.object_store(META)?;
        let records = tx.object_store(RECORDS)?;
        let outbox_store = tx.object_store(OUTBOX)?;
        let mut report = ImportReport::default();
        // The records this import added: their unsent changes are queued.
        let mut fresh: Vec<&StoredRecord> = Vec::new();
        for record in &backup.records {
            let key = record_key(record.kind, record.id);
            let theirs = pending_of(record);
            let valid = theirs.iter().all(|c| check_change(c).is_ok())
                && validate_record(record.kind, &record.display(&theirs)).is_ok();
            let pulled = record.fact.is_some() && self.store().has_fact(record.kind, record.id);
            if !valid || pulled || get_stored(&records, &key).await?.is_some() {
                report.skipped += 1;
                continue;
            }
            let mut copy = record.clone();
            copy.refresh_parent(&theirs);
            put_stored(&records, &key, &copy).await?;
            fresh.push(record);
            report.imported += 1;
        }
        let queue: Vec<&Change> = backup
            .outbox
            .iter()
            .filter(|c| fresh.iter().any(|r| r.kind == c.kind && r.id == c.id))
            .collect();
        if !queue.is_empty() {
            let mut hlc: Hlc = meta_get(&meta, key::HLC)
                .await?
                .ok_or(StorageError::NotEnrolled)?;
            let mut seq: u64 = meta_get(&meta, key::NEXT_SEQ).await?.unwrap_or(1);
            let now = now_ms();
            for old in queue {
                let change = Change {
                    seq,
                    hlc: Hlc {
                        device: hlc.device,
                        ..old.hlc
                    },
                    ..old.clone()
                };
                hlc = hlc.observe(&old.hlc, now);
                outbox::put(&outbox_store, &change).await?;
                seq += 1;
                report.queued += 1;
            }
            meta_put(&meta, key::HLC, &hlc).await?;
            meta_put(&meta, key::NEXT_SEQ, &seq).await?;
        }
        tx.commit().await?;
        self.reload().await?;
        Ok(report)
    }

    /// Downloads [`export`](Self::export) as `xianfeng-backup-<date>.json`.
    pub async fn export_to_file(&self) -> Result<(), StorageError> {
        let text = self.export().await?.to_json();
        crate::download::download(
            &format!("xianfeng-backup-{}.json", crate::local_time::today()),
            "application/json",
            &text,
        )
        .map_err(|_| StorageError::Db(String::from("download")))
    }

    /// Reads a chosen backup file and imports it.
    pub async fn import_file(&self, file: &web_sys::File) -> Result<ImportReport, StorageError> {
        let text = JsFuture::from(file.text())
            .await
            .map_err(|_| StorageError::BadBackup(file.name()))?
            .as_string()
            .unwrap_or_default();
        self.import(&Backup::parse(&text)?).await
    }
}
