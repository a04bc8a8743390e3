//! `/pairing/h/:id/pair`: pair the household with a member from a start
//! date (or hand it to another member: the current pairing then ends on
//! that date). The members offered are those core's scope rule lets this
//! phone name on the household's pairing.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{HouseholdId, PairingId};
use xianfeng_core::pairing::{current_pairing, Pairing};

use super::card_href;
use super::data::Shared;
use super::form::{chosen_member, input, today, HouseholdForm, Kind, Select};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{save_fields, FieldError, FormAlert, FormError, OrForm};

const FIELDS: &[&str] = &["member", "since"];

#[component]
pub fn PairPage() -> impl IntoView {
    let member = RwSignal::new(String::new());
    let since = RwSignal::new(today());
    let error = RwSignal::new(None::<FormError>);
    view! {
        <HouseholdForm
            testid="page-pairing-pair"
            title=PairMsg::Pair
            form=move |d: Shared, h: HouseholdId| {
                view! { <Form data=d household=h member=member since=since error=error/> }.into_any()
            }
        />
    }
}

#[component]
fn Form(
    data: Shared,
    household: HouseholdId,
    member: RwSignal<String>,
    since: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
) -> impl IntoView {
    let i18n = I18n::use_context();
    let current = current_pairing(household, &data.pairings).cloned();
    let on = parse_date("since", &today()).ok();
    let choices: Vec<(String, String)> = on
        .map(|on| {
            data.members_for(
                household,
                |m| Pairing::new(PairingId::from_u128(0), m, household, on, None).ok(),
                "",
            )
        })
        .unwrap_or_default()
        .into_iter()
        .filter(|(m, _)| current.as_ref().is_none_or(|c| c.member != *m))
        .filter(|(_, name)| !name.is_empty())
        .map(|(m, name)| (m.to_string(), name))
        .collect();
    let name = data
        .household(household)
        .map(|h| h.head.clone())
        .unwrap_or_default();
    if choices.is_empty() {
        return view! { <p class="empty" data-testid="pair-no-members">{i18n.t(PairMsg::NoMembersHere)}</p> }
            .into_any();
    }
    if member.with_untracked(String::is_empty) {
        member.set(choices[0].0.clone());
    }
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let built = (|| {
            let m = chosen_member(member, i18n)?;
            let on = parse_date("since", &since.get_untracked()).or_form(i18n)?;
            let new = Pairing::new(PairingId::generate(), m, household, on, None).or_form(i18n)?;
            // The pairing it replaces ends on the new start date.
            let ended = match &current {
                Some(c) => Some(
                    Pairing::new(c.id, c.member, c.household, c.since, Some(on)).map_err(|_| {
                        FormError::new(Some("since"), i18n.t(PairMsg::SinceBeforeCurrent))
                    })?,
                ),
                None => None,
            };
            if !data.may_write(&new) || ended.as_ref().is_some_and(|e| !data.may_write(e)) {
                return Err(FormError::not_allowed(i18n));
            }
            Ok((new, ended))
        })();
        let (new, ended) = match built {
            Ok(b) => b,
            Err(e) => return error.set(Some(e)),
        };
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            // The new pairing first: should the second step fail, the
            // newest open pairing is still the one that counts.
            let mut result = save_fields(*new.id.as_uuid(), &new, None).await;
            if let (Ok(()), Some(ended)) = (&result, &ended) {
                let until = vec![String::from("until")];
                result = save_fields(*ended.id.as_uuid(), ended, Some(&until)).await;
            }
            match result {
                Ok(()) => navigate(&card_href(household, ""), Default::default()),
                Err(e) => {
                    error.try_set(Some(FormError::storage(&e, i18n)));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <form class="card form" data-testid="pair-form" on:submit=submit novalidate>
            <p class="hint">{name}</p>
            <Select id="pair-member" label=PairMsg::Member value=member choices=choices/>
            <FieldError error=error field="member"/>
            {input(PairMsg::Since, "since", Kind::Date, since, error, "since")}
            <FormAlert error=error fields=FIELDS/>
            <button type="submit" class="btn pair-wide" disabled=move || busy.get()>
                {i18n.t(PairMsg::SavePairing)}
            </button>
        </form>
    }
    .into_any()
}
