//! Throw-away PostgreSQL databases for tests and benchmarks: one
//! `CREATE DATABASE` per test on the cluster named by
//! `XIANFENG_TEST_DATABASE_URL` (which `scripts/with-postgres.sh` starts
//! and exports), dropped again when the handle is dropped, so tests run
//! in parallel without seeing each other's data.

use anyhow::Context as _;
use tokio_postgres::NoTls;

/// The environment variable naming the test cluster's admin database.
pub const TEST_DATABASE_URL: &str = "XIANFENG_TEST_DATABASE_URL";

/// A database that exists until dropped.
#[derive(Debug)]
pub struct ScratchDb {
    /// Its URL, for `PgStore::connect` or `--database-url`.
    pub url: String,
    admin: String,
    name: String,
}

impl ScratchDb {
    /// Creates a fresh empty database on the test cluster. Panics with a
    /// hint when the cluster is not there (run the tests through
    /// `scripts/with-postgres.sh`, as `scripts/test.sh` does).
    pub fn create() -> ScratchDb {
        let admin = std::env::var(TEST_DATABASE_URL).unwrap_or_else(|_| {
            panic!(
                "{TEST_DATABASE_URL} is not set: run the tests through scripts/with-postgres.sh \
                 (scripts/test.sh does), which starts a throw-away PostgreSQL"
            )
        });
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("random bytes");
        let name: String = std::iter::once("xf_".to_owned())
            .chain(bytes.iter().map(|b| format!("{b:02x}")))
            .collect();
        admin_sql(&admin, format!("CREATE DATABASE {name}")).expect("CREATE DATABASE");
        ScratchDb {
            url: with_database(&admin, &name),
            admin,
            name,
        }
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        if let Err(err) = admin_sql(&self.admin, sql) {
            eprintln!("cannot drop test database {}: {err:#}", self.name);
        }
    }
}

/// `postgres://…/<old>` → `postgres://…/<name>` (a query string is kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let prefix = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

/// Runs `sql` on the admin database from a thread of its own (callable
/// from sync and async code alike).
fn admin_sql(url: &str, sql: String) -> anyhow::Result<()> {
    let url = url.to_owned();
    std::thread::spawn(move || -> anyhow::Result<()> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, NoTls)
                .await
                .with_context(|| format!("connecting to the test cluster at {url}"))?;
            let task = tokio::spawn(connection);
            client.batch_execute(&sql).await?;
            drop(client);
            let _ = task.await;
            Ok(())
        })
    })
    .join()
    .map_err(|_| anyhow::anyhow!("admin thread panicked"))?
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            super::with_database("postgres://u@127.0.0.1:5433/postgres", "xf_1"),
            "postgres://u@127.0.0.1:5433/xf_1"
        );
        assert_eq!(
            super::with_database("postgres://u@h:1/postgres?sslmode=disable", "x"),
            "postgres://u@h:1/x?sslmode=disable"
        );
        assert_eq!(super::with_database("postgres://h", "x"), "postgres://h/x");
    }
}
