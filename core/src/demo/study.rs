//! The demo city's study stage (学习动员阶段), so a newcomer sees it alive:
//! the office's settings and 转段评估 checklist, three branches' closed
//! study of 004 (5 days, 40 hours: 集中学习, a 党课 and a 专题讨论 with
//! speeches) with attendance for every member, a few 缺席 and 请假, one
//! absence made up by a 补课 and one by 送学上门, one 党课 still owed;
//! 三个完成 checks and suggestions; and a half-finished 转段评估: one unit
//! signed off and awaiting the office, one reviewed and awaiting the
//! group leader's signature (the demo inspector's to sign), one approved.
//!
//! Built like the rest of the city: core's constructors only, fixed ids,
//! every date counted from `start` (so pure in `today`, and in the past).

use time::{Date, Duration};

use super::Builder;
use crate::error::DomainError;
use crate::ids::*;
use crate::org::Inspector;
use crate::study::{
    Attendance, AttendanceStatus, DeliveryMethod, Hours, PointResult, Recorder, SessionKind,
    Speech, StudyCheck, StudyDelivery, StudySession, StudySettings, Suggestion,
    TransitionChecklist, TransitionDecision, TransitionReview, TransitionSignOff,
};

/// What the study stage hangs on in the rest of the demo city.
pub(super) struct Org<'a> {
    /// The first day of the closed study (three weeks' Mondays back).
    pub start: Date,
    /// Each unit with its branch and that branch's members, in order.
    pub branches: &'a [(UnitId, BranchId, Vec<MemberId>)],
    /// Each system's inspection group, in order.
    pub groups: &'a [GroupId],
    /// The demo inspector (of the first group, whose units are 0 and 1).
    pub inspector: InspectorId,
}

/// The closed study, the same in each branch: (day, kind, tenths, topic).
/// The 专题讨论's topic is the office's (by number, see [`DISCUSSION`]).
const PLAN: [(i64, SessionKind, u16, &str); 6] = [
    (
        0,
        SessionKind::Collective,
        80,
        "学习党章和《保持共产党员先进性教育读本》",
    ),
    (1, SessionKind::Collective, 80, "学习“三个代表”重要思想"),
    (2, SessionKind::Collective, 80, "学习党的优良传统和作风"),
    (
        3,
        SessionKind::PartyLecture,
        40,
        "保持共产党员先进性，坚持立党为公、执政为民",
    ),
    (3, SessionKind::Discussion, 40, ""),
    (
        4,
        SessionKind::Collective,
        80,
        "对照先进性要求，查找自身差距",
    ),
];

/// The discussion topic each studying branch takes (office's list, from 0).
const DISCUSSION: [u16; 3] = [4, 2, 3];

/// Who was not there: (branch, session in [`PLAN`], member, status).
/// Branch 0's 缺席 on day 0 is made up by a 补课, branch 1's by 送学上门;
/// the two 请假 are still owed.
const MISSES: [(usize, usize, usize, AttendanceStatus); 4] = [
    (0, 0, 3, AttendanceStatus::Absent),
    (0, 3, 2, AttendanceStatus::ExcusedLeave),
    (1, 1, 1, AttendanceStatus::Absent),
    (1, 5, 2, AttendanceStatus::ExcusedLeave),
];

const SUGGESTIONS: [&str; 4] = [
    "简化群众办事流程，推行一次性告知",
    "支部活动安排在业余时间，不影响窗口服务",
    "建立党员联系困难群众台账",
    "学习资料印发到每个科室",
];

