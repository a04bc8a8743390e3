//! The 示范岗 section's routes and the pieces its screens share.
//! [`ROUTES`] is in the shell's table; every screen lives under `/posts`:
//!
//! - `/posts`: the posts with this half-year's grade ([`home`]);
//! - `/posts/new`: register a post ([`register`]);
//! - `/posts/awards`: the half-year's titles by system and unit ([`awards`]);
//! - `/posts/rubric`: the rubric versions; the office records a new one ([`rubric`]);
//! - `/posts/:id`: one post: score, commitment, reviews, checks, plate ([`detail`]);
//! - `/posts/:id/plate`: the name plate (挂牌) to print ([`plate`]).
//!
//! Every screen reads the phone's records through [`data::Board`] and
//! asks core for every number; it reloads after writes and pulls.

mod awards;
mod checks;
mod commitment;
mod data;
mod detail;
mod home;
mod plate;
mod register;
mod reviews;
mod rubric;
mod score_view;
mod widgets;

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::calendar::HalfYear;

use crate::i18n::{I18n, PostMsg, Text};
use crate::kit;
use crate::routes::Route;
use data::Board;

/// Every route of the section (see `crate::routes`).
pub const ROUTES: &[Route] = &[
    Route::part("/posts", Home::load),
    Route::part("/posts/new", Register::load),
    Route::part("/posts/awards", Awards::load),
    Route::part("/posts/rubric", Rubric::load),
    Route::part("/posts/:id", Detail::load),
    Route::part("/posts/:id/plate", Plate::load),
];

// Lazily loaded parts (crate::lazy): the board, one post (its score,
// reviews, checks and plate), and the office's rubric.
crate::lazy_screens!(posts_board {
    Home => home::PostsHome,
    Register => register::RegisterPost,
    Awards => awards::AwardList,
});
crate::lazy_screens!(posts_post {
    Detail => detail::PostDetail,
    Plate => plate::NamePlate,
});
crate::lazy_screens!(posts_office { Rubric => rubric::RubricPage });

/// The UI language now. Not reactive on purpose: the language is changed
/// on 我的, and these screens are built anew when shown again, so their
/// texts can be plain strings instead of one closure per text.
pub(crate) fn lang() -> xianfeng_core::Lang {
    untrack(|| I18n::use_context().lang())
}

/// A message of this section in the current language (see [`lang`]).
pub(crate) fn t(msg: PostMsg) -> &'static str {
    msg.text(lang())
}

/// The section's records, reloaded after writes and pulls that touch
/// them (the kit's one loader).
pub(crate) type BoardResource = kit::Records<Arc<Board>>;

pub(crate) fn use_board() -> BoardResource {
    kit::use_records(&data::KINDS, kit::Reload::Live, |_| async {
        Board::load().await.map(Arc::new)
    })
}

/// 返回: back to the section's home.
pub(crate) fn back() -> impl IntoView {
    view! { <A href="/posts" attr:class="btn btn-secondary">{t(PostMsg::Back)}</A> }
}

/// ‹ 2010年下半年 ›: moves a screen's half-year.
#[component]
pub(crate) fn PeriodNav(period: RwSignal<HalfYear>) -> impl IntoView {
    let this = data::this_half_year();
    let lang = lang();
    view! {
        <nav class="post-period" aria-label=t(PostMsg::Period)>
            <button
                type="button"
                class="btn btn-secondary"
                aria-label=t(PostMsg::PrevPeriod)
                on:click=move |_| period.update(|p| *p = data::previous(*p))
            >
                "‹"
            </button>
            <strong data-testid="period">
                {move || data::period_label(lang, period.get())}
            </strong>
            <button
                type="button"
                class="btn btn-secondary"
                aria-label=t(PostMsg::NextPeriod)
                disabled=move || { period.get() >= this }
                on:click=move |_| period.update(|p| *p = p.next())
            >
                "›"
            </button>
        </nav>
    }
}
