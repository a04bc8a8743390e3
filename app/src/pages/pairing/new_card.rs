//! `/pairing/new`: 结对帮扶登记卡: a new household card, offline or not.
//! The villages offered are those core's scope rule lets this phone
//! register in; the card is stored with its outbox entry in one step.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use xianfeng_core::ids::HouseholdId;

use super::card_form::{CardFields, CardInputs};
use super::data::{save_fields, Shared};
use super::form::{FormAlert, FormError, WithData};
use super::{card_href, NoHouseholds};
use crate::i18n::{I18n, PairMsg};

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
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let id = HouseholdId::generate();
        let card = match fields.build(id, i18n) {
            Ok(card) if data.may_write(&card) => card,
            Ok(_) => return error.set(Some(FormError::not_allowed(i18n))),
            Err(e) => return error.set(Some(e)),
        };
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match save_fields(*id.as_uuid(), &card, None).await {
                Ok(()) => navigate(&card_href(id, ""), Default::default()),
                Err(e) => {
                    error.try_set(Some(FormError::storage(&e, i18n)));
                }
            }
            busy.try_set(false);
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
