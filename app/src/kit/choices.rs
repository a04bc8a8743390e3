//! Radio buttons and checkboxes: a `<label class="choice">` around the
//! input and its words, so the whole row is the tap target (≥ 48 px).
//!
//! Why one function: every section drew its own copy of this markup; one
//! non-generic shape is also compiled once (bundle size).
//!
//! ```ignore
//! {kit::radios("rating", vec![("5".into(), "很满意".into()), …], rating)}
//! {kit::choice(Input::Checkbox, "causes", c.code(), c.label(lang).into(),
//!     Signal::derive(move || causes.with(|l| l.contains(&c))),
//!     Callback::new(move |on| causes.update(|l| toggle(l, c, on))))}
//! ```

use leptos::prelude::*;

/// Which input a choice is.
#[derive(Clone, Copy)]
pub enum Input {
    Radio,
    Checkbox,
}

/// One choice: checked while `checked`, `changed(now_checked)` on a tap.
pub fn choice(
    input: Input,
    name: &'static str,
    value: &'static str,
    label: String,
    checked: Signal<bool>,
    changed: Callback<bool>,
) -> AnyView {
    let kind = match input {
        Input::Radio => "radio",
        Input::Checkbox => "checkbox",
    };
    view! {
        <label class="choice">
            <input
                type=kind
                name=name
                value=value
                prop:checked=move || checked.get()
                on:change=move |ev| changed.run(event_target_checked(&ev))
            />
            <span>{label}</span>
        </label>
    }
    .into_any()
}

/// A radio button for one `value` of `signal` (an enum's variant).
pub fn pick<T>(
    name: &'static str,
    code: &'static str,
    label: String,
    signal: RwSignal<T>,
    value: T,
) -> AnyView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let checked = Signal::derive(move || signal.get() == value);
    choice(
        Input::Radio,
        name,
        code,
        label,
        checked,
        Callback::new(move |_| signal.set(value)),
    )
}

/// A checkbox bound to `value`.
pub fn checkbox(name: &'static str, label: String, value: RwSignal<bool>) -> AnyView {
    choice(
        Input::Checkbox,
        name,
        "on",
        label,
        value.into(),
        Callback::new(move |on| value.set(on)),
    )
}

/// Radio buttons named `name` from (value, label) pairs, bound to `value`.
pub fn radios(
    name: &'static str,
    choices: Vec<(String, String)>,
    value: RwSignal<String>,
) -> AnyView {
    choices
        .into_iter()
        .map(|(v, label)| {
            let mine = v.clone();
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name=name
                        value=v.clone()
                        prop:checked=move || value.with(|x| *x == mine)
                        on:change=move |_| value.set(v.clone())
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view()
        .into_any()
}
