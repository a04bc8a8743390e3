//! 结对帮扶: household cards, pairing, visits, support, disputes resolved,
//! situation reports and the summary. [`ROUTES`] is in the shell's
//! table; every screen of the section lives under `/pairing`, one screen
//! per file:
//!
//! | route | screen |
//! |---|---|
//! | `/pairing` | [`home`]: the cards in scope (contacts masked), links |
//! | `/pairing/new` | [`new_card`]: 结对帮扶登记卡 |
//! | `/pairing/h/:id` | [`card`]: the card, its figures and its timeline |
//! | `/pairing/h/:id/edit` | [`edit_card`]: change the card (only changed fields are sent) |
//! | `/pairing/h/:id/pair` | [`pair`]: pair the household with a member |
//! | `/pairing/h/:id/visit` | [`visit`]: quick entry of a visit |
//! | `/pairing/h/:id/support` | [`support`]: an item of support |
//! | `/pairing/h/:id/dispute` | [`dispute`]: a dispute or hard problem resolved |
//! | `/pairing/reports` | [`reports`]: situation reports and their review status |
//! | `/pairing/reports/new` | [`report_form`]: write and submit a report |
//! | `/pairing/reports/:id` | [`report`]: a report, its reviews, approve or return |
//! | `/pairing/summary` | [`summary`]: the city's paragraph for a scope: sentence, table, chart, CSV |
//! | `/pairing/conflicts` | [`conflicts`]: 冲突记录 for the office |
//!
//! Household data is about vulnerable people: screens with it show only
//! when core's scope rule lets this phone read it ([`data::Data::sees_households`]);
//! every number comes from core's `pairing` module; nothing derived is stored.

mod card;
mod card_form;
mod chart;
mod conflicts;
mod data;
mod dispute;
mod edit_card;
mod form;
mod home;
mod new_card;
mod pair;
mod report;
mod report_form;
mod reports;
mod summary;
mod support;
mod visit;

use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;
use xianfeng_core::ids::MemberId;

use crate::i18n::{I18n, PairMsg};
use data::Data;

/// Every route of the section (see `crate::routes`).
pub const ROUTES: &[Route] = &[
    Route::part("/pairing", Home::load),
    Route::part("/pairing/new", NewCard::load),
    Route::part("/pairing/h/:id", Card::load),
    Route::part("/pairing/h/:id/edit", EditCard::load),
    Route::part("/pairing/h/:id/pair", Pair::load),
    Route::part("/pairing/h/:id/visit", Visit::load),
    Route::part("/pairing/h/:id/support", Support::load),
    Route::part("/pairing/h/:id/dispute", Dispute::load),
    Route::part("/pairing/reports", Reports::load),
    Route::part("/pairing/reports/new", ReportForm::load),
    Route::part("/pairing/reports/:id", Report::load),
    Route::part("/pairing/summary", Summary::load),
    Route::part("/pairing/conflicts", Conflicts::load),
];

// Lazily loaded parts (crate::lazy): the cards, the help given, the
// reports, the office's summary and conflicts.
crate::lazy_screens!(pairing_cards {
    Home => home::PairingHome,
    NewCard => new_card::NewCard,
    Card => card::CardPage,
    EditCard => edit_card::EditCard,
    Pair => pair::PairPage,
});
crate::lazy_screens!(pairing_help {
    Visit => visit::VisitPage,
    Support => support::SupportPage,
    Dispute => dispute::DisputePage,
});
crate::lazy_screens!(pairing_reports {
    Reports => reports::ReportsPage,
    ReportForm => report_form::ReportFormPage,
    Report => report::ReportPage,
});
crate::lazy_screens!(pairing_office {
    Summary => summary::SummaryPage,
    Conflicts => conflicts::ConflictsPage,
});

/// The `:id` of the route, if it is a UUID.
fn route_id() -> Option<Uuid> {
    use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|s| s.parse().ok())
}

/// `/pairing/h/<id>` and its sub-pages.
fn card_href(id: impl std::fmt::Display, sub: &str) -> String {
    let mut s = String::from("/pairing/h/");
    s.push_str(&id.to_string());
    s.push_str(sub);
    s
}

/// A member's name; for a member outside this phone's scope (a village
/// cadre's households), the name and unit the server sent; else what to
/// say (not synced yet).
fn member_label(data: &Data, id: MemberId, i18n: I18n) -> String {
    match data.member_name(id) {
        Some(name) => name.to_string(),
        None => data
            .partner_label(id)
            .unwrap_or_else(|| i18n.t(PairMsg::MemberNotHere).to_string()),
    }
}

/// The explanation shown instead of household screens to roles that may
/// not read household data (inspectors), or before enrollment.
#[component]
fn NoHouseholds(data: data::Shared) -> impl IntoView {
    let i18n = I18n::use_context();
    let enrolled = data.identity.is_some();
    view! {
        <div class="empty" data-testid="pair-no-households">
            <p>{i18n.t(if enrolled { PairMsg::NoHouseholdAccess } else { PairMsg::NotEnrolled })}</p>
            {if enrolled {
                view! {
                    <A href="/pairing/reports" attr:class="btn btn-secondary">
                        {i18n.t(PairMsg::Reports)}
                    </A>
                }
                    .into_any()
            } else {
                view! {
                    <A href="/sync" attr:class="btn btn-secondary">
                        {i18n.t(PairMsg::GoEnroll)}
                    </A>
                }
                    .into_any()
            }}
        </div>
    }
}

/// A small "not yet sent" mark for records still on this phone only.
#[component]
fn UnsentMark() -> impl IntoView {
    let i18n = I18n::use_context();
    view! { <span class="pair-unsent">{i18n.t(PairMsg::Unsent)}</span> }
}
