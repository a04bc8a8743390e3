//! `/pairing/new`: 结对帮扶登记卡: a new household card, offline or not.
//! The villages offered are those core's scope rule lets this phone
//! register in; the card is stored with its outbox entry in one step.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use xianfeng_core::ids::HouseholdId;

use super::card_form::{card_form, CardFields};
use super::data::Shared;
use super::form::WithData;
use super::{card_href, NoHouseholds};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{FormError, Save, Write};

#[component]
pub fn NewCard() -> impl IntoView {
    // Outside the data frame: typing survives a reload after a sync.
    let fields = CardFields::new(None);
    let error = RwSignal::new(None::<FormError>);
    view! {
        <WithData testid="page-pairing-new" title=PairMsg::NewCard once=true body=move |d: Shared| {
                if d.sees_households() {
                    view! { <Form data=d fields=fields error=error/> }.into_any()
                } else {
                    view! { <NoHouseholds data=d/> }.into_any()
                }
            }/>
    }
}

#[component]
fn Form(data: Shared, fields: CardFields, error: RwSignal<Option<FormError>>) -> impl IntoView {
    let i18n = I18n::use_context();
    let villages: Vec<(String, String)> = data
        .villages_for_new_card()
        .into_iter()
        .map(|v| (v.id.to_string(), v.name.clone()))
        .collect();
    if villages.is_empty() {
        return view! { <p class="empty">{i18n.t(PairMsg::CannotCreate)}</p> }.into_any();
    }
    let save = Save::with_error(error);
    let navigate = use_navigate();
    let build = move || {
        let id = HouseholdId::generate();
        let card = fields.build(id, i18n)?;
        Ok((
            vec![Write::fields(
                data.actor(),
                *id.as_uuid(),
                &card,
                None,
                i18n,
            )?],
            id,
        ))
    };
    let done = move |id| navigate(&card_href(id, ""), Default::default());
    let submit = save.on_submit(i18n, build, done);
    card_form(fields, villages, save, PairMsg::SaveCard, submit)
}
