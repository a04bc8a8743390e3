//! Where a unit stands in its 转段评估, derived from the facts.
//!
//! The rule: a unit's latest review (by date, then id) is the current one;
//! a unit never reviewed is 未评估. The current review is 待签字 until a
//! sign-off of it exists, then 待审批 until the office decides on it; the
//! latest decision on it (by date, then id) makes the unit 已转段 or
//! 需补课 with the points owed. A decision on a review nobody signed does
//! not count (004: 转段时必须经督导组签字把关，由 … 办公室审查批准): the
//! unit stays 待签字 until the signature arrives, whatever the order in
//! which the facts sync. After 补课 the group reviews again, and the new
//! review starts over.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::transition::{Outcome, TransitionDecision, TransitionReview, TransitionSignOff};
use crate::hash::{map_with_capacity, FastMap};
use crate::ids::{SignOffId, TransitionDecisionId, TransitionReviewId, UnitId};

labelled_enum! {
    /// A unit's 转段评估 stage.
    pub enum TransitionStage: "transition_stage" {
        NotReviewed = "not_reviewed", "未评估", "Not reviewed";
        AwaitingSignOff = "awaiting_sign_off", "待签字", "Awaiting the group leader's signature";
        AwaitingApproval = "awaiting_approval", "待审批", "Awaiting the office's approval";
        Transitioned = "transitioned", "已转段", "Moved to the next stage";
        MakeUpOwed = "make_up_owed", "需补课", "Make-up ordered";
    }
}

/// A unit's 转段评估 status and the facts it rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionStatus {
    pub unit: UnitId,
    pub stage: TransitionStage,
    /// The current (latest) review.
    pub review: Option<TransitionReviewId>,
    /// Points of the current review not met (positions from 0).
    pub unmet: Vec<u16>,
    pub sign_off: Option<SignOffId>,
    pub decision: Option<TransitionDecisionId>,
    /// Points the office ordered made up (需补课 only).
    pub owed: Vec<u16>,
}

/// The status of one unit.
pub fn transition_status(
    unit: UnitId,
    reviews: &[TransitionReview],
    sign_offs: &[TransitionSignOff],
    decisions: &[TransitionDecision],
) -> TransitionStatus {
    transition_statuses(&[unit], reviews, sign_offs, decisions)
        .pop()
        .expect("one unit in, one status out")
}

