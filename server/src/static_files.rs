//! Serving the built web app from `--app-dir`.
//!
//! The build writes content-hashed assets (`xianfeng-0123456789abcdef_bg.wasm`)
//! with `.br`/`.gz` siblings; `ServeDir` picks the sibling the client accepts.
//! Hashed names never change content, so they are cached for a year; the
//! entry points (`index.html`, `sw.js`, the manifest) must be revalidated on
//! every load or an update could never reach a phone. Client-side routes
//! (`/xuncha`) get `index.html`; a missing asset gets a real 404, never HTML,
//! so a stale service worker can't cache a page as JavaScript.

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::{is_api_path, AppError};
use crate::AppState;

/// `Cache-Control` for content-hashed assets.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for entry points, SPA fallbacks and errors: always revalidate.
pub const CACHE_REVALIDATE: &str = "no-cache";
/// `Cache-Control` for other static files (icons, images).
pub const CACHE_DEFAULT: &str = "public, max-age=86400";

/// The app directory and the services that read it.
#[derive(Clone, Debug)]
pub struct StaticFiles {
    dir: PathBuf,
    files: ServeDir,
    index: ServeFile,
}

impl StaticFiles {
    pub fn new(dir: impl Into<PathBuf>) -> StaticFiles {
        let dir = dir.into();
        let files = ServeDir::new(&dir).precompressed_br().precompressed_gzip();
        let index = ServeFile::new(dir.join("index.html"))
            .precompressed_br()
            .precompressed_gzip();
        StaticFiles { dir, files, index }
    }

    /// The app directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Logs a warning if there is no app to serve (the API still works).
    pub fn warn_if_missing(&self) {
        if !self.dir.is_dir() {
            tracing::warn!(
                app_dir = %self.dir.display(),
                "app directory does not exist: only the API is served \
                 (build the web app or pass --app-dir)"
            );
        } else if !self.dir.join("index.html").is_file() {
            tracing::warn!(
                app_dir = %self.dir.display(),
                "app directory has no index.html: the app will not load"
            );
        }
    }
}

/// The router's fallback: a file from the app directory, or `index.html` for
/// a client-side route.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if is_api_path(&path) {
        // Unreachable while the router sends all of /api elsewhere; kept so
        // an API path can never be answered with the app's HTML.
        return AppError::NotFound(format!("no API route {path}")).into_response();
    }
    let files = &state.static_files;
    let method = request.method().clone();
    let headers = request.headers().clone();

    let response = infallible(files.files.clone().oneshot(request).await).map(Body::new);
    let spa = response.status() == StatusCode::NOT_FOUND
        && (method == Method::GET || method == Method::HEAD)
        && !looks_like_file(&path);
    if !spa {
        return finish(response, served_name(&path), cache_control_for(&path));
    }

    let mut index_request = Request::new(Body::empty());
    *index_request.method_mut() = method;
    *index_request.uri_mut() = "/index.html".parse().expect("static URI");
    *index_request.headers_mut() = headers;
    let response = infallible(files.index.clone().oneshot(index_request).await).map(Body::new);
    finish(response, "index.html", CACHE_REVALIDATE)
}

fn infallible<T>(result: Result<T, Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

/// Sets `Content-Type` (where `ServeDir`'s guess is not the one we want) and
/// `Cache-Control`. `name` is the file name that was served.
fn finish(mut response: Response, name: &str, cache: &'static str) -> Response {
    let ok = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    if headers.contains_key(header::CONTENT_TYPE) {
        if let Some(content_type) = content_type_for(name) {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
    }
    let cache = if ok { cache } else { CACHE_REVALIDATE };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The file name a request path resolves to (`index.html` for directories).
fn served_name(path: &str) -> &str {
    match path.rsplit('/').next() {
        None | Some("") => "index.html",
        Some(name) => name,
    }
}

/// The `Content-Type` for the extensions that matter to a PWA, with charset
/// for text. `None` keeps `ServeDir`'s guess.
pub fn content_type_for(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// `Cache-Control` for a static file that exists at `path`.
pub fn cache_control_for(path: &str) -> &'static str {
    let name = served_name(path);
    if is_content_hashed(name) {
        CACHE_IMMUTABLE
    } else if name.ends_with(".html") || name == "sw.js" || name.ends_with(".webmanifest") {
        CACHE_REVALIDATE
    } else {
        CACHE_DEFAULT
    }
}

/// Whether a file name carries the build's content hash: a `-` or `.`, then
/// 16 lowercase hex digits, then `.`, `_` or `-` (as in
/// `xianfeng-0123456789abcdef_bg.wasm` or `app-0123456789abcdef.css`).
pub fn is_content_hashed(name: &str) -> bool {
    const HASH_LEN: usize = 16;
    let bytes = name.as_bytes();
    bytes.windows(HASH_LEN + 2).any(|w| {
        matches!(w[0], b'-' | b'.')
            && w[1..=HASH_LEN]
                .iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            && matches!(w[HASH_LEN + 1], b'.' | b'_' | b'-')
    })
}

/// Whether the last path segment has a file extension (`/nope.js`), in which
/// case a miss is a 404 rather than the SPA page. App routes never have one.
pub fn looks_like_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=12).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        for name in [
            "xianfeng-0123456789abcdef.js",
            "xianfeng-0123456789abcdef_bg.wasm",
            "xianfeng-0123456789abcdef_bg.wasm.br",
            "app-0123456789abcdef.css",
            "boot-0123456789abcdef.js",
        ] {
            assert!(is_content_hashed(name), "{name}");
        }
        for name in [
            "sw.js",
            "index.html",
            "manifest.webmanifest",
            "icon-192.png",
            "xianfeng-0123456789ABCDEF.js",
            "xianfeng-0123456789abcde.js",
            "xianfeng-0123456789abcdef0.js",
            "xianfeng-0123456789abcdeg.js",
            "0123456789abcdef.js",
        ] {
            assert!(!is_content_hashed(name), "{name}");
        }
    }

    #[test]
    fn cache_classes() {
        assert_eq!(cache_control_for("/"), CACHE_REVALIDATE);
        assert_eq!(cache_control_for("/index.html"), CACHE_REVALIDATE);
        assert_eq!(cache_control_for("/sw.js"), CACHE_REVALIDATE);
        assert_eq!(cache_control_for("/manifest.webmanifest"), CACHE_REVALIDATE);
        assert_eq!(
            cache_control_for("/boot-0123456789abcdef.js"),
            CACHE_IMMUTABLE
        );
        assert_eq!(cache_control_for("/icons/icon-192.png"), CACHE_DEFAULT);
    }

    #[test]
    fn file_like_paths() {
        assert!(looks_like_file("/nope.js"));
        assert!(looks_like_file("/a/b/icon.png"));
        assert!(!looks_like_file("/xuncha"));
        assert!(!looks_like_file("/xuncha/"));
        assert!(!looks_like_file("/"));
        assert!(!looks_like_file("/.well-known"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type_for("a_bg.wasm"), Some("application/wasm"));
        assert_eq!(
            content_type_for("INDEX.HTML"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(content_type_for("icon.png"), None);
        assert_eq!(content_type_for("noext"), None);
    }
}
