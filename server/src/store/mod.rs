//! The storage boundary: everything the server keeps goes through [`Store`],
//! an enum over the two backends, and the SQL lives in this module only.
//! Handlers (sync, enrollment, devices, the review page, the demo) call
//! the functions of [`log`], [`devices`] and [`review`]; none sees SQL.
//!
//! - [`Store::Sqlite`]: the embedded default (`--data`), one connection
//!   behind a mutex ([`crate::db::Db`]), WAL, `synchronous=FULL`.
//! - [`Store::Postgres`]: `--database-url postgres://…`, a pool of
//!   connections shared by any number of server processes
//!   ([`postgres::PgStore`]).
//!
//! Why one SQL text for both: the statements the server needs are plain
//! (primary-key lookups, upserts with `ON CONFLICT`, one ordered range
//! scan), written in the common subset of the two dialects with `?N`
//! placeholders that the PostgreSQL side rewrites to `$N`. What differs —
//! how a write transaction starts, how log numbers are handed out,
//! migrations — lives in the backend files.
//!
//! Why synchronous: core's placement (`locate`) asks its
//! `PlacementLookup` synchronously, record by record, while a push is
//! applied. So a transaction is a closure over `&mut dyn Sql` run on
//! tokio's blocking pool, for both backends (PostgreSQL's async driver is
//! driven from there with `Handle::block_on`).

pub mod devices;
pub mod log;
pub mod migrate;
pub mod postgres;
pub mod review;
pub mod scratch;
pub mod sqlite;

use std::fmt;

use anyhow::Context as _;

use crate::db::Db;
pub use postgres::PgStore;

/// One SQL value, as bound or read. Booleans read as `Int(0|1)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        v.map_or(Val::Null, Val::Int)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_owned())
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        v.map_or(Val::Null, Val::Text)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Val {
        v.map_or(Val::Null, |s| Val::Text(s.to_owned()))
    }
}
impl From<&[u8]> for Val {
    fn from(v: &[u8]) -> Val {
        Val::Blob(v.to_vec())
    }
}
impl From<Vec<u8>> for Val {
    fn from(v: Vec<u8>) -> Val {
        Val::Blob(v)
    }
}

/// Parameters for a statement: `params![a, b]`.
#[macro_export]
macro_rules! params {
    ($($value:expr),* $(,)?) => { &[$($crate::store::Val::from($value)),*][..] };
}
pub use crate::params;

/// One result row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row(pub Vec<Val>);

impl Row {
    fn at(&self, i: usize) -> anyhow::Result<&Val> {
        self.0
            .get(i)
            .with_context(|| format!("no column {i} in a row of {}", self.0.len()))
    }

    pub fn text(&self, i: usize) -> anyhow::Result<String> {
        self.opt_text(i)?
            .with_context(|| format!("column {i} is NULL"))
    }

    pub fn opt_text(&self, i: usize) -> anyhow::Result<Option<String>> {
        match self.at(i)? {
            Val::Null => Ok(None),
            Val::Text(s) => Ok(Some(s.clone())),
            other => anyhow::bail!("column {i}: expected text, got {other:?}"),
        }
    }

    pub fn int(&self, i: usize) -> anyhow::Result<i64> {
        self.opt_int(i)?
            .with_context(|| format!("column {i} is NULL"))
    }

    pub fn opt_int(&self, i: usize) -> anyhow::Result<Option<i64>> {
        match self.at(i)? {
            Val::Null => Ok(None),
            Val::Int(n) => Ok(Some(*n)),
            other => anyhow::bail!("column {i}: expected an integer, got {other:?}"),
        }
    }

    pub fn bool(&self, i: usize) -> anyhow::Result<bool> {
        Ok(self.int(i)? != 0)
    }

    pub fn blob(&self, i: usize) -> anyhow::Result<Vec<u8>> {
        match self.at(i)? {
            Val::Blob(b) => Ok(b.clone()),
            other => anyhow::bail!("column {i}: expected bytes, got {other:?}"),
        }
    }
}

/// Which backend a connection belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection inside a transaction (or, for reads on SQLite, the
/// connection itself). Statements use `?1`, `?2`… placeholders.
pub trait Sql {
    /// Runs a statement; returns the rows it changed.
    fn exec(&mut self, sql: &str, params: &[Val]) -> anyhow::Result<u64>;
    /// Runs a query; returns every row.
    fn query(&mut self, sql: &str, params: &[Val]) -> anyhow::Result<Vec<Row>>;
    /// The next number in the change log. Only inside [`Store::write`]:
    /// numbers are handed out in the order writes commit (see
    /// ARCHITECTURE.md, "The pull cursor").
    fn next_seq(&mut self) -> anyhow::Result<i64>;
    fn backend(&self) -> Backend;
}

impl dyn Sql + '_ {
    /// The first row, if any.
    pub fn query_opt(&mut self, sql: &str, params: &[Val]) -> anyhow::Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Exactly the first row (an error if none).
    pub fn query_one(&mut self, sql: &str, params: &[Val]) -> anyhow::Result<Row> {
        self.query_opt(sql, params)?
            .with_context(|| format!("no row from {sql}"))
    }
}

/// Where the server keeps its state. Cheap to clone.
#[derive(Clone)]
pub enum Store {
    Sqlite(Db),
    Postgres(PgStore),
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Store::Sqlite(db) => write!(f, "Store::Sqlite({})", db.path().display()),
            Store::Postgres(pg) => write!(f, "Store::Postgres({pg:?})"),
        }
    }
}

impl From<Db> for Store {
    fn from(db: Db) -> Store {
        Store::Sqlite(db)
    }
}

impl From<PgStore> for Store {
    fn from(pg: PgStore) -> Store {
        Store::Postgres(pg)
    }
}

impl Store {
    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs `f` with a consistent view (one snapshot on PostgreSQL). `f`
    /// must only read.
    pub async fn read<R, F>(&self, f: F) -> anyhow::Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn Sql) -> anyhow::Result<R> + Send + 'static,
    {
        match self {
            Store::Sqlite(db) => sqlite::read(db, f).await,
            Store::Postgres(pg) => pg.read(f).await,
        }
    }

    /// Runs `f` in a write transaction: committed if it returns `Ok`,
    /// rolled back if it returns `Err` or panics. Writes are serialised
    /// (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the log head row's lock).
    pub async fn write<R, E, F>(&self, f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<anyhow::Error> + Send + 'static,
        F: FnOnce(&mut dyn Sql) -> Result<R, E> + Send + 'static,
    {
        match self {
            Store::Sqlite(db) => sqlite::write(db, f).await,
            Store::Postgres(pg) => pg.write(f).await,
        }
    }

    /// The schema version the migrations reached.
    pub async fn schema_version(&self) -> anyhow::Result<i64> {
        match self {
            Store::Sqlite(db) => Ok(db.schema_version().await?),
            Store::Postgres(pg) => pg.schema_version().await,
        }
    }

    /// Where the data is, for the log (a PostgreSQL URL without password).
    pub fn describe(&self) -> String {
        match self {
            Store::Sqlite(db) => db.path().display().to_string(),
            Store::Postgres(pg) => pg.describe(),
        }
    }

    /// Closes the store: checkpoints SQLite, closes the pool.
    pub async fn close(self) -> anyhow::Result<()> {
        match self {
            Store::Sqlite(db) => Ok(db.close().await?),
            Store::Postgres(pg) => {
                pg.close();
                Ok(())
            }
        }
    }
}
