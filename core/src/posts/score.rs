//! A post's half-year score, with its explanation.
//!
//! Why: a member denied the title, or a unit comparing posts, must see how
//! the number was reached. A [`Score`] lists every criterion as (raw value,
//! weight, points), the total, the grade (or why there is none), the
//! disqualifiers and the rubric version. Integers throughout: raw values
//! in basis points (10000 = 100 %), points in hundredths, each line floored
//! and the total the exact sum of the lines, so app and server agree.
//!
//! The rubric is the version in force for the period
//! ([`Rubric::in_force`]): a half-year that has ended keeps the version
//! that scored it, whatever the office records later.
//!
//! Evidence counted for `post` in `period`:
//! - the holder's commitment for the period (several: the smallest id,
//!   see [`commitment_for`]);
//! - public reviews of the post dated in the period;
//! - inspector checks of the post whose local date is in the period;
//! - a badge warning on the holder's ladder dated on or before the
//!   period's last day (the ladder counts over the whole campaign);
//! - when the rubric applies 学习未达标, the holder's study
//!   ([`StudyIndex::study_short`]: below the hours target or owing a
//!   missed session not made up), over every study fact known, as the
//!   ladder counts over the whole campaign. Without study facts (no
//!   index, or no session recorded at all) it never blocks.
//!
//! The title 党员示范岗 is awarded when the grade is 优秀 and nothing
//! (enabled in the rubric) disqualifies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::HalfYear;
use crate::error::Lang;
use crate::ids::{MemberId, PostId};
use crate::order;
use crate::spotcheck::{Ladder, MemberLadder};
use crate::study::StudyIndex;

use super::rubric::{Criterion, Disqualifier, Grade, Rubric};
use super::{Commitment, Fulfilment, Post, PostCheck, PublicReview, Service};

/// The title awarded (机关党员形象示范岗 in 004).
pub const TITLE: &str = "党员示范岗";

/// Everything recorded that may bear on a post's score; the scorer picks
/// out what belongs to the post and the period.
#[derive(Clone, Copy, Debug, Default)]
pub struct Evidence<'a> {
    pub commitments: &'a [Commitment],
    pub reviews: &'a [PublicReview],
    pub checks: &'a [PostCheck],
    /// The holder's badge ladder, if they have any miss.
    pub ladder: Option<&'a MemberLadder>,
    /// Every member's study, for the rubric's 学习未达标 (`None`: no
    /// study facts, never blocks).
    pub study: Option<&'a StudyIndex>,
}

/// What stands against the holder beyond the post's own evidence.
#[derive(Clone, Copy, Debug, Default)]
struct Standing {
    /// A badge warning by the period's end.
    warned: bool,
    /// Short of the study ([`StudyIndex::study_short`]).
    study_short: bool,
}

impl Standing {
    fn of(
        member: MemberId,
        period: HalfYear,
        ladder: Option<&MemberLadder>,
        study: Option<&StudyIndex>,
    ) -> Standing {
        Standing {
            warned: ladder.is_some_and(|l| l.member == member && l.warned_by(period.end())),
            study_short: study.is_some_and(|s| s.study_short(member)),
        }
    }
}

/// One criterion's contribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreLine {
    pub criterion: Criterion,
    /// How many items / reviews / checks the raw value is over.
    pub count: u32,
    /// Raw value in basis points (10000 = 100 %); `None` without evidence.
    pub raw: Option<u32>,
    /// Weight in percent.
    pub weight: u32,
    /// `raw × weight / 100`, in hundredths of a point, floored.
    pub points: u32,
}

/// Graded, or why not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ScoreStatus {
    Graded {
        grade: Grade,
    },
    /// 评议人数不足: fewer public reviews than the rubric asks.
    NotEnoughReviews {
        have: u32,
        need: u32,
    },
    /// 督导检查次数不足.
    NotEnoughChecks {
        have: u32,
        need: u32,
    },
}

/// A post's score for a half-year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub post: PostId,
    pub member: MemberId,
    pub period: HalfYear,
    pub rubric_version: u32,
    pub lines: Vec<ScoreLine>,
    /// Sum of the lines' points, hundredths (0..=10000).
    pub total: u32,
    pub status: ScoreStatus,
    pub disqualifiers: Vec<Disqualifier>,
    /// 授予“党员示范岗”.
    pub award: bool,
}

