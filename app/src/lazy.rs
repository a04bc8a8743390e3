//! Screens loaded lazily, one part per group of screens (issue 15).
//!
//! Why: a first visit on a village link (400 kbit/s) should not download
//! every section before the first screen. The release build
//! (`scripts/build-app.sh`) sets `--cfg xianfeng_split`; then each group
//! declared with [`lazy_screens!`] becomes its own wasm module, cut out by
//! `wasm-split-cli` and fetched the first time one of its screens opens.
//! The service worker precaches every part, so an installed app opens any
//! screen offline. Other builds (tests, `cargo check`) link everything
//! into one module and the same routes simply call the screen.
//!
//! A part that cannot be fetched (no signal before the service worker
//! finished its first install) must never take the app down: with
//! `panic = "abort"` a panic would kill every screen. The split functions
//! are `fallible`, and a failure shows [`PartMissing`] with 重试 while the
//! tab bar and the other screens keep working. The loader does not cache a
//! failure, so 重试 fetches again.
//!
//! What stays in the main module: what the first screen needs, the shell,
//! 同步's enrolment form (a new phone's first screen) and 巡察's home (an
//! enrolled phone's), with the store, storage and sync. 同步's backups and
//! refused changes are a part shown with [`later`]. 巡察's recording flow
//! (start, the member list, the summary) is a part of its own, the first
//! one fetched ahead: in the main module it cost every first visit ~75 KB
//! brotli, and it works offline exactly when every other screen does, once
//! the service worker has installed.

use leptos::prelude::*;

use crate::i18n::{I18n, Msg};

/// A part's module could not be fetched or instantiated.
#[derive(Debug)]
pub struct PartMissing;

impl From<leptos::wasm_split::SplitLoaderError> for PartMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PartMissing
    }
}

/// Shown instead of a screen whose part could not be loaded.
pub fn part_missing() -> AnyView {
    let i18n = I18n::use_context();
    let retry = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <section class="page" data-testid="part-missing">
            <p role="alert">{move || i18n.t(Msg::PartMissing)}</p>
            <button type="button" class="btn" on:click=retry>{move || i18n.t(Msg::Retry)}</button>
        </section>
    }
    .into_any()
}

/// A part being fetched (see [`lazy_screens!`]).
pub type Fetching = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), PartMissing>>>>;

/// Fetches every part, one per idle period, once a service worker controls
/// the page: then the parts come from its cache (its install stored them
/// all), never a second download on a first visit. Without this, the first
/// screen opened in each part paid ~150–200 ms to load it (`.ci/bench
/// city`). Not while a sync session runs: a new phone's first sync would
/// share the CPU with them (~1 s more for an inspector). A part that fails
/// is left for its screen to fetch (重试). Without a worker (refused,
/// unsupported) nothing is fetched ahead.
pub fn fetch_parts_when_idle() {
    if !cfg!(xianfeng_split) {
        return;
    }
    leptos::task::spawn_local(async {
        if !controlled().await {
            return;
        }
        for part in crate::pages::PARTS {
            idle().await;
            while crate::sync::is_running() {
                pause(SYNC_WAIT_MS).await;
                idle().await;
            }
            let _ = part().await;
        }
    });
}

/// Resolves when a service worker controls this page (at once if one
/// does; after its first install's `clients.claim()` otherwise); false
/// when the browser has no service workers.
async fn controlled() -> bool {
    use wasm_bindgen::JsCast;
    let Some(container) = service_workers() else {
        return false;
    };
    if is_controlled() {
        return true;
    }
    let target: web_sys::EventTarget = container.unchecked_into();
    let change = js_sys::Promise::new(&mut |resolve, _| {
        let _ = target.add_event_listener_with_callback("controllerchange", &resolve);
    });
    wasm_bindgen_futures::JsFuture::from(change).await.is_ok()
}

/// Whether a service worker controls this page now (then a part comes
/// from its cache, not the network).
pub fn is_controlled() -> bool {
    service_workers().is_some_and(|c| js_field(&c, "controller").is_some())
}

/// `navigator.serviceWorker`, in a browser that has it (web-sys's binding
/// would assume it is there).
pub fn service_workers() -> Option<wasm_bindgen::JsValue> {
    web_sys::window().and_then(|w| js_field(&w.navigator(), "serviceWorker"))
}

