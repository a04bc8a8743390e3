//! The fields of 结对帮扶登记卡, shared by the new-card and edit screens:
//! household head, village, size, attribute, causes of difficulty (the
//! standard list) and an optional contact. Nothing else is asked: no ID
//! numbers, no address beyond the village.

use leptos::prelude::*;
use xianfeng_core::ids::{HouseholdId, VillageId};
use xianfeng_core::pairing::{Household, HouseholdAttribute, PovertyCause};

use super::form::{Kind, Select};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, FieldError, FormError, Input, OrForm};

/// The form's state, one signal per field.
#[derive(Clone, Copy)]
pub struct CardFields {
    pub head: RwSignal<String>,
    pub village: RwSignal<String>,
    pub size: RwSignal<String>,
    pub attribute: RwSignal<HouseholdAttribute>,
    pub causes: RwSignal<Vec<PovertyCause>>,
    pub contact: RwSignal<String>,
}

impl CardFields {
    /// Empty, or filled from an existing card.
    pub fn new(card: Option<&Household>) -> CardFields {
        CardFields {
            head: RwSignal::new(card.map(|c| c.head.clone()).unwrap_or_default()),
            village: RwSignal::new(card.map(|c| c.village.to_string()).unwrap_or_default()),
            size: RwSignal::new(card.map(|c| c.size.to_string()).unwrap_or_default()),
            attribute: RwSignal::new(card.map_or(HouseholdAttribute::General, |c| c.attribute)),
            causes: RwSignal::new(card.map(|c| c.causes.clone()).unwrap_or_default()),
            contact: RwSignal::new(card.and_then(|c| c.contact.clone()).unwrap_or_default()),
        }
    }

    /// The card as typed, checked by core; or the error for its field.
    pub fn build(&self, id: HouseholdId, i18n: I18n) -> Result<Household, FormError> {
        let village: VillageId = self
            .village
            .get_untracked()
            .parse()
            .map_err(|_| FormError::new(Some("village"), i18n.t(PairMsg::ChooseVillage)))?;
        let size: u8 = self
            .size
            .get_untracked()
            .trim()
            .parse()
            .map_err(|_| FormError::new(Some("size"), i18n.t(PairMsg::SizeInvalid)))?;
        // The standard list's order, whatever order they were ticked in.
        let ticked = self.causes.get_untracked();
        let causes = PovertyCause::ALL
            .iter()
            .copied()
            .filter(|c| ticked.contains(c))
            .collect();
        let contact = Some(self.contact.get_untracked());
        Household::new(
            id,
            self.head.get_untracked(),
            village,
            size,
            self.attribute.get_untracked(),
            causes,
            contact,
        )
        .or_form(i18n)
    }
}

/// The card's inputs; `villages` are those the phone may register in.
/// The fields the card form shows errors under (others above the button).
const FIELDS: &[&str] = &["head", "village", "size", "attribute", "causes", "contact"];

/// The card form: its inputs, the errors and the save button labelled
/// `save_label` (a new card and an edit differ only in what they save).
pub fn card_form(
    fields: CardFields,
    villages: Vec<(String, String)>,
    save: kit::Save,
    save_label: PairMsg,
    submit: impl Fn(leptos::ev::SubmitEvent) + 'static,
) -> AnyView {
    let i18n = I18n::use_context();
    let error = save.error;
    view! {
        <form class="card form" data-testid="card-form" on:submit=submit novalidate>
            <CardInputs fields=fields villages=villages error=error/>
            {kit::submit_row(save, FIELDS, i18n.t(save_label), None)}
        </form>
    }
    .into_any()
}

#[component]
pub fn CardInputs(
    fields: CardFields,
    villages: Vec<(String, String)>,
    error: RwSignal<Option<FormError>>,
) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    if fields.village.get_untracked().is_empty() {
        if let Some((id, _)) = villages.first() {
            fields.village.set(id.clone());
        }
    }
    let attributes = HouseholdAttribute::ALL
        .iter()
        .map(|&a| {
            kit::pick(
                "attribute",
                a.code(),
                a.label(lang).into(),
                fields.attribute,
                a,
            )
        })
        .collect::<Vec<_>>();
    let causes = PovertyCause::ALL
        .iter()
        .map(|&c| {
            let checked = Signal::derive(move || fields.causes.with(|list| list.contains(&c)));
            let pick = Callback::new(move |on| {
                fields.causes.update(|list| {
                    list.retain(|x| *x != c);
                    if on {
                        list.push(c);
                    }
                })
            });
            kit::choice(
                Input::Checkbox,
                "causes",
                c.code(),
                c.label(lang).into(),
                checked,
                pick,
            )
        })
        .collect::<Vec<_>>();
    view! {
        <p class="hint">{i18n.t(PairMsg::MinimumData)}</p>
        {kit::input(i18n.t(PairMsg::Head), "head", Kind::Text, fields.head, error, "head")}
        <Select id="pair-village" label=PairMsg::Village value=fields.village choices=villages/>
        <FieldError error=error field="village"/>
        {kit::input(i18n.t(PairMsg::Size), "size", Kind::Number, fields.size, error, "size")}
        <fieldset class="pair-group">
            <legend>{i18n.t(PairMsg::Attribute)}</legend>
            {attributes}
        </fieldset>
        <FieldError error=error field="attribute"/>
        <fieldset class="pair-group pair-causes">
            <legend>{i18n.t(PairMsg::Causes)}</legend>
            {causes}
        </fieldset>
        <FieldError error=error field="causes"/>
        {kit::input(i18n.t(PairMsg::ContactOptional), "contact", Kind::Tel, fields.contact, error, "contact")}
        <p class="hint">{i18n.t(PairMsg::ContactHint)}</p>
    }
}
