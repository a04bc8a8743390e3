//! 演示数据: a server started with `--demo` serves a demo city, and every
//! screen must say so, so nobody mistakes it for real records. The flag comes
//! from `GET /api/health` (`"demo": true`) and is remembered for offline use.

use crate::i18n::{I18n, Msg};
use crate::sync;
use leptos::prelude::*;
use leptos::task::spawn_local;

const STORAGE_KEY: &str = "xf.demo";

fn remembered() -> bool {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .is_some()
}

fn remember(demo: bool) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = if demo {
            s.set_item(STORAGE_KEY, "1")
        } else {
            s.remove_item(STORAGE_KEY)
        };
    }
}

/// The badge; asks the server once per start when online.
#[component]
pub fn DemoBadge() -> impl IntoView {
    let i18n = I18n::use_context();
    let demo = RwSignal::new(remembered());
    spawn_local(async move {
        if let Ok(text) = sync::get("/api/health", None).await {
            let flag = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("demo").and_then(serde_json::Value::as_bool))
                .unwrap_or(false);
            remember(flag);
            demo.try_set(flag);
        }
    });
    move || {
        demo.get().then(|| view! { <span class="demo-badge" data-testid="demo-badge">{move || i18n.t(Msg::DemoData)}</span> })
    }
}
