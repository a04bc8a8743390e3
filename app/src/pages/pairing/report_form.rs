//! `/pairing/reports/new`: write and submit a situation report (情况反映):
//! whose report it is, whether the writer sits on the party committee
//! (then it goes to the supervision group), and the text. Core picks the
//! recipient and the screen shows it before sending. `?again=<id>` starts
//! from a report that was returned for revision.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{MemberId, ReportId};
use xianfeng_core::pairing::{recipient_for, SituationReport};

use super::data::Shared;
use super::form::{chosen_member, today, Kind, Select, WithData};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, FieldError, FormAlert, FormError, OrForm, Save, Write};

const FIELDS: &[&str] = &["member", "submitted_on", "text"];

#[derive(Clone, Copy)]
struct Fields {
    member: RwSignal<String>,
    committee: RwSignal<bool>,
    text: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
    /// Filled from `?again=` once.
    filled: RwSignal<bool>,
}

#[component]
pub fn ReportFormPage() -> impl IntoView {
    let again = use_query_map()
        .with_untracked(|q| q.get("again"))
        .and_then(|s| s.parse::<uuid::Uuid>().ok());
    let f = Fields {
        member: RwSignal::new(String::new()),
        committee: RwSignal::new(false),
        text: RwSignal::new(String::new()),
        error: RwSignal::new(None),
        filled: RwSignal::new(false),
    };
    view! {
        <WithData testid="page-pairing-report-new" title=PairMsg::WriteReport once=true body=move |d: Shared| {
                if !f.filled.get_untracked() {
                    if let Some(old) = again.and_then(|id| d.report(id)) {
                        f.member.set(old.member.to_string());
                        f.text.set(old.text.clone());
                        f.committee.set(matches!(old.submitted_to, xianfeng_core::pairing::Recipient::SupervisionGroup { .. }));
                    }
                    f.filled.set(true);
                }
                view! { <Form data=d f=f/> }.into_any()
            }/>
    }
}

#[component]
fn Form(data: Shared, f: Fields) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let choices: Vec<(String, String)> = data
        .report_writers()
        .into_iter()
        .map(|(m, name)| (m.to_string(), name))
        .collect();
    if choices.is_empty() {
        return view! { <p class="empty" data-testid="report-no-writers">{i18n.t(PairMsg::NoWriters)}</p> }
            .into_any();
    }
    if !choices
        .iter()
        .any(|(m, _)| f.member.with_untracked(|v| v == m))
    {
        f.member.set(choices[0].0.clone());
    }
    let recipient = {
        let data = data.clone();
        move || {
            let member: Option<MemberId> = f.member.get().parse().ok();
            member.and_then(|m| recipient_for(m, f.committee.get(), &data.directory, &data.groups))
        }
    };
    let recipient_text = {
        let data = data.clone();
        let recipient = recipient.clone();
        move || match recipient() {
            Some(to) => data.recipient_name(&to, lang),
            None => i18n.t(PairMsg::NoRecipient).to_string(),
        }
    };
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let built = (|| {
            let m = chosen_member(f.member, i18n)?;
            let to = recipient_for(
                m,
                f.committee.get_untracked(),
                &data.directory,
                &data.groups,
            )
            .ok_or_else(|| FormError::new(Some("member"), i18n.t(PairMsg::NoRecipient)))?;
            let on = parse_date("submitted_on", &today()).or_form(i18n)?;
            let report =
                SituationReport::new(ReportId::generate(), m, to, on, f.text.get_untracked())
                    .or_form(i18n)?;
            let write = Write::fact(data.actor(), *report.id.as_uuid(), &report, i18n)?;
            Ok((report.id, write))
        })();
        let navigate = navigate.clone();
        let mut href = String::from("/pairing/reports/");
        let built = built.map(|(id, fact)| {
            href.push_str(&id.to_string());
            fact
        });
        Save {
            busy,
            error: f.error,
        }
        .write(i18n, built, move || navigate(&href, Default::default()));
    };
    view! {
        <form class="card form" data-testid="report-form" on:submit=submit novalidate>
            <Select id="report-member" label=PairMsg::Writer value=f.member choices=choices/>
            <FieldError error=f.error field="member"/>
            {kit::checkbox("committee", i18n.t(PairMsg::CommitteeMember).into(), f.committee)}
            <p class="hint" data-testid="report-recipient">
                {i18n.t(PairMsg::SubmitTo)} {recipient_text}
            </p>
            {kit::input(i18n.t(PairMsg::ReportText), "text", Kind::Long, f.text, f.error, "text")}
            <FormAlert error=f.error fields=FIELDS/>
            <button type="submit" class="btn pair-wide" disabled=move || busy.get()>
                {i18n.t(PairMsg::SubmitReport)}
            </button>
        </form>
    }
    .into_any()
}
