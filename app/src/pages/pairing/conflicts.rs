//! `/pairing/conflicts`: 冲突记录 for the office: where two phones changed
//! the same field of a household card (or pairing) without seeing each
//! other's change, which value was kept (core's merge rule) and which
//! other value lost, so the office can check with the village. The list
//! lives on the server (`GET /api/conflicts`, office only), so it needs a
//! connection; contacts stay masked here as in every list.

use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use xianfeng_core::ids::HouseholdId;
use xianfeng_core::pairing::field_value_text;
use xianfeng_core::pairing::privacy::field_label;
use xianfeng_core::sync::FieldVersion;
use xianfeng_core::{RecordKind, Role};

use super::card_href;
use super::data::{Data, Shared};
use super::form::WithData;
use crate::i18n::{date_time, I18n, PairMsg};
use crate::network::Online;
use crate::sync::{self, SyncFailure, SyncStatus};

/// One entry of `GET /api/conflicts` (the parts shown; spelled out rather
/// than `#[serde(flatten)]`, which costs bundle bytes).
#[derive(Clone, Debug, Deserialize)]
struct ConflictEntry {
    at: String,
    kind: RecordKind,
    id: uuid::Uuid,
    field: String,
    winner: FieldVersion,
    loser: FieldVersion,
}

#[derive(Clone, Debug, Deserialize)]
struct ConflictList {
    conflicts: Vec<ConflictEntry>,
}

/// Why the list could not be shown.
#[derive(Clone, Debug)]
enum Missing {
    Offline,
    Failed(SyncFailure),
}

#[component]
pub fn ConflictsPage() -> impl IntoView {
    view! {
        <WithData testid="page-pairing-conflicts" title=PairMsg::Conflicts body=|d: Shared| {
                if d.actor().is_some_and(|a| a.role == Role::Office) {
                    view! { <Conflicts data=d/> }.into_any()
                } else {
                    view! { <p class="empty">{I18n::use_context().t(PairMsg::ConflictsOfficeOnly)}</p> }.into_any()
                }
            }/>
    }
}

#[component]
fn Conflicts(data: Shared) -> impl IntoView {
    let i18n = I18n::use_context();
    let Online(online) = expect_context::<Online>();
    let status = SyncStatus::use_context();
    let token = data
        .identity
        .as_ref()
        .map(|i| i.token.clone())
        .unwrap_or_default();
    // Read again after each successful sync (not at every step of one).
    let synced = Memo::new(move |_| status.with(|s| s.last_ok));
    let list = LocalResource::new(move || {
        let on = online.get();
        synced.track();
        let token = token.clone();
        async move {
            if !on {
                return Err(Missing::Offline);
            }
            let text = sync::get("/api/conflicts", Some(&token))
                .await
                .map_err(Missing::Failed)?;
            serde_json::from_str::<ConflictList>(&text)
                .map_err(|_| Missing::Failed(SyncFailure::Server { status: 200 }))
        }
    });
    view! {
        <p class="hint">{i18n.t(PairMsg::ConflictsHint)}</p>
        <Transition fallback=crate::kit::loading>
            {move || {
                let data = data.clone();
                list.get()
                    .map(|result| match result {
                        Ok(list) => rows(&data, &list.conflicts, i18n).into_any(),
                        Err(Missing::Offline) => {
                            view! { <p class="empty" data-testid="conflicts-offline">{i18n.t(PairMsg::ConflictsOffline)}</p> }
                                .into_any()
                        }
                        Err(Missing::Failed(f)) => {
                            view! { <p class="error" role="alert">{f.text(i18n.lang())}</p> }.into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// The household a conflicting record belongs to.
fn household_of(data: &Data, c: &ConflictEntry) -> Option<HouseholdId> {
    match c.kind {
        RecordKind::Household => Some(HouseholdId::from_uuid(c.id)),
        RecordKind::Pairing => data
            .pairings
            .iter()
            .find(|p| *p.id.as_uuid() == c.id)
            .map(|p| p.household),
        _ => None,
    }
}

fn rows(data: &Data, entries: &[ConflictEntry], i18n: I18n) -> impl IntoView {
    let lang = i18n.lang();
    let items: Vec<_> = entries
        .iter()
        .filter_map(|e| {
            let c = e;
            let household = household_of(data, c)?;
            let at = js_sys::Date::parse(&e.at);
            let at = if at.is_finite() { date_time(lang, at as u64) } else { e.at.clone() };
            let head = data
                .household(household)
                .map_or_else(|| i18n.t(PairMsg::CardNotHere).to_string(), |h| h.head.clone());
            let kept = field_value_text(&c.field, &c.winner.value, lang);
            let other = field_value_text(&c.field, &c.loser.value, lang);
            Some(view! {
                <li class="pair-entry" data-testid="conflict-row">
                    <span class="pair-entry-head">
                        <A href=card_href(household, "") attr:class="pair-link"><strong>{head}</strong></A>
                        <span class="muted">{field_label(&c.field, lang).to_string()}</span>
                    </span>
                    <span>{i18n.t(PairMsg::Kept)} <strong data-testid="conflict-kept">{kept}</strong></span>
                    <span>{i18n.t(PairMsg::Other)} <span data-testid="conflict-other">{other}</span></span>
                    <span class="muted">{at}</span>
                </li>
            }
            .into_any())
        })
        .collect();
    if items.is_empty() {
        return view! { <p class="empty" data-testid="conflicts-none">{i18n.t(PairMsg::NoConflicts)}</p> }.into_any();
    }
    view! { <ol class="pair-timeline" data-testid="conflict-list">{items}</ol> }.into_any()
}
