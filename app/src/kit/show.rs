//! How a screen shows its data: one loading line, one error view, and the
//! screen's own view once the data is there.
//!
//! Why one frame: each section had its own (`screen`, `loaded_view`,
//! `WithData`) with its own loading text and error markup. [`show`] draws
//! a [`Records`] resource whole; [`derive`] + [`show_derived`] draw a
//! value computed from it, redrawn only when that value changes (a post's
//! page keeps its forms while an unrelated record arrives).
//!
//! ```ignore
//! view! { <section class="page">{kit::show(data, |d: Shared| view! { … }.into_any())}</section> }
//! let page = kit::derive(board, move |b| post_page(b, id));
//! view! { {kit::show_derived(page, |p: &PostPage| view! { … })} }
//! ```

use leptos::prelude::*;

use super::Records;
use crate::i18n::{I18n, Msg};
use crate::storage::StorageError;

/// Shows `render(data)` once loaded, with the loading line meanwhile and
/// the storage error if loading failed.
pub fn show<T: Clone + 'static>(
    data: Records<T>,
    render: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <Transition fallback=loading>
            {move || {
                data.get()
                    .map(|r| match r {
                        Ok(d) => render(d),
                        Err(e) => error_view(&e).into_any(),
                    })
            }}
        </Transition>
    }
}

/// Shown while a screen's data loads.
pub fn loading() -> impl IntoView {
    let i18n = I18n::use_context();
    view! { <p class="muted" role="status">{move || i18n.t(Msg::Loading)}</p> }
}

/// A storage failure while loading, in the current language.
pub fn error_view(e: &StorageError) -> impl IntoView {
    let i18n = I18n::use_context();
    view! { <p class="error" role="alert">{e.message(i18n.lang())}</p> }
}

/// A storage failure while loading (compared by its message, so memos of
/// loaded data can tell when nothing changed).
#[derive(Clone, Debug)]
pub struct LoadError(pub StorageError);

impl PartialEq for LoadError {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

/// A value derived from loaded data: `None` while loading.
pub type Derived<T> = Option<Result<T, LoadError>>;

/// A memo of `f` over the loaded data (redraws only when it changes).
pub fn derive<D, T>(
    data: Records<D>,
    f: impl Fn(&D) -> T + Send + Sync + 'static,
) -> Memo<Derived<T>>
where
    D: 'static,
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        data.with(|d| {
            d.as_ref().map(|r| match r {
                Ok(d) => Ok(f(d)),
                Err(e) => Err(LoadError(e.clone())),
            })
        })
    })
}

/// Shows a derived value through `show`, with the loading line and the
/// storage error.
pub fn show_derived<T, V>(
    value: Memo<Derived<T>>,
    show: impl Fn(&T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || {
        value.with(|v| match v {
            None => loading().into_any(),
            Some(Err(e)) => error_view(&e.0).into_any(),
            Some(Ok(value)) => show(value).into_any(),
        })
    }
}
