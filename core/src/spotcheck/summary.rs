//! One spot check as the inspector sees it: who was marked and how, and
//! the summary shown when the check is finished (checked, wearing rate,
//! misses, new warnings).
//!
//! Why here: the phone shows it at the unit's door and the office reads
//! the same figures; "who counts once", "which miss is which step" are the
//! ladder's and tally's rules (`canon`, `ladder`), so this is computed from
//! them, never counted by the screen.
//!
//! Decisions (tested):
//! - a member marked twice in one check counts once, as everywhere: the
//!   smallest observation id decides (`marks` lists only the deciding one);
//! - "new warnings" are the ladder steps 作出警告 triggered by this check's
//!   misses, counted over the whole campaign (a member's third miss overall
//!   is a warning even if it is the first one in this unit's checks);
//! - a check that is not among `checks` has no summary (`None`).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DomainError;
use crate::ids::{CheckId, MemberId, ObservationId};

use super::canon::{Canon, Seen};
use super::ladder::{self, Step};
use super::tally::{Rate, StepCounts};
use super::{Observation, Outcome, SpotCheck};

/// The deciding mark of one member in a check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub member: MemberId,
    pub observation: ObservationId,
    pub outcome: Outcome,
    /// The ladder step this mark triggered (misses only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<Step>,
    /// Which miss of the member's campaign this is (misses only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<u32>,
}

/// What one check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSummary {
    pub check: CheckId,
    /// One per member marked, in the order recorded (observation id).
    pub marks: Vec<Mark>,
    pub wearing: u32,
    pub misses: u32,
    pub excused: u32,
    pub absent: u32,
    /// Ladder steps triggered by this check's misses.
    pub steps: StepCounts,
}

impl CheckSummary {
    /// Members marked (any outcome): the 已查 of 已查 n/N.
    pub fn marked(&self) -> u32 {
        self.marks.len() as u32
    }

    /// Members seen at their post (wearing or not).
    pub fn seen(&self) -> u32 {
        self.wearing + self.misses
    }

    /// `wearing / (wearing + misses)`; `None` when nobody was seen.
    pub fn wearing_rate(&self) -> Option<Rate> {
        Rate::new(self.wearing, self.seen())
    }

    /// Warnings (作出警告 + 通报) this check gave.
    pub fn new_warnings(&self) -> u32 {
        self.steps.warn
    }

    /// The deciding mark of `member`, if marked.
    pub fn mark_of(&self, member: MemberId) -> Option<&Mark> {
        self.marks.iter().find(|m| m.member == member)
    }
}

/// The summary of check `check` over the facts (in any order); the ladder
/// is counted over every check given, so pass the whole campaign.
pub fn check_summary(
    check: CheckId,
    checks: &[SpotCheck],
    observations: &[Observation],
) -> Option<CheckSummary> {
    let canon = Canon::build(checks, observations);
    let c = canon.checks.iter().position(|k| k.id == check)?;
    let (ladder, hits) = ladder::from_canon(&canon);
    let mut summary = CheckSummary {
        check,
        marks: Vec::new(),
        wearing: 0,
        misses: 0,
        excused: 0,
        absent: 0,
        steps: StepCounts::default(),
    };
    for fact in canon.of_check(c) {
        let obs = canon.observation(fact);
        let mut mark = Mark {
            member: obs.member,
            observation: obs.id,
            outcome: obs.outcome.clone(),
            step: None,
            nth: None,
        };
        match fact.seen() {
            Seen::Wearing => summary.wearing += 1,
            Seen::Excused => summary.excused += 1,
            Seen::Absent => summary.absent += 1,
            Seen::Miss => {
                summary.misses += 1;
                let entry = ladder
                    .member(obs.member)
                    .and_then(|l| l.entries.iter().find(|e| e.observation == obs.id));
                if let Some(e) = entry {
                    mark.step = Some(e.step);
                    mark.nth = Some(e.nth);
                }
            }
        }
        summary.marks.push(mark);
    }
    for hit in hits.iter().filter(|h| h.check as usize == c) {
        match hit.step {
            Step::PointOut => summary.steps.point_out += 1,
            Step::Criticise => summary.steps.criticise += 1,
            Step::Warn => summary.steps.warn += 1,
        }
    }
    summary.marks.sort_unstable_by_key(|m| m.observation);
    Some(summary)
}

