//! Property tests for the study rules (学习), whatever the facts:
//!
//! - the order facts arrive in changes nothing: [`StudyIndex`] (members,
//!   figures, 两个确保, who owes what) and [`transition_statuses`] are the
//!   same for any shuffle, a tap corrected by a later tap (the greatest
//!   attendance id wins) and a fact synced twice included;
//! - figures of disjoint scopes add up: branches to their unit, units to
//!   their system and to the city, systems to the city; 两个确保's lists
//!   and who owes what partition the same way;
//! - each member's hours are the hours of the sessions they were (last)
//!   marked present at, and the sessions they owe are exactly those of
//!   their branch they were expected at, not present at and not made up
//!   (by a 补课 they attended or a delivery), checked against a plain
//!   model written here.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use time::{Date, Duration, Month};
use xianfeng_core::directory::Directory;
use xianfeng_core::ids::*;
use xianfeng_core::org::{Branch, Member, MemberStatus, PostType, Unit};
use xianfeng_core::scope::Scope;
use xianfeng_core::study::*;

const SYSTEMS: usize = 2;
const UNITS: usize = 4;
const BRANCHES_PER_UNIT: usize = 2;
const BRANCHES: usize = UNITS * BRANCHES_PER_UNIT;
const MEMBERS_PER_BRANCH: usize = 3;
const MEMBERS: usize = BRANCHES * MEMBERS_PER_BRANCH;
/// Facts naming this session or member are for records not known (yet).
const UNKNOWN: u128 = 9_999;

fn start() -> Date {
    Date::from_calendar_date(2005, Month::February, 20).unwrap()
}

fn day(n: u8) -> Date {
    start() + Duration::days(i64::from(n))
}

fn system_id(i: usize) -> SystemId {
    SystemId::from_u128(1 + i as u128)
}

fn unit_id(i: usize) -> UnitId {
    UnitId::from_u128(100 + i as u128)
}

fn branch_id(i: usize) -> BranchId {
    BranchId::from_u128(200 + i as u128)
}

fn member_id(i: usize) -> MemberId {
    if i < MEMBERS {
        MemberId::from_u128(1_000 + i as u128)
    } else {
        MemberId::from_u128(UNKNOWN)
    }
}

fn session_id(i: usize, known: usize) -> StudySessionId {
    if i < known {
        StudySessionId::from_u128(500 + i as u128)
    } else {
        StudySessionId::from_u128(UNKNOWN)
    }
}

fn status(k: u8) -> MemberStatus {
    match k {
        0..=6 => MemberStatus::InPost,
        7 => MemberStatus::Floating,
        8 => MemberStatus::Abroad,
        _ => MemberStatus::Frail,
    }
}

fn kind(k: u8) -> SessionKind {
    match k {
        0 => SessionKind::Collective,
        1 => SessionKind::PartyLecture,
        2 => SessionKind::Tutorial,
        3 => SessionKind::Discussion,
        _ => SessionKind::MakeUp,
    }
}

fn attendance_status(k: u8) -> AttendanceStatus {
    match k {
        0 | 1 => AttendanceStatus::Present,
        2 => AttendanceStatus::Absent,
        _ => AttendanceStatus::ExcusedLeave,
    }
}

/// Units in two systems, two branches each, three members a branch.
fn org(statuses: &[u8]) -> (Vec<Unit>, Vec<Branch>, Vec<Member>) {
    let units = (0..UNITS)
        .map(|i| Unit::new(unit_id(i), system_id(i % SYSTEMS), format!("单位{i}")).unwrap())
        .collect();
    let branches = (0..BRANCHES)
        .map(|i| Branch::new(branch_id(i), unit_id(i / BRANCHES_PER_UNIT), "支部").unwrap())
        .collect();
    let members = (0..MEMBERS)
        .map(|i| {
            Member::new(
                member_id(i),
                format!("党员{i}"),
                branch_id(i / MEMBERS_PER_BRANCH),
                PostType::Other,
                status(statuses[i]),
            )
            .unwrap()
        })
        .collect();
    (units, branches, members)
}

