//! The section's routes and screens. `SpotChecksRoutes` is mounted by the
//! shell; every screen of the section lives under `/spot-checks`.

use crate::i18n::{I18n, SpotMsg};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::components::{ParentRoute, Route};
use leptos_router::{path, MatchNestedRoutes};

/// Every route of the section, nested under `/spot-checks`.
#[component(transparent)]
pub fn SpotChecksRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/spot-checks") view=Outlet>
            <Route path=path!("") view=SpotChecksHome/>
        </ParentRoute>
    }
    .into_inner()
}

/// The section's first screen.
#[component]
fn SpotChecksHome() -> impl IntoView {
    let i18n = I18n::use_context();
    view! {
        <section class="page" data-testid="page-spot-checks">
            <h2>{move || i18n.t(SpotMsg::Title)}</h2>
            <div class="empty">
                <p>{move || i18n.t(SpotMsg::Empty)}</p>
            </div>
        </section>
    }
}
