//! The `sync` suite again, on PostgreSQL: `tests/common` sees this test
//! binary's `pg_` name and gives each test a scratch database on the
//! cluster `scripts/with-postgres.sh` starts. One conformance suite, both
//! backends.

#[path = "sync.rs"]
mod suite;
