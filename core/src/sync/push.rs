//! The server's decision for a pushed batch: which changes are new, which
//! are replays, and whether the numbering is acceptable.

use super::change::Change;
use super::error::SyncError;

/// The most changes one push may carry.
pub const MAX_BATCH: usize = 500;

/// What to do with a batch, given the device's last processed number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushPlan {
    /// Leading changes already processed (replays): skip them.
    pub skip: usize,
    /// The device's last processed number after applying the rest.
    pub new_last_seq: u64,
}

/// Replays are skipped, gaps refused: the batch must be consecutive, and its
/// first unseen number must be `last_seq + 1`.
pub fn plan_push(last_seq: u64, changes: &[Change]) -> Result<PushPlan, SyncError> {
    if changes.len() > MAX_BATCH {
        return Err(SyncError::BatchTooLarge {
            size: changes.len(),
            max: MAX_BATCH,
        });
    }
    if changes.windows(2).any(|w| w[1].seq != w[0].seq + 1) {
        return Err(SyncError::NotConsecutive);
    }
    let skip = changes.iter().take_while(|c| c.seq <= last_seq).count();
    match changes.get(skip) {
        None => Ok(PushPlan {
            skip,
            new_last_seq: last_seq,
        }),
        Some(first) if first.seq == last_seq + 1 => Ok(PushPlan {
            skip,
            new_last_seq: changes.last().map_or(last_seq, |c| c.seq),
        }),
        Some(first) => Err(SyncError::SequenceGap {
            expected: last_seq + 1,
            got: first.seq,
        }),
    }
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
        let cases: [(u64, &[u64], Result<PushPlan, &str>); 8] = [
            (0, &[1, 2, 3], ok(0, 3)),
            (0, &[], ok(0, 0)),
            (3, &[1, 2, 3], ok(3, 3)),    // a full replay: no-op
            (2, &[1, 2, 3, 4], ok(2, 4)), // overlap: skip the seen ones
            (3, &[5, 6], Err("sequence_gap")),
            (0, &[2], Err("sequence_gap")),
            (0, &[1, 3], Err("not_consecutive")),
            (0, &[1, 1], Err("not_consecutive")),
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
