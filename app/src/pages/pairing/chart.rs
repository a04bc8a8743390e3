//! The summary's chart: money and goods (慰问金、物资折币) delivered each
//! month, as an SVG bar chart (no script, no inline style: presentation
//! attributes and classes only, so the CSP holds). The figures are core's
//! `by_month`; this file only draws them.

use leptos::prelude::*;
use xianfeng_core::pairing::{Month, Totals};
use xianfeng_core::Lang;

use crate::i18n::{fill, I18n, PairMsg, Text};

const WIDTH: i64 = 320;
const HEIGHT: i64 = 200;
const TOP: i64 = 24;
const BOTTOM: i64 = 28;
const SIDE: i64 = 8;

#[component]
pub fn MoneyChart(months: Vec<(Month, Totals)>) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    if months.is_empty() {
        return view! { <p class="muted">{i18n.t(PairMsg::ChartEmpty)}</p> }.into_any();
    }
    let max = months
        .iter()
        .map(|(_, t)| t.money_and_goods().fen())
        .max()
        .unwrap_or(0)
        .max(1);
    let n = months.len() as i64;
    let slot = (WIDTH - 2 * SIDE) / n;
    let bar = (slot * 2 / 3).max(2);
    let plot = HEIGHT - TOP - BOTTOM;
    // Label every month while they fit, else every few.
    let every = (n / 8 + 1) as usize;
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, (month, t))| {
            let value = t.money_and_goods();
            let h = (value.fen() as i128 * plot as i128 / max as i128) as i64;
            let x = SIDE + i as i64 * slot + (slot - bar) / 2;
            let y = TOP + plot - h;
            let cx = x + bar / 2;
            let label = short_month(*month, lang);
            let mut title = month.label(lang);
            title.push_str(": ");
            title.push_str(&value.display(lang));
            let show = i % every == 0 || i + 1 == months.len();
            view! {
                <g>
                    <rect class="pair-bar" x=x y=y width=bar height=h.max(1)>
                        <title>{title}</title>
                    </rect>
                    {show.then(|| view! {
                        <text class="pair-axis" x=cx y=HEIGHT - BOTTOM + 16 text-anchor="middle">{label}</text>
                    })}
                    {(show && value.fen() > 0).then(|| view! {
                        <text class="pair-value" x=cx y=(y - 6).max(12) text-anchor="middle">{value.display(lang)}</text>
                    })}
                </g>
            }
            .into_any()
        })
        .collect::<Vec<_>>();
    view! {
        <svg
            class="pair-chart"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            aria-label=i18n.t(PairMsg::ChartLabel)
            data-testid="summary-chart"
        >
            <line class="pair-baseline" x1=SIDE y1=TOP + plot x2=WIDTH - SIDE y2=TOP + plot></line>
            {bars}
        </svg>
    }
    .into_any()
}

/// `11月` / `Nov 26`-style short label: the month, and the year when it is January.
fn short_month(m: Month, lang: Lang) -> String {
    let label = if m.month == 1 {
        PairMsg::ChartMonthJanuary
    } else {
        PairMsg::ChartMonth
    };
    fill(
        label.text(lang),
        &[
            ("yy", &(m.year % 100)),
            ("m", &m.month),
            ("year", &format!("{:04}", m.year)),
            ("mm", &format!("{:02}", m.month)),
        ],
    )
}
