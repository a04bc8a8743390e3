//! 2. Demonstration posts (党员示范岗 / 机关党员形象示范岗).
//!
//! Why: 004 awards the title to posts that meet the conditions and that
//! the public reacts well to; 003 scores members half-yearly from public
//! review combined with their commitment; 002 adds name plates, at least
//! three people asked, and a comment box. This module holds the records:
//!
//! - [`Post`] and [`Commitment`] are mutable records (a commitment's items
//!   get their fulfilment filled in over the half-year);
//! - [`PublicReview`], [`PostCheck`] and each version of the [`Rubric`]
//!   are immutable facts.
//!
//! The scoring lives in [`rubric`] (the office's configuration, as data,
//! one version per fact), [`mod@score`] (the computation and its
//! explanation) and [`awards`] (the half-year's titles by system and
//! unit). No score is stored on any record: it is recomputed from the
//! facts and the rubric version in force.

pub mod awards;
pub mod rubric;
pub mod score;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::calendar::{check_date, iso_date, HalfYear};
use crate::directory::Directory;
use crate::error::DomainError;
use crate::ids::{CommitmentId, InspectorId, MemberId, PostCheckId, PostId, ReviewId, UnitId};
use crate::schema::{Record, RecordKind};
use crate::scope::{Located, Location};
use crate::validate::{self, clean, clean_opt, NOTE_MAX};

pub use awards::{award_list, SystemAwards, UnitAwards};
pub use rubric::{
    CheckPoints, Criterion, Disqualifier, Disqualify, Grade, Rubric, Thresholds, Weights,
};
pub use score::{
    checks_for, commitment_for, reviews_for, score, score_all, Evidence, Score, ScoreLine,
    ScoreStatus, TITLE,
};

/// A member's post (岗位) in a unit, candidate for the title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Post {
    pub id: PostId,
    pub member: MemberId,
    pub unit: UnitId,
    /// 岗位名称, e.g. 办证窗口.
    pub name: String,
    /// 服务承诺: what the post promises the public (shown on the name
    /// plate). Optional in the record (posts registered before it existed
    /// have none); [`Post::register`] requires it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub promise: String,
}

impl Post {
    pub fn new(
        id: PostId,
        member: MemberId,
        unit: UnitId,
        name: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let post = Self {
            id,
            member,
            unit,
            name: clean(name),
            promise: String::new(),
        };
        post.validate()?;
        Ok(post)
    }

    /// A post registered on a phone: like [`Post::new`], and what it
    /// promises the public must be said.
    pub fn register(
        id: PostId,
        member: MemberId,
        unit: UnitId,
        name: impl Into<String>,
        promise: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let mut post = Self::new(id, member, unit, name)?;
        post.promise = clean(promise);
        validate::text("promise", &post.promise, NOTE_MAX)?;
        Ok(post)
    }
}

impl Record for Post {
    const KIND: RecordKind = RecordKind::Post;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("post_name", &self.name)?;
        validate::max_len("promise", &self.promise, NOTE_MAX)
    }
}

impl Located for Post {
    /// The post's unit, plus the holder's branch when the holder is in it.
    fn location(&self, directory: &Directory) -> Location {
        let mut location = directory.unit_location(self.unit);
        let holder = directory.member_location(self.member);
        if holder.unit == Some(self.unit) {
            location.branch = holder.branch;
        }
        location
    }
}

labelled_enum! {
    /// How far one commitment item was kept.
    pub enum Fulfilment: "fulfilment" {
        Pending = "pending", "待兑现", "Pending";
        Kept = "kept", "已兑现", "Kept";
        Partly = "partly", "部分兑现", "Partly kept";
        NotKept = "not_kept", "未兑现", "Not kept";
    }
}

/// One item of a commitment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentItem {
    pub text: String,
    pub fulfilment: Fulfilment,
}

impl CommitmentItem {
    /// A new, pending item.
    pub fn pending(text: impl Into<String>) -> Self {
        Self {
            text: clean(text),
            fulfilment: Fulfilment::Pending,
        }
    }

    /// Pending items from text typed one item a line (blank lines skipped).
    pub fn from_lines(text: &str) -> Vec<Self> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(Self::pending)
            .collect()
    }
}

/// 个人打算 / 党员承诺目标 / 岗位承诺目标: a member's commitment for a
/// half-year, filed by `deadline` (003: 9月14日前).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub id: CommitmentId,
    pub member: MemberId,
    pub period: HalfYear,
    pub items: Vec<CommitmentItem>,
    /// The filing deadline.
    #[serde(with = "iso_date")]
    pub deadline: Date,
    /// When it was filed (after `deadline` means late).
    #[serde(with = "iso_date")]
    pub filed_on: Date,
}

