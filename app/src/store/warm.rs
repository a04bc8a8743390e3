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
        super::with(|s| {
            s.report();
            s.study();
        });
    });
    let asked = web_sys::window().map(|w| w.request_idle_callback(warm.unchecked_ref()));
    if !matches!(asked, Some(Ok(_))) {
        WAITING.with(|w| w.set(false));
    }
}
