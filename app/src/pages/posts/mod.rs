//! The 示范岗 section's routes and the pieces its screens share.
//! `PostsRoutes` is mounted by the shell; every screen lives under `/posts`:
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

use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{path, MatchNestedRoutes};
use xianfeng_core::calendar::HalfYear;

use crate::i18n::{I18n, PostMsg, Text};
use crate::storage::StorageError;
use crate::sync::SyncStatus;
use data::Board;

/// Every route of the section, nested under `/posts`.
#[component(transparent)]
pub fn PostsRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/posts") view=Outlet>
            <Route path=path!("") view=home::PostsHome/>
            <Route path=path!("new") view=register::RegisterPost/>
            <Route path=path!("awards") view=awards::AwardList/>
            <Route path=path!("rubric") view=rubric::RubricPage/>
            <Route path=path!(":id") view=detail::PostDetail/>
            <Route path=path!(":id/plate") view=plate::NamePlate/>
        </ParentRoute>
    }
    .into_inner()
}

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

/// The records, reloaded whenever the phone's data changes.
pub(crate) type BoardResource = LocalResource<Result<Board, StorageError>>;

pub(crate) fn use_board() -> BoardResource {
    let status = SyncStatus::use_context();
    // Only when one of the section's kinds changed (a pulled page of
    // households does not score the posts again).
    let version = Memo::new(move |_| {
        status.with(|s| s.data_version);
        crate::store::stamp(&data::KINDS)
    });
    LocalResource::new(move || {
        version.track();
        Board::load()
    })
}

/// A storage failure while loading (compared by its message, so memos of
/// loaded data can tell when nothing changed).
#[derive(Clone, Debug)]
pub(crate) struct LoadError(pub StorageError);

impl PartialEq for LoadError {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

/// What a screen derives from the board: `None` while loading.
pub(crate) type Loaded<T> = Option<Result<T, LoadError>>;

/// A memo of `f` over the loaded board (re-renders only when it changes).
pub(crate) fn derive<T>(
    board: BoardResource,
    f: impl Fn(&Board) -> T + Send + Sync + 'static,
) -> Memo<Loaded<T>>
where
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        board.with(|b| {
            b.as_ref().map(|r| match r {
                Ok(board) => Ok(f(board)),
                Err(e) => Err(LoadError(e.clone())),
            })
        })
    })
}

/// Shows `loaded` through `show`, with a loading line and a storage error.
pub(crate) fn loaded_view<T, V>(
    loaded: Memo<Loaded<T>>,
    show: impl Fn(&T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || {
        loaded.with(|l| match l {
            None => view! { <p class="muted">{t(PostMsg::Loading)}</p> }.into_any(),
            Some(Err(e)) => {
                view! { <p class="error" role="alert">{e.0.message(lang())}</p> }.into_any()
            }
            Some(Ok(value)) => show(value).into_any(),
        })
    }
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
