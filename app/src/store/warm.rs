//! Derived views computed while the phone is idle, so that the first
//! screen needing them after a start or a sync does not pay for them.
//!
//! Why: the spot-check report (ladder, tallies, rankings) and the study
//! index (every member's hours, misses, 三个完成) are computed on first use
//! and kept until their kinds change. At city scale that first use
//! costs more than the rest of a screen together (an inspector's 巡察 home:
//! ~20 ms cold, ~3 ms warm). Computed in an idle callback after the store
//! is loaded and after a sync session that pulled facts, the screen finds
//! it ready. Not after the phone's own taps: a check screen would meet the
//! work in the middle of the next tap, and the screen that shows the report
//! next recomputes it then (a member at a time is what taps cost).
//!
//! The code runs in a part of its own (`warm_views`), fetched the first
//! time: the first screen needs neither view.
//!
//! ```ignore
//! store::warm_when_idle(); // after pulled pages were applied
//! ```

use std::cell::Cell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

thread_local! {
    /// An idle callback is already waiting (several calls make one).
    static WAITING: Cell<bool> = const { Cell::new(false) };
}

/// Computes the shared derived views in the next idle period.
pub fn warm_when_idle() {
    if WAITING.with(|w| w.replace(true)) {
        return;
    }
    let warm = Closure::once_into_js(|| {
        WAITING.with(|w| w.set(false));
        // Not before a service worker controls the page: the part would
        // come from the network, beside the worker's own copy. Not while a
        // sync session runs: fetching and compiling the part would share
        // the CPU with it (a new phone's first sync).
        #[cfg(xianfeng_split)]
        if crate::lazy::is_controlled() {
            leptos::task::spawn_local(async {
                crate::lazy::after_sync().await;
                let _ = warm_views().await;
            });
        }
        #[cfg(not(xianfeng_split))]
        let _ = warm_views();
    });
    let asked = web_sys::window().map(|w| w.request_idle_callback(warm.unchecked_ref()));
    if !matches!(asked, Some(Ok(_))) {
        WAITING.with(|w| w.set(false));
    }
}

/// The work itself, in a lazily loaded part of its own (`crate::lazy`):
/// the first screen needs neither view, and the code that computes them
/// is shared with the screens that show them. A part that cannot be
/// fetched leaves them to be computed on first use, as without warming.
#[cfg_attr(
    xianfeng_split,
    leptos::wasm_split::wasm_split(warm, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn warm_views() -> Result<(), crate::lazy::PartMissing> {
    super::with(|s| {
        s.report();
        s.study();
    });
    Ok(())
}
