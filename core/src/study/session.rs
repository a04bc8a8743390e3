//! A study session (one sitting of a branch's study) and its length.
//!
//! Why: 004 asks for 40 hours per member over 5 days of 封闭式集中学习,
//! plus 两课两会 (党课, 辅导报告, 先进事迹报告会, 形势报告会) and the
//! 专题大讨论; absentees are made up (补课). Every sitting is one
//! [`StudySession`] of a branch: its hours are what each member present
//! earns, its kind says which of these it was. A 补课 may name the
//! session it makes up, so a member's miss there is cleared by attending
//! it. Hours are whole tenths (no floats), like areas in tenths of a mu.

use serde::{Deserialize, Serialize};
use time::Date;

use super::settings::StudySettings;
use super::TOPIC_MAX;
use crate::calendar::{check_date, iso_date};
use crate::directory::Directory;
use crate::error::DomainError;
use crate::ids::{BranchId, StudySessionId};
use crate::schema::{Record, RecordKind};
use crate::scope::{Located, Location};
use crate::validate::{self, clean};

labelled_enum! {
    /// 学习形式: how a session was held.
    pub enum SessionKind: "kind" {
        Collective = "collective", "集中学习", "Collective study";
        PartyLecture = "party_lecture", "党课", "Party lecture";
        Tutorial = "tutorial", "辅导报告", "Tutorial lecture";
        ExemplarReport = "exemplar_report", "先进事迹报告会", "Report on exemplary deeds";
        SituationBriefing = "situation_briefing", "形势报告会", "Briefing on the situation";
        Discussion = "discussion", "专题讨论", "Topic discussion";
        MakeUp = "make_up", "补课", "Make-up session";
    }
}

impl SessionKind {
    /// Whether every member of the branch is expected at it. A 补课 is
    /// only for those making up, so nobody misses one.
    pub fn expected_of_all(self) -> bool {
        self != SessionKind::MakeUp
    }
}

/// Study time in tenths of an hour (`35` = 3.5 h), 0.1 to 24 h a session.
///
/// JSON: the integer number of tenths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Hours(u16);

impl Hours {
    /// The longest session, in tenths (24 hours).
    pub const MAX: u16 = 240;

    /// A length in tenths of an hour, 1..=[`Hours::MAX`].
    pub fn tenths(value: u16) -> Result<Self, DomainError> {
        if (1..=Self::MAX).contains(&value) {
            Ok(Hours(value))
        } else {
            Err(DomainError::OutOfRange {
                field: "hours",
                value: i64::from(value),
                min: 1,
                max: i64::from(Self::MAX),
            })
        }
    }

    /// Whole hours (`Hours::whole(8)` = 80 tenths).
    pub fn whole(hours: u16) -> Result<Self, DomainError> {
        Self::tenths(hours.saturating_mul(10))
    }

    /// Reads what a person types: `3`, `3.5`, `3.5小时` (field `hours`).
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let tenths = crate::money::parse_decimal(text, 1, "小时")
            .or_else(|| crate::money::parse_decimal(text, 1, "h"))
            .ok_or_else(|| DomainError::UnknownValue {
                field: "hours",
                value: text.trim().to_string(),
            })?;
        Hours::tenths(u16::try_from(tenths).unwrap_or(u16::MAX))
    }

    /// The length in tenths.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for Hours {
    type Error = DomainError;
    fn try_from(value: u16) -> Result<Self, Self::Error> {
        Hours::tenths(value)
    }
}

impl From<Hours> for u16 {
    fn from(value: Hours) -> Self {
        value.0
    }
}

/// Tenths of an hour as people write them: `40`, `3.5`.
pub fn hours_text(tenths: u32) -> String {
    match tenths % 10 {
        0 => format!("{}", tenths / 10),
        t => format!("{}.{t}", tenths / 10),
    }
}

/// 学习: one session of a branch. A fact: a wrong session is corrected
/// by recording the right one (attendance goes with the session).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudySession {
    pub id: StudySessionId,
    /// The branch that held it (and keeps its 考勤记录).
    pub branch: BranchId,
    #[serde(with = "iso_date")]
    pub on: Date,
    pub hours: Hours,
    pub kind: SessionKind,
    /// What was studied or discussed, or who reported on what.
    pub topic: String,
    /// A 补课 only: the session it makes up (attending it clears a miss
    /// there). A 补课 without it still counts its hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub makes_up: Option<StudySessionId>,
    /// A 专题讨论 only: which of the office's discussion topics (position
    /// in [`StudySettings::discussion_topics`], from 0); `topic` keeps the
    /// words whatever the office edits later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discussion_topic: Option<u16>,
}

