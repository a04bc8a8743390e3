//! The server's decision for a pushed batch: which changes are new, which
//! are replays, and whether the numbering is acceptable.
//!
//! Total by construction: every input (any numbers, any length) gets an
//! answer, never a panic, and all arithmetic is checked. A plan never
//! acknowledges a number it did not process: the new `last_seq` is the
//! number of the last change the holder will apply, and those changes are
//! exactly `last_seq + 1 ..= new_last_seq` (property-tested).

use super::change::Change;
use super::error::SyncError;

/// The most changes one push may carry.
pub const MAX_BATCH: usize = 500;

/// The largest change number: one every peer stores exactly (JavaScript's
/// largest safe integer, so also within SQLite's signed 64-bit INTEGER).
/// Numbers start at 1; 0 and anything above this are refused.
pub const MAX_SEQ: u64 = (1 << 53) - 1;

/// What to do with a batch, given the device's last processed number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushPlan {
    /// Leading changes already processed (replays): skip them.
    pub skip: usize,
    /// The device's last processed number after applying the rest.
    pub new_last_seq: u64,
}

/// Replays are skipped, gaps refused: every number must be in
/// `1..=MAX_SEQ`, the batch consecutive, and its first unseen number
/// `last_seq + 1`.
pub fn plan_push(last_seq: u64, changes: &[Change]) -> Result<PushPlan, SyncError> {
    if changes.len() > MAX_BATCH {
        return Err(SyncError::BatchTooLarge {
            size: changes.len(),
            max: MAX_BATCH,
        });
    }
    if let Some(bad) = changes.iter().find(|c| !(1..=MAX_SEQ).contains(&c.seq)) {
        return Err(SyncError::InvalidSeq { seq: bad.seq });
    }
    if changes
        .windows(2)
        .any(|w| w[0].seq.checked_add(1) != Some(w[1].seq))
    {
        return Err(SyncError::NotConsecutive);
    }
    let skip = changes.iter().take_while(|c| c.seq <= last_seq).count();
    let Some(first) = changes.get(skip) else {
        return Ok(PushPlan {
            skip,
            new_last_seq: last_seq,
        });
    };
    let expected = last_seq.checked_add(1);
    if expected != Some(first.seq) {
        return Err(SyncError::SequenceGap {
            expected: expected.unwrap_or(u64::MAX),
            got: first.seq,
        });
    }
    Ok(PushPlan {
        skip,
        new_last_seq: changes.last().map_or(last_seq, |c| c.seq),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use crate::schema::RecordKind;
    use crate::sync::{Hlc, Op};
    use serde_json::json;
    use uuid::Uuid;

    fn batch(seqs: &[u64]) -> Vec<Change> {
        seqs.iter()
            .map(|&seq| Change {
                schema: 1,
                seq,
                kind: RecordKind::Visit,
                id: Uuid::from_u128(seq as u128),
                hlc: Hlc::zero(DeviceId::from_u128(1)),
                op: Op::Insert { record: json!({}) },
            })
            .collect()
    }

    #[test]
    fn plan_table() {
        let ok = |skip, new_last_seq| Ok(PushPlan { skip, new_last_seq });
        let cases: [(u64, &[u64], Result<PushPlan, &str>); 16] = [
            (0, &[1, 2, 3], ok(0, 3)),
            (0, &[], ok(0, 0)),
            (3, &[1, 2, 3], ok(3, 3)),    // a full replay: no-op
            (2, &[1, 2, 3, 4], ok(2, 4)), // overlap: skip the seen ones
            (3, &[5, 6], Err("sequence_gap")),
            (0, &[2], Err("sequence_gap")),
            (0, &[1, 3], Err("not_consecutive")),
            (0, &[1, 1], Err("not_consecutive")),
            // Numbers start at 1: a 0 is never acknowledged (nor dropped).
            (0, &[0], Err("invalid_seq")),
            (0, &[0, 1], Err("invalid_seq")),
            (5, &[0], Err("invalid_seq")),
            // No overflow, whatever the numbers.
            (0, &[u64::MAX, 0], Err("invalid_seq")),
            (0, &[MAX_SEQ + 1], Err("invalid_seq")),
            (MAX_SEQ - 1, &[MAX_SEQ], ok(0, MAX_SEQ)),
            (u64::MAX, &[1, 2], ok(2, u64::MAX)),
            (u64::MAX, &[], ok(0, u64::MAX)),
        ];
        for (last, seqs, want) in cases {
            let got = plan_push(last, &batch(seqs)).map_err(|e| e.code());
            assert_eq!(got, want, "last {last}, batch {seqs:?}");
        }
    }

    #[test]
    fn oversized_batches_are_refused() {
        let seqs: Vec<u64> = (1..=MAX_BATCH as u64 + 1).collect();
        assert_eq!(
            plan_push(0, &batch(&seqs)).unwrap_err().code(),
            "batch_too_large"
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::ids::DeviceId;
    use crate::schema::RecordKind;
    use crate::sync::{Hlc, Op};
    use proptest::prelude::*;
    use serde_json::json;
    use uuid::Uuid;

    fn change(seq: u64) -> Change {
        Change {
            schema: 1,
            seq,
            kind: RecordKind::Visit,
            id: Uuid::nil(),
            hlc: Hlc::zero(DeviceId::from_u128(1)),
            op: Op::Insert { record: json!({}) },
        }
    }

    /// Numbers near the edges as often as anywhere: 0, 1, around
    /// `last_seq`, around `MAX_SEQ` and `u64::MAX`.
    fn number() -> impl Strategy<Value = u64> {
        prop_oneof![
            0..8u64,
            (MAX_SEQ - 4)..=(MAX_SEQ + 4),
            (u64::MAX - 4)..=u64::MAX,
            any::<u64>(),
        ]
    }

    /// A batch: arbitrary numbers, or a consecutive run from a start.
    fn batch() -> impl Strategy<Value = Vec<u64>> {
        prop_oneof![
            prop::collection::vec(number(), 0..8),
            (number(), 0..8usize).prop_map(|(start, n)| {
                (0..n as u64).map_while(|i| start.checked_add(i)).collect()
            }),
        ]
    }

    proptest! {
        /// Any batch against any last number: an answer, never a panic;
        /// and an accepted plan applies exactly `last+1..=new_last`.
        #[test]
        fn plans_are_total_and_never_skip_a_number(last in number(), seqs in batch()) {
            let changes: Vec<Change> = seqs.iter().map(|&s| change(s)).collect();
            let Ok(plan) = plan_push(last, &changes) else {
                return Ok(());
            };
            prop_assert!(plan.skip <= changes.len());
            prop_assert!(changes.iter().all(|c| (1..=MAX_SEQ).contains(&c.seq)));
            prop_assert!(changes[..plan.skip].iter().all(|c| c.seq <= last));
            let applied: Vec<u64> = changes[plan.skip..].iter().map(|c| c.seq).collect();
            if applied.is_empty() {
                prop_assert_eq!(plan.new_last_seq, last);
            } else {
                let want: Vec<u64> = (last + 1..=plan.new_last_seq).collect();
                prop_assert_eq!(applied, want, "a gap or a number acknowledged unprocessed");
            }
        }
    }
}
