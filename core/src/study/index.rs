//! Every member's study, computed once from the facts.
//!
//! Why: the office asks every week whether every member studied every
//! hour, for 3,679 members in 107 units; each screen asks again for its
//! branch, unit, system or the city. So the facts are indexed once
//! (O(records), hashed by dense indices) into one [`MemberStudy`] per
//! member, and scopes add those up ([`super::StudyFigures`]).
//!
//! The rules:
//!
//! - A member is *expected* to take part unless their status is excused
//!   by the settings (长期出国, 年老体弱 by default), and has the hours
//!   target unless also hours-excused (流动党员 by default).
//! - An expected member is expected at every session of their own branch
//!   except a 补课. For each they were not marked present at, a [`Miss`]:
//!   缺席, 请假 or 未登记 (no attendance recorded), made up ([`MadeUp`])
//!   by attending a 补课 that names the session or by a [`super::StudyDelivery`]
//!   for it (a 补课 wins over a delivery, then the smaller id).
//! - Hours are the hours of every session the member was marked present
//!   at, in any branch, 补课 included; deliveries earn none.
//! - A member *took part* when present at a session, covered by a
//!   delivery, or recorded speaking. Excused members who took part count
//!   as taking part (000: 463 of 552 took part, 91 being excused).
//! - Of several attendance facts for one member and session the greatest
//!   id counts; of several checks the latest (day, then id). Facts naming
//!   a session or member not known are left out (counted in
//!   [`StudyIndex::unplaced`]); speeches count only at a 专题讨论.
//!
//! Outputs never depend on the order of the inputs.

use serde::Serialize;
use time::Date;

use super::attendance::{Attendance, AttendanceStatus, StudyDelivery};
use super::check::{Completion, StudyCheck};
use super::session::{Hours, SessionKind, StudySession};
use super::settings::StudySettings;
use super::voice::{Speech, Suggestion};
use crate::directory::Directory;
use crate::hash::{map_with_capacity, FastMap};
use crate::ids::{BranchId, MemberId, StudyDeliveryId, StudySessionId};
use crate::order;
use crate::org::{Member, MemberStatus};
use crate::scope::Location;

/// The study facts to index.
#[derive(Clone, Copy, Debug, Default)]
pub struct StudyFacts<'a> {
    pub sessions: &'a [StudySession],
    pub attendance: &'a [Attendance],
    pub deliveries: &'a [StudyDelivery],
    pub checks: &'a [StudyCheck],
    pub suggestions: &'a [Suggestion],
    pub speeches: &'a [Speech],
}

labelled_enum! {
    /// Why a member was not at a session they were expected at.
    pub enum MissReason: "miss_reason" {
        Absent = "absent", "缺席", "Absent";
        Leave = "excused_leave", "请假", "On leave";
        NotRecorded = "not_recorded", "未登记考勤", "Attendance not recorded";
    }
}

/// What made up a missed session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "by", content = "id", rename_all = "snake_case")]
pub enum MadeUp {
    /// A 补课 the member attended.
    Session(StudySessionId),
    /// 送学上门 / 寄送资料.
    Delivery(StudyDeliveryId),
}

/// A session of the member's branch they were not present at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Miss {
    pub session: StudySessionId,
    pub on: Date,
    pub hours: Hours,
    pub kind: SessionKind,
    pub reason: MissReason,
    pub made_up: Option<MadeUp>,
}

/// One member's study, derived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberStudy {
    pub member: MemberId,
    pub location: Location,
    pub status: MemberStatus,
    /// Expected to take part (not excused by status).
    pub expected: bool,
    /// Has the hours target.
    pub hours_expected: bool,
    /// Hours attended, in tenths.
    pub hours: u32,
    /// Sessions present at (any branch, 补课 included).
    pub present: u32,
    /// Sessions of their branch they were expected at.
    pub sessions_expected: u32,
    /// Those they were not present at, by date then id.
    pub misses: Vec<Miss>,
    /// Deliveries recorded for them.
    pub deliveries: u32,
    pub completion: Completion,
    /// Suggestions made (the counts added up).
    pub suggestions: u32,
    /// 专题讨论 sessions held by their branch.
    pub discussions_held: u32,
    /// 专题讨论 sessions they were present at (any branch).
    pub discussions: u32,
    /// Times they spoke at a 专题讨论.
    pub speeches: u32,
}

