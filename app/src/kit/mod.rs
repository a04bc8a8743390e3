//! The screen kit: the pieces every section's screens are made of, so the
//! sections answer the same questions the same way.
//!
//! - [`FormError`]: why a form was not saved — core's refusal next to the
//!   field it is about ([`DomainError::field`](xianfeng_core::DomainError)),
//!   or a storage failure above the buttons ([`FieldError`], [`FormAlert`]).
//! - [`Save`]: a form's save in the spirit of leptos's `Action` — busy
//!   while the one transaction (record + outbox entry) runs, then done or
//!   the error; a second tap while saving does nothing.
//! - [`show_more`]: 显示更多 under a list shown a page at a time.
//! - [`save_fact`], [`save_fields`] (with [`changed_fields`] for an edit):
//!   a record as the storage module takes it, a fact whole, a mutable
//!   record's fields ([`fact_value`], [`record_fields`]).
//!
//! ```ignore
//! let save = Save::new();
//! let submit = move |_| {
//!     let built = Visit::new(VisitId::generate(), household, member, on, note)
//!         .or_form(lang)
//!         .map(|v| Fact::of(*v.id.as_uuid(), &v));
//!     save.fact(lang, built, move || navigate(&card, Default::default()));
//! };
//! view! { <form on:submit=submit> … <FormAlert error=save.error fields=FIELDS/> </form> }
//! ```

mod choices;
mod fields;
mod form_error;
mod may_write;
mod records;
mod save;
mod show;
mod show_more;

pub use choices::{checkbox, choice, pick, radios, Input};
pub use fields::{facts, input, select, submit_row, Kind};
pub use form_error::{FieldError, FormAlert, FormError, OrForm};
pub use may_write::{may_write, may_write_in_scope, may_write_with};
pub use records::{identity, use_records, Records, Reload};
pub use save::{changed_fields, Save, Write};
pub use show::{derive, error_view, loading, show, show_derived, Derived, LoadError};
pub use show_more::show_more;
