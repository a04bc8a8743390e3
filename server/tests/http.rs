//! Drives the real router in-process (`oneshot`) against a real SQLite file
//! in a temp dir and a fake built app, plus one end-to-end run over TCP.

use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;
use xianfeng_server::db::DB_FILE_NAME;
use xianfeng_server::{router, AppState, Config, Db, MAX_REQUEST_BODY_BYTES};

const WASM: &str = "xianfeng-0123456789abcdef_bg.wasm";
const WASM_BYTES: &[u8] = b"\0asm\x01\0\0\0 pretend this is a large wasm module";
const WASM_BR_BYTES: &[u8] = b"pretend-brotli-bytes";
const INDEX: &str = "<!doctype html><title>xianfeng</title><script type=module src=/boot-0123456789abcdef.js></script>";

struct Fixture {
    dir: TempDir,
    db: Db,
    app: Router,
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn make_app_dir(dir: &Path) {
    write(dir, "index.html", INDEX.as_bytes());
    write(dir, WASM, WASM_BYTES);
    write(dir, &format!("{WASM}.br"), WASM_BR_BYTES);
    write(
        dir,
        "xianfeng-0123456789abcdef.js",
        b"export default function init() {}",
    );
    write(
        dir,
        "boot-0123456789abcdef.js",
        b"import init from './x.js';",
    );
    write(dir, "app-0123456789abcdef.css", b"body { margin: 0 }");
    write(dir, "sw.js", b"self.addEventListener('fetch', () => {});");
    write(dir, "manifest.webmanifest", br#"{"name":"xianfeng"}"#);
    write(dir, "icons/icon-192.png", b"\x89PNG\r\n\x1a\nfake");
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let app_dir = dir.path().join("dist");
    make_app_dir(&app_dir);
    let db = Db::open_in_dir(&dir.path().join("data")).unwrap();
    let app = router(AppState::new(db.clone(), app_dir));
    Fixture { dir, db, app }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn get_with(app: &Router, uri: &str, name: header::HeaderName, value: &str) -> Reply {
    let request = Request::get(uri)
        .header(name, value)
        .body(Body::empty())
        .unwrap();
    send(app, request).await
}

fn assert_security_headers(reply: &Reply) {
    let csp = reply.header(header::CONTENT_SECURITY_POLICY);
    assert_eq!(csp, xianfeng_server::security::CONTENT_SECURITY_POLICY);
    assert!(csp.contains("'wasm-unsafe-eval'"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(reply.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(reply.header(header::X_FRAME_OPTIONS), "DENY");
    assert_eq!(reply.header(header::REFERRER_POLICY), "no-referrer");
}

fn assert_api_error(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status);
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/json");
    assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
    let json = reply.json();
    assert_eq!(json["error"]["code"], code, "{json}");
    assert!(
        json["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{json}"
    );
}

#[tokio::test]
async fn health_reports_version_and_database_ok() {
    let f = fixture();
    let reply = get(&f.app, "/api/health").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/json");
    assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
    let json = reply.json();
    assert_eq!(json["version"], xianfeng_core::VERSION);
    assert_eq!(json["database"], "ok");
    assert_eq!(json["demo"], false, "a real database");
    assert_security_headers(&reply);
}

#[tokio::test]
async fn health_is_503_when_the_database_fails() {
    let f = fixture();
    f.db.call(|c| Ok(c.execute_batch("DROP TABLE server_meta")?))
        .await
        .unwrap();
    let reply = get(&f.app, "/api/health").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    let json = reply.json();
    assert_eq!(json["version"], xianfeng_core::VERSION);
    assert_eq!(json["database"], "error");
}

#[tokio::test]
async fn api_json_is_compressed_on_the_fly() {
    let f = fixture();
    let reply = get_with(&f.app, "/api/health", header::ACCEPT_ENCODING, "gzip").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(&reply.body[..2], b"\x1f\x8b", "gzip magic");
}

#[tokio::test]
async fn wasm_has_its_type_and_is_immutable() {
    let f = fixture();
    let reply = get(&f.app, &format!("/{WASM}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/wasm");
    assert_eq!(
        reply.header(header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(reply.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(&reply.body[..], WASM_BYTES);
    assert_security_headers(&reply);
}

#[tokio::test]
async fn precompressed_brotli_is_sent_once_encoded() {
    let f = fixture();
    let reply = get_with(
        &f.app,
        &format!("/{WASM}"),
        header::ACCEPT_ENCODING,
        "gzip, br",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_ENCODING), "br");
    assert_eq!(
        reply
            .headers
            .get_all(header::CONTENT_ENCODING)
            .iter()
            .count(),
        1
    );
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/wasm");
    assert!(reply
        .header(header::VARY)
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    // The sibling's bytes as they are: not compressed a second time.
    assert_eq!(&reply.body[..], WASM_BR_BYTES);
    assert_eq!(
        reply.header(header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn hashed_js_and_css_have_types_and_are_immutable() {
    let f = fixture();
    for (path, ty) in [
        ("/xianfeng-0123456789abcdef.js", "text/javascript"),
        ("/boot-0123456789abcdef.js", "text/javascript"),
        ("/app-0123456789abcdef.css", "text/css"),
    ] {
        let reply = get(&f.app, path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.header(header::CONTENT_TYPE).starts_with(ty), "{path}");
        assert_eq!(
            reply.header(header::CACHE_CONTROL),
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
}

#[tokio::test]
async fn entry_points_are_no_cache() {
    let f = fixture();
    for (path, ty) in [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/sw.js", "text/javascript; charset=utf-8"),
        ("/manifest.webmanifest", "application/manifest+json"),
    ] {
        let reply = get(&f.app, path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.header(header::CONTENT_TYPE), ty, "{path}");
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-cache", "{path}");
        assert_security_headers(&reply);
    }
    assert_eq!(&get(&f.app, "/").await.body[..], INDEX.as_bytes());
}

#[tokio::test]
async fn revalidation_gets_304_and_keeps_no_cache() {
    let f = fixture();
    let first = get(&f.app, "/index.html").await;
    let etag = first.header(header::ETAG).to_owned();
    let again = get_with(&f.app, "/index.html", header::IF_NONE_MATCH, &etag).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.header(header::CACHE_CONTROL), "no-cache");
}

#[tokio::test]
async fn icons_are_cached_for_a_day() {
    let f = fixture();
    let reply = get(&f.app, "/icons/icon-192.png").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), "image/png");
    assert_eq!(reply.header(header::CACHE_CONTROL), "public, max-age=86400");
}

#[tokio::test]
async fn client_routes_get_index_html() {
    let f = fixture();
    for path in [
        "/xuncha",
        "/xuncha/",
        "/duiwu/3/detail",
        "/xuncha?tab=today",
    ] {
        let reply = get(&f.app, path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(
            reply.header(header::CONTENT_TYPE),
            "text/html; charset=utf-8",
            "{path}"
        );
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-cache", "{path}");
        assert_eq!(&reply.body[..], INDEX.as_bytes(), "{path}");
        assert_security_headers(&reply);
    }
    // HEAD works too, with no body.
    let head = send(
        &f.app,
        Request::head("/xuncha").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn missing_assets_are_404_not_html() {
    let f = fixture();
    for path in [
        "/nope.js",
        "/xianfeng-ffffffffffffffff_bg.wasm",
        "/icons/missing.png",
    ] {
        let reply = get(&f.app, path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        let ty = reply
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap());
        assert!(!ty.is_some_and(|t| t.contains("html")), "{path}: {ty:?}");
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-cache", "{path}");
        assert_security_headers(&reply);
    }
    // Path traversal never escapes the app dir.
    let reply = get(&f.app, "/../data/xianfeng.sqlite3").await;
    assert_ne!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_api_routes_are_json_404() {
    let f = fixture();
    for path in ["/api/nope", "/api", "/api/", "/api/health/extra"] {
        let reply = get(&f.app, path).await;
        assert_api_error(&reply, StatusCode::NOT_FOUND, "not_found");
        assert_security_headers(&reply);
    }
    let reply = send(
        &f.app,
        Request::delete("/api/nope").body(Body::empty()).unwrap(),
    )
    .await;
    assert_api_error(&reply, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn wrong_method_on_api_route_is_json_405() {
    let f = fixture();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/health")
        .body(Body::empty())
        .unwrap();
    let reply = send(&f.app, request).await;
    assert_api_error(&reply, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert!(reply.header(header::ALLOW).contains("GET"));
}

#[tokio::test]
async fn oversized_body_is_json_413() {
    let f = fixture();
    // As a real client sends it: the layer refuses on Content-Length before
    // any handler runs (a chunked body is cut off when a handler reads it).
    let request = Request::post("/api/anything")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, MAX_REQUEST_BODY_BYTES + 1)
        .body(Body::from(vec![b' '; MAX_REQUEST_BODY_BYTES + 1]))
        .unwrap();
    let reply = send(&f.app, request).await;
    assert_api_error(&reply, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
}

#[tokio::test]
async fn missing_app_dir_still_serves_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open_in_dir(&dir.path().join("data")).unwrap();
    let app = router(AppState::new(db, dir.path().join("no-such-dist")));
    assert_eq!(get(&app, "/api/health").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/xuncha").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn database_reopens_with_its_data() {
    let f = fixture();
    let data: PathBuf = f.dir.path().join("data");
    let id = |db: Db| async move {
        db.call(|c| {
            Ok(c.query_row(
                "SELECT value FROM server_meta WHERE key = 'server_id'",
                [],
                |r| r.get::<_, String>(0),
            )?)
        })
        .await
        .unwrap()
    };
    let first = id(f.db.clone()).await;
    drop(f.app);
    f.db.close().await.unwrap();
    let db = Db::open_in_dir(&data).unwrap();
    assert_eq!(
        db.schema_version().await.unwrap(),
        xianfeng_server::db::SCHEMA_VERSION
    );
    assert_eq!(id(db.clone()).await, first);
}

/// The whole `serve` path over real TCP: start, answer, stop on the shutdown
/// signal, checkpoint the database.
#[tokio::test]
async fn serve_runs_and_shuts_down_cleanly() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let dir = tempfile::tempdir().unwrap();
    let app_dir = dir.path().join("dist");
    make_app_dir(&app_dir);
    let data_dir = dir.path().join("data");
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.clone(),
        app_dir,
        public_url: None,
        demo: false,
        database_url: None,
    };
    let listener = tokio::net::TcpListener::bind(config.listen).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(xianfeng_server::serve(listener, config, async {
        let _ = stopped.await;
    }));

    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(raw.contains(r#""database":"ok""#), "{raw}");

    stop.send(()).unwrap();
    let result = tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("server stops promptly")
        .unwrap();
    result.unwrap();

    let wal = data_dir.join(format!("{DB_FILE_NAME}-wal"));
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0);
    assert!(data_dir.join(DB_FILE_NAME).is_file());
}
