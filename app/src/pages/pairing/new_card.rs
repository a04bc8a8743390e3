//! `/pairing/new`: 结对帮扶登记卡: a new household card, offline or not.
//! The villages offered are those core's scope rule lets this phone
//! register in; the card is stored with its outbox entry in one step.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use xianfeng_core::ids::HouseholdId;

use super::card_form::{CardFields, CardInputs};
use super::data::Shared;
use super::form::WithData;
use super::{card_href, NoHouseholds};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{FormAlert, FormError, Save, Write};

const FIELDS: &[&str] = &["head", "village", "size", "attribute", "causes", "contact"];

#[component]
pub fn NewCard() -> impl IntoView {
    let i18n = I18n::use_context();
    // Outside the data frame: typing survives a reload after a sync.
    let fields = CardFields::new(None);
    let error = RwSignal::new(None::<FormError>);
    view! {
        <section class="page" data-testid="page-pairing-new">
            <h2>{i18n.t(PairMsg::NewCard)}</h2>
            <WithData once=true body=move |d: Shared| {
                if d.sees_households() {
                    view! { <Form data=d fields=fields error=error/> }.into_any()
                } else {
                    view! { <NoHouseholds data=d/> }.into_any()
                }
            }/>
        </section>
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
    let save = Save {
        busy: RwSignal::new(false),
        error,
    };
    let busy = save.busy;
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let id = HouseholdId::generate();
        let write = fields
            .build(id, i18n)
            .and_then(|card| Write::fields(data.actor(), *id.as_uuid(), &card, None, i18n));
        let navigate = navigate.clone();
        save.write(i18n, write, move || {
            navigate(&card_href(id, ""), Default::default())
        });
    };
    view! {
        <form class="card form" data-testid="card-form" on:submit=submit novalidate>
            <CardInputs fields=fields villages=villages error=error/>
            <FormAlert error=error fields=FIELDS/>
            <button type="submit" class="btn pair-wide" disabled=move || busy.get()>
                {i18n.t(PairMsg::SaveCard)}
            </button>
        </form>
    }
    .into_any()
}
