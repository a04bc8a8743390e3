//! How a refused sync request is answered: core's `SyncError` as a JSON
//! 4xx with its stable code, the zh-CN message, whether a retry may
//! succeed (core's `is_retryable`) and which change was refused.

use axum::http::StatusCode;
use serde_json::{json, Value};
use xianfeng_core::sync::{Change, SyncError};
use xianfeng_core::Lang;

use crate::error::AppError;

fn sync_status(err: &SyncError) -> StatusCode {
    match err {
        SyncError::SequenceGap { .. }
        | SyncError::FactConflict { .. }
        | SyncError::UnknownParent { .. } => StatusCode::CONFLICT,
        SyncError::BatchTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        SyncError::Forbidden { .. } => StatusCode::FORBIDDEN,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// A refused batch: core's code and English message; `details` has the
/// zh-CN message, whether sending the change again may succeed (core's
/// `is_retryable`), and `seq` / `kind` / `id` of the change that was refused
/// (for a gap: `expected` and `got`; for `forbidden`: the `location`).
pub fn refuse(err: SyncError, change: Option<&Change>) -> AppError {
    let mut details = serde_json::Map::new();
    details.insert("message_zh".into(), json!(err.message(Lang::ZhCn)));
    details.insert("retryable".into(), json!(err.is_retryable()));
    match &err {
        SyncError::SequenceGap { expected, got } => {
            details.insert("expected".into(), json!(expected));
            details.insert("got".into(), json!(got));
        }
        SyncError::Forbidden { location, .. } => {
            details.insert("location".into(), json!(location));
        }
        _ => {}
    }
    if let Some(c) = change {
        details.insert("seq".into(), json!(c.seq));
        details.insert("kind".into(), json!(c.kind));
        details.insert("id".into(), json!(c.id));
    }
    AppError::coded(sync_status(&err), err.code(), err.to_string())
        .with_details(Value::Object(details))
}

/// A failure inside a push: a refusal to send, or a database error. Either
/// rolls the whole transaction back.
pub enum Fail {
    Refused(AppError),
    Db(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Fail {
    fn from(err: E) -> Self {
        Fail::Db(err.into())
    }
}

impl From<Fail> for AppError {
    fn from(fail: Fail) -> Self {
        match fail {
            Fail::Refused(err) => err,
            Fail::Db(err) => AppError::Internal(err),
        }
    }
}
