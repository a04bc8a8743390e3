//! The phone's one storage module: everything the app keeps lives in one
//! IndexedDB database, opened through here, with a versioned schema
//! ([`schema`]: one upgrade step per version, never edited afterwards).
//!
//! Stores (version 3):
//! - `meta`: key → JSON text: the device identity, `next_seq`, the HLC,
//!   the pull `cursor`, `last_sync_ok`, `last_error`.
//! - `records`: `"<kind>/<id>"` → [`StoredRecord`] (a fact, or the state
//!   the server confirmed), indexed by kind and by kind + parent.
//! - `outbox`: `seq` → core [`Change`], indexed by record (kind + id).
//! - `pulled` (version 3): a pulled page's cursor → the JSON text of the
//!   facts it brought that the phone did not have ([`StoredRecord`]s,
//!   confirmed). A city's first sync is ~139,000 facts: written as one
//!   value per page it costs one write per thousand. Facts the phone
//!   recorded itself stay in `records` (undo and acknowledgement find
//!   them there).
//!
//! Why one transaction per user action: the record and its outbox entry
//! are written together ([`Storage::record_fact`], [`Storage::record_set`]),
//! so a crash can never keep one without the other. An outbox entry goes
//! only once the server acknowledged it ([`Storage::ack_through`]); a
//! pending edit is shown on top of the confirmed state, never merged into
//! it before then.

pub mod backup;
mod outbox;
mod records;
mod rejected;
mod scan;
mod schema;
mod tx;
pub mod undo;

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use indexed_db_futures::database::Database;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::JsValue;
use xianfeng_core::ids::DeviceId;
use xianfeng_core::sync::{Hlc, SyncError};
use xianfeng_core::{Lang, Role, Scope};

use crate::i18n::{Msg, Text};
use crate::store::Store;

pub use backup::{Backup, ImportReport};
pub use records::{parent_field, record_key, RecordView, StoredRecord};
pub use rejected::RejectedChange;
pub use schema::{DB_NAME, SCHEMA_VERSION};

pub(crate) const META: &str = "meta";
pub(crate) const RECORDS: &str = "records";
pub(crate) const OUTBOX: &str = "outbox";
pub(crate) const PULLED: &str = "pulled";
/// `records` by `kind`.
pub(crate) const BY_KIND: &str = "by_kind";
/// `records` by `[kind, parent]`.
pub(crate) const BY_PARENT: &str = "by_parent";
/// `outbox` by `[kind, id]`.
pub(crate) const BY_RECORD: &str = "by_record";

/// Keys of the `meta` store.
pub(crate) mod key {
    pub const DEVICE: &str = "device";
    pub const NEXT_SEQ: &str = "next_seq";
    pub const HLC: &str = "hlc";
    pub const CURSOR: &str = "cursor";
    pub const LAST_SYNC_OK: &str = "last_sync_ok";
    pub const LAST_ERROR: &str = "last_error";
    /// Changes the server refused for good ([`super::RejectedChange`]).
    pub const REJECTED: &str = "rejected";
    /// The paired members of households this phone may read, as the
    /// server last sent them (`GET /api/partners`).
    pub const PARTNERS: &str = "partners";
    /// When sync sessions started failing (cleared by a success).
    pub const FAILING_SINCE: &str = "failing_since";
}

/// Who this phone is to the server, as `POST /api/enroll` answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    pub device_id: DeviceId,
    pub token: String,
    pub role: Role,
    pub scope: Scope,
    /// The person the invite was made for.
    pub name: String,
    #[serde(default)]
    pub server_id: String,
    /// The name this phone gave itself when enrolling (kept by the phone).
    #[serde(default)]
    pub device_name: String,
    /// When this phone enrolled (ms since the epoch; kept by the phone).
    #[serde(default)]
    pub enrolled_at: Option<u64>,
}

/// Why a storage call failed. `Display` is the zh-CN message.
#[derive(Clone, Debug)]
pub enum StorageError {
    /// The record (or change) is invalid: core's reason.
    Invalid(SyncError),
    /// Nothing can be recorded before the phone is enrolled.
    NotEnrolled,
    /// A backup file that cannot be read.
    BadBackup(String),
    /// The phone's storage (or the quota the browser grants the app) is
    /// full: the write was refused whole, nothing of it is stored.
    Full,
    /// IndexedDB itself failed.
    Db(String),
}

