//! The public review page (群众评议): the QR code on a post's name plate
//! (挂牌) opens `/r/<post id>`, where anyone rates the post 1–5 with an
//! optional comment and name — no login, no app, no JavaScript, so it opens
//! fast in any phone browser, WeChat's built-in one included.
//!
//! - `GET /r/{post}`: the form (404 page if the server does not know the post).
//! - `POST /r/{post}`: core's `PublicReview::new` validates; the review is
//!   stored as a fact through [`crate::sync::ingest_server_changes`], placed
//!   by core at the post's location, so phones pull it like any review.
//! - `GET /r/{post}/qr.svg`: the QR code of `<public url>/r/<post>` for
//!   printing the name plate; `GET /r/style.css`: the page's stylesheet.
//!
//! Against stuffing (said on the page in one sentence): one review per
//! client and post per local day (keyed by an HMAC of the address, never
//! the address itself), at most [`ReviewConfig::per_post_per_hour`] per
//! post, a signed form token that must be between
//! [`ReviewConfig::min_form_age`] and [`ReviewConfig::max_form_age`] old,
//! and a honeypot field that people never see. Limits answer 429 with
//! `Retry-After`; bad input answers 400 with the form again, values kept.

pub mod page;
pub mod qr;
pub mod store;
pub mod token;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;
use serde::Deserialize;
use time::{Duration, OffsetDateTime};
use xianfeng_core::ids::{PostId, ReviewId};
use xianfeng_core::posts::{PublicReview, Rating};
use xianfeng_core::Lang;

use crate::clock::{local_date, secs_to_local_midnight};
use crate::enroll::{base_url, client_ip};
use crate::AppState;
use page::{FormValues, PostView};
use store::Stored;
use token::{check_form_token, client_key, form_token, Secret, TokenError};

/// The largest form accepted (a full comment, percent-encoded, fits).
pub const MAX_FORM_BYTES: usize = 32 * 1024;

/// The page's stylesheet (served at `/r/style.css`).
pub const STYLE_CSS: &str = include_str!("style.css");

/// The page's limits; [`Default`] is what the server runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReviewConfig {
    /// Reviews one post accepts from the page in any hour.
    pub per_post_per_hour: u32,
    /// A form sent back sooner than this after it was served is a bot's.
    pub min_form_age: Duration,
    /// A form older than this must be opened again.
    pub max_form_age: Duration,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            per_post_per_hour: 30,
            min_form_age: Duration::seconds(3),
            max_form_age: Duration::days(1),
        }
    }
}

/// The form's fields as sent (all optional: missing ones are reported).
#[derive(Debug, Default, Deserialize)]
struct ReviewForm {
    rating: Option<String>,
    comment: Option<String>,
    reviewer: Option<String>,
    token: Option<String>,
    #[serde(rename = "website")]
    honeypot: Option<String>,
}

fn html(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, Html(markup.into_string())).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn not_found() -> Response {
    html(
        StatusCode::NOT_FOUND,
        page::message(
            "找不到这个岗位",
            "这个评议链接无效，或该岗位尚未登记。请核对名牌上的二维码。",
            None,
        ),
    )
}

fn internal(err: impl std::fmt::Display) -> Response {
    tracing::error!("review page: {err:#}");
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        page::message("服务器出错", "服务器暂时出错，请稍后再试。", None),
    )
}

fn too_many(text: &str, post: PostId, retry_after_secs: u64) -> Response {
    let mut response = html(
        StatusCode::TOO_MANY_REQUESTS,
        page::message("暂不能提交", text, Some(post)),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// The secret and the post's view, or the response to send instead.
async fn load(state: &AppState, post: PostId) -> Result<(Secret, PostView), Response> {
    let loaded = async {
        let secret = Secret::load_or_create(&state.store).await?;
        let view = state
            .store
            .read(move |sql| store::post_view(sql, post))
            .await?;
        anyhow::Ok((secret, view))
    }
    .await;
    match loaded {
        Ok((secret, Some(view))) => Ok((secret, view)),
        Ok((_, None)) => Err(not_found()),
        Err(err) => Err(internal(err)),
    }
}

/// `GET /r/style.css`.
pub async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLE_CSS,
    )
        .into_response()
}

/// `GET /r/{post}`.
pub async fn form(State(state): State<AppState>, Path(post): Path<String>) -> Response {
    let Ok(post) = post.parse::<PostId>() else {
        return not_found();
    };
    let (secret, view) = match load(&state, post).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let token = form_token(&secret, post, state.clock.now());
    let markup = page::form(
        &view,
        &token,
        &FormValues::default(),
        None,
        state.review.per_post_per_hour,
    );
    html(StatusCode::OK, markup)
}

/// Reads the rating field: a choice of 1 to 5, as core's `Rating` says.
fn rating(text: Option<&str>) -> Result<Rating, String> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    let Some(text) = text else {
        return Err("请选择满意程度（从“很不满意”到“很满意”选一项）。".to_owned());
    };
    let value: u8 = text
        .parse()
        .map_err(|_| "满意程度只能从“很不满意”到“很满意”五项中选择。".to_owned())?;
    Rating::new(value).map_err(|err| err.message(Lang::ZhCn))
}

