//! `/study/member/:id`: one member's study — hours against the target,
//! every session of their branch they missed and how it was made up
//! (补课, 送学上门, 寄送资料), 三个完成 as last checked, suggestions — and
//! the branch's records about them: a delivery for a missed session, a
//! check of 三个完成 (counts and dates, never the text), a 建言.

use leptos::prelude::*;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{MemberId, StudyCheckId, StudyDeliveryId, StudySessionId, SuggestionId};
use xianfeng_core::order;
use xianfeng_core::org::Member;
use xianfeng_core::study::{
    hours_text, DeliveryMethod, MadeUp, MemberStudy, Owes, Recorder, StudyCheck, StudyDelivery,
    Suggestion,
};
use xianfeng_core::Role;

use super::data::Shared;
use super::figures::{hours, owes_text};
use super::{back, lang, page, route_id, t};
use crate::i18n::{fill, StudyMsg};
use crate::kit::{self, FormError, Kind, OrForm, Save, Write};
use crate::local_time::today;
use crate::pages::{options, parse_recorder, recorder_code};

#[component]
pub fn MemberPage() -> impl IntoView {
    page("page-study-member", None, kit::Reload::Live, |d| {
        let id = route_id().map(MemberId::from_uuid);
        match id.and_then(|id| Some((d.member(id)?, d.index.member(id)?.clone()))) {
            Some((member, study)) => member_view(d, member, study),
            None => super::empty(StudyMsg::MemberNotFound),
        }
    })
}

fn member_view(d: Shared, member: Member, study: MemberStudy) -> AnyView {
    let lang = lang();
    let settings = d.settings();
    let target = u32::from(settings.hours_target);
    let c = study.completion;
    let yes_no = |done: bool| {
        t(if done {
            StudyMsg::Done3
        } else {
            StudyMsg::NotDone
        })
    };
    let rows = vec![
        (
            t(StudyMsg::HoursStudied),
            Some("member-hours"),
            if study.hours_expected {
                fill(
                    t(StudyMsg::HoursOf),
                    &[
                        ("h", &hours_text(study.hours)),
                        ("target", &hours_text(target)),
                    ],
                )
            } else {
                hours(study.hours)
            },
        ),
        (
            t(StudyMsg::Attended),
            Some("member-attended"),
            fill(
                t(StudyMsg::AttendedValue),
                &[("n", &study.present), ("of", &study.sessions_expected)],
            ),
        ),
        (t(StudyMsg::Content), None, yes_no(c.content).to_string()),
        (
            t(StudyMsg::Notes),
            None,
            fill(t(StudyMsg::CharsN), &[("n", &c.notes_chars)]),
        ),
        (
            t(StudyMsg::Reflection),
            None,
            fill(t(StudyMsg::CharsN), &[("n", &c.reflection_chars)]),
        ),
        (
            t(StudyMsg::SuggestionsMade),
            None,
            fill(t(StudyMsg::ItemsN), &[("n", &study.suggestions)]),
        ),
        (
            t(StudyMsg::Speeches),
            None,
            fill(t(StudyMsg::TimesN), &[("n", &study.speeches)]),
        ),
        (
            t(StudyMsg::StillOwes),
            Some("member-owes"),
            owes_text(&Owes::of(&study, settings)),
        ),
    ];
    let place = format!(
        "{} · {}",
        d.branch_name(member.branch),
        member.status.label(lang)
    );
    view! {
        <h2>{member.name.clone()}</h2>
        <p class="muted">{place}</p>
        <div class="card">{kit::facts(rows)}</div>
        {misses(&d, &study)}
        {check_form(&d, &member)}
        {suggestion_form(&d, &member)}
        {back("/study/members".into())}
    }
    .into_any()
}

