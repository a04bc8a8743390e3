//! The study rules against small worlds: per member (hours, misses,
//! make-ups, taking part), the seeds' count (000: 552 / 73 / 18 / 463),
//! and the figures of a scope (两个确保, 三个完成, discussions,
//! suggestions, who owes what), which add up over disjoint scopes and do
//! not depend on the order of the facts.

use time::macros::date;
use time::Date;

use super::*;
use crate::directory::Directory;
use crate::ids::*;
use crate::org::{Branch, Member, MemberStatus, PostType, Unit};
use crate::scope::Scope;

const S: SystemId = SystemId::from_u128(1);
const U1: UnitId = UnitId::from_u128(10);
const U2: UnitId = UnitId::from_u128(20);
const B1: BranchId = BranchId::from_u128(11);
const B2: BranchId = BranchId::from_u128(12);
const B3: BranchId = BranchId::from_u128(21);

/// A little world: units U1 (branches B1, B2) and U2 (B3), and facts.
#[derive(Default)]
struct World {
    members: Vec<Member>,
    sessions: Vec<StudySession>,
    attendance: Vec<Attendance>,
    deliveries: Vec<StudyDelivery>,
    checks: Vec<StudyCheck>,
    suggestions: Vec<Suggestion>,
    speeches: Vec<Speech>,
    next: u128,
}

impl World {
    fn id(&mut self) -> u128 {
        self.next += 1;
        0x1000 + self.next
    }

    fn member(&mut self, n: u128, branch: BranchId, status: MemberStatus) -> MemberId {
        let id = MemberId::from_u128(n);
        let m = Member::new(id, format!("党员{n}"), branch, PostType::Other, status).unwrap();
        self.members.push(m);
        id
    }

    fn session(
        &mut self,
        n: u128,
        branch: BranchId,
        kind: SessionKind,
        tenths: u16,
    ) -> StudySessionId {
        let id = StudySessionId::from_u128(n);
        let day = date!(2005 - 02 - 20) + time::Duration::days(self.sessions.len() as i64);
        let s = StudySession::new(
            id,
            branch,
            day,
            Hours::tenths(tenths).unwrap(),
            kind,
            "学习",
        );
        self.sessions.push(s.unwrap());
        id
    }

    fn make_up(
        &mut self,
        n: u128,
        branch: BranchId,
        missed: StudySessionId,
        tenths: u16,
    ) -> StudySessionId {
        let id = self.session(n, branch, SessionKind::MakeUp, tenths);
        self.sessions.last_mut().unwrap().makes_up = Some(missed);
        id
    }

    fn mark(&mut self, session: StudySessionId, member: MemberId, status: AttendanceStatus) {
        let id = AttendanceId::from_u128(self.id());
        self.attendance
            .push(Attendance::new(id, session, member, status).unwrap());
    }

    fn deliver(&mut self, session: StudySessionId, member: MemberId) -> StudyDeliveryId {
        let id = StudyDeliveryId::from_u128(self.id());
        let on = date!(2005 - 03 - 01);
        let d = StudyDelivery::new(id, session, member, on, DeliveryMethod::Mailed, "");
        self.deliveries.push(d.unwrap());
        id
    }

    fn check(&mut self, member: MemberId, on: Date, content: bool, notes: u32, reflection: u32) {
        let id = StudyCheckId::from_u128(self.id());
        let by = Recorder::Member(MemberId::from_u128(999));
        let r = (reflection > 0).then_some((reflection, on));
        let c = StudyCheck::new(id, member, on, by, content, notes, r).unwrap();
        self.checks.push(c);
    }

    fn suggest(&mut self, member: MemberId, count: u8) {
        let id = SuggestionId::from_u128(self.id());
        let s = Suggestion::new(id, member, date!(2005 - 03 - 01), count, "建议").unwrap();
        self.suggestions.push(s);
    }

