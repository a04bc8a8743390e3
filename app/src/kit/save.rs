//! A form's save: one transaction (the record and its outbox entry) while
//! the form is busy, then done or the error.
//!
//! Why here: every form of every section ends the same way, and doing it
//! by hand (a busy signal, an error signal, a `spawn_local`, the error
//! mapped to words) in each form is how they drifted apart. Nothing is
//! written when the record was refused before the save (`built` is an
//! `Err`), and a second tap while a save runs does nothing.

use std::collections::BTreeMap;
use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;
use xianfeng_core::{Lang, Record, RecordKind};

use super::FormError;
use crate::storage::{self, StorageError};

/// A form's save state: `busy` while writing, `error` when refused.
#[derive(Clone, Copy)]
pub struct Save {
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<FormError>>,
}

impl Default for Save {
    fn default() -> Self {
        Save::new()
    }
}

impl Save {
    pub fn new() -> Self {
        Save {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Shows `error` (nothing is written).
    pub fn refuse(self, error: FormError) {
        self.error.set(Some(error));
    }

    /// Runs `write` (built from what the form holds, or the refusal to
    /// show), then `done`, or shows the storage error in `lang`.
    pub fn run<W>(
        self,
        lang: impl Into<Lang>,
        write: Result<W, FormError>,
        done: impl FnOnce() + 'static,
    ) where
        W: Future<Output = Result<(), StorageError>> + 'static,
    {
        let lang = lang.into();
        if self.busy.get_untracked() {
            return;
        }
        let write = match write {
            Ok(write) => write,
            Err(e) => return self.refuse(e),
        };
        self.error.set(None);
        self.busy.set(true);
        spawn_local(async move {
            let result = write.await;
            self.busy.try_set(false);
            match result {
                Ok(()) => done(),
                Err(e) => {
                    self.error.try_set(Some(FormError::storage(&e, lang)));
                }
            }
        });
    }

    /// Records the fact `built` (or shows its refusal), then `done`.
    pub fn fact(
        self,
        lang: impl Into<Lang>,
        built: Result<Fact, FormError>,
        done: impl FnOnce() + 'static,
    ) {
        let write = built
            .map(|fact| async move { storage::record_fact(fact.kind, fact.id, fact.value).await });
        self.run(lang, write, done);
    }
}

/// A fact ready to record: its kind, id and JSON (one non-generic type,
/// so every fact form shares one save path; bundle size).
pub struct Fact {
    pub kind: RecordKind,
    pub id: Uuid,
    pub value: Value,
}

impl Fact {
    pub fn of<T: Record>(id: Uuid, record: &T) -> Fact {
        Fact {
            kind: T::KIND,
            id,
            value: fact_value(record),
        }
    }
}

/// Records a fact (one transaction with its outbox entry).
pub async fn save_fact<T: Record>(id: Uuid, record: &T) -> Result<(), StorageError> {
    storage::record_fact(T::KIND, id, fact_value(record)).await
}

/// Sets fields of a mutable record (see [`record_fields`] for `only`).
pub async fn save_fields<T: Record>(
    id: Uuid,
    record: &T,
    only: Option<&[String]>,
) -> Result<(), StorageError> {
    storage::record_set(T::KIND, id, record_fields(record, only)).await
}

/// A fact's JSON for `storage::record_fact`.
pub fn fact_value<T: Serialize>(record: &T) -> Value {
    serde_json::to_value(record).unwrap_or_default()
}

/// A mutable record's fields for `storage::record_set`: `only` those
/// named (an edit must not make untouched fields compete with other
/// phones' edits), or every field but the id for a new record. A field
/// the record leaves out (an optional one cleared) is set to `null`.
pub fn record_fields<T: Serialize>(record: &T, only: Option<&[String]>) -> BTreeMap<String, Value> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(record) else {
        return BTreeMap::new();
    };
    map.remove("id");
    match only {
        Some(names) => names
            .iter()
            .map(|name| (name.clone(), map.remove(name).unwrap_or(Value::Null)))
            .collect(),
        None => map.into_iter().collect(),
    }
}

/// The fields whose values differ between two versions of a record (an
/// optional field left out counts as `null`). An edit sends only these,
/// so other phones' edits of other fields stand.
pub fn changed_fields<T: Serialize>(old: &T, new: &T) -> Vec<String> {
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    let differs = |n: &String| n != "id" && old.get(n) != new.get(n);
    let mut names: Vec<String> = new.keys().filter(|n| differs(n)).cloned().collect();
    names.extend(
        old.keys()
            .filter(|n| !new.contains_key(*n) && differs(n))
            .cloned(),
    );
    names
}
