//! The SQLite backend of [`super::Store`]: the statements run on the one
//! connection of [`Db`] with rusqlite's statement cache. A write is a
//! `BEGIN IMMEDIATE` transaction (SQLite's single writer), so the log
//! numbers it hands out (`MAX(server_seq) + 1`, read once under that lock)
//! are in commit order by construction.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};

use super::{Backend, Row, Sql, Val};
use crate::db::Db;

/// A connection (or a transaction: it derefs to one) seen through [`Sql`].
pub struct SqliteConn<'a> {
    conn: &'a Connection,
    next_seq: Option<i64>,
    writing: bool,
}

impl<'a> SqliteConn<'a> {
    /// Wraps `conn`; `writing` says whether [`Sql::next_seq`] may be used.
    pub fn new(conn: &'a Connection, writing: bool) -> SqliteConn<'a> {
        SqliteConn {
            conn,
            next_seq: None,
            writing,
        }
    }
}

/// A parameter bound by reference (no copy of its text).
struct Param<'a>(&'a Val);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0 {
            Val::Null => ValueRef::Null,
            Val::Int(n) => ValueRef::Integer(*n),
            Val::Text(s) => ValueRef::Text(s.as_bytes()),
            Val::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

fn from_ref(v: ValueRef<'_>) -> anyhow::Result<Val> {
    Ok(match v {
        ValueRef::Null => Val::Null,
        ValueRef::Integer(n) => Val::Int(n),
        ValueRef::Real(_) => anyhow::bail!("unexpected REAL value"),
        ValueRef::Text(t) => Val::Text(std::str::from_utf8(t)?.to_owned()),
        ValueRef::Blob(b) => Val::Blob(b.to_vec()),
    })
}

impl Sql for SqliteConn<'_> {
    fn exec(&mut self, sql: &str, params: &[Val]) -> anyhow::Result<u64> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        Ok(stmt.execute(rusqlite::params_from_iter(params.iter().map(Param)))? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> anyhow::Result<Vec<Row>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter().map(Param)))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(from_ref(row.get_ref(i)?)?);
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn next_seq(&mut self) -> anyhow::Result<i64> {
        anyhow::ensure!(self.writing, "log numbers are handed out in writes only");
        let next = match self.next_seq {
            Some(n) => n,
            None => self
                .conn
                .prepare_cached("SELECT COALESCE(MAX(server_seq), 0) + 1 FROM changes")?
                .query_row([], |r| r.get(0))?,
        };
        self.next_seq = Some(next + 1);
        Ok(next)
    }

    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
}

pub(super) async fn read<R, F>(db: &Db, f: F) -> anyhow::Result<R>
where
    R: Send + 'static,
    F: FnOnce(&mut dyn Sql) -> anyhow::Result<R> + Send + 'static,
{
    db.call(move |conn| Ok(f(&mut SqliteConn::new(conn, false))))
        .await?
}

pub(super) async fn write<R, E, F>(db: &Db, f: F) -> Result<R, E>
where
    R: Send + 'static,
    E: From<anyhow::Error> + Send + 'static,
    F: FnOnce(&mut dyn Sql) -> Result<R, E> + Send + 'static,
{
    db.call(move |conn| {
        Ok((|| {
            // The guard rolls back on an early return or a panic.
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(anyhow::Error::from)?;
            let result = f(&mut SqliteConn::new(&tx, true))?;
            tx.commit().map_err(anyhow::Error::from)?;
            Ok(result)
        })())
    })
    .await
    .map_err(|e| E::from(e.into()))?
}
