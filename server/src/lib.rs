//! Xianfeng's server: serves the built web app and the small sync API, and
//! keeps the campaign's shared state in one embedded SQLite database or,
//! for several instances at once, in PostgreSQL ([`store`]).
//!
//! Invariant: no domain rules here. This crate does HTTP, storage and
//! operations only; every rule (badges, tallies, rankings, scores, what a
//! sync may change) is computed by calling `xianfeng_core`, the same code the
//! phone runs, so the two can never disagree.
//!
//! `main.rs` only parses the command line; [`run`] / [`serve`] start the whole
//! server and [`router`] builds the HTTP surface so tests can drive it
//! in-process.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod db;
pub mod demo;
pub mod enroll;
pub mod error;
pub mod health;
pub mod limits;
pub mod partners;
pub mod review;
pub mod secrets;
pub mod security;
pub mod shutdown;
pub mod static_files;
pub mod store;
pub mod sync;

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use axum::body::HttpBody;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, Response};
use axum::routing::{any, get, post};
use axum::{middleware, Router};
use tokio::net::TcpListener;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use crate::clock::Clock;
pub use crate::db::{Db, DbError};
pub use crate::error::AppError;
pub use crate::limits::{LimitConfig, Limits};
pub use crate::review::ReviewConfig;
pub use crate::static_files::StaticFiles;
pub use crate::store::{PgStore, Store};

/// The largest request body accepted, on any route (413 beyond it).
pub const MAX_REQUEST_BODY_BYTES: usize = 1024 * 1024;

/// What the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (ignored by [`serve`], which is given a listener).
    pub listen: SocketAddr,
    /// Directory for the SQLite database (and, with either backend, the
    /// files written for operators: the admin code, demo links); created
    /// if missing.
    pub data_dir: PathBuf,
    /// PostgreSQL instead of SQLite (`postgres://user:pass@host:port/db`).
    pub database_url: Option<String>,
    /// The built web app.
    pub app_dir: PathBuf,
    /// The address phones reach this server at (`https://xianfeng.example`),
    /// for enrollment links. `None`: `http://<listen>` at start, the
    /// request's `Host` in invites.
    pub public_url: Option<String>,
    /// Demo mode (`--demo`): seed the demo city into a database marked as
    /// demo, and print demo enrollment links (see [`demo`]).
    pub demo: bool,
}

impl Config {
    /// The base of enrollment links printed at start for a server on `addr`.
    pub fn base_url(&self, addr: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{addr}"),
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Where everything is kept (SQLite or PostgreSQL).
    pub store: Store,
    /// Where operator files (the admin code) live, if anywhere.
    pub data_dir: Option<Arc<Path>>,
    pub static_files: StaticFiles,
    /// Rate limiters (enroll per IP, sync per device).
    pub limits: Limits,
    /// See [`Config::public_url`].
    pub public_url: Option<Arc<str>>,
    /// The org directory sync places records with (see [`sync`]).
    pub org: sync::OrgCache,
    /// Now (the OS clock; tests may hold it by hand).
    pub clock: Clock,
    /// The public review page's limits.
    pub review: ReviewConfig,
}

impl AppState {
    /// Default limits, no public URL. A SQLite store's operator files sit
    /// beside its database.
    pub fn new(store: impl Into<Store>, app_dir: impl Into<PathBuf>) -> AppState {
        let store = store.into();
        let data_dir = match &store {
            Store::Sqlite(db) => db.path().parent().map(Arc::from),
            Store::Postgres(_) => None,
        };
        AppState {
            store,
            data_dir,
            static_files: StaticFiles::new(app_dir),
            limits: Limits::default(),
            public_url: None,
            org: sync::OrgCache::default(),
            clock: Clock::system(),
            review: ReviewConfig::default(),
        }
    }

    /// The same state keeping operator files in `dir`.
    pub fn with_data_dir(mut self, dir: &Path) -> AppState {
        self.data_dir = Some(Arc::from(dir));
        self
    }

    /// The same state reading time from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> AppState {
        self.clock = clock;
        self
    }

    /// The same state with other review page limits.
    pub fn with_review_config(mut self, config: ReviewConfig) -> AppState {
        self.review = config;
        self
    }

    /// The same state with other rate limits (tests use tight or loose ones).
    pub fn with_limits(mut self, config: LimitConfig) -> AppState {
        self.limits = Limits::new(config);
        self
    }

    /// The same state handing out links under `url`.
    pub fn with_public_url(mut self, url: Option<String>) -> AppState {
        self.public_url = url.map(Arc::from);
        self
    }
}

