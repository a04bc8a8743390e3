//! The one list the 学习 screens show: cards that open a screen (a unit,
//! a session, a member), each with its title, a line of figures and a
//! chip (a stage, 未同步), a page at a time (显示更多): the office's list
//! of 3,679 members builds 50 rows, not all.

use leptos::prelude::*;
use leptos_router::components::A;

use super::t;
use crate::i18n::{fill, StudyMsg};
use crate::kit;

/// One card of a list.
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
    let shown = RwSignal::new(page);
    let rows = StoredValue::new(rows);
    let items = move || {
        rows.with_value(|rows| {
            rows.iter()
                .take(shown.get())
                .map(|row| {
                    let (href, title, line) =
                        (row.href.clone(), row.title.clone(), row.line.clone());
                    let chip = row
                        .chip
                        .clone()
                        .map(|(text, class)| view! { <span class=class>{text}</span> });
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
        })
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
