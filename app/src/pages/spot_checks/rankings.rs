//! 排名: the weekly ranking of units in each system (core's `Rankings`:
//! wearing rate, then members checked, then fewer warnings), for this week
//! and earlier ones; the last place of each system (its head explains to
//! the leadership), last-place streaks and 重点管理单位 (three in a row);
//! and the supervision quota this week (each group at each of its units
//! twice a week: core's `quota_lines`).

use std::sync::Arc;

use leptos::prelude::*;
use xianfeng_core::order;
use xianfeng_core::spotcheck::{quota_lines, QuotaLine, SpotCheckReport};
use xianfeng_core::IsoWeek;
use xianfeng_core::RecordKind;

use super::data::Org;
use super::{list_card, no_param, quota_rows, row, screen, t, this_week, week_label, Reload, Snap};
use crate::i18n::{fill, Msg, SpotMsg, Text};

/// The chosen week (`2025-W47`); empty: the latest.
#[derive(Clone, Copy)]
struct Chosen(RwSignal<String>);

struct Data {
    org: Org,
    report: Arc<SpotCheckReport>,
    /// This week's quota lines, every group.
    quota: Vec<QuotaLine>,
}

#[component]
pub fn RankingsPage() -> impl IntoView {
    provide_context(Chosen(RwSignal::new(String::new())));
    screen("page-rankings", Reload::Live, no_param(), rankings_view)
}

fn rankings_view(snap: Arc<Snap>, _: String) -> AnyView {
    let Chosen(chosen) = expect_context::<Chosen>();
    let lang = super::lang();
    let (org, facts) = (&snap.org, &snap.facts);
    let now = this_week();
    let d = Arc::new(Data {
        report: facts.report(),
        quota: now
            .map(|w| quota_lines(&org.groups, &facts.checks, w))
            .unwrap_or_default(),
        org: org.clone(),
    });
    // Weeks with a ranking, latest first (this week first even if empty).
    let mut weeks: Vec<IsoWeek> = d.report.rankings.weeks.iter().map(|r| r.week).collect();
    weeks.extend(now);
    order::sort(&mut weeks);
    weeks.reverse();
    weeks.dedup();
    let first = weeks.first().copied();
    let week = move || chosen.with(|c| c.parse::<IsoWeek>().ok()).or(first);
    let options = weeks
        .iter()
        .map(|w| view! { <option value=w.to_string()>{week_label(lang, *w)}</option> })
        .collect_view();
    let data = d.clone();
    let tables = move || week().map(|w| systems_view(&data, w));
    let key_units = key_units_card(&d);
    // The quota is the inspectors' work: shown to those who check.
    let checks = crate::kit::may_write_in_scope(
        Some(super::data::actor(&snap.identity)),
        RecordKind::SpotCheck,
    );
    let quota = (checks && !d.quota.is_empty()).then(|| {
        list_card(
            "quota-all",
            t(SpotMsg::QuotaTitle),
            Some(t(SpotMsg::QuotaHint)),
            quota_rows(&d.org, &d.quota, true),
        )
    });
    view! {
        <h2>{t(SpotMsg::RankingsTitle)}</h2>
        <div class="card">
            <label class="field">
                <span>{t(SpotMsg::Week)}</span>
                <select
                    data-testid="week-select"
                    prop:value=move || week().map(|w| w.to_string()).unwrap_or_default()
                    on:change=move |ev| chosen.set(event_target_value(&ev))
                >
                    {options}
                </select>
            </label>
        </div>
        {tables}
        {key_units}
        {quota}
    }
    .into_any()
}

/// Each system's ranking for `week`.
fn systems_view(d: &Data, week: IsoWeek) -> AnyView {
    let lang = super::lang();
    let rankings = &d.report.rankings;
    let systems: Vec<_> = rankings.weeks.iter().filter(|r| r.week == week).collect();
    if systems.is_empty() {
        return view! {
            <p class="empty" data-testid="no-ranking">{t(SpotMsg::NoRankingThisWeek)}</p>
        }
        .into_any();
    }
    systems
        .into_iter()
        .map(|r| {
            let rows: Vec<AnyView> = r
                .ranked
                .iter()
                .map(|ru| {
                    let unit = ru.tally.unit;
                    let rate = ru
                        .tally
                        .wearing_rate()
                        .map_or_else(|| "—".to_string(), |x| x.percent_string());
                    let detail = fill(
                        SpotMsg::RankDetail.text(lang),
                        &[("checked", &ru.tally.members_checked), ("warns", &ru.tally.steps.warn)],
                    );
                    let last = r.last == Some(unit);
                    let streak = rankings.streaks.get(&unit).map_or(0, |s| s.current);
                    let mut badges = Vec::new();
                    if last {
                        badges.push(t(SpotMsg::LastPlace).to_string());
                        if streak > 1 {
                            badges.push(fill(SpotMsg::LastStreak.text(lang), &[("n", &streak)]));
                        }
                    }
                    let key_unit = rankings.is_key_management(unit);
                    view! {
                        <li class="spot-rank" class:spot-last=last data-testid="rank-row">
                            <span class="spot-rank-no">{ru.rank}</span>
                            <span class="spot-rank-main">
                                <a href=format!("/spot-checks/unit/{unit}")>{d.org.unit_name(unit)}</a>
                                <span class="muted">{detail}</span>
                                {(!badges.is_empty())
                                    .then(|| view! { <span class="spot-badge">{badges.join(" · ")}</span> })}
                                {key_unit
                                    .then(|| view! { <span class="spot-badge spot-key">{t(SpotMsg::KeyManagement)}</span> })}
                            </span>
                            <span class="spot-rank-rate" data-testid="rank-rate">{rate}</span>
                        </li>
                    }
                    .into_any()
                })
                .collect();
            let unchecked: Vec<String> = r.unchecked.iter().map(|u| d.org.unit_name(*u)).collect();
            let unchecked = (!unchecked.is_empty()).then(|| {
                view! { <p class="muted">{t(SpotMsg::Unchecked)} {unchecked.join(Msg::ListSep.text(lang))}</p> }
            });
            view! {
                <div class="card" data-testid="system-ranking">
                    <h3>{d.org.system_name(r.system)}</h3>
                    <ol class="spot-ranking">{rows}</ol>
                    {unchecked}
                </div>
            }
            .into_any()
        })
        .collect::<Vec<AnyView>>()
        .into_any()
}

/// 重点管理单位, with the week that made each one.
fn key_units_card(d: &Data) -> Option<AnyView> {
    let lang = super::lang();
    let km = &d.report.rankings.key_management;
    (!km.is_empty()).then(|| {
        let rows = km
            .iter()
            .map(|k| {
                row(
                    d.org.unit_name(k.unit),
                    fill(
                        SpotMsg::KeySince.text(lang),
                        &[("week", &week_label(lang, k.since))],
                    ),
                    Some(format!("/spot-checks/unit/{}", k.unit)),
                )
            })
            .collect();
        list_card("key-units", t(SpotMsg::KeyManagementTitle), None, rows)
    })
}
