//! 评分标准: the rubric versions (newest first, the one in force this
//! half-year marked), and for the office the form that records a new
//! version: weights, grade thresholds, minimum reviews and checks, which
//! disqualifiers apply. Core's `Rubric::new_version` numbers and validates
//! it; the earlier half-years stay scored by the version in force then.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::RubricId;
use xianfeng_core::posts::{Criterion, Disqualifier, Grade, Rubric};
use xianfeng_core::Actor;

use super::data::{period_label, this_half_year, today, use_actor, Board};
use super::t;
use super::use_board;
use crate::i18n::{fill, Msg, PostMsg, Text};
use crate::kit::{self, FieldError, FormAlert, FormError, Save, Write};

#[derive(Clone, PartialEq)]
struct RubricPage {
    /// Newest first, the built-in default included.
    history: Vec<Rubric>,
    in_force: RubricId,
    may_edit: bool,
}

fn rubric_page(board: &Board, actor: Option<Actor>) -> RubricPage {
    RubricPage {
        history: Rubric::history(&board.rubrics)
            .into_iter()
            .cloned()
            .collect(),
        in_force: Rubric::in_force(&board.rubrics, this_half_year()).id,
        may_edit: crate::kit::may_write(actor, Rubric::newest(&board.rubrics)),
    }
}

#[component]
pub fn RubricPage() -> impl IntoView {
    let board = use_board();
    let actor = use_actor();
    let page = kit::derive(board, move |b| rubric_page(b, actor.get()));
    view! {
        <section class="page posts" data-testid="page-rubric">
            <h2>{t(PostMsg::RubricTitle)}</h2>
            {kit::show_derived(page, move |p: &RubricPage| {
                let form = p.may_edit.then(|| {
                    let newest = p.history.first().cloned().unwrap_or(Rubric::DEFAULT);
                    let known = p.history.clone();
                    view! { <RubricForm base=newest known=known/> }
                });
                let versions = p
                    .history
                    .iter()
                    .map(|r| version_view(r, r.id == p.in_force))
                    .collect_view();
                view! {
                    <div data-testid="rubric-versions">{versions}</div>
                    {form}
                }
            })}
            <div class="actions post-actions">
                {super::back()}
            </div>
        </section>
    }
}

fn version_view(r: &Rubric, in_force: bool) -> impl IntoView {
    let lang = super::lang();
    let (w, th, d) = (&r.weights, &r.thresholds, &r.disqualify);
    let weights = format!(
        "{} {} · {} {} · {} {}",
        Criterion::Commitment.label(lang),
        w.commitment,
        Criterion::PublicReview.label(lang),
        w.public_review,
        Criterion::Inspection.label(lang),
        w.inspection
    );
    let thresholds = format!(
        "{} ≥ {} · {} ≥ {} · {} ≥ {}",
        Grade::Excellent.label(lang),
        th.excellent,
        Grade::Qualified.label(lang),
        th.qualified,
        Grade::Basic.label(lang),
        th.basic
    );
    let mut disqualifiers = String::new();
    for (q, on) in d.each() {
        if on {
            if !disqualifiers.is_empty() {
                disqualifiers.push_str(Msg::ListSep.text(lang));
            }
            disqualifiers.push_str(q.label(lang));
        }
    }
    let head = if r.id == Rubric::DEFAULT_ID {
        fill(t(PostMsg::DefaultVersion), &[("v", &r.version)])
    } else {
        fill(
            t(PostMsg::VersionMade),
            &[
                ("v", &r.version),
                ("date", &r.created_on),
                ("period", &period_label(lang, r.first_period())),
            ],
        )
    };
    let minimums = fill(
        t(PostMsg::Minimums),
        &[("reviews", &r.min_reviews), ("checks", &r.min_checks)],
    );
    let rows = [
        (PostMsg::Weights, weights),
        (PostMsg::Thresholds, thresholds),
        (PostMsg::MinimumsLabel, minimums),
        (PostMsg::DisqualifiersLabel, disqualifiers),
    ]
    .into_iter()
    .map(|(label, value)| {
        view! {
            <div class="fact">
                <dt>{t(label)}</dt>
                <dd>{value}</dd>
            </div>
        }
    })
    .collect_view();
    view! {
        <div class="card rubric-version" data-testid="rubric-version">
            <h3>
                {head}
                {in_force.then(|| view! { <span class="grade-chip">{t(PostMsg::InForce)}</span> })}
            </h3>
            <dl class="facts">{rows}</dl>
        </div>
    }
}

const FIELDS: &[&str] = &[
    "weights",
    "commitment",
    "public_review",
    "inspection",
    "thresholds",
    "excellent",
    "qualified",
    "basic",
    "min_reviews",
    "min_checks",
];

/// One whole-number input of the form.
fn number(
    field: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
) -> impl IntoView {
    view! {
        <label class="field rubric-number">
            <span>{label}</span>
            <input type="text" inputmode="numeric" name=field maxlength="3" bind:value=value/>
        </label>
        <FieldError error=error field=field/>
    }
}

