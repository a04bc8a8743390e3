//! The scoring rubric for demonstration posts, as data.
//!
//! Why: DOMAIN.md: "the weights and thresholds are the office's to set:
//! make them configuration with sensible defaults". The office edits a
//! `Rubric`, bumps its `version`, and every score says which version made
//! it, so a phone with an old rubric and the server never silently
//! disagree. All numbers are integers (percent or points) so the phone
//! and the server compute identical scores.
//!
//! Defaults ([`Rubric::default`]), version 1:
//!
//! | criterion | weight | raw value (0–100 %) |
//! |---|---|---|
//! | 承诺兑现 commitment kept | 40 | mean over items: kept 100, partly 50, not kept / pending 0 |
//! | 群众评议 public review | 40 | mean rating × 20 (5 stars = 100) |
//! | 督导检查 inspector checks | 20 | mean over checks: badge 40 + plate 30 + service (good 30, fair 15, poor 0) |
//!
//! At least 3 public reviews (002: 每个党员必须向三位以上群众征求意见) and 1
//! inspector check; fewer gives "not enough", not a grade. Grades on the
//! 0–100 total: 优秀 ≥ 90, 合格 ≥ 75, 基本合格 ≥ 60, else 不合格.
//! Disqualifiers: a badge warning (on by default), no commitment (on),
//! a commitment filed after its deadline (off).

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
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
    }
}

/// Criterion weights in percent; they add up to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct Thresholds {
    pub excellent: u32,
    pub qualified: u32,
    pub basic: u32,
}

/// Points (of 100) one inspector check gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckPoints {
    pub badge: u32,
    pub plate: u32,
    pub service_good: u32,
    pub service_fair: u32,
}

/// Which disqualifiers apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disqualify {
    pub badge_warning: bool,
    pub missing_commitment: bool,
    pub late_commitment: bool,
}

/// The office's rubric. A mutable record: validate after editing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    /// Bumped by the office on every change; scores carry it.
    pub version: u32,
    pub weights: Weights,
    /// Public reviews needed for a grade (默认 3).
    pub min_reviews: u32,
    /// Inspector checks needed for a grade (默认 1).
    pub min_checks: u32,
    pub thresholds: Thresholds,
    /// Credit for a partly kept commitment item, percent.
    pub partly_kept_percent: u32,
    pub check_points: CheckPoints,
    pub disqualify: Disqualify,
}

impl Default for Rubric {
    fn default() -> Self {
        Self {
            version: 1,
            weights: Weights {
                commitment: 40,
                public_review: 40,
                inspection: 20,
            },
            min_reviews: 3,
            min_checks: 1,
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
            },
        }
    }
}

impl Rubric {
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
        ];
        for (edit, code) in edits {
            let mut r = Rubric::default();
            edit(&mut r);
            assert_eq!(r.validate().unwrap_err().code(), code, "{r:?}");
            assert_eq!(from_json::<Rubric>(&to_json(&r)).unwrap_err().code(), code);
        }
    }
}