impl MemberStudy {
    /// Took part in the study at all (000's 参加了学习讨论活动).
    pub fn took_part(&self) -> bool {
        self.present > 0 || self.deliveries > 0 || self.speeches > 0
    }

    /// Missed sessions not made up.
    pub fn owed(&self) -> impl Iterator<Item = &Miss> {
        self.misses.iter().filter(|m| m.made_up.is_none())
    }

    /// Tenths of an hour short of `target` (0 without the hours target).
    pub fn hours_short(&self, target: u16) -> u32 {
        if self.hours_expected {
            u32::from(target).saturating_sub(self.hours)
        } else {
            0
        }
    }
}

/// Every member's study, indexed once; scopes add it up.
#[derive(Clone, Debug)]
pub struct StudyIndex {
    pub(super) settings: StudySettings,
    /// One per member, by member id.
    pub(super) members: Vec<MemberStudy>,
    by_id: FastMap<MemberId, u32>,
    /// Where each session sits (for counting sessions held in a scope).
    pub(super) session_places: Vec<Location>,
    unplaced: u32,
}

/// Per-member tallies while indexing.
#[derive(Clone, Copy, Default)]
struct Tally {
    hours: u32,
    present: u32,
    deliveries: u32,
    suggestions: u32,
    discussions: u32,
    speeches: u32,
}