/// The sessions missed, and how each was made up; a delivery form for
/// one not made up yet.
fn misses(d: &Shared, study: &MemberStudy) -> AnyView {
    let lang = lang();
    if !study.expected {
        return excused(d, study);
    }
    if study.misses.is_empty() {
        return view! { <h3>{t(StudyMsg::Misses)}</h3> <p class="muted">{t(StudyMsg::NoMisses)}</p> }.into_any();
    }
    let probe = StudyDelivery::new(
        StudyDeliveryId::from_u128(0),
        study.misses[0].session,
        study.member,
        super::today_date(),
        DeliveryMethod::HomeVisit,
        "",
    );
    let may_deliver = probe.is_ok_and(|p| kit::may_write(d.actor(), &p));
    let items: Vec<AnyView> = study
        .misses
        .iter()
        .map(|miss| {
            let topic = d
                .session(miss.session)
                .map(|s| s.topic.clone())
                .unwrap_or_default();
            let how = match miss.made_up {
                Some(MadeUp::Session(s)) => {
                    let on = d.session(s).map(|s| s.on.to_string()).unwrap_or_default();
                    fill(t(StudyMsg::MadeUpBySession), &[("on", &on)])
                }
                Some(MadeUp::Delivery(_)) => t(StudyMsg::MadeUpByDelivery).to_string(),
                None => t(StudyMsg::NotMadeUp).to_string(),
            };
            let line = format!(
                "{} · {} · {} · {}",
                miss.on,
                miss.kind.label(lang),
                miss.reason.label(lang),
                how
            );
            let form = (miss.made_up.is_none() && may_deliver)
                .then(|| delivery_form(d, study.member, Some(miss.session)));
            view! {
                <li class="card">
                    <strong>{topic}</strong>
                    <p class="muted">{line}</p>
                    {form}
                </li>
            }
            .into_any()
        })
        .collect();
    view! {
        <h3>{t(StudyMsg::Misses)}</h3>
        <ul class="study-list" data-testid="member-misses">{items}</ul>
    }
    .into_any()
}

/// A member excused by status (abroad, frail) misses nothing, but the
/// branch may still bring them the study (送学上门, 寄送资料): they then
/// count as taking part (000's count).
fn excused(d: &Shared, study: &MemberStudy) -> AnyView {
    let branch = d.directory.member_branch(study.member);
    let sessions = d
        .sessions_in(&xianfeng_core::Scope::City)
        .into_iter()
        .filter(|s| Some(s.branch) == branch)
        .count();
    let probe = d
        .sessions
        .iter()
        .find(|s| Some(s.branch) == branch)
        .and_then(|s| {
            StudyDelivery::new(
                StudyDeliveryId::from_u128(0),
                s.id,
                study.member,
                super::today_date(),
                DeliveryMethod::HomeVisit,
                "",
            )
            .ok()
        });
    let may_deliver = probe.is_some_and(|p| kit::may_write(d.actor(), &p));
    view! {
        <h3>{t(StudyMsg::Excused)}</h3>
        <p class="muted">
            {fill(t(StudyMsg::ExcusedMember), &[("n", &study.deliveries)])}
        </p>
        {(may_deliver && sessions > 0).then(|| delivery_form(d, study.member, None))}
    }
    .into_any()
}

