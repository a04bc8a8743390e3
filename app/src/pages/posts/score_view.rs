//! A post's half-year score as core explains it: the grade (or why there
//! is none), the breakdown (criterion, value, weight, points), what
//! disqualifies, whether the 党员示范岗 title is awarded, and the rubric
//! version that made it. Every word and number comes from core's `Score`.

use leptos::prelude::*;
use xianfeng_core::posts::{Score, TITLE};

use super::{lang, t};
use crate::i18n::{fill, PostMsg};

pub(super) fn score_view(s: &Score) -> impl IntoView {
    let lang = lang();
    let lines = s
        .lines
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <th scope="row">
                        {l.criterion.label(lang)}
                        <span class="muted score-count">
                            {fill(t(PostMsg::OverCount), &[("n", &l.count)])}
                        </span>
                    </th>
                    <td>{l.value_text()}</td>
                    <td>{l.weight}</td>
                    <td>{l.points_text()}</td>
                </tr>
            }
        })
        .collect_view();
    let disqualifiers = s
        .disqualifiers
        .iter()
        .map(|d| {
            let text = format!("{}{}", t(PostMsg::NotAwardable), d.label(lang));
            view! { <li data-testid="disqualifier">{text}</li> }
        })
        .collect_view();
    let (award_class, award_id, award_text) = if s.award {
        ("award", "award", PostMsg::AwardTitle)
    } else {
        ("no-award muted", "no-award", PostMsg::NoAwardTitle)
    };
    let star = s
        .award
        .then_some(view! { <span aria-hidden="true">"★ "</span> });
    let explain = s
        .explain(lang)
        .into_iter()
        .map(|line| view! { <li>{line}</li> })
        .collect_view();
    view! {
        <div class="score-head">
            <span class="grade" class:grade-none=s.grade().is_none() data-testid="grade">
                {s.status_text(lang)}
            </span>
            <span class="muted">
                {fill(
                    t(PostMsg::TotalVersion),
                    &[("total", &s.total_string()), ("v", &s.rubric_version)],
                )}
            </span>
        </div>
        <p class=award_class data-testid=award_id>
            {star}
            {fill(t(award_text), &[("title", &TITLE)])}
        </p>
        // At a large text size the table may be wider than the phone: it
        // scrolls on its own (focusable, labelled), the page does not.
        <div class="score-wrap" tabindex="0" role="region" aria-label=t(PostMsg::Breakdown)>
            <table class="score-table" data-testid="breakdown">
                <caption class="visually-hidden">{t(PostMsg::Breakdown)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(PostMsg::Criterion)}</th>
                        <th scope="col">{t(PostMsg::Value)}</th>
                        <th scope="col">{t(PostMsg::Weight)}</th>
                        <th scope="col">{t(PostMsg::Points)}</th>
                    </tr>
                </thead>
                <tbody>{lines}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="3">{t(PostMsg::Total)}</th>
                        <td data-testid="total">{s.total_string()}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <ul class="plain-list disqualifiers">{disqualifiers}</ul>
        <details class="score-explain">
            <summary>{t(PostMsg::HowScored)}</summary>
            <ol class="plain-list">{explain}</ol>
        </details>
    }
}