impl Commitment {
    pub fn new(
        id: CommitmentId,
        member: MemberId,
        period: HalfYear,
        items: Vec<CommitmentItem>,
        deadline: Date,
        filed_on: Date,
    ) -> Result<Self, DomainError> {
        let commitment = Self {
            id,
            member,
            period,
            items: items
                .into_iter()
                .map(|i| CommitmentItem {
                    text: clean(i.text),
                    fulfilment: i.fulfilment,
                })
                .collect(),
            deadline,
            filed_on,
        };
        commitment.validate()?;
        Ok(commitment)
    }

    pub fn is_late(&self) -> bool {
        self.filed_on > self.deadline
    }

    /// The items with item `index`'s fulfilment recorded (the new value of
    /// the `items` field); an index past the end is refused.
    pub fn with_fulfilment(
        &self,
        index: usize,
        fulfilment: Fulfilment,
    ) -> Result<Vec<CommitmentItem>, DomainError> {
        let mut items = self.items.clone();
        let count = items.len();
        let item = items.get_mut(index).ok_or(DomainError::OutOfRange {
            field: "item",
            value: index as i64,
            min: 0,
            max: count as i64 - 1,
        })?;
        item.fulfilment = fulfilment;
        Ok(items)
    }
}

impl Record for Commitment {
    const KIND: RecordKind = RecordKind::Commitment;
    fn validate(&self) -> Result<(), DomainError> {
        if self.items.is_empty() {
            return Err(DomainError::EmptyList { field: "items" });
        }
        validate::list_len("items", self.items.len(), validate::LIST_MAX)?;
        for item in &self.items {
            validate::line("item", &item.text, NOTE_MAX)?;
        }
        check_date("deadline", self.deadline)?;
        check_date("filed_on", self.filed_on)
    }
}

impl Located for Commitment {
    fn location(&self, directory: &Directory) -> Location {
        directory.member_location(self.member)
    }
}

/// A public review score, 1 (poor) to 5 (excellent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Rating(u8);

impl Rating {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    pub fn new(value: u8) -> Result<Self, DomainError> {
        if (Self::MIN..=Self::MAX).contains(&value) {
            Ok(Rating(value))
        } else {
            Err(DomainError::OutOfRange {
                field: "rating",
                value: i64::from(value),
                min: i64::from(Self::MIN),
                max: i64::from(Self::MAX),
            })
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Rating {
    type Error = DomainError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Rating::new(value)
    }
}

impl From<Rating> for u8 {
    fn from(value: Rating) -> Self {
        value.0
    }
}

/// 群众评议: one person's review of a post (comment box, survey, asked in
/// person). `reviewer` is `None` when anonymous; collect no more than a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicReview {
    pub id: ReviewId,
    pub post: PostId,
    #[serde(with = "iso_date")]
    pub on: Date,
    pub rating: Rating,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
}

impl PublicReview {
    pub fn new(
        id: ReviewId,
        post: PostId,
        on: Date,
        rating: Rating,
        comment: Option<String>,
        reviewer: Option<String>,
    ) -> Result<Self, DomainError> {
        let review = Self {
            id,
            post,
            on,
            rating,
            comment: clean_opt(comment),
            reviewer: clean_opt(reviewer),
        };
        review.validate()?;
        Ok(review)
    }
}

impl Record for PublicReview {
    const KIND: RecordKind = RecordKind::PublicReview;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        validate::opt_text("comment", self.comment.as_deref(), NOTE_MAX)?;
        validate::opt_line("reviewer", self.reviewer.as_deref(), validate::NAME_MAX)
    }
}

labelled_enum! {
    /// The service an inspector saw at the post.
    pub enum Service: "service" {
        Good = "good", "好", "Good";
        Fair = "fair", "一般", "Fair";
        Poor = "poor", "差", "Poor";
    }
}