/// 送学上门 / 寄送资料 of `session` (or of a session of the member's branch
/// chosen here) for `member`.
fn delivery_form(d: &Shared, member: MemberId, session: Option<StudySessionId>) -> AnyView {
    let lang = lang();
    let method = RwSignal::new(DeliveryMethod::HomeVisit.code().to_string());
    let on = RwSignal::new(today());
    let error = RwSignal::new(None::<FormError>);
    let save = Save::with_error(error);
    let methods: Vec<(String, String)> = DeliveryMethod::ALL
        .iter()
        .map(|m| (m.code().to_string(), m.label(lang).to_string()))
        .collect();
    let branch = d.directory.member_branch(member);
    let choices: Vec<(String, String)> = d
        .sessions_in(&xianfeng_core::Scope::City)
        .into_iter()
        .filter(|s| session.is_none() && Some(s.branch) == branch)
        .map(|s| {
            (
                s.id.to_string(),
                format!("{} · {} · {}", s.on, s.kind.label(lang), s.topic),
            )
        })
        .collect();
    let chosen = RwSignal::new(
        session
            .map(|s| s.to_string())
            .or_else(|| choices.first().map(|(c, _)| c.clone()))
            .unwrap_or_default(),
    );
    let actor = d.actor();
    let build = move || {
        let method: DeliveryMethod = method
            .get_untracked()
            .parse()
            .map_err(|_| FormError::at("method", t(StudyMsg::DeliveryMethod)))?;
        let session: StudySessionId = chosen
            .get_untracked()
            .parse()
            .map_err(|_| FormError::new(None, t(StudyMsg::ChooseSession)))?;
        let on = parse_date("on", &on.get_untracked()).or_form(lang)?;
        let delivery =
            StudyDelivery::new(StudyDeliveryId::generate(), session, member, on, method, "")
                .or_form(lang)?;
        Ok((
            vec![Write::fact(actor, *delivery.id.as_uuid(), &delivery, lang)?],
            (),
        ))
    };
    let submit = save.on_submit(lang, build, |()| {});
    let pick_session = (!choices.is_empty()).then(|| {
        kit::select(
            t(StudyMsg::SessionDelivered),
            chosen,
            options(choices, &chosen.get_untracked()).into_any(),
        )
    });
    view! {
        <form class="form study-inline" data-testid="delivery-form" on:submit=submit>
            {pick_session}
            {kit::select(t(StudyMsg::DeliveryMethod), method, options(methods, &method.get_untracked()).into_any())}
            {kit::input(t(StudyMsg::Date), "on", Kind::Date, on, error, "on")}
            {kit::submit_row(save, &["on"], t(StudyMsg::SaveDelivery), None)}
        </form>
    }
    .into_any()
}

/// Who records a check: a member of the branch (a cadre's phone) or an
/// inspector (office and inspectors), as `m:<id>` / `i:<id>` choices.
fn recorders(d: &Shared, member: &Member) -> Vec<(String, String)> {
    match d.actor().map(|a| a.role) {
        Some(Role::Cadre) => d
            .members_of(member.branch)
            .into_iter()
            .map(|m| (recorder_code(&Recorder::Member(m.id)), m.name.clone()))
            .collect(),
        _ => {
            let mut list: Vec<(String, String)> = d
                .inspectors
                .iter()
                .map(|i| (recorder_code(&Recorder::Inspector(i.id)), i.name.clone()))
                .collect();
            order::sort_by(&mut list, |a, b| a.1.cmp(&b.1));
            list
        }
    }
}

/// The recorder a form starts with: "我是…", else the member or
/// inspector bearing the enrolled person's name, else the first.
fn default_recorder(d: &Shared, choices: &[(String, String)]) -> String {
    if let Some(me) = d.me() {
        let code = recorder_code(&Recorder::Inspector(me));
        if choices.iter().any(|(c, _)| *c == code) {
            return code;
        }
    }
    let name = d
        .identity
        .as_ref()
        .map(|i| i.name.clone())
        .unwrap_or_default();
    choices
        .iter()
        .find(|(_, n)| *n == name)
        .or(choices.first())
        .map(|(c, _)| c.clone())
        .unwrap_or_default()
}

