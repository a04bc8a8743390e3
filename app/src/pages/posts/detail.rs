//! One post (`/posts/:id`): who holds it and what it promises, the
//! half-year's explained score, the commitment and its fulfilment, the
//! public reviews, the inspectors' checks, and the name plate's QR code.
//!
//! Why one screen: the score is only understood next to the evidence it
//! counts. The page data ([`PostPage`]) is derived from the records by
//! core (score, commitment, reviews and checks of the period, who may
//! write what) and memoised, so a sync that changes nothing re-renders
//! nothing and the forms keep what is being typed.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use xianfeng_core::calendar::HalfYear;
use xianfeng_core::ids::PostId;
use xianfeng_core::posts::{
    checks_for, commitment_for, reviews_for, score, Commitment, Evidence, Post, PostCheck,
    PublicReview, Rubric, Score,
};
use xianfeng_core::{Actor, Lang};

use super::checks::ChecksCard;
use super::commitment::CommitmentCard;
use super::data::{this_half_year, use_actor, user_name, Board, May};
use super::plate::PlateCard;
use super::reviews::ReviewsCard;
use super::score_view::score_view;
use super::{t, use_board, PeriodNav};
use crate::i18n::PostMsg;
use crate::kit::{self, FormError};

/// The post a form on the post's page is about (the forms show only
/// once it is there).
pub(super) fn page_post(page: Memo<Option<PostPage>>, lang: Lang) -> Result<Post, FormError> {
    page.with_untracked(|p| p.as_ref().map(|p| p.post.clone()))
        .ok_or_else(|| FormError::not_allowed(lang))
}

/// Everything the post's screen shows for one half-year.
#[derive(Clone, PartialEq)]
pub(super) struct PostPage {
    pub post: Post,
    /// The post itself has not reached the server yet.
    pub post_unsent: bool,
    pub holder: String,
    pub unit: String,
    pub score: Score,
    pub min_reviews: u32,
    /// The commitment that counts, and whether it is unsent.
    pub commitment: Option<(Commitment, bool)>,
    /// Reviews that count, newest first, with "unsent".
    pub reviews: Vec<(PublicReview, bool)>,
    /// Checks that count, newest first, with the inspector's name and "unsent".
    pub checks: Vec<(PostCheck, String, bool)>,
    pub may: May,
    /// Inspectors to choose from for a check (id, name), and the default.
    pub inspectors: Vec<(String, String)>,
    pub inspector: Option<String>,
}

fn post_page(
    board: &Board,
    id: PostId,
    period: HalfYear,
    actor: Option<Actor>,
) -> Option<PostPage> {
    let post = board.post(id)?.clone();
    let evidence = Evidence {
        commitments: &board.commitments,
        reviews: &board.reviews,
        checks: &board.checks,
        ladder: board.ladder().member(post.member),
        study: board.study(),
    };
    let score = score(&board.rubrics, &post, period, &evidence);
    let rubric = Rubric::in_force(&board.rubrics, period);
    // Newest recorded first: storage lists by id, and ids (UUIDv7) follow
    // the order records were made in.
    let reviews: Vec<(PublicReview, bool)> = reviews_for(&board.reviews, id, period)
        .into_iter()
        .rev()
        .map(|r| (r.clone(), board.is_unsent(r.id.as_uuid())))
        .collect();
    let checks: Vec<(PostCheck, String, bool)> = checks_for(&board.checks, id, period)
        .into_iter()
        .rev()
        .map(|c| {
            let name = board.name(c.inspector.as_uuid());
            (c.clone(), name, board.is_unsent(c.id.as_uuid()))
        })
        .collect();
    let commitment = commitment_for(&board.commitments, post.member, period)
        .map(|c| (c.clone(), board.is_unsent(c.id.as_uuid())));
    let may = board.may_add_to(actor, &post, period);
    // In roster order (ids follow the order records were made in).
    let inspectors: Vec<(String, String)> = board
        .inspectors
        .iter()
        .map(|i| (i.id.to_string(), i.name.clone()))
        .collect();
    Some(PostPage {
        post_unsent: board.is_unsent(post.id.as_uuid()),
        holder: board.name(post.member.as_uuid()),
        unit: board.name(post.unit.as_uuid()),
        min_reviews: rubric.min_reviews,
        inspector: board.default_inspector(&user_name()).map(|i| i.to_string()),
        post,
        score,
        commitment,
        reviews,
        checks,
        may,
        inspectors,
    })
}

#[component]
pub fn PostDetail() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<PostId>().ok()));
    let board = use_board();
    let period = RwSignal::new(this_half_year());
    let actor = use_actor();
    let loaded = kit::derive(board, move |b| {
        id().and_then(|id| post_page(b, id, period.get(), actor.get()))
    });
    let page = Memo::new(move |_| loaded.with(|l| l.clone().and_then(Result::ok).flatten()));
    let found = move || page.with(Option::is_some);
    view! {
        <section class="page posts" data-testid="page-post">
            {kit::show_derived(loaded, move |p: &Option<PostPage>| {
                p.is_none()
                    .then(|| {
                        view! {
                            <div class="empty">
                                <p>{t(PostMsg::NotFound)}</p>
                                {super::back()}
                            </div>
                        }
                    })
            })}
            <Show when=found>
                {move || page.with(|p| p.as_ref().map(header))}
                <PeriodNav period=period/>
                <div class="card" data-testid="score">
                    {move || page.with(|p| p.as_ref().map(|p| score_view(&p.score)))}
                </div>
                <CommitmentCard page=page period=period/>
                <ReviewsCard page=page/>
                <ChecksCard page=page/>
                <PlateCard page=page/>
            </Show>
        </section>
    }
}

fn header(p: &PostPage) -> impl IntoView {
    let promise = (!p.post.promise.is_empty()).then(|| {
        let text = p.post.promise.clone();
        view! {
            <p class="post-promise">
                <strong>{t(PostMsg::PromiseLabel)}</strong>
                <span data-testid="promise">{text}</span>
            </p>
        }
    });
    view! {
        <h2 data-testid="post-name">{p.post.name.clone()}</h2>
        <p class="muted" data-testid="post-holder">{format!("{} · {}", p.holder, p.unit)}</p>
        {promise}
    }
}
