//! 安装到主屏幕, where users really open links (issue 16):
//!
//! - Chromium-based browsers: `boot.js` keeps the `beforeinstallprompt`
//!   event; [`InstallCard`] turns it into a button (once enrolled, until
//!   dismissed or installed).
//! - iOS Safari has no such event: the card gives the steps with the
//!   share icon.
//! - WeChat's and QQ's built-in browsers (user agent `MicroMessenger` /
//!   `QQ/`) cannot install and may not keep data offline:
//!   [`in_app_browser`] lets the shell say how to open the link in the
//!   system browser; the app still works online there.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{I18n, MeMsg};

/// `localStorage` key: the user dismissed the install card.
const DISMISSED: &str = "xf.install.dismissed";

fn user_agent() -> String {
    window().navigator().user_agent().unwrap_or_default()
}

/// Inside WeChat's or QQ's built-in browser.
pub fn in_app_browser() -> bool {
    let ua = user_agent();
    ua.contains("MicroMessenger") || ua.contains("QQ/")
}

/// iOS (Safari or a browser on its engine): installing is by hand.
fn ios() -> bool {
    let ua = user_agent();
    ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod")
}

/// Running as the installed app already.
fn standalone() -> bool {
    window()
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

fn window_value(name: &str) -> JsValue {
    js_sys::Reflect::get(&window(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn local(key: &str) -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(key)
        .ok()
        .flatten()
}

/// Shows the browser's install dialog (the kept event can be used once).
fn prompt() {
    let event = window_value("xfInstallPrompt");
    if let Ok(f) = js_sys::Reflect::get(&event, &JsValue::from_str("prompt")) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(&event);
        }
    }
    let _ = js_sys::Reflect::set(
        &window(),
        &JsValue::from_str("xfInstallPrompt"),
        &JsValue::NULL,
    );
}

/// The install card for 我的 and the homes: a button where the browser
/// offers installing, the steps on iOS; nothing once installed, inside
/// WeChat/QQ (the shell's banner says what to do there) or dismissed.
#[component]
pub fn InstallCard() -> impl IntoView {
    let i18n = I18n::use_context();
    let ready = RwSignal::new(window_value("xfInstallPrompt").is_truthy());
    let installed = RwSignal::new(standalone() || window_value("xfInstalled").is_truthy());
    let dismissed = RwSignal::new(local(DISMISSED).is_some());
    std::mem::forget(window_event_listener_untyped(
        "xf-install-ready",
        move |_| {
            ready.set(window_value("xfInstallPrompt").is_truthy());
            installed.set(standalone() || window_value("xfInstalled").is_truthy());
        },
    ));
    let dismiss = move |_| {
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = s.set_item(DISMISSED, "1");
        }
        dismissed.set(true);
    };
    move || {
        if in_app_browser() || dismissed.get() {
            return None;
        }
        if installed.get() {
            return Some(
                view! { <p class="muted" data-testid="installed">{i18n.t(MeMsg::InstallDone)}</p> }
                    .into_any(),
            );
        }
        // iOS first: its browsers install only by hand, whatever engine
        // reports an event.
        let body = if ios() {
            view! { <p data-testid="install-ios">{i18n.t(MeMsg::InstallIos)}</p> }.into_any()
        } else if ready.get() {
            view! {
                <button type="button" class="btn" data-testid="install-button" on:click=move |_| {
                    prompt();
                    ready.set(false);
                }>
                    {i18n.t(MeMsg::InstallButton)}
                </button>
            }
            .into_any()
        } else {
            return None;
        };
        Some(
            view! {
                <section class="card install" data-testid="install-card">
                    <h3>{i18n.t(MeMsg::InstallTitle)}</h3>
                    {body}
                    <button type="button" class="btn btn-secondary" on:click=dismiss>
                        {i18n.t(MeMsg::InstallDismiss)}
                    </button>
                </section>
            }
            .into_any(),
        )
    }
}
