//! A unit's tally page: its wearing rate by week as a chart, its campaign
//! figures, its last-place streak and 重点管理单位 mark, and its members'
//! ladder steps (with the notice of each warning). Everything from core's
//! `spotcheck::report` over the stored facts.

use std::sync::Arc;

use leptos::prelude::*;
use xianfeng_core::ids::UnitId;

use super::chart::{rate_chart, Point};
use super::{empty, figures, param, row, screen, t, this_week, week_label, Reload, Snap};
use crate::i18n::{fill, Msg, SpotMsg, Text};
use crate::kit::show_more;

/// Weeks on the chart.
const CHART_WEEKS: usize = 8;
/// Members' steps shown at first, and added by each 显示更多.
const STEPS_PAGE: usize = 50;

#[component]
pub fn UnitPage() -> impl IntoView {
    screen("page-unit", Reload::Live, param("id"), unit_view)
}

fn unit_view(snap: Arc<Snap>, id: String) -> AnyView {
    let Ok(unit) = id.parse::<UnitId>() else {
        return empty(SpotMsg::UnitNotFound);
    };
    let lang = super::lang();
    let (org, facts) = (&snap.org, &snap.facts);
    let report = facts.report();
    let tally = &report.tally;
    let rankings = &report.rankings;
    let name = org.unit_name(unit);
    let system = org
        .directory
        .unit_system(unit)
        .map(|s| org.system_name(s))
        .unwrap_or_default();
    let key_unit = rankings.is_key_management(unit);
    let streak = rankings.streaks.get(&unit).map_or(0, |s| s.current);

    // The chart ends this week, or at the latest week with data if later.
    let latest = tally.weekly.keys().next_back().copied();
    let until = match (this_week(), latest) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let points: Vec<Point> = until
        .map(|w| tally.unit_series(unit, w, CHART_WEEKS))
        .unwrap_or_default()
        .into_iter()
        .map(|(week, t)| {
            let rate = t.and_then(|t| t.wearing_rate());
            Point {
                label: fill(SpotMsg::WeekShort.text(lang), &[("w", &week.week())]),
                name: week_label(lang, week),
                bp: rate.map(|r| r.basis_points()),
                text: rate.map(|r| r.percent_string()),
            }
        })
        .collect();
    let parts: Vec<String> = points
        .iter()
        .map(|p| {
            let value = p.text.as_deref().unwrap_or(t(SpotMsg::NotChecked));
            format!("{} {value}", p.name)
        })
        .collect();
    let summary = fill(
        SpotMsg::ChartSummary.text(lang),
        &[
            ("unit", &name),
            ("weeks", &parts.join(Msg::ClauseSep.text(lang))),
        ],
    );
    let chart = if points.is_empty() {
        view! { <p class="muted">{t(SpotMsg::NoChecksYet)}</p> }.into_any()
    } else {
        rate_chart(points, summary, t(SpotMsg::WearingRate), t(SpotMsg::Week))
    };

    let figures = tally.campaign.get(&unit).map(|c| {
        let rate = c
            .wearing_rate()
            .map_or_else(|| "—".to_string(), |r| r.percent_string());
        figures(vec![
            (
                SpotMsg::MembersChecked,
                "unit-checked",
                c.members_checked.to_string(),
            ),
            (SpotMsg::WearingRate, "unit-rate", rate),
            (SpotMsg::Misses, "unit-misses", c.misses.to_string()),
            (SpotMsg::Warnings, "unit-warnings", c.steps.warn.to_string()),
        ])
    });

    // A big unit has a few hundred members with misses: they come a page
    // at a time (the first page is what a screen's first frame builds).
    let ladders: Vec<_> = report
        .ladder
        .of_unit(&org.directory, unit)
        .into_iter()
        .cloned()
        .collect();
    let total = ladders.len();
    let shown = RwSignal::new(STEPS_PAGE);
    let org = org.clone();
    let step_rows = move || {
        let limit = shown.get();
        let mut rows: Vec<AnyView> = ladders
            .iter()
            .take(limit)
            .map(|l| {
                let mut sub = fill(SpotMsg::MissCount.text(lang), &[("n", &l.misses())]);
                if let Some(step) = l.current_step() {
                    sub = format!("{sub} · {}", step.label(lang));
                }
                match l.notices().last() {
                    Some(n) => row(
                        org.member_name(l.member),
                        format!("{sub} · {}", t(SpotMsg::ViewNotice)),
                        Some(format!("/spot-checks/notice/{}", n.observation)),
                    ),
                    None => row(org.member_name(l.member), sub, None),
                }
            })
            .collect();
        if rows.is_empty() {
            rows.push(row(
                t(SpotMsg::NoMissesYet).to_string(),
                String::new(),
                None,
            ));
        }
        rows
    };
    let more = move || {
        let rest = total.saturating_sub(shown.get());
        let label = fill(SpotMsg::ShowMoreMembers.text(lang), &[("n", &rest)]);
        show_more(shown, rest, STEPS_PAGE, label, "btn btn-secondary")
    };
    let steps = view! {
        <div class="card" data-testid="unit-steps">
            <h3>{t(SpotMsg::MemberSteps)}</h3>
            <ul class="spot-list">{step_rows}</ul>
            {more}
        </div>
    };

    view! {
        <h2>{name}</h2>
        <p class="muted">{system}</p>
        {key_unit
            .then(|| {
                view! { <p class="spot-badge spot-key" data-testid="key-management">{t(SpotMsg::KeyManagement)}</p> }
            })}
        {(streak > 0)
            .then(|| {
                view! { <p class="spot-badge">{fill(SpotMsg::LastStreak.text(lang), &[("n", &streak)])}</p> }
            })}
        <div class="card">
            <h3>{t(SpotMsg::RateByWeek)}</h3>
            {chart}
        </div>
        <div class="card" data-testid="unit-tally">
            <h3>{t(SpotMsg::CampaignTally)}</h3>
            {figures}
        </div>
        {steps}
        <div class="actions">
            <a class="btn btn-secondary" href="/spot-checks/rankings">{t(SpotMsg::RankingsLink)}</a>
        </div>
    }
    .into_any()
}
