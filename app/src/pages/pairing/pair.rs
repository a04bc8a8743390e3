//! `/pairing/h/:id/pair`: pair the household with a member from a start
//! date (or hand it to another member: the current pairing then ends on
//! that date). The members offered are those core's scope rule lets this
//! phone name on the household's pairing.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{HouseholdId, PairingId};
use xianfeng_core::pairing::{current_pairing, Pairing};

use super::card_href;
use super::data::Shared;
use super::form::{chosen_member, today, HouseholdForm, Kind, Select};
use crate::i18n::{I18n, PairMsg};
use crate::kit::{self, FieldError, FormError, OrForm, Save, Write};

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
        .map(|on| data.members_for(household, &|m| data.may_pair(household, m, on), ""))
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
    let save = Save::with_error(error);
    let navigate = use_navigate();
    let build = move || {
        let m = chosen_member(member, i18n)?;
        let on = parse_date("since", &since.get_untracked()).or_form(i18n)?;
        let new = Pairing::new(PairingId::generate(), m, household, on, None).or_form(i18n)?;
        // The new pairing first: should the second step fail, the newest
        // open pairing is still the one that counts.
        let mut writes = vec![Write::fields(
            data.actor(),
            *new.id.as_uuid(),
            &new,
            None,
            i18n,
        )?];
        // The pairing it replaces ends on the new start date.
        if let Some(c) = &current {
            let ended = Pairing::new(c.id, c.member, c.household, c.since, Some(on))
                .map_err(|_| FormError::new(Some("since"), i18n.t(PairMsg::SinceBeforeCurrent)))?;
            let until = [String::from("until")];
            let id = *ended.id.as_uuid();
            writes.push(Write::fields(data.actor(), id, &ended, Some(&until), i18n)?);
        }
        Ok((writes, ()))
    };
    let done = move |()| navigate(&card_href(household, ""), Default::default());
    let submit = save.on_submit(i18n, build, done);
    view! {
        <form class="card form" data-testid="pair-form" on:submit=submit novalidate>
            <p class="hint">{name}</p>
            <Select id="pair-member" label=PairMsg::Member value=member choices=choices/>
            <FieldError error=error field="member"/>
            {kit::input(i18n.t(PairMsg::Since), "since", Kind::Date, since, error, "since")}
            {kit::submit_row(save, FIELDS, i18n.t(PairMsg::SavePairing), None)}
        </form>
    }
    .into_any()
}
