//! What the 示范岗 screens read from the phone's storage, as core's types
//! ([`Board`]), plus the small helpers every screen of the section shares:
//! today's date, the current instant, who this phone is ([`actor`]) and
//! where a core error belongs in a form ([`FormError`]).
//!
//! Why one loader: every screen (list, post, award list, rubric) scores
//! posts with core from the same records, so they are parsed the same way
//! once. Records that do not parse (a record whose fields are still
//! arriving) are left out, never guessed at. Nothing here computes a rule.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use xianfeng_core::calendar::HalfYear;
use xianfeng_core::error::DomainError;
use xianfeng_core::ids::{InspectorId, PostId};
use xianfeng_core::org::{Branch, InspectionGroup, Inspector, Member, System, Unit};
use xianfeng_core::posts::{Commitment, Post, PostCheck, PublicReview, Rubric};
use xianfeng_core::spotcheck::{Ladder, Observation, SpotCheck};
use xianfeng_core::{Actor, Directory, Lang, RecordKind};

pub use crate::local_time::{now_rfc3339, today};
use crate::storage::{self, RecordView, Storage, StorageError};
use crate::sync::SyncStatus;

/// Every record the section reads, parsed.
#[derive(Default)]
pub struct Board {
    pub systems: Vec<System>,
    pub units: Vec<Unit>,
    pub members: Vec<Member>,
    pub inspectors: Vec<Inspector>,
    pub directory: Directory,
    pub posts: Vec<Post>,
    pub commitments: Vec<Commitment>,
    pub reviews: Vec<PublicReview>,
    pub checks: Vec<PostCheck>,
    pub rubrics: Vec<Rubric>,
    pub ladder: Ladder,
    /// Names of systems, units, members and inspectors by id.
    names: HashMap<Uuid, String>,
    /// Records with something not yet on the server.
    unsent: HashSet<Uuid>,
}

/// Parses views, remembering which are unsent.
fn parse<T: DeserializeOwned>(views: Vec<RecordView>, unsent: &mut HashSet<Uuid>) -> Vec<T> {
    views
        .into_iter()
        .filter_map(|v| {
            if v.unsent {
                unsent.insert(v.id);
            }
            // Through `&Value`, as core's validation reads records: one
            // deserialiser per record type in the bundle, not two.
            T::deserialize(&v.value).ok()
        })
        .collect()
}

async fn all<T: DeserializeOwned>(
    db: &Storage,
    kind: RecordKind,
    unsent: &mut HashSet<Uuid>,
) -> Result<Vec<T>, StorageError> {
    Ok(parse(db.list(kind).await?, unsent))
}

impl Board {
    pub async fn load() -> Result<Board, StorageError> {
        let db = storage::shared().await?;
        let mut u = HashSet::new();
        let branches: Vec<Branch> = all(&db, RecordKind::Branch, &mut u).await?;
        let groups: Vec<InspectionGroup> = all(&db, RecordKind::InspectionGroup, &mut u).await?;
        let spot_checks: Vec<SpotCheck> = all(&db, RecordKind::SpotCheck, &mut u).await?;
        let observations: Vec<Observation> = all(&db, RecordKind::Observation, &mut u).await?;
        let mut board = Board {
            systems: all(&db, RecordKind::System, &mut u).await?,
            units: all(&db, RecordKind::Unit, &mut u).await?,
            members: all(&db, RecordKind::Member, &mut u).await?,
            inspectors: all(&db, RecordKind::Inspector, &mut u).await?,
            posts: all(&db, RecordKind::Post, &mut u).await?,
            commitments: all(&db, RecordKind::Commitment, &mut u).await?,
            reviews: all(&db, RecordKind::PublicReview, &mut u).await?,
            checks: all(&db, RecordKind::PostCheck, &mut u).await?,
            rubrics: all(&db, RecordKind::Rubric, &mut u).await?,
            ladder: Ladder::compute(&spot_checks, &observations),
            ..Board::default()
        };
        board.directory = Directory::new(&board.units, &branches, &board.members, &groups);
        let names = board
            .systems
            .iter()
            .map(|s| (*s.id.as_uuid(), s.name.clone()))
            .chain(
                board
                    .units
                    .iter()
                    .map(|x| (*x.id.as_uuid(), x.name.clone())),
            )
            .chain(
                board
                    .members
                    .iter()
                    .map(|m| (*m.id.as_uuid(), m.name.clone())),
            )
            .chain(
                board
                    .inspectors
                    .iter()
                    .map(|i| (*i.id.as_uuid(), i.name.clone())),
            )
            .collect();
        board.names = names;
        board.unsent = u;
        Ok(board)
    }

