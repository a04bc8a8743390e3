//! One error type for every form: the record field a refusal is about (if
//! any) and the words, in the language of the moment.
//!
//! Why one: the sections had three (`FormError{text}`, `FormError{message}`,
//! `SaveError`) that said the same thing three ways. Core's
//! [`DomainError::field`] names the JSON field a refusal is about, so the
//! form shows it right under that field ([`FieldError`]); anything else
//! (no right to write there, the phone's storage) shows above the buttons
//! ([`FormAlert`]), with `role="alert"` so a screen reader says it.

use leptos::prelude::*;
use xianfeng_core::sync::SyncError;
use xianfeng_core::{DomainError, Lang};

use crate::i18n::{Msg, Text};
use crate::storage::StorageError;

/// A refusal to show: the record field it is about (if any) and the words.
#[derive(Clone, Debug, PartialEq)]
pub struct FormError {
    pub field: Option<&'static str>,
    pub text: String,
}

impl FormError {
    pub fn new(field: Option<&'static str>, text: impl Into<String>) -> Self {
        FormError {
            field,
            text: text.into(),
        }
    }

    /// A message for `field` (e.g. a required choice not made).
    pub fn at(field: &'static str, text: impl Into<String>) -> Self {
        FormError::new(Some(field), text)
    }

    /// Core's refusal of the record, next to its field.
    pub fn domain(e: &DomainError, lang: impl Into<Lang>) -> Self {
        FormError::new(e.field(), e.message(lang.into()))
    }

    /// A failed write: core's refusal (found by the storage module's own
    /// check) next to its field, anything else above the buttons.
    pub fn storage(e: &StorageError, lang: impl Into<Lang>) -> Self {
        let lang = lang.into();
        match e {
            StorageError::Invalid(SyncError::Invalid(d)) => FormError::domain(d, lang),
            e => FormError::new(None, e.message(lang)),
        }
    }

    /// This phone's role or scope may not write the record there (core's
    /// rule, as the server applies it).
    pub fn not_allowed(lang: impl Into<Lang>) -> Self {
        FormError::new(None, Msg::ErrNotAllowed.text(lang.into()))
    }
}

/// Core's refusal, as the form shows it (next to its field).
pub trait OrForm<T> {
    fn or_form(self, lang: impl Into<Lang>) -> Result<T, FormError>;
}

impl<T> OrForm<T> for Result<T, DomainError> {
    fn or_form(self, lang: impl Into<Lang>) -> Result<T, FormError> {
        self.map_err(|e| FormError::domain(&e, lang))
    }
}

/// The error for `field`, shown right under it.
#[component]
pub fn FieldError(error: RwSignal<Option<FormError>>, field: &'static str) -> impl IntoView {
    move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field == Some(field))
                .map(|e| view! { <p class="error" role="alert">{e.text.clone()}</p> })
        })
    }
}

/// An error that belongs to none of `fields` (shown above the buttons).
#[component]
pub fn FormAlert(
    error: RwSignal<Option<FormError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field.is_none_or(|f| !fields.contains(&f)))
                .map(|e| view! { <p class="error" role="alert">{e.text.clone()}</p> })
        })
    }
}
