//! The scoring rubric for demonstration posts, as data.
//!
//! Why: DOMAIN.md: "the weights and thresholds are the office's to set:
//! make them configuration with sensible defaults". Each version of the
//! rubric is an immutable fact with its own id: the office never edits a
//! rubric in place, it records a new version ([`Rubric::new_version`]:
//! the highest version it knows plus one). Every score says which version
//! made it, and an earlier half-year keeps being scored by the version
//! that was in force then ([`Rubric::in_force`]), so its explanation never
//! changes under it. All numbers are integers (percent or points) so the
//! phone and the server compute identical scores.
//!
//! Which version is in force for a half-year: the highest version created
//! on or before the half-year's last day (ties: the later `created_on`,
//! then the larger id); the built-in [`Rubric::DEFAULT`] (version 1) is in
//! force before any other. So a new version governs the current
//! half-year and later ones, never a half-year that had already ended.
//!
//! Defaults ([`Rubric::DEFAULT`]), version 1:
//!
//! | criterion | weight | raw value (0–100 %) |
//! |---|---|---|
//! | 承诺兑现 commitment kept | 40 | mean over items: kept 100, partly 50, not kept / pending 0 |
//! | 群众评议 public review | 40 | mean rating × 20 (5 stars = 100) |
//! | 督导检查 inspector checks | 20 | mean over checks: badge 40 + plate 30 + service (good 30, fair 15, poor 0) |
//!
//! At least 3 public reviews (002: 每个党员必须向三位以上群众征求意见);
//! fewer gives "not enough reviews", not a grade. Inspector checks are not
//! required by default (`min_checks` 0): a post nobody checked simply gets
//! no inspection points. Grades on the 0–100 total: 优秀 ≥ 90, 合格 ≥ 75,
//! 基本合格 ≥ 60, else 不合格. Disqualifiers: a badge warning (on by
//! default), no commitment (on), a commitment filed after its deadline
//! (off), 学习未达标: below the study hours target or owing a missed
//! session not made up (off; see [`super::score`]).

use serde::{Deserialize, Serialize};
use time::macros::date;
use time::Date;

use crate::calendar::{check_date, iso_date, HalfYear};
use crate::error::DomainError;
use crate::ids::RubricId;
use crate::order;
use crate::schema::{Record, RecordKind};

labelled_enum! {
    /// The four grades of member review.
    pub enum Grade: "grade" {
        Excellent = "excellent", "优秀", "Excellent";
        Qualified = "qualified", "合格", "Qualified";
        Basic = "basic", "基本合格", "Basically qualified";
        Unqualified = "unqualified", "不合格", "Unqualified";
    }
}

labelled_enum! {
    /// What a post is scored on.
    pub enum Criterion: "criterion" {
        Commitment = "commitment", "承诺兑现", "Commitment kept";
        PublicReview = "public_review", "群众评议", "Public review";
        Inspection = "inspection", "督导检查", "Inspector checks";
    }
}

labelled_enum! {
    /// What blocks the title whatever the score.
    pub enum Disqualifier: "disqualifier" {
        BadgeWarning = "badge_warning", "佩戴党徽受到警告", "Warned for not wearing the badge";
        MissingCommitment = "missing_commitment", "未提交个人承诺", "No commitment filed";
        LateCommitment = "late_commitment", "个人承诺逾期提交", "Commitment filed late";
        StudyShort = "study_short", "学习未达标", "Study target not met";
    }
}

/// Criterion weights in percent; they add up to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub commitment: u32,
    pub public_review: u32,
    pub inspection: u32,
}

impl Weights {
    pub fn of(&self, criterion: Criterion) -> u32 {
        match criterion {
            Criterion::Commitment => self.commitment,
            Criterion::PublicReview => self.public_review,
            Criterion::Inspection => self.inspection,
        }
    }
}

/// Lowest totals (0–100) for each grade; below `basic` is 不合格.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub excellent: u32,
    pub qualified: u32,
    pub basic: u32,
}

/// Points (of 100) one inspector check gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckPoints {
    pub badge: u32,
    pub plate: u32,
    pub service_good: u32,
    pub service_fair: u32,
}