impl StorageError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StorageError::Invalid(e) => e.message(lang),
            StorageError::NotEnrolled => Msg::ErrNotEnrolled.text(lang).to_string(),
            StorageError::BadBackup(d) => format!("{}{d}", Msg::ErrBadBackup.text(lang)),
            StorageError::Full => Msg::ErrStorageFull.text(lang).to_string(),
            StorageError::Db(d) => format!("{}{d}", Msg::ErrStorage.text(lang)),
        }
    }
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::ZhCn))
    }
}

impl<E> From<E> for StorageError
where
    E: Into<indexed_db_futures::error::Error>,
{
    fn from(e: E) -> Self {
        // The DOMException's own words; the crate's `Display` would pull
        // float formatting into the bundle for its rare numeric errors.
        match e.into() {
            indexed_db_futures::error::Error::DomException(d) => {
                let name =
                    wasm_bindgen::JsCast::unchecked_ref::<web_sys::DomException>(d.as_ref()).name();
                if name == tx::QUOTA_EXCEEDED {
                    StorageError::Full
                } else {
                    StorageError::Db(d.message())
                }
            }
            _ => StorageError::Db(String::from("IndexedDB")),
        }
    }
}

pub(crate) fn json_err(e: serde_json::Error) -> StorageError {
    StorageError::Db(e.to_string())
}

fn js_err(_: JsValue) -> StorageError {
    StorageError::Db(String::from("JSON"))
}

/// Reads JSON text into `T` (the one deserialiser the app uses).
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, StorageError> {
    serde_json::from_str(text).map_err(json_err)
}

/// A Rust value as a plain JS object (through JSON: the one serialiser
/// the app already carries), so IndexedDB can index its fields.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    let text = serde_json::to_string(value).map_err(json_err)?;
    js_sys::JSON::parse(&text).map_err(js_err)
}

/// The inverse of [`to_js`].
pub(crate) fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, StorageError> {
    let text: String = js_sys::JSON::stringify(value).map_err(js_err)?.into();
    parse(&text)
}

/// Reads a `meta` value's JSON text inside a transaction.
pub(crate) async fn meta_text(
    store: &ObjectStore<'_>,
    key: &str,
) -> Result<Option<String>, StorageError> {
    Ok(store.get(key.to_string()).primitive()?.await?)
}

/// Reads a `meta` value inside a transaction.
pub(crate) async fn meta_get<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
    key: &str,
) -> Result<Option<T>, StorageError> {
    meta_text(store, key).await?.map(|t| parse(&t)).transpose()
}

/// Writes a `meta` value's JSON text inside a transaction.
pub(crate) async fn meta_put_text(
    store: &ObjectStore<'_>,
    key: &str,
    json: String,
) -> Result<(), StorageError> {
    store.put(json).with_key(key.to_string()).await?;
    Ok(())
}

/// Writes a `meta` value inside a transaction.
pub(crate) async fn meta_put<T: Serialize>(
    store: &ObjectStore<'_>,
    key: &str,
    value: &T,
) -> Result<(), StorageError> {
    meta_put_text(store, key, serde_json::to_string(value).map_err(json_err)?).await
}

/// The phone's clock in milliseconds since the epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// An open handle on the app's IndexedDB database, with its in-memory
/// store ([`crate::store`]): every method that writes updates the store
/// after its transaction commits.
pub struct Storage {
    db: Database,
    pub(crate) store: RefCell<Store>,
    /// Whether `store` holds what the database holds (see `Storage::ready`).
    pub(crate) loaded: futures::lock::Mutex<bool>,
    /// The clock and next number this page's last fact wrote: a guess the
    /// next fact checks in its own transaction (`record_new_fact`).
    pub(crate) last_stamp: std::cell::Cell<Option<(Hlc, u64)>>,
}

