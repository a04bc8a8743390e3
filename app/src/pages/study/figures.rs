//! The figures every 学习 screen shows the same way: a scope's card
//! (参学率, 两个确保, hours per member, 三个完成, discussions, 建言) and
//! what a member still owes, in words. The numbers are core's
//! ([`StudyFigures`], [`Owes`]); this only words them.

use leptos::prelude::*;
use xianfeng_core::spotcheck::Rate;
use xianfeng_core::study::{hours_text, Owes, StudyFigures, StudySettings};

use super::t;
use crate::i18n::{fill, StudyMsg};
use crate::kit;

/// `463/552（83.9%）`, or `—` when nobody is counted.
pub fn share(num: u32, den: u32) -> String {
    match Rate::new(num, den) {
        Some(rate) => fill(
            t(StudyMsg::Share),
            &[
                ("num", &num),
                ("den", &den),
                ("pct", &rate.percent_string()),
            ],
        ),
        None => "—".to_string(),
    }
}

/// Tenths of an hour in words: `38.5小时`.
pub fn hours(tenths: u32) -> String {
    fill(t(StudyMsg::HoursN), &[("n", &hours_text(tenths))])
}

/// A scope's figures as label–value rows.
pub fn figures_card(f: &StudyFigures, settings: &StudySettings) -> AnyView {
    let target = hours(u32::from(settings.hours_target));
    let per_member = f.hours_per_member().map_or("—".to_string(), hours);
    let rows = vec![
        (
            t(StudyMsg::Participation),
            Some("fig-participation"),
            share(f.expected_took_part, f.expected),
        ),
        (
            t(StudyMsg::HoursReached),
            Some("fig-hours-reached"),
            fill(
                t(StudyMsg::HoursReachedValue),
                &[
                    ("share", &share(f.reached_target, f.with_target)),
                    ("target", &target),
                ],
            ),
        ),
        (
            t(StudyMsg::HoursPerMember),
            Some("fig-hours-per-member"),
            per_member,
        ),
        (
            t(StudyMsg::ThreeDone),
            Some("fig-three-done"),
            share(f.all_three_done, f.expected),
        ),
        (
            t(StudyMsg::DiscussionRate),
            Some("fig-discussed"),
            share(f.discussed, f.expected),
        ),
        (
            t(StudyMsg::SpeakingRate),
            Some("fig-spoke"),
            share(f.spoke, f.expected),
        ),
        (
            t(StudyMsg::WithoutSuggestion),
            Some("fig-no-suggestion"),
            fill(t(StudyMsg::PeopleN), &[("n", &f.without_suggestion)]),
        ),
        (
            t(StudyMsg::Excused),
            Some("fig-excused"),
            fill(
                t(StudyMsg::ExcusedValue),
                &[
                    ("n", &f.excused),
                    ("abroad", &f.by_status.abroad),
                    ("frail", &f.by_status.frail),
                ],
            ),
        ),
        (
            t(StudyMsg::Sessions),
            Some("fig-sessions"),
            fill(t(StudyMsg::TimesN), &[("n", &f.sessions)]),
        ),
        (
            t(StudyMsg::Owing),
            Some("fig-owing"),
            fill(t(StudyMsg::PeopleN), &[("n", &f.owing)]),
        ),
    ];
    view! { <div class="card study-figures" data-testid="study-figures">{kit::facts(rows)}</div> }
        .into_any()
}

/// What a member still owes, in words (`已完成` when nothing).
pub fn owes_text(o: &Owes) -> String {
    let mut parts: Vec<String> = Vec::new();
    if o.not_taken_part {
        parts.push(t(StudyMsg::OweNotTakenPart).to_string());
    }
    if o.hours_short > 0 {
        parts.push(fill(
            t(StudyMsg::OweHours),
            &[("h", &hours_text(o.hours_short))],
        ));
    }
    if !o.sessions.is_empty() {
        parts.push(fill(t(StudyMsg::OweSessions), &[("n", &o.sessions.len())]));
    }
    if o.content {
        parts.push(t(StudyMsg::OweContent).to_string());
    }
    if o.notes_short > 0 {
        parts.push(fill(t(StudyMsg::OweNotes), &[("n", &o.notes_short)]));
    }
    if o.reflection {
        parts.push(t(StudyMsg::OweReflection).to_string());
    }
    if o.suggestions_short > 0 {
        parts.push(t(StudyMsg::OweSuggestion).to_string());
    }
    if o.speech {
        parts.push(t(StudyMsg::OweSpeech).to_string());
    }
    if parts.is_empty() {
        return t(StudyMsg::AllDone).to_string();
    }
    parts.join(t(StudyMsg::ListSep))
}
