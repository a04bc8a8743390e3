//! Who is asking: enrolled devices, their bearer tokens, roles and scopes.
//!
//! Every `/api` route except health and enroll needs
//! `Authorization: Bearer <token>`. The token is hashed and looked up in
//! `devices` on every request (the table is tiny), so revoking a device
//! takes effect on its very next request: nothing is cached.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::{Deserialize, Serialize};
use xianfeng_core::ids::{BranchId, DeviceId, SystemId, UnitId, VillageId};
use xianfeng_core::{Actor, DomainError, Role, Scope};

use crate::error::AppError;
use crate::secrets::token_hash;
use crate::store::{devices, Sql};
use crate::AppState;

/// The device behind a valid, unrevoked token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthDevice {
    pub device_id: DeviceId,
    pub actor: Actor,
    /// The person the device was enrolled for.
    pub name: String,
}

impl AuthDevice {
    /// 403 `forbidden` unless this is a city-wide office device.
    pub fn require_office(&self) -> Result<(), AppError> {
        if self.actor.role == Role::Office && self.actor.scope == Scope::City {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "only the campaign office may do this".to_owned(),
            ))
        }
    }
}

impl FromRequestParts<AppState> for AuthDevice {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer_token(parts)?;
        let hash = token_hash(token);
        let found = state
            .store
            .read(move |sql| device_by_token_hash(sql, &hash))
            .await?;
        match found {
            Some(Ok(device)) => Ok(device),
            Some(Err(err)) => Err(AppError::Internal(err)),
            None => Err(unauthorized()),
        }
    }
}

fn unauthorized() -> AppError {
    AppError::Unauthorized("unknown or revoked device token".to_owned())
}

fn bearer_token(parts: &Parts) -> Result<&str, AppError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| AppError::Unauthorized("missing Authorization: Bearer token".to_owned()))?
        .to_str()
        .map_err(|_| unauthorized())?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(unauthorized)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.len() > 256 {
        return Err(unauthorized());
    }
    Ok(token)
}

/// The unrevoked device with this token hash. The inner error is a row the
/// server cannot read (a bug or a hand-edited database).
fn device_by_token_hash(
    sql: &mut dyn Sql,
    hash: &[u8; 32],
) -> anyhow::Result<Option<anyhow::Result<AuthDevice>>> {
    let row = devices::by_token_hash(sql, hash)?;
    Ok(row.map(|(id, name, role, scope)| {
        Ok(AuthDevice {
            device_id: id.parse().map_err(|e: DomainError| anyhow::anyhow!(e))?,
            actor: Actor::new(parse_role(&role)?, scope_from_json(&scope)?),
            name,
        })
    }))
}

/// A role's name as stored and sent: `office`, `inspector`, `cadre`.
pub fn role_text(role: Role) -> &'static str {
    match role {
        Role::Office => "office",
        Role::Inspector => "inspector",
        Role::Cadre => "cadre",
    }
}

/// Reads a stored role.
pub fn parse_role(text: &str) -> anyhow::Result<Role> {
    Ok(serde_json::from_value(serde_json::Value::String(
        text.to_owned(),
    ))?)
}

/// A scope as stored (`{"level":"branch","id":"…"}`).
pub fn scope_json(scope: &Scope) -> String {
    serde_json::to_string(scope).expect("a scope serialises")
}

/// Reads a stored scope.
pub fn scope_from_json(text: &str) -> anyhow::Result<Scope> {
    Ok(serde_json::from_str(text)?)
}

/// Reads the command line's scope syntax: `city`, `system:<uuid>`,
/// `unit:<uuid>`, `branch:<uuid>`, `village:<uuid>`.
pub fn parse_scope_arg(text: &str) -> Result<Scope, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("city") {
        return Ok(Scope::City);
    }
    let (level, id) = text.split_once(':').ok_or_else(|| {
        format!(
            "scope {text:?}: expected city, system:<id>, unit:<id>, branch:<id> or village:<id>"
        )
    })?;
    let bad = |e: DomainError| format!("scope {text:?}: {e}");
    Ok(match level.trim().to_ascii_lowercase().as_str() {
        "system" => Scope::System(id.parse::<SystemId>().map_err(bad)?),
        "unit" => Scope::Unit(id.parse::<UnitId>().map_err(bad)?),
        "branch" => Scope::Branch(id.parse::<BranchId>().map_err(bad)?),
        "village" => Scope::Village(id.parse::<VillageId>().map_err(bad)?),
        other => return Err(format!("scope {text:?}: unknown level {other:?}")),
    })
}