/// Which disqualifiers apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disqualify {
    pub badge_warning: bool,
    pub missing_commitment: bool,
    pub late_commitment: bool,
    /// 学习未达标: the holder is below the study hours target or owes a
    /// missed session not made up (issue 17: the post scores may use the
    /// study facts, off by default). Absent from rubrics recorded before
    /// it (read as off) and left out of the JSON while off, so their
    /// canonical JSON, and the built-in default's, does not change.
    #[serde(default, skip_serializing_if = "is_false")]
    pub study_short: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Disqualify {
    /// Every disqualifier with whether this rubric applies it, in the
    /// order scores list them.
    pub fn each(&self) -> [(Disqualifier, bool); 4] {
        [
            (Disqualifier::BadgeWarning, self.badge_warning),
            (Disqualifier::MissingCommitment, self.missing_commitment),
            (Disqualifier::LateCommitment, self.late_commitment),
            (Disqualifier::StudyShort, self.study_short),
        ]
    }
}

/// One version of the office's rubric. An immutable fact: a change is a
/// new version ([`Rubric::new_version`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub id: RubricId,
    /// 1 for the built-in default; each new version is the highest known
    /// plus one. Scores carry it.
    pub version: u32,
    /// The day the office made this version: it governs every half-year
    /// that ends on or after that day ([`Rubric::in_force`]).
    #[serde(with = "iso_date")]
    pub created_on: Date,
    pub weights: Weights,
    /// Public reviews needed for a grade (默认 3).
    pub min_reviews: u32,
    /// Inspector checks needed for a grade (默认 0).
    pub min_checks: u32,
    pub thresholds: Thresholds,
    /// Credit for a partly kept commitment item, percent.
    pub partly_kept_percent: u32,
    pub check_points: CheckPoints,
    pub disqualify: Disqualify,
}

impl Default for Rubric {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Rubric {
    /// The built-in rubric's fixed id (the same on every phone and server).
    pub const DEFAULT_ID: RubricId = RubricId::from_u128(1);

    /// The built-in rubric, version 1, in force until the office records
    /// another version.
    pub const DEFAULT: Rubric = Rubric {
        id: Self::DEFAULT_ID,
        version: 1,
        created_on: date!(1921 - 01 - 01),
        weights: Weights {
            commitment: 40,
            public_review: 40,
            inspection: 20,
        },
        min_reviews: 3,
        min_checks: 0,
        thresholds: Thresholds {
            excellent: 90,
            qualified: 75,
            basic: 60,
        },
        partly_kept_percent: 50,
        check_points: CheckPoints {
            badge: 40,
            plate: 30,
            service_good: 30,
            service_fair: 15,
        },
        disqualify: Disqualify {
            badge_warning: true,
            missing_commitment: true,
            late_commitment: false,
            study_short: false,
        },
    };

    /// Orders versions: version, then day made, then id.
    fn rank(&self) -> (u32, Date, RubricId) {
        (self.version, self.created_on, self.id)
    }

    /// The version in force for `period`: the highest version created on
    /// or before its last day (ties: later `created_on`, then larger id),
    /// or the built-in default when none is.
    pub fn in_force(rubrics: &[Rubric], period: HalfYear) -> &Rubric {
        let end = period.end();
        Self::newest_of(rubrics.iter().filter(|r| r.created_on <= end))
    }

    /// The newest version known (the one the office edits next), or the
    /// built-in default.
    pub fn newest(rubrics: &[Rubric]) -> &Rubric {
        Self::newest_of(rubrics.iter())
    }

    fn newest_of<'a>(rubrics: impl Iterator<Item = &'a Rubric>) -> &'a Rubric {
        rubrics.fold(&Self::DEFAULT, |best, r| {
            if r.rank() > best.rank() {
                r
            } else {
                best
            }
        })
    }

    /// Every version known, the built-in default included, newest first
    /// (one entry per id).
    pub fn history(rubrics: &[Rubric]) -> Vec<&Rubric> {
        let mut all: Vec<&Rubric> = rubrics.iter().collect();
        all.push(&Self::DEFAULT);
        order::sort_by_key(&mut all, |r| std::cmp::Reverse(r.rank()));
        all.dedup_by_key(|r| r.id);
        all
    }

    /// The half-year a version starts to govern.
    pub fn first_period(&self) -> HalfYear {
        HalfYear::of(self.created_on)
    }

    /// `self` (an edited copy of a version) as a new version made on
    /// `created_on` with `id`: its number is the highest in `known` (the
    /// built-in default counting as 1) plus one. Validated.
    pub fn new_version(
        mut self,
        id: RubricId,
        created_on: Date,
        known: &[Rubric],
    ) -> Result<Rubric, DomainError> {
        self.id = id;
        self.created_on = created_on;
        self.version = known
            .iter()
            .map(|r| r.version)
            .fold(Self::DEFAULT.version, u32::max)
            .saturating_add(1);
        self.validate()?;
        Ok(self)
    }

    /// The grade for a total in hundredths of a point (0..=10000).
    pub fn grade(&self, total_hundredths: u32) -> Grade {
        let t = &self.thresholds;
        if total_hundredths >= t.excellent * 100 {
            Grade::Excellent
        } else if total_hundredths >= t.qualified * 100 {
            Grade::Qualified
        } else if total_hundredths >= t.basic * 100 {
            Grade::Basic
        } else {
            Grade::Unqualified
        }
    }
}