    fn speak(&mut self, session: StudySessionId, member: MemberId) {
        let id = SpeechId::from_u128(self.id());
        self.speeches
            .push(Speech::new(id, session, member, "").unwrap());
    }

    fn directory(&self) -> Directory {
        let units = [
            Unit::new(U1, S, "甲局").unwrap(),
            Unit::new(U2, S, "乙局").unwrap(),
        ];
        let branches = [
            Branch::new(B1, U1, "一支部").unwrap(),
            Branch::new(B2, U1, "二支部").unwrap(),
            Branch::new(B3, U2, "三支部").unwrap(),
        ];
        Directory::new(&units, &branches, &self.members, &[])
    }

    fn facts(&self) -> StudyFacts<'_> {
        StudyFacts {
            sessions: &self.sessions,
            attendance: &self.attendance,
            deliveries: &self.deliveries,
            checks: &self.checks,
            suggestions: &self.suggestions,
            speeches: &self.speeches,
        }
    }

    fn index(&self) -> StudyIndex {
        StudyIndex::new(
            &self.directory(),
            &self.members,
            self.facts(),
            &StudySettings::default(),
        )
    }

    /// The same facts in the opposite order.
    fn reversed(&self) -> StudyIndex {
        fn rev<T: Clone>(v: &[T]) -> Vec<T> {
            v.iter().rev().cloned().collect()
        }
        let (members, sessions, attendance) = (
            rev(&self.members),
            rev(&self.sessions),
            rev(&self.attendance),
        );
        let (deliveries, checks, suggestions, speeches) = (
            rev(&self.deliveries),
            rev(&self.checks),
            rev(&self.suggestions),
            rev(&self.speeches),
        );
        let facts = StudyFacts {
            sessions: &sessions,
            attendance: &attendance,
            deliveries: &deliveries,
            checks: &checks,
            suggestions: &suggestions,
            speeches: &speeches,
        };
        StudyIndex::new(
            &self.directory(),
            &members,
            facts,
            &StudySettings::default(),
        )
    }
}

#[test]
fn a_fact_that_arrives_twice_counts_once() {
    let mut w = World::default();
    let m = w.member(100, B1, MemberStatus::InPost);
    let s1 = w.session(1, B1, SessionKind::Collective, 40);
    let s2 = w.session(2, B1, SessionKind::Discussion, 30);
    w.mark(s1, m, AttendanceStatus::Absent);
    w.mark(s2, m, AttendanceStatus::Present);
    w.deliver(s1, m);
    w.suggest(m, 2);
    w.speak(s2, m);
    let once = w.index().member(m).unwrap().clone();
    let (d, s, x) = (
        w.deliveries[0].clone(),
        w.suggestions[0].clone(),
        w.speeches[0].clone(),
    );
    w.deliveries.push(d);
    w.suggestions.push(s);
    w.speeches.push(x);
    let twice = w.index().member(m).unwrap().clone();
    assert_eq!(twice, once);
    assert_eq!(
        (once.deliveries, once.suggestions, once.speeches),
        (1, 2, 1)
    );
}

