//! `GET /api/health`: lets an operator, a load balancer or the app itself see
//! that this server runs, which version it is, that its database answers,
//! and whether it serves demo data (`--demo`: the app then shows 演示数据).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::AppState;

/// The health report. `database` is `"ok"` or `"error"`; `demo` is true
/// when the database holds the demo city (false if it cannot be read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub version: String,
    pub database: String,
    pub demo: bool,
}

/// 200 with `database: "ok"` after a real query through [`crate::store::Store`];
/// 503 with `database: "error"` if that query fails.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    // Reads a migrated table, so this also proves the schema is in place.
    let check = state.store.read(crate::demo::is_demo_db).await;
    let (status, database, demo) = match check {
        Ok(demo) => (StatusCode::OK, "ok", demo),
        Err(err) => {
            tracing::warn!("health check: database error: {err}");
            (StatusCode::SERVICE_UNAVAILABLE, "error", false)
        }
    };
    (
        status,
        Json(Health {
            version: xianfeng_core::VERSION.to_owned(),
            database: database.to_owned(),
            demo,
        }),
    )
}
