//! `/pairing/h/:id/dispute`: a dispute or hard problem resolved for the
//! household (化解矛盾、解决疑难问题): when, what, and who helped. It counts
//! in the summary's "disputes resolved".

use std::sync::Arc;

use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{DisputeId, HouseholdId, MemberId};
use xianfeng_core::pairing::Dispute;

use super::data::{Data, Shared};
use super::form::{allowed_fact, helper_fact_page, today, HelperFact, Kind};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, FormError, OrForm};

const PAGE: HelperFact = HelperFact {
    page_testid: "page-pairing-dispute",
    title: PairMsg::LogDispute,
    form_testid: "dispute-form",
    select_id: "dispute-member",
    select_label: PairMsg::Helper,
    save_label: PairMsg::SaveDispute,
    fields: &["member", "resolved_on", "summary"],
};

/// A dispute of the household's village, resolved by `member` on `on`.
fn dispute(
    d: &Data,
    household: HouseholdId,
    member: MemberId,
    on: time::Date,
    id: DisputeId,
    summary: String,
) -> Option<Result<Dispute, xianfeng_core::DomainError>> {
    let village = d.household(household)?.village;
    Some(Dispute::new(
        id,
        village,
        Some(household),
        member,
        on,
        summary,
    ))
}

#[component]
pub fn DisputePage() -> impl IntoView {
    let i18n = I18n::use_context();
    let on = RwSignal::new(today());
    let summary = RwSignal::new(String::new());
    let error = RwSignal::new(None);
    let inputs = move || {
        view! {
            {kit::input(i18n.t(PairMsg::DisputeSummary), "summary", Kind::Area, summary, error, "summary")}
            {kit::input(i18n.t(PairMsg::ResolvedOn), "resolved_on", Kind::Date, on, error, "resolved_on")}
        }
        .into_any()
    };
    let probe = |d: &Data, household, m, on| {
        dispute(d, household, m, on, DisputeId::from_u128(0), "-".into())
            .is_some_and(|r| r.is_ok_and(|x| d.may_write(&x)))
    };
    let build = Arc::new(move |d: &Shared, household, m| {
        let on = parse_date("resolved_on", &on.get_untracked()).or_form(i18n)?;
        let made = dispute(
            d,
            household,
            m,
            on,
            DisputeId::generate(),
            summary.get_untracked(),
        )
        .ok_or_else(|| FormError::new(None, i18n.t(PairMsg::CardNotFound)))?;
        let dispute = made.or_form(i18n)?;
        allowed_fact(d, *dispute.id.as_uuid(), &dispute, i18n)
    });
    helper_fact_page(PAGE, error, inputs, probe, build)
}