impl StudySession {
    /// A session of any kind but a discussion on a listed topic or a 补课
    /// of a named session (see [`StudySession::discussion`],
    /// [`StudySession::make_up`]).
    pub fn new(
        id: StudySessionId,
        branch: BranchId,
        on: Date,
        hours: Hours,
        kind: SessionKind,
        topic: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let session = Self {
            id,
            branch,
            on,
            hours,
            kind,
            topic: clean(topic),
            makes_up: None,
            discussion_topic: None,
        };
        session.validate()?;
        Ok(session)
    }

    /// A 补课 for those who missed `missed`: held by `branch` (usually the
    /// same), topic as given or else the missed session's.
    pub fn make_up(
        id: StudySessionId,
        branch: BranchId,
        on: Date,
        hours: Hours,
        missed: &StudySession,
        topic: Option<String>,
    ) -> Result<Self, DomainError> {
        let topic = topic
            .map(clean)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| missed.topic.clone());
        let mut session = Self::new(id, branch, on, hours, SessionKind::MakeUp, topic)?;
        session.makes_up = Some(missed.id);
        session.validate()?;
        Ok(session)
    }

    /// A 专题讨论 on the office's topic number `index`, worded as listed.
    pub fn discussion(
        id: StudySessionId,
        branch: BranchId,
        on: Date,
        hours: Hours,
        index: u16,
        settings: &StudySettings,
    ) -> Result<Self, DomainError> {
        let topics = &settings.discussion_topics;
        let topic = topics
            .get(usize::from(index))
            .ok_or(DomainError::OutOfRange {
                field: "discussion_topic",
                value: i64::from(index),
                min: 0,
                max: topics.len() as i64 - 1,
            })?;
        let mut session = Self::new(
            id,
            branch,
            on,
            hours,
            SessionKind::Discussion,
            topic.clone(),
        )?;
        session.discussion_topic = Some(index);
        session.validate()?;
        Ok(session)
    }
}

impl Record for StudySession {
    const KIND: RecordKind = RecordKind::StudySession;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        validate::line("topic", &self.topic, TOPIC_MAX)?;
        if let Some(made_up) = self.makes_up {
            if self.kind != SessionKind::MakeUp || made_up == self.id {
                return Err(DomainError::NotApplicable { field: "makes_up" });
            }
        }
        if let Some(index) = self.discussion_topic {
            if self.kind != SessionKind::Discussion {
                return Err(DomainError::NotApplicable {
                    field: "discussion_topic",
                });
            }
            if usize::from(index) >= validate::LIST_MAX {
                return Err(DomainError::OutOfRange {
                    field: "discussion_topic",
                    value: i64::from(index),
                    min: 0,
                    max: validate::LIST_MAX as i64 - 1,
                });
            }
        }
        Ok(())
    }
}

