//! "新版本可用": the service worker never activates a new version by itself
//! (queued data must not meet a different app version mid-session). `boot.js`
//! registers the worker and, when a new one is waiting, sets
//! `window.xfUpdateReady` and fires `xf-update-ready`; this banner lets the
//! user apply it, which calls `window.xfApplyUpdate()`.

use crate::i18n::{I18n, Msg};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

fn window_flag(name: &str) -> bool {
    js_sys::Reflect::get(&window(), &JsValue::from_str(name))
        .map(|v| v.is_truthy())
        .unwrap_or(false)
}

/// Whether a new version is waiting (read when a screen draws).
pub fn ready() -> bool {
    window_flag("xfUpdateReady")
}

fn apply_update() {
    if let Ok(f) = js_sys::Reflect::get(&window(), &JsValue::from_str("xfApplyUpdate")) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(&JsValue::NULL);
        }
    }
}

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let i18n = I18n::use_context();
    let (ready, set_ready) = signal(window_flag("xfUpdateReady"));
    std::mem::forget(window_event_listener_untyped(
        "xf-update-ready",
        move |_| set_ready.set(true),
    ));
    view! {
        <Show when=move || ready.get()>
            <div class="update-banner" role="status">
                <span>{move || i18n.t(Msg::UpdateReady)}</span>
                <button type="button" class="btn" on:click=move |_| apply_update()>
                    {move || i18n.t(Msg::UpdateApply)}
                </button>
            </div>
        </Show>
    }
}
