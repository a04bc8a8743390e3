//! `/study/transition` and `/study/transition/:id`: the 转段评估 — each
//! unit's stage (未评估, 待签字, 待审批, 已转段, 需补课, core's rule), and
//! for one unit its current review point by point, the group leader's
//! signature (签字把关) and the office's decision (审查批准 / 责令补课).
//!
//! Each step is a fact with who and when; a role sees the step it takes
//! (an inspector in its groups' units reviews and signs, the office
//! decides), and every other step only as it stands.

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::ids::{InspectorId, SignOffId, TransitionDecisionId, UnitId};
use xianfeng_core::order;
use xianfeng_core::study::{
    Recorder, TransitionChecklist, TransitionDecision, TransitionReview, TransitionSignOff,
    TransitionStage, TransitionStatus,
};

use super::data::Shared;
use super::{back, lang, page, route_id, t, today_date};
use crate::i18n::{fill, StudyMsg};
use crate::kit::{self, FormError, Kind, OrForm, Save, Write};
use crate::local_time::today;
use crate::pages::options;

#[component]
pub fn TransitionList() -> impl IntoView {
    page(
        "page-study-transition",
        Some(StudyMsg::Transition),
        kit::Reload::Live,
        |d| {
            let lang = lang();
            let units = d.units_in(&d.scope());
            let ids: Vec<UnitId> = units.iter().map(|u| u.id).collect();
            let items: Vec<AnyView> = units
            .iter()
            .zip(d.statuses(&ids))
            .map(|(u, status)| {
                let href = format!("/study/transition/{}", u.id);
                let (name, stage) = (u.name.clone(), status.stage);
                view! {
                    <li>
                        <A href=href attr:class="card study-row">
                            <span class="study-row-main"><strong>{name}</strong></span>
                            <span class="grade-chip" data-stage=stage.code()>{stage.label(lang)}</span>
                        </A>
                    </li>
                }
                .into_any()
            })
            .collect();
            view! {
            <p class="hint">{t(StudyMsg::TransitionHint)}</p>
            {if items.is_empty() { super::empty(StudyMsg::NoUnits) } else {
                view! { <ul class="study-list" data-testid="transition-units">{items}</ul> }.into_any()
            }}
            {back("/study".into())}
        }
        .into_any()
        },
    )
}

#[component]
pub fn UnitTransition() -> impl IntoView {
    page("page-study-unit-transition", None, kit::Reload::Live, |d| {
        let Some(unit) = route_id()
            .map(UnitId::from_uuid)
            .filter(|u| d.units.iter().any(|x| x.id == *u))
        else {
            return super::empty(StudyMsg::UnitNotFound);
        };
        let Some(status) = d.statuses(&[unit]).pop() else {
            return super::empty(StudyMsg::UnitNotFound);
        };
        unit_view(d, unit, status)
    })
}

fn unit_view(d: Shared, unit: UnitId, status: TransitionStatus) -> AnyView {
    let lang = lang();
    let review = status.review.and_then(|id| d.review(id)).cloned();
    let probe_review = TransitionReview {
        id: xianfeng_core::ids::TransitionReviewId::from_u128(0),
        unit,
        checklist: d.checklist().id,
        inspector: InspectorId::from_u128(0),
        group: None,
        on: today_date(),
        results: d
            .checklist()
            .points
            .iter()
            .map(|_| xianfeng_core::study::PointResult::new(true, ""))
            .collect(),
        note: String::new(),
    };
    let may_review = kit::may_write(d.actor(), &probe_review);
    let review_href = format!("/study/transition/{unit}/review");
    let stage = status.stage;
    view! {
        <h2>{fill(t(StudyMsg::TransitionOf), &[("unit", &d.unit_name(unit))])}</h2>
        <p>
            <span class="grade-chip" data-testid="stage" data-stage=stage.code()>{stage.label(lang)}</span>
        </p>
        {(stage == TransitionStage::MakeUpOwed).then(|| owed(&d, &review, &status.owed))}
        {review.clone().map(|r| review_view(&d, &r))}
        {review.clone().filter(|_| stage == TransitionStage::AwaitingSignOff).and_then(|r| sign_off_form(&d, r))}
        {review.clone().filter(|_| stage == TransitionStage::AwaitingApproval).and_then(|r| decision_form(&d, r))}
        <div class="actions">
            {may_review.then(|| {
                let label = t(if review.is_some() { StudyMsg::ReviewAgain } else { StudyMsg::StartReview });
                view! { <A href=review_href attr:class="btn">{label}</A> }
            })}
            {back("/study/transition".into())}
        </div>
    }
    .into_any()
}

