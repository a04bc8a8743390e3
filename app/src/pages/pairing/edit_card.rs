//! `/pairing/h/:id/edit`: change a household card. Only the fields that
//! changed are sent, so two cadres editing different fields offline both
//! keep their edits (core's per-field merge); the same field edited on two
//! phones goes to the office's conflict list.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use xianfeng_core::ids::HouseholdId;
use xianfeng_core::pairing::Household;

use super::card_form::{card_form, CardFields};
use super::data::Shared;
use super::form::WithData;
use super::{card_href, route_id, NoHouseholds};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{changed_fields, FormError, Save, Write};

#[component]
pub fn EditCard() -> impl IntoView {
    let i18n = I18n::use_context();
    let id = route_id().map(HouseholdId::from_uuid);
    // Filled from the card once it is loaded and kept through reloads;
    // `base` is the card as it was then: the edit is what differs from it
    // (a field another phone changed meanwhile is not sent back).
    let fields = CardFields::new(None);
    let base = RwSignal::new(None::<Household>);
    let error = RwSignal::new(None::<FormError>);
    view! {
        <WithData testid="page-pairing-edit" title=PairMsg::EditCard once=true body=move |d: Shared| {
                let card = id.and_then(|id| d.household(id)).filter(|h| d.may_read_household(h));
                match card {
                    _ if !d.sees_households() => view! { <NoHouseholds data=d.clone()/> }.into_any(),
                    None => view! { <p class="empty">{i18n.t(PairMsg::CardNotFound)}</p> }.into_any(),
                    Some(card) => {
                        if base.with_untracked(Option::is_none) {
                            let f = CardFields::new(Some(card));
                            fields.head.set(f.head.get_untracked());
                            fields.village.set(f.village.get_untracked());
                            fields.size.set(f.size.get_untracked());
                            fields.attribute.set(f.attribute.get_untracked());
                            fields.causes.set(f.causes.get_untracked());
                            fields.contact.set(f.contact.get_untracked());
                            base.set(Some(card.clone()));
                        }
                        view! { <Form data=d.clone() id=card.id base=base fields=fields error=error/> }.into_any()
                    }
                }
            }/>
    }
}

#[component]
fn Form(
    data: Shared,
    id: HouseholdId,
    base: RwSignal<Option<Household>>,
    fields: CardFields,
    error: RwSignal<Option<FormError>>,
) -> impl IntoView {
    let i18n = I18n::use_context();
    let Some(old) = base.get_untracked() else {
        return ().into_any();
    };
    // The card's own village stays on offer even if this phone may not
    // register new cards there.
    let mut villages: Vec<(String, String)> = data
        .villages_for_new_card()
        .into_iter()
        .map(|v| (v.id.to_string(), v.name.clone()))
        .collect();
    if !villages.iter().any(|(v, _)| *v == old.village.to_string()) {
        let name = data
            .village_name(old.village)
            .unwrap_or_default()
            .to_string();
        villages.insert(0, (old.village.to_string(), name));
    }
    let save = Save::with_error(error);
    let navigate = use_navigate();
    let build = move || {
        let card = fields.build(id, i18n)?;
        // Only the fields changed here: other phones' edits of the rest stand.
        let changed = changed_fields(&old, &card);
        let write = Write::fields(data.actor(), *id.as_uuid(), &card, Some(&changed), i18n)?;
        Ok((
            (!changed.is_empty()).then_some(write).into_iter().collect(),
            (),
        ))
    };
    let done = move |()| navigate(&card_href(id, ""), Default::default());
    let submit = save.on_submit(i18n, build, done);
    card_form(fields, villages, save, PairMsg::SaveChanges, submit)
}
