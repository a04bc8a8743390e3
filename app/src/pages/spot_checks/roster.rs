//! 名册: the organisation the checks are counted against. The office adds
//! systems, units, inspection groups (with the units each visits twice a
//! week) and inspectors (督导员: the records an inspector's phone checks
//! as); each unit opens its member roster ([`super::roster_unit`]). A
//! cadre sees the units holding their branch. What a phone may add is
//! core's `Actor::may_write` where core places the record; the forms show
//! only what it allows, and the save asks again.

use std::sync::Arc;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use xianfeng_core::ids::{BranchId, GroupId, InspectorId, SystemId, UnitId};
use xianfeng_core::org::{Branch, InspectionGroup, Inspector, System, Unit};
use xianfeng_core::Record;

use super::data::{new_member, save, Org};
use super::draft::{choice, draft};
use super::{no_param, row, screen, t, Reload, Snap};
use crate::i18n::{fill, I18n, Msg, SpotMsg, Text};
use crate::kit::{self, FormError, Kind, Save};

/// What the last save did: in context, so it outlives the reload the
/// save causes.
#[derive(Clone, Copy)]
pub(super) struct Note(pub RwSignal<Option<String>>);

/// The note line, where a screen shows it.
pub(super) fn note_line() -> impl IntoView {
    let Note(note) = expect_context::<Note>();
    view! { <p class="spot-ok" role="status" data-testid="roster-note">{move || note.get()}</p> }
}

#[component]
pub fn RosterPage() -> impl IntoView {
    provide_context(Note(RwSignal::new(None)));
    screen("page-roster", Reload::Live, no_param(), roster_view)
}

/// Whether a record like `sample` may be written by this phone.
fn may<T: Record>(r: &Snap, sample: &T) -> bool {
    super::data::may_save(&r.identity, &r.org.directory, sample)
}

fn roster_view(r: Arc<Snap>, _: String) -> AnyView {
    let Note(note) = expect_context::<Note>();
    let lang = super::lang();
    // Units this phone may edit the roster of: a new branch there, or a
    // new member in one of its branches (probes of what the forms write).
    let new_branch = |unit| Branch {
        id: BranchId::from_u128(0),
        unit,
        name: "x".into(),
    };
    let units: Vec<&Unit> = r
        .org
        .units
        .iter()
        .filter(|u| {
            may(&r, &new_branch(u.id))
                || r.org
                    .branches_of(u.id)
                    .iter()
                    .any(|b| may(&r, &new_member(b.id)))
        })
        .collect();
    // The org chart is the office's (a system is written city-wide).
    let office_like = may(
        &r,
        &System {
            id: SystemId::from_u128(0),
            name: "x".into(),
        },
    );
    let mut unit_rows: Vec<AnyView> = units
        .iter()
        .map(|u| {
            let count = fill(
                SpotMsg::MemberCount.text(lang),
                &[("n", &r.org.members_of(u.id).len())],
            );
            row(
                u.name.clone(),
                format!("{} · {count}", r.org.system_name(u.system)),
                Some(format!("/spot-checks/roster/{}", u.id)),
            )
        })
        .collect();
    if unit_rows.is_empty() {
        unit_rows.push(row(t(SpotMsg::NoUnits).to_string(), String::new(), None));
    }
    view! {
        <h2>{t(SpotMsg::RosterTitle)}</h2>
        {note_line()}
        {super::list_card("roster-units", t(SpotMsg::Units), None, unit_rows)}
        {office_like
            .then(|| {
                view! {
                    <AddUnit roster=r.clone() note=note/>
                    <AddSystem roster=r.clone() note=note/>
                    <Groups roster=r.clone() note=note/>
                    <Inspectors roster=r.clone() note=note/>
                }
            })}
    }
    .into_any()
}

/// The field the roster's forms show errors under (others above the button).
const NAME: &[&str] = &["name"];

