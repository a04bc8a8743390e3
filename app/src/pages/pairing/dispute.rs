//! `/pairing/h/:id/dispute`: a dispute or hard problem resolved for the
//! household (化解矛盾、解决疑难问题): when, what, and who helped. It counts
//! in the summary's "disputes resolved".

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{DisputeId, HouseholdId};
use xianfeng_core::pairing::Dispute;

use super::card_href;
use super::data::Shared;
use super::form::{chosen_member, helper_choices, input, today, HouseholdForm, Kind, Select};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{FieldError, FormAlert, FormError, OrForm, Save};

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
    if choices.is_empty() {
        return view! { <p class="empty">{i18n.t(PairMsg::PairFirst)}</p> }.into_any();
    }
    let head = data
        .household(household)
        .map(|h| h.head.clone())
        .unwrap_or_default();
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let built = (|| {
            let m = chosen_member(f.member, i18n)?;
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
            if !data.may_write(&dispute) {
                return Err(FormError::not_allowed(i18n));
            }
            Ok((*dispute.id.as_uuid(), dispute))
        })();
        let navigate = navigate.clone();
        Save {
            busy,
            error: f.error,
        }
        .fact(i18n, built, move |_| {
            navigate(&card_href(household, ""), Default::default())
        });
    };
    view! {
        <form class="card form" data-testid="dispute-form" on:submit=submit novalidate>
            <p class="hint">{head}</p>
            {input(PairMsg::DisputeSummary, "summary", Kind::Area, f.summary, f.error, "summary")}
            {input(PairMsg::ResolvedOn, "resolved_on", Kind::Date, f.on, f.error, "resolved_on")}
            <Select id="dispute-member" label=PairMsg::Helper value=f.member choices=choices/>
            <FieldError error=f.error field="member"/>
            <FormAlert error=f.error fields=FIELDS/>
            <button type="submit" class="btn pair-wide" disabled=move || busy.get()>
                {i18n.t(PairMsg::SaveDispute)}
            </button>
        </form>
    }
    .into_any()
}