/// The command line's form of a scope (inverse of [`parse_scope_arg`]).
pub fn scope_arg_text(scope: &Scope) -> String {
    match scope {
        Scope::City => "city".to_owned(),
        Scope::System(id) => format!("system:{id}"),
        Scope::Unit(id) => format!("unit:{id}"),
        Scope::Branch(id) => format!("branch:{id}"),
        Scope::Village(id) => format!("village:{id}"),
    }
}

/// Whether a role can work in a scope at all, so an invite never makes a
/// device that could do nothing or more than meant:
/// - office: the whole city only (office devices administer the server);
/// - inspector: the city, a system or a unit (spot checks sit in units;
///   a branch or village scope would leave nothing to check);
/// - cadre: a branch or a village (core lets cadres write only there).
pub fn check_role_scope(role: Role, scope: &Scope) -> Result<(), AppError> {
    let ok = match role {
        Role::Office => *scope == Scope::City,
        Role::Inspector => matches!(scope, Scope::City | Scope::System(_) | Scope::Unit(_)),
        Role::Cadre => scope.is_grassroots(),
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::coded(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            format!(
                "a {} cannot have scope {}: office needs city; inspector city, system or unit; \
                 cadre branch or village",
                role_text(role),
                scope_arg_text(scope)
            ),
        ))
    }
}

/// One enrolled device as listed to the office (never its token hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub device_id: DeviceId,
    pub name: String,
    pub device_name: String,
    pub role: Role,
    pub scope: Scope,
    pub created_at: String,
    #[serde(default)]
    pub revoked_at: Option<String>,
    pub last_seq: u64,
}

/// Every device, oldest first.
pub fn list_devices(sql: &mut dyn Sql) -> anyhow::Result<Vec<DeviceInfo>> {
    let mut out = Vec::new();
    for r in devices::all(sql)? {
        out.push(DeviceInfo {
            device_id: r
                .text(0)?
                .parse()
                .map_err(|e: DomainError| anyhow::anyhow!(e))?,
            name: r.text(1)?,
            device_name: r.text(2)?,
            role: parse_role(&r.text(3)?)?,
            scope: scope_from_json(&r.text(4)?)?,
            created_at: r.text(5)?,
            revoked_at: r.opt_text(6)?,
            last_seq: u64::try_from(r.int(7)?)?,
        });
    }
    Ok(out)
}

/// Marks a device revoked (idempotent). `false` if there is no such device.
pub fn revoke_device(sql: &mut dyn Sql, id: DeviceId, now: &str) -> anyhow::Result<bool> {
    devices::revoke(sql, &id.to_string(), now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_args_round_trip() {
        let id = "01900000-0000-7000-8000-000000000001";
        for text in [
            "city".to_owned(),
            format!("system:{id}"),
            format!("unit:{id}"),
            format!("branch:{id}"),
            format!("village:{id}"),
        ] {
            let scope = parse_scope_arg(&text).unwrap();
            assert_eq!(scope_arg_text(&scope), text);
            assert_eq!(scope_from_json(&scope_json(&scope)).unwrap(), scope);
        }
        assert_eq!(parse_scope_arg(" CITY ").unwrap(), Scope::City);
        assert!(parse_scope_arg("branch").is_err());
        assert!(parse_scope_arg("branch:nope").is_err());
        assert!(parse_scope_arg(&format!("street:{id}")).is_err());
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Office, Role::Inspector, Role::Cadre] {
            assert_eq!(parse_role(role_text(role)).unwrap(), role);
        }
        assert!(parse_role("mayor").is_err());
    }

    #[test]
    fn role_scope_combinations() {
        let b = Scope::Branch(BranchId::from_u128(1));
        let v = Scope::Village(VillageId::from_u128(2));
        let u = Scope::Unit(UnitId::from_u128(3));
        let s = Scope::System(SystemId::from_u128(4));
        let cases = [
            (Role::Office, Scope::City, true),
            (Role::Office, s, false),
            (Role::Inspector, Scope::City, true),
            (Role::Inspector, s, true),
            (Role::Inspector, u, true),
            (Role::Inspector, b, false),
            (Role::Inspector, v, false),
            (Role::Cadre, b, true),
            (Role::Cadre, v, true),
            (Role::Cadre, u, false),
            (Role::Cadre, Scope::City, false),
        ];
        for (role, scope, ok) in cases {
            assert_eq!(
                check_role_scope(role, &scope).is_ok(),
                ok,
                "{role:?} {scope:?}"
            );
        }
    }
}
