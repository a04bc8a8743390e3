//! The one sync module: enrollment, and sync sessions with the server.
//!
//! A session drives core's sans-IO [`ClientSync`]: push the outbox in
//! batches (each answer acknowledges entries, which [`Storage::ack_through`]
//! then removes), then pull pages until the log is read to the end (each
//! page applied in one transaction by [`Storage::apply_pulled`]). Only one
//! session runs at a time; a trigger during a session runs one more after.
//!
//! Triggers: app start (when enrolled), the browser's `online` event, a
//! timer (every minute when healthy; after a failure 5 s, 10 s, 20 s… up
//! to 5 min), a write on the phone (2 s later), and the 立即同步 button.
//! [`SyncStatus`] (in context) shows the unsent count, the last successful
//! sync and the last error; errors are kept as [`SyncFailure`] and worded
//! by the screen in the current language.

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use xianfeng_core::error::DomainError;
use xianfeng_core::pairing::PartnersResponse;
use xianfeng_core::sync::{ClientSync, PullResponse, PushResponse, Step, SyncError};
use xianfeng_core::Lang;

use crate::i18n::{fill, Msg, Text};
use crate::network::Online;
use crate::storage::{self, key, now_ms, Identity, Storage, StorageError};
use crate::store;

/// Changes per push (core allows up to 500; smaller batches fare better on
/// a weak signal).
pub const PUSH_BATCH: usize = 100;
/// The wait between sessions when all is well.
pub const HEALTHY_INTERVAL: Duration = Duration::from_secs(60);
/// The first wait after a failure; it doubles up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_secs(5);
pub const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);
/// A request that has not answered by then counts as a network failure.
const REQUEST_TIMEOUT_MS: i32 = 30_000;

/// Why a session (or enrollment) failed; [`text`](Self::text) words it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncFailure {
    /// The phone is not enrolled.
    NotEnrolled,
    /// HTTP 401: the token is unknown or revoked.
    Unauthorized,
    /// No answer: offline, DNS, timeout.
    Network,
    /// HTTP 429.
    RateLimited,
    /// HTTP 403.
    Forbidden,
    /// A 5xx, or an answer that is not what the protocol says.
    Server { status: u16 },
    /// A coded refusal (`{"error":{"code","message","details"}}`).
    Rejected {
        code: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<Value>,
    },
    /// The phone's own storage failed.
    Storage { message: String },
}

impl From<StorageError> for SyncFailure {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotEnrolled => SyncFailure::NotEnrolled,
            e => SyncFailure::Storage {
                message: e.message(Lang::ZhCn),
            },
        }
    }
}

impl SyncFailure {
    /// The message for a person, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let msg = |m: Msg| m.text(lang).to_string();
        match self {
            SyncFailure::NotEnrolled => msg(Msg::ErrNotEnrolled),
            SyncFailure::Unauthorized => msg(Msg::ErrUnauthorized),
            SyncFailure::Network => msg(Msg::ErrNetwork),
            SyncFailure::RateLimited => msg(Msg::ErrRateLimited),
            SyncFailure::Forbidden => msg(Msg::ErrForbidden),
            SyncFailure::Server { .. } => msg(Msg::ErrServer),
            SyncFailure::Storage { message } => message.clone(),
            SyncFailure::Rejected {
                code,
                message,
                details,
            } => match code.as_str() {
                "invalid_code" => msg(Msg::ErrInvalidCode),
                "unauthorized" => msg(Msg::ErrUnauthorized),
                "forbidden" => msg(Msg::ErrForbidden),
                "rate_limited" => msg(Msg::ErrRateLimited),
                _ => match known_error(code, details.as_ref()) {
                    Some(e) => e.message(lang),
                    None => {
                        let zh = details
                            .as_ref()
                            .and_then(|d| d.get("message_zh"))
                            .and_then(Value::as_str);
                        let text = match (lang, zh) {
                            (Lang::ZhCn, Some(zh)) => zh,
                            _ => message.as_str(),
                        };
                        format!("{}{text}", Msg::ErrRejected.text(lang))
                    }
                },
            },
        }
    }

    /// Syncing cannot work until the phone is enrolled (again).
    pub fn needs_enrollment(&self) -> bool {
        matches!(self, SyncFailure::Unauthorized | SyncFailure::NotEnrolled)
    }
}

