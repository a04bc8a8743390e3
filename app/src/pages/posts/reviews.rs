//! 群众评议: the public reviews that count for the half-year (typed in from
//! paper, or sent through the name plate's QR page and pulled like any
//! other fact), how many the rubric needs, and the form a cadre uses to
//! enter one review gathered on paper. Core's `PublicReview::new` validates.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::ReviewId;
use xianfeng_core::posts::{PublicReview, Rating};

use super::data::today;
use super::detail::PostPage;
use super::t;
use super::widgets::{entries, radios, Entry};
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
    let may = move || page.with(|p| p.as_ref().is_some_and(|p| p.may.review));
    view! {
        <div class="card" data-testid="reviews">
            <h3>{t(PostMsg::ReviewsTitle)}</h3>
            {list}
            <Show when=may>
                <ReviewForm page=page/>
            </Show>
        </div>
    }
}

#[component]
fn ReviewForm(page: Memo<Option<PostPage>>) -> impl IntoView {
    let actor = super::data::use_actor();
    let rating = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let reviewer = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let lang = super::lang();
        let Some(post) = page.with_untracked(|p| p.as_ref().map(|p| p.post.id)) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        saved.set(false);
        let Ok(stars) = rating.get_untracked().parse::<u8>() else {
            error.set(Some(FormError::at(
                "rating",
                PostMsg::ChooseRating.text(lang),
            )));
            return;
        };
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|t| !t.trim().is_empty());
        let made = Rating::new(stars).and_then(|stars| {
            PublicReview::new(
                ReviewId::generate(),
                post,
                parse_date("on", &on.get_untracked())?,
                stars,
                text(comment),
                text(reviewer),
            )
        });
        let built = made
            .or_form(lang)
            .and_then(|r| Write::fact(actor.get_untracked(), *r.id.as_uuid(), &r, lang));
        Save { busy, error }.write(lang, built, move || {
            rating.try_set(String::new());
            reviewer.try_set(String::new());
            comment.try_set(String::new());
            saved.try_set(true);
        });
    };
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
