//! `/pairing/h/:id/support`: one item of support: funds, goods valued in
//! yuan, production help (with the mu of crops restructured), an income
//! project or money-making information; what it was, when, and who gave
//! it. Amounts are typed in yuan ("500" or "500.50") and read by core into
//! fen; nothing is stored unless the whole item passes core's checks.

use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{HouseholdId, SupportId};
use xianfeng_core::pairing::{SupportItem, SupportKind, SupportType};

use super::data::Shared;
use super::form::{
    allowed_fact, helper_choices, helper_fact_form, today, HelperFact, HouseholdForm, Kind,
};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, FormError, OrForm};

const FIELDS: &[&str] = &["member", "on", "amount", "value", "area", "description"];

#[derive(Clone, Copy)]
struct Fields {
    kind: RwSignal<SupportType>,
    amount: RwSignal<String>,
    area: RwSignal<String>,
    description: RwSignal<String>,
    member: RwSignal<String>,
    on: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
}

#[component]
pub fn SupportPage() -> impl IntoView {
    let f = Fields {
        kind: RwSignal::new(SupportType::Funds),
        amount: RwSignal::new(String::new()),
        area: RwSignal::new(String::new()),
        description: RwSignal::new(String::new()),
        member: RwSignal::new(String::new()),
        on: RwSignal::new(today()),
        error: RwSignal::new(None),
    };
    view! {
        <HouseholdForm
            testid="page-pairing-support"
            title=PairMsg::LogSupport
            form=move |d: Shared, h: HouseholdId| view! { <Form data=d household=h f=f/> }.into_any()
        />
    }
}

#[component]
fn Form(data: Shared, household: HouseholdId, f: Fields) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let choices = helper_choices(&data, household, f.member, i18n, |m, on| {
        SupportItem::new(
            SupportId::from_u128(0),
            household,
            m,
            on,
            SupportKind::Project,
            "-",
        )
        .ok()
    });
    let kinds = SupportType::ALL
        .iter()
        .map(|&k| {
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name="kind"
                        value=k.code()
                        prop:checked=move || f.kind.get() == k
                        on:change=move |_| f.kind.set(k)
                    />
                    <span>{k.label(lang)}</span>
                </label>
            }
            .into_any()
        })
        .collect::<Vec<_>>();
    let inputs = view! {
        <fieldset class="pair-group">
            <legend>{i18n.t(PairMsg::SupportKind)}</legend>
            {kinds}
        </fieldset>
        <Show when=move || f.kind.get() == SupportType::Funds>
            {kit::input(i18n.t(PairMsg::Amount), "amount", Kind::Decimal, f.amount, f.error, "amount")}
        </Show>
        <Show when=move || f.kind.get() == SupportType::Goods>
            {kit::input(i18n.t(PairMsg::GoodsValue), "amount", Kind::Decimal, f.amount, f.error, "value")}
        </Show>
        <Show when=move || f.kind.get() == SupportType::Production>
            {kit::input(i18n.t(PairMsg::Area), "area", Kind::Decimal, f.area, f.error, "area")}
        </Show>
        {kit::input(i18n.t(PairMsg::Description), "description", Kind::Text, f.description, f.error, "description")}
        {kit::input(i18n.t(PairMsg::SupportDate), "on", Kind::Date, f.on, f.error, "on")}
    }
    .into_any();
    let spec = HelperFact {
        form_testid: "support-form",
        select_id: "support-member",
        select_label: PairMsg::Giver,
        save_label: PairMsg::SaveSupport,
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
            let support = SupportKind::from_form(
                f.kind.get_untracked(),
                &f.amount.get_untracked(),
                &f.area.get_untracked(),
            )
            .or_form(i18n)?;
            let item = SupportItem::new(
                SupportId::generate(),
                household,
                m,
                on,
                support,
                f.description.get_untracked(),
            )
            .or_form(i18n)?;
            allowed_fact(&d, *item.id.as_uuid(), &item, i18n)
        },
    )
}