#[test]
fn member_rules_table() {
    use AttendanceStatus::{Absent as A, ExcusedLeave as L, Present as P};
    use MissReason::{Absent, Leave, NotRecorded};
    // Branch B1 holds a lecture (4 h), a day of study (8 h), a discussion
    // (3 h) and a 补课 (2 h) of the day of study; B2 a 2 h lecture.
    let s = StudySessionId::from_u128;
    let (s1, s2, s3, s4, s5) = (s(1), s(2), s(3), s(4), s(5));
    type Made = Option<char>; // 's': by a 补课, 'd': by a delivery
    type Case = (
        &'static str,
        Vec<(StudySessionId, AttendanceStatus)>,
        Vec<StudySessionId>,
        (u32, Vec<(StudySessionId, MissReason, Made)>, bool),
    );
    let cases: Vec<Case> = vec![
        (
            "present everywhere",
            vec![(s1, P), (s2, P), (s3, P)],
            vec![],
            (150, vec![], true),
        ),
        (
            "absent, made up by the 补课",
            vec![(s1, P), (s2, A), (s3, P), (s4, P)],
            vec![],
            (90, vec![(s2, Absent, Some('s'))], true),
        ),
        (
            "on leave, made up by a delivery; the rest not recorded",
            vec![(s2, L)],
            vec![s2],
            (
                0,
                vec![
                    (s1, NotRecorded, None),
                    (s2, Leave, Some('d')),
                    (s3, NotRecorded, None),
                ],
                true,
            ),
        ),
        (
            "a 补课 wins over a delivery",
            vec![(s1, P), (s2, A), (s3, P), (s4, P)],
            vec![s2],
            (90, vec![(s2, Absent, Some('s'))], true),
        ),
        (
            "a second tap corrects the first",
            vec![(s1, A), (s1, P), (s2, P), (s3, P), (s3, P)],
            vec![],
            (150, vec![], true),
        ),
        (
            "a correction the other way",
            vec![(s1, P), (s1, A), (s2, P), (s3, P)],
            vec![],
            (110, vec![(s1, Absent, None)], true),
        ),
        (
            "another branch's session earns hours, not presence at ours",
            vec![(s5, P)],
            vec![],
            (
                20,
                vec![
                    (s1, NotRecorded, None),
                    (s2, NotRecorded, None),
                    (s3, NotRecorded, None),
                ],
                true,
            ),
        ),
        (
            "nothing at all",
            vec![],
            vec![],
            (
                0,
                vec![
                    (s1, NotRecorded, None),
                    (s2, NotRecorded, None),
                    (s3, NotRecorded, None),
                ],
                false,
            ),
        ),
        (
            "a 补课 attended by someone who did not miss",
            vec![(s1, P), (s2, P), (s3, P), (s4, P)],
            vec![],
            (170, vec![], true),
        ),
    ];
    for (name, marks, delivered, (hours, misses, took_part)) in cases {
        let mut w = World::default();
        let m = w.member(100, B1, MemberStatus::InPost);
        w.session(1, B1, SessionKind::PartyLecture, 40);
        w.session(2, B1, SessionKind::Collective, 80);
        w.session(3, B1, SessionKind::Discussion, 30);
        w.make_up(4, B1, s2, 20);
        w.session(5, B2, SessionKind::PartyLecture, 20);
        for (s, st) in marks {
            w.mark(s, m, st);
        }
        let mut by_delivery = Vec::new();
        for s in delivered {
            by_delivery.push(w.deliver(s, m));
        }
        let index = w.index();
        let got = index.member(m).unwrap();
        let want: Vec<Miss> = misses
            .iter()
            .map(|&(s, reason, made)| {
                let session = w.sessions.iter().find(|x| x.id == s).unwrap();
                Miss {
                    session: s,
                    on: session.on,
                    hours: session.hours,
                    kind: session.kind,
                    reason,
                    made_up: made.map(|c| match c {
                        's' => MadeUp::Session(s4),
                        _ => MadeUp::Delivery(by_delivery[0]),
                    }),
                }
            })
            .collect();
        assert_eq!(
            (got.hours, &got.misses, got.took_part()),
            (hours, &want, took_part),
            "{name}"
        );
        assert_eq!(got.sessions_expected, 3, "{name}: not the 补课, not B2's");
        assert_eq!(w.reversed().member(m), Some(got), "{name}: any order");
    }
}