/// An inspector's check of a post: badge worn, name plate shown (挂牌服务),
/// service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostCheck {
    pub id: PostCheckId,
    pub post: PostId,
    pub inspector: InspectorId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub badge_worn: bool,
    pub plate_shown: bool,
    pub service: Service,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl PostCheck {
    /// A check without a note; add one with [`PostCheck::with_note`].
    pub fn new(
        id: PostCheckId,
        post: PostId,
        inspector: InspectorId,
        at: OffsetDateTime,
        badge_worn: bool,
        plate_shown: bool,
        service: Service,
    ) -> Result<Self, DomainError> {
        let check = Self {
            id,
            post,
            inspector,
            at,
            badge_worn,
            plate_shown,
            service,
            note: String::new(),
        };
        check.validate()?;
        Ok(check)
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Result<Self, DomainError> {
        self.note = clean(note);
        self.validate()?;
        Ok(self)
    }
}

impl Record for PostCheck {
    const KIND: RecordKind = RecordKind::PostCheck;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("at", self.at.date())?;
        validate::max_len("note", &self.note, NOTE_MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{from_json, to_json};
    use time::macros::date;

    #[test]
    fn commitments_validate() {
        let period = HalfYear::of(date!(2010 - 09 - 01));
        let make = |items: Vec<CommitmentItem>, filed| {
            Commitment::new(
                CommitmentId::from_u128(1),
                MemberId::from_u128(2),
                period,
                items,
                date!(2010 - 09 - 14),
                filed,
            )
        };
        assert_eq!(
            make(vec![], date!(2010 - 09 - 10)).unwrap_err().code(),
            "empty_list"
        );
        assert_eq!(
            make(vec![CommitmentItem::pending(" ")], date!(2010 - 09 - 10))
                .unwrap_err()
                .code(),
            "empty_text"
        );
        let late = make(
            vec![CommitmentItem::pending("带头完成技术任务")],
            date!(2010 - 09 - 15),
        )
        .unwrap();
        assert!(late.is_late(), "003: 9月14日前 — filed on the 15th is late");
        let json = to_json(&late);
        assert!(json.contains(r#""period":"2010-H2""#), "{json}");
        assert!(json.contains(r#""deadline":"2010-09-14""#), "{json}");
        assert_eq!(from_json::<Commitment>(&json).unwrap(), late);

        let typed = CommitmentItem::from_lines(" 一次告知 \n\n限时办结\r\n  ");
        let texts: Vec<&str> = typed.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, vec!["一次告知", "限时办结"]);
        assert!(typed.iter().all(|i| i.fulfilment == Fulfilment::Pending));
        assert!(CommitmentItem::from_lines(" \n ").is_empty());

        let items = late.with_fulfilment(0, Fulfilment::Kept).unwrap();
        assert_eq!(items[0].fulfilment, Fulfilment::Kept);
        assert_eq!(late.items[0].fulfilment, Fulfilment::Pending, "a copy");
        assert_eq!(
            late.with_fulfilment(1, Fulfilment::Kept)
                .unwrap_err()
                .code(),
            "out_of_range"
        );
    }

    #[test]
    fn posts_promise_the_public() {
        let (id, member, unit) = (
            PostId::from_u128(1),
            MemberId::from_u128(2),
            UnitId::from_u128(3),
        );
        let post = Post::register(id, member, unit, " 办证窗口 ", " 一次告知，限时办结 ").unwrap();
        assert_eq!(
            (post.name.as_str(), post.promise.as_str()),
            ("办证窗口", "一次告知，限时办结")
        );
        let json = to_json(&post);
        assert!(json.contains(r#""promise":"一次告知，限时办结""#), "{json}");
        assert_eq!(from_json::<Post>(&json).unwrap(), post);
        assert_eq!(
            Post::register(id, member, unit, "办证窗口", "  ")
                .unwrap_err()
                .code(),
            "empty_text"
        );
        let long = "诺".repeat(NOTE_MAX + 1);
        assert_eq!(
            Post::register(id, member, unit, "办证窗口", long.as_str())
                .unwrap_err()
                .code(),
            "too_long"
        );
        // A post written before the field existed reads with no promise,
        // and writes back without one.
        let old = r#"{"schema":1,"kind":"post","record":{"id":"00000000-0000-0000-0000-000000000001","member":"00000000-0000-0000-0000-000000000002","unit":"00000000-0000-0000-0000-000000000003","name":"办证窗口"}}"#;
        let read = from_json::<Post>(old).unwrap();
        assert_eq!(read.promise, "");
        assert_eq!(to_json(&read), old);
    }

    #[test]
    fn ratings_and_reviews() {
        assert_eq!(Rating::new(0).unwrap_err().code(), "out_of_range");
        assert_eq!(Rating::new(6).unwrap_err().code(), "out_of_range");
        assert!(serde_json::from_str::<Rating>("9").is_err());
        let r = PublicReview::new(
            ReviewId::from_u128(1),
            PostId::from_u128(2),
            date!(2005 - 03 - 20),
            Rating::new(5).unwrap(),
            Some("服务热情".into()),
            None,
        )
        .unwrap();
        let json = to_json(&r);
        assert!(
            !json.contains("reviewer"),
            "anonymous reviews carry no reviewer field"
        );
        assert_eq!(from_json::<PublicReview>(&json).unwrap(), r);
        assert_eq!(
            from_json::<PublicReview>(&json.replace(r#""rating":5"#, r#""rating":7"#))
                .unwrap_err()
                .code(),
            "invalid_json"
        );
        assert_eq!(
            Post::new(
                PostId::from_u128(1),
                MemberId::from_u128(1),
                UnitId::from_u128(1),
                ""
            )
            .unwrap_err()
            .code(),
            "empty_name"
        );
    }
}
