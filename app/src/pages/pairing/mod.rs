//! The section's routes and screens. `PairingRoutes` is mounted by the
//! shell; every screen of the section lives under `/pairing`.

use crate::i18n::{I18n, PairMsg};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::components::{ParentRoute, Route};
use leptos_router::{path, MatchNestedRoutes};

/// Every route of the section, nested under `/pairing`.
#[component(transparent)]
pub fn PairingRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/pairing") view=Outlet>
            <Route path=path!("") view=PairingHome/>
        </ParentRoute>
    }
    .into_inner()
}

/// The section's first screen.
#[component]
fn PairingHome() -> impl IntoView {
    let i18n = I18n::use_context();
    view! {
        <section class="page" data-testid="page-pairing">
            <h2>{move || i18n.t(PairMsg::Title)}</h2>
            <div class="empty">
                <p>{move || i18n.t(PairMsg::Empty)}</p>
            </div>
        </section>
    }
}
