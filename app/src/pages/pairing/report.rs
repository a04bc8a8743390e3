//! `/pairing/reports/:id`: one situation report: its text, writer,
//! recipient and review status, the reviews so far, and for a reviewer
//! (core's `may_review`: cadres for the unit's party organisation,
//! inspectors for the supervision group, the office for both) the two
//! decisions: 通过 (accept) or 退回修改 (return, with a comment).

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::ReportReviewId;
use xianfeng_core::pairing::{
    may_review, review_status, reviewers_for, Decision, ReportReview, ReviewStatus, Reviewer,
    SituationReport,
};
use xianfeng_core::Located;

use super::data::{order, Data, Shared};
use super::form::{facts, today, Kind, Select, WithData};
use super::{member_label, route_id, UnsentMark};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, FieldError, FormAlert, FormError, OrForm, Save, Write};

const FIELDS: &[&str] = &["reviewer", "note"];

#[derive(Clone, Copy)]
struct Fields {
    reviewer: RwSignal<String>,
    note: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = I18n::use_context();
    let id = route_id();
    let f = Fields {
        reviewer: RwSignal::new(String::new()),
        note: RwSignal::new(String::new()),
        error: RwSignal::new(None),
    };
    view! {
        <WithData testid="page-pairing-report" title=PairMsg::Report body=move |d: Shared| {
                match id.and_then(|id| d.report(id)).map(|r| r.id) {
                    Some(r) => view! { <Report data=d.clone() id=*r.as_uuid() f=f/> }.into_any(),
                    None => view! { <p class="empty">{i18n.t(PairMsg::ReportNotFound)}</p> }.into_any(),
                }
            }/>
    }
}

fn reviewer_text(data: &Data, reviewer: &Reviewer) -> String {
    match reviewer {
        Reviewer::Member(m) => data.member_name(*m).unwrap_or_default().to_string(),
        Reviewer::Inspector(i) => data
            .inspectors
            .iter()
            .find(|x| x.id == *i)
            .map(|x| x.name.clone())
            .unwrap_or_default(),
    }
}

#[component]
fn Report(data: Shared, id: uuid::Uuid, f: Fields) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let Some(report) = data.report(id).cloned() else {
        return ().into_any();
    };
    let status = review_status(report.id, &data.reviews);
    let mut reviews: Vec<&ReportReview> = data
        .reviews
        .iter()
        .filter(|r| r.report == report.id)
        .collect();
    order(&mut reviews, |r| {
        let mut key = r.on.to_string();
        key.push_str(&r.id.to_string());
        key
    });
    let history = reviews
        .iter()
        .map(|r| {
            let who = reviewer_text(&data, &r.reviewer);
            view! {
                <li class="pair-entry" data-testid="review-entry">
                    <span class="pair-entry-head">
                        <strong>{r.decision.label(lang)}</strong>
                        <span class="muted">{r.on.to_string()}</span>
                        {data.unsent.contains(r.id.as_uuid()).then(|| view! { <UnsentMark/> })}
                    </span>
                    {(!r.note.is_empty()).then(|| view! { <span>{r.note.clone()}</span> })}
                    <span class="muted">{who}</span>
                </li>
            }
            .into_any()
        })
        .collect::<Vec<_>>();
    let rows = [
        (PairMsg::Writer, member_label(&data, report.member, i18n)),
        (PairMsg::SubmittedOn, report.submitted_on.to_string()),
        (
            PairMsg::Recipient,
            data.recipient_name(&report.submitted_to, lang),
        ),
    ];
    let location = report.location(&data.directory);
    let reviewer = data
        .actor()
        .is_some_and(|a| may_review(&a, &report, &location));
    let again = status == ReviewStatus::Returned
        && data
            .report_writers()
            .iter()
            .any(|(m, _)| *m == report.member);
    view! {
        <div class="card">
            <p class="pair-row-head">
                <span class=format!("pair-status pair-status-{}", status.code()) data-testid="report-status">
                    {status.label(lang)}
                </span>
                {data.unsent.contains(report.id.as_uuid()).then(|| view! { <UnsentMark/> })}
            </p>
            {facts(rows.into_iter().map(|(l, v)| (i18n.t(l), None, v)).collect())}
            <p class="pair-text" data-testid="report-text">{report.text.clone()}</p>
        </div>
        <div class="card">
            <h3>{i18n.t(PairMsg::Reviews)}</h3>
            {super::form::history(history, PairMsg::NoReviews, None)}
        </div>
        {reviewer.then(|| view! { <ReviewForm data=data.clone() report=report.clone() f=f/> })}
        <div class="pair-bottom">
            {again
                .then(|| {
                    let mut href = String::from("/pairing/reports/new?again=");
                    href.push_str(&report.id.to_string());
                    view! {
                        <A href=href attr:class="btn pair-wide">{i18n.t(PairMsg::Resubmit)}</A>
                    }
                })}
            <A href="/pairing/reports" attr:class="btn btn-secondary pair-wide">
                {i18n.t(PairMsg::AllReports)}
            </A>
        </div>
    }
    .into_any()
}