impl Storage {
    /// Opens (creating or upgrading as needed) the database called `name`.
    pub async fn open(name: &str) -> Result<Storage, StorageError> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| schema::upgrade(event.old_version() as u32, &db))
            .await
            .map_err(|_| StorageError::Db(String::from("open")))?;
        Ok(Storage {
            db,
            store: RefCell::new(Store::default()),
            loaded: futures::lock::Mutex::new(false),
            last_stamp: std::cell::Cell::new(None),
        })
    }

    pub(crate) fn db(&self) -> &Database {
        &self.db
    }

    /// The in-memory store (load it first: `Storage::ready`).
    pub fn store(&self) -> Ref<'_, Store> {
        self.store.borrow()
    }

    /// Changes the store after a commit, then settles what depends on the
    /// org records.
    pub(crate) fn update_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut store = self.store.borrow_mut();
        let r = f(&mut store);
        store.settle();
        r
    }

    /// A user action's transaction, once the store is loaded (every writer
    /// waits for it): the page's guess of the clock and number is dropped,
    /// since this action moves them.
    pub(crate) async fn begin_action(&self) -> Result<tx::ActionTx<'_>, StorageError> {
        self.ready().await?;
        self.last_stamp.set(None);
        self.action_tx()
    }

    /// A read-write transaction over settings, records and the outbox: a
    /// user action (record + outbox entry + next `seq`) is exactly one.
    /// Its commit tells a full phone apart ([`tx::ActionTx`]).
    pub(crate) fn action_tx(&self) -> Result<tx::ActionTx<'_>, StorageError> {
        Ok(tx::ActionTx(
            self.db
                .transaction([META, RECORDS, OUTBOX])
                .with_mode(TransactionMode::Readwrite)
                .build()?,
        ))
    }

    /// Writes one settings value under `key`, in its own transaction.
    pub async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StorageError> {
        self.put_meta_text(key, serde_json::to_string(value).map_err(json_err)?)
            .await
    }

    async fn put_meta_text(&self, key: &str, json: String) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        meta_put_text(&tx.object_store(META)?, key, json).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads the settings value under `key`, if there is one.
    pub async fn get_meta<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StorageError> {
        self.get_meta_text(key)
            .await?
            .map(|t| parse(&t))
            .transpose()
    }

    async fn get_meta_text(&self, key: &str) -> Result<Option<String>, StorageError> {
        let tx = self.db.transaction(META).build()?;
        meta_text(&tx.object_store(META)?, key).await
    }

    /// Removes the settings value under `key`, in its own transaction.
    pub async fn delete_meta(&self, key: &str) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(META)?.delete(key.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The enrolled identity, if the phone is enrolled.
    pub async fn identity(&self) -> Result<Option<Identity>, StorageError> {
        self.get_meta(key::DEVICE).await
    }

    /// What the sync status shows — the identity, the number of unsent
    /// changes, the last good sync `L` and the last error `E` — in
    /// ONE read transaction: the status is read again after every write,
    /// and four transactions cost a tap's worth of IndexedDB time.
    pub async fn sync_status<L: DeserializeOwned, E: DeserializeOwned>(
        &self,
    ) -> Result<(Option<Identity>, u64, Option<L>, Option<E>), StorageError> {
        let tx = self.db.transaction([META, OUTBOX]).build()?;
        let meta = tx.object_store(META)?;
        let outbox = tx.object_store(OUTBOX)?;
        let (identity, last_ok, error, unsent) = futures::join!(
            meta_get(&meta, key::DEVICE),
            meta_text(&meta, key::LAST_SYNC_OK),
            meta_text(&meta, key::LAST_ERROR),
            async { Ok::<_, StorageError>(outbox.count().primitive()?.await?) },
        );
        // A status value an older version wrote differently is shown as
        // absent; it never hides the identity.
        Ok((
            identity?,
            u64::from(unsent?),
            last_ok?.and_then(|t| parse(&t).ok()),
            error?.and_then(|t| parse(&t).ok()),
        ))
    }

    /// Saves the identity `POST /api/enroll` returned, in one transaction.
    /// A new device id (re-enrolling after a revoked token) renumbers the
    /// unsent outbox 1, 2, 3… for the new device, restamps it with the new
    /// device, and starts pulling from the beginning (the scope may differ).
    pub async fn set_identity(&self, identity: &Identity) -> Result<(), StorageError> {
        self.last_stamp.set(None);
        let tx = self
            .db
            .transaction([META, OUTBOX])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let meta = tx.object_store(META)?;
        let outbox = tx.object_store(OUTBOX)?;
        let old: Option<Identity> = meta_get(&meta, key::DEVICE).await?;
        if old.as_ref().map(|o| o.device_id) != Some(identity.device_id) {
            let device = identity.device_id;
            let hlc: Option<Hlc> = meta_get(&meta, key::HLC).await?;
            let hlc = hlc.map_or(Hlc::zero(device), |h| Hlc { device, ..h });
            let pending = outbox::all(&outbox).await?;
            outbox.clear()?.await?;
            let mut seq = 0;
            for mut change in pending {
                seq += 1;
                change.seq = seq;
                change.hlc.device = device;
                outbox::put(&outbox, &change).await?;
            }
            meta_put(&meta, key::HLC, &hlc).await?;
            meta_put(&meta, key::NEXT_SEQ, &(seq + 1)).await?;
            meta_put(&meta, key::CURSOR, &0u64).await?;
        }
        meta_put(&meta, key::DEVICE, identity).await?;
        meta.delete(key::LAST_ERROR.to_string()).await?;
        tx.commit().await?;
        // The unsent changes may have been renumbered.
        if *self.loaded.lock().await {
            self.reload_pending().await?;
        }
        Ok(())
    }

    /// The pull cursor saved with the last applied page (0 at first).
    pub async fn cursor(&self) -> Result<u64, StorageError> {
        Ok(self.get_meta(key::CURSOR).await?.unwrap_or(0))
    }

    /// The object stores the database has (for checks and tests).
    pub fn store_names(&self) -> Vec<String> {
        self.db.object_store_names().collect()
    }

    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    pub fn close(self) {
        self.db.close();
    }

    /// 交接本机: deletes everything this phone holds — records, the
    /// outbox, pulled pages and the meta (identity and token among it) —
    /// in one transaction. The caller then loads a fresh page, so the
    /// in-memory store goes too.
    pub async fn wipe(&self) -> Result<(), StorageError> {
        let stores = [META, RECORDS, OUTBOX, PULLED];
        let tx = self
            .db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        for name in stores {
            tx.object_store(name)?.clear()?.await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

thread_local! {
    static SHARED: RefCell<Option<Rc<Storage>>> = const { RefCell::new(None) };
    static ON_WRITE: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

/// The app's database ([`DB_NAME`]), opened once and shared.
pub async fn shared() -> Result<Rc<Storage>, StorageError> {
    if let Some(s) = SHARED.with_borrow(|s| s.clone()) {
        return Ok(s);
    }
    let opened = Rc::new(Storage::open(DB_NAME).await?);
    // Two callers may race to open it: keep the first.
    Ok(SHARED.with_borrow_mut(|s| s.get_or_insert(opened).clone()))
}

/// The app's database if it is open already (for synchronous reads of its
/// store).
pub fn opened() -> Option<Rc<Storage>> {
    SHARED.with_borrow(|s| s.clone())
}

/// Called after every user write (the sync module listens: it updates the
/// unsent count and syncs soon).
pub fn on_write(f: impl Fn() + 'static) {
    ON_WRITE.set(Some(Rc::new(f)));
}

/// Tells the listener in the next task, not now: the screen that wrote
/// shows "saved" first (a tap's row is marked in the same frame), and the
/// redraws and the sync the write sets off come after.
fn notify_write() {
    if let Some(f) = ON_WRITE.with_borrow(|f| f.clone()) {
        leptos::prelude::set_timeout(move || f(), std::time::Duration::ZERO);
    }
}

/// For screens: records a fact in the app's database (one transaction with
/// its outbox entry) and tells the sync module.
pub async fn record_fact(
    kind: xianfeng_core::RecordKind,
    id: uuid::Uuid,
    record: serde_json::Value,
) -> Result<(), StorageError> {
    shared().await?.record_fact(kind, id, record).await?;
    notify_write();
    Ok(())
}

/// For screens: sets fields of a mutable record (see [`Storage::record_set`]).
pub async fn record_set(
    kind: xianfeng_core::RecordKind,
    id: uuid::Uuid,
    fields: std::collections::BTreeMap<String, serde_json::Value>,
) -> Result<(), StorageError> {
    shared().await?.record_set(kind, id, fields).await?;
    notify_write();
    Ok(())
}
