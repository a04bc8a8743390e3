//! Small pieces the section's screens share: `<option>` lists, radio
//! choices (the kit's) and list entries.
//!
//! Why: every distinct view shape costs bundle bytes (each is compiled
//! separately), so the forms and lists of the section are built from these
//! few shapes instead of one hand-written shape per list.

use leptos::prelude::*;

use super::detail::PostPage;
use super::t;
use crate::i18n::PostMsg;

pub(super) use crate::pages::options;

pub(super) use crate::kit::radios;

/// A card of a post's page: its records (`list`) and, when this phone
/// may add one, the form (`form`).
pub(super) fn records_card(
    testid: &'static str,
    title: PostMsg,
    list: AnyView,
    may: Signal<bool>,
    form: fn(Memo<Option<PostPage>>) -> AnyView,
    page: Memo<Option<PostPage>>,
) -> AnyView {
    view! {
        <div class="card" data-testid=testid>
            <h3>{t(title)}</h3>
            {list}
            <Show when=move || may.get()>{form(page)}</Show>
        </div>
    }
    .into_any()
}

/// One entry of a list of records: a main line (`aria-hidden` when it is
/// decoration that `meta` says in words), a muted line, the 未同步 tag
/// and an optional note.
pub(super) struct Entry {
    pub main: String,
    pub decorative: bool,
    pub meta: String,
    pub unsent: bool,
    pub note: Option<String>,
}

pub(super) fn entries(list: Vec<Entry>, class: &'static str) -> impl IntoView {
    let items = list
        .into_iter()
        .map(|e| {
            view! {
                <li class="entry">
                    <span class="entry-main" aria-hidden=e.decorative.then_some("true")>
                        {e.main}
                    </span>
                    <span class="muted">{e.meta}</span>
                    {e.unsent.then(|| view! { <span class="unsent-tag">{t(PostMsg::Unsent)}</span> })}
                    {e.note.map(|n| view! { <p class="entry-note">{n}</p> })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class=class>{items}</ul> }
}
