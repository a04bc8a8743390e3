//! `/pairing/h/:id/support`: one item of support: funds, goods valued in
//! yuan, production help (with the mu of crops restructured), an income
//! project or money-making information; what it was, when, and who gave
//! it. Amounts are typed in yuan ("500" or "500.50") and read by core into
//! fen; nothing is stored unless the whole item passes core's checks.

use std::sync::Arc;

use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::SupportId;
use xianfeng_core::pairing::{SupportItem, SupportKind, SupportType};

use super::data::{Data, Shared};
use super::form::{allowed_fact, helper_fact_page, today, HelperFact, Kind};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, OrForm};

const PAGE: HelperFact = HelperFact {
    page_testid: "page-pairing-support",
    title: PairMsg::LogSupport,
    form_testid: "support-form",
    select_id: "support-member",
    select_label: PairMsg::Giver,
    save_label: PairMsg::SaveSupport,
    fields: &["member", "on", "amount", "value", "area", "description"],
};

#[component]
pub fn SupportPage() -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let kind = RwSignal::new(SupportType::Funds);
    let amount = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let error = RwSignal::new(None);
    let inputs = move || {
        let kinds = SupportType::ALL
            .iter()
            .map(|&k| kit::pick("kind", k.code(), k.label(lang).into(), kind, k))
            .collect::<Vec<_>>();
        view! {
            <fieldset class="pair-group">
                <legend>{i18n.t(PairMsg::SupportKind)}</legend>
                {kinds}
            </fieldset>
            <Show when=move || kind.get() == SupportType::Funds>
                {kit::input(i18n.t(PairMsg::Amount), "amount", Kind::Decimal, amount, error, "amount")}
            </Show>
            <Show when=move || kind.get() == SupportType::Goods>
                {kit::input(i18n.t(PairMsg::GoodsValue), "amount", Kind::Decimal, amount, error, "value")}
            </Show>
            <Show when=move || kind.get() == SupportType::Production>
                {kit::input(i18n.t(PairMsg::Area), "area", Kind::Decimal, area, error, "area")}
            </Show>
            {kit::input(i18n.t(PairMsg::Description), "description", Kind::Text, description, error, "description")}
            {kit::input(i18n.t(PairMsg::SupportDate), "on", Kind::Date, on, error, "on")}
        }
        .into_any()
    };
    let probe = |d: &Data, household, m, on| {
        SupportItem::new(
            SupportId::from_u128(0),
            household,
            m,
            on,
            SupportKind::Project,
            "-",
        )
        .is_ok_and(|s| d.may_write(&s))
    };
    let build = Arc::new(move |d: &Shared, household, m| {
        let on = parse_date("on", &on.get_untracked()).or_form(i18n)?;
        let support = SupportKind::from_form(
            kind.get_untracked(),
            &amount.get_untracked(),
            &area.get_untracked(),
        )
        .or_form(i18n)?;
        let item = SupportItem::new(
            SupportId::generate(),
            household,
            m,
            on,
            support,
            description.get_untracked(),
        )
        .or_form(i18n)?;
        allowed_fact(d, *item.id.as_uuid(), &item, i18n)
    });
    helper_fact_page(PAGE, error, inputs, probe, build)
}