fn percent(field: &'static str, value: u32) -> Result<(), DomainError> {
    if value > 100 {
        Err(DomainError::OutOfRange {
            field,
            value: i64::from(value),
            min: 0,
            max: 100,
        })
    } else {
        Ok(())
    }
}

impl Record for Rubric {
    const KIND: RecordKind = RecordKind::Rubric;
    fn validate(&self) -> Result<(), DomainError> {
        if self.version == 0 {
            return Err(DomainError::OutOfRange {
                field: "version",
                value: 0,
                min: 1,
                max: i64::from(u32::MAX),
            });
        }
        check_date("created_on", self.created_on)?;
        let w = &self.weights;
        let sum = w
            .commitment
            .saturating_add(w.public_review)
            .saturating_add(w.inspection);
        if sum != 100 {
            return Err(DomainError::WeightsSum { sum });
        }
        let t = &self.thresholds;
        if !(t.excellent <= 100 && t.excellent > t.qualified && t.qualified > t.basic) {
            return Err(DomainError::ThresholdOrder);
        }
        if !(1..=100).contains(&self.min_reviews) {
            return Err(DomainError::OutOfRange {
                field: "min_reviews",
                value: i64::from(self.min_reviews),
                min: 1,
                max: 100,
            });
        }
        if self.min_checks > 100 {
            return Err(DomainError::OutOfRange {
                field: "min_checks",
                value: i64::from(self.min_checks),
                min: 0,
                max: 100,
            });
        }
        percent("partly_kept_percent", self.partly_kept_percent)?;
        let p = &self.check_points;
        percent("service_fair", p.service_fair)?;
        let full = p
            .badge
            .saturating_add(p.plate)
            .saturating_add(p.service_good);
        if full != 100 || p.service_fair > p.service_good {
            return Err(DomainError::OutOfRange {
                field: "check_points",
                value: i64::from(full),
                min: 100,
                max: 100,
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
    fn default_is_valid_and_grades_table() {
        let r = Rubric::default();
        r.validate().unwrap();
        let cases = [
            (10_000, Grade::Excellent),
            (9_000, Grade::Excellent),
            (8_999, Grade::Qualified),
            (7_500, Grade::Qualified),
            (7_499, Grade::Basic),
            (6_000, Grade::Basic),
            (5_999, Grade::Unqualified),
            (0, Grade::Unqualified),
        ];
        for (total, grade) in cases {
            assert_eq!(r.grade(total), grade, "{total}");
        }
        assert_eq!(Grade::Basic.label(crate::error::Lang::ZhCn), "基本合格");
        assert_eq!(r, Rubric::DEFAULT);
        assert_eq!((r.id, r.version, r.min_reviews), (Rubric::DEFAULT_ID, 1, 3));
    }

    fn version(id: u128, version: u32, created_on: Date) -> Rubric {
        Rubric {
            id: RubricId::from_u128(id),
            version,
            created_on,
            min_reviews: 3 + version,
            ..Rubric::DEFAULT
        }
    }

    #[test]
    fn the_version_in_force_table() {
        let h = |s: &str| s.parse::<HalfYear>().unwrap();
        let v2 = version(20, 2, date!(2010 - 03 - 15));
        let v3 = version(30, 3, date!(2010 - 08 - 01));
        // A concurrent v3 made offline the same day, larger id: it wins the tie.
        let v3b = version(31, 3, date!(2010 - 08 - 01));
        let all = [v3b.clone(), v2.clone(), v3.clone()];
        let cases: [(&[Rubric], &str, RubricId); 7] = [
            (&[], "2010-H2", Rubric::DEFAULT_ID),
            (&all, "2009-H2", Rubric::DEFAULT_ID),
            (&all, "2010-H1", v2.id),
            (&all, "2010-H2", v3b.id),
            (&all, "2030-H1", v3b.id),
            (&[v2.clone(), v3.clone()], "2010-H2", v3.id),
            (std::slice::from_ref(&v3), "2010-H1", Rubric::DEFAULT_ID),
        ];
        for (rubrics, period, want) in cases {
            assert_eq!(Rubric::in_force(rubrics, h(period)).id, want, "{period}");
        }
        assert_eq!(Rubric::newest(&all).id, v3b.id);
        assert_eq!(Rubric::newest(&[]).id, Rubric::DEFAULT_ID);
        let history: Vec<u32> = Rubric::history(&all).iter().map(|r| r.version).collect();
        assert_eq!(history, vec![3, 3, 2, 1]);
        assert_eq!(v2.first_period(), h("2010-H1"));
        // The default recorded as a fact is listed once.
        assert_eq!(Rubric::history(&[Rubric::DEFAULT]).len(), 1);
    }

    #[test]
    fn a_new_version_is_the_highest_plus_one_and_validated() {
        let known = [
            version(20, 2, date!(2010 - 03 - 15)),
            version(40, 4, date!(2010 - 04 - 01)),
        ];
        let mut edited = Rubric::newest(&known).clone();
        edited.min_reviews = 5;
        let v5 = edited
            .clone()
            .new_version(RubricId::from_u128(50), date!(2010 - 05 - 01), &known)
            .unwrap();
        assert_eq!((v5.version, v5.min_reviews), (5, 5));
        assert_eq!(v5.created_on, date!(2010 - 05 - 01));
        let first = Rubric::DEFAULT
            .new_version(RubricId::from_u128(2), date!(2010 - 05 - 01), &[])
            .unwrap();
        assert_eq!(first.version, 2, "the built-in default is version 1");
        edited.weights.inspection = 50;
        assert_eq!(
            edited
                .new_version(RubricId::from_u128(51), date!(2010 - 05 - 01), &known)
                .unwrap_err()
                .code(),
            "weights_sum"
        );
    }

    #[test]
    fn invalid_rubrics_table() {
        type Edit = fn(&mut Rubric);
        let edits: Vec<(Edit, &str)> = vec![
            (|r| r.weights.inspection = 30, "weights_sum"),
            (|r| r.thresholds.qualified = 95, "threshold_order"),
            (|r| r.thresholds.excellent = 101, "threshold_order"),
            (|r| r.thresholds.basic = 75, "threshold_order"),
            (|r| r.min_reviews = 0, "out_of_range"),
            (|r| r.version = 0, "out_of_range"),
            (|r| r.partly_kept_percent = 150, "out_of_range"),
            (|r| r.check_points.badge = 50, "out_of_range"),
            (|r| r.check_points.service_fair = 31, "out_of_range"),
            (|r| r.created_on = date!(0205 - 01 - 01), "invalid_date"),
        ];
        for (edit, code) in edits {
            let mut r = Rubric::default();
            edit(&mut r);
            assert_eq!(r.validate().unwrap_err().code(), code, "{r:?}");
            assert_eq!(from_json::<Rubric>(&to_json(&r)).unwrap_err().code(), code);
        }
    }

    #[test]
    fn study_short_is_off_by_default_and_old_json_reads_unchanged() {
        let old = to_json(&Rubric::DEFAULT);
        assert!(!old.contains("study_short"), "{old}");
        assert!(!Rubric::default().disqualify.study_short);
        // A rubric recorded before the option reads as off, and its
        // canonical JSON is the same as before.
        assert_eq!(from_json::<Rubric>(&old).unwrap(), Rubric::DEFAULT);
        let end = r#""late_commitment":false}"#;
        let with = |field: &str| old.replace(end, &format!(r#""late_commitment":false,{field}}}"#));
        assert_eq!(
            from_json::<Rubric>(&with(r#""study_short":false"#)).unwrap(),
            Rubric::DEFAULT
        );
        // On: written out and read back.
        let mut on = Rubric::DEFAULT;
        on.disqualify.study_short = true;
        assert_eq!(to_json(&on), with(r#""study_short":true"#));
        assert_eq!(from_json::<Rubric>(&to_json(&on)).unwrap(), on);
        // Still strict about fields it does not know.
        assert!(from_json::<Rubric>(&with(r#""study":true"#)).is_err());
        // `each` lists every disqualifier, in order.
        let listed: Vec<Disqualifier> = on.disqualify.each().iter().map(|&(q, _)| q).collect();
        assert_eq!(listed, Disqualifier::ALL);
        assert_eq!(
            Disqualifier::StudyShort.label(crate::error::Lang::ZhCn),
            "学习未达标"
        );
    }
}
