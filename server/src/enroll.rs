//! Enrollment: one-time codes become device tokens.
//!
//! - At `serve` start, while no unrevoked office device exists, a fresh
//!   administrator code is made (any unused one is dropped: only hashes are
//!   stored, so a restart cannot show the old one again), printed, logged and
//!   written to `<data>/admin-code.txt` (mode 0600), which is deleted once
//!   the code is used.
//! - The office makes invites (`POST /api/invites` or `xianfeng-server
//!   invite`) for a role and scope; an invite is valid for 7 days.
//! - A phone enrolls with `POST /api/enroll` and gets a device token. The
//!   code is marked used in the same transaction that creates the device.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};

use axum::extract::{ConnectInfo, Path as UrlPath, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use xianfeng_core::ids::DeviceId;
use xianfeng_core::validate;
use xianfeng_core::{Role, Scope};

use crate::auth::{
    check_role_scope, list_devices, revoke_device, role_text, scope_from_json, scope_json,
    AuthDevice, DeviceInfo,
};
use crate::error::AppError;
use crate::secrets::{code_hash, format_time, new_code, new_token, normalize_code, token_hash};
use crate::store::devices::{self, NewCode, NewDevice};
use crate::store::{Sql, Store};
use crate::AppState;

/// How long an invite stays valid.
pub const INVITE_TTL: Duration = Duration::days(7);
/// The file in the data directory holding the unused administrator code.
pub const ADMIN_CODE_FILE: &str = "admin-code.txt";
/// The longest device name kept (characters).
pub const DEVICE_NAME_MAX: usize = 64;

/// `POST /api/enroll` body.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    #[serde(default)]
    pub device_name: String,
}

/// What a phone keeps after enrolling. `token` is shown only here, once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: DeviceId,
    pub token: String,
    pub role: Role,
    pub scope: Scope,
    pub name: String,
    pub server_id: String,
}

/// `POST /api/invites` body.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InviteRequest {
    pub role: Role,
    pub scope: Scope,
    pub name: String,
}

/// A new invite: the code to type and the link to open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub code: String,
    pub link: String,
    pub expires_at: String,
}

/// `GET /api/me`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub device_id: DeviceId,
    pub role: Role,
    pub scope: Scope,
    pub name: String,
}

/// `GET /api/devices`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceList {
    pub devices: Vec<DeviceInfo>,
}

fn invalid_code(message: &str) -> AppError {
    AppError::coded(StatusCode::UNAUTHORIZED, "invalid_code", message)
}

/// The link that opens the app's enrollment screen with `code` filled in.
pub fn enroll_link(base_url: &str, code: &str) -> String {
    format!("{}/enroll?code={code}", base_url.trim_end_matches('/'))
}

/// Where the unused administrator code is written for scripts and tests.
pub fn admin_code_path(data_dir: &Path) -> PathBuf {
    data_dir.join(ADMIN_CODE_FILE)
}

/// Makes a fresh administrator code if no unrevoked office device exists
/// (dropping any unused one), else drops unused ones. Returns the new code.
/// Call inside a write.
pub fn renew_admin_code(sql: &mut dyn Sql, now: &str) -> anyhow::Result<Option<String>> {
    devices::delete_unused_admin_codes(sql)?;
    if devices::office_exists(sql)? {
        return Ok(None);
    }
    let code = new_code();
    let hash = code_hash(&normalize_code(&code).expect("fresh codes are valid"));
    devices::insert_code(
        sql,
        NewCode {
            hash: &hash,
            purpose: "admin",
            role: "office",
            scope: &scope_json(&Scope::City),
            name: "先教办管理员",
            created_at: now,
            expires_at: None,
        },
    )?;
    Ok(Some(code))
}

/// At start: renews the administrator code; if there is one, prints it
/// (stdout, bilingual), logs it and writes it to `<data>/admin-code.txt`;
/// if there is none, removes a stale file. With several instances on one
/// PostgreSQL database, the code the last one to start printed is the
/// valid one.
pub async fn announce_admin_code(
    store: &Store,
    data_dir: &Path,
    base_url: &str,
    now: OffsetDateTime,
) -> anyhow::Result<Option<String>> {
    let now = format_time(now);
    let code = store.write(move |sql| renew_admin_code(sql, &now)).await?;
    std::fs::create_dir_all(data_dir)?;
    let path = admin_code_path(data_dir);
    match &code {
        Some(code) => {
            write_private(&path, &format!("{code}\n"))?;
            let link = enroll_link(base_url, code);
            println!(
                "\n==================================================================\n\
                 管理员登记码 / office enrollment code: {code}\n\
                 登记链接 / enrollment link: {link}\n\
                 仅可使用一次；未使用前每次重启都会生成新码。\n\
                 Single use; until it is used, every restart prints a new one.\n\
                 (also in {})\n\
                 ==================================================================\n",
                path.display()
            );
            tracing::info!(%code, %link, file = %path.display(), "office enrollment code (管理员登记码)");
        }
        None => remove_admin_code_file(data_dir),
    }
    Ok(code)
}

/// Writes `text` to `path`, readable by the server's user only (0600).
pub(crate) fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        // An existing file keeps its mode on open: set it explicitly.
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    options.open(path)?.write_all(text.as_bytes())
}

fn remove_admin_code_file(data_dir: &Path) {
    let path = admin_code_path(data_dir);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => tracing::warn!(file = %path.display(), "cannot remove admin code file: {err}"),
    }
}

