//! The one list the 学习 screens show: cards that open a screen (a unit,
//! a session, a member), each with its title, a line of figures and a
//! chip (a stage, 未同步), a page at a time (显示更多): the office's list
//! of 3,679 members builds 50 rows, not all
//! ([`cards_with`] makes a card's texts only when it is shown).

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use super::t;
use crate::i18n::{fill, StudyMsg};
use crate::kit;

/// One card of a list.
#[derive(Clone)]
pub struct Row {
    pub href: String,
    pub title: String,
    pub line: String,
    /// A stage (已转段 …) or 未同步, at the card's end.
    pub chip: Option<(String, &'static str)>,
}

/// `rows` as cards under `testid`, `page` at a time.
pub fn cards(testid: &'static str, rows: Vec<Row>, page: usize) -> AnyView {
    let total = rows.len();
    cards_with(testid, total, page, Arc::new(move |n| rows[n].clone()))
}

/// `total` cards under `testid`, `page` at a time, the `n`th made by
/// `row(n)` when it is shown: for a list too long to make every card's
/// texts up front.
pub fn cards_with(
    testid: &'static str,
    total: usize,
    page: usize,
    row: Arc<dyn Fn(usize) -> Row + Send + Sync>,
) -> AnyView {
    let shown = RwSignal::new(page);
    let items = move || {
        (0..shown.get().min(total))
            .map(|n| {
                let Row {
                    href,
                    title,
                    line,
                    chip,
                } = row(n);
                let chip = chip.map(|(text, class)| view! { <span class=class>{text}</span> });
                view! {
                    <li>
                        <A href=href attr:class="card study-row">
                            <span class="study-row-main">
                                <strong>{title}</strong>
                                <span class="muted">{line}</span>
                            </span>
                            {chip}
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
            page,
            fill(t(StudyMsg::ShowMore), &[("n", &rest)]),
            "btn btn-secondary",
        )
    };
    view! {
        <ul class="study-list" data-testid=testid>{items}</ul>
        {more}
    }
    .into_any()
}
