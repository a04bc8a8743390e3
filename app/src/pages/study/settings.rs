//! `/study/settings`: the office's study settings — the hours target, the
//! 三个完成 targets, the 专题大讨论 topics — and the 转段评估 checklist;
//! each saved as a new version (facts: the old version stays, the newest
//! is in force), like the posts' rubric. Only a city-wide office phone
//! records them; everyone else reads what is in force.

use leptos::prelude::*;
use xianfeng_core::ids::{ChecklistId, StudySettingsId};
use xianfeng_core::study::{hours_text, Hours};

use super::data::Shared;
use super::{back, lang, page, t, today_date};
use crate::i18n::{fill, StudyMsg};
use crate::kit::{self, FormError, Kind, OrForm, Save, Write};

#[component]
pub fn SettingsPage() -> impl IntoView {
    page(
        "page-study-settings",
        Some(StudyMsg::Settings),
        kit::Reload::Live,
        |d| {
            view! {
                {settings_form(&d)}
                {checklist_form(&d)}
                {back("/study".into())}
            }
            .into_any()
        },
    )
}

/// One line per entry, blank lines dropped.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn settings_form(d: &Shared) -> AnyView {
    let lang = lang();
    let current = d.settings().clone();
    let may = kit::may_write(d.actor(), &current);
    let target = RwSignal::new(hours_text(u32::from(current.hours_target)));
    let notes = RwSignal::new(current.notes_target.to_string());
    let reflection = RwSignal::new(current.reflection_target.to_string());
    let topics = RwSignal::new(current.discussion_topics.join("\n"));
    let error = RwSignal::new(None::<FormError>);
    let saved = RwSignal::new(false);
    let save = Save::with_error(error);
    let (actor, known) = (d.actor(), d.settings.clone());
    let version = current.version;
    let build = move || {
        let mut next = current.clone();
        next.hours_target = Hours::parse(&target.get_untracked())
            .map(|h| h.get())
            .map_err(|e| FormError::domain(&e, lang))
            .map_err(|mut e| {
                e.field = Some("hours_target");
                e
            })?;
        let count = |field: &'static str, s: RwSignal<String>| {
            s.get_untracked()
                .trim()
                .parse::<u32>()
                .map_err(|_| FormError::at(field, t(StudyMsg::CountInvalid)))
        };
        next.notes_target = count("notes_target", notes)?;
        next.reflection_target = count("reflection_target", reflection)?;
        next.discussion_topics = lines(&topics.get_untracked());
        let next = next
            .new_version(StudySettingsId::generate(), today_date(), &known)
            .or_form(lang)?;
        Ok((
            vec![Write::fact(actor, *next.id.as_uuid(), &next, lang)?],
            (),
        ))
    };
    let submit = save.on_submit(lang, build, move |()| saved.set(true));
    view! {
        <form class="form card" data-testid="settings-form" on:submit=submit>
            <h3>{t(StudyMsg::StudySettings)}</h3>
            <p class="hint">{fill(t(StudyMsg::VersionInForce), &[("n", &version)])}</p>
            {(!may).then(|| view! { <p class="card note" role="note">{t(StudyMsg::SettingsReadOnly)}</p> })}
            {kit::input(t(StudyMsg::HoursTarget), "hours_target", Kind::Decimal, target, error, "hours_target")}
            {kit::input(t(StudyMsg::NotesTarget), "notes_target", Kind::Number, notes, error, "notes_target")}
            {kit::input(t(StudyMsg::ReflectionTarget), "reflection_target", Kind::Number, reflection, error, "reflection_target")}
            {kit::input(t(StudyMsg::Topics), "discussion_topics", Kind::Long, topics, error, "discussion_topics")}
            {may.then(|| kit::submit_row(save, &["hours_target", "notes_target", "reflection_target", "discussion_topics"], t(StudyMsg::SaveVersion), Some((saved, t(StudyMsg::Saved)))))}
        </form>
    }
    .into_any()
}

fn checklist_form(d: &Shared) -> AnyView {
    let lang = lang();
    let current = d.checklist().clone();
    let may = kit::may_write(d.actor(), &current);
    let points = RwSignal::new(current.points.join("\n"));
    let error = RwSignal::new(None::<FormError>);
    let saved = RwSignal::new(false);
    let save = Save::with_error(error);
    let (actor, known) = (d.actor(), d.checklists.clone());
    let version = current.version;
    let build = move || {
        let mut next = current.clone();
        next.points = lines(&points.get_untracked());
        let next = next
            .new_version(ChecklistId::generate(), today_date(), &known)
            .or_form(lang)?;
        Ok((
            vec![Write::fact(actor, *next.id.as_uuid(), &next, lang)?],
            (),
        ))
    };
    let submit = save.on_submit(lang, build, move |()| saved.set(true));
    view! {
        <form class="form card" data-testid="checklist-form" on:submit=submit>
            <h3>{t(StudyMsg::Checklist)}</h3>
            <p class="hint">{fill(t(StudyMsg::VersionInForce), &[("n", &version)])}</p>
            {kit::input(t(StudyMsg::ChecklistPoints), "points", Kind::Long, points, error, "points")}
            {may.then(|| kit::submit_row(save, &["points"], t(StudyMsg::SaveVersion), Some((saved, t(StudyMsg::Saved)))))}
        </form>
    }
    .into_any()
}
