//! 示范岗: the posts this phone knows, each with its half-year grade (or
//! why there is none) and the 党员示范岗 star, scored by core; and the
//! way to register a post, the award list and the rubric.

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::calendar::HalfYear;
use xianfeng_core::posts::Score;
use xianfeng_core::Actor;

use super::data::{this_half_year, use_actor, Board};
use super::{lang, t, use_board, PeriodNav};
use crate::i18n::PostMsg;
use crate::kit;

/// One post in the list.
#[derive(Clone, PartialEq)]
struct Row {
    id: String,
    name: String,
    holder: String,
    unit: String,
    score: Score,
    unsent: bool,
}

/// The list, and whether this phone may register a post at all.
#[derive(Clone, PartialEq)]
struct Home {
    rows: Vec<Row>,
    may_register: bool,
}

fn home(board: &Board, period: HalfYear, actor: Option<Actor>) -> Home {
    let scores = board.scores(period);
    let rows = scores
        .into_iter()
        .filter_map(|score| {
            let post = board.post(score.post)?;
            Some(Row {
                id: post.id.to_string(),
                name: post.name.clone(),
                holder: board.name(post.member.as_uuid()),
                unit: board.name(post.unit.as_uuid()),
                unsent: board.is_unsent(post.id.as_uuid()),
                score,
            })
        })
        .collect();
    let may_register = board.members_for_post(actor).next().is_some();
    Home { rows, may_register }
}

#[component]
pub fn PostsHome() -> impl IntoView {
    let board = use_board();
    let period = RwSignal::new(this_half_year());
    let actor = use_actor();
    let page = kit::derive(board, move |b| home(b, period.get(), actor.get()));
    view! {
        <section class="page posts" data-testid="page-posts">
            <h2>{t(PostMsg::Title)}</h2>
            {kit::read_only_note(xianfeng_core::sections::Section::Posts)}
            <PeriodNav period=period/>
            {kit::show_derived(page, move |home: &Home| {
                let register = home
                    .may_register
                    .then(|| {
                        view! {
                            <A href="/posts/new" attr:class="btn">
                                {t(PostMsg::Register)}
                            </A>
                        }
                    });
                let list = if home.rows.is_empty() {
                    view! {
                        <div class="empty">
                            <p>{t(PostMsg::Empty)}</p>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <ul class="post-list" data-testid="post-list">
                            {home.rows.iter().map(row_view).collect_view()}
                        </ul>
                    }
                        .into_any()
                };
                view! {
                    {list}
                    <div class="actions post-actions">
                        {register}
                        <A href="/posts/awards" attr:class="btn btn-secondary">
                            {t(PostMsg::AwardList)}
                        </A>
                        <A href="/posts/rubric" attr:class="btn btn-secondary">
                            {t(PostMsg::Rubric)}
                        </A>
                    </div>
                }
            })}
        </section>
    }
}

fn row_view(row: &Row) -> impl IntoView {
    let status = row.score.status_text(lang());
    let award = row.score.award;
    let unsent = row.unsent;
    let href = format!("/posts/{}", row.id);
    let name = row.name.clone();
    let who = format!("{} · {}", row.holder, row.unit);
    view! {
        <li>
            <A href=href attr:class="post-row card">
                <span class="post-row-main">
                    <strong>{name}</strong>
                    <span class="muted">{who}</span>
                </span>
                <span class="post-row-grade">
                    <span class="grade-chip">{status}</span>
                    {award
                        .then(|| {
                            view! {
                                <span class="award-star" title=t(PostMsg::Awarded)>
                                    "★"
                                    <span class="visually-hidden">
                                        {t(PostMsg::Awarded)}
                                    </span>
                                </span>
                            }
                        })}
                    {unsent
                        .then(|| {
                            view! { <span class="unsent-tag">{t(PostMsg::Unsent)}</span> }
                        })}
                </span>
            </A>
        </li>
    }
}