#[component]
fn ReviewForm(data: Shared, report: SituationReport, f: Fields) -> impl IntoView {
    let i18n = I18n::use_context();
    let choices: Vec<(String, String)> =
        reviewers_for(&report, &data.directory, &data.members, &data.inspectors)
            .into_iter()
            .map(|(r, name)| (crate::pages::recorder_code(&r), name))
            .collect();
    if choices.is_empty() {
        return view! { <p class="card hint">{i18n.t(PairMsg::NoReviewers)}</p> }.into_any();
    }
    if !choices
        .iter()
        .any(|(c, _)| f.reviewer.with_untracked(|v| v == c))
    {
        f.reviewer.set(choices[0].0.clone());
    }
    let busy = RwSignal::new(false);
    let decide = move |decision: Decision| {
        let built = (|| {
            let reviewer = crate::pages::parse_recorder(&f.reviewer.get_untracked())
                .ok_or_else(|| FormError::new(Some("reviewer"), i18n.t(PairMsg::ChooseReviewer)))?;
            let on = parse_date("on", &today()).or_form(i18n)?;
            let review = ReportReview::new(
                ReportReviewId::generate(),
                report.id,
                reviewer,
                on,
                decision,
                f.note.get_untracked(),
            )
            .or_form(i18n)?;
            Write::fact(data.actor(), *review.id.as_uuid(), &review, i18n)
        })();
        Save {
            busy,
            error: f.error,
        }
        .write(i18n, built, move || {
            f.note.try_set(String::new());
        });
    };
    let decide_return = decide.clone();
    view! {
        <form class="card form" data-testid="review-form" on:submit=|ev| ev.prevent_default()>
            <h3>{i18n.t(PairMsg::ReviewTitle)}</h3>
            <Select id="review-reviewer" label=PairMsg::Reviewer value=f.reviewer choices=choices/>
            <FieldError error=f.error field="reviewer"/>
            {kit::input(i18n.t(PairMsg::ReviewNote), "note", Kind::Area, f.note, f.error, "note")}
            <FormAlert error=f.error fields=FIELDS/>
            <div class="actions">
                <button type="button" class="btn" disabled=move || busy.get() on:click=move |_| decide(Decision::Accepted)>
                    {i18n.t(PairMsg::Approve)}
                </button>
                <button
                    type="button"
                    class="btn btn-secondary"
                    disabled=move || busy.get()
                    on:click=move |_| decide_return(Decision::Returned)
                >
                    {i18n.t(PairMsg::ReturnReport)}
                </button>
            </div>
            <p class="hint">{i18n.t(PairMsg::ReviewHint)}</p>
        </form>
    }
    .into_any()
}
