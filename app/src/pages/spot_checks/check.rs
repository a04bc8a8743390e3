//! The member list of a check: the screen an inspector holds in a unit's
//! corridor, often offline, one-handed on a 360 px phone.
//!
//! - One tap marks 佩戴, one tap 未佩戴; 其他 opens 免查 (with a reason)
//!   and 不在岗. Each tap is one observation fact, saved at once in its own
//!   IndexedDB transaction ([`storage::record_fact`]); the list then sets
//!   `data-persisted` (marks committed on this screen) for the benchmark.
//! - A member marked once is settled: core counts the first observation of
//!   a member in a check (the smallest id) and ignores later ones, so the
//!   row shows the mark instead of buttons.
//! - 撤销 takes back the newest mark, while it is still unsent: the
//!   observation is deleted with its outbox entry and its `seq` given back
//!   in one transaction ([`storage::undo::undo_last`], refused while a sync
//!   session runs). Once the server may have it, the fact stands
//!   (已同步，无法撤销). Facts stay immutable: nothing is ever edited or
//!   deleted after it left the phone. A per-check draft was the other way;
//!   it would leave the marks unsynced (and out of the office's tallies)
//!   until 完成 is tapped, which an inspector in a hurry may never do.
//! - At a miss, the member's ladder step shows right there, computed by
//!   core's `Ladder` over the stored checks and observations including the
//!   new one: 第1次 当场指出, 第2次 提出批评, 第3次起 作出警告 with the
//!   unit notice drafted (`UnitNotice::draft_zh`), to view, print, share.
//!
//! The screen loads its data once: writes on it are applied to its own
//! state after they commit (reloading 200 members after every tap would
//! slow the next tap down).

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use xianfeng_core::ids::{MemberId, ObservationId, UnitId};
use xianfeng_core::org::{Member, MemberStatus};
use xianfeng_core::spotcheck::{Observation, Outcome, SpotCheck, Step};
use xianfeng_core::{Actor, RecordKind};

use super::data::{actor, Facts, Org};
use super::notice::ShareButton;
use super::{empty, param, screen, t, when, Reload, Snap};
use crate::i18n::{fill, I18n, SpotMsg, Text};
use crate::kit::{self, OrForm, Write};
use crate::storage;
use crate::sync::SyncStatus;

/// A member's settled mark in this check.
#[derive(Clone, Debug, PartialEq)]
struct RowMark {
    outcome: Outcome,
    step: Option<Step>,
    nth: Option<u32>,
}

/// What the ladder panel shows after a miss.
#[derive(Clone, Debug, PartialEq)]
struct Miss {
    name: String,
    nth: u32,
    step: Step,
    observation: ObservationId,
    /// The drafted unit notice (third miss and later).
    notice: Option<String>,
}

/// Everything the screen loaded, once.
struct Session {
    org: Org,
    check: SpotCheck,
    unit: Option<UnitId>,
    /// The member list (a unit's roster, or everyone in scope in public).
    members: Vec<Member>,
    /// Who this phone writes as.
    actor: Option<Actor>,
    facts: Facts,
    initial: Vec<(MemberId, ObservationId, RowMark)>,
}

