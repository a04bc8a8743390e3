//! The screen kit: the pieces every section's screens are made of, so the
//! sections answer the same questions the same way (ARCHITECTURE.md, "How
//! a screen is built"). One piece per file:
//!
//! - [`use_records`] (`records.rs`): a screen's data from the store — the
//!   identity first (a cold start never shows 未登记 on an enrolled phone),
//!   one decode path, one reload rule ([`Reload`]).
//! - [`show`], [`derive`], [`show_derived`] (`show.rs`): the loading line,
//!   the one error view, the screen.
//! - [`may_write`] (`may_write.rs`): "may I write this?" — core's `locate`
//!   and `authorize` over the store, as the server's push checks.
//! - [`Write`], [`Save`] (`save.rs`): a record core built and this phone
//!   may write, saved in one transaction; busy, then done or the error;
//!   [`Save::on_submit`] is a form's whole submit.
//! - [`FormError`] (`form_error.rs`): core's refusal under its field
//!   ([`FieldError`]), anything else above the button ([`FormAlert`]).
//! - [`input`], [`select`], [`submit_row`], [`facts`] (`fields.rs`) and
//!   [`choice`], [`pick`], [`checkbox`], [`radios`] (`choices.rs`): the
//!   markup of forms and cards. [`show_more`]: 显示更多.
//! - [`sections`], [`read_only_note`] (`section.rs`): what this phone's
//!   role does in each section (core's `Section`): the tab bar's order, a
//!   read-only section's note.
//!
//! ```ignore
//! let save = Save::with_error(error);
//! let build = move || {
//!     let visit = Visit::new(VisitId::generate(), household, member, on, note).or_form(lang)?;
//!     Ok((vec![Write::fact(actor, *visit.id.as_uuid(), &visit, lang)?], ()))
//! };
//! let submit = save.on_submit(lang, build, move |()| navigate(&card, Default::default()));
//! view! { <form on:submit=submit> {kit::input(…)} {kit::submit_row(save, FIELDS, label, None)} </form> }
//! ```

mod choices;
mod fields;
mod form_error;
mod may_write;
mod records;
mod save;
mod section;
mod show;
mod show_more;

pub use choices::{checkbox, choice, pick, radios, Input};
pub use fields::{facts, input, select, submit_row, Kind};
pub use form_error::{FieldError, FormAlert, FormError, OrForm};
pub use may_write::{may_write, may_write_in_scope, may_write_with};
pub use records::{identity, use_records, Records, Reload};
pub use save::{changed_fields, Save, Write};
pub use section::{actor, read_only_note, sections};
pub use show::{derive, error_view, loading, show, show_derived, Derived, LoadError};
pub use show_more::show_more;
