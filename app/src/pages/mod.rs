//! One module per section of the app; each section owns its routes.

mod me;
mod not_found;
pub mod pairing;
pub mod posts;
pub mod spot_checks;
pub mod study;
mod sync;

use leptos::prelude::*;

pub use me::Me;
pub use not_found::NotFound;
pub use pairing::PairingRoutes;
pub use posts::PostsRoutes;
pub use spot_checks::SpotChecksRoutes;
pub use study::StudyRoutes;
pub use sync::{EnrollLink, Sync};

/// `<option>`s from (value, label) pairs, `selected` chosen (a select built
/// again shows the kept choice). Shared by the sections' forms.
pub(crate) fn options(list: Vec<(String, String)>, selected: &str) -> impl IntoView {
    list.into_iter()
        .map(|(value, label)| {
            let chosen = value == selected;
            view! { <option value=value selected=chosen>{label}</option> }
        })
        .collect_view()
}