/// The points the office ordered made up.
fn owed(d: &Shared, review: &Option<TransitionReview>, points: &[u16]) -> AnyView {
    let checklist = review
        .as_ref()
        .and_then(|r| TransitionChecklist::find(&d.checklists, r.checklist))
        .cloned()
        .unwrap_or_default();
    let items: Vec<AnyView> = points
        .iter()
        .map(|p| {
            let text = checklist
                .points
                .get(usize::from(*p))
                .cloned()
                .unwrap_or_default();
            view! { <li>{text}</li> }.into_any()
        })
        .collect();
    view! {
        <div class="card note" data-testid="make-up-owed">
            <h3>{t(StudyMsg::MakeUpOrdered)}</h3>
            <ol>{items}</ol>
        </div>
    }
    .into_any()
}

/// The current review: who, when, each point met or not with its comment,
/// and the steps taken on it.
fn review_view(d: &Shared, r: &TransitionReview) -> AnyView {
    let checklist = TransitionChecklist::find(&d.checklists, r.checklist)
        .cloned()
        .unwrap_or_default();
    let met = r.results.iter().filter(|x| x.met).count();
    let by = fill(
        t(StudyMsg::ReviewedBy),
        &[
            ("name", &d.inspector_name(r.inspector)),
            ("on", &r.on),
            ("met", &met),
            ("total", &r.results.len()),
        ],
    );
    let items: Vec<AnyView> = r
        .results
        .iter()
        .enumerate()
        .map(|(i, res)| {
            let point = checklist.points.get(i).cloned().unwrap_or_default();
            let mark = t(if res.met {
                StudyMsg::Met
            } else {
                StudyMsg::NotMet
            });
            let comment = (!res.comment.is_empty())
                .then(|| view! { <p class="muted">{res.comment.clone()}</p> });
            view! {
                <li class:study-unmet=!res.met>
                    <span class="grade-chip">{mark}</span> " " {point}
                    {comment}
                </li>
            }
            .into_any()
        })
        .collect();
    let signed = d
        .sign_offs
        .iter()
        .filter(|s| s.review == r.id)
        .max_by_key(|s| (s.on, s.id))
        .map(|s| {
            fill(
                t(StudyMsg::SignedBy),
                &[("name", &d.inspector_name(s.leader)), ("on", &s.on)],
            )
        });
    let decided = d
        .decisions
        .iter()
        .filter(|x| x.review == r.id)
        .max_by_key(|x| (x.on, x.id))
        .map(|x| {
            let who = match x.decided_by {
                Recorder::Inspector(i) => d.inspector_name(i),
                Recorder::Member(m) => d.member_name(m),
            };
            fill(t(StudyMsg::DecidedBy), &[("name", &who), ("on", &x.on)])
        });
    view! {
        <div class="card" data-testid="current-review">
            <h3>{t(StudyMsg::CurrentReview)}</h3>
            <p class="muted">{by}</p>
            {(!r.note.is_empty()).then(|| view! { <p>{r.note.clone()}</p> })}
            <ol class="study-points">{items}</ol>
            {signed.map(|s| view! { <p data-testid="signed">{s}</p> })}
            {decided.map(|s| view! { <p data-testid="decided">{s}</p> })}
        </div>
    }
    .into_any()
}

/// Inspectors to choose from (who signs, who decides), "我是…" first.
fn inspector_choices(d: &Shared) -> (Vec<(String, String)>, String) {
    let mut list: Vec<(String, String)> = d
        .inspectors
        .iter()
        .map(|i| (i.id.to_string(), i.name.clone()))
        .collect();
    order::sort_by(&mut list, |a, b| a.1.cmp(&b.1));
    let first = d
        .me()
        .map(|m| m.to_string())
        .or_else(|| list.first().map(|(c, _)| c.clone()))
        .unwrap_or_default();
    (list, first)
}