impl Score {
    pub fn grade(&self) -> Option<Grade> {
        match self.status {
            ScoreStatus::Graded { grade } => Some(grade),
            _ => None,
        }
    }

    /// `86.50`.
    pub fn total_string(&self) -> String {
        points_string(self.total)
    }

    /// The headline: the grade, or why there is none (`评议人数不足（2/3人）`).
    pub fn status_text(&self, lang: Lang) -> String {
        match (self.status, lang) {
            (ScoreStatus::Graded { grade }, _) => grade.label(lang).to_string(),
            (ScoreStatus::NotEnoughReviews { have, need }, Lang::ZhCn) => {
                format!("评议人数不足（{have}/{need}人）")
            }
            (ScoreStatus::NotEnoughReviews { have, need }, Lang::En) => {
                format!("Not enough reviews ({have} of {need})")
            }
            (ScoreStatus::NotEnoughChecks { have, need }, Lang::ZhCn) => {
                format!("督导检查次数不足（{have}/{need}次）")
            }
            (ScoreStatus::NotEnoughChecks { have, need }, Lang::En) => {
                format!("Not enough inspector checks ({have} of {need})")
            }
        }
    }

    /// A line-by-line explanation for people.
    pub fn explain(&self, lang: Lang) -> Vec<String> {
        let mut out: Vec<String> = self
            .lines
            .iter()
            .map(|l| {
                let raw = l.value_text();
                match lang {
                    Lang::ZhCn => format!(
                        "{}：{}（{}项），权重{}，得{}分",
                        l.criterion.label(lang),
                        raw,
                        l.count,
                        l.weight,
                        points_string(l.points)
                    ),
                    Lang::En => format!(
                        "{}: {} (over {}), weight {}, {} points",
                        l.criterion.label(lang),
                        raw,
                        l.count,
                        l.weight,
                        points_string(l.points)
                    ),
                }
            })
            .collect();
        let status = match (self.status, lang) {
            (ScoreStatus::Graded { grade }, Lang::ZhCn) => {
                format!("总分{}，等次：{}", self.total_string(), grade.label(lang))
            }
            (ScoreStatus::Graded { grade }, Lang::En) => {
                format!(
                    "Total {}, grade: {}",
                    self.total_string(),
                    grade.label(lang)
                )
            }
            (ScoreStatus::NotEnoughReviews { have, need }, Lang::ZhCn) => {
                format!(
                    "总分{}，群众评议{}人，不足{}人，暂不评定等次",
                    self.total_string(),
                    have,
                    need
                )
            }
            (ScoreStatus::NotEnoughReviews { have, need }, Lang::En) => format!(
                "Total {}, not enough reviews ({have} of {need}): no grade",
                self.total_string()
            ),
            (ScoreStatus::NotEnoughChecks { have, need }, Lang::ZhCn) => {
                format!(
                    "总分{}，督导检查{}次，不足{}次，暂不评定等次",
                    self.total_string(),
                    have,
                    need
                )
            }
            (ScoreStatus::NotEnoughChecks { have, need }, Lang::En) => format!(
                "Total {}, not enough inspector checks ({have} of {need}): no grade",
                self.total_string()
            ),
        };
        out.push(status);
        for d in &self.disqualifiers {
            out.push(match lang {
                Lang::ZhCn => format!("不得授予：{}", d.label(lang)),
                Lang::En => format!("Disqualified: {}", d.label(lang)),
            });
        }
        out.push(match (self.award, lang) {
            (true, Lang::ZhCn) => format!("授予“{TITLE}”称号"),
            (false, Lang::ZhCn) => format!("不授予“{TITLE}”称号"),
            (true, Lang::En) => "Title awarded".to_string(),
            (false, Lang::En) => "Title not awarded".to_string(),
        });
        out
    }
}

impl ScoreLine {
    /// The raw value as a percentage, `75.00%`, or `—` without evidence.
    pub fn value_text(&self) -> String {
        self.raw
            .map(|r| format!("{}.{:02}%", r / 100, r % 100))
            .unwrap_or_else(|| "—".to_string())
    }

    /// The points, `30.00`.
    pub fn points_text(&self) -> String {
        points_string(self.points)
    }
}

fn points_string(hundredths: u32) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// The public reviews that count for `post` in `period`: dated in it.
pub fn reviews_for(reviews: &[PublicReview], post: PostId, period: HalfYear) -> Vec<&PublicReview> {
    reviews
        .iter()
        .filter(|r| r.post == post && period.contains(r.on))
        .collect()
}

