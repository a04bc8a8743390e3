//! Form fields that outlive a screen's reloads.
//!
//! Why: a live screen of the section is built anew after every write on
//! this phone and every page a background sync pulls in. A form built
//! inside it, with its own signals, would lose what the user had typed
//! whenever another phone's records arrived, or when another form on the
//! same screen saved. So a form keeps its fields here instead: one store
//! per screen, made by [`super::screen`] outside the part that reloads,
//! its signals owned by the screen (not by the view they are shown in).

use std::any::Any;
use std::collections::HashMap;

use leptos::prelude::*;
use leptos::reactive::owner::Owner;

type Fields = HashMap<&'static str, Box<dyn Any + Send + Sync>>;

/// A screen's form fields, by name.
#[derive(Clone)]
pub(super) struct Drafts {
    owner: Owner,
    fields: StoredValue<Fields>,
}

impl Drafts {
    /// A store for the screen being built (call it outside the reloading part).
    pub(super) fn provide() {
        let owner = Owner::current().unwrap_or_default();
        provide_context(Drafts {
            owner,
            fields: StoredValue::new(HashMap::new()),
        });
    }
}

/// The screen's field `key`, made with `init` the first time it is asked
/// for. A key holds one type; asking for it as another is a bug.
pub(super) fn draft<T: Send + Sync + 'static>(
    key: &'static str,
    init: impl FnOnce() -> T,
) -> RwSignal<T> {
    let Drafts { owner, fields } = expect_context::<Drafts>();
    fields
        .try_update_value(|map| {
            let field = map
                .entry(key)
                .or_insert_with(|| Box::new(owner.with(|| RwSignal::new(init()))));
            *field
                .downcast_ref::<RwSignal<T>>()
                .unwrap_or_else(|| panic!("draft {key} asked for as another type"))
        })
        .expect("the screen's drafts live as long as the screen")
}

/// A `<select>`'s field and its `<option>`s from (value, label) pairs. The
/// field keeps its value if that is still one of the options, else takes
/// the first (what a select shows until the user picks), so the field
/// always says what the screen shows.
pub(super) fn choice(
    key: &'static str,
    list: Vec<(String, String)>,
) -> (RwSignal<String>, impl IntoView) {
    let field = draft(key, String::new);
    let now = field.get_untracked();
    if !list.iter().any(|(v, _)| *v == now) {
        field.set(list.first().map(|(v, _)| v.clone()).unwrap_or_default());
    }
    let options = crate::pages::options(list, &field.get_untracked());
    (field, options)
}
