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
use super::{lang, page, t};
use crate::i18n::{fill, StudyMsg};
use crate::kit;

/// Sessions and units shown before 显示更多.
const PAGE: usize = 30;

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
        {wide.then(|| units(&d, &scope))}
        {sessions(&d, &scope)}
    }
    .into_any()
}

/// Each unit in scope: 参学率, members below the hours target, hours per
/// member, 转段评估 stage; a tap opens the unit.
fn units(d: &Shared, scope: &Scope) -> AnyView {
    let lang = lang();
    let by_unit = d.index.by_unit();
    let units = d.units_in(scope);
    let ids: Vec<_> = units.iter().map(|u| u.id).collect();
    let stages = d.statuses(&ids);
    let rows: Vec<(String, String, String, String)> = units
        .iter()
        .zip(&stages)
        .map(|(u, status)| {
            let f = by_unit.get(&u.id).copied().unwrap_or_default();
            let line = fill(
                t(StudyMsg::UnitLine),
                &[
                    ("share", &share(f.expected_took_part, f.expected)),
                    ("below", &f.below_target()),
                    ("per", &f.hours_per_member().map_or("—".into(), hours)),
                ],
            );
            (
                format!("/study/unit/{}", u.id),
                u.name.clone(),
                line,
                status.stage.label(lang).to_string(),
            )
        })
        .collect();
    let total = rows.len();
    let shown = RwSignal::new(PAGE);
    let list = move || {
        rows.iter()
            .take(shown.get())
            .map(|(href, name, line, stage)| {
                let (href, name, line, stage) =
                    (href.clone(), name.clone(), line.clone(), stage.clone());
                view! {
                    <li>
                        <A href=href attr:class="card study-row">
                            <span class="study-row-main">
                                <strong>{name}</strong>
                                <span class="muted">{line}</span>
                            </span>
                            <span class="grade-chip">{stage}</span>
                        </A>
                    </li>
                }
            })
            .collect_view()
    };
    let more = move || {
        let rest = total.saturating_sub(shown.get());
        kit::show_more(
            shown,
            rest,
            PAGE,
            fill(t(StudyMsg::ShowMore), &[("n", &rest)]),
            "btn btn-secondary",
        )
    };
    view! {
        <h3>{t(StudyMsg::ByUnit)}</h3>
        <ul class="study-list" data-testid="study-units">{list}</ul>
        {more}
    }
    .into_any()
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
    let rows: Vec<(String, String, String, bool)> = list
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
            (
                format!("/study/session/{}", s.id),
                s.topic.clone(),
                line,
                d.is_unsent(s.id.as_uuid()),
            )
        })
        .collect();
    let total = rows.len();
    let shown = RwSignal::new(PAGE);
    let items = move || {
        rows.iter()
            .take(shown.get())
            .map(|(href, topic, line, unsent)| {
                let (href, topic, line, unsent) = (href.clone(), topic.clone(), line.clone(), *unsent);
                view! {
                    <li>
                        <A href=href attr:class="card study-row">
                            <span class="study-row-main">
                                <strong>{topic}</strong>
                                <span class="muted">{line}</span>
                            </span>
                            {unsent.then(|| view! { <span class="unsent-tag">{t(StudyMsg::Unsent)}</span> })}
                        </A>
                    </li>
                }
            })
            .collect_view()
    };
    let more = move || {
        let rest = total.saturating_sub(shown.get());
        kit::show_more(
            shown,
            rest,
            PAGE,
            fill(t(StudyMsg::ShowMore), &[("n", &rest)]),
            "btn btn-secondary",
        )
    };
    view! {
        <h3>{t(StudyMsg::SessionsTitle)}</h3>
        <ul class="study-list" data-testid="study-sessions">{items}</ul>
        {more}
    }
    .into_any()
}
