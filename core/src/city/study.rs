//! The city's study stage: the closed week of 004 item 二.1 (5 days, 40
//! hours) in every branch, with everyone's 考勤 — about 3 % absent and
//! 2 % on leave — and one 补课 a branch for its absentees of the first
//! day. Members excused by status (abroad, frail) are not marked, as a
//! branch does not mark them.
//!
//! Why: the office's 两个确保 and the attendance screen must be fast with
//! the study facts of a whole city on the phone (~19,000 of them).

use time::{Date, Duration, Weekday};

use super::{Builder, Org};
use crate::error::DomainError;
use crate::ids::{AttendanceId, StudySessionId};
use crate::study::{Attendance, AttendanceStatus, Hours, SessionKind, StudySession, StudySettings};

/// The five days of the closed study: the weekdays of the week two weeks
/// before `today`'s.
fn study_days(today: Date) -> Vec<Date> {
    let monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()) + 14);
    (0..5).map(|i| monday + Duration::days(i)).collect()
}

pub(super) fn closed_study(b: &mut Builder, org: &Org, today: Date) -> Result<(), DomainError> {
    let settings = StudySettings::default();
    let days = study_days(today);
    let topics = [
        "学习党章",
        "学习《保持共产党员先进性教育读本》",
        "学习“三个代表”重要思想",
        "党课：新时期保持共产党员先进性的具体要求",
        "形势报告：加快发展的形势与任务",
    ];
    let kinds = [
        SessionKind::Collective,
        SessionKind::Collective,
        SessionKind::Collective,
        SessionKind::PartyLecture,
        SessionKind::SituationBriefing,
    ];
    let hours = Hours::whole(8)?;
    for unit in &org.units {
        for (k, branch) in unit.branches.iter().enumerate() {
            let members: Vec<_> = unit
                .members
                .iter()
                .enumerate()
                .filter(|(i, _)| i % unit.branches.len() == k)
                .map(|(_, m)| *m)
                .filter(|(_, status)| settings.expects(*status))
                .collect();
            let mut first: Option<StudySession> = None;
            let mut absent_first = Vec::new();
            for ((day, topic), kind) in days.iter().zip(topics).zip(kinds) {
                let id = StudySessionId::from_uuid(b.ids.next(30));
                let session = StudySession::new(id, *branch, *day, hours, kind, topic)?;
                b.push(*id.as_uuid(), session.clone());
                for (member, _) in &members {
                    let status = match b.rng.below(100) {
                        0..=2 => AttendanceStatus::Absent,
                        3..=4 => AttendanceStatus::ExcusedLeave,
                        _ => AttendanceStatus::Present,
                    };
                    if first.is_none() && status != AttendanceStatus::Present {
                        absent_first.push(*member);
                    }
                    let a = AttendanceId::from_uuid(b.ids.next(31));
                    b.push(*a.as_uuid(), Attendance::new(a, id, *member, status)?);
                }
                first.get_or_insert(session);
            }
            if let (Some(missed), false) = (first, absent_first.is_empty()) {
                let id = StudySessionId::from_uuid(b.ids.next(30));
                let day = days[4] + Duration::days(3);
                let day = if day.weekday() == Weekday::Sunday {
                    day + Duration::days(1)
                } else {
                    day
                };
                b.push(
                    *id.as_uuid(),
                    StudySession::make_up(id, *branch, day, hours, &missed, None)?,
                );
                for member in absent_first {
                    let a = AttendanceId::from_uuid(b.ids.next(31));
                    b.push(
                        *a.as_uuid(),
                        Attendance::new(a, id, member, AttendanceStatus::Present)?,
                    );
                }
            }
        }
    }
    Ok(())
}