/// Core's error for a code whose message needs nothing the server did not
/// send, so the phone words it exactly as core does.
fn known_error(code: &str, details: Option<&Value>) -> Option<SyncError> {
    let num = |name: &str| details.and_then(|d| d.get(name)).and_then(Value::as_u64);
    Some(match code {
        "sequence_gap" => SyncError::SequenceGap {
            expected: num("expected")?,
            got: num("got")?,
        },
        "not_consecutive" => SyncError::NotConsecutive,
        "fact_conflict" => SyncError::FactConflict {
            kind: "",
            id: String::new(),
        },
        "wrong_op" => SyncError::WrongOp { kind: "", op: "" },
        "not_syncable" => SyncError::NotSyncable { kind: "" },
        "id_mismatch" => SyncError::IdMismatch,
        "unknown_parent" => SyncError::UnknownParent {
            kind: "",
            id: String::new(),
        },
        "threshold_order" => DomainError::ThresholdOrder.into(),
        _ => return None,
    })
}

/// What the 同步 tab shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncState {
    /// Read from storage at least once.
    pub loaded: bool,
    pub identity: Option<Identity>,
    /// Changes waiting in the outbox.
    pub unsent: u64,
    /// The end of the last successful session (ms since the epoch).
    pub last_ok: Option<u64>,
    pub running: bool,
    pub error: Option<SyncFailure>,
    /// `navigator.storage.persisted()`, once known.
    pub persisted: Option<bool>,
    /// When the sessions started failing (ms since the epoch; `None`
    /// while the last one succeeded).
    pub failing_since: Option<u64>,
    /// Bumped whenever records change on this phone (a user write or a
    /// pulled page): screens that list records reload when it moves.
    pub data_version: u64,
    /// While pulling a long log: changes received so far, and how far
    /// through the server's log the pull is (`cursor` of `log_end`).
    pub catch_up: Option<CatchUp>,
}

/// How far a long pull has come (the first sync of a city's office phone
/// is ~139,000 records).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CatchUp {
    pub received: u64,
    pub cursor: u64,
    pub log_end: u64,
}

/// While catching up, screens redraw at most this often (each redraw of a
/// ranking recomputes it; the pulled pages come faster than that).
const CATCH_UP_REDRAW_MS: f64 = 1_000.0;

/// The reactive [`SyncState`], provided in context by [`provide`] (one
/// signal: the page is small, and each signal type costs bundle bytes).
#[derive(Clone, Copy)]
pub struct SyncStatus(pub RwSignal<SyncState>);

impl SyncStatus {
    pub fn use_context() -> SyncStatus {
        expect_context::<SyncStatus>()
    }

    /// Reads one part, reactively.
    pub fn with<R>(self, f: impl FnOnce(&SyncState) -> R) -> R {
        self.0.with(f)
    }

    fn set(self, f: impl FnOnce(&mut SyncState)) {
        self.0.update(f);
    }
}

#[derive(Default)]
struct Engine {
    status: Option<SyncStatus>,
    timer: Option<TimeoutHandle>,
    failures: u32,
    running: bool,
    again: bool,
    /// Records arrived that the screens have not redrawn for yet.
    redraw_due: bool,
    /// The session applied pulled facts: warm the derived views after it.
    warm_due: bool,
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::default());
}

fn status() -> Option<SyncStatus> {
    ENGINE.with_borrow(|e| e.status)
}