/// Every study fact of a small city, plus the 转段评估 steps.
#[derive(Clone, Debug)]
struct World {
    units: Vec<Unit>,
    branches: Vec<Branch>,
    members: Vec<Member>,
    settings: StudySettings,
    sessions: Vec<StudySession>,
    attendance: Vec<Attendance>,
    deliveries: Vec<StudyDelivery>,
    checks: Vec<StudyCheck>,
    suggestions: Vec<Suggestion>,
    speeches: Vec<Speech>,
    reviews: Vec<TransitionReview>,
    sign_offs: Vec<TransitionSignOff>,
    decisions: Vec<TransitionDecision>,
}

/// (branch, kind, tenths, day, the session a 补课 makes up).
type SessionSpec = (usize, u8, u16, u8, usize);
/// (session, member, taps as (status, id salt)): a session or member
/// index past the known ones names a record not known; a second tap
/// corrects the first when its id is greater.
type MarkSpec = (usize, usize, Vec<(u8, u16)>);
/// (member, day, content done, notes, reflection).
type CheckSpec = (usize, u8, bool, u32, u32);
/// (unit, day, results); (review, day); (review, day, approved).
type TransitionSpec = (
    Vec<(usize, u8, [bool; 3])>,
    Vec<(usize, u8)>,
    Vec<(usize, u8, bool)>,
);

#[derive(Clone, Debug)]
struct Spec {
    statuses: Vec<u8>,
    hours_target: u16,
    sessions: Vec<SessionSpec>,
    marks: Vec<MarkSpec>,
    /// (session, member, how many deliveries).
    deliveries: Vec<(usize, usize, usize)>,
    checks: Vec<CheckSpec>,
    suggestions: Vec<(usize, u8)>,
    speeches: Vec<(usize, usize)>,
    transition: TransitionSpec,
}

fn spec() -> impl Strategy<Value = Spec> {
    let sessions =
        prop::collection::vec((0..BRANCHES, 0..6u8, 1..=80u16, 0..10u8, 0..12usize), 1..10);
    let people = (
        prop::collection::vec(0..10u8, MEMBERS),
        prop_oneof![Just(400u16), 1..200u16],
    );
    let transition = (
        prop::collection::vec((0..UNITS, 0..4u8, any::<[bool; 3]>()), 0..8),
        prop::collection::vec((0..9usize, 0..4u8), 0..8),
        prop::collection::vec((0..9usize, 0..4u8, any::<bool>()), 0..8),
    );
    (people, sessions, transition).prop_flat_map(
        |((statuses, hours_target), sessions, transition)| {
            let n = sessions.len();
            // Indices one past the known sessions/members: facts not placed.
            let taps = prop::collection::vec((0..4u8, any::<u16>()), 1..4);
            let marks = prop::collection::vec((0..=n, 0..=MEMBERS, taps), 0..80);
            let deliveries = prop::collection::vec((0..=n, 0..=MEMBERS, 1..3usize), 0..16);
            let checks = prop::collection::vec(
                (
                    0..=MEMBERS,
                    0..4u8,
                    any::<bool>(),
                    0..15_000u32,
                    0..5_000u32,
                ),
                0..20,
            );
            let suggestions = prop::collection::vec((0..=MEMBERS, 1..3u8), 0..12);
            let speeches = prop::collection::vec((0..=n, 0..=MEMBERS), 0..16);
            (marks, deliveries, checks, suggestions, speeches).prop_map(
                move |(marks, deliveries, checks, suggestions, speeches)| Spec {
                    statuses: statuses.clone(),
                    hours_target,
                    sessions: sessions.clone(),
                    marks,
                    deliveries,
                    checks,
                    suggestions,
                    speeches,
                    transition: transition.clone(),
                },
            )
        },
    )
}

