//! 学习: the study stage — sessions and attendance, hours and coverage,
//! 三个完成, discussions, suggestions and the 转段评估. [`ROUTES`] is in the
//! shell's table; every screen lives under `/study`, one per file:
//!
//! | route | screen |
//! |---|---|
//! | `/study` | [`home`]: the scope's figures (参学率, 两个确保 …), units, sessions |
//! | `/study/new` | [`session_form`]: record a session (`?makes_up=<id>`: a 补课) |
//! | `/study/session/:id` | [`attendance`]: 考勤, one tap a member; 发言 at a discussion |
//! | `/study/members` | [`members`]: every member in scope, what each still owes |
//! | `/study/unit/:id` | [`members`]: one unit's figures, 两个确保 with names, owes |
//! | `/study/system/:id` | [`members`]: a system's figures, its units, 两个确保, owes |
//! | `/study/member/:id` | [`member`]: one member: hours, misses and make-ups, 三个完成, 建言 |
//! | `/study/transition` | [`transition`]: each unit's 转段评估 stage |
//! | `/study/transition/:id` | [`transition`]: a unit's review, sign-off, decision |
//! | `/study/transition/:id/review` | [`review_form`]: review a unit point by point |
//! | `/study/settings` | [`settings`]: the office's targets, topics and checklist |
//!
//! Every number is core's (`xianfeng_core::study`): the store indexes the
//! facts once ([`crate::store::Store::study`]); nothing derived is stored.

mod attendance;
mod data;
mod figures;
mod home;
mod list;
mod member;
mod members;
mod review_form;
mod session_form;
mod settings;
mod transition;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;
use xianfeng_core::Lang;

use crate::i18n::{I18n, StudyMsg, Text};
use crate::kit;
use crate::routes::Route;
use data::{Shared, StudyData};

/// Every route of the section (see `crate::routes`).
pub const ROUTES: &[Route] = &[
    Route::part("/study", Home::load),
    Route::part("/study/new", NewSession::load),
    Route::part("/study/session/:id", Attendance::load),
    Route::part("/study/members", Members::load),
    Route::part("/study/unit/:id", Unit::load),
    Route::part("/study/system/:id", System::load),
    Route::part("/study/member/:id", Member::load),
    Route::part("/study/transition", Transitions::load),
    Route::part("/study/transition/:id", Transition::load),
    Route::part("/study/transition/:id/review", Review::load),
    Route::part("/study/settings", Settings::load),
];

crate::lazy_screens!(study_figures {
    Home => home::StudyHome,
    Members => members::MembersPage,
    Unit => members::UnitPage,
    System => members::SystemPage,
    Member => member::MemberPage,
});
crate::lazy_screens!(study_sessions {
    NewSession => session_form::NewSession,
    Attendance => attendance::AttendanceScreen,
});
crate::lazy_screens!(study_transition {
    Transitions => transition::TransitionList,
    Transition => transition::UnitTransition,
    Review => review_form::ReviewForm,
    Settings => settings::SettingsPage,
});

/// The UI language now (screens are built anew when shown again).
pub(crate) fn lang() -> Lang {
    untrack(|| I18n::use_context().lang())
}

/// A message of this section in the current language.
pub(crate) fn t(msg: StudyMsg) -> &'static str {
    msg.text(lang())
}

/// The route's `:id`, if it is a UUID.
fn route_id() -> Option<Uuid> {
    use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|s| s.parse().ok())
}

/// A query parameter's UUID (`?makes_up=<id>`).
fn query_id(name: &str) -> Option<Uuid> {
    use_query_map()
        .with_untracked(|q| q.get(name))
        .and_then(|s| s.parse().ok())
}

/// The section's data: `Live` for lists and figures, `Once` for forms
/// and the attendance screen (a sync must not redraw under a thumb).
fn use_data(reload: kit::Reload) -> kit::Records<Shared> {
    kit::use_records(&data::KINDS, reload, |identity| async move {
        StudyData::load(identity).await.map(std::sync::Arc::new)
    })
}

/// A screen of the section: its heading, then `body` once the data is
/// there. One non-generic frame for every screen (bundle size).
fn page(
    testid: &'static str,
    title: Option<StudyMsg>,
    reload: kit::Reload,
    body: impl Fn(Shared) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let data = use_data(reload);
    view! {
        <section class="page study" data-testid=testid>
            {title.map(|title| view! { <h2>{t(title)}</h2> })}
            {kit::show(data, body)}
        </section>
    }
    .into_any()
}

/// 返回: back to `href`.
fn back(href: String) -> AnyView {
    view! { <A href=href attr:class="btn btn-secondary">{t(StudyMsg::Back)}</A> }.into_any()
}

/// Nothing to show, in words.
fn empty(msg: StudyMsg) -> AnyView {
    view! { <p class="empty">{t(msg)}</p> }.into_any()
}

/// Today on this phone, as a date (probes of records made today).
fn today_date() -> time::Date {
    crate::local_time::now_local()
        .map(|now| now.date())
        .unwrap_or(time::macros::date!(2005 - 01 - 01))
}
