//! `/study/members` and `/study/unit/:id`: who has studied what in a
//! scope — the scope's figures, 两个确保 as two numbers with the members
//! behind any shortfall, and every member with what they still owe
//! (those owing first). A tap opens the member.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::ids::{SystemId, UnitId};
use xianfeng_core::order;
use xianfeng_core::study::{hours_text, Owes};
use xianfeng_core::Scope;

use super::data::Shared;
use super::figures::{figures_card, hours, owes_text};
use super::list::{cards_with, Row};
use super::{back, lang, page, route_id, t};
use crate::i18n::{fill, StudyMsg};
use crate::kit;

#[component]
pub fn MembersPage() -> impl IntoView {
    page(
        "page-study-members",
        Some(StudyMsg::Members),
        kit::Reload::Live,
        |d| {
            let scope = d.scope();
            view! {
                {figures_card(&d.index.figures(&scope), d.settings())}
                {two_ensures(&d, &scope)}
                {member_list(&d, &scope)}
                {back("/study".into())}
            }
            .into_any()
        },
    )
}

#[component]
pub fn UnitPage() -> impl IntoView {
    page("page-study-unit", None, kit::Reload::Live, |d| {
        let Some(unit) = route_id()
            .map(UnitId::from_uuid)
            .filter(|u| d.units.iter().any(|x| x.id == *u))
        else {
            return super::empty(StudyMsg::UnitNotFound);
        };
        let scope = Scope::Unit(unit);
        let stage = d.statuses(&[unit]).pop().map(|s| s.stage.label(lang()));
        let href = format!("/study/transition/{unit}");
        view! {
            <h2>{d.unit_name(unit)}</h2>
            {figures_card(&d.index.figures(&scope), d.settings())}
            <A href=href attr:class="card study-row" attr:data-testid="unit-transition">
                <span class="study-row-main">
                    <strong>{t(StudyMsg::Transition)}</strong>
                </span>
                <span class="grade-chip">{stage}</span>
            </A>
            {two_ensures(&d, &scope)}
            {member_list(&d, &scope)}
            {back("/study".into())}
        }
        .into_any()
    })
}

/// `/study/system/:id`: a system's figures, its units, 两个确保 and owes.
#[component]
pub fn SystemPage() -> impl IntoView {
    page("page-study-system", None, kit::Reload::Live, |d| {
        let Some(system) = route_id()
            .map(SystemId::from_uuid)
            .filter(|s| d.directory.systems().any(|x| x == *s))
        else {
            return super::empty(StudyMsg::UnitNotFound);
        };
        let scope = Scope::System(system);
        view! {
            <h2>{d.system_name(system)}</h2>
            {figures_card(&d.index.figures(&scope), d.settings())}
            {super::home::units(&d, &scope)}
            {two_ensures(&d, &scope)}
            {member_list(&d, &scope)}
            {back("/study".into())}
        }
        .into_any()
    })
}

/// 两个确保: everyone took part, everyone studied the hours — two rates,
/// with the names behind a shortfall.
fn two_ensures(d: &Shared, scope: &Scope) -> AnyView {
    let two = d.index.two_ensures(scope);
    let rate = |r: Option<xianfeng_core::spotcheck::Rate>| {
        r.map_or("—".to_string(), |r| r.percent_string())
    };
    let absent: Vec<String> = two
        .not_taking_part
        .iter()
        .map(|m| d.member_name(*m))
        .collect();
    let below: Vec<String> = two
        .below_hours
        .iter()
        .map(|(m, short)| {
            fill(
                t(StudyMsg::NameShort),
                &[("name", &d.member_name(*m)), ("h", &hours_text(*short))],
            )
        })
        .collect();
    let names = |list: Vec<String>, testid: &'static str| {
        (!list.is_empty()).then(|| {
            let sep = t(StudyMsg::ListSep);
            view! { <p class="muted" data-testid=testid>{list.join(sep)}</p> }
        })
    };
    view! {
        <div class="card" data-testid="two-ensures">
            <h3>{t(StudyMsg::TwoEnsures)}</h3>
            <p>
                {t(StudyMsg::EnsureAll)} " " <strong data-testid="ensure-all">{rate(two.all_take_part)}</strong>
            </p>
            {names(absent, "not-taking-part")}
            <p>
                {t(StudyMsg::EnsureHours)} " " <strong data-testid="ensure-hours">{rate(two.all_hours)}</strong>
            </p>
            {names(below, "below-hours")}
        </div>
    }
    .into_any()
}

/// Every member in `scope`, those owing first, with hours and what is owed.
/// Only the sort keys are made for every member; a card's texts are made
/// when it is shown (the office's scope has 3,679 members, a page 50).
fn member_list(d: &Shared, scope: &Scope) -> AnyView {
    let settings = d.settings();
    let members = d.index.members();
    let mut keys: Vec<(bool, String, usize)> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| scope.covers(&m.location))
        .map(|(i, m)| (Owes::of(m, settings).is_clear(), d.member_name(m.member), i))
        .collect();
    // Those owing first, then by name.
    order::sort_by(&mut keys, |a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let total = keys.len();
    let owing = keys.iter().filter(|r| !r.0).count();
    let d = d.clone();
    let row = move |n: usize| {
        let (_, name, i) = &keys[n];
        let m = &d.index.members()[*i];
        let settings = d.settings();
        let target = u32::from(settings.hours_target);
        let line = fill(
            t(StudyMsg::MemberLine),
            &[
                ("hours", &share_hours(m.hours, target, m.hours_expected)),
                ("owes", &owes_text(&Owes::of(m, settings))),
            ],
        );
        Row {
            href: format!("/study/member/{}", m.member),
            title: name.clone(),
            line,
            chip: None,
        }
    };
    view! {
        <h3>{fill(t(StudyMsg::MembersOwing), &[("n", &owing), ("total", &total)])}</h3>
        {cards_with("study-member-list", total, 50, Arc::new(row))}
    }
    .into_any()
}

/// `38.5/40小时`, or the hours alone for a member without the target.
fn share_hours(tenths: u32, target: u32, expected: bool) -> String {
    if expected {
        fill(
            t(StudyMsg::HoursOf),
            &[("h", &hours_text(tenths)), ("target", &hours_text(target))],
        )
    } else {
        hours(tenths)
    }
}