/// The inspector checks that count for `post` in `period`: their local
/// date is in it.
pub fn checks_for(checks: &[PostCheck], post: PostId, period: HalfYear) -> Vec<&PostCheck> {
    checks
        .iter()
        .filter(|c| c.post == post && period.contains(c.at.date()))
        .collect()
}

/// The commitment that counts for `member` in `period`: theirs for the
/// period, the smallest id if there are several.
pub fn commitment_for(
    commitments: &[Commitment],
    member: MemberId,
    period: HalfYear,
) -> Option<&Commitment> {
    commitments
        .iter()
        .filter(|c| c.member == member && c.period == period)
        .min_by_key(|c| c.id)
}

/// Scores one post for one half-year, by the rubric version in force for
/// it among `rubrics` (the built-in default when none is).
pub fn score(rubrics: &[Rubric], post: &Post, period: HalfYear, evidence: &Evidence<'_>) -> Score {
    let rubric = Rubric::in_force(rubrics, period);
    let commitment = commitment_for(evidence.commitments, post.member, period);
    let reviews = reviews_for(evidence.reviews, post.id, period);
    let checks = checks_for(evidence.checks, post.id, period);
    let standing = Standing::of(post.member, period, evidence.ladder, evidence.study);
    compute(
        rubric, post, period, commitment, &reviews, &checks, standing,
    )
}

/// Scores every post for a half-year, grouping the evidence once (the
/// rubric in force and the study as in [`score`]).
#[allow(clippy::too_many_arguments)]
pub fn score_all(
    rubrics: &[Rubric],
    posts: &[Post],
    period: HalfYear,
    commitments: &[Commitment],
    reviews: &[PublicReview],
    checks: &[PostCheck],
    ladder: &Ladder,
    study: Option<&StudyIndex>,
) -> Vec<Score> {
    let rubric = Rubric::in_force(rubrics, period);
    let mut by_member: BTreeMap<MemberId, &Commitment> = BTreeMap::new();
    for c in commitments.iter().filter(|c| c.period == period) {
        let slot = by_member.entry(c.member).or_insert(c);
        if c.id < slot.id {
            *slot = c;
        }
    }
    let mut reviews_by_post: BTreeMap<PostId, Vec<&PublicReview>> = BTreeMap::new();
    for r in reviews.iter().filter(|r| period.contains(r.on)) {
        reviews_by_post.entry(r.post).or_default().push(r);
    }
    let mut checks_by_post: BTreeMap<PostId, Vec<&PostCheck>> = BTreeMap::new();
    for c in checks.iter().filter(|c| period.contains(c.at.date())) {
        checks_by_post.entry(c.post).or_default().push(c);
    }
    let mut scores: Vec<Score> = posts
        .iter()
        .map(|post| {
            let standing = Standing::of(post.member, period, ladder.member(post.member), study);
            compute(
                rubric,
                post,
                period,
                by_member.get(&post.member).copied(),
                reviews_by_post
                    .get(&post.id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]),
                checks_by_post
                    .get(&post.id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]),
                standing,
            )
        })
        .collect();
    order::sort_by_key(&mut scores, |s| s.post);
    scores
}

