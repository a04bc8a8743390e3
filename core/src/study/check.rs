//! 三个完成: what a branch checked of a member's study.
//!
//! Why: 004 "市委对广大党员的学习提出了明确要求，即要做到'三个完成'：完成
//! 规定的学习内容；完成1万字的学习笔记；完成1篇3000字以上的学习心得体会";
//! 002 has the branch check every member's notebook (读书笔记本). The cadre
//! records what was checked, never the text itself: a [`StudyCheck`] holds
//! the state of all three at the day of the check, so a later check of the
//! same member supersedes the earlier one (by date, then id). The
//! [`Completion`] compares the latest check with the office's targets.

use serde::{Deserialize, Serialize};
use time::Date;

use super::settings::StudySettings;
use super::Recorder;
use crate::calendar::{check_date, iso_date};
use crate::error::DomainError;
use crate::ids::{MemberId, StudyCheckId};
use crate::schema::{Record, RecordKind};

/// The largest character count recorded (a generous bound on a notebook).
pub const CHARS_MAX: u32 = 1_000_000;

/// A branch's check of one member's 三个完成, as it stood on `on`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyCheck {
    pub id: StudyCheckId,
    pub member: MemberId,
    /// The day of the check.
    #[serde(with = "iso_date")]
    pub on: Date,
    /// Who checked (a branch cadre, or an inspector).
    pub checker: Recorder,
    /// 完成规定的学习内容.
    pub content_done: bool,
    /// 学习笔记: characters counted (target 10,000).
    pub notes_chars: u32,
    /// 学习心得体会: characters counted (target 3,000); 0 = none yet.
    pub reflection_chars: u32,
    /// The day the reflection was written; required with a reflection.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "iso_date::option"
    )]
    pub reflection_on: Option<Date>,
}

impl StudyCheck {
    /// A check; `reflection` is the reflection's length and date, if any.
    pub fn new(
        id: StudyCheckId,
        member: MemberId,
        on: Date,
        checker: Recorder,
        content_done: bool,
        notes_chars: u32,
        reflection: Option<(u32, Date)>,
    ) -> Result<Self, DomainError> {
        let check = Self {
            id,
            member,
            on,
            checker,
            content_done,
            notes_chars,
            reflection_chars: reflection.map_or(0, |(chars, _)| chars),
            reflection_on: reflection.map(|(_, on)| on),
        };
        check.validate()?;
        Ok(check)
    }

    /// Whether this check supersedes `other` (same member): later day,
    /// then greater id.
    pub fn supersedes(&self, other: &StudyCheck) -> bool {
        (self.on, self.id) > (other.on, other.id)
    }
}

fn chars(field: &'static str, value: u32) -> Result<(), DomainError> {
    if value > CHARS_MAX {
        Err(DomainError::OutOfRange {
            field,
            value: i64::from(value),
            min: 0,
            max: i64::from(CHARS_MAX),
        })
    } else {
        Ok(())
    }
}

impl Record for StudyCheck {
    const KIND: RecordKind = RecordKind::StudyCheck;
    /// A reflection has a length and a date, or neither.
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        chars("notes_chars", self.notes_chars)?;
        chars("reflection_chars", self.reflection_chars)?;
        match (self.reflection_chars, self.reflection_on) {
            (0, Some(_)) => Err(DomainError::NotApplicable {
                field: "reflection_on",
            }),
            (1.., None) => Err(DomainError::EmptyText {
                field: "reflection_on",
            }),
            (_, Some(on)) => check_date("reflection_on", on),
            (0, None) => Ok(()),
        }
    }
}

/// A member's 三个完成 against the targets, from their latest check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// The latest check, if any.
    pub check: Option<StudyCheckId>,
    pub content: bool,
    pub notes: bool,
    pub reflection: bool,
    pub notes_chars: u32,
    pub reflection_chars: u32,
}

