//! Study figures for any scope: 参学率, hours, 两个确保, 三个完成,
//! discussions, suggestions, and who still owes what.
//!
//! Why: 004's 两个确保 ("确保3679名党员参加学习，一个不漏；确保学习40个小时，
//! 一个不少") are two numbers per unit with the members behind any
//! shortfall; 000 reports 参学 as members who took part out of those
//! expected; 004 item 二.3 wants 参学率 and 发言率 of the discussions at
//! 100%. Members count where they sit (their branch, unit, system), so
//! figures of disjoint scopes add up ([`StudyFigures`] is `Add`). Rates are
//! exact ([`Rate`]); `None` when nobody is expected.

use core::ops::{Add, AddAssign};
use std::collections::BTreeMap;

use serde::Serialize;

use super::index::{MemberStudy, StudyIndex};
use super::settings::StudySettings;
use crate::ids::{BranchId, MemberId, StudySessionId, SystemId, UnitId};
use crate::org::MemberStatus;
use crate::scope::{Location, Scope};
use crate::spotcheck::Rate;

/// Members by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    pub in_post: u32,
    pub floating: u32,
    pub abroad: u32,
    pub frail: u32,
}

impl StatusCounts {
    fn add(&mut self, status: MemberStatus) {
        match status {
            MemberStatus::InPost => self.in_post += 1,
            MemberStatus::Floating => self.floating += 1,
            MemberStatus::Abroad => self.abroad += 1,
            MemberStatus::Frail => self.frail += 1,
        }
    }

    pub fn of(&self, status: MemberStatus) -> u32 {
        match status {
            MemberStatus::InPost => self.in_post,
            MemberStatus::Floating => self.floating,
            MemberStatus::Abroad => self.abroad,
            MemberStatus::Frail => self.frail,
        }
    }
}

/// A scope's study figures. Counts of members unless said otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StudyFigures {
    pub members: u32,
    pub by_status: StatusCounts,
    /// Not expected to take part (by status).
    pub excused: u32,
    /// Expected to take part: `members - excused`.
    pub expected: u32,
    /// Took part, whatever their status (000: 463).
    pub took_part: u32,
    /// Expected members who took part (参学率's numerator).
    pub expected_took_part: u32,
    /// Members with the hours target, and those who reached it.
    pub with_target: u32,
    pub reached_target: u32,
    /// Hours attended by all members, in tenths.
    pub hours: u64,
    /// Hours attended by members with the target, in tenths.
    pub target_hours: u64,
    /// Sessions held in the scope.
    pub sessions: u32,
    /// Missed sessions not made up, over all members.
    pub sessions_owed: u32,
    /// Expected members who still owe something ([`Owes`]).
    pub owing: u32,
    /// 三个完成 among expected members.
    pub content_done: u32,
    pub notes_done: u32,
    pub reflection_done: u32,
    pub all_three_done: u32,
    /// Expected members present at a 专题讨论, and who spoke at one.
    pub discussed: u32,
    pub spoke: u32,
    /// Expected members without a suggestion.
    pub without_suggestion: u32,
}

impl StudyFigures {
    /// 参学率: expected members who took part / expected members.
    pub fn participation(&self) -> Option<Rate> {
        Rate::new(self.expected_took_part, self.expected)
    }

    /// Members with the target who reached it / members with the target.
    pub fn hours_reached(&self) -> Option<Rate> {
        Rate::new(self.reached_target, self.with_target)
    }

    /// Members with the target below it.
    pub fn below_target(&self) -> u32 {
        self.with_target - self.reached_target
    }

    /// Hours per member with the target, in tenths (rounded down).
    pub fn hours_per_member(&self) -> Option<u32> {
        (self.with_target > 0).then(|| (self.target_hours / u64::from(self.with_target)) as u32)
    }

    /// 专题讨论 参学率 and 发言率 over expected members.
    pub fn discussion_participation(&self) -> Option<Rate> {
        Rate::new(self.discussed, self.expected)
    }

    pub fn speaking(&self) -> Option<Rate> {
        Rate::new(self.spoke, self.expected)
    }

    /// 三个完成 all done / expected members.
    pub fn three_done(&self) -> Option<Rate> {
        Rate::new(self.all_three_done, self.expected)
    }

