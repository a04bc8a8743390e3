//! `/pairing/h/:id/dispute`: a dispute or hard problem resolved for the
//! household (化解矛盾、解决疑难问题): when, what, and who helped. It counts
//! in the summary's "disputes resolved".

use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{DisputeId, HouseholdId};
use xianfeng_core::pairing::Dispute;

use super::data::Shared;
use super::form::{
    allowed_fact, helper_choices, helper_fact_form, today, HelperFact, HouseholdForm, Kind,
};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, FormError, OrForm};

const FIELDS: &[&str] = &["member", "resolved_on", "summary"];

#[derive(Clone, Copy)]
struct Fields {
    member: RwSignal<String>,
    on: RwSignal<String>,
    summary: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
}

#[component]
pub fn DisputePage() -> impl IntoView {
    let f = Fields {
        member: RwSignal::new(String::new()),
        on: RwSignal::new(today()),
        summary: RwSignal::new(String::new()),
        error: RwSignal::new(None),
    };
    view! {
        <HouseholdForm
            testid="page-pairing-dispute"
            title=PairMsg::LogDispute
            form=move |d: Shared, h: HouseholdId| view! { <Form data=d household=h f=f/> }.into_any()
        />
    }
}

#[component]
fn Form(data: Shared, household: HouseholdId, f: Fields) -> impl IntoView {
    let i18n = I18n::use_context();
    let Some(village) = data.household(household).map(|h| h.village) else {
        return ().into_any();
    };
    let choices = helper_choices(&data, household, f.member, i18n, |m, on| {
        Dispute::new(
            DisputeId::from_u128(0),
            village,
            Some(household),
            m,
            on,
            "-",
        )
        .ok()
    });
    let inputs = view! {
        {kit::input(i18n.t(PairMsg::DisputeSummary), "summary", Kind::Area, f.summary, f.error, "summary")}
        {kit::input(i18n.t(PairMsg::ResolvedOn), "resolved_on", Kind::Date, f.on, f.error, "resolved_on")}
    }
    .into_any();
    let spec = HelperFact {
        form_testid: "dispute-form",
        select_id: "dispute-member",
        select_label: PairMsg::Helper,
        save_label: PairMsg::SaveDispute,
        fields: FIELDS,
    };
    let d = data.clone();
    helper_fact_form(
        &data,
        household,
        f.member,
        f.error,
        spec,
        choices,
        inputs,
        move |m| {
            let on = parse_date("resolved_on", &f.on.get_untracked()).or_form(i18n)?;
            let dispute = Dispute::new(
                DisputeId::generate(),
                village,
                Some(household),
                m,
                on,
                f.summary.get_untracked(),
            )
            .or_form(i18n)?;
            allowed_fact(&d, *dispute.id.as_uuid(), &dispute, i18n)
        },
    )
}
