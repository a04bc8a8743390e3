//! 群众评议: the public reviews that count for the half-year (typed in from
//! paper, or sent through the name plate's QR page and pulled like any
//! other fact), how many the rubric needs, and the form a cadre uses to
//! enter one review gathered on paper. Core's `PublicReview::new` validates.

use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::ReviewId;
use xianfeng_core::posts::{PublicReview, Rating};

use super::data::today;
use super::detail::page_post;
use super::detail::PostPage;
use super::t;
use super::widgets::{entries, radios, records_card, Entry};
use crate::i18n::{fill, PostMsg, Text};
use crate::kit::{self, FieldError, FormError, Kind, OrForm, Save, Write};

const FIELDS: &[&str] = &["rating", "on", "reviewer", "comment"];

/// The five answers, as on the public review page (values 5 to 1).
const RATINGS: [PostMsg; 5] = [
    PostMsg::Rating5,
    PostMsg::Rating4,
    PostMsg::Rating3,
    PostMsg::Rating2,
    PostMsg::Rating1,
];

fn rating_label(n: u8) -> &'static str {
    t(RATINGS[usize::from(5 - n.clamp(1, 5))])
}

fn stars(n: u8) -> String {
    let n = usize::from(n.min(5));
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

#[component]
pub(super) fn ReviewsCard(page: Memo<Option<PostPage>>) -> impl IntoView {
    let list = move || {
        page.with(|p| {
            let p = p.as_ref()?;
            let count = fill(
                t(PostMsg::ReviewCount),
                &[("n", &p.reviews.len()), ("min", &p.min_reviews)],
            );
            let list = p
                .reviews
                .iter()
                .map(|(r, unsent)| {
                    let who = r.reviewer.as_deref().unwrap_or(t(PostMsg::Anonymous));
                    Entry {
                        main: stars(r.rating.get()),
                        decorative: true,
                        meta: format!("{} · {} · {}", rating_label(r.rating.get()), r.on, who),
                        unsent: *unsent,
                        note: r.comment.clone(),
                    }
                })
                .collect();
            Some(view! {
                <p data-testid="review-count">{count}</p>
                {entries(list, "plain-list reviews")}
            })
        })
    };
    let may = Signal::derive(move || page.with(|p| p.as_ref().is_some_and(|p| p.may.review)));
    let form = |page| view! { <ReviewForm page=page/> }.into_any();
    records_card(
        "reviews",
        PostMsg::ReviewsTitle,
        list.into_any(),
        may,
        form,
        page,
    )
}

#[component]
fn ReviewForm(page: Memo<Option<PostPage>>) -> impl IntoView {
    let actor = super::data::use_actor();
    let rating = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let reviewer = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let save = Save::new();
    let (busy, error) = (save.busy, save.error);
    let saved = RwSignal::new(false);
    let lang = super::lang();
    let build = move || {
        saved.set(false);
        let post = page_post(page, lang)?;
        let stars = rating
            .get_untracked()
            .parse::<u8>()
            .map_err(|_| FormError::at("rating", PostMsg::ChooseRating.text(lang)))?;
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|t| !t.trim().is_empty());
        let on = parse_date("on", &on.get_untracked()).or_form(lang)?;
        let review = Rating::new(stars)
            .and_then(|stars| {
                PublicReview::new(
                    ReviewId::generate(),
                    post.id,
                    on,
                    stars,
                    text(comment),
                    text(reviewer),
                )
            })
            .or_form(lang)?;
        let write = Write::fact(actor.get_untracked(), *review.id.as_uuid(), &review, lang)?;
        Ok((vec![write], ()))
    };
    let done = move |()| {
        rating.try_set(String::new());
        reviewer.try_set(String::new());
        comment.try_set(String::new());
        saved.try_set(true);
    };
    let submit = save.on_submit(lang, build, done);
    view! {
        <form class="form review-form" on:submit=submit data-testid="review-form" novalidate>
            <h4>{t(PostMsg::EnterReview)}</h4>
            <fieldset class="rating-choices">
                <legend>{t(PostMsg::RatingLegend)}</legend>
                {radios(
                    "rating",
                    (1..=5u8).rev().map(|n| (n.to_string(), rating_label(n).to_string())).collect(),
                    rating,
                )}
            </fieldset>
            <FieldError error=error field="rating"/>
            {kit::input(t(PostMsg::ReviewDate), "on", Kind::Date, on, error, "on")}
            {kit::input(t(PostMsg::Reviewer), "reviewer", Kind::Text, reviewer, error, "reviewer")}
            {kit::input(t(PostMsg::Comment), "comment", Kind::Area, comment, error, "comment")}
            {kit::submit_row(Save { busy, error }, FIELDS, t(PostMsg::SaveReview), Some((saved, t(PostMsg::ReviewSaved))))}
        </form>
    }
}