/// Makes an invite (not yet its link), inside a write. Refuses role/scope
/// combinations that make no sense and empty or overlong names.
pub fn create_invite(
    sql: &mut dyn Sql,
    role: Role,
    scope: &Scope,
    name: &str,
    now: OffsetDateTime,
) -> Result<(String, String), AppError> {
    check_role_scope(role, scope)?;
    let name = validate::clean(name);
    validate::name("name", &name)?;
    let code = new_code();
    let hash = code_hash(&normalize_code(&code).expect("fresh codes are valid"));
    let expires_at = format_time(now + INVITE_TTL);
    devices::insert_code(
        sql,
        NewCode {
            hash: &hash,
            purpose: "invite",
            role: role_text(role),
            scope: &scope_json(scope),
            name: &name,
            created_at: &format_time(now),
            expires_at: Some(&expires_at),
        },
    )?;
    Ok((code, expires_at))
}

/// Enrolls a device with a code, inside a write: checks it is known,
/// unused and unexpired, creates the device with a fresh token and marks
/// the code used. Returns the response and whether it was the admin code.
pub fn enroll_with_code(
    sql: &mut dyn Sql,
    code: &str,
    device_name: &str,
    now: &str,
) -> Result<(EnrollResponse, bool), AppError> {
    let normalized = normalize_code(code)
        .ok_or_else(|| invalid_code("not an enrollment code (12 letters and digits)"))?;
    let hash = code_hash(&normalized);
    let device_name: String = validate::clean(device_name)
        .chars()
        .take(DEVICE_NAME_MAX)
        .collect();
    // Shown in the office's device list: one line, no control characters.
    let named = Some(device_name.as_str()).filter(|n| !n.is_empty());
    validate::opt_line("device_name", named, DEVICE_NAME_MAX)?;
    let Some((purpose, role, scope, name, expires_at)) = devices::unused_code(sql, &hash)? else {
        return Err(invalid_code("unknown or already used enrollment code"));
    };
    if expires_at.is_some_and(|at| at.as_str() <= now) {
        return Err(invalid_code("this invite has expired"));
    }
    let role = crate::auth::parse_role(&role)?;
    let scope = scope_from_json(&scope)?;
    let device_id = DeviceId::generate();
    let token = new_token();
    devices::enroll(
        sql,
        NewDevice {
            id: &device_id.to_string(),
            name: &name,
            device_name: &device_name,
            role: role_text(role),
            scope: &scope_json(&scope),
            token_hash: &token_hash(&token),
            created_at: now,
        },
        &hash,
    )?;
    let server_id = devices::meta(sql, "server_id")?
        .ok_or_else(|| anyhow::anyhow!("no server_id in server_meta"))?;
    Ok((
        EnrollResponse {
            device_id,
            token,
            role,
            scope,
            name,
            server_id,
        },
        purpose == "admin",
    ))
}

/// The client's address as the connection shows it (unspecified when the
/// router runs without connect info, as in tests).
pub(crate) fn client_ip(headers_ext: &axum::http::Extensions) -> IpAddr {
    headers_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED))
}

/// `POST /api/enroll`.
pub async fn enroll(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    Json(request): Json<EnrollRequest>,
) -> Result<Json<EnrollResponse>, AppError> {
    state.limits.check_enroll(client_ip(&extensions))?;
    let now = format_time(state.clock.now());
    let (response, was_admin) = state
        .store
        .write(move |sql| enroll_with_code(sql, &request.code, &request.device_name, &now))
        .await?;
    if was_admin {
        if let Some(dir) = &state.data_dir {
            remove_admin_code_file(dir);
        }
    }
    tracing::info!(
        device = %response.device_id,
        role = role_text(response.role),
        "device enrolled"
    );
    Ok(Json(response))
}

/// The base of links the server hands out: `--public-url`, else the
/// request's `Host` over plain HTTP.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// `POST /api/invites` (office only).
pub async fn invite(
    State(state): State<AppState>,
    device: AuthDevice,
    headers: HeaderMap,
    Json(request): Json<InviteRequest>,
) -> Result<Json<Invite>, AppError> {
    device.require_office()?;
    let base = base_url(&state, &headers);
    let now = state.clock.now();
    let (code, expires_at) = state
        .store
        .write(move |sql| create_invite(sql, request.role, &request.scope, &request.name, now))
        .await?;
    tracing::info!(by = %device.device_id, "invite created");
    Ok(Json(Invite {
        link: enroll_link(&base, &code),
        code,
        expires_at,
    }))
}

/// `GET /api/devices` (office only).
pub async fn devices(
    State(state): State<AppState>,
    device: AuthDevice,
) -> Result<Json<DeviceList>, AppError> {
    device.require_office()?;
    let devices = state
        .store
        .read(|sql| list_devices(sql))
        .await
        .map_err(AppError::Internal)?;
    Ok(Json(DeviceList { devices }))
}

/// `POST /api/devices/{id}/revoke` (office only): 204, idempotent.
pub async fn revoke(
    State(state): State<AppState>,
    device: AuthDevice,
    UrlPath(id): UrlPath<String>,
) -> Result<StatusCode, AppError> {
    device.require_office()?;
    let id: DeviceId = id.parse()?;
    let now = format_time(state.clock.now());
    let found = state
        .store
        .write(move |sql| revoke_device(sql, id, &now))
        .await?;
    if !found {
        return Err(AppError::NotFound(format!("no device {id}")));
    }
    tracing::info!(by = %device.device_id, revoked = %id, "device revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/me`.
pub async fn me(device: AuthDevice) -> Json<Me> {
    Json(Me {
        device_id: device.device_id,
        role: device.actor.role,
        scope: device.actor.scope,
        name: device.name,
    })
}
