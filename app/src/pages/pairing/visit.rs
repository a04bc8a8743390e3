//! `/pairing/h/:id/visit`: quick entry of a visit (走访): the date, what
//! was found and the problems the household raised, and who visited (the
//! paired member unless another is chosen). Works offline.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{HouseholdId, VisitId};
use xianfeng_core::pairing::Visit;

use super::card_href;
use super::data::Shared;
use super::form::{chosen_member, helper_choices, input, today, HouseholdForm, Kind, Select};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{FieldError, FormAlert, FormError, OrForm, Save};

const FIELDS: &[&str] = &["member", "on", "note", "problems"];

#[derive(Clone, Copy)]
struct Fields {
    member: RwSignal<String>,
    on: RwSignal<String>,
    note: RwSignal<String>,
    problems: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
}

#[component]
pub fn VisitPage() -> impl IntoView {
    let f = Fields {
        member: RwSignal::new(String::new()),
        on: RwSignal::new(today()),
        note: RwSignal::new(String::new()),
        problems: RwSignal::new(String::new()),
        error: RwSignal::new(None),
    };
    view! {
        <HouseholdForm
            testid="page-pairing-visit"
            title=PairMsg::LogVisit
            form=move |d: Shared, h: HouseholdId| view! { <Form data=d household=h f=f/> }.into_any()
        />
    }
}

#[component]
fn Form(data: Shared, household: HouseholdId, f: Fields) -> impl IntoView {
    let i18n = I18n::use_context();
    let choices = helper_choices(&data, household, f.member, i18n, |m, on| {
        Visit::new(VisitId::from_u128(0), household, m, on, "").ok()
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
            let on = parse_date("on", &f.on.get_untracked()).or_form(i18n)?;
            let visit = Visit::new(
                VisitId::generate(),
                household,
                m,
                on,
                f.note.get_untracked(),
            )
            .and_then(|v| v.with_problems(f.problems.get_untracked()))
            .or_form(i18n)?;
            if !data.may_write(&visit) {
                return Err(FormError::not_allowed(i18n));
            }
            Ok((*visit.id.as_uuid(), visit))
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
        <form class="card form" data-testid="visit-form" on:submit=submit novalidate>
            <p class="hint">{head}</p>
            {input(PairMsg::VisitDate, "on", Kind::Date, f.on, f.error, "on")}
            {input(PairMsg::Found, "note", Kind::Area, f.note, f.error, "note")}
            {input(PairMsg::Problems, "problems", Kind::Area, f.problems, f.error, "problems")}
            <Select id="visit-member" label=PairMsg::Visitor value=f.member choices=choices/>
            <FieldError error=f.error field="member"/>
            <FormAlert error=f.error fields=FIELDS/>
            <button type="submit" class="btn pair-wide" disabled=move || busy.get()>
                {i18n.t(PairMsg::SaveVisit)}
            </button>
        </form>
    }
    .into_any()
}