#[component]
fn RubricForm(base: Rubric, known: Vec<Rubric>) -> impl IntoView {
    let actor = use_actor();
    let n = |v: u32| RwSignal::new(v.to_string());
    let commitment = n(base.weights.commitment);
    let review = n(base.weights.public_review);
    let inspection = n(base.weights.inspection);
    let excellent = n(base.thresholds.excellent);
    let qualified = n(base.thresholds.qualified);
    let basic = n(base.thresholds.basic);
    let min_reviews = n(base.min_reviews);
    let min_checks = n(base.min_checks);
    let badge_warning = RwSignal::new(base.disqualify.badge_warning);
    let missing = RwSignal::new(base.disqualify.missing_commitment);
    let late = RwSignal::new(base.disqualify.late_commitment);
    let study_short = RwSignal::new(base.disqualify.study_short);
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(None::<u32>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let lang = super::lang();
        if busy.get_untracked() {
            return;
        }
        let read = |field: &'static str, s: RwSignal<String>| {
            s.get_untracked()
                .trim()
                .parse::<u32>()
                .map_err(|_| FormError::at(field, PostMsg::WholeNumber.text(lang)))
        };
        let edited = (|| -> Result<Rubric, FormError> {
            let mut r = base.clone();
            r.weights.commitment = read("commitment", commitment)?;
            r.weights.public_review = read("public_review", review)?;
            r.weights.inspection = read("inspection", inspection)?;
            r.thresholds.excellent = read("excellent", excellent)?;
            r.thresholds.qualified = read("qualified", qualified)?;
            r.thresholds.basic = read("basic", basic)?;
            r.min_reviews = read("min_reviews", min_reviews)?;
            r.min_checks = read("min_checks", min_checks)?;
            r.disqualify.badge_warning = badge_warning.get_untracked();
            r.disqualify.missing_commitment = missing.get_untracked();
            r.disqualify.late_commitment = late.get_untracked();
            r.disqualify.study_short = study_short.get_untracked();
            let today =
                parse_date("created_on", &today()).map_err(|e| FormError::domain(&e, lang))?;
            r.new_version(RubricId::generate(), today, &known)
                .map_err(|e| FormError::domain(&e, lang))
        })();
        let rubric = match edited {
            Ok(r) => r,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        let version = rubric.version;
        let write = Write::fact(actor.get_untracked(), *rubric.id.as_uuid(), &rubric, lang);
        Save { busy, error }.write(lang, write, move || {
            saved.try_set(Some(version));
        });
    };
    let lang = super::lang();
    let c = move |c: Criterion| c.label(lang);
    let g = move |g: Grade| g.label(lang);
    let toggle = move |q: Disqualifier, value: RwSignal<bool>, name: &'static str| {
        crate::kit::checkbox(name, q.label(lang).into(), value)
    };
    view! {
        <form class="card form" on:submit=submit data-testid="rubric-form" novalidate>
            <h3>{t(PostMsg::NewVersion)}</h3>
            <p class="hint">{t(PostMsg::NewVersionHint)}</p>
            <fieldset class="rubric-group">
                <legend>{t(PostMsg::WeightsLegend)}</legend>
                {number("commitment", c(Criterion::Commitment), commitment, error)}
                {number("public_review", c(Criterion::PublicReview), review, error)}
                {number("inspection", c(Criterion::Inspection), inspection, error)}
            </fieldset>
            <FieldError error=error field="weights"/>
            <fieldset class="rubric-group">
                <legend>{t(PostMsg::ThresholdsLegend)}</legend>
                {number("excellent", g(Grade::Excellent), excellent, error)}
                {number("qualified", g(Grade::Qualified), qualified, error)}
                {number("basic", g(Grade::Basic), basic, error)}
            </fieldset>
            <FieldError error=error field="thresholds"/>
            {number("min_reviews", t(PostMsg::MinReviews), min_reviews, error)}
            {number("min_checks", t(PostMsg::MinChecks), min_checks, error)}
            <fieldset class="rubric-group">
                <legend>{t(PostMsg::DisqualifiersLabel)}</legend>
                {toggle(Disqualifier::BadgeWarning, badge_warning, "badge_warning")}
                {toggle(Disqualifier::StudyShort, study_short, "study_short")}
                <p class="hint">{t(PostMsg::StudyShortHint)}</p>
                {toggle(Disqualifier::MissingCommitment, missing, "missing_commitment")}
                {toggle(Disqualifier::LateCommitment, late, "late_commitment")}
            </fieldset>
            <FormAlert error=error fields=FIELDS/>
            <p role="status" class="muted" data-testid="rubric-saved">
                {move || saved.get().map(|v| fill(t(PostMsg::VersionSaved), &[("v", &v)]))}
            </p>
            <button type="submit" class="btn" disabled=busy>
                {t(PostMsg::SaveVersion)}
            </button>
        </form>
    }
}
