//! `/study/session/:id`: 考勤 — the session's members, one tap each
//! (出席 / 缺席 / 请假), as fast as a spot check; at a 专题讨论 also 发言.
//!
//! - Each tap is one fact ([`Attendance`]), saved at once in its own
//!   IndexedDB transaction; a later tap for the same member supersedes
//!   the earlier one (core: the greatest id counts), so a wrong tap is
//!   put right by tapping again, and nothing is ever edited.
//! - The list then sets `data-persisted` (taps committed on this screen)
//!   for the benchmark (`METRIC study_tap_to_persisted_ms_p50`).
//! - A 补课 lists first the members who still owe the session it makes up.
//! - The screen loads once: a tap updates its own row (one signal per
//!   row), never the whole list, and no figure is recomputed per tap.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use xianfeng_core::ids::{AttendanceId, MemberId, SpeechId, StudySessionId};
use xianfeng_core::order;
use xianfeng_core::study::{
    hours_text, Attendance, AttendanceStatus, SessionKind, Speech, StudySession,
};
use xianfeng_core::{Actor, Lang};

use super::data::Shared;
use super::{lang, page, route_id, t};
use crate::i18n::{fill, StudyMsg};
use crate::kit::{self, OrForm, Write};
use crate::store;

#[component]
pub fn AttendanceScreen() -> impl IntoView {
    page("page-study-session", None, kit::Reload::Once, |d| {
        let found = route_id()
            .map(StudySessionId::from_uuid)
            .and_then(|id| d.session(id).cloned());
        match found {
            Some(session) => sheet(d, session),
            None => view! {
                <h2>{t(StudyMsg::SessionTitle)}</h2>
                {super::empty(StudyMsg::SessionNotFound)}
            }
            .into_any(),
        }
    })
}

/// The screen's state, shared by every row (all `Copy`).
#[derive(Clone, Copy)]
struct Ctx {
    session: StoredValue<StudySession>,
    actor: Option<Actor>,
    /// Members marked at least once (the progress count).
    marked: RwSignal<usize>,
    /// Taps committed on this screen (for the benchmark).
    persisted: RwSignal<u32>,
    /// Each row's newest tap (the one the row shows once committed).
    latest: StoredValue<HashMap<MemberId, (AttendanceId, AttendanceStatus)>>,
    /// Members whose 发言 is recorded or being written.
    speaking: StoredValue<HashSet<MemberId>>,
    error: RwSignal<Option<String>>,
    lang: Lang,
}

impl Ctx {
    fn mark(
        self,
        member: MemberId,
        status: AttendanceStatus,
        row: RwSignal<Option<AttendanceStatus>>,
    ) {
        // What the row will show: its newest tap's, else what it shows.
        let shown = self
            .latest
            .with_value(|l| l.get(&member).map(|(_, s)| *s))
            .or(row.get_untracked());
        if shown == Some(status) {
            return;
        }
        let lang = self.lang;
        let session = self.session.with_value(|s| s.id);
        let id = AttendanceId::generate();
        // Quick taps on one row all count: the newest (greatest id) wins,
        // in core as on the row, whichever commits first.
        self.latest.update_value(|l| {
            l.insert(member, (id, status));
        });
        let write = Attendance::new(id, session, member, status)
            .or_form(lang)
            .and_then(|a| Write::fact(self.actor, *a.id.as_uuid(), &a, lang));
        self.commit(write, move |ok| {
            let newest = self.latest.with_value(|l| l.get(&member).map(|(i, _)| *i)) == Some(id);
            if !ok && newest {
                // Not stored: the row shows what it showed; a tap may retry.
                self.latest.update_value(|l| {
                    l.remove(&member);
                });
            }
            if !ok || !newest {
                return;
            }
            if row.get_untracked().is_none() {
                self.marked.update(|n| *n += 1);
            }
            row.set(Some(status));
        });
    }

    fn speak(self, member: MemberId, spoke: RwSignal<bool>) {
        if spoke.get_untracked() || self.speaking.with_value(|p| p.contains(&member)) {
            return;
        }
        self.speaking.update_value(|p| {
            p.insert(member);
        });
        let lang = self.lang;
        let session = self.session.with_value(|s| s.id);
        let write = Speech::new(SpeechId::generate(), session, member, "")
            .or_form(lang)
            .and_then(|s| Write::fact(self.actor, *s.id.as_uuid(), &s, lang));
        self.commit(write, move |ok| {
            if ok {
                spoke.set(true);
            } else {
                // Not stored: it may be tried again.
                self.speaking.update_value(|p| {
                    p.remove(&member);
                });
            }
        });
    }

    /// Stores `write` (one transaction), then `done(stored)`; a refusal or
    /// a storage error shows above the list.
    fn commit(self, write: Result<Write, kit::FormError>, done: impl FnOnce(bool) + 'static) {
        let write = match write {
            Ok(write) => write,
            Err(e) => {
                self.error.set(Some(e.text));
                return done(false);
            }
        };
        self.error.set(None);
        spawn_local(async move {
            match write.commit().await {
                Ok(()) => {
                    done(true);
                    self.persisted.update(|n| *n += 1);
                }
                Err(e) => {
                    self.error.set(Some(e.message(self.lang)));
                    done(false);
                }
            }
        });
    }
}

