//! `/study`: the study stage of this phone's scope — its figures (参学率,
//! 两个确保, hours per member, 三个完成 …), the way to record a session,
//! each unit's figures and 转段评估 stage (wider scopes), the sessions.
//!
//! A role's own work first: a branch cadre sees 记一次学习 and its
//! sessions; an inspector its units' 转段评估; the office every unit.

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::sections::Section;
use xianfeng_core::study::hours_text;
use xianfeng_core::{RecordKind, Role, Scope};

use super::data::Shared;
use super::figures::{figures_card, hours, share};
use super::list::{cards, Row};
use super::{lang, page, t};
use crate::i18n::{fill, StudyMsg};
use crate::kit;

#[component]
pub fn StudyHome() -> impl IntoView {
    view! {
        <div>
            {kit::read_only_note(Section::Study)}
            {page("page-study", Some(StudyMsg::Title), kit::Reload::Live, home)}
        </div>
    }
}

fn home(d: Shared) -> AnyView {
    let scope = d.scope();
    let figures = d.index.figures(&scope);
    let actor = d.actor();
    let may_hold = !d.branches_for_sessions().is_empty();
    let may_settle = actor.is_some_and(|a| a.role == Role::Office && a.scope == Scope::City);
    let reviews = kit::may_write_in_scope(actor, RecordKind::TransitionReview);
    let wide = !matches!(scope, Scope::Branch(_));
    // A 转段评估 sits at its unit: a branch's phone holds none to show.
    let has_units = !d.units_in(&scope).is_empty();
    view! {
        {figures_card(&figures, d.settings())}
        <div class="actions study-actions">
            {may_hold.then(|| view! { <A href="/study/new" attr:class="btn">{t(StudyMsg::NewSession)}</A> })}
            <A href="/study/members" attr:class="btn btn-secondary">{t(StudyMsg::Members)}</A>
            {has_units.then(|| view! {
                <A
                    href="/study/transition"
                    attr:class=if reviews { "btn" } else { "btn btn-secondary" }
                >
                    {t(StudyMsg::Transition)}
                </A>
            })}
            {may_settle.then(|| view! { <A href="/study/settings" attr:class="btn btn-secondary">{t(StudyMsg::Settings)}</A> })}
        </div>
        {matches!(scope, Scope::City).then(|| systems(&d))}
        {wide.then(|| units(&d, &scope))}
        {sessions(&d, &scope)}
    }
    .into_any()
}

/// Each unit in scope: 参学率, members below the hours target, hours per
/// member, 转段评估 stage; a tap opens the unit.
pub(super) fn units(d: &Shared, scope: &Scope) -> AnyView {
    let lang = lang();
    let by_unit = d.index.by_unit();
    let units = d.units_in(scope);
    let ids: Vec<_> = units.iter().map(|u| u.id).collect();
    let stages = d.statuses(&ids);
    let rows: Vec<Row> = units
        .iter()
        .zip(&stages)
        .map(|(u, status)| {
            let f = by_unit.get(&u.id).copied().unwrap_or_default();
            Row {
                href: format!("/study/unit/{}", u.id),
                title: u.name.clone(),
                line: line(&f),
                chip: Some((status.stage.label(lang).to_string(), "grade-chip")),
            }
        })
        .collect();
    view! {
        <h3>{t(StudyMsg::ByUnit)}</h3>
        {cards("study-units", rows, 20)}
    }
    .into_any()
}

/// Each system of the city: 参学率, below target, hours per member.
fn systems(d: &Shared) -> AnyView {
    let by_system = d.index.by_system();
    let rows: Vec<Row> = d
        .directory
        .systems()
        .map(|id| {
            let f = by_system.get(&id).copied().unwrap_or_default();
            Row {
                href: format!("/study/system/{id}"),
                title: d.system_name(id),
                line: line(&f),
                chip: None,
            }
        })
        .collect();
    view! {
        <h3>{t(StudyMsg::BySystem)}</h3>
        {cards("study-systems", rows, 20)}
    }
    .into_any()
}

/// A scope's line: 参学率, members below the hours target, hours per member.
fn line(f: &xianfeng_core::study::StudyFigures) -> String {
    fill(
        t(StudyMsg::UnitLine),
        &[
            ("share", &share(f.expected_took_part, f.expected)),
            ("below", &f.below_target()),
            ("per", &f.hours_per_member().map_or("—".into(), hours)),
        ],
    )
}

/// The sessions held in scope, newest first; a tap opens its 考勤.
fn sessions(d: &Shared, scope: &Scope) -> AnyView {
    let lang = lang();
    let list = d.sessions_in(scope);
    if list.is_empty() {
        return view! {
            <h3>{t(StudyMsg::SessionsTitle)}</h3>
            <p class="empty">{t(StudyMsg::NoSessions)}</p>
        }
        .into_any();
    }
    let rows: Vec<Row> = list
        .iter()
        .map(|s| {
            let line = fill(
                t(StudyMsg::SessionLine),
                &[
                    ("on", &s.on),
                    ("kind", &s.kind.label(lang)),
                    ("hours", &hours_text(u32::from(s.hours.get()))),
                    ("branch", &d.branch_name(s.branch)),
                ],
            );
            Row {
                href: format!("/study/session/{}", s.id),
                title: s.topic.clone(),
                line,
                chip: d
                    .is_unsent(s.id.as_uuid())
                    .then(|| (t(StudyMsg::Unsent).to_string(), "unsent-tag")),
            }
        })
        .collect();
    view! {
        <h3>{t(StudyMsg::SessionsTitle)}</h3>
        {cards("study-sessions", rows, 20)}
    }
    .into_any()
}
