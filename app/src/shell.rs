//! The app shell: header (name + online indicator), the routed content and
//! the tab bar. Phones get a bottom tab bar within thumb reach; wide screens
//! (the office's desktop browser) get the same tabs as a side rail and a
//! wider content column (see `app/style.css`).

use crate::demo_badge::DemoBadge;
use crate::i18n::{I18n, Msg};
use crate::network::Online;
use crate::pages;
use crate::update::UpdateBanner;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::path;

/// One section of the app: where it lives and what the tab says.
struct Tab {
    href: &'static str,
    label: Msg,
    /// An SVG path in a 24×24 box, drawn with `currentColor`.
    icon: &'static str,
}

const TABS: [Tab; 5] = [
    Tab { href: "/spot-checks", label: Msg::TabSpotChecks, icon: "M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.6-4.6 1.4 1.4-6 6z" },
    Tab { href: "/posts", label: Msg::TabPosts, icon: "M12 2l2.9 6.3 6.9.7-5.2 4.6 1.5 6.8L12 17l-6.1 3.4 1.5-6.8L2.2 9l6.9-.7L12 2z" },
    Tab { href: "/pairing", label: Msg::TabPairing, icon: "M12 3 2 11h3v9h5v-6h4v6h5v-9h3L12 3z" },
    Tab { href: "/sync", label: Msg::TabSync, icon: "M12 4V1L8 5l4 4V6a6 6 0 0 1 5.7 7.9l1.5 1.5A8 8 0 0 0 12 4zm0 14a6 6 0 0 1-5.7-7.9L4.8 8.6A8 8 0 0 0 12 20v3l4-4-4-4v3z" },
    Tab { href: "/me", label: Msg::TabMe, icon: "M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-4.4 0-9 2.2-9 5v3h18v-3c0-2.8-4.6-5-9-5z" },
];

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::provide();
    Online::provide();
    crate::sync::provide();
    crate::pages::spot_checks::preload();
    // Keep <html lang> in step with the saved choice from the first frame.
    i18n.set(i18n.lang());

    view! {
        <Router>
            <div class="shell">
                <Header/>
                <UpdateBanner/>
                <main class="content" id="main">
                    <CatchUpBar/>
                    <Routes fallback=pages::NotFound>
                        <Route path=path!("/") view=|| view! { <Redirect path="/spot-checks"/> }/>
                        <pages::SpotChecksRoutes/>
                        <pages::PostsRoutes/>
                        <pages::PairingRoutes/>
                        <Route path=path!("/sync") view=pages::Sync/>
                        <Route path=path!("/enroll") view=pages::EnrollLink/>
                        <Route path=path!("/me") view=pages::Me/>
                    </Routes>
                </main>
                <TabBar/>
            </div>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = I18n::use_context();
    let Online(online) = expect_context::<Online>();
    view! {
        <header class="app-header">
            <h1 class="app-name">{move || i18n.t(Msg::AppName)}</h1>
            <DemoBadge/>
            <span
                class="net"
                class:net-online=move || online.get()
                class:net-offline=move || !online.get()
                role="status"
                data-testid="network-status"
            >
                <span class="net-dot" aria-hidden="true"></span>
                {move || i18n.t(if online.get() { Msg::Online } else { Msg::Offline })}
            </span>
        </header>
    }
}

/// While a long pull runs (a new phone's first sync): how far it has come.
/// The screens stay usable; they redraw as records arrive.
#[component]
fn CatchUpBar() -> impl IntoView {
    let i18n = I18n::use_context();
    let status = crate::sync::SyncStatus::use_context();
    move || {
        status.with(|s| s.catch_up).map(|c| {
            let text = crate::i18n::fill(i18n.t(Msg::CatchUp), &[("n", &c.received)]);
            view! {
                <div class="catch-up" role="status" data-testid="catch-up">
                    <progress
                        max=c.log_end.max(1).to_string()
                        value=c.cursor.to_string()
                        aria-label=i18n.t(Msg::CatchUpLabel)
                    ></progress>
                    <span>{text}</span>
                </div>
            }
        })
    }
}

#[component]
fn TabBar() -> impl IntoView {
    let i18n = I18n::use_context();
    view! {
        <nav class="tabbar" aria-label=move || i18n.t(Msg::MainNav)>
            {TABS
                .iter()
                .map(|tab| {
                    let label = tab.label;
                    view! {
                        <A href=tab.href attr:class="tab">
                            <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true">
                                <path d=tab.icon></path>
                            </svg>
                            <span class="tab-label">{move || i18n.t(label)}</span>
                        </A>
                    }
                })
                .collect_view()}
        </nav>
    }
}
