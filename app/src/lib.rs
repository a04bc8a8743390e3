//! The Xianfeng phone app: a Leptos client-side-rendered app compiled to wasm.
//!
//! Why it is shaped like this: the app must work with no signal, so it is a
//! static shell (cached by the service worker in `public/sw.js`) that keeps
//! its data in IndexedDB ([`storage`]) and syncs when online.
//!
//! Invariant: no domain rules here. Ladders, tallies, rankings, scores and
//! totals come from `xianfeng_core`; this crate only shows and stores them.

pub mod demo_badge;
pub mod download;
pub mod i18n;
pub mod install;
pub mod kit;
pub mod lazy;
pub mod local_time;
pub mod network;
pub mod pages;
pub mod routes;
pub mod shell;
pub mod storage;
pub mod store;
pub mod sync;
pub mod update;

use wasm_bindgen::prelude::*;

/// Entry point, called by wasm-bindgen when `boot.js` initialises the module.
/// The static shell `index.html` paints while the code loads goes first.
#[wasm_bindgen(start)]
pub fn start() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot-shell"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(shell::App);
    lazy::fetch_parts_when_idle();
}
