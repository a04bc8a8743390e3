//! `/pairing`: the household cards this phone may read, one line each
//! (head, village, size, attribute, the contact masked, the paired member),
//! the section's other screens, and 新建登记卡 low on the screen. Long
//! lists come 50 cards at a time (显示更多).
//!
//! Why masked: a list is seen over a shoulder; the full contact is only on
//! the card itself.

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::pairing::{current_pairings, mask_contact};
use xianfeng_core::Role;

use super::data::Shared;
use super::form::WithData;
use super::{card_href, member_label, NoHouseholds, UnsentMark};
use crate::i18n::{fill, I18n, PairMsg};
use crate::kit::show_more;

/// Cards shown at first, and added by each 显示更多.
const PAGE: usize = 50;

#[component]
pub fn PairingHome() -> impl IntoView {
    view! {
        <WithData testid="page-pairing" title=PairMsg::Title body=|d: Shared| {
                let note = crate::kit::read_only_note(xianfeng_core::sections::Section::Pairing);
                if d.sees_households() { view! { {note} <Home data=d/> }.into_any() } else {
                    view! { {note} <NoHouseholds data=d/> }.into_any()
                }
            }/>
    }
}

#[component]
fn Home(data: Shared) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let office = data.actor().is_some_and(|a| a.role == Role::Office);
    let can_create = !data.villages_for_new_card().is_empty();
    // A city's office reads 2,000 cards: they come a page at a time.
    let shown = RwSignal::new(PAGE);
    let list = data.clone();
    let rows = move || {
        let data = &list;
        let current = current_pairings(&data.pairings);
        let readable: Vec<_> = data
            .households
            .iter()
            .filter(|h| data.may_read_household(h))
            .collect();
        let limit = shown.get();
        let rest = readable.len().saturating_sub(limit);
        let rows = readable
            .into_iter()
            .take(limit)
            .map(|h| {
                let village = data.village_name(h.village).unwrap_or_default().to_string();
                let size = fill(i18n.t(PairMsg::SizeN), &[("n", &h.size)]);
                let attribute = h.attribute.label(lang);
                let contact = h.contact.as_deref().map(mask_contact);
                let paired = match current.get(&h.id) {
                    Some(p) => fill(
                        i18n.t(PairMsg::PairedWith),
                        &[("name", &member_label(data, p.member, i18n))],
                    ),
                    None => i18n.t(PairMsg::NotPaired).to_string(),
                };
                let unsent = data.unsent.contains(h.id.as_uuid());
                let head = h.head.clone();
                view! {
                    <li>
                        <A href=card_href(h.id, "") attr:class="pair-row" attr:data-testid="household-row">
                            <span class="pair-row-head">
                                <strong>{head}</strong>
                                {unsent.then(|| view! { <UnsentMark/> })}
                            </span>
                            <span class="muted">{village} " · " {size} " · " {attribute}</span>
                            {contact.map(|c| view! { <span class="muted" data-testid="contact-masked">{c}</span> })}
                            <span class="muted">{paired}</span>
                        </A>
                    </li>
                }
                .into_any()
            })
            .collect::<Vec<_>>();
        let label = fill(i18n.t(PairMsg::ShowMore), &[("n", &rest)]);
        let more = show_more(shown, rest, PAGE, label, "btn btn-secondary pair-wide");
        view! {
            <ul class="pair-list" data-testid="household-list">{rows}</ul>
            {more}
        }
    };
    let empty = data.households.is_empty();
    view! {
        <nav class="pair-nav" aria-label=i18n.t(PairMsg::SectionNav)>
            <A href="/pairing/reports" attr:class="btn btn-secondary">
                {i18n.t(PairMsg::Reports)}
            </A>
            <A href="/pairing/summary" attr:class="btn btn-secondary">
                {i18n.t(PairMsg::Summary)}
            </A>
            {office
                .then(|| {
                    view! {
                        <A href="/pairing/conflicts" attr:class="btn btn-secondary">
                            {i18n.t(PairMsg::Conflicts)}
                        </A>
                    }
                })}
        </nav>
        <h3 class="pair-subtitle">{i18n.t(PairMsg::Cards)}</h3>
        {if empty {
            view! { <p class="empty">{i18n.t(PairMsg::NoCards)}</p> }.into_any()
        } else {
            rows.into_any()
        }}
        <div class="pair-bottom">
            {if can_create {
                view! {
                    <A href="/pairing/new" attr:class="btn pair-wide">
                        {i18n.t(PairMsg::NewCard)}
                    </A>
                }
                    .into_any()
            } else {
                view! { <p class="hint">{i18n.t(PairMsg::CannotCreate)}</p> }.into_any()
            }}
        </div>
    }
}
