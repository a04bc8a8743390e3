//! The app shell: header (name + online indicator), the routed content and
//! the tab bar. Phones get a bottom tab bar within thumb reach; wide screens
//! (the office's desktop browser) get the same tabs as a side rail and a
//! wider content column (see `app/style.css`).
//!
//! The tab bar is the role's own (issue 16): its sections in the order
//! core's `Section::for_actor` gives (where it records first; one it only
//! reads marked 只读), then 同步 with the unsent count and 我的. A sync
//! that keeps failing is said on every screen ([`SyncWarning`]).

use crate::demo_badge::DemoBadge;
use crate::i18n::{fill, I18n, MeMsg, Msg, Text};
use crate::kit;
use crate::network::Online;
use crate::pages;
use crate::routes::{self, Route};
use crate::sync::SyncStatus;
use crate::update::UpdateBanner;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Router, A};
use xianfeng_core::sections::{Section, SectionUse};

/// One section of the app: where it lives and what the tab says.
struct Tab {
    href: &'static str,
    label: Msg,
    /// An SVG path in a 24×24 box, drawn with `currentColor`.
    icon: &'static str,
}

/// A section's tab.
fn section_tab(section: Section) -> Tab {
    match section {
        Section::SpotChecks => Tab { href: "/spot-checks", label: Msg::TabSpotChecks, icon: "M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.6-4.6 1.4 1.4-6 6z" },
        Section::Posts => Tab { href: "/posts", label: Msg::TabPosts, icon: "M12 2l2.9 6.3 6.9.7-5.2 4.6 1.5 6.8L12 17l-6.1 3.4 1.5-6.8L2.2 9l6.9-.7L12 2z" },
        Section::Pairing => Tab { href: "/pairing", label: Msg::TabPairing, icon: "M12 3 2 11h3v9h5v-6h4v6h5v-9h3L12 3z" },
        Section::Study => Tab { href: "/study", label: Msg::TabStudy, icon: "M12 3 1 9l11 6 9-4.9V17h2V9L12 3zM5 13.2v4L12 21l7-3.8v-4L12 17l-7-3.8z" },
    }
}

const SYNC_TAB: Tab = Tab { href: "/sync", label: Msg::TabSync, icon: "M12 4V1L8 5l4 4V6a6 6 0 0 1 5.7 7.9l1.5 1.5A8 8 0 0 0 12 4zm0 14a6 6 0 0 1-5.7-7.9L4.8 8.6A8 8 0 0 0 12 20v3l4-4-4-4v3z" };
const ME_TAB: Tab = Tab {
    href: "/me",
    label: Msg::TabMe,
    icon: "M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-4.4 0-9 2.2-9 5v3h18v-3c0-2.8-4.6-5-9-5z",
};

