//! The study rules at the city's scale (004: 3,679 members in 107 units of
//! 10 systems): 20 sessions per branch and an attendance fact for every
//! member at each (73,580), indexed once and added up for every unit.
//! The test asserts the figures against a direct count; it prints the time
//! (`cargo test --release -p xianfeng-core study::scale -- --nocapture`).

use std::time::Instant;

use time::macros::date;

use super::*;
use crate::directory::Directory;
use crate::ids::*;
use crate::org::{Branch, Member, MemberStatus, PostType, Unit};
use crate::scope::Scope;

const SYSTEMS: u128 = 10;
const UNITS: u128 = 107;
const BRANCHES_PER_UNIT: u128 = 3;
const MEMBERS: u128 = 3_679;
const SESSIONS: u128 = 20;
/// Every session is 2 h: 20 sessions make the 40 h target exactly.
const TENTHS: u16 = 20;

fn status(i: u128) -> MemberStatus {
    match i % 50 {
        0 | 1 => MemberStatus::Abroad,
        2 => MemberStatus::Frail,
        3 | 4 => MemberStatus::Floating,
        _ => MemberStatus::InPost,
    }
}

/// Member `i` misses session `k` of their branch.
fn absent(i: u128, k: u128) -> bool {
    (i + k).is_multiple_of(37)
}

#[test]
fn a_city_of_3679_members_and_73580_attendance_facts() {
    let units: Vec<Unit> = (0..UNITS)
        .map(|u| {
            Unit::new(
                UnitId::from_u128(1_000 + u),
                SystemId::from_u128(u % SYSTEMS),
                "局",
            )
            .unwrap()
        })
        .collect();
    let branches: Vec<Branch> = (0..UNITS * BRANCHES_PER_UNIT)
        .map(|b| {
            let unit = UnitId::from_u128(1_000 + b / BRANCHES_PER_UNIT);
            Branch::new(BranchId::from_u128(10_000 + b), unit, "支部").unwrap()
        })
        .collect();
    let branch_of = |i: u128| branches[(i % branches.len() as u128) as usize].id;
    let members: Vec<Member> = (0..MEMBERS)
        .map(|i| {
            let id = MemberId::from_u128(100_000 + i);
            Member::new(id, "党员", branch_of(i), PostType::Other, status(i)).unwrap()
        })
        .collect();
    let session_id = |b: BranchId, k: u128| StudySessionId::from_u128(b.as_u128() * 100 + k);
    let mut sessions = Vec::new();
    for b in &branches {
        for k in 0..SESSIONS {
            let kind = if k % 5 == 4 {
                SessionKind::Discussion
            } else {
                SessionKind::Collective
            };
            let on = date!(2005 - 02 - 21) + time::Duration::days((k / 4) as i64);
            let hours = Hours::tenths(TENTHS).unwrap();
            let s = StudySession::new(session_id(b.id, k), b.id, on, hours, kind, "学习");
            sessions.push(s.unwrap());
        }
    }
    let mut attendance = Vec::with_capacity((MEMBERS * SESSIONS) as usize);
    let mut deliveries = Vec::new();
    let mut next = 1u128 << 64;
    for (i, m) in (0..).zip(&members) {
        for k in 0..SESSIONS {
            next += 1;
            let s = session_id(m.branch, k);
            let st = if absent(i, k) {
                AttendanceStatus::Absent
            } else {
                AttendanceStatus::Present
            };
            attendance.push(Attendance::new(AttendanceId::from_u128(next), s, m.id, st).unwrap());
            if st == AttendanceStatus::Absent && m.status == MemberStatus::Floating {
                let on = date!(2005 - 03 - 01);
                let d = StudyDelivery::new(
                    StudyDeliveryId::from_u128(next),
                    s,
                    m.id,
                    on,
                    DeliveryMethod::Mailed,
                    "",
                );
                deliveries.push(d.unwrap());
            }
        }
    }
    assert_eq!(attendance.len(), 73_580);

    let start = Instant::now();
    let directory = Directory::new(&units, &branches, &members, &[]);
    let facts = StudyFacts {
        sessions: &sessions,
        attendance: &attendance,
        deliveries: &deliveries,
        ..StudyFacts::default()
    };
    let index = StudyIndex::new(&directory, &members, facts, &StudySettings::default());
    let indexed = start.elapsed();
    let by_unit = index.by_unit();
    let ensures = index.two_ensures_by_unit();
    let unit_ids: Vec<UnitId> = units.iter().map(|u| u.id).collect();
    let statuses = transition_statuses(&unit_ids, &[], &[], &[]);
    let city = index.figures(&Scope::City);
    let total = start.elapsed();
    println!(
        "study at city scale: index {:.1} ms, every unit's figures, 两个确保 and 转段 status {:.1} ms in all",
        indexed.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );

    // The direct count.
    let (mut with_target, mut reached, mut owed, mut hours, mut expected) = (0, 0, 0, 0u64, 0);
    for i in 0..MEMBERS {
        let misses = (0..SESSIONS).filter(|&k| absent(i, k)).count() as u32;
        hours += u64::from((SESSIONS as u32 - misses) * u32::from(TENTHS));
        match status(i) {
            MemberStatus::InPost => {
                expected += 1;
                with_target += 1;
                reached += u32::from(misses == 0);
                owed += misses;
            }
            MemberStatus::Floating => expected += 1,
            _ => {}
        }
    }
    assert_eq!(city.members, 3_679);
    assert_eq!(city.expected, expected);
    assert_eq!(city.took_part, 3_679);
    assert_eq!(city.expected_took_part, expected);
    assert_eq!(
        (city.with_target, city.reached_target),
        (with_target, reached)
    );
    assert_eq!(city.hours, hours);
    assert_eq!(city.sessions_owed, owed);
    assert_eq!(city.sessions, (UNITS * BRANCHES_PER_UNIT * SESSIONS) as u32);
    assert_eq!(index.unplaced(), 0);
    assert_eq!(by_unit.len(), 107);
    assert_eq!(
        by_unit
            .values()
            .fold(StudyFigures::default(), |a, &f| a + f),
        city
    );
    let behind: usize = ensures.values().map(|t| t.below_hours.len()).sum();
    assert_eq!(behind as u32, with_target - reached);
    assert!(statuses
        .iter()
        .all(|s| s.stage == TransitionStage::NotReviewed));
}