fn token_problem(err: TokenError) -> &'static str {
    match err {
        TokenError::Invalid => "评议页已失效，请在本页重新填写后提交。",
        TokenError::Expired => "评议页打开已超过一天，已失效，请在本页重新填写后提交。",
        TokenError::TooFresh => "提交太快了，请看清后再提交（打开页面几秒后才能提交）。",
    }
}

const UNREADABLE: &str = "提交的内容无法识别，请重新填写。";

/// What to show again in the form if it comes back with an error.
fn form_values(form: &ReviewForm) -> FormValues {
    FormValues {
        rating: form.rating.as_deref().and_then(|r| r.trim().parse().ok()),
        comment: form.comment.clone().unwrap_or_default(),
        reviewer: form.reviewer.clone().unwrap_or_default(),
    }
}

/// Everything a form must pass before anything is stored: the honeypot,
/// the token, then core's rules for the review itself. The error is the
/// sentence to show above the form.
fn checked_review(
    form: ReviewForm,
    secret: &Secret,
    post: PostId,
    now: OffsetDateTime,
    config: &ReviewConfig,
) -> Result<PublicReview, String> {
    if form
        .honeypot
        .as_deref()
        .is_some_and(|h| !h.trim().is_empty())
    {
        return Err("提交无效，请重新填写后提交。".to_owned());
    }
    let token = form.token.as_deref().unwrap_or_default();
    check_form_token(
        secret,
        post,
        token,
        now,
        config.min_form_age,
        config.max_form_age,
    )
    .map_err(|err| token_problem(err).to_owned())?;
    let rating = rating(form.rating.as_deref())?;
    PublicReview::new(
        ReviewId::generate(),
        post,
        local_date(now),
        rating,
        form.comment,
        form.reviewer,
    )
    .map_err(|err| err.message(Lang::ZhCn))
}

/// `POST /r/{post}` (application/x-www-form-urlencoded).
pub async fn submit(
    State(state): State<AppState>,
    Path(post): Path<String>,
    extensions: axum::http::Extensions,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Ok(post) = post.parse::<PostId>() else {
        return not_found();
    };
    let (secret, view) = match load(&state, post).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let now = state.clock.now();
    let config = state.review;
    let form = match body.map(|b| serde_urlencoded::from_bytes::<ReviewForm>(&b)) {
        Ok(Ok(form)) => Ok(form),
        Ok(Err(_)) => Err(UNREADABLE.to_owned()),
        Err(rejection) => {
            let text = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                "提交的内容太长，请缩短意见后再提交。"
            } else {
                UNREADABLE
            };
            let markup = page::message("提交失败", text, Some(post));
            return html(rejection.status(), markup);
        }
    };
    let values = form.as_ref().map(form_values).unwrap_or_default();
    let review = form.and_then(|form| checked_review(form, &secret, post, now, &config));
    let review = match review {
        Ok(review) => review,
        Err(problem) => {
            let token = form_token(&secret, post, now);
            let markup = page::form(
                &view,
                &token,
                &values,
                Some(&problem),
                config.per_post_per_hour,
            );
            return html(StatusCode::BAD_REQUEST, markup);
        }
    };
    let key = client_key(&secret, client_ip(&extensions), post, review.on);
    let org = state.org.clone();
    let stored = state
        .store
        .write(move |sql| {
            store::store_review(sql, &org, &review, key, now, config.per_post_per_hour)
        })
        .await
        .map(|(stored, update)| {
            if let Some(update) = update {
                update.publish(&state.org);
            }
            stored
        });
    match stored {
        Ok(Stored::Yes) => {
            tracing::info!(%post, "public review stored");
            html(StatusCode::OK, page::thanks(&view))
        }
        Ok(Stored::ClientToday) => too_many(
            "您今天已经评议过这个岗位了，明天可以再次评议。谢谢！",
            post,
            secs_to_local_midnight(now),
        ),
        Ok(Stored::PostBusy { retry_after_secs }) => too_many(
            &format!(
                "这个岗位刚刚收到很多评议，请约 {} 分钟后再提交。",
                retry_after_secs.div_ceil(60)
            ),
            post,
            retry_after_secs,
        ),
        Ok(Stored::UnknownPost) => not_found(),
        Err(err) => internal(err),
    }
}

/// `GET /r/{post}/qr.svg`: the name plate's QR code. Made for any
/// well-formed post id, known here yet or not: a post created offline can
/// have its plate printed before its phone has synced.
pub async fn qr_svg(
    State(state): State<AppState>,
    Path(post): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(post) = post.parse::<PostId>() else {
        return not_found();
    };
    let url = qr::review_url(&base_url(&state, &headers), post);
    match qr::svg(&url) {
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            svg,
        )
            .into_response(),
        Err(err) => internal(err),
    }
}