/// Each member's latest attendance and who spoke, at `session`.
fn marks_of(session: StudySessionId) -> (HashMap<MemberId, Attendance>, HashSet<MemberId>) {
    store::with(|s| {
        let mut marks: HashMap<MemberId, Attendance> = HashMap::new();
        for a in s.tables.attendance.iter().filter(|a| a.session == session) {
            match marks.get(&a.member) {
                Some(old) if !a.supersedes(old) => {}
                _ => {
                    marks.insert(a.member, a.clone());
                }
            }
        }
        let spoke = s
            .tables
            .speeches
            .iter()
            .filter(|x| x.session == session)
            .map(|x| x.member)
            .collect();
        (marks, spoke)
    })
}

fn sheet(d: Shared, session: StudySession) -> AnyView {
    let lang = lang();
    let (marks, spoke) = marks_of(session.id);
    let mut members = d.members_of(session.branch);
    // A 补课: those who still owe the missed session first.
    if let Some(missed) = session.makes_up {
        let owes = |m: MemberId| {
            d.index
                .member(m)
                .is_some_and(|s| s.owed().any(|miss| miss.session == missed))
        };
        order::sort_by_key(&mut members, |m| !owes(m.id));
    }
    let ctx = Ctx {
        session: StoredValue::new(session.clone()),
        actor: d.actor(),
        marked: RwSignal::new(members.iter().filter(|m| marks.contains_key(&m.id)).count()),
        persisted: RwSignal::new(0),
        latest: StoredValue::new(HashMap::new()),
        speaking: StoredValue::new(spoke.clone()),
        error: RwSignal::new(None),
        lang,
    };
    let probe = Attendance::new(
        AttendanceId::from_u128(0),
        session.id,
        members.first().map_or(MemberId::from_u128(0), |m| m.id),
        AttendanceStatus::Present,
    )
    .ok();
    let may_mark = probe.is_some_and(|p| kit::may_write(ctx.actor, &p));
    let discussion = session.kind == SessionKind::Discussion;
    let total = members.len();
    let rows: Vec<AnyView> = members
        .iter()
        .map(|m| {
            let row = RwSignal::new(marks.get(&m.id).map(|a| a.status));
            let spoke = RwSignal::new(spoke.contains(&m.id));
            let excused = (!d.settings().expects(m.status)).then(|| m.status.label(lang));
            member_row(
                ctx,
                m.id,
                m.name.clone(),
                excused,
                row,
                spoke,
                may_mark,
                discussion,
            )
        })
        .collect();
    let progress = move || {
        fill(
            t(StudyMsg::Progress),
            &[("n", &ctx.marked.get()), ("total", &total)],
        )
    };
    let line = fill(
        t(StudyMsg::SessionLine),
        &[
            ("on", &session.on),
            ("kind", &session.kind.label(lang)),
            ("hours", &hours_text(u32::from(session.hours.get()))),
            ("branch", &d.branch_name(session.branch)),
        ],
    );
    let may_hold = !d.branches_for_sessions().is_empty() && session.kind != SessionKind::MakeUp;
    let make_up = format!("/study/new?makes_up={}", session.id);
    view! {
        <h2>{session.topic.clone()}</h2>
        <p class="muted">{line}</p>
        {(!may_mark).then(|| view! { <p class="card note" role="note">{t(StudyMsg::ReadOnlyAttendance)}</p> })}
        <p class="spot-progress" role="status" data-testid="progress">{progress}</p>
        {move || ctx.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {(total == 0).then(|| super::empty(StudyMsg::NoMembers))}
        <ul
            class="study-members"
            data-testid="member-list"
            data-persisted=move || ctx.persisted.get().to_string()
        >
            {rows}
        </ul>
        <div class="actions spot-actionbar">
            {may_hold.then(|| view! { <A href=make_up attr:class="btn btn-secondary">{t(StudyMsg::RecordMakeUp)}</A> })}
            <A href="/study" attr:class="btn">{t(StudyMsg::Done)}</A>
        </div>
    }
    .into_any()
}

#[allow(clippy::too_many_arguments)]
fn member_row(
    ctx: Ctx,
    member: MemberId,
    name: String,
    excused: Option<&'static str>,
    row: RwSignal<Option<AttendanceStatus>>,
    spoke: RwSignal<bool>,
    may_mark: bool,
    discussion: bool,
) -> AnyView {
    let lang = ctx.lang;
    let button = move |status: AttendanceStatus| {
        view! {
            <button
                type="button"
                class="btn study-mark"
                class:study-mark-on=move || row.get() == Some(status)
                data-status=status.code()
                aria-pressed=move || (row.get() == Some(status)).to_string()
                disabled=!may_mark
                on:click=move |_| ctx.mark(member, status, row)
            >
                {status.label(lang)}
            </button>
        }
    };
    let speak = discussion.then(|| {
        view! {
            <button
                type="button"
                class="btn btn-secondary study-mark"
                data-status="spoke"
                aria-pressed=move || spoke.get().to_string()
                disabled=move || !may_mark || spoke.get()
                on:click=move |_| ctx.speak(member, spoke)
            >
                {move || t(if spoke.get() { StudyMsg::Spoke } else { StudyMsg::Speak })}
            </button>
        }
    });
    let label = name.clone();
    view! {
        <li class="study-member" data-member=member.to_string()>
            <span class="study-member-name">
                {name}
                {excused.map(|s| view! { <small class="muted">" · " {s}</small> })}
            </span>
            <div class="study-marks" role="group" aria-label=label>
                {button(AttendanceStatus::Present)}
                {button(AttendanceStatus::Absent)}
                {button(AttendanceStatus::ExcusedLeave)}
                {speak}
            </div>
        </li>
    }
    .into_any()
}
