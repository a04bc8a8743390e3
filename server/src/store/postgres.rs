//! The PostgreSQL backend of [`super::Store`] (`--database-url`): a
//! deadpool of tokio-postgres connections, any number of server processes
//! on one database.
//!
//! - Statements are the same text as SQLite's, `?N` rewritten to `$N`,
//!   prepared once per connection (deadpool's statement cache).
//! - A read runs in one `REPEATABLE READ READ ONLY` transaction, so a pull
//!   page and the log end it reports come from one snapshot.
//! - A write starts by locking the one row of `sync_head`
//!   (`SELECT … FOR UPDATE`) and hands out log numbers from it, writing
//!   the new head back before `COMMIT`. Writers therefore run one at a
//!   time across every instance, and numbers are assigned in commit
//!   order: a reader paging by `server_seq > cursor` can never pass a
//!   number whose row is still uncommitted (ARCHITECTURE.md, "The pull
//!   cursor"). The same lock makes read-modify-write of merged fields safe
//!   under READ COMMITTED.
//! - The transaction runs on a blocking thread (core's placement lookups
//!   are synchronous) and drives the async client with `Handle::block_on`.
//!   A connection whose transaction did not finish (a panic) is dropped,
//!   never returned to the pool.
//! - Migrations (`migrations/postgres/`) run at connect under an advisory
//!   lock, so instances starting together migrate once.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use anyhow::Context as _;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio::runtime::Handle;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use tokio_postgres::NoTls;

use super::{Backend, Row, Sql, Val};

/// Every schema change, in order. Append only: never edit a shipped one.
const MIGRATIONS: &[&str] = &[include_str!("../migrations/postgres/0001_init.sql")];

/// The schema version after every migration ran.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Connections per server process.
pub const POOL_SIZE: usize = 16;

/// A key for `pg_advisory_xact_lock` while migrating ("xianfeng").
const MIGRATION_LOCK: i64 = 0x7869_616e_6665_6e67;

/// A pool of connections to one PostgreSQL database. Cheap to clone.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// `host:port/dbname`, for the log (never the password).
    label: Arc<str>,
}

impl fmt::Debug for PgStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgStore({})", self.label)
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/db`) and
    /// migrates the database to the latest schema.
    pub async fn connect(url: &str) -> anyhow::Result<PgStore> {
        let (store, config) = PgStore::pool(url)?;
        migrate(&config)
            .await
            .with_context(|| format!("migrating {}", store.label))?;
        Ok(store)
    }

    /// [`Self::connect`] from synchronous code (tests build fixtures so):
    /// migrates from a thread of its own; the pool connects on first use.
    pub fn connect_blocking(url: &str) -> anyhow::Result<PgStore> {
        let (store, config) = PgStore::pool(url)?;
        std::thread::spawn(move || -> anyhow::Result<()> {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(migrate(&config))
        })
        .join()
        .map_err(|_| anyhow::anyhow!("migration thread panicked"))?
        .with_context(|| format!("migrating {}", store.label))?;
        Ok(store)
    }

    /// The pool (no connection made yet) and the parsed configuration.
    fn pool(url: &str) -> anyhow::Result<(PgStore, tokio_postgres::Config)> {
        let mut config: tokio_postgres::Config = url.parse().context("not a PostgreSQL URL")?;
        // Plan every execution for its parameters. A statement prepared
        // while its tables were small could otherwise keep a generic plan
        // that scans them whole as they grow (seen on the bench: the fact
        // look-up went from 0.01 to 25 ms per call within one run).
        let options = match config.get_options() {
            Some(own) => format!("{own} -c plan_cache_mode=force_custom_plan"),
            None => "-c plan_cache_mode=force_custom_plan".to_owned(),
        };
        config.options(&options);
        let host = match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
            #[cfg(unix)]
            Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
            None => "localhost".to_owned(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let label = format!(
            "postgres://{host}:{port}/{}",
            config.get_dbname().unwrap_or("")
        );
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .context("building the connection pool")?;
        Ok((
            PgStore {
                pool,
                label: label.into(),
            },
            config,
        ))
    }

    async fn client(&self) -> anyhow::Result<Object> {
        self.pool
            .get()
            .await
            .with_context(|| format!("cannot connect to {}", self.label))
    }

    /// The schema version the migrations reached.
    pub async fn schema_version(&self) -> anyhow::Result<i64> {
        let client = self.client().await?;
        Ok(client
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
            .await?
            .get(0))
    }

    /// `postgres://host:port/db`, without credentials.
    pub fn describe(&self) -> String {
        self.label.to_string()
    }

    /// Closes the pool; connections in use close when returned.
    pub fn close(&self) {
        self.pool.close();
    }

    pub(super) async fn read<R, F>(&self, f: F) -> anyhow::Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn Sql) -> anyhow::Result<R> + Send + 'static,
    {
        let client = self.client().await?;
        let handle = Handle::current();
        tokio::task::spawn_blocking(move || {
            let mut conn = PgConn::new(client, handle, false);
            conn.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            let result = f(&mut conn);
            conn.finish(result.is_ok())?;
            result
        })
        .await
        .context("database task failed")?
    }

    pub(super) async fn write<R, E, F>(&self, f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<anyhow::Error> + Send + 'static,
        F: FnOnce(&mut dyn Sql) -> Result<R, E> + Send + 'static,
    {
        let client = self.client().await?;
        let handle = Handle::current();
        tokio::task::spawn_blocking(move || {
            let mut conn = PgConn::new(client, handle, true);
            conn.batch("BEGIN")?;
            let head = conn.query("SELECT seq FROM sync_head WHERE id = 1 FOR UPDATE", &[])?;
            let head = head
                .first()
                .context("sync_head has no row")?
                .int(0)
                .map_err(E::from)?;
            conn.head = Some((head, head));
            let result = f(&mut conn);
            if result.is_ok() {
                if let Some((old, new)) = conn.head {
                    if new != old {
                        conn.exec(
                            "UPDATE sync_head SET seq = ?1 WHERE id = 1",
                            &[Val::Int(new)],
                        )?;
                    }
                }
            }
            conn.finish(result.is_ok())?;
            result
        })
        .await
        .map_err(|e| E::from(anyhow::Error::from(e).context("database task failed")))?
    }
}

