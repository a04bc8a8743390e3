//! Shared by the API tests: a real store — a SQLite file in a temp dir, or
//! a fresh database on the test PostgreSQL when the test binary's name
//! starts with `pg_` (each test file is built twice, see server/Cargo.toml:
//! one conformance suite, both backends) — the router driven in-process,
//! and enrollment helpers.

#![allow(dead_code)]

pub mod city;
pub mod study;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt;
use xianfeng_server::store::scratch::ScratchDb;
use xianfeng_server::store::Sql;
use xianfeng_server::{enroll, router, AppState, Db, LimitConfig, PgStore, Store};

/// Whether this test binary runs the suite on PostgreSQL.
pub const POSTGRES: bool = env!("CARGO_CRATE_NAME").as_bytes()[0] == b'p'
    && env!("CARGO_CRATE_NAME").as_bytes()[1] == b'g'
    && env!("CARGO_CRATE_NAME").as_bytes()[2] == b'_';

pub struct Fixture {
    pub dir: TempDir,
    pub store: Store,
    pub app: Router,
    /// The PostgreSQL database (dropped with the fixture).
    pub pg: Option<std::sync::Arc<ScratchDb>>,
}

/// The scratch PostgreSQL database of a test directory (one per
/// directory, so a fixture and a `serve` on the same directory share it);
/// `None` on SQLite.
pub fn scratch_for(dir: &std::path::Path) -> Option<std::sync::Arc<ScratchDb>> {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};
    static MAP: Mutex<BTreeMap<std::path::PathBuf, Arc<ScratchDb>>> = Mutex::new(BTreeMap::new());
    if !POSTGRES {
        return None;
    }
    let mut map = MAP.lock().unwrap_or_else(|e| e.into_inner());
    Some(Arc::clone(
        map.entry(dir.to_path_buf())
            .or_insert_with(|| Arc::new(ScratchDb::create())),
    ))
}

/// `Config::database_url` for a `serve` on `dir` in this suite.
pub fn database_url(dir: &std::path::Path) -> Option<String> {
    scratch_for(dir).map(|db| db.url.clone())
}

/// Opens the store of this suite's backend for a data directory (SQLite)
/// or a scratch database (PostgreSQL).
pub fn open_store(data: &std::path::Path, pg: Option<&ScratchDb>) -> Store {
    match pg {
        Some(pg) => PgStore::connect_blocking(&pg.url).unwrap().into(),
        None => Db::open_in_dir(data).unwrap().into(),
    }
}

/// Limits loose enough that no test trips them by accident.
pub fn loose_limits() -> LimitConfig {
    LimitConfig {
        enroll_per_minute: 1000,
        sync_per_second: 1000,
        sync_burst: 1000,
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::with_limits(loose_limits())
    }

    pub fn with_limits(limits: LimitConfig) -> Fixture {
        Fixture::with_state(|state| state.with_limits(limits))
    }

    /// A fresh fixture whose state `customize` adjusts (clock, review limits…).
    pub fn with_state(customize: impl FnOnce(AppState) -> AppState) -> Fixture {
        Fixture::in_dir(tempfile::tempdir().unwrap(), customize)
    }

    /// A fixture over the database in `<dir>/data` (created if missing), as
    /// a server started on that directory would see it.
    pub fn in_dir(dir: TempDir, customize: impl FnOnce(AppState) -> AppState) -> Fixture {
        let pg = scratch_for(dir.path());
        Fixture::on(dir, pg, customize)
    }

    /// A fixture on SQLite in `<dir>/data` whatever this suite's backend.
    pub fn sqlite_in(dir: TempDir) -> Fixture {
        Fixture::on(dir, None, |s| s)
    }

    /// A fixture on the given scratch PostgreSQL database (SQLite if `None`).
    pub fn on(
        dir: TempDir,
        pg: Option<std::sync::Arc<ScratchDb>>,
        customize: impl FnOnce(AppState) -> AppState,
    ) -> Fixture {
        let store = open_store(&dir.path().join("data"), pg.as_deref());
        let state = AppState::new(store.clone(), dir.path().join("dist"))
            .with_data_dir(&dir.path().join("data"))
            .with_limits(loose_limits());
        let app = router(customize(state));
        Fixture {
            dir,
            store,
            app,
            pg,
        }
    }

    pub fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    /// Stops the server: the router goes, the database is closed (its file
    /// may be opened by another process now). The directory and the
    /// PostgreSQL database are handed back, still there.
    pub async fn stop(self) -> (TempDir, Option<std::sync::Arc<ScratchDb>>) {
        let Fixture {
            dir,
            store,
            app,
            pg,
        } = self;
        drop(app);
        store.close().await.unwrap();
        (dir, pg)
    }

    /// Closes the database and opens it again from the same file, with a
    /// new router: what a server restart does.
    pub async fn restart(self) -> Fixture {
        let (dir, pg) = self.stop().await;
        let store = open_store(&dir.path().join("data"), pg.as_deref());
        let app = router(
            AppState::new(store.clone(), dir.path().join("dist"))
                .with_data_dir(&dir.path().join("data"))
                .with_limits(loose_limits()),
        );
        Fixture {
            dir,
            store,
            app,
            pg,
        }
    }

    /// Makes the administrator code as `serve` does at start (file included).
    pub async fn admin_code(&self) -> Option<String> {
        let data = self.data_dir();
        let now = time::OffsetDateTime::now_utc();
        enroll::announce_admin_code(&self.store, &data, "http://test", now)
            .await
            .unwrap()
    }

    /// Enrolls the office administrator; returns its token.
    pub async fn enroll_admin(&self) -> String {
        let code = self.admin_code().await.expect("no office yet");
        let reply = self.enroll(&code, "办公室电脑").await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.json()["token"].as_str().unwrap().to_owned()
    }

    pub async fn enroll(&self, code: &str, device_name: &str) -> Reply {
        self.post(
            "/api/enroll",
            None,
            json!({"code": code, "device_name": device_name}),
        )
        .await
    }

    /// Invites and enrolls a device with `role` and `scope` (JSON); returns its token.
    pub async fn enroll_as(&self, office: &str, role: &str, scope: Value, name: &str) -> String {
        let reply = self
            .post(
                "/api/invites",
                Some(office),
                json!({"role": role, "scope": scope, "name": name}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let code = reply.json()["code"].as_str().unwrap().to_owned();
        let reply = self.enroll(&code, "手机").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        reply.json()["token"].as_str().unwrap().to_owned()
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        send(&self.app, request).await
    }

    pub async fn post(&self, uri: &str, token: Option<&str>, body: Value) -> Reply {
        self.post_raw(uri, token, body.to_string()).await
    }

    pub async fn post_raw(&self, uri: &str, token: Option<&str>, body: String) -> Reply {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        let mut request = Request::builder().method(Method::GET).uri(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// One number from the database.
    pub async fn count(&self, sql: &'static str) -> i64 {
        self.store
            .read(move |c| c.query_one(sql, &[])?.int(0))
            .await
            .unwrap()
    }

    /// Runs `f` on the store in a read (tests look at what was stored).
    pub async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> anyhow::Result<R> + Send + 'static,
    ) -> R {
        self.store.read(f).await.unwrap()
    }

    /// Runs `f` on the store in a write (tests set up odd states).
    pub async fn write<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> anyhow::Result<R> + Send + 'static,
    ) -> R {
        self.store.write(f).await.unwrap()
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts a JSON API error with `status` and `code`.
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(
            self.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/json"
        );
        assert_eq!(self.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        let json = self.json();
        assert_eq!(json["error"]["code"], code, "{json}");
        assert!(json["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}