/// The stage's records, appended to `b` (after the org, in dependency order).
pub(super) fn study_stage(b: &mut Builder, org: &Org<'_>) -> Result<(), DomainError> {
    let start = org.start;
    let day = |n: i64| start + Duration::days(n);

    // The office published the documents' targets and checklist before
    // the study began (a version of its own, with a demo id).
    let settings_id = StudySettingsId::from_uuid(b.ids.next(19));
    let settings = StudySettings::default().new_version(settings_id, day(-3), &[])?;
    b.push(*settings_id.as_uuid(), settings.clone());
    let checklist_id = ChecklistId::from_uuid(b.ids.next(20));
    let checklist = TransitionChecklist::default().new_version(checklist_id, day(-3), &[])?;
    b.push(*checklist_id.as_uuid(), checklist.clone());

    // Three branches study: 市教育局, 市第一中学 (the demo inspector's
    // units) and 市卫生局.
    for (n, (_, branch, members)) in org.branches.iter().take(3).enumerate() {
        let mut held = Vec::new();
        for (s, &(d, kind, tenths, topic)) in PLAN.iter().enumerate() {
            let id = StudySessionId::from_uuid(b.ids.next(22));
            let hours = Hours::tenths(tenths)?;
            let session = if kind == SessionKind::Discussion {
                StudySession::discussion(id, *branch, day(d), hours, DISCUSSION[n], &settings)?
            } else {
                StudySession::new(id, *branch, day(d), hours, kind, topic)?
            };
            b.push(*id.as_uuid(), session.clone());
            for (m, &member) in members.iter().enumerate() {
                let status = MISSES
                    .iter()
                    .find(|&&(mb, ms, mm, _)| (mb, ms, mm) == (n, s, m))
                    .map_or(AttendanceStatus::Present, |miss| miss.3);
                let a = AttendanceId::from_uuid(b.ids.next(23));
                b.push(*a.as_uuid(), Attendance::new(a, id, member, status)?);
            }
            if kind == SessionKind::Discussion {
                // Everyone spoke in 市卫生局; one member in each other branch did not.
                let speakers = if n == 2 { members.len() } else { 3 };
                for &member in members.iter().take(speakers) {
                    let sp = SpeechId::from_uuid(b.ids.next(25));
                    b.push(*sp.as_uuid(), Speech::new(sp, id, member, "")?);
                }
            }
            held.push(session);
        }
        // Making up branch 0's and branch 1's absences.
        if n == 0 {
            let id = StudySessionId::from_uuid(b.ids.next(22));
            let make_up =
                StudySession::make_up(id, *branch, day(7), Hours::whole(8)?, &held[0], None)?;
            b.push(*id.as_uuid(), make_up);
            let a = AttendanceId::from_uuid(b.ids.next(23));
            let present = AttendanceStatus::Present;
            b.push(*a.as_uuid(), Attendance::new(a, id, members[3], present)?);
        }
        if n == 1 {
            let id = StudyDeliveryId::from_uuid(b.ids.next(24));
            let delivery = StudyDelivery::new(
                id,
                held[1].id,
                members[1],
                day(8),
                DeliveryMethod::HomeVisit,
                "支委上门送去学习材料，交流学习体会",
            )?;
            b.push(*id.as_uuid(), delivery);
        }
        study_checks(b, n, members, day(9))?;
    }

    transition(b, org, &checklist)
}

/// The branch's 三个完成 as its secretary (the first member) checked them
/// on `on`, and its suggestions: 市卫生局 complete, the others partly.
fn study_checks(
    b: &mut Builder,
    n: usize,
    members: &[MemberId],
    on: Date,
) -> Result<(), DomainError> {
    let checker = Recorder::Member(members[0]);
    for (m, &member) in members.iter().enumerate() {
        let m16 = m as u32;
        // (content done, note characters, reflection characters)
        let (content, notes, reflection) = match (n, m) {
            (1, 3) => continue, // not checked yet
            (0, 2) => (true, 6_500, 0),
            (0, 3) => (false, 4_000, 0),
            _ => (true, 10_200 + 600 * m16, 3_100 + 250 * m16),
        };
        let reflection = (reflection > 0).then(|| (reflection, on - Duration::days(1)));
        let id = StudyCheckId::from_uuid(b.ids.next(26));
        b.push(
            *id.as_uuid(),
            StudyCheck::new(id, member, on, checker, content, notes, reflection)?,
        );
        let suggests = match n {
            2 => true,
            0 => m < 2,
            _ => m == 0,
        };
        if suggests {
            let id = SuggestionId::from_uuid(b.ids.next(27));
            let count = if n == 1 { 2 } else { 1 };
            let summary = SUGGESTIONS[(n + m) % SUGGESTIONS.len()];
            b.push(
                *id.as_uuid(),
                Suggestion::new(id, member, on, count, summary)?,
            );
        }
    }
    Ok(())
}

