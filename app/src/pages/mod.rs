//! One module per section of the app; each section owns its routes (its
//! `ROUTES`, in the shell's table).

mod me;
mod not_found;
pub mod pairing;
pub mod posts;
pub mod spot_checks;
pub mod study;
mod sync;
mod sync_tools;

use leptos::prelude::*;

pub use not_found::NotFound;

use crate::routes::Route;

// 我的 is a part of its own (crate::lazy).
crate::lazy_screens!(me { MeScreen => me::Me });

/// 同步, its invite link and 我的 (see `crate::routes`).
pub const ROUTES: &[Route] = &[
    Route::here("/sync", || sync::Sync().into_any()),
    Route::here("/enroll", || sync::EnrollLink().into_any()),
    Route::part("/me", MeScreen::load),
];

/// Every lazily loaded part, in the order they are fetched ahead when the
/// phone is idle (`crate::lazy::fetch_parts_when_idle`): the most used first.
pub(crate) const PARTS: &[fn() -> crate::lazy::Fetching] = &[
    spot_checks::spot_record,
    sync::sync_tools,
    spot_checks::spot_report,
    spot_checks::spot_roster,
    spot_checks::spot_roster_unit,
    me,
    posts::posts_board,
    posts::posts_post,
    study::study_sessions,
    study::study_figures,
    pairing::pairing_cards,
    pairing::pairing_help,
    pairing::pairing_reports,
    study::study_transition,
    pairing::pairing_office,
    posts::posts_office,
];

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

/// A reviewer or recorder as a `<select>` value: `m:<member id>` or
/// `i:<inspector id>` (结对帮扶's report reviews, 学习's checks).
pub(crate) fn recorder_code(r: &xianfeng_core::pairing::Reviewer) -> String {
    use xianfeng_core::pairing::Reviewer;
    match r {
        Reviewer::Member(m) => format!("m:{m}"),
        Reviewer::Inspector(i) => format!("i:{i}"),
    }
}

/// The reviewer a [`recorder_code`] names.
pub(crate) fn parse_recorder(code: &str) -> Option<xianfeng_core::pairing::Reviewer> {
    use xianfeng_core::pairing::Reviewer;
    let (tag, id) = code.split_once(':')?;
    match tag {
        "m" => id.parse().ok().map(Reviewer::Member),
        "i" => id.parse().ok().map(Reviewer::Inspector),
        _ => None,
    }
}
