//! 转段评估: the review that closes a unit's study stage.
//!
//! Why: 004 item 二.7 "学习动员阶段结束时，各督导组要切实履行转段评估把关的
//! 职责 … 转段时必须经督导组签字把关，由市委先进性教育活动办公室审查批准。
//! 对学习态度不好、力度不够的单位要通报批评，并责令'补课'", against the
//! office's notice of 二十个重点检查环节 (004 item 一.二). Every step is a
//! fact with who and when:
//!
//! 1. the office's [`TransitionChecklist`] (default: 20 points drawn from
//!    004; versioned like the rubric, so a review keeps its meaning);
//! 2. an inspection group's [`TransitionReview`] of a unit, point by point
//!    (met or not, a comment);
//! 3. the group leader's [`TransitionSignOff`] of that review (签字把关);
//! 4. the office's [`TransitionDecision`] on the signed review: approve,
//!    or order 补课 on listed points.
//!
//! Where a unit stands is derived (`status`), never stored.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use time::macros::date;
use time::Date;

use super::versioned::{self, Versioned};
use super::{Recorder, TOPIC_MAX};
use crate::calendar::{check_date, iso_date};
use crate::directory::Directory;
use crate::error::DomainError;
use crate::ids::{
    ChecklistId, GroupId, InspectorId, SignOffId, TransitionDecisionId, TransitionReviewId, UnitId,
};
use crate::order;
use crate::schema::{Record, RecordKind};
use crate::scope::{Located, Location};
use crate::validate::{self, clean, LIST_MAX, NOTE_MAX};

/// The default checklist: 20 points drawn from 004 (二.1 两个确保 and 三个
/// 完成, 二.2 两课两会, 二.3 专题大讨论, 二.5 下基层 and 三个一, 一 and 三
/// on organisation, publicity and information reports, 二.7 回头看).
const POINTS: [&str; 20] = [
    "成立先进性教育活动领导小组和工作机构，制定并下发活动实施方案",
    "召开党员动员大会，层层动员到每一名党员",
    "组织5天40个小时的封闭式集中学习，坚持集中学习为主、自学为辅",
    "全体党员参加学习，一个不漏（含离退休党员和流动党员）",
    "每名党员学习满40个小时，一个不少",
    "严格考勤，无故缺勤的党员已通报批评并补课",
    "体弱多病、行动不便的党员送学上门，流动党员寄送资料或组织补课",
    "党员完成规定的学习内容（党章、《保持共产党员先进性教育读本》等）",
    "每名党员完成1万字的学习笔记",
    "每名党员完成1篇3000字以上的学习心得体会",
    "党员领导干部先学一步，自己动手撰写学习体会并在讨论会上发言",
    "党政一把手和党员领导干部带头讲党课",
    "组织有关领导、专家上辅导课",
    "召开先进典型优秀事迹报告会",
    "至少召开2个形势报告会，由党政一把手带头作形势报告",
    "开展专题大讨论，题目落实到人，参学率和讨论发言率达到100%",
    "提炼出体现单位实际、符合行业特点的党员保持先进性具体要求",
    "开展“下基层、心连心”活动，落实“三个一”，填好结对帮扶登记卡",
    "有宣传标语、横幅或宣传栏，按要求向先教办报送活动信息",
    "转段前组织“回头看”，坚持边学边改，具备整改条件的问题已整改",
];

/// One version of the office's 转段评估 checklist. An immutable fact: a
/// change is a new version ([`TransitionChecklist::new_version`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionChecklist {
    pub id: ChecklistId,
    pub version: u32,
    #[serde(with = "iso_date")]
    pub created_on: Date,
    /// 检查要点, in order; reviews answer them by position (from 0).
    pub points: Vec<String>,
}

static BUILTIN: LazyLock<TransitionChecklist> = LazyLock::new(|| TransitionChecklist {
    id: TransitionChecklist::DEFAULT_ID,
    version: 1,
    created_on: date!(1921 - 01 - 01),
    points: POINTS.iter().map(|p| p.to_string()).collect(),
});

versioned::versioned!(TransitionChecklist, BUILTIN);

impl TransitionChecklist {
    /// The built-in checklist's fixed id.
    pub const DEFAULT_ID: ChecklistId = ChecklistId::from_u128(1);