/// The session of check `id` from the loaded snapshot, if the phone has it.
fn session(snap: &Snap, id: &str) -> Option<Rc<Session>> {
    let check = snap.facts.check(id)?.clone();
    let org = &snap.org;
    let unit = check.place.unit();
    let who = Some(actor(&snap.identity));
    // In public: everyone this phone may record an observation of.
    let may_observe = |m: &Member| {
        Observation::new(
            ObservationId::from_u128(0),
            check.id,
            m.id,
            Outcome::Wearing,
        )
        .is_ok_and(|probe| kit::may_write(who, &probe))
    };
    let members: Vec<Member> = match unit {
        Some(u) => org.members_of(u).into_iter().cloned().collect(),
        None => org
            .members
            .iter()
            .filter(|m| may_observe(m))
            .cloned()
            .collect(),
    };
    let facts = &snap.facts;
    let initial = facts
        .summary(check.id)
        .map(|s| {
            s.marks
                .into_iter()
                .map(|m| {
                    let mark = RowMark {
                        outcome: m.outcome,
                        step: m.step,
                        nth: m.nth,
                    };
                    (m.member, m.observation, mark)
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Rc::new(Session {
        org: org.clone(),
        check,
        unit,
        members,
        actor: who,
        facts: facts.clone(),
        initial,
    }))
}

#[component]
pub fn CheckScreen() -> impl IntoView {
    // Loaded once per visit (see the module doc).
    screen(
        "page-check",
        Reload::Once,
        param("id"),
        |snap, id| match session(&snap, &id) {
            Some(session) => check_view(session),
            None => view! {
                <h2>{t(SpotMsg::CheckTitle)}</h2>
                {empty(SpotMsg::CheckNotFound)}
            }
            .into_any(),
        },
    )
}

/// The screen's state, shared by every row (all `Copy`).
#[derive(Clone, Copy)]
struct Ctx {
    session: StoredValue<Rc<Session>, LocalStorage>,
    /// Each marked member's settled mark (a few hundred at most), for the
    /// count and the public list. Rows watch their own signal in `rows`.
    marks: RwSignal<Vec<(MemberId, RowMark)>>,
    /// Each row's mark, one signal per member: a tap wakes one row, not
    /// every row of a 250-member unit (which made a tap cost O(rows)).
    rows: StoredValue<HashMap<MemberId, RwSignal<Option<RowMark>>>>,
    /// The screen's owner: row signals live as long as the screen, even
    /// when a public list drops and re-makes a row.
    owner: StoredValue<Owner, LocalStorage>,
    /// Taps still being written.
    pending: StoredValue<Vec<MemberId>>,
    /// Marks made here that 撤销 may take back, oldest first.
    stack: RwSignal<Vec<(MemberId, ObservationId)>>,
    /// Marks committed on this screen (for the benchmark).
    persisted: RwSignal<u32>,
    miss: RwSignal<Option<Miss>>,
    note: RwSignal<Option<String>>,
    lang: xianfeng_core::Lang,
}

impl Ctx {
    /// Row `member`'s mark signal (made on first use).
    fn row_mark(self, member: MemberId) -> RwSignal<Option<RowMark>> {
        if let Some(signal) = self.rows.with_value(|r| r.get(&member).copied()) {
            return signal;
        }
        let initial = self
            .marks
            .with_untracked(|m| m.iter().find(|(x, _)| *x == member).map(|(_, k)| k.clone()));
        let signal = self.owner.with_value(|o| o.with(|| RwSignal::new(initial)));
        self.rows.update_value(|r| {
            r.insert(member, signal);
        });
        signal
    }

    /// Sets (or with `None` clears) `member`'s settled mark.
    fn set_mark(self, member: MemberId, mark: Option<RowMark>) {
        self.row_mark(member).set(mark.clone());
        self.marks.update(|m| {
            m.retain(|(x, _)| *x != member);
            m.extend(mark.map(|k| (member, k)));
        });
    }

    fn mark(self, member: MemberId, outcome: Outcome, row_error: RwSignal<Option<String>>) {
        let lang = self.lang;
        if self
            .marks
            .with_untracked(|m| m.iter().any(|(x, _)| *x == member))
            || self.pending.with_value(|p| p.contains(&member))
        {
            return;
        }
        let session = self.session.get_value();
        let made = Observation::new(ObservationId::generate(), session.check.id, member, outcome)
            .or_form(lang)
            .and_then(|o| {
                let write = Write::fact(session.actor, *o.id.as_uuid(), &o, lang)?;
                Ok((o, write))
            });
        let (observation, write) = match made {
            Ok(made) => made,
            Err(e) => {
                row_error.set(Some(e.text));
                return;
            }
        };
        row_error.set(None);
        self.pending.update_value(|p| p.push(member));
        spawn_local(async move {
            let result = write.commit().await;
            self.pending.update_value(|p| p.retain(|x| *x != member));
            if let Err(e) = result {
                row_error.set(Some(e.message(lang)));
                return;
            }
            self.persisted.update(|n| *n += 1);
            let miss = observation.outcome.is_miss();
            let mut mark = RowMark {
                outcome: observation.outcome.clone(),
                step: None,
                nth: None,
            };
            if miss {
                if let Some(found) = ladder_at(&session, &observation) {
                    mark.step = Some(found.step);
                    mark.nth = Some(found.nth);
                    self.miss.set(Some(found));
                }
            }
            self.set_mark(member, Some(mark));
            self.stack.update(|s| s.push((member, observation.id)));
            self.note.set(None);
        });
    }

    fn undo(self) {
        let lang = self.lang;
        let status = SyncStatus::use_context();
        // A tap still being written would be newer than the last mark.
        if self.pending.with_value(|p| !p.is_empty()) {
            return;
        }
        let Some((member, observation)) = self.stack.with_untracked(|s| s.last().copied()) else {
            return;
        };
        let syncing = Rc::new(Cell::new(false));
        let flag = syncing.clone();
        spawn_local(async move {
            let result = storage::undo::undo_last(
                RecordKind::Observation,
                *observation.as_uuid(),
                move || {
                    let running = status.0.with_untracked(|s| s.running);
                    flag.set(running);
                    !running
                },
            )
            .await;
            let session = self.session.get_value();
            let name = session.org.member_name(member);
            match result {
                Ok(true) => {
                    self.stack.update(|s| {
                        s.pop();
                    });
                    self.set_mark(member, None);
                    self.miss.update(|m| {
                        if m.as_ref().is_some_and(|m| m.observation == observation) {
                            *m = None;
                        }
                    });
                    let text = fill(SpotMsg::Undone.text(lang), &[("name", &name)]);
                    self.note.set(Some(text));
                }
                Ok(false) if syncing.get() => {
                    self.note
                        .set(Some(SpotMsg::UndoWhileSyncing.text(lang).to_string()));
                }
                Ok(false) => {
                    // Sent: this one and every older one stand.
                    self.stack.set(Vec::new());
                    self.note
                        .set(Some(SpotMsg::UndoSynced.text(lang).to_string()));
                }
                Err(e) => self.note.set(Some(e.message(lang))),
            }
        });
    }
}

/// The member's step at this miss, from core's ladder over the stored
/// facts (including the new observation).
fn ladder_at(session: &Session, observation: &Observation) -> Option<Miss> {
    let member = observation.member;
    // The store's live ladder already counts the new observation.
    let ladder = session.facts.member_ladder(member)?;
    let entry = ladder
        .entries
        .iter()
        .find(|e| e.observation == observation.id)?;
    let name = session.org.member_name(member);
    let unit = session
        .org
        .directory
        .member_unit(member)
        .map(|u| session.org.unit_name(u))
        .unwrap_or_default();
    Some(Miss {
        name: name.clone(),
        nth: entry.nth,
        step: entry.step,
        observation: observation.id,
        notice: ladder
            .notices()
            .into_iter()
            .find(|n| n.observation == observation.id)
            .map(|n| n.draft_zh(&name, &unit)),
    })
}

fn check_view(session: Rc<Session>) -> AnyView {
    // Untracked: the list keeps its state (the language is chosen on 我的).
    let lang = untrack(|| I18n::use_context().lang());
    let mut marks = Vec::new();
    let mut stack: Vec<(MemberId, ObservationId)> = Vec::new();
    // Oldest first: core lists the marks in observation (= UUIDv7) order.
    for (member, observation, mark) in &session.initial {
        marks.push((*member, mark.clone()));
        stack.push((*member, *observation));
    }
    let ctx = Ctx {
        session: StoredValue::new_local(session.clone()),
        marks: RwSignal::new(marks),
        rows: StoredValue::new(HashMap::new()),
        owner: StoredValue::new_local(Owner::current().unwrap_or_default()),
        pending: StoredValue::new(Vec::new()),
        stack: RwSignal::new(stack),
        persisted: RwSignal::new(0),
        miss: RwSignal::new(None),
        note: RwSignal::new(None),
        lang,
    };
    let query = RwSignal::new(String::new());
    let check = &session.check;
    let place = session.org.place_name(&check.place);
    let at = untrack(|| when(&check.at));
    let mode = check.mode;
    let total = session.members.len();
    let in_unit = session.unit.is_some();
    let done = move || ctx.marks.with(|m| m.len());
    let progress = move || {
        if in_unit {
            fill(
                SpotMsg::Progress.text(lang),
                &[("n", &done()), ("total", &total)],
            )
        } else {
            fill(SpotMsg::ProgressPublic.text(lang), &[("n", &done())])
        }
    };
    let rows: AnyView = if in_unit {
        session
            .members
            .iter()
            .map(|m| member_row(ctx, m.clone(), query))
            .collect_view()
            .into_any()
    } else {
        public_rows(ctx, query).into_any()
    };
    let summary_href = format!("/spot-checks/check/{}/summary", check.id);
    view! {
        <h2>{place}</h2>
        <p class="muted">
            {at} " · " {mode.label(lang)}
        </p>
        <p class="spot-progress" role="status" data-testid="progress">{progress}</p>
        <label class="field spot-search">
            <span>{SpotMsg::SearchMember.text(lang)}</span>
            <input type="search" bind:value=query autocomplete="off"/>
        </label>
        {(in_unit && total == 0)
            .then(|| view! { <p class="empty">{SpotMsg::NoMembers.text(lang)}</p> })}
        <ul
            class="spot-members"
            data-testid="member-list"
            data-persisted=move || ctx.persisted.get().to_string()
        >
            {rows}
        </ul>
        {move || ctx.miss.get().map(|m| ladder_panel(ctx, m))}
        <div class="spot-actionbar spot-checkbar">
            <button
                type="button"
                class="btn btn-secondary"
                disabled=move || ctx.stack.with(|s| s.is_empty())
                on:click=move |_| ctx.undo()
            >
                {SpotMsg::Undo.text(lang)}
            </button>
            <span class="spot-count" aria-hidden="true">{progress}</span>
            <a class="btn" href=summary_href data-testid="finish-check">
                {SpotMsg::Finish.text(lang)}
            </a>
        </div>
        <p class="spot-note" role="status" data-testid="check-note">{move || ctx.note.get()}</p>
    }
    .into_any()
}

/// In a public place: members found by name (and those already marked).
fn public_rows(ctx: Ctx, query: RwSignal<String>) -> impl IntoView {
    const SHOWN: usize = 30;
    let list = move || {
        let q = query.get();
        let q = q.trim().to_string();
        let session = ctx.session.get_value();
        let marked: Vec<MemberId> = ctx.marks.with(|m| m.iter().map(|(x, _)| *x).collect());
        session
            .members
            .iter()
            .filter(|m| marked.contains(&m.id) || (!q.is_empty() && m.name.contains(&q)))
            .take(SHOWN + marked.len())
            .cloned()
            .collect::<Vec<_>>()
    };
    view! {
        <For each=list key=|m| m.id let:member>
            {member_row(ctx, member, RwSignal::new(String::new()))}
        </For>
    }
}

fn outcome_text(lang: xianfeng_core::Lang, mark: &RowMark) -> String {
    match &mark.outcome {
        Outcome::Wearing => SpotMsg::Wearing.text(lang).to_string(),
        Outcome::NotWearing => match (mark.nth, mark.step) {
            (Some(n), Some(step)) => fill(
                SpotMsg::MissStep.text(lang),
                &[("n", &n), ("step", &step.label(lang))],
            ),
            _ => SpotMsg::NotWearing.text(lang).to_string(),
        },
        Outcome::Excused { reason } => {
            fill(SpotMsg::ExcusedBecause.text(lang), &[("reason", reason)])
        }
        Outcome::Absent => SpotMsg::Absent.text(lang).to_string(),
    }
}

fn member_row(ctx: Ctx, member: Member, query: RwSignal<String>) -> impl IntoView {
    let lang = ctx.lang;
    let id = member.id;
    let mark = ctx.row_mark(id);
    let more = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let row_error = RwSignal::new(None::<String>);
    let name = member.name.clone();
    let session = ctx.session.get_value();
    let branch = session.org.branch_name(&member).to_string();
    let status = member.status;
    let n = name.clone();
    let hidden = move || {
        let q = query.get();
        let q = q.trim();
        !q.is_empty() && !n.contains(q)
    };
    let label = |msg: SpotMsg| format!("{name} {}", msg.text(lang));
    let (l1, l2, l3) = (
        label(SpotMsg::Wearing),
        label(SpotMsg::NotWearing),
        label(SpotMsg::Other),
    );
    let (l4, l5) = (label(SpotMsg::Excused), label(SpotMsg::Absent));
    let reason_id = format!("reason-{id}");
    let rid = reason_id.clone();
    view! {
        <li class="spot-member" class:spot-hidden=hidden class:spot-marked=move || mark.with(Option::is_some)>
            <div class="spot-member-head">
                <span class="spot-member-name">{name.clone()}</span>
                <span class="muted spot-member-sub">
                    {branch}
                    {(status != MemberStatus::InPost)
                        .then(|| view! { " · " {status.label(lang)} })}
                </span>
            </div>
            {move || match mark.get() {
                Some(m) => {
                    let miss = m.outcome.is_miss();
                    view! {
                        <p class="spot-mark" class:spot-mark-miss=miss data-testid="mark">
                            {outcome_text(lang, &m)}
                        </p>
                    }
                        .into_any()
                }
                None => {
                    let (l1, l2, l3) = (l1.clone(), l2.clone(), l3.clone());
                    view! {
                        <div class="spot-taps">
                            <button
                                type="button"
                                class="btn spot-wear"
                                aria-label=l1.clone()
                                on:click=move |_| ctx.mark(id, Outcome::Wearing, row_error)
                            >
                                {SpotMsg::Wearing.text(lang)}
                            </button>
                            <button
                                type="button"
                                class="btn spot-miss"
                                aria-label=l2.clone()
                                on:click=move |_| ctx.mark(id, Outcome::NotWearing, row_error)
                            >
                                {SpotMsg::NotWearing.text(lang)}
                            </button>
                            <button
                                type="button"
                                class="btn btn-secondary spot-more"
                                aria-label=l3.clone()
                                aria-expanded=move || more.get().to_string()
                                on:click=move |_| more.update(|o| *o = !*o)
                            >
                                {SpotMsg::Other.text(lang)}
                            </button>
                        </div>
                    }
                        .into_any()
                }
            }}
            {
                let rid = rid.clone();
                let (l4, l5) = (l4.clone(), l5.clone());
                move || {
                    (more.get() && mark.with(Option::is_none))
                        .then(|| {
                            let (l4, l5) = (l4.clone(), l5.clone());
                            view! {
                                <div class="spot-other">
                                    <label class="field" for=rid.clone()>
                                        {SpotMsg::ExcuseReason.text(lang)}
                                    </label>
                                    <input id=rid.clone() type="text" maxlength="200" bind:value=reason/>
                                    <div class="actions">
                                        <button
                                            type="button"
                                            class="btn btn-secondary"
                                            aria-label=l4.clone()
                                            on:click=move |_| {
                                                let why = reason.get_untracked();
                                                ctx.mark(id, Outcome::Excused { reason: why }, row_error)
                                            }
                                        >
                                            {SpotMsg::Excused.text(lang)}
                                        </button>
                                        <button
                                            type="button"
                                            class="btn btn-secondary"
                                            aria-label=l5.clone()
                                            on:click=move |_| ctx.mark(id, Outcome::Absent, row_error)
                                        >
                                            {SpotMsg::Absent.text(lang)}
                                        </button>
                                    </div>
                                </div>
                            }
                        })
                }
            }
            {move || row_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </li>
    }
}

/// The ladder step at the moment of a miss, with the notice at a warning.
fn ladder_panel(ctx: Ctx, miss: Miss) -> impl IntoView {
    let lang = ctx.lang;
    let warn = miss.step == Step::Warn;
    let Miss {
        name,
        nth,
        step,
        observation,
        notice,
    } = miss;
    let heading = fill(
        SpotMsg::MissHeading.text(lang),
        &[("name", &name), ("n", &nth)],
    );
    let notice_href = format!("/spot-checks/notice/{observation}");
    view! {
        <aside class="spot-ladder" class:spot-ladder-warn=warn role="status" data-testid="ladder-step">
            <p class="spot-ladder-head">{heading}</p>
            <p class="spot-step" data-testid="ladder-step-label">{step.label(lang)}</p>
            {notice
                .map(|text| {
                    let title = SpotMsg::NoticeTitle.text(lang).to_string();
                    view! {
                        <p class="hint">{SpotMsg::NoticeDrafted.text(lang)}</p>
                        <details class="spot-notice-preview">
                            <summary>{SpotMsg::NoticePreview.text(lang)}</summary>
                            <p class="spot-notice-text">{text.clone()}</p>
                        </details>
                        <div class="actions">
                            <a class="btn" href=notice_href data-testid="view-notice">
                                {SpotMsg::ViewNotice.text(lang)}
                            </a>
                            <ShareButton title=title text=text/>
                        </div>
                    }
                })}
            <button type="button" class="btn btn-secondary spot-close" on:click=move |_| ctx.miss.set(None)>
                {SpotMsg::Close.text(lang)}
            </button>
        </aside>
    }
}