/// Creates the status, provides it, and starts syncing: now (if
/// enrolled), whenever the phone comes back online, and on the timer.
pub fn provide() -> SyncStatus {
    let status = SyncStatus(RwSignal::new(SyncState::default()));
    provide_context(status);
    ENGINE.with_borrow_mut(|e| e.status = Some(status));
    storage::on_write(|| {
        bump_data_version();
        spawn_local(refresh());
        schedule(Duration::from_secs(2));
    });
    if let Some(Online(online)) = use_context::<Online>() {
        Effect::new(move |was: Option<bool>| {
            let now = online.get();
            if now && was == Some(false) {
                sync_now();
            }
            now
        });
    }
    spawn_local(async move {
        refresh().await;
        if status.0.with_untracked(|s| s.identity.is_some()) {
            ensure_persistence().await;
            sync_now();
        }
    });
    status
}

fn bump_data_version() {
    if let Some(status) = status() {
        status.set(|s| s.data_version += 1);
    }
}

/// The current data version, reactively: read it inside a resource's
/// source closure so a screen reloads after writes and pulls.
pub fn data_version() -> u64 {
    SyncStatus::use_context().with(|s| s.data_version)
}

/// Reloads what the status shows from storage.
pub async fn refresh() {
    let Some(status) = status() else { return };
    let db = match storage::shared().await {
        Ok(db) => db,
        Err(e) => {
            status.set(|s| {
                s.error = Some(e.into());
                s.loaded = true;
            });
            return;
        }
    };
    let (identity, unsent, last_ok, error) = match db.sync_status::<u64, SyncFailure>().await {
        Ok(read) => read,
        Err(e) => (None, 0, None, Some(e.into())),
    };
    let failing_since = db.get_meta::<u64>(key::FAILING_SINCE).await.ok().flatten();
    status.set(|s| {
        s.failing_since = failing_since;
        s.identity = identity;
        s.unsent = unsent;
        s.last_ok = last_ok;
        s.error = error;
        s.loaded = true;
    });
}

/// A sync session is running (background work waits for it to end).
pub fn is_running() -> bool {
    ENGINE.with_borrow(|e| e.running)
}

/// Starts a session now (or right after the one running).
pub fn sync_now() {
    let start = ENGINE.with_borrow_mut(|e| {
        if e.running {
            e.again = true;
            return false;
        }
        e.running = true;
        if let Some(t) = e.timer.take() {
            t.clear();
        }
        true
    });
    if start {
        spawn_local(session_loop());
    }
}

/// Sets the timer for the next session (replacing any set before).
fn schedule(after: Duration) {
    let handle = set_timeout_with_handle(sync_now, after).ok();
    ENGINE.with_borrow_mut(|e| {
        if let Some(old) = std::mem::replace(&mut e.timer, handle) {
            old.clear();
        }
    });
}

/// The wait after `failures` failed sessions in a row.
pub fn backoff(failures: u32) -> Duration {
    if failures == 0 {
        return HEALTHY_INTERVAL;
    }
    let factor = 1u32 << (failures - 1).min(16);
    (FIRST_BACKOFF * factor).min(MAX_BACKOFF)
}

async fn session_loop() {
    loop {
        if let Some(s) = status() {
            s.set(|s| s.running = true);
        }
        let next = attempt().await;
        // A session that stopped part-way (offline, an error) still shows
        // what it brought.
        if ENGINE.with_borrow_mut(|e| std::mem::take(&mut e.redraw_due)) {
            bump_data_version();
        }
        if ENGINE.with_borrow_mut(|e| std::mem::take(&mut e.warm_due)) {
            store::warm_when_idle();
        }
        if let Some(s) = status() {
            s.set(|s| s.catch_up = None);
        }
        refresh().await;
        let again = ENGINE.with_borrow_mut(|e| {
            let again = std::mem::take(&mut e.again);
            e.running = again;
            again
        });
        if !again {
            if let Some(s) = status() {
                s.set(|s| s.running = false);
            }
            if let Some(after) = next {
                schedule(after);
            }
            return;
        }
    }
}

