//! Honest empty states for the sections whose features have not landed yet.

use crate::i18n::{I18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;

/// A section page with a title and an explanation of what will be here.
#[component]
fn EmptySection(title: Msg, body: Msg, testid: &'static str) -> impl IntoView {
    let i18n = I18n::use_context();
    view! {
        <section class="page" data-testid=testid>
            <h2>{move || i18n.t(title)}</h2>
            <div class="empty">
                <p>{move || i18n.t(body)}</p>
                <p class="hint">{move || i18n.t(Msg::OfflineHint)}</p>
            </div>
        </section>
    }
}

#[component]
pub fn SpotChecks() -> impl IntoView {
    view! { <EmptySection title=Msg::SpotChecksTitle body=Msg::SpotChecksEmpty testid="page-spot-checks"/> }
}

#[component]
pub fn Posts() -> impl IntoView {
    view! { <EmptySection title=Msg::PostsTitle body=Msg::PostsEmpty testid="page-posts"/> }
}

#[component]
pub fn Pairing() -> impl IntoView {
    view! { <EmptySection title=Msg::PairingTitle body=Msg::PairingEmpty testid="page-pairing"/> }
}

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
