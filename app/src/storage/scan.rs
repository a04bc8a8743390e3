//! Reading everything at once, for the in-memory store (`crate::store`):
//! every record, every pulled page and the whole outbox in one read
//! transaction (one consistent view), in chunks so a city's ~139,000
//! records never sit in memory as JSON trees all together.

use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;
use xianfeng_core::sync::Change;

use super::records::{record_key, StoredRecord};
use super::{outbox, parse, Storage, StorageError, OUTBOX, PULLED, RECORDS};

/// Records read per request.
const CHUNK: u32 = 2_000;
/// Pulled pages (up to a thousand facts each) read per request.
const PAGES: u32 = 8;

impl Storage {
    /// Hands every stored record to `each` (`records` in key order, then
    /// the pulled pages in cursor order) and returns the outbox, all from
    /// one transaction.
    pub(crate) async fn scan(
        &self,
        mut each: impl FnMut(StoredRecord),
    ) -> Result<Vec<Change>, StorageError> {
        let tx = self.db().transaction([RECORDS, OUTBOX, PULLED]).build()?;
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
        read_pulled(&tx.object_store(PULLED)?, &mut each).await?;
        Ok(pending)
    }

    /// Every outbox entry, in `seq` order.
    pub(crate) async fn outbox_all(&self) -> Result<Vec<Change>, StorageError> {
        let tx = self.db().transaction(OUTBOX).build()?;
        outbox::all(&tx.object_store(OUTBOX)?).await
    }
}

/// Hands every fact of the `pulled` pages to `each`, a few pages at a time.
pub(crate) async fn read_pulled(
    pulled: &ObjectStore<'_>,
    each: &mut impl FnMut(StoredRecord),
) -> Result<(), StorageError> {
    let mut after: Option<f64> = None;
    loop {
        let range = || after.map(|c| KeyRange::LowerBound(JsValue::from_f64(c), true));
        let texts = pulled.get_all::<String>().with_limit(PAGES);
        let keys = pulled.get_all_keys::<f64>().with_limit(PAGES);
        let (texts, keys) = match range() {
            Some(r) => (
                texts.with_query::<JsValue, _>(r).primitive()?.await?,
                keys.with_query::<JsValue, _>(range().expect("some"))
                    .primitive()?
                    .await?,
            ),
            None => (texts.primitive()?.await?, keys.primitive()?.await?),
        };
        let texts: Vec<String> = texts.collect::<Result<_, _>>()?;
        let keys: Vec<f64> = keys.collect::<Result<_, _>>()?;
        for text in &texts {
            let page: Vec<StoredRecord> = parse(text)?;
            for record in page {
                each(record);
            }
        }
        after = keys.last().copied();
        if (texts.len() as u32) < PAGES || after.is_none() {
            return Ok(());
        }
    }
}