/// The half-finished 转段评估: 市教育局 reviewed and signed, awaiting the
/// office; 市第一中学 reviewed, awaiting the signature; 市卫生局 approved.
fn transition(
    b: &mut Builder,
    org: &Org<'_>,
    checklist: &TransitionChecklist,
) -> Result<(), DomainError> {
    let day = |n: i64| org.start + Duration::days(n);
    // The second group's leader, and the office's reviewer (no group).
    let leader = InspectorId::from_uuid(b.ids.next(21));
    b.push(
        *leader.as_uuid(),
        Inspector::new(leader, "第二督导组组长", Some(org.groups[1]))?,
    );
    let office = InspectorId::from_uuid(b.ids.next(21));
    b.push(
        *office.as_uuid(),
        Inspector::new(office, "先教办审核员", None)?,
    );

    let unit = |u: usize| org.branches[u].0;
    let results = |unmet: &[(usize, &str)]| -> Vec<PointResult> {
        (0..checklist.points.len())
            .map(|p| match unmet.iter().find(|(at, _)| *at == p) {
                Some((_, why)) => PointResult::new(false, *why),
                None => PointResult::new(true, ""),
            })
            .collect()
    };
    let first_group = Some(org.groups[0]);
    let reviews = [
        (
            unit(0),
            org.inspector,
            first_group,
            day(10),
            results(&[(4, "1名党员请假缺党课4小时，尚未补课")]),
        ),
        (
            unit(1),
            org.inspector,
            first_group,
            day(11),
            results(&[
                (4, "2名党员学时不足40小时"),
                (9, "1名党员的心得体会尚未检查"),
            ]),
        ),
        (unit(2), leader, Some(org.groups[1]), day(9), results(&[])),
    ];
    let mut made = Vec::new();
    for (unit, inspector, group, on, results) in reviews {
        let id = TransitionReviewId::from_uuid(b.ids.next(28));
        let review = TransitionReview::new(id, unit, checklist, inspector, group, on, results, "")?;
        b.push(*id.as_uuid(), review.clone());
        made.push(review);
    }
    // 签字把关 for 市教育局 (by the demo inspector) and 市卫生局.
    for (review, leader, on, note) in [
        (&made[0], org.inspector, day(11), "同意转段，督促补齐党课"),
        (&made[2], leader, day(9), "各环节落实到位，同意转段"),
    ] {
        let id = SignOffId::from_uuid(b.ids.next(29));
        b.push(
            *id.as_uuid(),
            TransitionSignOff::new(id, review, leader, on, note)?,
        );
    }
    let id = TransitionDecisionId::from_uuid(b.ids.next(30));
    let approved =
        TransitionDecision::approve(id, &made[2], Recorder::Inspector(office), day(10), "")?;
    b.push(*id.as_uuid(), approved);
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;

    use super::super::{demo_city, DemoCity};
    use crate::directory::Directory;
    use crate::ids::UnitId;
    use crate::schema::RecordKind;
    use crate::study::*;

    fn parse<T: DeserializeOwned>(city: &DemoCity, kind: RecordKind) -> Vec<T> {
        city.records
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| serde_json::from_value(r.value.clone()).unwrap())
            .collect()
    }

    #[test]
    fn the_study_stage_indexes_whole_and_the_transition_is_half_done() {
        let today = time::macros::date!(2026 - 11 - 21);
        let city = demo_city(today).unwrap();
        let units: Vec<crate::org::Unit> = parse(&city, RecordKind::Unit);
        let members: Vec<crate::org::Member> = parse(&city, RecordKind::Member);
        let directory = Directory::new(
            &units,
            &parse(&city, RecordKind::Branch),
            &members,
            &parse(&city, RecordKind::InspectionGroup),
        );
        let sessions: Vec<StudySession> = parse(&city, RecordKind::StudySession);
        let settings: Vec<StudySettings> = parse(&city, RecordKind::StudySettings);
        let checklists: Vec<TransitionChecklist> = parse(&city, RecordKind::TransitionChecklist);
        assert_eq!((settings.len(), checklists.len()), (1, 1));
        assert_eq!(TransitionChecklist::newest(&checklists).points.len(), 20);
        assert!(sessions.iter().all(|s| s.on < today));
        for kind in SessionKind::ALL {
            let held = sessions.iter().any(|s| s.kind == *kind);
            let planned = [
                SessionKind::Collective,
                SessionKind::PartyLecture,
                SessionKind::Discussion,
                SessionKind::MakeUp,
            ];
            assert_eq!(held, planned.contains(kind), "{kind:?}");
        }

        let index = StudyIndex::new(
            &directory,
            &members,
            StudyFacts {
                sessions: &sessions,
                attendance: &parse(&city, RecordKind::Attendance),
                deliveries: &parse(&city, RecordKind::StudyDelivery),
                checks: &parse(&city, RecordKind::StudyCheck),
                suggestions: &parse(&city, RecordKind::Suggestion),
                speeches: &parse(&city, RecordKind::Speech),
            },
            StudySettings::newest(&settings),
        );
        assert_eq!(index.unplaced(), 0);
        let studied: Vec<&MemberStudy> = index
            .members()
            .iter()
            .filter(|m| m.sessions_expected > 0)
            .collect();
        assert_eq!(studied.len(), 12, "every member of three branches");
        let made_up = |by: fn(&MadeUp) -> bool| {
            studied
                .iter()
                .flat_map(|m| &m.misses)
                .filter(|miss| miss.made_up.as_ref().is_some_and(by))
                .count()
        };
        assert_eq!(made_up(|m| matches!(m, MadeUp::Session(_))), 1, "补课");
        assert_eq!(made_up(|m| matches!(m, MadeUp::Delivery(_))), 1, "送学上门");
        let owed: usize = studied.iter().map(|m| m.owed().count()).sum();
        assert_eq!(owed, 2, "two 请假 not made up");
        assert!(studied.iter().all(|m| m.took_part()));
        assert_eq!(studied.iter().filter(|m| m.hours >= 400).count(), 9);
        assert!(studied.iter().any(|m| m.speeches > 0));
        assert!(studied.iter().any(|m| m.suggestions == 0));
        assert!(studied.iter().any(|m| m.completion.check.is_none()));

        let unit_ids: Vec<UnitId> = units.iter().map(|u| u.id).collect();
        let statuses = transition_statuses(
            &unit_ids,
            &parse(&city, RecordKind::TransitionReview),
            &parse(&city, RecordKind::TransitionSignOff),
            &parse(&city, RecordKind::TransitionDecision),
        );
        let stages: Vec<TransitionStage> = statuses.iter().map(|s| s.stage).collect();
        use TransitionStage::*;
        assert_eq!(
            stages,
            [
                AwaitingApproval,
                AwaitingSignOff,
                Transitioned,
                NotReviewed,
                NotReviewed,
                NotReviewed
            ]
        );
        assert_eq!(statuses[0].unmet, [4]);
    }
}
