//! The office's study settings: targets, who is excused, discussion topics.
//!
//! Why: the targets are the documents' (004: 40 hours, 1万字 notes, one
//! reflection of 3000字 or more, eight discussion topics; 003: at least one
//! suggestion each) but the office sets them, so they are data with these
//! defaults. Who is excused follows 000, which counts 552 members "除73名
//! 长期出国、18名因年老体弱" as taking part or not: members 长期出国 and
//! 年老体弱 are not expected to take part (they still count when they do);
//! 流动党员 are expected to take part (004: "通过寄送资料或组织'补课'等形式
//! 完成学习任务") but have no hours target, since they study by the
//! materials sent, not in sessions. One fact per version, like the rubric.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use time::macros::date;
use time::Date;

use super::check::CHARS_MAX;
use super::versioned;
use super::voice::SUGGESTIONS_MAX;
use super::TOPIC_MAX;
use crate::calendar::{check_date, iso_date};
use crate::error::DomainError;
use crate::ids::StudySettingsId;
use crate::order;
use crate::org::MemberStatus;
use crate::schema::{Record, RecordKind};
use crate::validate::{self, clean};

/// 004 item 二.3: the eight topics of the 专题大讨论.
const TOPICS: [&str; 8] = [
    "如何学习实践“三个代表”重要思想，做到真学、真懂、真信、真用",
    "如何明确新时期保持共产党员先进性的具体要求，增强党员意识",
    "如何坚定理想信念，立足本职作贡献",
    "如何牢记党的宗旨，做到立党为公、执政为民",
    "如何转变机关作风，服务基层和群众",
    "如何进一步强化发展意识，优化经济发展环境，围绕加快发展做好业务工作",
    "如何通过先进性教育活动，促进农业产业结构调整，加快农村小康建设进程",
    "如何立足单位实际，创建有创造力、凝聚力、战斗力的党支部",
];

/// The most hours a target may ask, in tenths (240 h).
const HOURS_TARGET_MAX: u16 = 2_400;

/// One version of the office's study settings. An immutable fact: a
/// change is a new version ([`StudySettings::new_version`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudySettings {
    pub id: StudySettingsId,
    /// 1 for the built-in default; each new version the highest plus one.
    pub version: u32,
    #[serde(with = "iso_date")]
    pub created_on: Date,
    /// 学时目标 per member, in tenths of an hour (400 = 40 h).
    pub hours_target: u16,
    /// 学习笔记 characters (10,000).
    pub notes_target: u32,
    /// 心得体会 characters (3,000).
    pub reflection_target: u32,
    /// Suggestions per member (1).
    pub suggestions_target: u32,
    /// Statuses not expected to take part (长期出国, 年老体弱).
    pub excused: Vec<MemberStatus>,
    /// Statuses expected to take part but without an hours target (流动党员).
    pub hours_excused: Vec<MemberStatus>,
    /// 专题大讨论 topics; sessions name one by position.
    pub discussion_topics: Vec<String>,
}

static BUILTIN: LazyLock<StudySettings> = LazyLock::new(|| StudySettings {
    id: StudySettings::DEFAULT_ID,
    version: 1,
    created_on: date!(1921 - 01 - 01),
    hours_target: 400,
    notes_target: 10_000,
    reflection_target: 3_000,
    suggestions_target: 1,
    excused: vec![MemberStatus::Abroad, MemberStatus::Frail],
    hours_excused: vec![MemberStatus::Floating],
    discussion_topics: TOPICS.iter().map(|t| t.to_string()).collect(),
});

versioned::versioned!(StudySettings, BUILTIN);

impl StudySettings {
    /// The built-in settings' fixed id (the same on every phone and server).
    pub const DEFAULT_ID: StudySettingsId = StudySettingsId::from_u128(1);

    /// The version in force: the newest known, or the built-in default.
    pub fn newest(all: &[StudySettings]) -> &StudySettings {
        versioned::newest(all)
    }

    /// Every version, the default included, newest first.
    pub fn history(all: &[StudySettings]) -> Vec<&StudySettings> {
        versioned::history(all)
    }

    /// `self` (an edited copy) as a new version made on `created_on` with
    /// `id`, numbered the highest in `known` plus one. Topics are cleaned.
    pub fn new_version(
        mut self,
        id: StudySettingsId,
        created_on: Date,
        known: &[StudySettings],
    ) -> Result<StudySettings, DomainError> {
        self.id = id;
        self.created_on = created_on;
        self.version = versioned::next_version(known);
        self.discussion_topics = self.discussion_topics.into_iter().map(clean).collect();
        self.validate()?;
        Ok(self)
    }

    /// Whether a member of this status is expected to take part.
    pub fn expects(&self, status: MemberStatus) -> bool {
        !self.excused.contains(&status)
    }

    /// Whether a member of this status has the hours target.
    pub fn expects_hours(&self, status: MemberStatus) -> bool {
        self.expects(status) && !self.hours_excused.contains(&status)
    }
}

fn at_most(field: &'static str, value: u32, max: u32) -> Result<(), DomainError> {
    if value > max {
        Err(DomainError::OutOfRange {
            field,
            value: i64::from(value),
            min: 0,
            max: i64::from(max),
        })
    } else {
        Ok(())
    }
}