fn build(spec: &Spec) -> World {
    let (units, branches, members) = org(&spec.statuses);
    let settings = StudySettings {
        hours_target: spec.hours_target,
        ..StudySettings::default()
    };
    let n = spec.sessions.len();
    let sessions: Vec<StudySession> = spec
        .sessions
        .iter()
        .enumerate()
        .map(|(i, &(branch, k, tenths, on, missed))| {
            let mut s = StudySession::new(
                session_id(i, n),
                branch_id(branch),
                day(on),
                Hours::tenths(tenths).unwrap(),
                kind(k),
                "学习",
            )
            .unwrap();
            // A 补课 names another session, or none (then only its hours count).
            if s.kind == SessionKind::MakeUp && missed < n && missed != i {
                s.makes_up = Some(session_id(missed, n));
            }
            s
        })
        .collect();
    // Ids in no particular order (the salt leads), each unique (the index).
    let attendance = spec
        .marks
        .iter()
        .flat_map(|(s, m, taps)| taps.iter().map(move |&(st, salt)| (*s, *m, st, salt)))
        .enumerate()
        .map(|(i, (s, m, st, salt))| {
            let id = AttendanceId::from_u128((u128::from(salt) << 16) | i as u128);
            Attendance::new(id, session_id(s, n), member_id(m), attendance_status(st)).unwrap()
        })
        .collect();
    let deliveries = spec
        .deliveries
        .iter()
        .flat_map(|&(s, m, copies)| std::iter::repeat_n((s, m), copies))
        .enumerate()
        .map(|(i, (s, m))| {
            StudyDelivery::new(
                // Ids in no particular order.
                StudyDeliveryId::from_u128(20_000 + (i as u128 * 7_919) % 1_000),
                session_id(s, n),
                member_id(m),
                day(12),
                DeliveryMethod::Mailed,
                "",
            )
            .unwrap()
        })
        .collect();
    let checks = spec
        .checks
        .iter()
        .enumerate()
        .map(|(i, &(m, on, content, notes, reflection))| {
            StudyCheck::new(
                StudyCheckId::from_u128(30_000 + i as u128),
                member_id(m),
                day(on),
                Recorder::Member(member_id(0)),
                content,
                notes,
                (reflection > 0).then_some((reflection, day(on))),
            )
            .unwrap()
        })
        .collect();
    let suggestions = spec
        .suggestions
        .iter()
        .enumerate()
        .map(|(i, &(m, count))| {
            Suggestion::new(
                SuggestionId::from_u128(40_000 + i as u128),
                member_id(m),
                day(3),
                count,
                "建议",
            )
            .unwrap()
        })
        .collect();
    let speeches = spec
        .speeches
        .iter()
        .enumerate()
        .map(|(i, &(s, m))| {
            Speech::new(
                SpeechId::from_u128(50_000 + i as u128),
                session_id(s, n),
                member_id(m),
                "",
            )
            .unwrap()
        })
        .collect();

    let (review_specs, sign_specs, decision_specs) = &spec.transition;
    let reviews: Vec<TransitionReview> = review_specs
        .iter()
        .enumerate()
        .map(|(i, &(unit, on, met))| TransitionReview {
            id: TransitionReviewId::from_u128(60_000 + i as u128),
            unit: unit_id(unit),
            checklist: TransitionChecklist::DEFAULT_ID,
            inspector: InspectorId::from_u128(7),
            group: None,
            on: day(20 + on),
            results: met.iter().map(|&m| PointResult::new(m, "")).collect(),
            note: String::new(),
        })
        .collect();
    // A step may name a review not known (index past the reviews).
    let review_of = |r: usize| {
        reviews
            .get(r)
            .map_or(TransitionReviewId::from_u128(UNKNOWN), |x| x.id)
    };
    let sign_offs = sign_specs
        .iter()
        .enumerate()
        .map(|(i, &(r, on))| TransitionSignOff {
            id: SignOffId::from_u128(70_000 + i as u128),
            review: review_of(r),
            leader: InspectorId::from_u128(8),
            on: day(25 + on),
            note: String::new(),
        })
        .collect();
    let decisions = decision_specs
        .iter()
        .enumerate()
        .map(|(i, &(r, on, approved))| TransitionDecision {
            id: TransitionDecisionId::from_u128(80_000 + i as u128),
            review: review_of(r),
            decided_by: Recorder::Member(member_id(0)),
            on: day(30 + on),
            outcome: if approved {
                Outcome::Approved {}
            } else {
                Outcome::MakeUp {
                    points: vec![i as u16 % 3],
                }
            },
            note: String::new(),
        })
        .collect();

    World {
        units,
        branches,
        members,
        settings,
        sessions,
        attendance,
        deliveries,
        checks,
        suggestions,
        speeches,
        reviews,
        sign_offs,
        decisions,
    }
}

