//! The section's routes and screens. `PostsRoutes` is mounted by the
//! shell; every screen of the section lives under `/posts`.

use crate::i18n::{I18n, PostMsg};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::components::{ParentRoute, Route};
use leptos_router::{path, MatchNestedRoutes};

/// Every route of the section, nested under `/posts`.
#[component(transparent)]
pub fn PostsRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/posts") view=Outlet>
            <Route path=path!("") view=PostsHome/>
        </ParentRoute>
    }
    .into_inner()
}

/// The section's first screen.
#[component]
fn PostsHome() -> impl IntoView {
    let i18n = I18n::use_context();
    view! {
        <section class="page" data-testid="page-posts">
            <h2>{move || i18n.t(PostMsg::Title)}</h2>
            <div class="empty">
                <p>{move || i18n.t(PostMsg::Empty)}</p>
            </div>
        </section>
    }
}