/// `target[name]`, unless missing (undefined or null).
pub fn js_field(target: &wasm_bindgen::JsValue, name: &str) -> Option<wasm_bindgen::JsValue> {
    js_sys::Reflect::get(target, &name.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Resolves once no sync session runs.
pub async fn after_sync() {
    while crate::sync::is_running() {
        pause(SYNC_WAIT_MS / 4).await;
    }
}

/// How often the parts' fetching looks whether a sync session has ended.
const SYNC_WAIT_MS: i32 = 1_000;

/// Resolves after `ms` milliseconds.
async fn pause(ms: i32) {
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(timer).await;
}

/// Resolves in the browser's next idle period.
async fn idle() {
    let idle = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.request_idle_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(idle).await;
}

/// Shows a view that lives in a part (a [`lazy_view!`]'s or a lazy
/// screen's `load`: one boxed future type, so this is compiled once) once
/// the part is here: nothing meanwhile (a part fetched ahead is there at
/// once; one not yet fetched, after the running sync), [`part_missing`]
/// when it cannot be fetched.
pub fn later(load: fn() -> crate::routes::Loading) -> impl IntoView {
    let made = LocalResource::new(move || {
        let loading = load();
        async move { loading.await.ok() }
    });
    move || {
        made.get()
            .map(|make| make.map_or_else(part_missing, |make| make()))
    }
}

/// `lazy_view!(part, Name => path::view)`: a view (not a screen of its
/// own) whose code lives in the wasm part `part`. `Name::load()` fetches
/// the part and gives the view's constructor (show it with [`later`]);
/// `part()` fetches the part ahead (listed in `crate::pages::PARTS`).
#[macro_export]
macro_rules! lazy_view {
    ($part:ident, $name:ident => $view:path) => {
        /// A view that lives in a lazily loaded part (see `crate::lazy`).
        pub struct $name {}

        // A block of its own, as in `lazy_screens!`.
        const _: () = {
            #[allow(non_snake_case)]
            #[cfg_attr(
                xianfeng_split,
                ::leptos::wasm_split::wasm_split(
                    $part,
                    wasm_split_path = ::leptos::wasm_split,
                    fallible
                )
            )]
            fn $name() -> ::core::result::Result<fn() -> ::leptos::prelude::AnyView, $crate::lazy::PartMissing> {
                ::core::result::Result::Ok(|| ::leptos::prelude::IntoAny::into_any($view()))
            }

            impl $name {
                /// Fetches the part (once: the loader keeps a success) and
                /// gives the view's constructor. The first time, only once
                /// no sync session runs: a new phone's first sync would
                /// share the CPU with fetching and compiling the part.
                pub fn load() -> $crate::routes::Loading {
                    ::std::boxed::Box::pin(Self::fetch())
                }

                async fn fetch(
                ) -> ::core::result::Result<$crate::routes::Make, $crate::lazy::PartMissing>
                {
                    use ::std::sync::atomic::{AtomicBool, Ordering};
                    static LOADED: AtomicBool = AtomicBool::new(false);
                    if !LOADED.load(Ordering::Relaxed) {
                        $crate::lazy::after_sync().await;
                    }
                    #[cfg(xianfeng_split)]
                    let loaded = $name().await;
                    #[cfg(not(xianfeng_split))]
                    let loaded = $name();
                    LOADED.store(loaded.is_ok(), Ordering::Relaxed);
                    loaded
                }
            }
        };

        /// Fetches this lazily loaded part without showing its view.
        pub fn $part() -> $crate::lazy::Fetching {
            ::std::boxed::Box::pin(async { $name::load().await.map(|_| ()) })
        }
    };
}

/// `lazy_screens!(part { Name => path::Screen, … })`: for each screen a
/// type whose `load` fetches the wasm part `part` and gives the screen's
/// constructor (a route in `crate::routes` takes `Name::load`; see the
/// module docs), and a function `part()` that fetches the part without
/// opening a screen (listed in `crate::pages::PARTS` for
/// [`fetch_parts_when_idle`]). Screens take no props.
#[macro_export]
macro_rules! lazy_screens {
    ($part:ident { $first:ident => $first_screen:path $(, $route:ident => $screen:path)* $(,)? }) => {
        $crate::lazy_screens!(@routes $part { $first => $first_screen $(, $route => $screen)* });

        /// Fetches this lazily loaded part without opening a screen (any
        /// of its screens fetches the whole part).
        pub fn $part() -> $crate::lazy::Fetching {
            ::std::boxed::Box::pin(async { $first::load().await.map(|_| ()) })
        }
    };
    (@routes $part:ident { $($route:ident => $screen:path),+ }) => {
        $(
            /// A lazily loaded screen (see `crate::lazy`).
            pub struct $route {}

            // A block of its own; `$route` names the split function
            // (unique symbols).
            const _: () = {
                #[allow(non_snake_case)]
                #[cfg_attr(
                    xianfeng_split,
                    ::leptos::wasm_split::wasm_split(
                        $part,
                        wasm_split_path = ::leptos::wasm_split,
                        fallible
                    )
                )]
                fn $route() -> ::core::result::Result<$crate::routes::Make, $crate::lazy::PartMissing> {
                    ::core::result::Result::Ok(|| ::leptos::prelude::IntoAny::into_any($screen()))
                }

                impl $route {
                    /// Fetches and instantiates this screen's part (once;
                    /// the loader keeps a success) and gives the screen's
                    /// constructor.
                    pub fn load() -> $crate::routes::Loading {
                        ::std::boxed::Box::pin(async {
                            #[cfg(xianfeng_split)]
                            let loaded = $route().await;
                            #[cfg(not(xianfeng_split))]
                            let loaded = $route();
                            loaded
                        })
                    }
                }
            };
        )+
    };
}