impl World {
    fn index(&self) -> StudyIndex {
        let directory = Directory::new(&self.units, &self.branches, &self.members, &[]);
        let facts = StudyFacts {
            sessions: &self.sessions,
            attendance: &self.attendance,
            deliveries: &self.deliveries,
            checks: &self.checks,
            suggestions: &self.suggestions,
            speeches: &self.speeches,
        };
        StudyIndex::new(&directory, &self.members, facts, &self.settings)
    }

    fn statuses(&self) -> Vec<TransitionStatus> {
        let units: Vec<UnitId> = (0..UNITS).map(unit_id).collect();
        transition_statuses(&units, &self.reviews, &self.sign_offs, &self.decisions)
    }

    /// Every list in another order (shuffled from `seed`), with some
    /// sessions and attendance facts synced twice.
    fn shuffled(&self, seed: u64, doubled: usize) -> World {
        let mut rng = Rng(seed);
        let mut w = self.clone();
        w.sessions
            .extend(self.sessions.iter().take(doubled).cloned());
        w.attendance
            .extend(self.attendance.iter().rev().take(doubled).cloned());
        rng.shuffle(&mut w.units);
        rng.shuffle(&mut w.branches);
        rng.shuffle(&mut w.members);
        rng.shuffle(&mut w.sessions);
        rng.shuffle(&mut w.attendance);
        rng.shuffle(&mut w.deliveries);
        rng.shuffle(&mut w.checks);
        rng.shuffle(&mut w.suggestions);
        rng.shuffle(&mut w.speeches);
        rng.shuffle(&mut w.reviews);
        rng.shuffle(&mut w.sign_offs);
        rng.shuffle(&mut w.decisions);
        w
    }
}

/// splitmix64: a shuffle reproducible from the case's seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fisher–Yates.
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

