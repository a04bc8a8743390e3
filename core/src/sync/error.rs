//! Why a sync request was refused: a stable code for machines, a message in
//! zh-CN and English for people. Wraps [`DomainError`] for bad records.

use crate::error::{DomainError, Lang};
use crate::scope::Location;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// Change numbers start at 1 and stay below `MAX_SEQ`.
    #[error("change number {seq} is invalid: numbers start at 1")]
    InvalidSeq { seq: u64 },
    /// The batch skips numbers: the server expected `expected` next.
    #[error("change numbers have a gap: expected {expected}, got {got}")]
    SequenceGap { expected: u64, got: u64 },
    /// Numbers in a batch must rise by one.
    #[error("change numbers in a batch must be consecutive")]
    NotConsecutive,
    #[error("batch of {size} changes is larger than {max}")]
    BatchTooLarge { size: usize, max: usize },
    /// The same fact id arrived with different content.
    #[error("fact {kind} {id} already exists with different content")]
    FactConflict { kind: &'static str, id: String },
    /// A fact kind sent as a field update, or the other way round.
    #[error("{kind} records cannot be changed with {op}")]
    WrongOp {
        kind: &'static str,
        op: &'static str,
    },
    /// Computed numbers are never synced.
    #[error("{kind} records are derived and never synced")]
    NotSyncable { kind: &'static str },
    /// A field that is not part of the record, or the id itself.
    #[error("field {field} cannot be set on {kind}")]
    UnknownField { kind: &'static str, field: String },
    /// The record's id does not match the change's id.
    #[error("record id does not match the change id")]
    IdMismatch,
    /// A record points at a parent this side has not received yet.
    #[error("{kind} {id} is not known yet")]
    UnknownParent { kind: &'static str, id: String },
    /// The actor may not write a record of `kind` at `location` (the
    /// changed record's old or new place, its parent's, or that of a
    /// record that would move with it).
    #[error("this device may not write {kind} records there")]
    Forbidden {
        kind: &'static str,
        location: Location,
    },
    /// The record itself is invalid.
    #[error(transparent)]
    Invalid(#[from] DomainError),
}

impl SyncError {
    /// Whether the same change, sent again unchanged, may be accepted
    /// later: the batch was numbered or sized wrongly, or a parent has not
    /// arrived yet. `false` for a change refused however often it is sent
    /// (an invalid record, a fact that conflicts, no right to write there):
    /// the phone sets it aside for its user instead of blocking the rest of
    /// its outbox behind it. The server sends the answer with each refusal
    /// (`details.retryable`), so the phone never keeps its own list of
    /// codes; a refusal without it (a code core does not make) is retried.
    pub fn is_retryable(&self) -> bool {
        match self {
            SyncError::SequenceGap { .. }
            | SyncError::NotConsecutive
            | SyncError::BatchTooLarge { .. }
            | SyncError::UnknownParent { .. } => true,
            SyncError::InvalidSeq { .. }
            | SyncError::FactConflict { .. }
            | SyncError::WrongOp { .. }
            | SyncError::NotSyncable { .. }
            | SyncError::UnknownField { .. }
            | SyncError::IdMismatch
            | SyncError::Forbidden { .. }
            | SyncError::Invalid(_) => false,
        }
    }

    /// The stable code sent in JSON errors.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::InvalidSeq { .. } => "invalid_seq",
            SyncError::SequenceGap { .. } => "sequence_gap",
            SyncError::NotConsecutive => "not_consecutive",
            SyncError::BatchTooLarge { .. } => "batch_too_large",
            SyncError::FactConflict { .. } => "fact_conflict",
            SyncError::WrongOp { .. } => "wrong_op",
            SyncError::NotSyncable { .. } => "not_syncable",
            SyncError::UnknownField { .. } => "unknown_field",
            SyncError::IdMismatch => "id_mismatch",
            SyncError::Forbidden { .. } => "forbidden",
            SyncError::UnknownParent { .. } => "unknown_parent",
            SyncError::Invalid(e) => e.code(),
        }
    }

    /// A message for people.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SyncError::Invalid(e), _) => e.message(lang),
            (_, Lang::En) => self.to_string(),
            (SyncError::InvalidSeq { seq }, Lang::ZhCn) => {
                format!("同步编号 {seq} 无效：编号从 1 开始")
            }
            (SyncError::SequenceGap { expected, got }, Lang::ZhCn) => {
                format!("同步编号不连续：应为 {expected}，收到 {got}")
            }
            (SyncError::NotConsecutive, Lang::ZhCn) => "同一批次的同步编号必须连续".into(),
            (SyncError::BatchTooLarge { size, max }, Lang::ZhCn) => {
                format!("一批 {size} 条超过上限 {max} 条")
            }
            (SyncError::FactConflict { .. }, Lang::ZhCn) => {
                "同一条记录已存在且内容不同，已拒收".into()
            }
            (SyncError::WrongOp { .. }, Lang::ZhCn) => "这类记录不能这样修改".into(),
            (SyncError::NotSyncable { .. }, Lang::ZhCn) => "统计数字由记录计算得出，不同步".into(),
            (SyncError::UnknownField { field, .. }, Lang::ZhCn) => format!("无法修改字段“{field}”"),
            (SyncError::IdMismatch, Lang::ZhCn) => "记录编号与变更编号不一致".into(),
            (SyncError::Forbidden { .. }, Lang::ZhCn) => "超出本设备的权限范围，已拒收".into(),
            (SyncError::UnknownParent { .. }, Lang::ZhCn) => {
                "所属的上级记录尚未同步，请稍后再试".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Location;

    /// Every refusal, its code, and whether the same change may pass later.
    #[test]
    fn each_refusal_says_whether_sending_again_may_help() {
        let table: Vec<(SyncError, &str, bool)> = vec![
            (
                SyncError::SequenceGap {
                    expected: 3,
                    got: 5,
                },
                "sequence_gap",
                true,
            ),
            (SyncError::NotConsecutive, "not_consecutive", true),
            (
                SyncError::BatchTooLarge { size: 9, max: 1 },
                "batch_too_large",
                true,
            ),
            (
                SyncError::UnknownParent {
                    kind: "spot_check",
                    id: "x".into(),
                },
                "unknown_parent",
                true,
            ),
            (SyncError::InvalidSeq { seq: 0 }, "invalid_seq", false),
            (
                SyncError::FactConflict {
                    kind: "visit",
                    id: "x".into(),
                },
                "fact_conflict",
                false,
            ),
            (
                SyncError::WrongOp {
                    kind: "visit",
                    op: "set",
                },
                "wrong_op",
                false,
            ),
            (
                SyncError::NotSyncable { kind: "summary" },
                "not_syncable",
                false,
            ),
            (
                SyncError::UnknownField {
                    kind: "visit",
                    field: "extra".into(),
                },
                "unknown_field",
                false,
            ),
            (SyncError::IdMismatch, "id_mismatch", false),
            (
                SyncError::Forbidden {
                    kind: "household",
                    location: Location::default(),
                },
                "forbidden",
                false,
            ),
            (
                SyncError::Invalid(DomainError::ThresholdOrder),
                "threshold_order",
                false,
            ),
        ];
        for (error, code, retryable) in table {
            assert_eq!(error.code(), code);
            assert_eq!(error.is_retryable(), retryable, "{code}");
        }
    }
}
