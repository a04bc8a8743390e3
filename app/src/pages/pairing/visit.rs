//! `/pairing/h/:id/visit`: quick entry of a visit (走访): the date, what
//! was found and the problems the household raised, and who visited (the
//! paired member unless another is chosen). Works offline.

use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{HouseholdId, VisitId};
use xianfeng_core::pairing::Visit;

use super::data::Shared;
use super::form::{
    allowed_fact, helper_choices, helper_fact_form, today, HelperFact, HouseholdForm, Kind,
};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, FormError, OrForm};

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
    let inputs = view! {
        {kit::input(i18n.t(PairMsg::VisitDate), "on", Kind::Date, f.on, f.error, "on")}
        {kit::input(i18n.t(PairMsg::Found), "note", Kind::Area, f.note, f.error, "note")}
        {kit::input(i18n.t(PairMsg::Problems), "problems", Kind::Area, f.problems, f.error, "problems")}
    }
    .into_any();
    let spec = HelperFact {
        form_testid: "visit-form",
        select_id: "visit-member",
        select_label: PairMsg::Visitor,
        save_label: PairMsg::SaveVisit,
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
            allowed_fact(&d, *visit.id.as_uuid(), &visit, i18n)
        },
    )
}