/// 签字把关: the group leader signs the review.
fn sign_off_form(d: &Shared, review: TransitionReview) -> Option<AnyView> {
    let lang = lang();
    let (choices, first) = inspector_choices(d);
    let probe = TransitionSignOff::new(
        SignOffId::from_u128(0),
        &review,
        InspectorId::from_u128(0),
        today_date(),
        "",
    )
    .ok()?;
    if !kit::may_write(d.actor(), &probe) || choices.is_empty() {
        return None;
    }
    let leader = RwSignal::new(first);
    let on = RwSignal::new(today());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let save = Save::with_error(error);
    let actor = d.actor();
    let build = move || {
        let leader: InspectorId = leader
            .get_untracked()
            .parse()
            .map_err(|_| FormError::new(None, t(StudyMsg::ChooseLeader)))?;
        let on = xianfeng_core::calendar::parse_date("on", &on.get_untracked()).or_form(lang)?;
        let s = TransitionSignOff::new(
            SignOffId::generate(),
            &review,
            leader,
            on,
            note.get_untracked(),
        )
        .or_form(lang)?;
        Ok((vec![Write::fact(actor, *s.id.as_uuid(), &s, lang)?], ()))
    };
    let submit = save.on_submit(lang, build, |()| {});
    Some(
        view! {
            <form class="form card" data-testid="sign-off-form" on:submit=submit>
                <h3>{t(StudyMsg::SignOff)}</h3>
                {kit::select(t(StudyMsg::Leader), leader, options(choices, &leader.get_untracked()).into_any())}
                {kit::input(t(StudyMsg::Date), "on", Kind::Date, on, error, "on")}
                {kit::input(t(StudyMsg::Note), "note", Kind::Area, note, error, "note")}
                {kit::submit_row(save, &["on", "note"], t(StudyMsg::SignOff), None)}
            </form>
        }
        .into_any(),
    )
}

/// 审查批准 / 责令补课: the office decides on a signed review.
fn decision_form(d: &Shared, review: TransitionReview) -> Option<AnyView> {
    let lang = lang();
    let (choices, first) = inspector_choices(d);
    let probe = TransitionDecision::approve(
        TransitionDecisionId::from_u128(0),
        &review,
        Recorder::Inspector(InspectorId::from_u128(0)),
        today_date(),
        "",
    )
    .ok()?;
    if !kit::may_write(d.actor(), &probe) || choices.is_empty() {
        return None;
    }
    let checklist = TransitionChecklist::find(&d.checklists, review.checklist)
        .cloned()
        .unwrap_or_default();
    let by = RwSignal::new(first);
    let on = RwSignal::new(today());
    let note = RwSignal::new(String::new());
    let make_up = RwSignal::new(false);
    let points: Vec<RwSignal<bool>> = review
        .results
        .iter()
        .map(|r| RwSignal::new(!r.met))
        .collect();
    let error = RwSignal::new(None::<FormError>);
    let save = Save::with_error(error);
    let actor = d.actor();
    let picked = points.clone();
    let build = move || {
        let by: InspectorId = by
            .get_untracked()
            .parse()
            .map_err(|_| FormError::new(None, t(StudyMsg::ChooseDecider)))?;
        let on = xianfeng_core::calendar::parse_date("on", &on.get_untracked()).or_form(lang)?;
        let id = TransitionDecisionId::generate();
        let decision = if make_up.get_untracked() {
            let chosen: Vec<u16> = (0u16..)
                .zip(&picked)
                .filter(|(_, p)| p.get_untracked())
                .map(|(i, _)| i)
                .collect();
            TransitionDecision::make_up(
                id,
                &review,
                Recorder::Inspector(by),
                on,
                chosen,
                note.get_untracked(),
            )
        } else {
            TransitionDecision::approve(
                id,
                &review,
                Recorder::Inspector(by),
                on,
                note.get_untracked(),
            )
        }
        .or_form(lang)?;
        Ok((
            vec![Write::fact(actor, *decision.id.as_uuid(), &decision, lang)?],
            (),
        ))
    };
    let submit = save.on_submit(lang, build, |()| {});
    let texts: Vec<String> = (0..points.len())
        .map(|i| checklist.points.get(i).cloned().unwrap_or_default())
        .collect();
    let point_boxes = move || -> Vec<AnyView> {
        points
            .iter()
            .zip(&texts)
            .map(|(p, text)| kit::checkbox("points", text.clone(), *p))
            .collect()
    };
    Some(
        view! {
            <form class="form card" data-testid="decision-form" on:submit=submit>
                <h3>{t(StudyMsg::Decide)}</h3>
                {kit::select(t(StudyMsg::Decider), by, options(choices, &by.get_untracked()).into_any())}
                {kit::input(t(StudyMsg::Date), "on", Kind::Date, on, error, "on")}
                {kit::pick("outcome", "approved", t(StudyMsg::Approve).to_string(), make_up, false)}
                {kit::pick("outcome", "make_up", t(StudyMsg::OrderMakeUp).to_string(), make_up, true)}
                {move || make_up.get().then(|| view! {
                    <fieldset class="study-points-pick">
                        <legend>{t(StudyMsg::PointsToMakeUp)}</legend>
                        {point_boxes()}
                    </fieldset>
                })}
                {kit::input(t(StudyMsg::Note), "note", Kind::Area, note, error, "note")}
                {kit::submit_row(save, &["on", "note"], t(StudyMsg::SaveDecision), None)}
            </form>
        }
        .into_any(),
    )
}