    fn add_member(&mut self, m: &MemberStudy, settings: &StudySettings) {
        self.members += 1;
        self.by_status.add(m.status);
        self.hours += u64::from(m.hours);
        self.took_part += u32::from(m.took_part());
        self.sessions_owed += m.owed().count() as u32;
        if m.hours_expected {
            self.with_target += 1;
            self.target_hours += u64::from(m.hours);
            self.reached_target += u32::from(m.hours >= u32::from(settings.hours_target));
        }
        if !m.expected {
            self.excused += 1;
            return;
        }
        self.expected += 1;
        self.expected_took_part += u32::from(m.took_part());
        self.owing += u32::from(!Owes::of(m, settings).is_clear());
        let c = &m.completion;
        self.content_done += u32::from(c.content);
        self.notes_done += u32::from(c.notes);
        self.reflection_done += u32::from(c.reflection);
        self.all_three_done += u32::from(c.all());
        self.discussed += u32::from(m.discussions > 0 || m.speeches > 0);
        self.spoke += u32::from(m.speeches > 0);
        self.without_suggestion += u32::from(m.suggestions == 0);
    }
}

impl Add for StudyFigures {
    type Output = StudyFigures;
    /// Field-wise: exact over disjoint scopes.
    fn add(mut self, r: StudyFigures) -> StudyFigures {
        self += r;
        self
    }
}

impl AddAssign for StudyFigures {
    fn add_assign(&mut self, r: StudyFigures) {
        let s = &mut self.by_status;
        s.in_post += r.by_status.in_post;
        s.floating += r.by_status.floating;
        s.abroad += r.by_status.abroad;
        s.frail += r.by_status.frail;
        self.members += r.members;
        self.excused += r.excused;
        self.expected += r.expected;
        self.took_part += r.took_part;
        self.expected_took_part += r.expected_took_part;
        self.with_target += r.with_target;
        self.reached_target += r.reached_target;
        self.hours += r.hours;
        self.target_hours += r.target_hours;
        self.sessions += r.sessions;
        self.sessions_owed += r.sessions_owed;
        self.owing += r.owing;
        self.content_done += r.content_done;
        self.notes_done += r.notes_done;
        self.reflection_done += r.reflection_done;
        self.all_three_done += r.all_three_done;
        self.discussed += r.discussed;
        self.spoke += r.spoke;
        self.without_suggestion += r.without_suggestion;
    }
}

/// What an expected member still owes. Excused members owe nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Owes {
    pub member: MemberId,
    /// Has not taken part at all.
    pub not_taken_part: bool,
    /// Tenths of an hour short of the target.
    pub hours_short: u32,
    /// Missed sessions not made up, by date.
    pub sessions: Vec<StudySessionId>,
    /// 规定学习内容 not done.
    pub content: bool,
    /// Characters of notes still to write.
    pub notes_short: u32,
    /// No reflection long enough yet.
    pub reflection: bool,
    /// Suggestions still to make.
    pub suggestions_short: u32,
    /// Has not spoken though their branch held a 专题讨论.
    pub speech: bool,
}

impl Owes {
    /// What `m` owes under `settings`.
    pub fn of(m: &MemberStudy, settings: &StudySettings) -> Owes {
        let mut owes = Owes {
            member: m.member,
            not_taken_part: false,
            hours_short: 0,
            sessions: Vec::new(),
            content: false,
            notes_short: 0,
            reflection: false,
            suggestions_short: 0,
            speech: false,
        };
        if !m.expected {
            return owes;
        }
        let c = &m.completion;
        owes.not_taken_part = !m.took_part();
        owes.hours_short = m.hours_short(settings.hours_target);
        owes.sessions = m.owed().map(|miss| miss.session).collect();
        owes.content = !c.content;
        owes.notes_short = settings.notes_target.saturating_sub(c.notes_chars);
        owes.reflection = !c.reflection;
        owes.suggestions_short = settings.suggestions_target.saturating_sub(m.suggestions);
        owes.speech = m.discussions_held > 0 && m.speeches == 0;
        owes
    }

    /// Below the hours target or owing a missed session not made up
    /// (三个完成, suggestions and speeches aside): what a rubric's
    /// 学习未达标 reads.
    pub fn study_short(&self) -> bool {
        self.hours_short > 0 || !self.sessions.is_empty()
    }

    /// Nothing owed.
    pub fn is_clear(&self) -> bool {
        !self.not_taken_part
            && self.hours_short == 0
            && self.sessions.is_empty()
            && !self.content
            && self.notes_short == 0
            && !self.reflection
            && self.suggestions_short == 0
            && !self.speech
    }
}

