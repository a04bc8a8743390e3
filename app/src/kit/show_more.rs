//! 显示更多: a long list shown a page at a time (a city's 2,000 household
//! cards, a big unit's members), so a screen's first frame builds one page.
//!
//! ```ignore
//! let shown = RwSignal::new(PAGE);
//! view! { <ul>{rows_up_to(shown.get())}</ul> {show_more(shown, rest, PAGE, label, "btn btn-secondary")} }
//! ```

use leptos::prelude::*;

/// The button that shows `page` more rows, while `rest` are hidden.
pub fn show_more(
    shown: RwSignal<usize>,
    rest: usize,
    page: usize,
    label: String,
    class: &'static str,
) -> Option<AnyView> {
    (rest > 0).then(|| {
        view! {
            <button
                type="button"
                class=class
                data-testid="show-more"
                on:click=move |_| shown.update(|n| *n += page)
            >
                {label}
            </button>
        }
        .into_any()
    })
}