    /// The version in force: the newest known, or the built-in default.
    pub fn newest(all: &[TransitionChecklist]) -> &TransitionChecklist {
        versioned::newest(all)
    }

    /// Every version, the default included, newest first.
    pub fn history(all: &[TransitionChecklist]) -> Vec<&TransitionChecklist> {
        versioned::history(all)
    }

    /// The version with this id (the default included).
    pub fn find(all: &[TransitionChecklist], id: ChecklistId) -> Option<&TransitionChecklist> {
        all.iter()
            .chain([TransitionChecklist::builtin()])
            .find(|c| c.id == id)
    }

    /// `self` (an edited copy) as a new version made on `created_on` with
    /// `id`, numbered the highest in `known` plus one. Points are cleaned.
    pub fn new_version(
        mut self,
        id: ChecklistId,
        created_on: Date,
        known: &[TransitionChecklist],
    ) -> Result<TransitionChecklist, DomainError> {
        self.id = id;
        self.created_on = created_on;
        self.version = versioned::next_version(known);
        self.points = self.points.into_iter().map(clean).collect();
        self.validate()?;
        Ok(self)
    }
}

impl Record for TransitionChecklist {
    const KIND: RecordKind = RecordKind::TransitionChecklist;
    fn validate(&self) -> Result<(), DomainError> {
        versioned::check_version(self.version)?;
        check_date("created_on", self.created_on)?;
        if self.points.is_empty() {
            return Err(DomainError::EmptyList { field: "points" });
        }
        validate::list_len("points", self.points.len(), LIST_MAX)?;
        for point in &self.points {
            validate::line("points", point, TOPIC_MAX)?;
        }
        Ok(())
    }
}

/// One point of a review: met or not, with what the group saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointResult {
    pub met: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

impl PointResult {
    pub fn new(met: bool, comment: impl Into<String>) -> Self {
        Self {
            met,
            comment: clean(comment),
        }
    }
}

/// An inspection group's 转段评估 of a unit against one checklist version:
/// one result per point, in the checklist's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionReview {
    pub id: TransitionReviewId,
    pub unit: UnitId,
    pub checklist: ChecklistId,
    /// Who reviewed, and for which group (`None`: office staff).
    pub inspector: InspectorId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    #[serde(with = "iso_date")]
    pub on: Date,
    pub results: Vec<PointResult>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl TransitionReview {
    /// A review answering every point of `checklist`, no more, no fewer.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: TransitionReviewId,
        unit: UnitId,
        checklist: &TransitionChecklist,
        inspector: InspectorId,
        group: Option<GroupId>,
        on: Date,
        results: Vec<PointResult>,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let want = checklist.points.len();
        if results.len() != want {
            return Err(DomainError::OutOfRange {
                field: "results",
                value: results.len() as i64,
                min: want as i64,
                max: want as i64,
            });
        }
        let review = Self {
            id,
            unit,
            checklist: checklist.id,
            inspector,
            group,
            on,
            results: results
                .into_iter()
                .map(|r| PointResult::new(r.met, r.comment))
                .collect(),
            note: clean(note),
        };
        review.validate()?;
        Ok(review)
    }

    /// The positions (from 0) of the points not met.
    pub fn unmet(&self) -> Vec<u16> {
        (0u16..)
            .zip(&self.results)
            .filter(|(_, r)| !r.met)
            .map(|(i, _)| i)
            .collect()
    }
}

impl Record for TransitionReview {
    const KIND: RecordKind = RecordKind::TransitionReview;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        if self.results.is_empty() {
            return Err(DomainError::EmptyList { field: "results" });
        }
        validate::list_len("results", self.results.len(), LIST_MAX)?;
        for r in &self.results {
            validate::max_len("comment", &r.comment, NOTE_MAX)?;
        }
        validate::max_len("note", &self.note, NOTE_MAX)
    }
}

impl Located for TransitionReview {
    /// At its unit.
    fn location(&self, directory: &Directory) -> Location {
        directory.unit_location(self.unit)
    }
}

