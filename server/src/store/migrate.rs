//! `xianfeng-server copy-to-postgres`: moves an existing SQLite database
//! (`--data`) into an empty PostgreSQL database (`--database-url`), table
//! by table, in one PostgreSQL transaction, then verifies the copy.
//!
//! Everything is copied as stored: `server_meta` (so the server keeps its
//! id, review secret and demo mark), devices and codes (hashes only),
//! the whole log with its numbers, facts, fields, records, conflicts and
//! the review limits; the log head is set to the last number. Verified:
//! every table's row count on both sides, and the whole log read back the
//! way a pull reads it (every row's number, device, kind, body and
//! location equal). The SQLite file is migrated to the current schema (as
//! a start would), then opened read-only; a PostgreSQL
//! database that already holds devices or changes is refused.

use std::fmt;
use std::path::Path;

use anyhow::Context as _;
use rusqlite::{Connection, OpenFlags};

use super::sqlite::SqliteConn;
use super::{devices, log, PgStore, Sql, Store, Val};
use crate::db::{Db, DB_FILE_NAME};

/// The tables copied, with their columns, in an order that satisfies
/// foreign keys, and the key they are read in.
const TABLES: &[(&str, &str, &str)] = &[
    ("server_meta", "key, value", "key"),
    (
        "devices",
        "id, name, device_name, role, scope, token_hash, created_at, revoked_at, last_seq",
        "id",
    ),
    (
        "enrollment_codes",
        "code_hash, purpose, role, scope, name, created_at, expires_at, used_at, used_by",
        "code_hash",
    ),
    (
        "changes",
        "server_seq, device, device_seq, kind, record_id, body, loc_system, loc_unit, loc_branch, loc_village",
        "server_seq",
    ),
    ("facts", "kind, id, canonical, server_seq", "kind, id"),
    (
        "fields",
        "kind, id, field, value, hlc_wall, hlc_counter, hlc_device",
        "kind, id, field",
    ),
    (
        "records",
        "kind, id, loc_system, loc_unit, loc_branch, loc_village",
        "kind, id",
    ),
    (
        "conflicts",
        "id, kind, record_id, field, winner, loser, device, created_at",
        "id",
    ),
    ("public_review_limits", "client_key, post, at_ms", "client_key"),
];

/// Rows read from SQLite per statement.
const CHUNK: i64 = 5_000;

/// What was copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyReport {
    /// Rows per table (equal on both sides).
    pub tables: Vec<(&'static str, i64)>,
    /// Log rows compared as a pull reads them.
    pub log_rows_compared: u64,
}

impl fmt::Display for CopyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "copied SQLite → PostgreSQL (rows per table, equal on both sides):"
        )?;
        for (table, n) in &self.tables {
            writeln!(f, "  {table:<22} {n}")?;
        }
        write!(
            f,
            "verified: {} log rows read back identically",
            self.log_rows_compared
        )
    }
}

fn count(sql: &mut dyn Sql, table: &str) -> anyhow::Result<i64> {
    sql.query_one(&format!("SELECT count(*) FROM {table}"), &[])?
        .int(0)
}

/// Copies the SQLite database in `data_dir` into the PostgreSQL database
/// at `url` and verifies it.
pub async fn copy_sqlite_to_postgres(data_dir: &Path, url: &str) -> anyhow::Result<CopyReport> {
    let path = data_dir.join(DB_FILE_NAME);
    anyhow::ensure!(path.exists(), "no SQLite database at {}", path.display());
    // Bring the SQLite file to the latest schema first (what a start does).
    let dir = data_dir.to_path_buf();
    tokio::task::spawn_blocking(move || Db::open_in_dir(&dir))
        .await??
        .close()
        .await?;
    let pg = Store::from(PgStore::connect(url).await?);
    let source = path.clone();
    pg.write(move |sql: &mut dyn Sql| -> anyhow::Result<()> {
        anyhow::ensure!(
            !devices::holds_data(sql)?,
            "the PostgreSQL database already holds devices or changes: copy into an empty one"
        );
        let conn = Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut from = SqliteConn::new(&conn, false);
        sql.exec("DELETE FROM server_meta", &[])?;
        for (table, columns, key) in TABLES {
            let width = columns.split(',').count();
            let marks: Vec<String> = (1..=width).map(|i| format!("?{i}")).collect();
            let insert = format!(
                "INSERT INTO {table} ({columns}) VALUES ({})",
                marks.join(", ")
            );
            let select = format!("SELECT {columns} FROM {table} ORDER BY {key} LIMIT ?1 OFFSET ?2");
            let mut offset = 0;
            loop {
                let rows = from.query(&select, &[Val::Int(CHUNK), Val::Int(offset)])?;
                for row in &rows {
                    sql.exec(&insert, &row.0)
                        .with_context(|| format!("copying a row of {table}"))?;
                }
                if (rows.len() as i64) < CHUNK {
                    break;
                }
                offset += CHUNK;
            }
        }
        let head = log::log_end(sql)?;
        sql.exec(
            "UPDATE sync_head SET seq = ?1, org_version = org_version + 1 WHERE id = 1",
            &[Val::Int(i64::try_from(head)?)],
        )?;
        sql.exec(
            "SELECT setval(pg_get_serial_sequence('conflicts', 'id'), \
             (SELECT COALESCE(MAX(id), 0) + 1 FROM conflicts), false)",
            &[],
        )?;
        Ok(())
    })
    .await
    .context("copying into PostgreSQL")?;
    let report = verify(&path, &pg).await;
    pg.close().await?;
    report
}

/// Compares every table's count and the whole log, as pulls read it.
pub async fn verify(sqlite_file: &Path, pg: &Store) -> anyhow::Result<CopyReport> {
    let source = sqlite_file.to_path_buf();
    let (counts, log_rows) = pg
        .read(move |sql| {
            let conn = Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            let mut from = SqliteConn::new(&conn, false);
            let mut counts = Vec::new();
            for (table, ..) in TABLES {
                let (a, b) = (count(&mut from, table)?, count(sql, table)?);
                anyhow::ensure!(a == b, "{table}: {a} rows in SQLite, {b} in PostgreSQL");
                counts.push((*table, a));
            }
            let mut cursor = 0;
            let mut compared = 0;
            loop {
                let a = log::rows_after(&mut from, cursor, 5_000)?;
                let b = log::rows_after(sql, cursor, 5_000)?;
                anyhow::ensure!(a.len() == b.len(), "the logs differ after {cursor}");
                for (x, y) in a.iter().zip(&b) {
                    anyhow::ensure!(
                        x.server_seq == y.server_seq
                            && x.device == y.device
                            && x.kind == y.kind
                            && x.body == y.body
                            && x.location == y.location,
                        "log row {} differs",
                        x.server_seq
                    );
                }
                compared += a.len() as u64;
                match a.last() {
                    Some(last) => cursor = last.server_seq,
                    None => break,
                }
            }
            Ok((counts, compared))
        })
        .await?;
    Ok(CopyReport {
        tables: counts,
        log_rows_compared: log_rows,
    })
}