fn compute(
    rubric: &Rubric,
    post: &Post,
    period: HalfYear,
    commitment: Option<&Commitment>,
    reviews: &[&PublicReview],
    checks: &[&PostCheck],
    standing: Standing,
) -> Score {
    let line = |criterion: Criterion, count: usize, raw: Option<u32>| {
        let weight = rubric.weights.of(criterion);
        ScoreLine {
            criterion,
            count: count as u32,
            raw,
            weight,
            points: raw.map_or(0, |r| r * weight / 100),
        }
    };

    let commitment_raw = commitment.map(|c| {
        let sum: u64 = c
            .items
            .iter()
            .map(|i| match i.fulfilment {
                Fulfilment::Kept => 10_000,
                Fulfilment::Partly => u64::from(rubric.partly_kept_percent) * 100,
                Fulfilment::NotKept | Fulfilment::Pending => 0,
            })
            .sum();
        (sum / c.items.len() as u64) as u32
    });
    let review_raw = (!reviews.is_empty()).then(|| {
        let sum: u64 = reviews
            .iter()
            .map(|r| u64::from(r.rating.get()) * 2_000)
            .sum();
        (sum / reviews.len() as u64) as u32
    });
    let p = &rubric.check_points;
    let check_raw = (!checks.is_empty()).then(|| {
        let sum: u64 = checks
            .iter()
            .map(|c| {
                let service = match c.service {
                    Service::Good => p.service_good,
                    Service::Fair => p.service_fair,
                    Service::Poor => 0,
                };
                let pts = u32::from(c.badge_worn) * p.badge
                    + u32::from(c.plate_shown) * p.plate
                    + service;
                u64::from(pts) * 100
            })
            .sum();
        (sum / checks.len() as u64) as u32
    });

    let lines = vec![
        line(
            Criterion::Commitment,
            commitment.map_or(0, |c| c.items.len()),
            commitment_raw,
        ),
        line(Criterion::PublicReview, reviews.len(), review_raw),
        line(Criterion::Inspection, checks.len(), check_raw),
    ];
    let total: u32 = lines.iter().map(|l| l.points).sum();

    let have_reviews = reviews.len() as u32;
    let have_checks = checks.len() as u32;
    let status = if have_reviews < rubric.min_reviews {
        ScoreStatus::NotEnoughReviews {
            have: have_reviews,
            need: rubric.min_reviews,
        }
    } else if have_checks < rubric.min_checks {
        ScoreStatus::NotEnoughChecks {
            have: have_checks,
            need: rubric.min_checks,
        }
    } else {
        ScoreStatus::Graded {
            grade: rubric.grade(total),
        }
    };

    let d = &rubric.disqualify;
    let mut disqualifiers = Vec::new();
    if d.badge_warning && standing.warned {
        disqualifiers.push(Disqualifier::BadgeWarning);
    }
    match commitment {
        None if d.missing_commitment => disqualifiers.push(Disqualifier::MissingCommitment),
        Some(c) if d.late_commitment && c.is_late() => {
            disqualifiers.push(Disqualifier::LateCommitment)
        }
        _ => {}
    }
    if d.study_short && standing.study_short {
        disqualifiers.push(Disqualifier::StudyShort);
    }
    let award = status
        == ScoreStatus::Graded {
            grade: Grade::Excellent,
        }
        && disqualifiers.is_empty();

    Score {
        post: post.id,
        member: post.member,
        period,
        rubric_version: rubric.version,
        lines,
        total,
        status,
        disqualifiers,
        award,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;
    use crate::posts::{CommitmentItem, Rating};
    use crate::spotcheck::fixtures::{day, observation, TinyCity};
    use crate::spotcheck::Outcome;
    use time::macros::{date, datetime};
    use time::Date;

    struct Case {
        items: Option<Vec<Fulfilment>>,
        late: bool,
        ratings: Vec<u8>,
        checks: Vec<(bool, bool, Service)>,
    }

    fn run(rubric: &Rubric, case: &Case, ladder: Option<&MemberLadder>) -> Score {
        run_with(rubric, case, ladder, None)
    }

    fn run_with(
        rubric: &Rubric,
        case: &Case,
        ladder: Option<&MemberLadder>,
        study: Option<&StudyIndex>,
    ) -> Score {
        let member = MemberId::from_u128(1);
        let post = Post::new(
            PostId::from_u128(1),
            member,
            UnitId::from_u128(1),
            "办证窗口",
        )
        .unwrap();
        let period = HalfYear::of(date!(2010 - 09 - 01));
        let commitments: Vec<Commitment> = case
            .items
            .iter()
            .map(|items| {
                Commitment::new(
                    CommitmentId::from_u128(1),
                    member,
                    period,
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, &f)| CommitmentItem {
                            text: format!("承诺{i}"),
                            fulfilment: f,
                        })
                        .collect(),
                    date!(2010 - 09 - 14),
                    if case.late {
                        date!(2010 - 09 - 20)
                    } else {
                        date!(2010 - 09 - 10)
                    },
                )
                .unwrap()
            })
            .collect();
        let reviews: Vec<PublicReview> = case
            .ratings
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                PublicReview::new(
                    ReviewId::from_u128(i as u128 + 1),
                    post.id,
                    date!(2010 - 10 - 01),
                    Rating::new(r).unwrap(),
                    None,
                    None,
                )
                .unwrap()
            })
            .collect();
        let checks: Vec<PostCheck> = case
            .checks
            .iter()
            .enumerate()
            .map(|(i, &(badge, plate, service))| {
                PostCheck::new(
                    PostCheckId::from_u128(i as u128 + 1),
                    post.id,
                    InspectorId::from_u128(1),
                    datetime!(2010-11-02 10:00 +8),
                    badge,
                    plate,
                    service,
                )
                .unwrap()
            })
            .collect();
        let evidence = Evidence {
            commitments: &commitments,
            reviews: &reviews,
            checks: &checks,
            ladder,
            study,
        };
        score(std::slice::from_ref(rubric), &post, period, &evidence)
    }

    #[test]
    fn score_table() {
        use Fulfilment::*;
        let good = (true, true, Service::Good);
        let rubric = Rubric::default();
        // (case, total hundredths, status, disqualifiers, award)
        let cases = vec![
            (
                Case {
                    items: Some(vec![Kept, Kept]),
                    late: false,
                    ratings: vec![5, 5, 5],
                    checks: vec![good],
                },
                10_000,
                ScoreStatus::Graded {
                    grade: Grade::Excellent,
                },
                vec![],
                true,
            ),
            (
                // Commitment 75% → 30.00; reviews mean 4.5 → 90% → 36.00; check 100% → 20.00.
                Case {
                    items: Some(vec![Kept, Partly]),
                    late: false,
                    ratings: vec![5, 4, 5, 4],
                    checks: vec![good],
                },
                8_600,
                ScoreStatus::Graded {
                    grade: Grade::Qualified,
                },
                vec![],
                false,
            ),
            (
                // Two reviews only: no grade, whatever the total.
                Case {
                    items: Some(vec![Kept]),
                    late: false,
                    ratings: vec![5, 5],
                    checks: vec![good],
                },
                10_000,
                ScoreStatus::NotEnoughReviews { have: 2, need: 3 },
                vec![],
                false,
            ),
            (
                // No check: no inspection points, but a grade (min_checks 0).
                Case {
                    items: Some(vec![Kept]),
                    late: false,
                    ratings: vec![5, 5, 5],
                    checks: vec![],
                },
                8_000,
                ScoreStatus::Graded {
                    grade: Grade::Qualified,
                },
                vec![],
                false,
            ),
            (
                // No commitment: 0 points and disqualified.
                Case {
                    items: None,
                    late: false,
                    ratings: vec![5, 5, 5],
                    checks: vec![good],
                },
                6_000,
                ScoreStatus::Graded {
                    grade: Grade::Basic,
                },
                vec![Disqualifier::MissingCommitment],
                false,
            ),
            (
                // Checks: (40+0+15) and (0+30+0) → mean 42.5% → 8.50.
                Case {
                    items: Some(vec![NotKept, Pending]),
                    late: true,
                    ratings: vec![1, 2, 3],
                    checks: vec![(true, false, Service::Fair), (false, true, Service::Poor)],
                },
                // reviews mean 2 → 40% → 16.00
                1_600 + 850,
                ScoreStatus::Graded {
                    grade: Grade::Unqualified,
                },
                vec![],
                false,
            ),
        ];
        for (case, total, status, disq, award) in cases {
            let s = run(&rubric, &case, None);
            assert_eq!(s.total, total, "{:?}", s.explain(Lang::En));
            assert_eq!(s.status, status);
            assert_eq!(s.disqualifiers, disq);
            assert_eq!(s.award, award);
            assert_eq!(s.rubric_version, 1);
            assert_eq!(s.lines.iter().map(|l| l.points).sum::<u32>(), s.total);
        }
        // An office that asks for a check: none gives no grade.
        let rubric = Rubric {
            min_checks: 1,
            version: 2,
            ..Rubric::default()
        };
        let s = run(
            &rubric,
            &Case {
                items: Some(vec![Kept]),
                late: false,
                ratings: vec![5, 5, 5],
                checks: vec![],
            },
            None,
        );
        assert_eq!(s.status, ScoreStatus::NotEnoughChecks { have: 0, need: 1 });
        assert_eq!(s.status_text(Lang::ZhCn), "督导检查次数不足（0/1次）");
        assert_eq!(s.grade(), None);
    }

    #[test]
    fn each_half_year_is_scored_by_the_version_in_force_then() {
        use crate::ids::RubricId;
        let post = Post::new(
            PostId::from_u128(1),
            MemberId::from_u128(1),
            UnitId::from_u128(1),
            "窗口",
        )
        .unwrap();
        let reviews: Vec<PublicReview> = [date!(2010 - 03 - 01), date!(2010 - 09 - 01)]
            .into_iter()
            .flat_map(|on| (0..4u128).map(move |i| (on, i)))
            .map(|(on, i)| {
                PublicReview::new(
                    ReviewId::from_u128(u128::from(on.ordinal()) * 10 + i),
                    post.id,
                    on,
                    Rating::new(5).unwrap(),
                    None,
                    None,
                )
                .unwrap()
            })
            .collect();
        let evidence = Evidence {
            reviews: &reviews,
            ..Evidence::default()
        };
        // Made in August 2010: five reviews needed from 2010-H2 on.
        let v2 = Rubric {
            min_reviews: 5,
            ..Rubric::default()
        }
        .new_version(RubricId::from_u128(2), date!(2010 - 08 - 01), &[])
        .unwrap();
        let h1 = HalfYear::of(date!(2010 - 03 - 01));
        let h2 = HalfYear::of(date!(2010 - 09 - 01));
        let rubrics = [v2];
        let first = score(&rubrics, &post, h1, &evidence);
        assert_eq!(first.rubric_version, 1);
        // No commitment, no check: 40 points, but graded on three reviews.
        assert_eq!(first.status_text(Lang::ZhCn), "不合格");
        let second = score(&rubrics, &post, h2, &evidence);
        assert_eq!(second.rubric_version, 2);
        assert_eq!(
            second.status,
            ScoreStatus::NotEnoughReviews { have: 4, need: 5 }
        );
        assert_eq!(second.status_text(Lang::ZhCn), "评议人数不足（4/5人）");
        let all = score_all(
            &rubrics,
            std::slice::from_ref(&post),
            h2,
            &[],
            &reviews,
            &[],
            &Ladder::default(),
            None,
        );
        assert_eq!(all, vec![second]);
    }

    #[test]
    fn explanation_lists_every_criterion() {
        use Fulfilment::*;
        let case = Case {
            items: Some(vec![Kept, Partly]),
            late: false,
            ratings: vec![5, 4, 5, 4],
            checks: vec![(true, true, Service::Good)],
        };
        let s = run(&Rubric::default(), &case, None);
        let lines: Vec<(Criterion, Option<u32>, u32, u32)> = s
            .lines
            .iter()
            .map(|l| (l.criterion, l.raw, l.weight, l.points))
            .collect();
        assert_eq!(
            lines,
            vec![
                (Criterion::Commitment, Some(7_500), 40, 3_000),
                (Criterion::PublicReview, Some(9_000), 40, 3_600),
                (Criterion::Inspection, Some(10_000), 20, 2_000),
            ]
        );
        assert_eq!(s.lines[0].value_text(), "75.00%");
        assert_eq!(s.lines[0].points_text(), "30.00");
        assert_eq!(s.status_text(Lang::ZhCn), "合格");
        let zh = s.explain(Lang::ZhCn);
        assert_eq!(zh[0], "承诺兑现：75.00%（2项），权重40，得30.00分");
        assert_eq!(zh[3], "总分86.00，等次：合格");
        assert_eq!(zh.last().unwrap(), "不授予“党员示范岗”称号");
    }

    #[test]
    fn a_badge_warning_blocks_the_title() {
        use Fulfilment::*;
        let perfect = Case {
            items: Some(vec![Kept]),
            late: true,
            ratings: vec![5, 5, 5],
            checks: vec![(true, true, Service::Good)],
        };
        // Member 1 warned in March 2005 (three misses), scored for 2010-H2.
        let city = TinyCity::new();
        let checks: Vec<_> = (1..=3)
            .map(|i| city.check(i, city.units[0], day(i as u8 * 7), None))
            .collect();
        let member = MemberId::from_u128(1);
        let obs: Vec<_> = checks
            .iter()
            .enumerate()
            .map(|(i, c)| observation(i as u128 + 1, c, member, Outcome::NotWearing))
            .collect();
        let ladder = Ladder::compute(&checks, &obs);
        let s = run(&Rubric::default(), &perfect, ladder.member(member));
        assert_eq!(s.grade(), Some(Grade::Excellent));
        assert_eq!(s.disqualifiers, vec![Disqualifier::BadgeWarning]);
        assert!(!s.award);

        // Warnings off and late filing on: a late commitment now blocks.
        let mut rubric = Rubric::default();
        rubric.disqualify.badge_warning = false;
        rubric.disqualify.late_commitment = true;
        rubric.version = 2;
        let s = run(&rubric, &perfect, ladder.member(member));
        assert_eq!(s.disqualifiers, vec![Disqualifier::LateCommitment]);
        assert_eq!(s.rubric_version, 2);

        // Only two misses: criticism, not a warning: no disqualifier.
        let two = Ladder::compute(&checks[..2], &obs[..2]);
        let s = run(&Rubric::default(), &perfect, two.member(member));
        assert!(s.award);
    }

    #[test]
    fn evidence_outside_the_period_is_ignored_and_score_all_agrees() {
        let member = MemberId::from_u128(1);
        let post = Post::new(PostId::from_u128(1), member, UnitId::from_u128(1), "窗口").unwrap();
        let other = Post::new(
            PostId::from_u128(2),
            MemberId::from_u128(2),
            UnitId::from_u128(1),
            "柜台",
        )
        .unwrap();
        let period = HalfYear::of(date!(2010 - 09 - 01));
        let review = |id: u128, post: PostId, on: Date| {
            PublicReview::new(
                ReviewId::from_u128(id),
                post,
                on,
                Rating::new(5).unwrap(),
                None,
                None,
            )
            .unwrap()
        };
        let reviews = vec![
            review(1, post.id, date!(2010 - 07 - 01)),
            review(2, post.id, date!(2010 - 12 - 31)),
            review(3, post.id, date!(2010 - 06 - 30)), // H1: not counted
            review(4, other.id, date!(2010 - 08 - 01)),
        ];
        let s = score(
            &[],
            &post,
            period,
            &Evidence {
                reviews: &reviews,
                ..Evidence::default()
            },
        );
        assert_eq!(s.status, ScoreStatus::NotEnoughReviews { have: 2, need: 3 });
        let all = score_all(
            &[],
            &[other.clone(), post.clone()],
            period,
            &[],
            &reviews,
            &[],
            &Ladder::default(),
            None,
        );
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], s);
        assert_eq!(
            all[1].status,
            ScoreStatus::NotEnoughReviews { have: 1, need: 3 }
        );
    }

    /// The study of the holder (member 1 of branch 11 in unit 1), as
    /// core's index: `sessions` of 8 h each (`P` present, `A` absent), a
    /// delivery for the first absence if `delivered`.
    fn study(status: crate::org::MemberStatus, marks: &str, delivered: bool) -> StudyIndex {
        use crate::org::{Branch, Member, PostType, Unit};
        use crate::study::{
            Attendance, AttendanceStatus, DeliveryMethod, Hours, SessionKind, StudyDelivery,
            StudyFacts, StudySession, StudySettings,
        };
        let unit = Unit::new(UnitId::from_u128(1), SystemId::from_u128(1), "甲局").unwrap();
        let branch = Branch::new(BranchId::from_u128(11), unit.id, "一支部").unwrap();
        let member = Member::new(
            MemberId::from_u128(1),
            "党员",
            branch.id,
            PostType::Other,
            status,
        )
        .unwrap();
        let (mut sessions, mut attendance, mut deliveries) = (vec![], vec![], vec![]);
        for (i, mark) in marks.chars().enumerate() {
            let n = i as u128 + 1;
            let s = StudySession::new(
                StudySessionId::from_u128(100 + n),
                branch.id,
                date!(2010 - 03 - 01) + time::Duration::days(i as i64),
                Hours::whole(8).unwrap(),
                SessionKind::Collective,
                "集中学习",
            )
            .unwrap();
            let status = match mark {
                'P' => AttendanceStatus::Present,
                _ => AttendanceStatus::Absent,
            };
            attendance.push(
                Attendance::new(AttendanceId::from_u128(200 + n), s.id, member.id, status).unwrap(),
            );
            if mark == 'A' && delivered && deliveries.is_empty() {
                deliveries.push(
                    StudyDelivery::new(
                        StudyDeliveryId::from_u128(300 + n),
                        s.id,
                        member.id,
                        s.on,
                        DeliveryMethod::HomeVisit,
                        "",
                    )
                    .unwrap(),
                );
            }
            sessions.push(s);
        }
        let members = [member];
        let directory = crate::directory::Directory::new(&[unit], &[branch], &members, &[]);
        let facts = StudyFacts {
            sessions: &sessions,
            attendance: &attendance,
            deliveries: &deliveries,
            ..StudyFacts::default()
        };
        StudyIndex::new(&directory, &members, facts, &StudySettings::default())
    }

    #[test]
    fn study_short_blocks_the_title_when_the_rubric_says_so() {
        use crate::org::MemberStatus::{Abroad, Floating, InPost};
        let perfect = Case {
            items: Some(vec![Fulfilment::Kept]),
            late: false,
            ratings: vec![5, 5, 5],
            checks: vec![(true, true, Service::Good)],
        };
        let mut on = Rubric::default();
        on.disqualify.study_short = true;
        on.version = 2;
        let off = Rubric::default();
        assert!(!off.disqualify.study_short, "off by default");
        // (what, the holder's study, short of it)
        let cases: Vec<(&str, Option<StudyIndex>, bool)> = vec![
            ("no study facts at all", None, false),
            (
                "no session recorded yet",
                Some(study(InPost, "", false)),
                false,
            ),
            (
                "40 hours, nothing owed",
                Some(study(InPost, "PPPPP", false)),
                false,
            ),
            ("8 hours only", Some(study(InPost, "P", false)), true),
            (
                "40 hours but a missed day not made up",
                Some(study(InPost, "PPPPPA", false)),
                true,
            ),
            (
                "40 hours, the missed day made up by a delivery",
                Some(study(InPost, "PPPPPA", true)),
                false,
            ),
            (
                "made up but below the hours",
                Some(study(InPost, "PPPPA", true)),
                true,
            ),
            (
                "abroad: excused, owes nothing",
                Some(study(Abroad, "AA", false)),
                false,
            ),
            (
                "floating: no hours target, but owes a missed day",
                Some(study(Floating, "PA", false)),
                true,
            ),
            (
                "floating, nothing missed",
                Some(study(Floating, "P", false)),
                false,
            ),
        ];
        for (what, index, short) in &cases {
            let index = index.as_ref();
            assert_eq!(
                index.is_some_and(|i| i.study_short(MemberId::from_u128(1))),
                *short,
                "{what}"
            );
            let s = run_with(&on, &perfect, None, index);
            assert_eq!(s.grade(), Some(Grade::Excellent), "{what}: the grade stays");
            let want: Vec<Disqualifier> = short
                .then_some(Disqualifier::StudyShort)
                .into_iter()
                .collect();
            assert_eq!(s.disqualifiers, want, "{what}");
            assert_eq!(s.award, !short, "{what}");
            if *short {
                assert!(s
                    .explain(Lang::ZhCn)
                    .contains(&"不得授予：学习未达标".to_string()));
                assert!(s
                    .explain(Lang::En)
                    .contains(&"Disqualified: Study target not met".to_string()));
            }
            // Off (the default): the study never blocks.
            let s = run_with(&off, &perfect, None, index);
            assert!(s.disqualifiers.is_empty() && s.award, "{what}: off");
        }

        // Beside a badge warning: both listed, in the rubric's order.
        let city = TinyCity::new();
        let checks: Vec<_> = (1..=3)
            .map(|i| city.check(i, city.units[0], day(i as u8 * 7), None))
            .collect();
        let member = MemberId::from_u128(1);
        let obs: Vec<_> = checks
            .iter()
            .enumerate()
            .map(|(i, c)| observation(i as u128 + 1, c, member, Outcome::NotWearing))
            .collect();
        let ladder = Ladder::compute(&checks, &obs);
        let short = study(InPost, "P", false);
        let s = run_with(&on, &perfect, ladder.member(member), Some(&short));
        assert_eq!(
            s.disqualifiers,
            vec![Disqualifier::BadgeWarning, Disqualifier::StudyShort]
        );

        // score_all reads the index the same way.
        let post = Post::new(PostId::from_u128(1), member, UnitId::from_u128(1), "窗口").unwrap();
        let period = HalfYear::of(date!(2010 - 09 - 01));
        let all = |study: Option<&StudyIndex>| {
            score_all(
                std::slice::from_ref(&on),
                std::slice::from_ref(&post),
                period,
                &[],
                &[],
                &[],
                &Ladder::default(),
                study,
            )
            .remove(0)
            .disqualifiers
        };
        let want = vec![Disqualifier::MissingCommitment, Disqualifier::StudyShort];
        assert_eq!(all(Some(&short)), want);
        assert_eq!(all(Some(&study(InPost, "PPPPP", false))), want[..1]);
        assert_eq!(all(None), want[..1]);
    }
}
