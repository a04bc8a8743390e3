//! Reading everything at once, for the in-memory store (`crate::store`):
//! every record and the whole outbox in one read transaction (one
//! consistent view), records in chunks so a city's ~139,000 never sit in
//! memory as JSON trees all together.

use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;
use xianfeng_core::sync::Change;

use super::records::{record_key, StoredRecord};
use super::{outbox, parse, Storage, StorageError, OUTBOX, RECORDS};

/// Records read per request.
const CHUNK: u32 = 2_000;

impl Storage {
    /// Hands every stored record to `each` (in key order) and returns the
    /// outbox, all from one transaction.
    pub(crate) async fn scan(
        &self,
        mut each: impl FnMut(StoredRecord),
    ) -> Result<Vec<Change>, StorageError> {
        let tx = self.db().transaction([RECORDS, OUTBOX]).build()?;
        let pending = outbox::all(&tx.object_store(OUTBOX)?).await?;
        let records = tx.object_store(RECORDS)?;
        let mut after: Option<String> = None;
        loop {
            let request = records.get_all::<JsValue>().with_limit(CHUNK);
            let values = match &after {
                Some(key) => {
                    let from = KeyRange::LowerBound(JsValue::from_str(key), true);
                    request.with_query::<JsValue, _>(from).primitive()?.await?
                }
                None => request.primitive()?.await?,
            };
            // One JSON text per chunk: one crossing from JS, one parse.
            let array = js_sys::Array::new();
            for value in values {
                array.push(&value?);
            }
            let n = array.length();
            if n == 0 {
                break;
            }
            let text: String = js_sys::JSON::stringify(&array)
                .map_err(|_| StorageError::Db(String::from("JSON")))?
                .into();
            let chunk: Vec<StoredRecord> = parse(&text)?;
            after = chunk.last().map(|r| record_key(r.kind, r.id));
            for record in chunk {
                each(record);
            }
            if n < CHUNK {
                break;
            }
        }
        Ok(pending)
    }

    /// Every outbox entry, in `seq` order.
    pub(crate) async fn outbox_all(&self) -> Result<Vec<Change>, StorageError> {
        let tx = self.db().transaction(OUTBOX).build()?;
        outbox::all(&tx.object_store(OUTBOX)?).await
    }
}