/// Saves `record` named `name`'s text: an error stays under the form;
/// once saved, the name is cleared, `then` runs and the page's note says
/// 已添加 (the page reloads after a write).
fn submit_record<T: Record + 'static>(
    roster: &Arc<Snap>,
    id: uuid::Uuid,
    record: Result<T, xianfeng_core::DomainError>,
    error: RwSignal<Option<FormError>>,
    note: RwSignal<Option<String>>,
    name: RwSignal<String>,
    then: impl FnOnce() + 'static,
) {
    let lang = I18n::use_context().lang();
    let text = name.get_untracked();
    let done = move || {
        name.set(String::new());
        then();
        fill(SpotMsg::Added.text(lang), &[("name", &text)])
    };
    let record = match record {
        Ok(r) => r,
        Err(e) => return error.set(Some(FormError::domain(&e, lang))),
    };
    let r = roster.clone();
    spawn_local(async move {
        match save(&r.identity, &r.org.directory, id, &record, lang).await {
            Ok(()) => {
                error.try_set(None);
                note.set(Some(done()));
            }
            Err(e) => {
                error.try_set(Some(e));
            }
        }
    });
}

#[component]
fn AddSystem(roster: Arc<Snap>, note: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let name = draft("system.name", String::new);
    let error = RwSignal::new(None);
    let list = roster
        .org
        .systems
        .iter()
        .map(|s| s.name.clone())
        .collect::<Vec<_>>()
        .join(Msg::ListSep.text(lang));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let id = SystemId::generate();
        submit_record(
            &roster,
            *id.as_uuid(),
            System::new(id, name.get_untracked()),
            error,
            note,
            name,
            || {},
        );
    };
    view! {
        <form class="card form" on:submit=submit data-testid="add-system">
            <h3>{SpotMsg::Systems.text(lang)}</h3>
            <p class="muted">{list}</p>
            {kit::input(SpotMsg::SystemName.text(lang), "name", Kind::Text, name, error, "name")}
            {kit::submit_row(Save { busy: RwSignal::new(false), error }, NAME, SpotMsg::AddSystem.text(lang), None)}
        </form>
    }
}

/// A form's choice of system (kept across reloads) and its `<option>`s.
fn system_choice(key: &'static str, org: &Org) -> (RwSignal<String>, impl IntoView) {
    let list: Vec<(String, String)> = org
        .systems
        .iter()
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();
    choice(key, list)
}

#[component]
fn AddUnit(roster: Arc<Snap>, note: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let name = draft("unit.name", String::new);
    let (system, options) = system_choice("unit.system", &roster.org);
    let error = RwSignal::new(None);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(sys) = system.get_untracked().parse::<SystemId>() else {
            return error.set(Some(FormError::domain(
                &xianfeng_core::DomainError::EmptyName { field: "system" },
                lang,
            )));
        };
        let id = UnitId::generate();
        submit_record(
            &roster,
            *id.as_uuid(),
            Unit::new(id, sys, name.get_untracked()),
            error,
            note,
            name,
            || {},
        );
    };
    view! {
        <form class="card form" on:submit=submit data-testid="add-unit">
            <h3>{SpotMsg::AddUnit.text(lang)}</h3>
            {kit::input(SpotMsg::UnitName.text(lang), "name", Kind::Text, name, error, "name")}
            {kit::select(SpotMsg::System.text(lang), system, options.into_any())}
            {kit::submit_row(Save { busy: RwSignal::new(false), error }, NAME, SpotMsg::AddUnit.text(lang), None)}
        </form>
    }
}