#[test]
fn statuses_table() {
    use MemberStatus::*;
    // (status, present at the one session, delivery) →
    // (expected, hours target, misses, took part, counts toward 参学率)
    let cases = [
        (InPost, true, false, (true, true, 0, true)),
        (InPost, false, false, (true, true, 1, false)),
        (Floating, false, true, (true, false, 1, true)),
        (Floating, false, false, (true, false, 1, false)),
        (Abroad, false, false, (false, false, 0, false)),
        (Frail, false, true, (false, false, 0, true)),
        (Frail, true, false, (false, false, 0, true)),
    ];
    for (status, present, delivered, want) in cases {
        let mut w = World::default();
        let m = w.member(100, B1, status);
        let s = w.session(1, B1, SessionKind::Collective, 80);
        if present {
            w.mark(s, m, AttendanceStatus::Present);
        }
        if delivered {
            w.deliver(s, m);
        }
        let index = w.index();
        let got = index.member(m).unwrap();
        assert_eq!(
            (
                got.expected,
                got.hours_expected,
                got.misses.len(),
                got.took_part()
            ),
            want,
            "{status:?} present={present} delivered={delivered}"
        );
        // Nobody here did 三个完成, but excused members owe nothing.
        let owes = Owes::of(got, index.settings());
        assert_eq!(owes.is_clear(), !got.expected, "{status:?}");
    }
}

#[test]
fn the_seeds_count_000() {
    // 000: "我所552名中，除73名长期出国、18名因年老体弱或生病原因以外，463名
    // 参加了第一阶段的学习讨论活动". 552 − 73 − 18 = 461 members in post all
    // took part, and so did two frail members: 蔡衡芳 (83, comes to every
    // meeting) and 杨森 (studies at home, visited by the branch).
    let mut w = World::default();
    let branches = [B1, B2, B3];
    let mut n = 0u128;
    let mut add = |w: &mut World, count: u32, status| -> Vec<MemberId> {
        (0..count)
            .map(|_| {
                n += 1;
                w.member(n, branches[n as usize % 3], status)
            })
            .collect()
    };
    let in_post = add(&mut w, 461, MemberStatus::InPost);
    let abroad = add(&mut w, 73, MemberStatus::Abroad);
    let frail = add(&mut w, 18, MemberStatus::Frail);
    let sessions = branches.map(|b| {
        let id = 1_000 + b.as_u128();
        w.session(id, b, SessionKind::Collective, 80)
    });
    let session_of = |w: &World, m: MemberId| {
        let branch = w.members.iter().find(|x| x.id == m).unwrap().branch;
        sessions[branches.iter().position(|b| *b == branch).unwrap()]
    };
    for &m in &in_post {
        let s = session_of(&w, m);
        w.mark(s, m, AttendanceStatus::Present);
    }
    let s = session_of(&w, frail[0]);
    w.mark(s, frail[0], AttendanceStatus::Present);
    let s = session_of(&w, frail[1]);
    w.deliver(s, frail[1]);
    let s = session_of(&w, abroad[0]);
    w.mark(s, abroad[0], AttendanceStatus::Absent);

    let index = w.index();
    let city = index.figures(&Scope::City);
    assert_eq!(city.members, 552);
    assert_eq!(
        (city.by_status.abroad, city.by_status.frail, city.excused),
        (73, 18, 91)
    );
    assert_eq!(city.expected, 461);
    assert_eq!(city.took_part, 463);
    assert_eq!(city.expected_took_part, 461);
    assert_eq!(city.participation().unwrap().percent_string(), "100.0%");
    assert_eq!(
        index.two_ensures(&Scope::City).not_taking_part,
        Vec::<MemberId>::new()
    );
    // The disjoint units add up to the city.
    let units = index.by_unit();
    assert_eq!(
        units.values().fold(StudyFigures::default(), |a, &f| a + f),
        city
    );
}

