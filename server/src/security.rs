//! Security headers sent on every response, static or API. The app is a
//! same-origin PWA: it loads nothing from elsewhere, so the policy is strict.
//! `'wasm-unsafe-eval'` is needed to compile the app's WebAssembly; no
//! `'unsafe-inline'` anywhere, so the build must not emit inline scripts/styles.

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy for everything this server sends.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; \
img-src 'self' data:; \
connect-src 'self'; \
manifest-src 'self'; \
worker-src 'self'; \
object-src 'none'; \
base-uri 'self'; \
form-action 'self'; \
frame-ancestors 'none'";

/// The headers, in one list so tests and docs can name them.
pub const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Wraps `router` so every response carries [`SECURITY_HEADERS`].
pub fn with_security_headers(router: Router) -> Router {
    SECURITY_HEADERS
        .into_iter()
        .fold(router, |router, (name, value)| {
            router.layer(SetResponseHeaderLayer::overriding(
                name,
                HeaderValue::from_static(value),
            ))
        })
}
