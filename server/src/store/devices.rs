//! The SQL of enrollment and devices (`devices`, `enrollment_codes`,
//! `server_meta`; SQLite migrations 0001–0002): what [`crate::auth`],
//! [`crate::enroll`], [`crate::demo`] and the operator's subcommands read
//! and write. Secrets are stored only as SHA-256 hashes.

use super::{Row, Sql};
use crate::params;

/// A device row as auth needs it: id, name, role, scope (JSON).
pub type DeviceRow = (String, String, String, String);

/// The unrevoked device with this token hash.
pub fn by_token_hash(sql: &mut dyn Sql, hash: &[u8; 32]) -> anyhow::Result<Option<DeviceRow>> {
    sql.query_opt(
        "SELECT id, name, role, scope FROM devices \
         WHERE token_hash = ?1 AND revoked_at IS NULL",
        params![&hash[..]],
    )?
    .map(|r| Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?)))
    .transpose()
}

/// Every device, oldest first: id, name, device_name, role, scope,
/// created_at, revoked_at, last_seq.
pub fn all(sql: &mut dyn Sql) -> anyhow::Result<Vec<Row>> {
    sql.query(
        "SELECT id, name, device_name, role, scope, created_at, revoked_at, last_seq \
         FROM devices ORDER BY created_at, id",
        &[],
    )
}

/// Marks a device revoked (idempotent). `false` if there is no such device.
pub fn revoke(sql: &mut dyn Sql, id: &str, now: &str) -> anyhow::Result<bool> {
    let exists = sql
        .query_opt("SELECT 1 FROM devices WHERE id = ?1", params![id])?
        .is_some();
    if exists {
        sql.exec(
            "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, now],
        )?;
    }
    Ok(exists)
}

/// Whether an unrevoked office device exists.
pub fn office_exists(sql: &mut dyn Sql) -> anyhow::Result<bool> {
    sql.query_one(
        "SELECT EXISTS (SELECT 1 FROM devices WHERE role = 'office' AND revoked_at IS NULL)",
        &[],
    )?
    .bool(0)
}

/// Drops unused administrator codes.
pub fn delete_unused_admin_codes(sql: &mut dyn Sql) -> anyhow::Result<()> {
    sql.exec(
        "DELETE FROM enrollment_codes WHERE purpose = 'admin' AND used_at IS NULL",
        &[],
    )?;
    Ok(())
}

/// Drops unused invites made for any of `names` (the demo's users).
pub fn delete_unused_invites_named(sql: &mut dyn Sql, names: [&str; 3]) -> anyhow::Result<()> {
    sql.exec(
        "DELETE FROM enrollment_codes WHERE purpose = 'invite' AND used_at IS NULL \
         AND name IN (?1, ?2, ?3)",
        params![names[0], names[1], names[2]],
    )?;
    Ok(())
}

/// A new enrollment code (only its hash).
pub struct NewCode<'a> {
    pub hash: &'a [u8],
    pub purpose: &'a str,
    pub role: &'a str,
    pub scope: &'a str,
    pub name: &'a str,
    pub created_at: &'a str,
    pub expires_at: Option<&'a str>,
}

pub fn insert_code(sql: &mut dyn Sql, code: NewCode<'_>) -> anyhow::Result<()> {
    sql.exec(
        "INSERT INTO enrollment_codes (code_hash, purpose, role, scope, name, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            code.hash,
            code.purpose,
            code.role,
            code.scope,
            code.name,
            code.created_at,
            code.expires_at
        ],
    )?;
    Ok(())
}

/// An unused code: purpose, role, scope, name, expires_at.
pub type CodeRow = (String, String, String, String, Option<String>);

pub fn unused_code(sql: &mut dyn Sql, hash: &[u8]) -> anyhow::Result<Option<CodeRow>> {
    sql.query_opt(
        "SELECT purpose, role, scope, name, expires_at FROM enrollment_codes \
         WHERE code_hash = ?1 AND used_at IS NULL",
        params![hash],
    )?
    .map(|r| {
        Ok((
            r.text(0)?,
            r.text(1)?,
            r.text(2)?,
            r.text(3)?,
            r.opt_text(4)?,
        ))
    })
    .transpose()
}

/// A new device.
pub struct NewDevice<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub device_name: &'a str,
    pub role: &'a str,
    pub scope: &'a str,
    pub token_hash: &'a [u8],
    pub created_at: &'a str,
}

/// Creates the device and marks the code that enrolled it used.
pub fn enroll(sql: &mut dyn Sql, device: NewDevice<'_>, code_hash: &[u8]) -> anyhow::Result<()> {
    sql.exec(
        "INSERT INTO devices (id, name, device_name, role, scope, token_hash, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            device.id,
            device.name,
            device.device_name,
            device.role,
            device.scope,
            device.token_hash,
            device.created_at
        ],
    )?;
    sql.exec(
        "UPDATE enrollment_codes SET used_at = ?2, used_by = ?3 WHERE code_hash = ?1",
        params![code_hash, device.created_at, device.id],
    )?;
    Ok(())
}

/// A `server_meta` value.
pub fn meta(sql: &mut dyn Sql, key: &str) -> anyhow::Result<Option<String>> {
    sql.query_opt("SELECT value FROM server_meta WHERE key = ?1", params![key])?
        .map(|r| r.text(0))
        .transpose()
}

/// Sets a `server_meta` value.
pub fn set_meta(sql: &mut dyn Sql, key: &str, value: &str) -> anyhow::Result<()> {
    sql.exec(
        "INSERT INTO server_meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Sets a `server_meta` value unless one is there.
pub fn set_meta_once(sql: &mut dyn Sql, key: &str, value: &str) -> anyhow::Result<()> {
    sql.exec(
        "INSERT INTO server_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        params![key, value],
    )?;
    Ok(())
}

/// Whether any device or change is stored.
pub fn holds_data(sql: &mut dyn Sql) -> anyhow::Result<bool> {
    sql.query_one(
        "SELECT EXISTS (SELECT 1 FROM devices) OR EXISTS (SELECT 1 FROM changes)",
        &[],
    )?
    .bool(0)
}

/// Whether the change log is empty.
pub fn log_is_empty(sql: &mut dyn Sql) -> anyhow::Result<bool> {
    sql.query_one("SELECT NOT EXISTS (SELECT 1 FROM changes)", &[])?
        .bool(0)
}
