//! The page for a path that is not part of the app.

use crate::i18n::{I18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = I18n::use_context();
    view! {
        <section class="page" data-testid="page-not-found">
            <h2>{move || i18n.t(Msg::NotFoundTitle)}</h2>
            <A href="/spot-checks" attr:class="btn">{move || i18n.t(Msg::BackHome)}</A>
        </section>
    }
}
