//! A unit's wearing rate by week as an SVG line chart, readable at 360 px:
//! weeks on x, 0–100 % on y, labelled axes, each point labelled with its
//! percentage, and a summary for screen readers (`<title>` + `aria-label`).
//!
//! Integer coordinates only (from core's exact rate in basis points): no
//! float formatting in the bundle, and the same picture on every phone.

use leptos::prelude::*;

use crate::i18n::{Msg, Text};

/// One week on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The x label (e.g. `47周`).
    pub label: String,
    /// The full name for the tooltip (e.g. `2025年第47周`).
    pub name: String,
    /// Wearing rate in basis points (10000 = 100 %), `None` if nobody was seen.
    pub bp: Option<u32>,
    /// The rate as shown (`95.2%`).
    pub text: Option<String>,
}

const W: u32 = 320;
const H: u32 = 214;
const LEFT: u32 = 44;
const RIGHT: u32 = 8;
const TOP: u32 = 32;
const BOTTOM: u32 = 44;

fn y_of(bp: u32) -> u32 {
    let plot = H - TOP - BOTTOM;
    TOP + plot * (10_000 - bp.min(10_000)) / 10_000
}

/// The chart; `summary` says in words what it shows.
pub fn rate_chart(
    points: Vec<Point>,
    summary: String,
    y_label: &'static str,
    x_label: &'static str,
) -> AnyView {
    let lang = super::lang();
    let n = points.len().max(1) as u32;
    let plot_w = W - LEFT - RIGHT;
    let x_of = move |i: usize| LEFT + (2 * i as u32 + 1) * plot_w / (2 * n);
    let grid = [0u32, 5_000, 10_000]
        .into_iter()
        .map(|bp| {
            let y = y_of(bp);
            view! {
                <line class="chart-grid" x1=LEFT x2=W - RIGHT y1=y y2=y></line>
                <text class="chart-tick" x=LEFT - 4 y=y + 4 text-anchor="end">
                    {format!("{}%", bp / 100)}
                </text>
            }
        })
        .collect_view();
    // Lines join consecutive weeks that both have a rate.
    let segments = points
        .windows(2)
        .enumerate()
        .filter_map(|(i, w)| {
            let (a, b) = (w[0].bp?, w[1].bp?);
            Some(view! {
                <line class="chart-line" x1=x_of(i) y1=y_of(a) x2=x_of(i + 1) y2=y_of(b)></line>
            })
        })
        .collect_view();
    let marks = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = x_of(i);
            let label = view! {
                <text class="chart-tick" x=x y=H - BOTTOM + 16 text-anchor="middle">
                    {p.label.clone()}
                </text>
            };
            let dot = p.bp.map(|bp| {
                let y = y_of(bp);
                let text = p.text.clone().unwrap_or_default();
                let tip = format!("{}{}{}", p.name, Msg::LabelSep.text(lang), text);
                view! {
                    <circle class="chart-dot" cx=x cy=y r="5">
                        <title>{tip}</title>
                    </circle>
                    <text class="chart-value" x=x y=y.saturating_sub(8).max(10) text-anchor="middle">
                        {text}
                    </text>
                }
            });
            view! { {label} {dot} }
        })
        .collect_view();
    view! {
        <svg
            class="spot-chart"
            viewBox=format!("0 0 {W} {H}")
            role="img"
            aria-label=summary
            data-testid="rate-chart"
        >
            <title>{summary.clone()}</title>
            <text class="chart-axis" x="4" y="14">{y_label}</text>
            <text class="chart-axis" x=W - RIGHT y=H - 4 text-anchor="end">{x_label}</text>
            {grid}
            <line class="chart-axis-line" x1=LEFT x2=W - RIGHT y1=H - BOTTOM y2=H - BOTTOM></line>
            {segments}
            {marks}
        </svg>
    }
    .into_any()
}
