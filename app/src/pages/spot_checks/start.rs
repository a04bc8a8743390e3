//! 开始巡察: where (a unit in this phone's scope, searchable, the most
//! recently checked first; or a public place), 明查 or 暗访, and when
//! (filled in with now). Starting records the spot check at once (a fact:
//! the visit happened, and it is what the twice-a-week quota counts), then
//! opens the member list.
//!
//! The check is made as this phone's inspector record (see
//! [`super::data::my_inspector`]); an office phone without one creates its
//! own here, first (no group), since core lets the office write inspectors.

use std::sync::Arc;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use xianfeng_core::ids::{CheckId, InspectorId, UnitId};
use xianfeng_core::order;
use xianfeng_core::org::Inspector;
use xianfeng_core::spotcheck::{local_instant, CheckMode, Place, SpotCheck};
use xianfeng_core::{DomainError, Role};

use super::data::actor;
use super::{no_param, screen, Reload, Snap};
use crate::i18n::{SpotMsg, Text};
use crate::kit::{self, FieldError, FormAlert, FormError, OrForm, Save, Write};

#[component]
pub fn StartCheck() -> impl IntoView {
    // Loaded once: a pull must not reset what the inspector is choosing.
    screen("page-start-check", Reload::Once, no_param(), start_form)
}

/// Units this phone may check, the most recently checked first.
fn units_in_scope(snap: &Snap) -> Vec<(UnitId, String)> {
    let who = Some(actor(&snap.identity));
    // A check this phone would start at a unit (core places it there).
    let now = crate::local_time::now_local();
    let probe = |unit: UnitId| {
        let (inspector, group) = snap
            .me
            .as_ref()
            .map_or((InspectorId::from_u128(0), None), |me| (me.id, me.group));
        SpotCheck::new(
            CheckId::from_u128(0),
            inspector,
            group,
            Place::Unit { unit },
            now.clone()?,
            CheckMode::Announced,
            "",
        )
    };
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
        .filter(|u| probe(u.id).is_ok_and(|c| kit::may_write(who, &c)))
        .map(|u| {
            let last = last_visit.iter().find(|(x, _)| *x == u.id).map(|e| e.1);
            (u.id, u.name.clone(), last)
        })
        .collect();
    // Recent first (never visited last), then by name.
    order::sort_by(&mut units, |a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    units.into_iter().map(|(id, name, _)| (id, name)).collect()
}

/// The fields the form shows errors under.
const FIELDS: &[&str] = &["unit", "public", "at"];

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
    let save = Save::new();
    let error = save.error;

    let r = ready.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let built = (|| {
            let at = parse_local(&when.get_untracked()).or_form(lang)?;
            let (place, place_field) = if at_unit.get_untracked() {
                let unit = unit
                    .get_untracked()
                    .parse::<UnitId>()
                    .map_err(|_| FormError::at("unit", SpotMsg::ErrPickUnit.text(lang)))?;
                (Place::Unit { unit }, "unit")
            } else {
                let description = public.get_untracked();
                (Place::Public { description }, "public")
            };
            let identity = &r.identity;
            let who = Some(actor(identity));
            // The office's own inspector record, made now if it has none.
            let (inspector, new_inspector) = match &r.me {
                Some(me) => (me.clone(), false),
                None => {
                    let made = Inspector::new(InspectorId::generate(), identity.name.clone(), None);
                    (
                        made.map_err(|e| FormError::new(None, e.message(lang)))?,
                        true,
                    )
                }
            };
            let check = SpotCheck::new(
                CheckId::generate(),
                inspector.id,
                inspector.group,
                place,
                at,
                mode.get_untracked(),
                "",
            )
            .map_err(|e| match e {
                DomainError::InvalidDate { .. } => FormError::at("at", e.message(lang)),
                _ => FormError::at(place_field, e.message(lang)),
            })?;
            let mut writes = Vec::new();
            if new_inspector {
                let id = *inspector.id.as_uuid();
                writes.push(Write::fields(who, id, &inspector, None, lang)?);
            }
            // Placed as the server will place it (a public place by the
            // inspector's group).
            let out_of_scope = || FormError::at(place_field, SpotMsg::ErrOutOfScope.text(lang));
            writes.push(
                Write::fact(who, *check.id.as_uuid(), &check, lang).map_err(|_| out_of_scope())?,
            );
            Ok((check.id, writes))
        })();
        let mut href = String::from("/spot-checks/check/");
        let writes = built.map(|(id, writes)| {
            href.push_str(&id.to_string());
            writes
        });
        let navigate = navigate.clone();
        save.writes(lang, writes, move || {
            navigate(&href, NavigateOptions::default())
        });
    };
    let busy = save.busy;

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
                {[(true, SpotMsg::AtUnit), (false, SpotMsg::AtPublicPlace)]
                    .into_iter()
                    .map(|(unit, label)| {
                        kit::pick("place_kind", "", label.text(lang).into(), at_unit, unit)
                    })
                    .collect_view()}
            </fieldset>
            <fieldset class="card" class:spot-hidden=move || !at_unit.get()>
                <legend>{SpotMsg::Unit.text(lang)}</legend>
                <label class="field">
                    <span>{SpotMsg::SearchUnit.text(lang)}</span>
                    <input type="search" bind:value=query autocomplete="off"/>
                </label>
                {no_units.then(|| view! { <p class="muted">{SpotMsg::NoUnitsInScope.text(lang)}</p> })}
                <div class="spot-choices" data-testid="unit-choices">{unit_choices}</div>
                <FieldError error=error field="unit"/>
            </fieldset>
            <div class="card" class:spot-hidden=move || at_unit.get()>
                <label class="field">
                    <span>{SpotMsg::PublicPlace.text(lang)}</span>
                    <input type="text" maxlength="64" bind:value=public/>
                </label>
                <FieldError error=error field="public"/>
            </div>
            <fieldset class="card">
                <legend>{SpotMsg::Mode.text(lang)}</legend>
                {[CheckMode::Announced, CheckMode::Unannounced]
                    .into_iter()
                    .map(|m| {
                        kit::pick("mode", m.code(), m.label(lang).into(), mode, m)
                    })
                    .collect_view()}
            </fieldset>
            <div class="card">
                <label class="field">
                    <span>{SpotMsg::When.text(lang)}</span>
                    <input type="datetime-local" bind:value=when required/>
                </label>
                <FieldError error=error field="at"/>
            </div>
            <FormAlert error=error fields=FIELDS/>
            <div class="spot-actionbar">
                <button type="submit" class="btn spot-primary" disabled=move || busy.get()>
                    {SpotMsg::BeginCheck.text(lang)}
                </button>
            </div>
        </form>
    }
    .into_any()
}
