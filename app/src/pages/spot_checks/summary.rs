//! 完成: what a check found (core's `check_summary`): members marked, the
//! wearing rate, the misses with the step each reached, and the warnings
//! it gave, each with its unit notice.

use std::sync::Arc;

use leptos::prelude::*;
use xianfeng_core::spotcheck::Step;

use super::{empty, figures, param, row, screen, t, when, Reload, Snap};
use crate::i18n::{fill, SpotMsg, Text};

#[component]
pub fn CheckSummaryPage() -> impl IntoView {
    screen("page-summary", Reload::Live, param("id"), summary_view)
}

fn summary_view(snap: Arc<Snap>, id: String) -> AnyView {
    let facts = &snap.facts;
    let Some((check, s)) = facts
        .check(&id)
        .and_then(|c| facts.summary(c.id).map(|s| (c, s)))
    else {
        return view! {
            <h2>{t(SpotMsg::SummaryTitle)}</h2>
            {empty(SpotMsg::CheckNotFound)}
        }
        .into_any();
    };
    let lang = super::lang();
    let rate = s
        .wearing_rate()
        .map_or_else(|| "—".to_string(), |r| r.percent_string());
    let rows = vec![
        (SpotMsg::Checked, "sum-checked", s.marked().to_string()),
        (SpotMsg::WearingRate, "sum-rate", rate),
        (SpotMsg::Misses, "sum-misses", s.misses.to_string()),
        (
            SpotMsg::NewWarnings,
            "sum-warnings",
            s.new_warnings().to_string(),
        ),
        (SpotMsg::ExcusedCount, "sum-excused", s.excused.to_string()),
        (SpotMsg::AbsentCount, "sum-absent", s.absent.to_string()),
    ];
    let misses: Vec<AnyView> = s
        .marks
        .iter()
        .filter(|m| m.outcome.is_miss())
        .map(|m| {
            let step = match (m.nth, m.step) {
                (Some(n), Some(st)) => fill(
                    SpotMsg::MissStep.text(lang),
                    &[("n", &n), ("step", &st.label(lang))],
                ),
                _ => t(SpotMsg::NotWearing).to_string(),
            };
            match m.step {
                Some(Step::Warn) => row(
                    snap.org.member_name(m.member),
                    format!("{step} · {}", t(SpotMsg::ViewNotice)),
                    Some(format!("/spot-checks/notice/{}", m.observation)),
                ),
                _ => row(snap.org.member_name(m.member), step, None),
            }
        })
        .collect();
    let any_miss = !misses.is_empty();
    view! {
        <h2>{t(SpotMsg::SummaryTitle)}</h2>
        <div class="card" data-testid="summary">
            <h3>{snap.org.place_name(&check.place)}</h3>
            <p class="muted">{when(&check.at)} " · " {check.mode.label(lang)}</p>
            {figures(rows)}
            {any_miss
                .then(|| {
                    view! {
                        <h3>{t(SpotMsg::MissesTitle)}</h3>
                        <ul class="spot-list">{misses}</ul>
                    }
                })}
        </div>
        <div class="spot-actionbar">
            <a class="btn btn-secondary" href=format!("/spot-checks/check/{id}")>
                {t(SpotMsg::BackToList)}
            </a>
            <a class="btn" href="/spot-checks">{t(SpotMsg::Done)}</a>
        </div>
    }
    .into_any()
}