/// One session with its bookkeeping; returns when to try next (never
/// before enrollment).
async fn attempt() -> Option<Duration> {
    let db = storage::shared().await.ok()?;
    db.identity().await.ok()??;
    if !window().navigator().on_line() {
        // The `online` event starts the next session.
        return Some(HEALTHY_INTERVAL);
    }
    match run_session(&db).await {
        Ok(()) => {
            ENGINE.with_borrow_mut(|e| e.failures = 0);
            let _ = db.put_meta(key::LAST_SYNC_OK, &now_ms()).await;
            let _ = db.delete_meta(key::LAST_ERROR).await;
            let _ = db.delete_meta(key::FAILING_SINCE).await;
            Some(HEALTHY_INTERVAL)
        }
        Err(failure) => {
            let failures = ENGINE.with_borrow_mut(|e| {
                e.failures += 1;
                e.failures
            });
            let _ = db.put_meta(key::LAST_ERROR, &failure).await;
            if let Ok(None) = db.get_meta::<u64>(key::FAILING_SINCE).await {
                let _ = db.put_meta(key::FAILING_SINCE, &now_ms()).await;
            }
            Some(backoff(failures))
        }
    }
}

/// One whole session against the server the app was loaded from: push
/// until the outbox is acknowledged, then pull until the log is read.
pub async fn run_session(db: &Storage) -> Result<(), SyncFailure> {
    let identity = db.identity().await?.ok_or(SyncFailure::NotEnrolled)?;
    let token = Some(identity.token.as_str());
    let mut session = ClientSync::new(db.cursor().await?).with_batch(PUSH_BATCH);
    let mut received = 0u64;
    let mut last_redraw = js_sys::Date::now();
    // The next page, fetched while the last one was written: (cursor, answer).
    let mut prefetched: Option<(u64, Result<String, SyncFailure>)> = None;
    loop {
        let outbox = db.outbox_page(PUSH_BATCH as u32).await?;
        match session.next(&outbox) {
            Step::Push(request) => {
                let answer = match post("/api/sync/push", token, to_json(&request)).await {
                    Ok(answer) => answer,
                    Err(failure) => {
                        // A change refused for good must not block the rest:
                        // keep it aside (shown on the 同步 tab) and go on.
                        if let Some((seq, code, message)) = refused_for_good(&failure) {
                            if db.set_aside(seq, &code, &message, now_ms()).await? {
                                bump_data_version();
                                continue;
                            }
                        }
                        return Err(failure);
                    }
                };
                let answer: PushResponse = from_json(&answer)?;
                db.ack_through(session.on_push(&answer)).await?;
            }
            Step::Pull(request) => {
                let page = match prefetched.take() {
                    Some((cursor, answer)) if cursor == request.cursor => answer?,
                    _ => post("/api/sync/pull", token, to_json(&request)).await?,
                };
                let page: PullResponse = from_json(&page)?;
                session.on_pull(&page);
                // While this page is written, the server reads the next
                // (a catch-up is otherwise the phone's and the server's work
                // in turn). In the pull phase the next step is always the
                // next pull, whatever the outbox holds.
                let next = match session.next(&[]) {
                    Step::Pull(next) if page.more => Some(next),
                    _ => None,
                };
                let fetch_next = async {
                    match next {
                        Some(n) => {
                            Some((n.cursor, post("/api/sync/pull", token, to_json(&n)).await))
                        }
                        None => None,
                    }
                };
                let (applied, fetched) = futures::join!(db.apply_pulled(&page), fetch_next);
                applied?;
                prefetched = fetched;
                received += page.changes.len() as u64;
                let catch_up = page.more.then_some(CatchUp {
                    received,
                    cursor: page.cursor,
                    log_end: page.log_end.max(page.cursor),
                });
                if let Some(s) = status() {
                    s.set(|s| s.catch_up = catch_up);
                }
                let now = js_sys::Date::now();
                if !page.changes.is_empty() {
                    ENGINE.with_borrow_mut(|e| e.warm_due = true);
                }
                if !page.changes.is_empty()
                    && (!page.more || now - last_redraw >= CATCH_UP_REDRAW_MS)
                {
                    last_redraw = now;
                    bump_data_version();
                } else if !page.changes.is_empty() {
                    // Shown at the end of the catch-up (or the next redraw).
                    ENGINE.with_borrow_mut(|e| e.redraw_due = true);
                }
            }
            Step::Done => return refresh_partners(db, token).await,
        }
        if let (Some(s), Ok(n)) = (status(), db.outbox_len().await) {
            s.set(|s| s.unsent = n);
        }
    }
}

