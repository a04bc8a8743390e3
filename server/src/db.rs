//! The one SQLite database, opened with WAL and migrated at start.
//!
//! rusqlite is blocking, so async handlers reach the connection only through
//! [`Db::call`], which runs the closure on tokio's blocking pool. A single
//! connection behind a mutex is the one writer; that is enough for a small
//! campaign server and keeps transactions simple to reason about.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

/// The database file's name inside the data directory.
pub const DB_FILE_NAME: &str = "xianfeng.sqlite3";

/// How long a statement waits for a lock held by another connection
/// (for example an operator's `sqlite3` shell) before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const MIGRATION_LIST: &[M<'static>] = &[
    M::up(include_str!("migrations/sqlite/0001_init.sql")),
    M::up(include_str!("migrations/sqlite/0002_devices.sql")),
    M::up(include_str!("migrations/sqlite/0003_sync.sql")),
    M::up(include_str!("migrations/sqlite/0004_public_review.sql")),
    M::up(include_str!("migrations/sqlite/0005_sync_head.sql")),
];

/// The schema version (`user_version`) after every migration ran.
pub const SCHEMA_VERSION: i64 = MIGRATION_LIST.len() as i64;

/// Every schema change, in order. Append only: never edit a shipped one.
pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

/// Why a database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unexpected journal mode {0:?} (wanted wal)")]
    JournalMode(String),
    #[error("database task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A cheap, cloneable handle to the server's connection.
#[derive(Clone, Debug)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    path: Arc<Path>,
}

impl Db {
    /// Creates `data_dir` if needed, then opens (or creates) the database in
    /// it and migrates it to the latest schema. Blocking: call at start-up or
    /// from `spawn_blocking`.
    pub fn open_in_dir(data_dir: &Path) -> Result<Db, DbError> {
        std::fs::create_dir_all(data_dir).map_err(|source| DbError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        Db::open(&data_dir.join(DB_FILE_NAME))
    }

    /// Opens (or creates) the database file at `path`, sets the connection
    /// pragmas and applies pending migrations. Blocking.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let mut conn = Connection::open(path)?;
        configure(&conn)?;
        MIGRATIONS.to_latest(&mut conn)?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
            path: path.into(),
        })
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with the connection on the blocking pool and returns its
    /// result. Calls are serialised: keep closures short and never `.await`
    /// inside a transaction (you can't: the closure is sync).
    pub async fn call<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R, DbError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A closure that panicked left the lock poisoned. Any transaction
            // it had open was rolled back when its guard dropped during
            // unwinding, so the connection itself is still sound.
            let mut guard = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
        .await?
    }

    /// The schema version (SQLite `user_version`) the migrations reached.
    pub async fn schema_version(&self) -> Result<i64, DbError> {
        self.call(|conn| Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?))
            .await
    }

    /// Folds the WAL back into the main file and truncates it, runs
    /// `PRAGMA optimize`, and closes the connection if this was the last handle.
    pub async fn close(self) -> Result<(), DbError> {
        self.call(|conn| {
            conn.execute_batch("PRAGMA optimize;")?;
            // Columns: busy flag, WAL frames, frames checkpointed.
            let (busy, log, done): (i64, i64, i64) =
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?;
            tracing::debug!(busy, log, done, "wal checkpoint");
            Ok(())
        })
        .await?;
        match Arc::try_unwrap(self.conn) {
            Ok(mutex) => {
                let conn = mutex.into_inner().unwrap_or_else(PoisonError::into_inner);
                tokio::task::spawn_blocking(move || conn.close().map_err(|(_, err)| err)).await??;
            }
            Err(_) => tracing::warn!("database still in use elsewhere; checkpointed but left open"),
        }
        Ok(())
    }
}

/// Per-connection settings. WAL lets readers run during a write.
/// `synchronous=FULL`: every commit is on disk before it returns, because a
/// push's answer tells the phone to drop those changes from its outbox; with
/// `NORMAL` a power cut could take back commits already acknowledged, and
/// the records would be nowhere. (Measured on the `sync` bench: no slower
/// than `NORMAL` here, the noise of the machine is larger.) Foreign keys are
/// off by default in SQLite.
fn configure(conn: &Connection) -> Result<(), DbError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Every statement the store runs stays prepared (rusqlite keeps 16).
    conn.set_prepared_statement_cache_capacity(64);
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(DbError::JournalMode(mode));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[tokio::test]
    async fn opens_configures_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("nested/data");

        let db = Db::open_in_dir(&data).unwrap();
        assert_eq!(db.path(), data.join(DB_FILE_NAME));
        assert_eq!(db.schema_version().await.unwrap(), SCHEMA_VERSION);
        let (id, created, journal, sync, fk) = db
            .call(|c| {
                let id: String = c.query_row(
                    "SELECT value FROM server_meta WHERE key = 'server_id'",
                    [],
                    |r| r.get(0),
                )?;
                let created: String = c.query_row(
                    "SELECT value FROM server_meta WHERE key = 'created_at'",
                    [],
                    |r| r.get(0),
                )?;
                let journal: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
                let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0))?;
                let fk: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
                Ok((id, created, journal, sync, fk))
            })
            .await
            .unwrap();
        assert_eq!(id.len(), 32);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert!(created.ends_with('Z') && created.len() == 24, "{created}");
        assert_eq!(journal, "wal");
        assert_eq!(sync, 2, "synchronous=FULL");
        assert_eq!(fk, 1);
        db.close().await.unwrap();

        // Re-opening keeps the data and applies nothing twice.
        let db = Db::open_in_dir(&data).unwrap();
        assert_eq!(db.schema_version().await.unwrap(), SCHEMA_VERSION);
        let (count, id2): (i64, String) = db
            .call(|c| {
                Ok(c.query_row(
                    "SELECT count(*), max(CASE key WHEN 'server_id' THEN value END) FROM server_meta",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .await
            .unwrap();
        assert_eq!(count, 2);
        assert_eq!(id2, id, "server id is stable across restarts");
        db.close().await.unwrap();

        // Close checkpointed and truncated the WAL.
        let wal = data.join(format!("{DB_FILE_NAME}-wal"));
        assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0);
    }

    #[tokio::test]
    async fn call_survives_a_panicking_closure() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in_dir(dir.path()).unwrap();
        let err = db
            .call(|_| -> Result<(), DbError> { panic!("boom") })
            .await
            .unwrap_err();
        assert!(matches!(err, DbError::Task(_)));
        assert_eq!(db.schema_version().await.unwrap(), SCHEMA_VERSION);
    }
}