/// Every route of the app, in the order they are tried (`crate::routes`).
pub const ROUTES: &[&[Route]] = &[
    &[Route::here("/", || FirstSection().into_any())],
    pages::spot_checks::ROUTES,
    pages::posts::ROUTES,
    pages::pairing::ROUTES,
    pages::study::ROUTES,
    pages::ROUTES,
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
                <InAppBrowserBanner/>
                <main class="content" id="main">
                    <CatchUpBar/>
                    <SyncWarning/>
                    {routes::screens(ROUTES, || pages::NotFound().into_any())}
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
    let status = SyncStatus::use_context();
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

/// `/`: the first section of this phone's role (an inspector's 巡察, a
/// cadre's 结对帮扶).
#[component]
fn FirstSection() -> impl IntoView {
    let status = SyncStatus::use_context();
    // Once the identity is read (a cadre must not land on 巡察 first).
    move || {
        status.with(|s| s.loaded).then(|| {
            let first = kit::sections().first().map(|(s, _)| *s);
            let href = section_tab(first.unwrap_or(Section::SpotChecks)).href;
            view! { <Redirect path=href/> }
        })
    }
}

#[component]
fn TabBar() -> impl IntoView {
    let i18n = I18n::use_context();
    let status = SyncStatus::use_context();
    // A tab's mark (只读, the unsent count) is said as its description, so
    // the tab's name stays its label.
    let tab = move |tab: Tab, mark: Option<(&'static str, Signal<Option<String>>, AnyView)>| {
        let label = tab.label;
        let (testid, description, shown) = match mark {
            Some((testid, description, shown)) => (Some(testid), Some(description), Some(shown)),
            None => (None, None, None),
        };
        view! {
            <A
                href=tab.href
                attr:class="tab"
                attr:aria-description=move || description.and_then(|d| d.get())
                attr:data-testid=testid
            >
                <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d=tab.icon></path>
                </svg>
                <span class="tab-label">{move || i18n.t(label)}</span>
                {shown}
            </A>
        }
    };
    // Redrawn only when the list changes (not on every status change: a
    // tab must not be replaced under a finger).
    let list = Memo::new(move |_| kit::sections());
    // Keyed, so a tab whose place in the order changes is moved whole.
    let sections = move || {
        view! {
            <For each=move || list.get() key=|entry| *entry let:entry>
                {
                    let (section, used) = entry;
                    let mark = (used == SectionUse::ReadsOnly).then(|| {
                        let text = Signal::derive(move || Some(i18n.t(MeMsg::ReadOnlyTab).to_string()));
                        let shown = view! {
                            <span class="tab-note" aria-hidden="true">
                                {move || i18n.t(MeMsg::ReadOnlyTab)}
                            </span>
                        };
                        ("tab-read-only", text, shown.into_any())
                    });
                    tab(section_tab(section), mark)
                }
            </For>
        }
    };
    // The unsent count on the 同步 tab, on every screen.
    let unsent = move || status.with(|s| s.unsent);
    let described = Signal::derive(move || {
        let n = unsent();
        (n > 0).then(|| fill(i18n.t(MeMsg::UnsentBadge), &[("n", &n)]))
    });
    let badge = move || {
        let n = unsent();
        (n > 0).then(|| {
            view! {
                <span class="tab-badge" data-testid="unsent-badge" aria-hidden="true">
                    {n.min(999)}
                </span>
            }
        })
    };
    view! {
        <nav class="tabbar" aria-label=move || i18n.t(Msg::MainNav) data-testid="tabbar">
            {sections}
            {tab(SYNC_TAB, Some(("tab-sync", described, badge.into_any())))}
            {tab(ME_TAB, None)}
        </nav>
    }
}

/// How long sync may fail before every screen says so.
const FAILING_WARN_MS: f64 = 5.0 * 60.0 * 1000.0;

/// A sync that has kept failing for more than a few minutes, with its
/// reason, on every screen (not only on the 同步 tab). Offline is not a
/// failure: the header says so.
#[component]
fn SyncWarning() -> impl IntoView {
    let i18n = I18n::use_context();
    let status = SyncStatus::use_context();
    let Online(online) = expect_context::<Online>();
    move || {
        let lang = i18n.lang();
        // Offline is not a failure (the header says so); a server that
        // cannot be reached while the phone is online is.
        if !online.get() {
            return None;
        }
        status.with(|s| {
            let error = s.error.as_ref()?;
            s.identity.as_ref()?;
            let since = s.failing_since? as f64;
            let failing = js_sys::Date::now() - since;
            (failing >= FAILING_WARN_MS).then(|| {
                let min = (failing / 60_000.0).floor() as u64;
                let text = fill(
                    MeMsg::SyncFailing.text(lang),
                    &[("min", &min), ("reason", &error.text(lang))],
                );
                view! {
                    <div class="sync-warning" role="alert" data-testid="sync-warning">
                        <span>{text}</span>
                        <A href="/sync" attr:class="btn btn-secondary">
                            {MeMsg::SyncDetails.text(lang)}
                        </A>
                    </div>
                }
            })
        })
    }
}

/// Inside WeChat's or QQ's built-in browser: how to open the link in the
/// system browser, and that records may not be kept offline there.
#[component]
fn InAppBrowserBanner() -> impl IntoView {
    let i18n = I18n::use_context();
    crate::install::in_app_browser().then(|| {
        view! {
            <div class="in-app-banner" role="alert" data-testid="in-app-browser">
                {move || i18n.t(MeMsg::InAppBrowser)}
            </div>
        }
    })
}
