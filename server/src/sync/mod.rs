//! `POST /api/sync/push`, `POST /api/sync/pull`, `GET /api/conflicts`:
//! the server's half of core's sync protocol ([`xianfeng_core::sync`]).
//! The handlers parse, rate-limit and answer; [`apply`] runs core's rules
//! inside one write transaction of the [`crate::store::Store`]; the SQL is
//! in [`crate::store::log`]. Handlers never see SQL.
//!
//! - A push is one write transaction. Any refusal (a gap, an invalid or
//!   out-of-scope change, a fact that differs from the stored one) rolls
//!   the whole batch back and answers 4xx with core's error code; on
//!   success every new change is applied, logged with its location, and
//!   the device's `last_seq` moves on. Replays are skipped by number and,
//!   for facts, by content, so a replayed batch changes nothing.
//! - A pull reads the log after the cursor in order (one snapshot) and
//!   keeps the rows the device's actor may read; the cursor moves past
//!   filtered rows too. Log numbers are handed out in commit order
//!   (ARCHITECTURE.md, "The pull cursor"), so a cursor never passes a
//!   change that commits later.
//! - The org directory used to place records is cached ([`org`]).
//! - Changes the server originates itself (the `--demo` city, reviews from
//!   the public review page) go through [`ingest_server_changes`]: the same
//!   path as a push, so phones pull them like any other record.
//! - Time is the server's one injectable clock ([`crate::Clock`]).

pub mod apply;
pub mod org;
pub mod refuse;

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use xianfeng_core::sync::{
    Change, Conflict, PullRequest, PullResponse, PushRequest, PushResponse, ServerChange,
    MAX_PULL_PAGE,
};

pub use apply::{ingest_server_changes, push_batch, OrgUpdate};
pub use org::OrgCache;

use crate::auth::AuthDevice;
use crate::error::AppError;
use crate::store::{log, Sql};
use crate::AppState;

/// The largest sync request body (a full batch of long records).
pub const MAX_SYNC_BODY_BYTES: usize = 4 * 1024 * 1024;
/// The most log rows one pull scans, readable or not, so a device that
/// sees little of a long log still gets quick answers (with `more`).
pub const MAX_PULL_SCAN: usize = 20_000;

fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, AppError> {
    serde_json::from_slice(body).map_err(|err| {
        let err = xianfeng_core::schema::json_error(err);
        AppError::from(err)
    })
}

/// `POST /api/sync/push`.
pub async fn push(
    State(state): State<AppState>,
    device: AuthDevice,
    body: Bytes,
) -> Result<Json<PushResponse>, AppError> {
    state.limits.check_sync(device.device_id)?;
    let request: PushRequest = parse_body(&body)?;
    let org = state.org.clone();
    let count = request.changes.len();
    let now = state.clock.now();
    let (response, update) = state
        .store
        .write(move |sql| {
            push_batch(sql, &org, device.device_id, &device.actor, request, now)
                .map_err(AppError::from)
        })
        .await?;
    update.publish(&state.org);
    tracing::debug!(changes = count, last_seq = response.last_seq, "push");
    Ok(Json(response))
}

/// Reads one page of the log for `device` (inside one snapshot).
pub fn pull_page(
    sql: &mut dyn Sql,
    device: &AuthDevice,
    request: &PullRequest,
) -> anyhow::Result<PullResponse> {
    let limit = request
        .limit
        .unwrap_or(MAX_PULL_PAGE)
        .clamp(1, MAX_PULL_PAGE) as usize;
    let mut changes = Vec::new();
    let mut last_scanned = request.cursor;
    let (mut scanned, mut chunk) = (0, limit);
    // Read in growing chunks: a reader that may see everything needs one.
    'scan: while scanned < MAX_PULL_SCAN {
        let take = chunk.min(MAX_PULL_SCAN - scanned);
        let rows = log::rows_after(sql, last_scanned, take)?;
        let done = rows.len() < take;
        for row in rows {
            scanned += 1;
            last_scanned = row.server_seq;
            if !device.actor.may_read(row.kind, &row.location) {
                continue;
            }
            let change: Change = serde_json::from_str(&row.body)?;
            changes.push(ServerChange {
                server_seq: row.server_seq,
                device: row.device.parse().map_err(|e| anyhow::anyhow!("{e}"))?,
                change,
            });
            if changes.len() == limit {
                break 'scan;
            }
        }
        if done {
            break;
        }
        chunk *= 2;
    }
    let log_end = log::log_end(sql)?;
    let last_seq = log::last_seq(sql, &device.device_id.to_string())?;
    Ok(PullResponse {
        changes,
        cursor: last_scanned,
        more: log_end > last_scanned,
        last_seq,
        log_end,
    })
}

/// `POST /api/sync/pull`.
pub async fn pull(
    State(state): State<AppState>,
    device: AuthDevice,
    body: Bytes,
) -> Result<Json<PullResponse>, AppError> {
    state.limits.check_sync(device.device_id)?;
    let request: PullRequest = parse_body(&body)?;
    let response = state
        .store
        .read(move |sql| pull_page(sql, &device, &request))
        .await
        .map_err(AppError::Internal)?;
    Ok(Json(response))
}

/// One entry of the office's conflict list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictEntry {
    /// Running number of the entry.
    pub number: u64,
    /// When the server recorded it.
    pub at: String,
    /// The device whose push caused it.
    pub device: String,
    #[serde(flatten)]
    pub conflict: Conflict,
}

/// `GET /api/conflicts`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictList {
    pub conflicts: Vec<ConflictEntry>,
}

/// `GET /api/conflicts` (office only): every conflict, newest first.
pub async fn conflicts(
    State(state): State<AppState>,
    device: AuthDevice,
) -> Result<Json<ConflictList>, AppError> {
    device.require_office()?;
    let rows = state
        .store
        .read(|sql| log::conflicts(sql))
        .await
        .map_err(AppError::Internal)?;
    let conflicts = rows
        .into_iter()
        .map(|(number, at, device, conflict)| ConflictEntry {
            number,
            at,
            device,
            conflict,
        })
        .collect();
    Ok(Json(ConflictList { conflicts }))
}