#[test]
fn figures_of_a_scope() {
    let mut w = World::default();
    use AttendanceStatus::Present as P;
    // B1: a (40 h, all three done, spoke, suggested), b (32 h, missed a
    // day and owes it), c abroad. B3 (another unit): d, present at nothing.
    let a = w.member(1, B1, MemberStatus::InPost);
    let b = w.member(2, B1, MemberStatus::InPost);
    let c = w.member(3, B1, MemberStatus::Abroad);
    let d = w.member(4, B3, MemberStatus::InPost);
    let days: Vec<StudySessionId> = (0..5)
        .map(|i| w.session(10 + i, B1, SessionKind::Collective, 80))
        .collect();
    let talk = w.session(20, B1, SessionKind::Discussion, 10);
    w.session(30, B3, SessionKind::Collective, 80);
    for &s in &days {
        w.mark(s, a, P);
    }
    for &s in &days[..4] {
        w.mark(s, b, P);
    }
    w.mark(days[4], b, AttendanceStatus::Absent);
    w.mark(talk, a, P);
    w.mark(talk, b, P);
    w.speak(talk, a);
    w.speak(days[0], b); // not a discussion: does not count
    w.check(a, date!(2005 - 03 - 01), false, 5_000, 0);
    w.check(a, date!(2005 - 03 - 08), true, 10_500, 3_100);
    w.check(b, date!(2005 - 03 - 08), true, 9_000, 3_000);
    w.suggest(a, 2);
    // Facts for records not known: left out, counted.
    w.mark(days[0], MemberId::from_u128(77), P);
    w.mark(StudySessionId::from_u128(78), a, P);

    let index = w.index();
    assert_eq!(index.unplaced(), 2);
    let u1 = index.figures(&Scope::Unit(U1));
    assert_eq!((u1.members, u1.expected, u1.excused), (3, 2, 1));
    assert_eq!(
        (u1.with_target, u1.reached_target, u1.below_target()),
        (2, 1, 1)
    );
    assert_eq!(u1.hours, 410 + 330);
    assert_eq!(u1.hours_per_member(), Some(370));
    assert_eq!(u1.sessions, 6);
    assert_eq!(u1.sessions_owed, 1);
    assert_eq!(
        (u1.content_done, u1.notes_done, u1.reflection_done),
        (2, 1, 2)
    );
    assert_eq!(u1.all_three_done, 1);
    assert_eq!((u1.discussed, u1.spoke), (2, 1));
    assert_eq!(u1.speaking().unwrap().percent_string(), "50.0%");
    assert_eq!(u1.without_suggestion, 1);
    assert_eq!(u1.owing, 1);

    let two = index.two_ensures(&Scope::Unit(U1));
    assert_eq!(two.all_take_part.unwrap().percent_string(), "100.0%");
    assert_eq!(two.all_hours.unwrap().percent_string(), "50.0%");
    assert_eq!(two.below_hours, vec![(b, 70)]);
    let owing = index.owing(&Scope::Unit(U1));
    assert_eq!(owing.len(), 1);
    let owes = &owing[0];
    assert_eq!(owes.member, b);
    assert_eq!(
        (owes.hours_short, owes.sessions.clone(), owes.notes_short),
        (70, vec![days[4]], 1_000)
    );
    assert!(owes.speech && owes.suggestions_short == 1 && !owes.content);

    let u2 = index.two_ensures(&Scope::Unit(U2));
    assert_eq!(u2.not_taking_part, vec![d]);
    assert_eq!(u2.all_take_part.unwrap().percent_string(), "0.0%");
    assert_eq!(index.owing(&Scope::Branch(B3))[0].sessions.len(), 1);
    assert_eq!(index.two_ensures_by_unit()[&U2], u2);
    assert!(index.member(c).unwrap().misses.is_empty());

    // Disjoint scopes add up; the order of the facts does not matter.
    let city = index.figures(&Scope::City);
    let by_branch = index.by_branch();
    assert_eq!(
        by_branch
            .values()
            .fold(StudyFigures::default(), |a, &f| a + f),
        city
    );
    assert_eq!(index.by_system()[&S], city);
    let rev = w.reversed();
    assert_eq!(rev.figures(&Scope::City), city);
    assert_eq!(rev.members(), index.members());
    assert_eq!(index.by_unit()[&U1], u1);
}
