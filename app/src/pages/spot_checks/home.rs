//! The section's first screen: what an inspector needs before walking into
//! a unit. 开始巡察 sits low, within thumb reach; above it, "我是…" (once,
//! see [`super::data::my_inspector`]), this week's supervision quota for
//! the inspector's group (each unit twice a week, core's `quota_lines`),
//! the latest checks to continue, and the way to rankings and rosters.

use std::sync::Arc;

use leptos::prelude::*;
use xianfeng_core::ids::InspectorId;
use xianfeng_core::order;
use xianfeng_core::org::Inspector;
use xianfeng_core::spotcheck::{quota_lines, QuotaLine};
use xianfeng_core::{RecordKind, Role};

use super::data::{actor, choose_inspector};
use super::draft::choice;
use super::{list_card, no_param, quota_rows, row, screen, t, this_week, when, Reload, Snap};
use crate::i18n::SpotMsg;
use crate::kit::may_write_in_scope;
use crate::storage::StorageError;

/// How many recent checks the home lists.
const RECENT: usize = 5;

/// Bumped when 我是… is chosen (a setting, not a record): the home reloads.
#[derive(Clone, Copy)]
struct Chosen(RwSignal<u32>);

#[component]
pub fn SpotChecksHome() -> impl IntoView {
    let bump = RwSignal::new(0u32);
    provide_context(Chosen(bump));
    screen(
        "page-spot-checks",
        Reload::Bumped(bump),
        no_param(),
        home_view,
    )
}

fn home_view(home: Arc<Snap>, _: String) -> AnyView {
    let may_check = may_write_in_scope(Some(actor(&home.identity)), RecordKind::SpotCheck);
    let may_roster = may_write_in_scope(Some(actor(&home.identity)), RecordKind::Member);
    let needs_me = may_check && home.me.is_none() && home.identity.role == Role::Inspector;
    let can_start = may_check && !needs_me;
    view! {
        <h2>{t(SpotMsg::Title)}</h2>
        {crate::kit::read_only_note(xianfeng_core::sections::Section::SpotChecks)}
        {needs_me.then(|| me_picker(home.org.inspectors.to_vec()))}
        {may_check.then(|| quota_card(&home))}
        {may_check.then(|| recent_card(&home))}
        <nav class="card spot-links" aria-label=t(SpotMsg::MoreNav)>
            <a class="btn btn-secondary" href="/spot-checks/rankings">
                {t(SpotMsg::RankingsLink)}
            </a>
            {may_roster
                .then(|| {
                    view! {
                        <a class="btn btn-secondary" href="/spot-checks/roster">
                            {t(SpotMsg::RosterLink)}
                        </a>
                    }
                })}
        </nav>
        {can_start
            .then(|| {
                view! {
                    <div class="spot-actionbar">
                        <a class="btn spot-primary" href="/spot-checks/new" data-testid="start-check">
                            {t(SpotMsg::StartCheck)}
                        </a>
                    </div>
                }
            })}
    }
    .into_any()
}

/// 我是…: which inspector record this phone checks as (chosen once).
fn me_picker(inspectors: Vec<Inspector>) -> AnyView {
    let Chosen(chosen) = expect_context::<Chosen>();
    let list: Vec<(String, String)> = inspectors
        .iter()
        .map(|i| (i.id.to_string(), i.name.clone()))
        .collect();
    let (pick, options) = choice("me.inspector", list);
    let error = RwSignal::new(None::<StorageError>);
    let empty = inspectors.is_empty();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(id) = pick.get_untracked().parse::<InspectorId>() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match choose_inspector(id).await {
                Ok(()) => chosen.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card form" data-testid="me-picker" on:submit=submit>
            <h3>{t(SpotMsg::WhoAmI)}</h3>
            <p class="hint">
                {t(if empty { SpotMsg::NoInspectorRecords } else { SpotMsg::WhoAmIHint })}
            </p>
            {(!empty)
                .then(|| {
                    view! {
                        <label class="field">
                            <span>{t(SpotMsg::Inspector)}</span>
                            <select bind:value=pick>{options}</select>
                        </label>
                        <button type="submit" class="btn">{t(SpotMsg::ThisIsMe)}</button>
                    }
                })}
            {move || error.get().map(|e| crate::kit::error_view(&e))}
        </form>
    }
    .into_any()
}

/// This week's visits against the quota: my group's units (an inspector),
/// or every group's shortfalls (the office).
fn quota_card(home: &Snap) -> Option<AnyView> {
    let my_group = home.me.as_ref().and_then(|m| m.group);
    let groups: Vec<_> = home
        .org
        .groups
        .iter()
        .filter(|g| my_group.is_none_or(|mine| g.id == mine))
        .cloned()
        .collect();
    let mut lines: Vec<QuotaLine> = this_week()
        .map(|w| quota_lines(&groups, &home.facts.checks, w))
        .unwrap_or_default();
    if my_group.is_none() {
        lines.retain(QuotaLine::is_short);
        if lines.is_empty() {
            return None;
        }
    }
    Some(list_card(
        "quota",
        t(SpotMsg::QuotaTitle),
        Some(t(SpotMsg::QuotaHint)),
        quota_rows(&home.org, &lines, my_group.is_none()),
    ))
}

/// The latest checks (this phone's inspector's, or everyone's for the office).
fn recent_card(home: &Snap) -> AnyView {
    let mine = home.me.as_ref().map(|m| m.id);
    let mut checks: Vec<_> = home
        .facts
        .checks
        .iter()
        .filter(|c| home.identity.role == Role::Office || Some(c.inspector) == mine)
        .collect();
    order::sort_by_key(&mut checks, |c| std::cmp::Reverse((c.at, c.id)));
    checks.truncate(RECENT);
    let mut rows: Vec<AnyView> = checks
        .into_iter()
        .map(|c| {
            row(
                home.org.place_name(&c.place),
                format!("{} · {}", when(&c.at), c.mode.label(super::lang())),
                Some(format!("/spot-checks/check/{}", c.id)),
            )
        })
        .collect();
    if rows.is_empty() {
        rows.push(row(
            t(SpotMsg::NoChecksYet).to_string(),
            String::new(),
            None,
        ));
    }
    list_card("recent-checks", t(SpotMsg::RecentChecks), None, rows)
}