impl Completion {
    /// The completion a check shows (`None`: not checked yet).
    pub fn of(check: Option<&StudyCheck>, settings: &StudySettings) -> Completion {
        match check {
            None => Completion::default(),
            Some(c) => Completion {
                check: Some(c.id),
                content: c.content_done,
                notes: c.notes_chars >= settings.notes_target,
                reflection: c.reflection_chars > 0
                    && c.reflection_chars >= settings.reflection_target,
                notes_chars: c.notes_chars,
                reflection_chars: c.reflection_chars,
            },
        }
    }

    /// All three done.
    pub fn all(&self) -> bool {
        self.content && self.notes && self.reflection
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::InspectorId;
    use crate::schema::{from_json, to_json};
    use time::macros::date;

    fn check(content: bool, notes: u32, reflection: Option<(u32, Date)>) -> StudyCheck {
        StudyCheck::new(
            StudyCheckId::from_u128(1),
            MemberId::from_u128(2),
            date!(2005 - 03 - 08),
            Recorder::Member(MemberId::from_u128(3)),
            content,
            notes,
            reflection,
        )
        .unwrap()
    }

    #[test]
    fn checks_validate_table() {
        let base = check(true, 12_000, Some((3_200, date!(2005 - 03 - 07))));
        let json = to_json(&base);
        assert!(json.contains(r#""checker":{"by":"member","id":"#), "{json}");
        assert_eq!(from_json::<StudyCheck>(&json).unwrap(), base);
        type Edit = fn(&mut StudyCheck);
        let cases: Vec<(Edit, Option<&str>)> = vec![
            (|_| {}, None),
            (|c| c.notes_chars = CHARS_MAX, None),
            (|c| c.notes_chars = CHARS_MAX + 1, Some("out_of_range")),
            (|c| c.reflection_chars = CHARS_MAX + 1, Some("out_of_range")),
            (|c| c.reflection_on = None, Some("empty_text")),
            (
                |c| {
                    c.reflection_chars = 0;
                    c.reflection_on = None
                },
                None,
            ),
            (|c| c.reflection_chars = 0, Some("not_applicable")),
            (
                |c| c.reflection_on = Some(date!(1900 - 01 - 01)),
                Some("invalid_date"),
            ),
        ];
        for (edit, want) in cases {
            let mut c = base.clone();
            edit(&mut c);
            assert_eq!(c.validate().err().map(|e| e.code()), want, "{c:?}");
        }
    }

    #[test]
    fn completion_against_the_targets_table() {
        let s = StudySettings::default();
        let on = date!(2005 - 03 - 07);
        // (content, notes, reflection) → (content, notes, reflection, all)
        let cases = [
            (true, 10_000, Some((3_000, on)), (true, true, true, true)),
            (true, 9_999, Some((3_000, on)), (true, false, true, false)),
            (true, 10_000, Some((2_999, on)), (true, true, false, false)),
            (false, 20_000, Some((5_000, on)), (false, true, true, false)),
            (true, 10_000, None, (true, true, false, false)),
        ];
        for (content, notes, reflection, want) in cases {
            let c = Completion::of(Some(&check(content, notes, reflection)), &s);
            assert_eq!((c.content, c.notes, c.reflection, c.all()), want);
        }
        assert_eq!(Completion::of(None, &s), Completion::default());
        assert!(!Completion::default().all());
        // With a zero reflection target, a reflection is still needed.
        let lax = StudySettings {
            reflection_target: 0,
            ..StudySettings::default()
        };
        assert!(!Completion::of(Some(&check(true, 10_000, None)), &lax).reflection);
    }

    #[test]
    fn a_later_check_supersedes() {
        let a = check(false, 100, None);
        let b = StudyCheck {
            id: StudyCheckId::from_u128(0),
            on: date!(2005 - 03 - 09),
            checker: Recorder::Inspector(InspectorId::from_u128(8)),
            ..a.clone()
        };
        let c = StudyCheck {
            id: StudyCheckId::from_u128(5),
            ..b.clone()
        };
        assert!(b.supersedes(&a), "later day");
        assert!(c.supersedes(&b), "same day, greater id");
        assert!(!a.supersedes(&c));
    }
}