    /// The name of a system, unit, member or inspector; the id's first
    /// characters while the record has not arrived.
    pub fn name(&self, id: &Uuid) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string()[..8].to_string())
    }

    pub fn post(&self, id: PostId) -> Option<&Post> {
        self.posts.iter().find(|p| p.id == id)
    }

    /// Whether a record has something not yet on the server.
    pub fn is_unsent(&self, id: &Uuid) -> bool {
        self.unsent.contains(id)
    }

    /// The inspector this phone's user most likely is (same name), else
    /// the first one known.
    pub fn default_inspector(&self, user: &str) -> Option<InspectorId> {
        self.inspectors
            .iter()
            .find(|i| i.name == user)
            .or(self.inspectors.first())
            .map(|i| i.id)
    }
}

/// This phone's user as core's [`Actor`], once enrolled: a memo, so what
/// depends on it is recomputed only when the role or scope changes.
pub fn use_actor() -> Memo<Option<Actor>> {
    let status = SyncStatus::use_context();
    Memo::new(move |_| status.with(|s| s.identity.as_ref().map(|i| Actor::new(i.role, i.scope))))
}

/// The enrolled user's name (for the inspector preselection).
pub fn user_name() -> String {
    SyncStatus::use_context().0.with_untracked(|s| {
        s.identity
            .as_ref()
            .map(|i| i.name.clone())
            .unwrap_or_default()
    })
}

fn now() -> js_sys::Date {
    js_sys::Date::new_0()
}

/// The current half-year on this phone (a clock outside the years core
/// accepts is taken as the nearest one).
pub fn this_half_year() -> HalfYear {
    use xianfeng_core::calendar::{Half, MAX_YEAR, MIN_YEAR};
    let d = now();
    let year = (d.get_full_year() as i32).clamp(MIN_YEAR, MAX_YEAR);
    let half = if d.get_month() < 6 {
        Half::H1
    } else {
        Half::H2
    };
    HalfYear::new(year, half).expect("the year is clamped into range")
}

/// The half-year before `period`.
pub fn previous(period: HalfYear) -> HalfYear {
    period
        .start()
        .previous_day()
        .map(HalfYear::of)
        .unwrap_or(period)
}

/// `2010年下半年` / `2010-H2`.
pub fn period_label(lang: Lang, period: HalfYear) -> String {
    match lang {
        Lang::ZhCn => period.label_zh(),
        Lang::En => period.to_string(),
    }
}

/// A refused form: the field it belongs to (a JSON field name, or `None`)
/// and the message, in the language at the time.
#[derive(Clone, Debug, PartialEq)]
pub struct FormError {
    pub field: Option<&'static str>,
    pub message: String,
}

impl FormError {
    pub fn domain(e: &DomainError, lang: Lang) -> FormError {
        FormError {
            field: e.field(),
            message: e.message(lang),
        }
    }

    pub fn storage(e: &StorageError, lang: Lang) -> FormError {
        FormError {
            field: None,
            message: e.message(lang),
        }
    }

    /// A message for `field` (e.g. a required choice not made).
    pub fn at(field: &'static str, message: &str) -> FormError {
        FormError {
            field: Some(field),
            message: message.to_string(),
        }
    }
}

/// The error shown next to `field` (one of `fields` handled by the form;
/// `None`: every error no listed field shows).
pub fn field_error(
    error: RwSignal<Option<FormError>>,
    field: Option<&'static str>,
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| match field {
                    Some(f) => e.field == Some(f),
                    None => !e.field.is_some_and(|f| fields.contains(&f)),
                })
                .map(|e| {
                    view! { <p class="error" role="alert">{e.message.clone()}</p> }
                })
        })
    }
}

/// A mutable record's fields for `storage::record_set` (all but the id).
pub fn fields_of<T: serde::Serialize>(
    record: &T,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    match serde_json::to_value(record) {
        Ok(serde_json::Value::Object(map)) => map.into_iter().filter(|(k, _)| k != "id").collect(),
        _ => Default::default(),
    }
}

/// The end every form of the section shares: the write `save` (one
/// transaction with its outbox entry) runs while the form is busy, then
/// `saved` (clear the fields, go to the new post), or the storage error
/// shows above the buttons.
pub fn save_then(
    busy: RwSignal<bool>,
    error: RwSignal<Option<FormError>>,
    lang: Lang,
    save: impl std::future::Future<Output = Result<(), StorageError>> + 'static,
    saved: impl FnOnce() + 'static,
) {
    error.set(None);
    busy.set(true);
    leptos::task::spawn_local(async move {
        let result = save.await;
        busy.try_set(false);
        match result {
            Ok(()) => saved(),
            Err(e) => {
                error.try_set(Some(FormError::storage(&e, lang)));
            }
        }
    });
}

/// A fact's JSON for `storage::record_fact`.
pub fn fact_of<T: serde::Serialize>(record: &T) -> serde_json::Value {
    serde_json::to_value(record).unwrap_or_default()
}