/// 签字把关: the group leader signs a review. Sits with its review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionSignOff {
    pub id: SignOffId,
    pub review: TransitionReviewId,
    pub leader: InspectorId,
    #[serde(with = "iso_date")]
    pub on: Date,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl TransitionSignOff {
    pub fn new(
        id: SignOffId,
        review: &TransitionReview,
        leader: InspectorId,
        on: Date,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let sign_off = Self {
            id,
            review: review.id,
            leader,
            on,
            note: clean(note),
        };
        sign_off.validate()?;
        Ok(sign_off)
    }
}

impl Record for TransitionSignOff {
    const KIND: RecordKind = RecordKind::TransitionSignOff;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        validate::max_len("note", &self.note, NOTE_MAX)
    }
}

/// The office's decision on a signed review.
///
/// JSON: `{"kind":"approved"}` or `{"kind":"make_up","points":[3,5]}`
/// (positions in the review's checklist, from 0).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "OutcomeWire")]
pub enum Outcome {
    /// 审查批准: the unit moves on (已转段).
    Approved {},
    /// 责令补课 on these points.
    MakeUp { points: Vec<u16> },
}

/// [`Outcome`] as read from JSON: one flat struct (see
/// `spotcheck::PlaceWire` for why).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeWire {
    kind: OutcomeKind,
    #[serde(default)]
    points: Option<Vec<u16>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum OutcomeKind {
    Approved,
    MakeUp,
}

impl TryFrom<OutcomeWire> for Outcome {
    type Error = &'static str;

    fn try_from(wire: OutcomeWire) -> Result<Outcome, Self::Error> {
        match (wire.kind, wire.points) {
            (OutcomeKind::Approved, None) => Ok(Outcome::Approved {}),
            (OutcomeKind::Approved, Some(_)) => Err("unknown field `points`"),
            (OutcomeKind::MakeUp, Some(points)) => Ok(Outcome::MakeUp { points }),
            (OutcomeKind::MakeUp, None) => Err("missing field `points`"),
        }
    }
}

/// 审查批准 / 责令补课: the office decides on a review. Sits with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionDecision {
    pub id: TransitionDecisionId,
    pub review: TransitionReviewId,
    pub decided_by: Recorder,
    #[serde(with = "iso_date")]
    pub on: Date,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl TransitionDecision {
    /// Approves `review`.
    pub fn approve(
        id: TransitionDecisionId,
        review: &TransitionReview,
        decided_by: Recorder,
        on: Date,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        Self::build(id, review, decided_by, on, Outcome::Approved {}, note)
    }

    /// Orders 补课 on `points` of `review` (each a point of its checklist;
    /// sorted, no repeats); empty `points` means the points not met.
    pub fn make_up(
        id: TransitionDecisionId,
        review: &TransitionReview,
        decided_by: Recorder,
        on: Date,
        mut points: Vec<u16>,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        if points.is_empty() {
            points = review.unmet();
        }
        order::sort(&mut points);
        let count = review.results.len();
        if let Some(&past) = points.iter().find(|&&p| usize::from(p) >= count) {
            return Err(DomainError::OutOfRange {
                field: "points",
                value: i64::from(past),
                min: 0,
                max: count as i64 - 1,
            });
        }
        Self::build(id, review, decided_by, on, Outcome::MakeUp { points }, note)
    }

    fn build(
        id: TransitionDecisionId,
        review: &TransitionReview,
        decided_by: Recorder,
        on: Date,
        outcome: Outcome,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let decision = Self {
            id,
            review: review.id,
            decided_by,
            on,
            outcome,
            note: clean(note),
        };
        decision.validate()?;
        Ok(decision)
    }
}