fn sum<'a>(figures: impl Iterator<Item = &'a StudyFigures>) -> StudyFigures {
    figures.fold(StudyFigures::default(), |a, &f| a + f)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The index, every figure and the 转段评估 stages are the same in
    /// any arrival order, with facts synced twice.
    #[test]
    fn study_does_not_depend_on_arrival_order(
        spec in spec(),
        seed in any::<u64>(),
        doubled in 0..4usize,
    ) {
        let w = build(&spec);
        let a = w.index();
        let again = w.shuffled(seed, 0);
        prop_assert_eq!(again.index().unplaced(), a.unplaced());
        let shuffled = w.shuffled(seed, doubled);
        let b = shuffled.index();
        prop_assert_eq!(a.members(), b.members());
        prop_assert_eq!(a.figures(&Scope::City), b.figures(&Scope::City));
        prop_assert_eq!(a.by_unit(), b.by_unit());
        prop_assert_eq!(a.by_branch(), b.by_branch());
        prop_assert_eq!(a.by_system(), b.by_system());
        prop_assert_eq!(a.two_ensures(&Scope::City), b.two_ensures(&Scope::City));
        prop_assert_eq!(a.two_ensures_by_unit(), b.two_ensures_by_unit());
        prop_assert_eq!(a.owing(&Scope::City), b.owing(&Scope::City));
        prop_assert_eq!(w.statuses(), shuffled.statuses());
        prop_assert_eq!(w.statuses(), again.statuses());
        // A decision counts only on a signed review.
        for s in w.statuses() {
            if s.sign_off.is_none() {
                prop_assert_eq!(s.decision, None);
                prop_assert!(matches!(
                    s.stage,
                    TransitionStage::NotReviewed | TransitionStage::AwaitingSignOff
                ));
            }
        }
    }

    /// Figures of disjoint scopes add up, and 两个确保 and who owes what
    /// partition over them.
    #[test]
    fn study_figures_add_up_over_disjoint_scopes(spec in spec()) {
        let w = build(&spec);
        let index = w.index();
        let city = index.figures(&Scope::City);
        let (by_unit, by_branch, by_system) = (index.by_unit(), index.by_branch(), index.by_system());
        prop_assert_eq!(city.members as usize, MEMBERS);
        prop_assert_eq!(city.sessions as usize, spec.sessions.len());
        prop_assert_eq!(city.expected + city.excused, city.members);
        prop_assert_eq!(sum(by_unit.values()), city);
        prop_assert_eq!(sum(by_branch.values()), city);
        prop_assert_eq!(sum(by_system.values()), city);
        let sum_by_id = city.hours;
        prop_assert_eq!(
            sum_by_id,
            index.members().iter().map(|m| u64::from(m.hours)).sum::<u64>()
        );
        for b in 0..BRANCHES {
            let got = by_branch.get(&branch_id(b)).copied().unwrap_or_default();
            prop_assert_eq!(index.figures(&Scope::Branch(branch_id(b))), got);
        }
        for u in 0..UNITS {
            let unit = unit_id(u);
            let want = by_unit.get(&unit).copied().unwrap_or_default();
            prop_assert_eq!(index.figures(&Scope::Unit(unit)), want);
            let branches = (0..BRANCHES).filter(|b| b / BRANCHES_PER_UNIT == u);
            prop_assert_eq!(sum(branches.filter_map(|b| by_branch.get(&branch_id(b)))), want);
        }
        for s in 0..SYSTEMS {
            let want = by_system.get(&system_id(s)).copied().unwrap_or_default();
            prop_assert_eq!(index.figures(&Scope::System(system_id(s))), want);
            let units = (0..UNITS).filter(|u| u % SYSTEMS == s);
            prop_assert_eq!(sum(units.filter_map(|u| by_unit.get(&unit_id(u)))), want);
        }

        // 两个确保: the city's lists are the units' lists put together,
        // each unit's its branches'; the lists match the counts.
        let two = index.two_ensures(&Scope::City);
        prop_assert_eq!(
            two.not_taking_part.len() as u32,
            city.expected - city.expected_took_part
        );
        prop_assert_eq!(two.below_hours.len() as u32, city.below_target());
        prop_assert_eq!(two.all_take_part, city.participation());
        prop_assert_eq!(two.all_hours, city.hours_reached());
        let two_by_unit = index.two_ensures_by_unit();
        let (mut missing, mut short) = (Vec::new(), Vec::new());
        for u in 0..UNITS {
            let unit = two_by_unit.get(&unit_id(u)).cloned().unwrap_or_default();
            prop_assert_eq!(&index.two_ensures(&Scope::Unit(unit_id(u))), &unit);
            let (mut b_missing, mut b_short) = (Vec::new(), Vec::new());
            for b in (0..BRANCHES).filter(|b| b / BRANCHES_PER_UNIT == u) {
                let t = index.two_ensures(&Scope::Branch(branch_id(b)));
                b_missing.extend(t.not_taking_part);
                b_short.extend(t.below_hours);
            }
            b_missing.sort();
            b_short.sort();
            prop_assert_eq!(&b_missing, &unit.not_taking_part);
            prop_assert_eq!(&b_short, &unit.below_hours);
            missing.extend(unit.not_taking_part);
            short.extend(unit.below_hours);
        }
        missing.sort();
        short.sort();
        prop_assert_eq!(missing, two.not_taking_part);
        prop_assert_eq!(short, two.below_hours);

        // Who owes what: the units' lists make the city's.
        let owing = index.owing(&Scope::City);
        prop_assert_eq!(owing.len() as u32, city.owing);
        let mut by_units: Vec<Owes> = (0..UNITS)
            .flat_map(|u| index.owing(&Scope::Unit(unit_id(u))))
            .collect();
        by_units.sort_by_key(|o| o.member);
        prop_assert_eq!(by_units, owing);
    }

    /// Hours and owed sessions against a plain model of the rules.
    #[test]
    fn hours_and_owed_sessions_follow_the_marks(spec in spec()) {
        let w = build(&spec);
        let index = w.index();
        let sessions: BTreeMap<StudySessionId, &StudySession> =
            w.sessions.iter().map(|s| (s.id, s)).collect();
        // The last mark (greatest id) per (session, member).
        let mut last: HashMap<(StudySessionId, MemberId), &Attendance> = HashMap::new();
        for a in &w.attendance {
            let slot = last.entry((a.session, a.member)).or_insert(a);
            if a.id > slot.id {
                *slot = a;
            }
        }
        let present = |s: StudySessionId, m: MemberId| {
            last.get(&(s, m))
                .is_some_and(|a| a.status == AttendanceStatus::Present)
        };
        prop_assert_eq!(index.members().len(), MEMBERS);
        for member in &w.members {
            let got = index.member(member.id).unwrap();
            let attended: Vec<&&StudySession> =
                sessions.values().filter(|s| present(s.id, member.id)).collect();
            let hours: u32 = attended.iter().map(|s| u32::from(s.hours.get())).sum();
            prop_assert_eq!(got.hours, hours);
            prop_assert_eq!(got.present as usize, attended.len());

            let expected = !w.settings.excused.contains(&member.status);
            let mut own: Vec<&&StudySession> = sessions
                .values()
                .filter(|s| s.branch == member.branch && s.kind != SessionKind::MakeUp)
                .collect();
            own.sort_by_key(|s| (s.on, s.id));
            let misses: Vec<Miss> = own
                .iter()
                .filter(|s| expected && !present(s.id, member.id))
                .map(|s| {
                    let reason = match last.get(&(s.id, member.id)).map(|a| a.status) {
                        Some(AttendanceStatus::Absent) => MissReason::Absent,
                        Some(AttendanceStatus::ExcusedLeave) => MissReason::Leave,
                        _ => MissReason::NotRecorded,
                    };
                    let by_session = sessions
                        .values()
                        .filter(|t| t.makes_up == Some(s.id) && present(t.id, member.id))
                        .map(|t| MadeUp::Session(t.id));
                    let by_delivery = w
                        .deliveries
                        .iter()
                        .filter(|d| d.session == s.id && d.member == member.id)
                        .map(|d| MadeUp::Delivery(d.id));
                    Miss {
                        session: s.id,
                        on: s.on,
                        hours: s.hours,
                        kind: s.kind,
                        reason,
                        made_up: by_session.chain(by_delivery).min(),
                    }
                })
                .collect();
            prop_assert_eq!(&got.misses, &misses);
            prop_assert_eq!(got.sessions_expected as usize, if expected { own.len() } else { 0 });

            // What is owed: exactly the misses not made up; hours short of
            // the target for members who have it.
            let owed: Vec<StudySessionId> = misses
                .iter()
                .filter(|m| m.made_up.is_none())
                .map(|m| m.session)
                .collect();
            let got_owed: Vec<StudySessionId> = got.owed().map(|m| m.session).collect();
            prop_assert_eq!(&got_owed, &owed);
            let owes = Owes::of(got, index.settings());
            prop_assert_eq!(&owes.sessions, &owed);
            let with_target = expected && !w.settings.hours_excused.contains(&member.status);
            let short = if with_target {
                u32::from(w.settings.hours_target).saturating_sub(hours)
            } else {
                0
            };
            prop_assert_eq!(owes.hours_short, short);
            prop_assert_eq!(got.hours_short(w.settings.hours_target), short);
            // What a rubric's 学习未达标 reads.
            prop_assert_eq!(
                index.study_short(member.id),
                short > 0 || !owed.is_empty()
            );
        }
    }
}