/// The status of each of `units` (in their order), in one pass over the
/// facts. Units without a review are 未评估.
pub fn transition_statuses(
    units: &[UnitId],
    reviews: &[TransitionReview],
    sign_offs: &[TransitionSignOff],
    decisions: &[TransitionDecision],
) -> Vec<TransitionStatus> {
    let mut current: BTreeMap<UnitId, &TransitionReview> = BTreeMap::new();
    for r in reviews {
        let slot = current.entry(r.unit).or_insert(r);
        if (r.on, r.id) > (slot.on, slot.id) {
            *slot = r;
        }
    }
    let mut signed: FastMap<TransitionReviewId, &TransitionSignOff> =
        map_with_capacity(sign_offs.len());
    for s in sign_offs {
        let slot = signed.entry(s.review).or_insert(s);
        if (s.on, s.id) > (slot.on, slot.id) {
            *slot = s;
        }
    }
    let mut decided: FastMap<TransitionReviewId, &TransitionDecision> =
        map_with_capacity(decisions.len());
    for d in decisions {
        let slot = decided.entry(d.review).or_insert(d);
        if (d.on, d.id) > (slot.on, slot.id) {
            *slot = d;
        }
    }
    units
        .iter()
        .map(|&unit| {
            let mut status = TransitionStatus {
                unit,
                stage: TransitionStage::NotReviewed,
                review: None,
                unmet: Vec::new(),
                sign_off: None,
                decision: None,
                owed: Vec::new(),
            };
            let Some(review) = current.get(&unit) else {
                return status;
            };
            status.review = Some(review.id);
            status.unmet = review.unmet();
            status.stage = TransitionStage::AwaitingSignOff;
            let Some(sign_off) = signed.get(&review.id) else {
                return status;
            };
            status.sign_off = Some(sign_off.id);
            status.stage = TransitionStage::AwaitingApproval;
            if let Some(decision) = decided.get(&review.id) {
                status.decision = Some(decision.id);
                match &decision.outcome {
                    Outcome::Approved {} => status.stage = TransitionStage::Transitioned,
                    Outcome::MakeUp { points } => {
                        status.stage = TransitionStage::MakeUpOwed;
                        status.owed = points.clone();
                    }
                }
            }
            status
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ChecklistId, InspectorId, MemberId};
    use crate::study::{PointResult, Recorder};
    use time::macros::date;
    use time::Date;

    fn review(id: u128, unit: u128, on: Date, met: [bool; 3]) -> TransitionReview {
        TransitionReview {
            id: TransitionReviewId::from_u128(id),
            unit: UnitId::from_u128(unit),
            checklist: ChecklistId::from_u128(1),
            inspector: InspectorId::from_u128(50),
            group: None,
            on,
            results: met.iter().map(|&m| PointResult::new(m, "")).collect(),
            note: String::new(),
        }
    }

    fn sign(id: u128, review: u128) -> TransitionSignOff {
        TransitionSignOff {
            id: SignOffId::from_u128(id),
            review: TransitionReviewId::from_u128(review),
            leader: InspectorId::from_u128(51),
            on: date!(2005 - 03 - 21),
            note: String::new(),
        }
    }

    fn decide(id: u128, review: u128, on: Date, outcome: Outcome) -> TransitionDecision {
        TransitionDecision {
            id: TransitionDecisionId::from_u128(id),
            review: TransitionReviewId::from_u128(review),
            decided_by: Recorder::Member(MemberId::from_u128(60)),
            on,
            outcome,
            note: String::new(),
        }
    }

    #[test]
    fn stages_table() {
        use TransitionStage::*;
        let (d1, d2, d3) = (
            date!(2005 - 03 - 20),
            date!(2005 - 03 - 25),
            date!(2005 - 03 - 30),
        );
        let ok = Outcome::Approved {};
        let owe = |p: &[u16]| Outcome::MakeUp { points: p.to_vec() };
        let first = review(1, 9, d1, [true, false, false]);
        let again = review(2, 9, d3, [true, true, true]);
        type Case = (
            &'static str,
            Vec<TransitionReview>,
            Vec<TransitionSignOff>,
            Vec<TransitionDecision>,
            TransitionStage,
            Vec<u16>,
        );
        let cases: Vec<Case> = vec![
            ("nothing", vec![], vec![], vec![], NotReviewed, vec![]),
            (
                "reviewed",
                vec![first.clone()],
                vec![],
                vec![],
                AwaitingSignOff,
                vec![],
            ),
            (
                "decided before the signature arrived",
                vec![first.clone()],
                vec![],
                vec![decide(20, 1, d2, ok.clone())],
                AwaitingSignOff,
                vec![],
            ),
            (
                "signed",
                vec![first.clone()],
                vec![sign(10, 1)],
                vec![],
                AwaitingApproval,
                vec![],
            ),
            (
                "approved",
                vec![first.clone()],
                vec![sign(10, 1)],
                vec![decide(20, 1, d2, ok.clone())],
                Transitioned,
                vec![],
            ),
            (
                "补课 ordered",
                vec![first.clone()],
                vec![sign(10, 1)],
                vec![decide(20, 1, d2, owe(&[1, 2]))],
                MakeUpOwed,
                vec![1, 2],
            ),
            (
                "the later decision counts",
                vec![first.clone()],
                vec![sign(10, 1)],
                vec![decide(21, 1, d3, ok.clone()), decide(20, 1, d2, owe(&[1]))],
                Transitioned,
                vec![],
            ),
            (
                "reviewed again after 补课",
                vec![again.clone(), first.clone()],
                vec![sign(10, 1)],
                vec![decide(20, 1, d2, owe(&[1]))],
                AwaitingSignOff,
                vec![],
            ),
            (
                "the new review approved",
                vec![first.clone(), again.clone()],
                vec![sign(10, 1), sign(11, 2)],
                vec![decide(20, 1, d2, owe(&[1])), decide(22, 2, d3, ok.clone())],
                Transitioned,
                vec![],
            ),
        ];
        let unit = UnitId::from_u128(9);
        for (name, reviews, sign_offs, decisions, stage, owed) in cases {
            let got = transition_status(unit, &reviews, &sign_offs, &decisions);
            assert_eq!((got.stage, got.owed.clone()), (stage, owed), "{name}");
            let mut rev = (reviews.clone(), sign_offs.clone(), decisions.clone());
            rev.0.reverse();
            rev.1.reverse();
            rev.2.reverse();
            assert_eq!(
                transition_status(unit, &rev.0, &rev.1, &rev.2),
                got,
                "{name}: order does not matter"
            );
        }
        let s = transition_status(unit, &[first], &[], &[]);
        assert_eq!(s.unmet, vec![1, 2]);
        assert_eq!(
            TransitionStage::MakeUpOwed.label(crate::Lang::ZhCn),
            "需补课"
        );
    }

    #[test]
    fn many_units_in_one_pass() {
        let d = date!(2005 - 03 - 20);
        let reviews = [review(1, 1, d, [true; 3]), review(2, 2, d, [true; 3])];
        let units = [1, 2, 3].map(UnitId::from_u128);
        let all = transition_statuses(&units, &reviews, &[sign(10, 2)], &[]);
        let stages: Vec<_> = all.iter().map(|s| (s.unit, s.stage)).collect();
        assert_eq!(
            stages,
            vec![
                (units[0], TransitionStage::AwaitingSignOff),
                (units[1], TransitionStage::AwaitingApproval),
                (units[2], TransitionStage::NotReviewed),
            ]
        );
    }
}