impl Record for TransitionDecision {
    const KIND: RecordKind = RecordKind::TransitionDecision;
    /// 补课 names at least one point, each once, in order.
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        if let Outcome::MakeUp { points } = &self.outcome {
            if points.is_empty() {
                return Err(DomainError::EmptyList { field: "points" });
            }
            validate::list_len("points", points.len(), LIST_MAX)?;
            if let Some(w) = points.windows(2).find(|w| w[0] >= w[1]) {
                return Err(DomainError::Duplicate {
                    field: "points",
                    value: w[1].to_string(),
                });
            }
        }
        validate::max_len("note", &self.note, NOTE_MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MemberId;
    use crate::schema::{from_json, to_json};

    fn review(results: Vec<PointResult>) -> Result<TransitionReview, DomainError> {
        let list = TransitionChecklist {
            points: vec!["甲".into(), "乙".into(), "丙".into()],
            ..TransitionChecklist::default()
        };
        TransitionReview::new(
            TransitionReviewId::from_u128(1),
            UnitId::from_u128(2),
            &list,
            InspectorId::from_u128(3),
            Some(GroupId::from_u128(4)),
            date!(2005 - 03 - 20),
            results,
            "",
        )
    }

    #[test]
    fn the_default_checklist_has_twenty_points() {
        let c = TransitionChecklist::default();
        c.validate().unwrap();
        assert_eq!((c.points.len(), c.version), (20, 1));
        assert!(c.points.iter().any(|p| p.contains("40个小时")));
        assert!(c.points.iter().any(|p| p.contains("回头看")));
        assert_eq!(from_json::<TransitionChecklist>(&to_json(&c)).unwrap(), c);
        assert_eq!(
            TransitionChecklist::find(&[], TransitionChecklist::DEFAULT_ID).map(|c| c.points.len()),
            Some(20)
        );
        let edited = TransitionChecklist {
            points: vec![" 一 ".into()],
            ..c.clone()
        }
        .new_version(ChecklistId::from_u128(9), date!(2005 - 03 - 01), &[])
        .unwrap();
        assert_eq!((edited.version, edited.points[0].as_str()), (2, "一"));
        let empty = TransitionChecklist {
            points: vec![],
            ..c
        };
        assert_eq!(empty.validate().unwrap_err().code(), "empty_list");
    }

    #[test]
    fn reviews_answer_every_point() {
        let ok = |c: &str| PointResult::new(true, c);
        let no = |c: &str| PointResult::new(false, c);
        let r = review(vec![ok(""), no(" 笔记不足 "), no("")]).unwrap();
        assert_eq!(r.results[1].comment, "笔记不足");
        assert_eq!(r.unmet(), vec![1, 2]);
        let json = to_json(&r);
        assert!(json.contains(r#"{"met":true}"#), "{json}");
        assert_eq!(from_json::<TransitionReview>(&json).unwrap(), r);
        assert_eq!(
            review(vec![ok("")]).unwrap_err().code(),
            "out_of_range",
            "one result per point"
        );
        let long = review(vec![ok(""), ok(""), ok(&"字".repeat(NOTE_MAX + 1))]);
        assert_eq!(long.unwrap_err().code(), "too_long");
    }

    #[test]
    fn decisions_table() {
        let r = review(vec![
            PointResult::new(true, ""),
            PointResult::new(false, ""),
            PointResult::new(false, ""),
        ])
        .unwrap();
        let by = Recorder::Member(MemberId::from_u128(7));
        let on = date!(2005 - 03 - 25);
        let id = TransitionDecisionId::from_u128(5);
        let approved = TransitionDecision::approve(id, &r, by, on, "").unwrap();
        let json = to_json(&approved);
        assert!(json.contains(r#""outcome":{"kind":"approved"}"#), "{json}");
        assert_eq!(from_json::<TransitionDecision>(&json).unwrap(), approved);
        type Case = (Vec<u16>, Result<Vec<u16>, &'static str>);
        let cases: Vec<Case> = vec![
            (vec![], Ok(vec![1, 2])),
            (vec![2, 0], Ok(vec![0, 2])),
            (vec![1, 1], Err("duplicate")),
            (vec![3], Err("out_of_range")),
        ];
        for (points, want) in cases {
            let got = TransitionDecision::make_up(id, &r, by, on, points.clone(), "")
                .map(|d| match d.outcome {
                    Outcome::MakeUp { points } => points,
                    Outcome::Approved {} => vec![],
                })
                .map_err(|e| e.code());
            assert_eq!(got, want, "{points:?}");
        }
        let padded = json.replace(r#"{"kind":"approved"}"#, r#"{"kind":"approved","x":1}"#);
        assert_eq!(
            from_json::<TransitionDecision>(&padded).unwrap_err().code(),
            "unknown_field"
        );
        let empty = TransitionDecision {
            outcome: Outcome::MakeUp { points: vec![] },
            ..approved
        };
        assert_eq!(empty.validate().unwrap_err().code(), "empty_list");
    }
}
