//! API errors. Every `/api` failure is JSON of one shape,
//! `{"error":{"code":"<stable_code>","message":"<text>"}}`, so the client can
//! branch on `code` (stable, snake_case) and show or log `message` (free text).

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;

use crate::db::DbError;

/// An error an API handler returns; its variant picks the status and code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request is malformed or breaks a rule.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: credentials valid, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such route or resource.
    #[error("{0}")]
    NotFound(String),
    /// 405: the route exists, the method does not.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// 409: conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// 413: the body is over the limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 429: too many requests; `retry_after_secs` becomes `Retry-After`.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_secs: Option<u64>,
    },
    /// 503: a dependency (the database) is down for now.
    #[error("{0}")]
    Unavailable(String),
    /// 500: a bug or an unexpected failure. The detail is logged, never sent.
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
    /// Any 4xx with its own stable code (`invalid_code`, `sequence_gap`, a
    /// domain validation code, …) and optional machine-readable `details`
    /// (sent as `error.details`, e.g. the sequence number expected).
    #[error("{message}")]
    Coded {
        status: StatusCode,
        code: Cow<'static, str>,
        message: String,
        details: Option<serde_json::Value>,
    },
}

impl AppError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Coded { status, .. } => *status,
        }
    }

    /// The stable machine-readable code. Never rename one: clients match on it.
    pub fn code(&self) -> &str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::MethodNotAllowed(_) => "method_not_allowed",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
            AppError::Coded { code, .. } => code,
        }
    }

    /// A 4xx with its own stable `code`.
    pub fn coded(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> AppError {
        AppError::Coded {
            status,
            code: code.into(),
            message: message.into(),
            details: None,
        }
    }

    /// Adds machine-readable `details` to a [`AppError::Coded`] error.
    pub fn with_details(self, value: serde_json::Value) -> AppError {
        match self {
            AppError::Coded {
                status,
                code,
                message,
                ..
            } => AppError::Coded {
                status,
                code,
                message,
                details: Some(value),
            },
            other => other,
        }
    }

    /// The error a bare status (from a layer or an extractor rejection)
    /// stands for, with `message` as its text.
    pub fn from_status(status: StatusCode, message: String) -> AppError {
        match status {
            StatusCode::BAD_REQUEST
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
            | StatusCode::UNPROCESSABLE_ENTITY
            | StatusCode::LENGTH_REQUIRED => AppError::BadRequest(message),
            StatusCode::UNAUTHORIZED => AppError::Unauthorized(message),
            StatusCode::FORBIDDEN => AppError::Forbidden(message),
            StatusCode::NOT_FOUND => AppError::NotFound(message),
            StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed(message),
            StatusCode::CONFLICT => AppError::Conflict(message),
            StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(message),
            StatusCode::TOO_MANY_REQUESTS => AppError::RateLimited {
                message,
                retry_after_secs: None,
            },
            StatusCode::SERVICE_UNAVAILABLE => AppError::Unavailable(message),
            s if s.is_client_error() => AppError::BadRequest(message),
            _ => AppError::Internal(anyhow::anyhow!(message)),
        }
    }

    fn public_message(&self) -> String {
        match self {
            // Don't leak SQL, paths or stack details to clients.
            AppError::Internal(_) => "internal server error".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<DbError> for AppError {
    fn from(err: DbError) -> Self {
        AppError::Internal(err.into())
    }
}

/// A refused value or record: 400 with the domain's stable code, the English
/// message, and the zh-CN one in `details.message_zh`.
impl From<xianfeng_core::DomainError> for AppError {
    fn from(err: xianfeng_core::DomainError) -> Self {
        AppError::coded(StatusCode::BAD_REQUEST, err.code(), err.to_string()).with_details(
            serde_json::json!({ "message_zh": err.message(xianfeng_core::Lang::ZhCn) }),
        )
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        AppError::Internal(err)
    }
}

/// The JSON shape of every API error.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    pub error: ErrorDetail<'a>,
}

/// `code` and `message` of an [`ErrorBody`].
#[derive(Debug, Serialize)]
pub struct ErrorDetail<'a> {
    pub code: &'a str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<&'a serde_json::Value>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(code = self.code(), "{self}");
        }
        let message = self.public_message();
        let details = match &self {
            AppError::Coded { details, .. } => details.as_ref(),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: &message,
                details,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let AppError::RateLimited {
            retry_after_secs: Some(secs),
            ..
        } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// Whether `path` belongs to the API rather than the static app.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Middleware over the whole router, acting on `/api` paths only: turns
/// error responses that are not JSON (axum's 405, the body-limit layer's 413,
/// extractor rejections) into the JSON shape above, keeping the status and
/// headers such as `Allow`, and marks every API response
/// `Cache-Control: no-store`. It sits outside the body limit so even that
/// layer's 413 is shaped.
pub async fn api_middleware(request: Request, next: Next) -> Response {
    let is_api = is_api_path(request.uri().path());
    let response = next.run(request).await;
    if is_api {
        shape_api_response(response).await
    } else {
        response
    }
}

async fn shape_api_response(response: Response) -> Response {
    let mut response = if is_unshaped_error(&response) {
        let (parts, body) = response.into_parts();
        let text = axum::body::to_bytes(body, 4096)
            .await
            .ok()
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| {
                parts
                    .status
                    .canonical_reason()
                    .unwrap_or("error")
                    .to_owned()
            });
        let mut shaped = AppError::from_status(parts.status, text).into_response();
        *shaped.status_mut() = parts.status;
        for name in [header::ALLOW, header::RETRY_AFTER] {
            if let Some(value) = parts.headers.get(&name) {
                shaped.headers_mut().insert(name, value.clone());
            }
        }
        shaped
    } else {
        response
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn is_unshaped_error(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    !response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"))
}
