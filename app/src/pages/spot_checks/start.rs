//! 开始巡察: where (a unit in this phone's scope, searchable, the most
//! recently checked first; or a public place), 明查 or 暗访, and when
//! (filled in with now). Starting records the spot check at once (a fact:
//! the visit happened, and it is what the twice-a-week quota counts), then
//! opens the member list.
//!
//! The check is made as this phone's inspector record (see
//! [`super::data::my_inspector`]); an office phone without one creates its
//! own here, first (no group), since core lets the office write inspectors.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use serde_json::Value;
use xianfeng_core::ids::{CheckId, InspectorId, UnitId};
use xianfeng_core::org::Inspector;
use xianfeng_core::spotcheck::{local_instant, CheckMode, Place, SpotCheck};
use xianfeng_core::{DomainError, RecordKind, Role};

use super::data::actor;
use super::{no_param, screen, Reload, Snap};
use crate::i18n::{SpotMsg, Text};
use crate::storage;

#[component]
pub fn StartCheck() -> impl IntoView {
    // Loaded once: a pull must not reset what the inspector is choosing.
    screen("page-start-check", Reload::Once, no_param(), start_form)
}

/// Units this phone may check, the most recently checked first.
fn units_in_scope(snap: &Snap) -> Vec<(UnitId, String)> {
    let who = actor(&snap.identity);
    let mut last_visit: Vec<(UnitId, i64)> = Vec::new();
    for c in snap.facts.checks.iter() {
        if let Some(u) = c.place.unit() {
            let t = c.at.unix_timestamp();
            match last_visit.iter_mut().find(|(x, _)| *x == u) {
                Some(e) => e.1 = e.1.max(t),
                None => last_visit.push((u, t)),
            }
        }
    }
    let mut units: Vec<(UnitId, String, Option<i64>)> = snap
        .org
        .units
        .iter()
        .filter(|u| {
            who.may_write(
                RecordKind::SpotCheck,
                &snap.org.directory.unit_location(u.id),
            )
        })
        .map(|u| {
            let last = last_visit.iter().find(|(x, _)| *x == u.id).map(|e| e.1);
            (u.id, u.name.clone(), last)
        })
        .collect();
    // Recent first (never visited last), then by name.
    units.sort_unstable_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    units.into_iter().map(|(id, name, _)| (id, name)).collect()
}

/// Which field an error belongs next to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Unit,
    Public,
    Time,
    Submit,
}