/// An instant from the phone's clock: milliseconds since the epoch and the
/// local offset east of UTC in minutes (JS `-getTimezoneOffset()`). The
/// local date it gives decides the ISO week, as for every check.
pub fn local_instant(unix_ms: i64, offset_minutes: i32) -> Result<OffsetDateTime, DomainError> {
    let invalid = || DomainError::InvalidDate {
        field: "at",
        value: unix_ms.to_string(),
    };
    let offset = time::UtcOffset::from_whole_seconds(offset_minutes.saturating_mul(60))
        .map_err(|_| invalid())?;
    let utc = OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .map_err(|_| invalid())?;
    let at = utc.to_offset(offset);
    crate::calendar::check_date("at", at.date())?;
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spotcheck::fixtures::*;

    #[test]
    fn summary_table() {
        let city = TinyCity::new();
        let u0 = city.units[0];
        let m = &city.members;
        let c1 = city.check(1, u0, day(7), None);
        let c2 = city.check(2, u0, day(8), None);
        let c3 = city.check(3, u0, day(9), None);
        let excused = Outcome::Excused {
            reason: "外出开会".into(),
        };
        let obs = vec![
            // m0 misses in every check: 指出, 批评, then a warning at c3.
            observation(10, &c1, m[0], Outcome::NotWearing),
            observation(20, &c2, m[0], Outcome::NotWearing),
            observation(30, &c3, m[0], Outcome::NotWearing),
            observation(31, &c3, m[1], Outcome::Wearing),
            observation(32, &c3, m[2], excused.clone()),
            observation(33, &c3, m[3], Outcome::Absent),
            // m1 marked twice in c3: the first (31, wearing) decides.
            observation(34, &c3, m[1], Outcome::NotWearing),
            // m4 (another unit) misses for the first time at c3.
            observation(35, &c3, m[4], Outcome::NotWearing),
        ];
        let checks = [c3.clone(), c1.clone(), c2.clone()];
        let s = check_summary(c3.id, &checks, &obs).unwrap();
        assert_eq!(
            (s.marked(), s.wearing, s.misses, s.excused, s.absent),
            (5, 1, 2, 1, 1)
        );
        assert_eq!(s.seen(), 3);
        assert_eq!(s.wearing_rate().unwrap(), Rate::new(1, 3).unwrap());
        assert_eq!(s.new_warnings(), 1);
        assert_eq!(
            s.steps,
            StepCounts {
                point_out: 1,
                criticise: 0,
                warn: 1
            }
        );
        let got: Vec<(MemberId, u128, Option<Step>, Option<u32>)> = s
            .marks
            .iter()
            .map(|k| (k.member, k.observation.as_u128(), k.step, k.nth))
            .collect();
        assert_eq!(
            got,
            vec![
                (m[0], 30, Some(Step::Warn), Some(3)),
                (m[1], 31, None, None),
                (m[2], 32, None, None),
                (m[3], 33, None, None),
                (m[4], 35, Some(Step::PointOut), Some(1)),
            ]
        );
        assert_eq!(s.mark_of(m[2]).unwrap().outcome, excused);

        let first = check_summary(c1.id, &checks, &obs).unwrap();
        assert_eq!(first.mark_of(m[0]).unwrap().step, Some(Step::PointOut));
        let second = check_summary(c2.id, &checks, &obs).unwrap();
        assert_eq!(second.mark_of(m[0]).unwrap().step, Some(Step::Criticise));
        assert_eq!(second.new_warnings(), 0);

        // Unknown check: no summary. Empty check: zeros, no rate.
        assert!(check_summary(CheckId::from_u128(99), &checks, &obs).is_none());
        let c4 = city.check(4, u0, day(10), None);
        let empty = check_summary(c4.id, std::slice::from_ref(&c4), &[]).unwrap();
        assert_eq!((empty.marked(), empty.wearing_rate()), (0, None));
    }

    #[test]
    fn local_instant_table() {
        // 2005-03-14 01:30 UTC.
        let ms = 1_110_763_800_000;
        let cases = [
            (480, Some((2005, 3, 14, 9))),
            (0, Some((2005, 3, 14, 1))),
            (-300, Some((2005, 3, 13, 20))),
        ];
        for (offset, want) in cases {
            let got = local_instant(ms, offset)
                .ok()
                .map(|t| (t.year(), t.month() as u8, t.day(), t.hour()));
            assert_eq!(got, want, "{offset}");
        }
        assert_eq!(
            local_instant(ms, 480).unwrap().unix_timestamp(),
            1_110_763_800
        );
        assert_eq!(
            local_instant(ms, 100_000).unwrap_err().code(),
            "invalid_date"
        );
        assert_eq!(
            local_instant(8_000_000_000_000, 480).unwrap_err().code(),
            "invalid_date",
            "a clock in the 23rd century is refused"
        );
    }
}