/// 三个完成: what the branch checked (counts and dates, not the text).
fn check_form(d: &Shared, member: &Member) -> Option<AnyView> {
    let lang = lang();
    let choices = recorders(d, member);
    let first = parse_recorder(&default_recorder(d, &choices))?;
    let today_date = super::today_date();
    let probe = StudyCheck::new(
        StudyCheckId::from_u128(0),
        member.id,
        today_date,
        first,
        false,
        0,
        None,
    )
    .ok()?;
    if !kit::may_write(d.actor(), &probe) {
        return None;
    }
    let last = d
        .index
        .member(member.id)
        .map(|m| m.completion)
        .unwrap_or_default();
    let checker = RwSignal::new(default_recorder(d, &choices));
    let on = RwSignal::new(today());
    let content = RwSignal::new(last.content);
    let notes = RwSignal::new(last.notes_chars.to_string());
    let reflection = RwSignal::new(last.reflection_chars.to_string());
    let reflection_on = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let save = Save::with_error(error);
    let (actor, id) = (d.actor(), member.id);
    let build = move || {
        let checker = parse_recorder(&checker.get_untracked())
            .ok_or_else(|| FormError::new(None, t(StudyMsg::ChooseChecker)))?;
        let on = parse_date("on", &on.get_untracked()).or_form(lang)?;
        let count = |field: &'static str, s: RwSignal<String>| {
            s.get_untracked()
                .trim()
                .parse::<u32>()
                .map_err(|_| FormError::at(field, t(StudyMsg::CountInvalid)))
        };
        let notes = count("notes_chars", notes)?;
        let chars = count("reflection_chars", reflection)?;
        let reflection = if chars == 0 {
            None
        } else {
            Some((
                chars,
                parse_date("reflection_on", &reflection_on.get_untracked()).or_form(lang)?,
            ))
        };
        let check = StudyCheck::new(
            StudyCheckId::generate(),
            id,
            on,
            checker,
            content.get_untracked(),
            notes,
            reflection,
        )
        .or_form(lang)?;
        Ok((
            vec![Write::fact(actor, *check.id.as_uuid(), &check, lang)?],
            (),
        ))
    };
    // Saved, the page redraws with the member's new figures.
    let submit = save.on_submit(lang, build, |()| {});
    Some(
        view! {
            <form class="form card" data-testid="check-form" on:submit=submit>
                <h3>{t(StudyMsg::CheckTitle)}</h3>
                {kit::select(t(StudyMsg::Checker), checker, options(choices, &checker.get_untracked()).into_any())}
                {kit::input(t(StudyMsg::CheckDate), "on", Kind::Date, on, error, "on")}
                {kit::checkbox("content_done", t(StudyMsg::ContentDone).to_string(), content)}
                {kit::input(t(StudyMsg::NotesChars), "notes_chars", Kind::Number, notes, error, "notes_chars")}
                {kit::input(t(StudyMsg::ReflectionChars), "reflection_chars", Kind::Number, reflection, error, "reflection_chars")}
                {kit::input(t(StudyMsg::ReflectionOn), "reflection_on", Kind::Date, reflection_on, error, "reflection_on")}
                {kit::submit_row(save, &["on", "notes_chars", "reflection_chars", "reflection_on"], t(StudyMsg::SaveCheck), None)}
            </form>
        }
        .into_any(),
    )
}

/// 我为组织建一言: how many suggestions, on what.
fn suggestion_form(d: &Shared, member: &Member) -> Option<AnyView> {
    let lang = lang();
    let today_date = super::today_date();
    let probe = Suggestion::new(SuggestionId::from_u128(0), member.id, today_date, 1, "x").ok()?;
    if !kit::may_write(d.actor(), &probe) {
        return None;
    }
    let on = RwSignal::new(today());
    let count = RwSignal::new("1".to_string());
    let summary = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let save = Save::with_error(error);
    let (actor, id) = (d.actor(), member.id);
    let build = move || {
        let on = parse_date("on", &on.get_untracked()).or_form(lang)?;
        let n: u8 = count
            .get_untracked()
            .trim()
            .parse()
            .map_err(|_| FormError::at("count", t(StudyMsg::CountInvalid)))?;
        let s = Suggestion::new(SuggestionId::generate(), id, on, n, summary.get_untracked())
            .or_form(lang)?;
        Ok((vec![Write::fact(actor, *s.id.as_uuid(), &s, lang)?], ()))
    };
    let submit = save.on_submit(lang, build, |()| {});
    Some(
        view! {
            <form class="form card" data-testid="suggestion-form" on:submit=submit>
                <h3>{t(StudyMsg::SuggestionTitle)}</h3>
                {kit::input(t(StudyMsg::Date), "on", Kind::Date, on, error, "on")}
                {kit::input(t(StudyMsg::SuggestionCount), "count", Kind::Number, count, error, "count")}
                {kit::input(t(StudyMsg::SuggestionSummary), "summary", Kind::Area, summary, error, "summary")}
                {kit::submit_row(save, &["on", "count", "summary"], t(StudyMsg::SaveSuggestion), None)}
            </form>
        }
        .into_any(),
    )
}