/// Replaces the phone's list of paired members (name and unit) of the
/// households it may read: core's partner rule, answered by the server.
/// Screens redraw when it changed.
async fn refresh_partners(db: &Storage, token: Option<&str>) -> Result<(), SyncFailure> {
    let answer: PartnersResponse = from_json(&get("/api/partners", token).await?)?;
    db.ready().await?;
    if *db.store().partners() != answer.partners {
        db.put_meta(key::PARTNERS, &answer.partners).await?;
        db.update_store(|s| s.set_partners(answer.partners));
        bump_data_version();
    }
    Ok(())
}

/// The change a push refusal names, if the refusal is final: the server
/// will never take that change as it is (out of scope, invalid, a fact id
/// reused), as core's `SyncError::is_retryable` says through the answer's
/// `details.retryable`. Gaps, unknown parents, limits, auth problems and
/// codes this version does not know are not final.
pub fn refused_for_good(failure: &SyncFailure) -> Option<(u64, String, String)> {
    let SyncFailure::Rejected {
        code,
        message,
        details,
    } = failure
    else {
        return None;
    };
    // Core decides, and the server sends its answer: a refusal without
    // `retryable: false` (a gap, a limit, a code this version does not
    // know) keeps the change in the outbox.
    let final_refusal = !details.as_ref()?.get("retryable")?.as_bool()?;
    let seq = details.as_ref()?.get("seq")?.as_u64()?;
    let words = details
        .as_ref()
        .and_then(|d| d.get("message_zh"))
        .and_then(Value::as_str)
        .unwrap_or(message);
    final_refusal.then(|| (seq, code.clone(), words.to_string()))
}

/// Enrolls this phone with a code (`POST /api/enroll`), keeps the identity,
/// asks for persistent storage and syncs.
pub async fn enroll(code: &str, device_name: &str) -> Result<(), SyncFailure> {
    #[derive(Serialize)]
    struct Request<'a> {
        code: &'a str,
        device_name: &'a str,
    }
    let request = Request {
        code: code.trim(),
        device_name: device_name.trim(),
    };
    let mut identity: Identity = from_json(&post("/api/enroll", None, to_json(&request)).await?)?;
    identity.device_name = request.device_name.to_string();
    identity.enrolled_at = Some(now_ms());
    storage::shared().await?.set_identity(&identity).await?;
    ENGINE.with_borrow_mut(|e| e.failures = 0);
    refresh().await;
    ensure_persistence().await;
    sync_now();
    Ok(())
}

/// Asks the browser to keep this site's data (`navigator.storage.persist()`)
/// unless it already does, and shows the answer.
pub async fn ensure_persistence() {
    let manager = window().navigator().storage();
    let mut granted = promise_bool(manager.persisted()).await;
    if granted != Some(true) {
        if let Some(now) = promise_bool(manager.persist()).await {
            granted = Some(now);
        }
    }
    if let Some(s) = status() {
        s.set(|s| s.persisted = Some(granted == Some(true)));
    }
}

