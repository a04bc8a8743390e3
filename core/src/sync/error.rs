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
