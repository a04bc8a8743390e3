//! The pieces a form and a card are drawn with: a labelled input with its
//! error under it ([`input`]), the end of a form ([`submit_row`]: the
//! errors no field shows, what was saved, the button), and label–value
//! rows ([`facts`]).
//!
//! Why here: each section drew its own, and the copies drifted (a missing
//! `role="alert"`, a button that was not disabled while saving). One
//! non-generic function each also keeps the bundle small: every `view!`
//! of its own is compiled separately.
//!
//! ```ignore
//! {kit::input(t(PostMsg::Reviewer), "reviewer", Kind::Text, reviewer, error, "reviewer")}
//! {kit::submit_row(save, FIELDS, t(PostMsg::SaveReview), Some((saved, t(PostMsg::ReviewSaved))))}
//! ```

use leptos::prelude::*;

use super::{FieldError, FormAlert, FormError, Save};

/// The kinds of text input the forms use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Whole numbers.
    Number,
    Tel,
    /// Yuan or mu, with a decimal point.
    Decimal,
    Date,
    /// Several lines.
    Area,
    /// A long text (a situation report).
    Long,
}

/// A labelled input (or text area) bound to `value`, with the error for
/// `field` right under it.
pub fn input(
    label: &'static str,
    name: &'static str,
    kind: Kind,
    value: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
    field: &'static str,
) -> AnyView {
    let control = match kind {
        Kind::Area | Kind::Long => {
            let (rows, max) = if kind == Kind::Long {
                ("8", "20000")
            } else {
                ("3", "2000")
            };
            view! { <textarea name=name rows=rows maxlength=max bind:value=value></textarea> }
                .into_any()
        }
        _ => {
            let (ty, mode) = match kind {
                Kind::Number => ("number", Some("numeric")),
                Kind::Tel => ("tel", None),
                Kind::Decimal => ("text", Some("decimal")),
                Kind::Date => ("date", None),
                _ => ("text", None),
            };
            view! {
                <input type=ty name=name inputmode=mode maxlength="2000" autocomplete="off" bind:value=value/>
            }
            .into_any()
        }
    };
    view! {
        <label class="field">
            <span>{label}</span>
            {control}
        </label>
        <FieldError error=error field=field/>
    }
    .into_any()
}

/// A labelled `<select>` bound to `value`, over its `<option>`s.
pub fn select(label: &'static str, value: RwSignal<String>, options: AnyView) -> AnyView {
    view! {
        <label class="field">
            <span>{label}</span>
            <select bind:value=value>{options}</select>
        </label>
    }
    .into_any()
}

/// The end of a form: the error no field of `fields` shows, what was just
/// saved (`saved`: when to say it, and the words), and the submit button,
/// disabled while saving.
pub fn submit_row(
    save: Save,
    fields: &'static [&'static str],
    label: &'static str,
    saved: Option<(RwSignal<bool>, &'static str)>,
) -> AnyView {
    let busy = save.busy;
    view! {
        <FormAlert error=save.error fields=fields/>
        {saved
            .map(|(shown, text)| {
                view! { <p role="status" class="muted">{move || shown.get().then_some(text)}</p> }
            })}
        <button type="submit" class="btn" disabled=move || busy.get()>
            {label}
        </button>
    }
    .into_any()
}

/// Label–value rows (`<dl class="facts">`); a row's test id is optional.
pub fn facts(rows: Vec<(&'static str, Option<&'static str>, String)>) -> AnyView {
    let rows: Vec<AnyView> = rows
        .into_iter()
        .map(|(label, testid, value)| {
            view! {
                <div class="fact">
                    <dt>{label}</dt>
                    <dd data-testid=testid>{value}</dd>
                </div>
            }
            .into_any()
        })
        .collect();
    view! { <dl class="facts">{rows}</dl> }.into_any()
}