/// Reads `navigator.storage.persisted()` into the status.
pub async fn check_persistence() {
    let granted = promise_bool(window().navigator().storage().persisted()).await;
    if let Some(s) = status() {
        s.set(|s| s.persisted = Some(granted == Some(true)));
    }
}

async fn promise_bool(promise: Result<js_sys::Promise, JsValue>) -> Option<bool> {
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A 2xx answer that is not what the protocol says is the server's fault.
fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, SyncFailure> {
    serde_json::from_str(text).map_err(|_| SyncFailure::Server { status: 200 })
}

/// `POST path` with a JSON body (and the device token); the 2xx answer's
/// text, or the failure.
async fn post(path: &str, token: Option<&str>, body: String) -> Result<String, SyncFailure> {
    request("POST", path, token, Some(body)).await
}

/// `GET path` of the server's API (with the device token, if any): the 2xx
/// answer's text, or the failure (worded like every sync failure). For
/// screens that read something only the server knows (e.g. the conflict list).
pub async fn get(path: &str, token: Option<&str>) -> Result<String, SyncFailure> {
    request("GET", path, token, None).await
}

async fn request(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<String, SyncFailure> {
    let headers = web_sys::Headers::new().map_err(|_| SyncFailure::Network)?;
    if body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
    }
    if let Some(token) = token {
        let _ = headers.set("Authorization", &format!("Bearer {token}"));
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(&body));
    }
    let abort = web_sys::AbortController::new().ok();
    init.set_signal(abort.as_ref().map(|a| a.signal()).as_ref());
    let timer = abort.map(|a| {
        let cb = wasm_bindgen::closure::Closure::once_into_js(move || a.abort());
        window().set_timeout_with_callback_and_timeout_and_arguments_0(
            cb.unchecked_ref(),
            REQUEST_TIMEOUT_MS,
        )
    });
    let result = fetch_text(path, &init).await;
    if let Some(Ok(id)) = timer {
        window().clear_timeout_with_handle(id);
    }
    let (status, text) = result?;
    if (200..300).contains(&status) {
        return Ok(text);
    }
    Err(failure_from(status, &text))
}

async fn fetch_text(path: &str, init: &web_sys::RequestInit) -> Result<(u16, String), SyncFailure> {
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(path, init))
        .await
        .map_err(|_| SyncFailure::Network)?
        .unchecked_into();
    // The body's bytes, copied once into wasm memory: `text()` would decode
    // them into a JS string and wasm-bindgen encode that again (~0.6 s of
    // a city office phone's first sync, ~60 MB of pages).
    let bytes = JsFuture::from(response.array_buffer().map_err(|_| SyncFailure::Network)?)
        .await
        .map_err(|_| SyncFailure::Network)?;
    let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
    // As `text()` reads it: invalid UTF-8 becomes U+FFFD.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok((response.status(), text))
}

/// An error answer as a [`SyncFailure`].
pub fn failure_from(status: u16, body: &str) -> SyncFailure {
    let body: Option<Value> = serde_json::from_str(body).ok();
    let error = body.as_ref().and_then(|b| b.get("error"));
    let field = |name: &str| {
        error
            .and_then(|e| e.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let rejected = |code: String| SyncFailure::Rejected {
        code,
        message: field("message").unwrap_or_default(),
        details: error.and_then(|e| e.get("details")).cloned(),
    };
    match (status, field("code")) {
        (_, Some(code)) if code == "invalid_code" => rejected(code),
        (401, _) => SyncFailure::Unauthorized,
        (429, _) => SyncFailure::RateLimited,
        (400..=499, Some(code)) => rejected(code),
        (403, None) => SyncFailure::Forbidden,
        _ => SyncFailure::Server { status },
    }
}

/// Wording helper for the unsent count.
pub fn unsent_text(lang: Lang, n: u64) -> String {
    fill(Msg::UnsentCount.text(lang), &[("n", &n)])
}