fn statuses(field: &'static str, list: &[MemberStatus]) -> Result<(), DomainError> {
    if list.contains(&MemberStatus::InPost) {
        return Err(DomainError::NotApplicable { field });
    }
    let mut seen = list.to_vec();
    order::sort(&mut seen);
    match seen.windows(2).find(|w| w[0] == w[1]) {
        Some(pair) => Err(DomainError::Duplicate {
            field,
            value: pair[0].code().to_string(),
        }),
        None => Ok(()),
    }
}

impl Record for StudySettings {
    const KIND: RecordKind = RecordKind::StudySettings;
    /// Members in post are never excused; topics are unique lines.
    fn validate(&self) -> Result<(), DomainError> {
        versioned::check_version(self.version)?;
        check_date("created_on", self.created_on)?;
        if !(1..=HOURS_TARGET_MAX).contains(&self.hours_target) {
            return Err(DomainError::OutOfRange {
                field: "hours_target",
                value: i64::from(self.hours_target),
                min: 1,
                max: i64::from(HOURS_TARGET_MAX),
            });
        }
        at_most("notes_target", self.notes_target, CHARS_MAX)?;
        at_most("reflection_target", self.reflection_target, CHARS_MAX)?;
        at_most(
            "suggestions_target",
            self.suggestions_target,
            u32::from(SUGGESTIONS_MAX),
        )?;
        statuses("excused", &self.excused)?;
        statuses("hours_excused", &self.hours_excused)?;
        let topics = &self.discussion_topics;
        validate::list_len("discussion_topics", topics.len(), validate::LIST_MAX)?;
        for topic in topics {
            validate::line("discussion_topics", topic, TOPIC_MAX)?;
        }
        let mut seen: Vec<&String> = topics.iter().collect();
        order::sort(&mut seen);
        if let Some(pair) = seen.windows(2).find(|w| w[0] == w[1]) {
            return Err(DomainError::Duplicate {
                field: "discussion_topics",
                value: pair[0].clone(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{from_json, to_json};

    #[test]
    fn the_default_is_004s() {
        let s = StudySettings::default();
        s.validate().unwrap();
        assert_eq!(
            (s.hours_target, s.notes_target, s.reflection_target),
            (400, 10_000, 3_000)
        );
        assert_eq!(s.discussion_topics.len(), 8);
        assert!(s.expects(MemberStatus::InPost) && s.expects_hours(MemberStatus::InPost));
        assert!(s.expects(MemberStatus::Floating) && !s.expects_hours(MemberStatus::Floating));
        assert!(!s.expects(MemberStatus::Abroad) && !s.expects_hours(MemberStatus::Abroad));
        assert!(!s.expects(MemberStatus::Frail));
        assert_eq!(from_json::<StudySettings>(&to_json(&s)).unwrap(), s);
        assert_eq!(StudySettings::newest(&[]).id, StudySettings::DEFAULT_ID);
    }

    #[test]
    fn versions_table() {
        let v = |id: u128, version: u32, on: Date| StudySettings {
            id: StudySettingsId::from_u128(id),
            version,
            created_on: on,
            ..StudySettings::default()
        };
        let v2 = v(20, 2, date!(2005 - 02 - 20));
        let v3 = v(30, 3, date!(2005 - 03 - 01));
        let v3b = v(31, 3, date!(2005 - 03 - 01));
        let all = [v3.clone(), v2.clone(), v3b.clone()];
        assert_eq!(StudySettings::newest(&all).id, v3b.id, "tie: larger id");
        assert_eq!(StudySettings::newest(std::slice::from_ref(&v2)).id, v2.id);
        let versions: Vec<u32> = StudySettings::history(&all)
            .iter()
            .map(|s| s.version)
            .collect();
        assert_eq!(versions, vec![3, 3, 2, 1]);
        let mut edited = StudySettings::newest(&all).clone();
        edited.hours_target = 320;
        edited.discussion_topics.push(" 如何做好本职工作 ".into());
        let v4 = edited
            .new_version(StudySettingsId::from_u128(40), date!(2005 - 03 - 05), &all)
            .unwrap();
        assert_eq!((v4.version, v4.hours_target), (4, 320));
        assert_eq!(v4.discussion_topics[8], "如何做好本职工作");
    }

    #[test]
    fn invalid_settings_table() {
        type Edit = fn(&mut StudySettings);
        let cases: Vec<(Edit, &str)> = vec![
            (|s| s.version = 0, "out_of_range"),
            (|s| s.hours_target = 0, "out_of_range"),
            (|s| s.hours_target = 2_401, "out_of_range"),
            (|s| s.notes_target = CHARS_MAX + 1, "out_of_range"),
            (|s| s.suggestions_target = 51, "out_of_range"),
            (|s| s.excused.push(MemberStatus::InPost), "not_applicable"),
            (|s| s.excused.push(MemberStatus::Frail), "duplicate"),
            (
                |s| s.hours_excused.push(MemberStatus::Floating),
                "duplicate",
            ),
            (|s| s.discussion_topics.push(String::new()), "empty_text"),
            (
                |s| s.discussion_topics.push(s.discussion_topics[0].clone()),
                "duplicate",
            ),
            (|s| s.discussion_topics = vec!["题".into(); 201], "too_many"),
            (|s| s.created_on = date!(0205 - 01 - 01), "invalid_date"),
        ];
        for (edit, code) in cases {
            let mut s = StudySettings::default();
            edit(&mut s);
            assert_eq!(s.validate().unwrap_err().code(), code, "{s:?}");
        }
        // No topics at all is allowed (a unit without discussions).
        let none = StudySettings {
            discussion_topics: vec![],
            ..StudySettings::default()
        };
        none.validate().unwrap();
    }
}
