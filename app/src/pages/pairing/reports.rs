//! `/pairing/reports`: 情况反映: the situation reports this phone holds,
//! newest first, each with its writer, recipient and review status
//! (derived by core from the reviews, never stored), and 写情况反映 for
//! phones that may submit one. Inspectors see this screen too: reports
//! are not household data, and reports by party committee members come
//! to their supervision group.

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::pairing::review_status;

use super::data::Shared;
use super::form::WithData;
use super::{member_label, UnsentMark};
use crate::i18n::{I18n, PairMsg};

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! {
        <WithData testid="page-pairing-reports" title=PairMsg::Reports body=|d: Shared| view! { <List data=d/> }.into_any()/>
    }
}

#[component]
fn List(data: Shared) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    if data.identity.is_none() {
        return view! { <p class="empty">{i18n.t(PairMsg::NotEnrolled)}</p> }.into_any();
    }
    let may_write = !data.report_writers().is_empty();
    let rows = data
        .reports
        .iter()
        .map(|r| {
            let status = review_status(r.id, &data.reviews);
            let mut href = String::from("/pairing/reports/");
            href.push_str(&r.id.to_string());
            let unsent = data.unsent.contains(r.id.as_uuid());
            let writer = member_label(&data, r.member, i18n);
            let status_class = format!("pair-status pair-status-{}", status.code());
            let status_text = status.label(lang);
            let date = r.submitted_on.to_string();
            let to = data.recipient_name(&r.submitted_to, lang);
            let excerpt = excerpt(&r.text);
            view! {
                <li>
                    <A href=href attr:class="pair-row" attr:data-testid="report-row">
                        <span class="pair-row-head">
                            <strong>{writer}</strong>
                            <span class=status_class data-testid="report-status">
                                {status_text}
                            </span>
                            {unsent.then(|| view! { <UnsentMark/> })}
                        </span>
                        <span class="muted">
                            {date} " · " {i18n.t(PairMsg::To)} {to}
                        </span>
                        <span class="pair-excerpt">{excerpt}</span>
                    </A>
                </li>
            }
            .into_any()
        })
        .collect::<Vec<_>>();
    let empty = data.reports.is_empty();
    view! {
        {if empty {
            view! { <p class="empty">{i18n.t(PairMsg::NoReports)}</p> }.into_any()
        } else {
            view! { <ul class="pair-list" data-testid="report-list">{rows}</ul> }.into_any()
        }}
        <div class="pair-bottom">
            {may_write
                .then(|| {
                    view! {
                        <A href="/pairing/reports/new" attr:class="btn pair-wide">
                            {i18n.t(PairMsg::WriteReport)}
                        </A>
                    }
                })}
            <A href="/pairing" attr:class="btn btn-secondary pair-wide">
                {i18n.t(PairMsg::BackToSection)}
            </A>
        </div>
    }
    .into_any()
}

/// The first 40 characters of a report, for the list.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}
