//! 督导检查: inspectors' checks of the post that count for the half-year
//! (badge worn, name plate shown, service), and the form an inspector (or
//! the office) records one with, stamped now. Core's `PostCheck`
//! validation decides; the inspector is chosen from the 督导员 records.

use leptos::prelude::*;
use xianfeng_core::ids::InspectorId;
use xianfeng_core::posts::{PostCheck, Service};

use super::data::now_local;
use super::detail::page_post;
use super::detail::PostPage;
use super::t;
use super::widgets::{entries, options, radios, records_card, Entry};
use crate::i18n::{PostMsg, Text};
use crate::kit::{self, FieldError, FormError, Kind, OrForm, Save, Write};

const FIELDS: &[&str] = &["inspector", "service", "note", "at"];

#[component]
pub(super) fn ChecksCard(page: Memo<Option<PostPage>>) -> impl IntoView {
    let list = move || {
        page.with(|p| {
            let p = p.as_ref()?;
            if p.checks.is_empty() {
                return Some(view! { <p class="muted">{t(PostMsg::NoChecks)}</p> }.into_any());
            }
            let list = p
                .checks
                .iter()
                .map(|(c, inspector, unsent)| {
                    let pick = |b: bool, yes: PostMsg, no: PostMsg| t(if b { yes } else { no });
                    Entry {
                        main: format!(
                            "{} · {} · {}{}",
                            pick(c.badge_worn, PostMsg::BadgeYes, PostMsg::BadgeNo),
                            pick(c.plate_shown, PostMsg::PlateYes, PostMsg::PlateNo),
                            t(PostMsg::ServiceLabel),
                            c.service.label(super::lang())
                        ),
                        decorative: false,
                        meta: format!(
                            "{} {:02}:{:02} · {}",
                            c.at.date(),
                            c.at.hour(),
                            c.at.minute(),
                            inspector
                        ),
                        unsent: *unsent,
                        note: (!c.note.is_empty()).then(|| c.note.clone()),
                    }
                })
                .collect();
            Some(entries(list, "plain-list checks").into_any())
        })
    };
    let may = Signal::derive(move || page.with(|p| p.as_ref().is_some_and(|p| p.may.check)));
    let form = |page| view! { <CheckForm page=page/> }.into_any();
    records_card(
        "checks",
        PostMsg::ChecksTitle,
        list.into_any(),
        may,
        form,
        page,
    )
}

#[component]
fn CheckForm(page: Memo<Option<PostPage>>) -> impl IntoView {
    let actor = super::data::use_actor();
    let inspector = RwSignal::new(
        page.with_untracked(|p| p.as_ref().and_then(|p| p.inspector.clone()))
            .unwrap_or_default(),
    );
    let badge = RwSignal::new(false);
    let plate = RwSignal::new(false);
    let service = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let save = Save::new();
    let (busy, error) = (save.busy, save.error);
    let saved = RwSignal::new(false);
    let lang = super::lang();
    let build = move || {
        saved.set(false);
        let post = page_post(page, lang)?;
        let who = inspector
            .get_untracked()
            .parse::<InspectorId>()
            .map_err(|_| FormError::at("inspector", PostMsg::ChooseInspector.text(lang)))?;
        let service_seen = service
            .get_untracked()
            .parse::<Service>()
            .map_err(|_| FormError::at("service", PostMsg::ChooseService.text(lang)))?;
        let id = xianfeng_core::ids::PostCheckId::generate();
        let at = now_local().or_form(lang)?;
        let (badge, plate) = (badge.get_untracked(), plate.get_untracked());
        let check = PostCheck::new(id, post.id, who, at, badge, plate, service_seen)
            .and_then(|c| c.with_note(note.get_untracked()))
            .or_form(lang)?;
        Ok((
            vec![Write::fact(
                actor.get_untracked(),
                *id.as_uuid(),
                &check,
                lang,
            )?],
            (),
        ))
    };
    let done = move |()| {
        badge.try_set(false);
        plate.try_set(false);
        service.try_set(String::new());
        note.try_set(String::new());
        saved.try_set(true);
    };
    let submit = save.on_submit(lang, build, done);
    let inspectors = move || {
        page.with(|p| {
            let list = p.as_ref().map(|p| p.inspectors.clone()).unwrap_or_default();
            options(list, &inspector.get_untracked())
        })
    };
    view! {
        <form class="form check-form" on:submit=submit data-testid="check-form" novalidate>
            <h4>{t(PostMsg::RecordCheck)}</h4>
            <label class="field">
                <span>{t(PostMsg::Inspector)}</span>
                <select name="inspector" bind:value=inspector>
                    <option value="">{t(PostMsg::Choose)}</option>
                    {inspectors}
                </select>
            </label>
            <FieldError error=error field="inspector"/>
            {kit::checkbox("badge_worn", t(PostMsg::BadgeWorn).into(), badge)}
            {kit::checkbox("plate_shown", t(PostMsg::PlateShown).into(), plate)}
            <fieldset class="rating-choices">
                <legend>{t(PostMsg::Service)}</legend>
                {radios(
                    "service",
                    Service::ALL
                        .iter()
                        .map(|s| (s.code().to_string(), s.label(lang).to_string()))
                        .collect(),
                    service,
                )}
            </fieldset>
            <FieldError error=error field="service"/>
            {kit::input(t(PostMsg::CheckNote), "note", Kind::Area, note, error, "note")}
            {kit::submit_row(Save { busy, error }, FIELDS, t(PostMsg::SaveCheck), Some((saved, t(PostMsg::CheckSaved))))}
        </form>
    }
}
