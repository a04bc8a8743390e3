//! What this phone's role does in a section (core's [`Section::use_by`],
//! decided from the permission table), for the tab bar and a section's
//! home: a section it only reads says so at the top, so a user never
//! taps through buttons that end in 无权限.
//!
//! ```ignore
//! view! { <h2>…</h2> {kit::read_only_note(Section::SpotChecks)} … }
//! ```

use leptos::prelude::*;
use xianfeng_core::sections::{Section, SectionUse};
use xianfeng_core::Actor;

use crate::i18n::{I18n, MeMsg};
use crate::sync::SyncStatus;

/// The enrolled actor, reactively (`None` before enrollment).
pub fn actor() -> Option<Actor> {
    SyncStatus::use_context().with(|s| s.identity.as_ref().map(|i| Actor::new(i.role, i.scope)))
}

/// This phone's sections in its role's order, with what it does in each
/// (the office's order before enrollment: every section readable).
pub fn sections() -> Vec<(Section, SectionUse)> {
    match actor() {
        Some(actor) => crate::store::with(|s| Section::for_actor(&actor, &s.directory())),
        None => Section::ALL
            .iter()
            .map(|s| (*s, SectionUse::Records))
            .collect(),
    }
}

/// "You can only read this section", when that is so for this phone.
pub fn read_only_note(section: Section) -> impl IntoView {
    let i18n = I18n::use_context();
    move || {
        let reads_only = actor().is_some_and(|a| {
            crate::store::with(|s| section.use_by(&a, &s.directory())) == SectionUse::ReadsOnly
        });
        reads_only.then(|| {
            view! {
                <p class="card note read-only" role="note" data-testid="read-only-note">
                    {i18n.t(MeMsg::ReadOnlySection)}
                </p>
            }
        })
    }
}