impl StudyIndex {
    /// Indexes the facts for `members` (placed by `directory`) under
    /// `settings` (the version in force: [`StudySettings::newest`]).
    pub fn new(
        directory: &Directory,
        members: &[Member],
        facts: StudyFacts<'_>,
        settings: &StudySettings,
    ) -> StudyIndex {
        // Members, by id (the last record of an id wins, as in Directory).
        let mut latest: FastMap<MemberId, &Member> = map_with_capacity(members.len());
        for m in members {
            latest.insert(m.id, m);
        }
        let mut people: Vec<&Member> = latest.into_values().collect();
        order::sort_by_key(&mut people, |m| m.id);
        let mut by_id: FastMap<MemberId, u32> = map_with_capacity(people.len());
        for (i, m) in people.iter().enumerate() {
            by_id.insert(m.id, i as u32);
        }

        // Sessions, and each branch's sessions everyone is expected at.
        let mut sessions: Vec<&StudySession> = facts.sessions.iter().collect();
        order::sort_by_key(&mut sessions, |s| (s.on, s.id));
        sessions.dedup_by_key(|s| s.id);
        let mut session_of: FastMap<StudySessionId, u32> = map_with_capacity(sessions.len());
        let mut by_branch: FastMap<BranchId, Vec<u32>> = FastMap::default();
        let mut session_places = Vec::with_capacity(sessions.len());
        for (i, s) in sessions.iter().enumerate() {
            session_of.insert(s.id, i as u32);
            session_places.push(directory.branch_location(s.branch));
            if s.kind.expected_of_all() {
                // Already by (date, id): sessions were sorted so.
                by_branch.entry(s.branch).or_default().push(i as u32);
            }
        }

        let mut unplaced = 0u32;
        let mut place = |session: StudySessionId, member: MemberId| {
            let found = session_of
                .get(&session)
                .copied()
                .zip(by_id.get(&member).copied());
            if found.is_none() {
                unplaced += 1;
            }
            found
        };

        // Attendance: the greatest id per (session, member).
        let mut marks: FastMap<(u32, u32), (&Attendance, AttendanceStatus)> =
            map_with_capacity(facts.attendance.len());
        for a in facts.attendance {
            if let Some(key) = place(a.session, a.member) {
                let slot = marks.entry(key).or_insert((a, a.status));
                if a.supersedes(slot.0) {
                    *slot = (a, a.status);
                }
            }
        }

        let mut tally = vec![Tally::default(); people.len()];
        let mut covered: FastMap<(u32, u32), MadeUp> = FastMap::default();
        let mut cover = |key: (u32, u32), by: MadeUp| {
            let slot = covered.entry(key).or_insert(by);
            if by < *slot {
                *slot = by;
            }
        };
        for (&(s, m), &(_, status)) in &marks {
            if status != AttendanceStatus::Present {
                continue;
            }
            let session = sessions[s as usize];
            let t = &mut tally[m as usize];
            t.hours += u32::from(session.hours.get());
            t.present += 1;
            if session.kind == SessionKind::Discussion {
                t.discussions += 1;
            }
            if let Some(target) = session.makes_up.and_then(|id| session_of.get(&id)) {
                cover((*target, m), MadeUp::Session(session.id));
            }
        }
        // A fact that arrives twice (a replayed pull, a restored backup)
        // counts once: facts are keyed by their id.
        let mut seen: FastMap<uuid::Uuid, ()> = FastMap::default();
        let mut first = |id: &uuid::Uuid| seen.insert(*id, ()).is_none();
        for d in facts.deliveries.iter().filter(|d| first(d.id.as_uuid())) {
            if let Some((s, m)) = place(d.session, d.member) {
                tally[m as usize].deliveries += 1;
                cover((s, m), MadeUp::Delivery(d.id));
            }
        }
        for sp in facts.speeches.iter().filter(|x| first(x.id.as_uuid())) {
            if let Some((s, m)) = place(sp.session, sp.member) {
                if sessions[s as usize].kind == SessionKind::Discussion {
                    tally[m as usize].speeches += 1;
                }
            }
        }
        let mut checks: Vec<Option<&StudyCheck>> = vec![None; people.len()];
        for c in facts.checks {
            match by_id.get(&c.member) {
                Some(&m) => {
                    let slot = &mut checks[m as usize];
                    if slot.is_none_or(|old| c.supersedes(old)) {
                        *slot = Some(c);
                    }
                }
                None => unplaced += 1,
            }
        }
        for s in facts.suggestions.iter().filter(|x| first(x.id.as_uuid())) {
            match by_id.get(&s.member) {
                Some(&m) => tally[m as usize].suggestions += u32::from(s.count),
                None => unplaced += 1,
            }
        }

        let members = people
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let t = tally[i];
                let expected = settings.expects(m.status);
                let own = by_branch.get(&m.branch).map(Vec::as_slice).unwrap_or(&[]);
                let mut misses = Vec::new();
                if expected {
                    for &s in own {
                        let reason = match marks.get(&(s, i as u32)).map(|&(_, st)| st) {
                            Some(AttendanceStatus::Present) => continue,
                            Some(AttendanceStatus::Absent) => MissReason::Absent,
                            Some(AttendanceStatus::ExcusedLeave) => MissReason::Leave,
                            None => MissReason::NotRecorded,
                        };
                        let session = sessions[s as usize];
                        misses.push(Miss {
                            session: session.id,
                            on: session.on,
                            hours: session.hours,
                            kind: session.kind,
                            reason,
                            made_up: covered.get(&(s, i as u32)).copied(),
                        });
                    }
                }
                MemberStudy {
                    member: m.id,
                    location: directory.branch_location(m.branch),
                    status: m.status,
                    expected,
                    hours_expected: settings.expects_hours(m.status),
                    hours: t.hours,
                    present: t.present,
                    sessions_expected: if expected { own.len() as u32 } else { 0 },
                    misses,
                    deliveries: t.deliveries,
                    completion: Completion::of(checks[i], settings),
                    suggestions: t.suggestions,
                    discussions_held: own
                        .iter()
                        .filter(|&&s| sessions[s as usize].kind == SessionKind::Discussion)
                        .count() as u32,
                    discussions: t.discussions,
                    speeches: t.speeches,
                }
            })
            .collect();

        StudyIndex {
            settings: settings.clone(),
            members,
            by_id,
            session_places,
            unplaced,
        }
    }

    /// The settings the figures were computed under.
    pub fn settings(&self) -> &StudySettings {
        &self.settings
    }

    /// Every member's study, by member id.
    pub fn members(&self) -> &[MemberStudy] {
        &self.members
    }

    /// One member's study.
    pub fn member(&self, id: MemberId) -> Option<&MemberStudy> {
        self.by_id.get(&id).map(|&i| &self.members[i as usize])
    }

    /// Facts left out because their session or member is not known (yet:
    /// records may arrive out of order while syncing).
    pub fn unplaced(&self) -> u32 {
        self.unplaced
    }
}