#[component]
fn Groups(roster: Arc<Snap>, note: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let name = draft("group.name", String::new);
    let (system, options) = system_choice("group.system", &roster.org);
    let picked = draft("group.units", Vec::<UnitId>::new);
    let error = RwSignal::new(None);
    let existing = roster
        .org
        .groups
        .iter()
        .map(|g| {
            let units: Vec<String> = g.units.iter().map(|u| roster.org.unit_name(*u)).collect();
            view! {
                <li>
                    <span class="spot-row-title">{g.name.clone()}</span>
                    <span class="muted">{roster.org.system_name(g.system)} " · " {units.join(Msg::ListSep.text(lang))}</span>
                </li>
            }
        })
        .collect_view();
    let units = roster.org.units.clone();
    let unit_boxes = move || {
        let sys = system.get();
        units
            .iter()
            .filter(|u| u.system.to_string() == sys)
            .map(|u| {
                let id = u.id;
                view! {
                    <label class="choice">
                        <input
                            type="checkbox"
                            prop:checked=move || picked.with(|p| p.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                picked.update(|p| {
                                    p.retain(|x| *x != id);
                                    if on {
                                        p.push(id);
                                    }
                                });
                            }
                        />
                        <span>{u.name.clone()}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let r = roster.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(sys) = system.get_untracked().parse::<SystemId>() else {
            return;
        };
        let in_system: Vec<UnitId> = picked
            .get_untracked()
            .into_iter()
            .filter(|u| r.org.unit(*u).is_some_and(|x| x.system == sys))
            .collect();
        let id = GroupId::generate();
        let record = InspectionGroup::new(id, name.get_untracked(), sys, in_system);
        submit_record(&r, *id.as_uuid(), record, error, note, name, move || {
            picked.set(Vec::new())
        });
    };
    view! {
        <form class="card form" on:submit=submit data-testid="add-group">
            <h3>{SpotMsg::Groups.text(lang)}</h3>
            <ul class="spot-list">{existing}</ul>
            {kit::input(SpotMsg::GroupName.text(lang), "name", Kind::Text, name, error, "name")}
            {kit::select(SpotMsg::System.text(lang), system, options.into_any())}
            <fieldset class="spot-fieldset">
                <legend>{SpotMsg::GroupUnits.text(lang)}</legend>
                {unit_boxes}
            </fieldset>
            {kit::submit_row(Save { busy: RwSignal::new(false), error }, NAME, SpotMsg::AddGroup.text(lang), None)}
        </form>
    }
}

#[component]
fn Inspectors(roster: Arc<Snap>, note: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let name = draft("inspector.name", String::new);
    // "" is the first option (无: office staff).
    let list: Vec<(String, String)> =
        std::iter::once((String::new(), SpotMsg::NoGroup.text(lang).to_string()))
            .chain(
                roster
                    .org
                    .groups
                    .iter()
                    .map(|g| (g.id.to_string(), g.name.clone())),
            )
            .collect();
    let (group, options) = choice("inspector.group", list);
    let error = RwSignal::new(None);
    let existing = roster
        .org
        .inspectors
        .iter()
        .map(|i| {
            let g = i
                .group
                .and_then(|g| roster.org.groups.iter().find(|x| x.id == g))
                .map(|g| g.name.clone());
            view! {
                <li>
                    <span class="spot-row-title">{i.name.clone()}</span>
                    " "
                    <span class="muted">{g}</span>
                </li>
            }
        })
        .collect_view();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let g = group.get_untracked().parse::<GroupId>().ok();
        let id = InspectorId::generate();
        submit_record(
            &roster,
            *id.as_uuid(),
            Inspector::new(id, name.get_untracked(), g),
            error,
            note,
            name,
            || {},
        );
    };
    view! {
        <form class="card form" on:submit=submit data-testid="add-inspector">
            <h3>{SpotMsg::Inspectors.text(lang)}</h3>
            <p class="hint">{SpotMsg::InspectorsHint.text(lang)}</p>
            <ul class="spot-list">{existing}</ul>
            {kit::input(SpotMsg::InspectorName.text(lang), "name", Kind::Text, name, error, "name")}
            {kit::select(SpotMsg::Group.text(lang), group, options.into_any())}
            {kit::submit_row(Save { busy: RwSignal::new(false), error }, NAME, SpotMsg::AddInspector.text(lang), None)}
        </form>
    }
}
