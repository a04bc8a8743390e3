//! `GET /api/health`: lets an operator, a load balancer or the app itself see
//! that this server runs, which version it is, and that its database answers.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::AppState;

/// The health report. `database` is `"ok"` or `"error"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub version: String,
    pub database: String,
}

/// 200 with `database: "ok"` after a real query through [`crate::db::Db`];
/// 503 with `database: "error"` if that query fails.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    // Reads a migrated table, so this also proves the schema is in place.
    let check = state
        .db
        .call(|conn| {
            Ok(
                conn.query_row("SELECT count(*) FROM server_meta", [], |row| {
                    row.get::<_, i64>(0)
                })?,
            )
        })
        .await;
    let (status, database) = match check {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(err) => {
            tracing::warn!("health check: database error: {err}");
            (StatusCode::SERVICE_UNAVAILABLE, "error")
        }
    };
    (
        status,
        Json(Health {
            version: xianfeng_core::VERSION.to_owned(),
            database: database.to_owned(),
        }),
    )
}
