//! The SQL of the public review page's anti-stuffing bookkeeping
//! (`public_review_limits`, SQLite migration 0004). Reviews themselves are
//! ordinary facts in the log.

use super::Sql;
use crate::params;

/// Deletes limit rows older than `before_ms`.
pub fn forget_before(sql: &mut dyn Sql, before_ms: i64) -> anyhow::Result<()> {
    sql.exec(
        "DELETE FROM public_review_limits WHERE at_ms < ?1",
        params![before_ms],
    )?;
    Ok(())
}

/// Whether this client key already reviewed (today, for this post).
pub fn seen(sql: &mut dyn Sql, client_key: &[u8]) -> anyhow::Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM public_review_limits WHERE client_key = ?1",
            params![client_key],
        )?
        .is_some())
}

/// Reviews of `post` since `since_ms`: how many, and the oldest's time.
pub fn recent(sql: &mut dyn Sql, post: &str, since_ms: i64) -> anyhow::Result<(i64, Option<i64>)> {
    let row = sql.query_one(
        "SELECT count(*), min(at_ms) FROM public_review_limits WHERE post = ?1 AND at_ms > ?2",
        params![post, since_ms],
    )?;
    Ok((row.int(0)?, row.opt_int(1)?))
}

/// Counts a review.
pub fn record(sql: &mut dyn Sql, client_key: &[u8], post: &str, at_ms: i64) -> anyhow::Result<()> {
    sql.exec(
        "INSERT INTO public_review_limits (client_key, post, at_ms) VALUES (?1, ?2, ?3)",
        params![client_key, post, at_ms],
    )?;
    Ok(())
}