/// The whole HTTP surface: `/api/*`, the public review page `/r/*`, and
/// the static app as the fallback. Bodies are limited to
/// [`MAX_REQUEST_BODY_BYTES`], sync bodies to [`sync::MAX_SYNC_BODY_BYTES`],
/// review forms to [`review::MAX_FORM_BYTES`].
pub fn router(state: AppState) -> Router {
    let review_routes = Router::new()
        .route("/r/style.css", get(review::style))
        .route("/r/{post}", get(review::form).post(review::submit))
        .route("/r/{post}/qr.svg", get(review::qr_svg))
        .layer(DefaultBodyLimit::max(review::MAX_FORM_BYTES));
    let sync_routes = Router::new()
        .route("/api/sync/push", post(sync::push))
        .route("/api/sync/pull", post(sync::pull))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(sync::MAX_SYNC_BODY_BYTES));
    let app = Router::new()
        .route("/api/health", get(health::health))
        .route("/api/conflicts", get(sync::conflicts))
        .route("/api/partners", get(partners::partners))
        .route("/api/enroll", post(enroll::enroll))
        .route("/api/invites", post(enroll::invite))
        .route("/api/devices", get(enroll::devices))
        .route("/api/devices/{id}/revoke", post(enroll::revoke))
        .route("/api/me", get(enroll::me))
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .merge(review_routes)
        .fallback(static_files::serve)
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY_BYTES))
        .merge(sync_routes)
        .with_state(state)
        // Layers: the last added runs first on the request.
        .layer(middleware::from_fn(error::api_middleware))
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(JsonOnly)));
    security::with_security_headers(app).layer(
        TraceLayer::new_for_http()
            .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
            .on_response(DefaultOnResponse::new().level(Level::INFO)),
    )
}

async fn api_not_found(uri: axum::http::Uri) -> AppError {
    AppError::NotFound(format!("no API route {}", uri.path()))
}

/// Compress dynamic JSON only. Static files come precompressed from the build
/// (`ServeDir` sends the `.br`/`.gz` sibling, already `Content-Encoding`-ed,
/// which the layer leaves alone anyway); compressing them again on the fly
/// would cost CPU on every request and muddle their `ETag`s.
#[derive(Clone, Copy, Debug)]
struct JsonOnly;

impl Predicate for JsonOnly {
    fn should_compress<B>(&self, response: &Response<B>) -> bool
    where
        B: HttpBody,
    {
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json"))
    }
}

/// Logs to stderr (colour only on a terminal); `RUST_LOG` overrides the
/// default `info` filter.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Ignore "already set" (tests may call this more than once).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Binds `config.listen` and runs [`serve`] until `shutdown` completes.
pub async fn run(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    serve(listener, config, shutdown).await
}

/// Opens the store named by `config`: PostgreSQL if `database_url` is
/// set, else SQLite in `data_dir`; migrated to the latest schema.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    match &config.database_url {
        Some(url) => Ok(PgStore::connect(url).await?.into()),
        None => {
            let data_dir = config.data_dir.clone();
            let db = tokio::task::spawn_blocking(move || Db::open_in_dir(&data_dir))
                .await
                .context("database open task failed")?
                .with_context(|| {
                    format!("cannot open database in {}", config.data_dir.display())
                })?;
            Ok(db.into())
        }
    }
}

/// Opens the store, serves on `listener` until `shutdown` completes, waits
/// for in-flight requests, then closes the store (SQLite: checkpointed).
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr().context("listener has no address")?;
    let store = open_store(&config).await?;
    let schema = store.schema_version().await?;
    let (demo, data_dir) = (config.demo, config.data_dir.clone());
    store
        .read(move |sql| demo::check_mode(sql, demo, &data_dir))
        .await?;
    let state = AppState::new(store.clone(), &config.app_dir)
        .with_data_dir(&config.data_dir)
        .with_public_url(config.public_url.clone());
    state.static_files.warn_if_missing();
    let base_url = config.base_url(addr);
    let now = state.clock.now();
    let admin_code = enroll::announce_admin_code(&store, &config.data_dir, &base_url, now)
        .await
        .context("cannot make the office enrollment code")?;
    if config.demo {
        demo::prepare(
            &store,
            &state.org,
            &config.data_dir,
            &base_url,
            admin_code.as_deref(),
            now,
        )
        .await
        .context("cannot prepare the demo city")?;
    }

    tracing::info!(
        version = xianfeng_core::VERSION,
        database = %store.describe(),
        schema,
        demo = config.demo,
        app_dir = %config.app_dir.display(),
        "xianfeng-server listening on http://{addr}"
    );
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .context("server error")?;

    tracing::info!("connections drained; closing the store");
    store.close().await.context("closing the store")?;
    tracing::info!("store closed; shutdown complete");
    Ok(())
}