impl Located for StudySession {
    /// In its branch (and so its unit and system).
    fn location(&self, directory: &Directory) -> Location {
        directory.branch_location(self.branch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{from_json, to_json};
    use time::macros::date;

    #[test]
    fn hours_are_read_as_people_type_them() {
        let cases: [(&str, Option<u16>); 9] = [
            ("3", Some(30)),
            ("3.5", Some(35)),
            ("３．５", Some(35)),
            ("2.5小时", Some(25)),
            ("24", Some(240)),
            ("0", None),
            ("24.1", None),
            ("3.25", None),
            ("三", None),
        ];
        for (text, want) in cases {
            assert_eq!(Hours::parse(text).ok().map(Hours::get), want, "{text}");
        }
        let e = Hours::parse("abc").unwrap_err();
        assert_eq!(e.field(), Some("hours"));
    }

    fn session(kind: SessionKind) -> StudySession {
        StudySession::new(
            StudySessionId::from_u128(1),
            BranchId::from_u128(2),
            date!(2005 - 02 - 28),
            Hours::whole(4).unwrap(),
            kind,
            " 学习党章 ",
        )
        .unwrap()
    }

    #[test]
    fn hours_table() {
        let cases = [
            (0, Err("out_of_range")),
            (1, Ok("0.1")),
            (35, Ok("3.5")),
            (80, Ok("8")),
            (240, Ok("24")),
            (241, Err("out_of_range")),
        ];
        for (tenths, want) in cases {
            let got = Hours::tenths(tenths)
                .map(|h| hours_text(u32::from(h.get())))
                .map_err(|e| e.code());
            assert_eq!(got.as_deref().map_err(|e| *e), want, "{tenths}");
        }
        assert_eq!(hours_text(400), "40");
        assert_eq!(Hours::whole(25).unwrap_err().code(), "out_of_range");
        assert!(serde_json::from_str::<Hours>("0").is_err());
        assert_eq!(serde_json::from_str::<Hours>("35").unwrap().get(), 35);
    }

    #[test]
    fn sessions_validate_table() {
        let s = session(SessionKind::Collective);
        assert_eq!(s.topic, "学习党章");
        let other = StudySessionId::from_u128(9);
        type Edit = fn(&mut StudySession, StudySessionId);
        let cases: Vec<(&str, Edit, Option<&str>)> = vec![
            ("as made", |_, _| {}, None),
            (
                "blank topic",
                |s, _| s.topic = String::new(),
                Some("empty_text"),
            ),
            (
                "long topic",
                |s, _| s.topic = "学".repeat(TOPIC_MAX + 1),
                Some("too_long"),
            ),
            (
                "a lecture making up a session",
                |s, o| s.makes_up = Some(o),
                Some("not_applicable"),
            ),
            (
                "a 补课 making up a session",
                |s, o| {
                    s.kind = SessionKind::MakeUp;
                    s.makes_up = Some(o)
                },
                None,
            ),
            (
                "a 补课 making up itself",
                |s, _| {
                    s.kind = SessionKind::MakeUp;
                    s.makes_up = Some(s.id)
                },
                Some("not_applicable"),
            ),
            (
                "a topic number on a lecture",
                |s, _| s.discussion_topic = Some(0),
                Some("not_applicable"),
            ),
            (
                "a topic number on a discussion",
                |s, _| {
                    s.kind = SessionKind::Discussion;
                    s.discussion_topic = Some(7)
                },
                None,
            ),
            (
                "a topic number past any list",
                |s, _| {
                    s.kind = SessionKind::Discussion;
                    s.discussion_topic = Some(validate::LIST_MAX as u16)
                },
                Some("out_of_range"),
            ),
            (
                "a date typo",
                |s, _| s.on = date!(0205 - 02 - 28),
                Some("invalid_date"),
            ),
        ];
        for (name, edit, want) in cases {
            let mut s = s.clone();
            edit(&mut s, other);
            assert_eq!(s.validate().err().map(|e| e.code()), want, "{name}");
            let read = from_json::<StudySession>(&to_json(&s));
            assert_eq!(read.err().map(|e| e.code()), want, "{name} (JSON)");
        }
    }

    #[test]
    fn make_up_and_discussion_constructors() {
        let missed = session(SessionKind::PartyLecture);
        let on = date!(2005 - 03 - 03);
        let two = Hours::whole(2).unwrap();
        let m = StudySession::make_up(
            StudySessionId::from_u128(3),
            missed.branch,
            on,
            two,
            &missed,
            Some("  ".into()),
        )
        .unwrap();
        assert_eq!(
            (m.kind, m.makes_up, m.topic.as_str()),
            (SessionKind::MakeUp, Some(missed.id), "学习党章")
        );
        let settings = StudySettings::default();
        let d = StudySession::discussion(
            StudySessionId::from_u128(4),
            missed.branch,
            on,
            two,
            2,
            &settings,
        )
        .unwrap();
        assert_eq!(d.discussion_topic, Some(2));
        assert_eq!(d.topic, "如何坚定理想信念，立足本职作贡献");
        let past = StudySession::discussion(
            StudySessionId::from_u128(5),
            missed.branch,
            on,
            two,
            8,
            &settings,
        );
        assert_eq!(past.unwrap_err().code(), "out_of_range");
        assert!(!SessionKind::MakeUp.expected_of_all());
        assert!(SessionKind::Discussion.expected_of_all());
        assert_eq!(SessionKind::ALL.len(), 7);
        assert_eq!(
            "先进事迹报告会".parse::<SessionKind>().unwrap(),
            SessionKind::ExemplarReport
        );
    }
}
