//! The review page's database work: the post as the page shows it, and a
//! review stored together with its anti-stuffing bookkeeping
//! (`public_review_limits`, migration 0004) in one transaction, so two
//! quick submissions cannot both slip under a limit.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use serde::de::DeserializeOwned;
use xianfeng_core::ids::{DeviceId, PostId};
use xianfeng_core::org::{Member, Unit};
use xianfeng_core::posts::{Post, PublicReview};
use xianfeng_core::sync::Op;
use xianfeng_core::{Record, RecordKind};

use super::page::PostView;
use crate::error::AppError;
use crate::sync::{ingest_server_changes, read_record, OrgCache};

/// Limit rows older than this are deleted (the per-day key needs a day at
/// most; the hourly cap an hour).
const KEEP_MS: i64 = 2 * 24 * 3600 * 1000;
const HOUR_MS: i64 = 3600 * 1000;

fn read<T: DeserializeOwned>(
    conn: &Connection,
    kind: RecordKind,
    id: uuid::Uuid,
) -> anyhow::Result<Option<T>> {
    Ok(read_record(conn, kind, id)?.and_then(|value| T::deserialize(value).ok()))
}

/// The post with its holder's and unit's names; `None` if the server does
/// not know the post.
pub fn post_view(conn: &Connection, id: PostId) -> anyhow::Result<Option<PostView>> {
    let Some(post) = read::<Post>(conn, Post::KIND, *id.as_uuid())? else {
        return Ok(None);
    };
    let member = read::<Member>(conn, Member::KIND, *post.member.as_uuid())?.map(|m| m.name);
    let unit = read::<Unit>(conn, Unit::KIND, *post.unit.as_uuid())?.map(|u| u.name);
    Ok(Some(PostView {
        id,
        name: post.name,
        member,
        unit,
    }))
}

/// The device public reviews are logged from: this server's own id, so
/// pulls can tell them from reviews typed into a phone.
pub fn review_device(conn: &Connection) -> anyhow::Result<DeviceId> {
    let server_id: String = conn.query_row(
        "SELECT value FROM server_meta WHERE key = 'server_id'",
        [],
        |r| r.get(0),
    )?;
    Ok(DeviceId::from_uuid(server_id.parse()?))
}

/// What became of a submitted review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Logged like any other fact.
    Yes,
    /// This client already reviewed this post today.
    ClientToday,
    /// The post had its hourly share; the oldest counted review leaves the
    /// window in this many seconds.
    PostBusy { retry_after_secs: u64 },
    /// The post is not (or no longer) known.
    UnknownPost,
}

/// Stores `review` unless a limit says no: one per client key, at most
/// `per_post_per_hour` per post in any hour.
pub fn store_review(
    conn: &mut Connection,
    org: &OrgCache,
    review: &PublicReview,
    client_key: [u8; 32],
    now_ms: i64,
    per_post_per_hour: u32,
) -> Result<Stored, AppError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(anyhow::Error::from)?;
    let db = |e: rusqlite::Error| AppError::Internal(e.into());
    tx.execute(
        "DELETE FROM public_review_limits WHERE at_ms < ?1",
        [now_ms - KEEP_MS],
    )
    .map_err(db)?;
    let post = review.post.to_string();
    if read_record(&tx, RecordKind::Post, *review.post.as_uuid())?.is_none() {
        return Ok(Stored::UnknownPost);
    }
    let seen = tx
        .query_row(
            "SELECT 1 FROM public_review_limits WHERE client_key = ?1",
            [&client_key[..]],
            |_| Ok(()),
        )
        .optional()
        .map_err(db)?;
    if seen.is_some() {
        return Ok(Stored::ClientToday);
    }
    let (count, oldest): (i64, Option<i64>) = tx
        .query_row(
            "SELECT count(*), min(at_ms) FROM public_review_limits WHERE post = ?1 AND at_ms > ?2",
            (&post, now_ms - HOUR_MS),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(db)?;
    if count >= i64::from(per_post_per_hour) {
        let wait_ms = oldest.map_or(HOUR_MS, |at| at + HOUR_MS - now_ms);
        let secs = u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1);
        return Ok(Stored::PostBusy {
            retry_after_secs: secs,
        });
    }
    let device = review_device(&tx)?;
    let record = serde_json::to_value(review).map_err(anyhow::Error::from)?;
    let change = (
        RecordKind::PublicReview,
        *review.id.as_uuid(),
        Op::Insert { record },
    );
    let update = ingest_server_changes(
        &tx,
        org,
        device,
        vec![change],
        u64::try_from(now_ms).unwrap_or(0),
    )?;
    tx.execute(
        "INSERT INTO public_review_limits (client_key, post, at_ms) VALUES (?1, ?2, ?3)",
        (&client_key[..], &post, now_ms),
    )
    .map_err(db)?;
    tx.commit().map_err(db)?;
    update.publish(org);
    Ok(Stored::Yes)
}
