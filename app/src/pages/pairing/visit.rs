//! `/pairing/h/:id/visit`: quick entry of a visit (走访): the date, what
//! was found and the problems the household raised, and who visited (the
//! paired member unless another is chosen). Works offline.

use std::sync::Arc;

use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::VisitId;
use xianfeng_core::pairing::Visit;

use super::form::{allowed_fact, helper_fact_page, today, HelperFact, Kind};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, OrForm};

const PAGE: HelperFact = HelperFact {
    page_testid: "page-pairing-visit",
    title: PairMsg::LogVisit,
    form_testid: "visit-form",
    select_id: "visit-member",
    select_label: PairMsg::Visitor,
    save_label: PairMsg::SaveVisit,
    fields: &["member", "on", "note", "problems"],
};

#[component]
pub fn VisitPage() -> impl IntoView {
    let i18n = I18n::use_context();
    let on = RwSignal::new(today());
    let note = RwSignal::new(String::new());
    let problems = RwSignal::new(String::new());
    let error = RwSignal::new(None);
    let inputs = move || {
        view! {
            {kit::input(i18n.t(PairMsg::VisitDate), "on", Kind::Date, on, error, "on")}
            {kit::input(i18n.t(PairMsg::Found), "note", Kind::Area, note, error, "note")}
            {kit::input(i18n.t(PairMsg::Problems), "problems", Kind::Area, problems, error, "problems")}
        }
        .into_any()
    };
    let probe = |d: &super::data::Data, household, m, on| {
        Visit::new(VisitId::from_u128(0), household, m, on, "").is_ok_and(|v| d.may_write(&v))
    };
    let build = Arc::new(move |d: &super::data::Shared, household, m| {
        let on = parse_date("on", &on.get_untracked()).or_form(i18n)?;
        let visit = Visit::new(VisitId::generate(), household, m, on, note.get_untracked())
            .and_then(|v| v.with_problems(problems.get_untracked()))
            .or_form(i18n)?;
        allowed_fact(d, *visit.id.as_uuid(), &visit, i18n)
    });
    helper_fact_page(PAGE, error, inputs, probe, build)
}
