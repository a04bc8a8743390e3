//! `/study/transition/:id/review`: an inspection group reviews a unit's
//! 转段评估 against the checklist in force, point by point (达标 or not,
//! with what the group saw), as one fact; the group leader then signs it
//! on the unit's page. Works offline.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{InspectorId, TransitionReviewId, UnitId};
use xianfeng_core::order;
use xianfeng_core::study::{PointResult, TransitionReview};

use super::data::Shared;
use super::{lang, page, route_id, t};
use crate::i18n::{fill, StudyMsg};
use crate::kit::{self, FormError, Kind, OrForm, Save, Write};
use crate::local_time::today;
use crate::pages::options;

#[component]
pub fn ReviewForm() -> impl IntoView {
    page(
        "page-study-review",
        Some(StudyMsg::ReviewTitle),
        kit::Reload::Once,
        |d| match route_id()
            .map(UnitId::from_uuid)
            .filter(|u| d.units.iter().any(|x| x.id == *u))
        {
            Some(unit) => form(d, unit),
            None => super::empty(StudyMsg::UnitNotFound),
        },
    )
}

fn form(d: Shared, unit: UnitId) -> AnyView {
    let lang = lang();
    let checklist = d.checklist().clone();
    let mut inspectors: Vec<(String, String)> = d
        .inspectors
        .iter()
        .map(|i| (i.id.to_string(), i.name.clone()))
        .collect();
    order::sort_by(&mut inspectors, |a, b| a.1.cmp(&b.1));
    let first = d
        .me()
        .map(|m| m.to_string())
        .or_else(|| inspectors.first().map(|(c, _)| c.clone()))
        .unwrap_or_default();
    let inspector = RwSignal::new(first);
    let on = RwSignal::new(today());
    let note = RwSignal::new(String::new());
    let met: Vec<RwSignal<bool>> = checklist
        .points
        .iter()
        .map(|_| RwSignal::new(false))
        .collect();
    let comments: Vec<RwSignal<String>> = checklist
        .points
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let error = RwSignal::new(None::<FormError>);
    let save = Save::with_error(error);
    let data = d.clone();
    let (m, c) = (met.clone(), comments.clone());
    let list = checklist.clone();
    let build = move || {
        let inspector: InspectorId = inspector
            .get_untracked()
            .parse()
            .map_err(|_| FormError::new(None, t(StudyMsg::ChooseInspector)))?;
        // The inspector's group: the one among theirs that inspects the unit.
        let group = data
            .inspectors
            .iter()
            .find(|i| i.id == inspector)
            .and_then(|i| i.group);
        let on = parse_date("on", &on.get_untracked()).or_form(lang)?;
        let results = m
            .iter()
            .zip(&c)
            .map(|(met, comment)| PointResult::new(met.get_untracked(), comment.get_untracked()))
            .collect();
        let review = TransitionReview::new(
            TransitionReviewId::generate(),
            unit,
            &list,
            inspector,
            group,
            on,
            results,
            note.get_untracked(),
        )
        .or_form(lang)?;
        Ok((
            vec![Write::fact(
                data.actor(),
                *review.id.as_uuid(),
                &review,
                lang,
            )?],
            (),
        ))
    };
    let navigate = use_navigate();
    let done = move |()| navigate(&format!("/study/transition/{unit}"), Default::default());
    let submit = save.on_submit(lang, build, done);
    let points: Vec<AnyView> = checklist
        .points
        .iter()
        .enumerate()
        .map(|(i, point)| {
            let label = fill(t(StudyMsg::PointN), &[("n", &(i + 1)), ("point", point)]);
            let comment = comments[i];
            view! {
                <li class="study-point" data-point=i.to_string()>
                    {kit::checkbox("met", label, met[i])}
                    <label class="field">
                        <span>{t(StudyMsg::Comment)}</span>
                        <input type="text" maxlength="2000" autocomplete="off" bind:value=comment/>
                    </label>
                </li>
            }
            .into_any()
        })
        .collect();
    view! {
        <h3>{d.unit_name(unit)}</h3>
        <form class="form card" data-testid="review-form" on:submit=submit>
            <p class="hint">{fill(t(StudyMsg::ReviewHint), &[("version", &checklist.version)])}</p>
            {kit::select(t(StudyMsg::Inspector), inspector, options(inspectors, &inspector.get_untracked()).into_any())}
            {kit::input(t(StudyMsg::Date), "on", Kind::Date, on, error, "on")}
            <ol class="study-points">{points}</ol>
            {kit::input(t(StudyMsg::Note), "note", Kind::Area, note, error, "note")}
            {kit::submit_row(save, &["on", "note"], t(StudyMsg::SaveReview), None)}
        </form>
    }
    .into_any()
}