/// 两个确保 for a scope: the two numbers and the members behind them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TwoEnsures {
    /// 一个不漏: expected members who took part / expected members.
    pub all_take_part: Option<Rate>,
    /// 一个不少: members with the target who reached it / those members.
    pub all_hours: Option<Rate>,
    /// Expected members who have not taken part, by id.
    pub not_taking_part: Vec<MemberId>,
    /// Members below the target and by how much (tenths), by id.
    pub below_hours: Vec<(MemberId, u32)>,
}

impl TwoEnsures {
    fn add_member(&mut self, m: &MemberStudy, settings: &StudySettings) {
        if m.expected && !m.took_part() {
            self.not_taking_part.push(m.member);
        }
        let short = m.hours_short(settings.hours_target);
        if short > 0 {
            self.below_hours.push((m.member, short));
        }
    }

    fn finish(mut self, f: &StudyFigures) -> TwoEnsures {
        self.all_take_part = f.participation();
        self.all_hours = f.hours_reached();
        self
    }
}

impl StudyIndex {
    /// The members a scope covers.
    fn in_scope<'a>(&'a self, scope: &'a Scope) -> impl Iterator<Item = &'a MemberStudy> + 'a {
        self.members.iter().filter(|m| scope.covers(&m.location))
    }

    /// The figures of one scope.
    pub fn figures(&self, scope: &Scope) -> StudyFigures {
        let mut f = StudyFigures::default();
        for m in self.in_scope(scope) {
            f.add_member(m, &self.settings);
        }
        f.sessions = self
            .session_places
            .iter()
            .filter(|l| scope.covers(l))
            .count() as u32;
        f
    }

    /// The figures of every unit with a member or a session, in one pass.
    pub fn by_unit(&self) -> BTreeMap<UnitId, StudyFigures> {
        self.group_by(|l| l.unit)
    }

    /// The figures of every branch, in one pass.
    pub fn by_branch(&self) -> BTreeMap<BranchId, StudyFigures> {
        self.group_by(|l| l.branch)
    }

    /// The figures of every system, in one pass.
    pub fn by_system(&self) -> BTreeMap<SystemId, StudyFigures> {
        self.group_by(|l| l.system)
    }

    fn group_by<K: Ord>(&self, key: impl Fn(&Location) -> Option<K>) -> BTreeMap<K, StudyFigures> {
        let mut out: BTreeMap<K, StudyFigures> = BTreeMap::new();
        for m in &self.members {
            if let Some(k) = key(&m.location) {
                out.entry(k).or_default().add_member(m, &self.settings);
            }
        }
        for l in &self.session_places {
            if let Some(k) = key(l) {
                out.entry(k).or_default().sessions += 1;
            }
        }
        out
    }

    /// 两个确保 of one scope.
    pub fn two_ensures(&self, scope: &Scope) -> TwoEnsures {
        let mut t = TwoEnsures::default();
        for m in self.in_scope(scope) {
            t.add_member(m, &self.settings);
        }
        t.finish(&self.figures(scope))
    }

    /// 两个确保 of every unit with a member, in one pass.
    pub fn two_ensures_by_unit(&self) -> BTreeMap<UnitId, TwoEnsures> {
        let figures = self.by_unit();
        let mut out: BTreeMap<UnitId, TwoEnsures> = BTreeMap::new();
        for m in &self.members {
            if let Some(unit) = m.location.unit {
                out.entry(unit).or_default().add_member(m, &self.settings);
            }
        }
        out.into_iter()
            .map(|(unit, t)| (unit, t.finish(&figures[&unit])))
            .collect()
    }

    /// Whether `member` is short of the study ([`Owes::study_short`]).
    /// Never while no session is recorded at all (the study has not
    /// started on this phone or server), nor for a member not indexed.
    pub fn study_short(&self, member: MemberId) -> bool {
        !self.session_places.is_empty()
            && self
                .member(member)
                .is_some_and(|m| Owes::of(m, &self.settings).study_short())
    }

    /// Who in a scope still owes what, by member id (members owing
    /// nothing left out).
    pub fn owing(&self, scope: &Scope) -> Vec<Owes> {
        self.in_scope(scope)
            .map(|m| Owes::of(m, &self.settings))
            .filter(|o| !o.is_clear())
            .collect()
    }
}
