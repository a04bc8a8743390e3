//! Online/offline state: `navigator.onLine` at start, then the browser's
//! `online` and `offline` events. The sync module will listen to the same
//! signal to sync as soon as the phone is back online.

use leptos::ev;
use leptos::prelude::*;

/// A read-only signal that is `true` while the browser believes it is online.
#[derive(Clone, Copy)]
pub struct Online(pub ReadSignal<bool>);

impl Online {
    pub fn provide() -> Online {
        let (online, set_online) = signal(window().navigator().on_line());
        // The listeners live as long as the app: the handles are leaked on purpose.
        std::mem::forget(window_event_listener(ev::online, move |_| {
            set_online.set(true)
        }));
        std::mem::forget(window_event_listener(ev::offline, move |_| {
            set_online.set(false)
        }));
        let online = Online(online);
        provide_context(online);
        online
    }
}