/// Applies pending migrations over a connection of its own, under an
/// advisory lock (instances starting together migrate once).
async fn migrate(config: &tokio_postgres::Config) -> anyhow::Result<()> {
    let (mut client, connection) = config.connect(NoTls).await?;
    let task = tokio::spawn(connection);
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .await?;
    let done: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?
        .get(0);
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= done {
            continue;
        }
        tx.batch_execute(sql)
            .await
            .with_context(|| format!("migration {version}"))?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&version],
        )
        .await?;
    }
    tx.commit().await?;
    drop(client);
    let _ = task.await;
    Ok(())
}

/// One pooled connection inside a transaction, on a blocking thread.
struct PgConn {
    client: Option<Object>,
    handle: Handle,
    writing: bool,
    /// In a write: the log head at the start and the last number handed out.
    head: Option<(i64, i64)>,
    open: bool,
}

impl PgConn {
    fn new(client: Object, handle: Handle, writing: bool) -> PgConn {
        PgConn {
            client: Some(client),
            handle,
            writing,
            head: None,
            open: false,
        }
    }

    fn client(&self) -> &Object {
        self.client.as_ref().expect("client present until drop")
    }

    fn batch(&mut self, sql: &str) -> anyhow::Result<()> {
        let client = self.client.as_ref().expect("client present until drop");
        self.handle.block_on(client.batch_execute(sql))?;
        self.open = true;
        Ok(())
    }

    /// COMMIT (or ROLLBACK); the connection then goes back to the pool.
    fn finish(&mut self, commit: bool) -> anyhow::Result<()> {
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        let client = self.client.as_ref().expect("client present until drop");
        self.handle.block_on(client.batch_execute(sql))?;
        self.open = false;
        Ok(())
    }

    fn statement(&self, sql: &str) -> anyhow::Result<tokio_postgres::Statement> {
        let text = dollar_placeholders(sql);
        Ok(self.handle.block_on(self.client().prepare_cached(&text))?)
    }
}

impl Drop for PgConn {
    fn drop(&mut self) {
        if self.open {
            // Unfinished (an error on COMMIT, or a panic): never reuse it.
            if let Some(client) = self.client.take() {
                drop(Object::take(client));
            }
        }
    }
}

/// `?1` → `$1` (the statements never hold a literal `?`).
fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

impl ToSql for Val {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            Val::Null => Ok(IsNull::Yes),
            Val::Int(n) => match *ty {
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                _ => n.to_sql(ty, out),
            },
            Val::Text(s) => s.as_str().to_sql(ty, out),
            Val::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn read_row(row: &tokio_postgres::Row) -> anyhow::Result<Row> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = match *ty {
            Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Val::Int),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)?
                .map(|n| Val::Int(n.into())),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(i)?
                .map(|n| Val::Int(n.into())),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(i)?
                .map(|b| Val::Int(b.into())),
            Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Val::Blob),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                row.try_get::<_, Option<String>>(i)?.map(Val::Text)
            }
            _ => anyhow::bail!("column {} has unsupported type {ty}", column.name()),
        };
        values.push(value.unwrap_or(Val::Null));
    }
    Ok(Row(values))
}

fn refs(params: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Sql for PgConn {
    fn exec(&mut self, sql: &str, params: &[Val]) -> anyhow::Result<u64> {
        let stmt = self.statement(sql)?;
        let params = refs(params);
        self.handle
            .block_on(self.client().execute(&stmt, &params))
            .with_context(|| format!("executing {sql}"))
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> anyhow::Result<Vec<Row>> {
        let stmt = self.statement(sql)?;
        let params = refs(params);
        let rows = self
            .handle
            .block_on(self.client().query(&stmt, &params))
            .with_context(|| format!("querying {sql}"))?;
        rows.iter().map(read_row).collect()
    }

    fn next_seq(&mut self) -> anyhow::Result<i64> {
        anyhow::ensure!(self.writing, "log numbers are handed out in writes only");
        let (start, last) = self.head.context("no log head in this write")?;
        self.head = Some((start, last + 1));
        Ok(last + 1)
    }

    fn backend(&self) -> Backend {
        Backend::Postgres
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_become_dollars() {
        assert_eq!(
            super::dollar_placeholders("SELECT a FROM t WHERE b = ?1 AND c = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = $12"
        );
    }
}