/// `YYYY-MM-DDTHH:MM` for a `datetime-local` input, in the phone's time.
fn local_input_value(d: &js_sys::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The instant a `datetime-local` value names on this phone.
fn parse_local(value: &str) -> Result<time::OffsetDateTime, DomainError> {
    let d = js_sys::Date::new(&value.into());
    let ms = d.get_time();
    if value.is_empty() || ms.is_nan() {
        return Err(DomainError::InvalidDate {
            field: "at",
            value: value.to_string(),
        });
    }
    local_instant(ms as i64, -(d.get_timezone_offset() as i32))
}

fn start_form(ready: Arc<Snap>, _: String) -> AnyView {
    let lang = super::lang();
    let navigate = use_navigate();
    let needs_me = ready.me.is_none() && ready.identity.role == Role::Inspector;
    let at_unit = RwSignal::new(true);
    let unit = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let public = RwSignal::new(String::new());
    let mode = RwSignal::new(CheckMode::Announced);
    let when = RwSignal::new(local_input_value(&js_sys::Date::new_0()));
    let error = RwSignal::new(None::<(Field, String)>);
    let busy = RwSignal::new(false);
    let error_at = move |field: Field| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|(f, _)| *f == field)
                    .map(|(_, text)| view! { <p class="error" role="alert">{text.clone()}</p> })
            })
        }
    };

    let r = ready.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let fail = move |field: Field, text: String| error.set(Some((field, text)));
        let at = match parse_local(&when.get_untracked()) {
            Ok(at) => at,
            Err(e) => return fail(Field::Time, e.message(lang)),
        };
        let place = if at_unit.get_untracked() {
            match unit.get_untracked().parse::<UnitId>() {
                Ok(u) => Place::Unit { unit: u },
                Err(_) => return fail(Field::Unit, SpotMsg::ErrPickUnit.text(lang).to_string()),
            }
        } else {
            Place::Public {
                description: public.get_untracked(),
            }
        };
        let place_field = if at_unit.get_untracked() {
            Field::Unit
        } else {
            Field::Public
        };
        let identity = r.identity.clone();
        // The office's own inspector record, made now if it has none.
        let (inspector, new_inspector) = match &r.me {
            Some(me) => (me.clone(), false),
            None => match Inspector::new(InspectorId::generate(), identity.name.clone(), None) {
                Ok(i) => (i, true),
                Err(e) => return fail(Field::Submit, e.message(lang)),
            },
        };
        let location = r.org.place_location(&place, Some(&inspector));
        if !actor(&identity).may_write(RecordKind::SpotCheck, &location) {
            return fail(place_field, SpotMsg::ErrOutOfScope.text(lang).to_string());
        }
        let check = match SpotCheck::new(
            CheckId::generate(),
            inspector.id,
            inspector.group,
            place,
            at,
            mode.get_untracked(),
            "",
        ) {
            Ok(c) => c,
            Err(e) => {
                let field = match e {
                    DomainError::InvalidDate { .. } => Field::Time,
                    _ => place_field,
                };
                return fail(field, e.message(lang));
            }
        };
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = async {
                if new_inspector {
                    let mut fields = BTreeMap::new();
                    fields.insert("name".to_string(), Value::from(inspector.name.clone()));
                    storage::record_set(RecordKind::Inspector, *inspector.id.as_uuid(), fields)
                        .await?;
                }
                let value = serde_json::to_value(&check).map_err(storage::json_err)?;
                storage::record_fact(RecordKind::SpotCheck, *check.id.as_uuid(), value).await
            }
            .await;
            busy.set(false);
            match result {
                Ok(()) => navigate(
                    &format!("/spot-checks/check/{}", check.id),
                    NavigateOptions::default(),
                ),
                Err(e) => error.set(Some((Field::Submit, e.message(lang)))),
            }
        });
    };

    let units = units_in_scope(&ready);
    let no_units = units.is_empty();
    let unit_choices = units
        .into_iter()
        .map(|(id, name)| {
            let value = id.to_string();
            let v = value.clone();
            let n = name.clone();
            let hidden = move || {
                let q = query.get();
                let q = q.trim();
                !q.is_empty() && !n.contains(q)
            };
            view! {
                <label class="choice spot-choice" class:spot-hidden=hidden>
                    <input
                        type="radio"
                        name="unit"
                        value=value
                        prop:checked=move || unit.with(|u| *u == v)
                        on:change=move |ev| unit.set(event_target_value(&ev))
                    />
                    <span>{name}</span>
                </label>
            }
        })
        .collect_view();

    view! {
        <h2>{SpotMsg::StartTitle.text(lang)}</h2>
        {needs_me
            .then(|| {
                view! {
                    <div class="empty" role="alert">
                        <p>{SpotMsg::PickMeFirst.text(lang)}</p>
                        <a class="btn" href="/spot-checks">{SpotMsg::BackHome.text(lang)}</a>
                    </div>
                }
            })}
        <form class="form spot-start" on:submit=submit class:spot-hidden=needs_me>
            <fieldset class="card">
                <legend>{SpotMsg::Place.text(lang)}</legend>
                <label class="choice">
                    <input type="radio" name="place_kind" prop:checked=move || at_unit.get() on:change=move |_| at_unit.set(true)/>
                    <span>{SpotMsg::AtUnit.text(lang)}</span>
                </label>
                <label class="choice">
                    <input type="radio" name="place_kind" prop:checked=move || !at_unit.get() on:change=move |_| at_unit.set(false)/>
                    <span>{SpotMsg::AtPublicPlace.text(lang)}</span>
                </label>
            </fieldset>
            <fieldset class="card" class:spot-hidden=move || !at_unit.get()>
                <legend>{SpotMsg::Unit.text(lang)}</legend>
                <label class="field">
                    <span>{SpotMsg::SearchUnit.text(lang)}</span>
                    <input type="search" bind:value=query autocomplete="off"/>
                </label>
                {no_units.then(|| view! { <p class="muted">{SpotMsg::NoUnitsInScope.text(lang)}</p> })}
                <div class="spot-choices" data-testid="unit-choices">{unit_choices}</div>
                {error_at(Field::Unit)}
            </fieldset>
            <div class="card" class:spot-hidden=move || at_unit.get()>
                <label class="field">
                    <span>{SpotMsg::PublicPlace.text(lang)}</span>
                    <input type="text" maxlength="64" bind:value=public/>
                </label>
                {error_at(Field::Public)}
            </div>
            <fieldset class="card">
                <legend>{SpotMsg::Mode.text(lang)}</legend>
                {[CheckMode::Announced, CheckMode::Unannounced]
                    .into_iter()
                    .map(|m| {
                        view! {
                            <label class="choice">
                                <input
                                    type="radio"
                                    name="mode"
                                    prop:checked=move || mode.get() == m
                                    on:change=move |_| mode.set(m)
                                />
                                <span>{m.label(lang)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="card">
                <label class="field">
                    <span>{SpotMsg::When.text(lang)}</span>
                    <input type="datetime-local" bind:value=when required/>
                </label>
                {error_at(Field::Time)}
            </div>
            {error_at(Field::Submit)}
            <div class="spot-actionbar">
                <button type="submit" class="btn spot-primary" disabled=move || busy.get()>
                    {SpotMsg::BeginCheck.text(lang)}
                </button>
            </div>
        </form>
    }
    .into_any()
}
