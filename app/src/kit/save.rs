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
use std::pin::Pin;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;
use xianfeng_core::{Actor, Directory, Lang, Record, RecordKind};

use super::{may_write, may_write_with, FormError};
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

    /// A save whose refusals show in `error` (a form's own signal, shared
    /// with its fields).
    pub fn with_error(error: RwSignal<Option<FormError>>) -> Self {
        Save {
            busy: RwSignal::new(false),
            error,
        }
    }

    /// A form's submit handler: `build` the writes from what the form
    /// holds (and what `done` needs), make them in order, then `done`.
    pub fn on_submit<R: 'static>(
        self,
        lang: impl Into<Lang>,
        build: impl Fn() -> Result<(Vec<Write>, R), FormError> + Clone + 'static,
        done: impl Fn(R) + Clone + 'static,
    ) -> impl Fn(SubmitEvent) + Clone + 'static {
        let lang = lang.into();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            match build() {
                Ok((writes, r)) => {
                    let done = done.clone();
                    self.writes(lang, Ok(writes), move || done(r));
                }
                Err(e) => self.refuse(e),
            }
        }
    }

    /// Shows `error` (nothing is written).
    pub fn refuse(self, error: FormError) {
        self.error.set(Some(error));
    }

    /// Makes `write` (or shows its refusal), then `done`.
    pub fn write(
        self,
        lang: impl Into<Lang>,
        write: Result<Write, FormError>,
        done: impl FnOnce() + 'static,
    ) {
        self.writes(lang, write.map(|w| vec![w]), done);
    }

    /// Makes `writes` in order, each its own transaction (or shows the
    /// refusal, writing nothing), then `done`.
    pub fn writes(
        self,
        lang: impl Into<Lang>,
        writes: Result<Vec<Write>, FormError>,
        done: impl FnOnce() + 'static,
    ) {
        self.start(lang.into(), writes.map(commit_all), Box::new(done));
    }

    /// What every save runs, boxed so that it is compiled once, not once
    /// per form (bundle size): a second tap while busy does nothing.
    fn start(self, lang: Lang, write: Result<Pending, FormError>, done: Box<dyn FnOnce()>) {
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
}

/// A save's writes, under way.
type Pending = Pin<Box<dyn Future<Output = Result<(), StorageError>>>>;

fn commit_all(writes: Vec<Write>) -> Pending {
    Box::pin(async move {
        for write in writes {
            write.commit().await?;
        }
        Ok(())
    })
}

/// One write a form makes, checked before anything is stored: core built
/// the record (so it is valid), and core's rule lets this phone write it
/// where it goes ([`may_write`], as the server will check). One
/// non-generic type, so every form shares one save path (bundle size).
pub struct Write {
    kind: RecordKind,
    id: Uuid,
    change: Change,
}

enum Change {
    /// A fact, whole.
    Fact(Value),
    /// A mutable record's fields (see [`record_fields`]).
    Fields(BTreeMap<String, Value>),
}

impl Write {
    /// A new fact, if `actor` may write it.
    pub fn fact<T: Record>(
        actor: Option<Actor>,
        id: Uuid,
        record: &T,
        lang: impl Into<Lang>,
    ) -> Result<Write, FormError> {
        Write::checked(
            may_write(actor, record),
            id,
            record,
            lang,
            Change::Fact(record_json(record)),
        )
    }

    /// A mutable record's fields (`only` those named, for an edit; all for
    /// a new record), if `actor` may write the record as they leave it.
    pub fn fields<T: Record>(
        actor: Option<Actor>,
        id: Uuid,
        record: &T,
        only: Option<&[String]>,
        lang: impl Into<Lang>,
    ) -> Result<Write, FormError> {
        let fields = record_fields(record_json(record), only);
        Write::checked(
            may_write(actor, record),
            id,
            record,
            lang,
            Change::Fields(fields),
        )
    }

    /// A new org record (all its fields) placed with `directory`: roster
    /// records saved with branches not stored yet ([`may_write_with`]).
    pub fn org_record<T: Record>(
        actor: Option<Actor>,
        id: Uuid,
        record: &T,
        directory: &Directory,
        lang: impl Into<Lang>,
    ) -> Result<Write, FormError> {
        let allowed = may_write_with(actor, record, directory);
        let fields = record_fields(record_json(record), None);
        Write::checked(allowed, id, record, lang, Change::Fields(fields))
    }

    fn checked<T: Record>(
        allowed: bool,
        id: Uuid,
        _: &T,
        lang: impl Into<Lang>,
        change: Change,
    ) -> Result<Write, FormError> {
        if !allowed {
            return Err(FormError::not_allowed(lang));
        }
        Ok(Write {
            kind: T::KIND,
            id,
            change,
        })
    }

    /// Stores it: one transaction with its outbox entry.
    pub async fn commit(self) -> Result<(), StorageError> {
        match self.change {
            Change::Fact(value) => storage::record_fact(self.kind, self.id, value).await,
            Change::Fields(fields) => storage::record_set(self.kind, self.id, fields).await,
        }
    }
}

/// A record's JSON: a fact's for `storage::record_fact`, and what the
/// functions below take instead of the record's type, so that each is
/// compiled once, not once per kind (bundle size).
fn record_json<T: Serialize>(record: &T) -> Value {
    serde_json::to_value(record).unwrap_or_default()
}

/// A mutable record's fields for `storage::record_set`: `only` those
/// named (an edit must not make untouched fields compete with other
/// phones' edits), or every field but the id for a new record. A field
/// the record leaves out (an optional one cleared) is set to `null`.
fn record_fields(record: Value, only: Option<&[String]>) -> BTreeMap<String, Value> {
    let Value::Object(mut map) = record else {
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
    changed(record_json(old), record_json(new))
}

fn changed(old: Value, new: Value) -> Vec<String> {
    let (Value::Object(old), Value::Object(new)) = (old, new) else {
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
