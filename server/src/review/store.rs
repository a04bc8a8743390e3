//! The review page's database work: the post as the page shows it, and a
//! review stored together with its anti-stuffing bookkeeping
//! (`public_review_limits`, migration 0004) in one transaction, so two
//! quick submissions cannot both slip under a limit.

use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use xianfeng_core::ids::{DeviceId, PostId};
use xianfeng_core::org::{Member, Unit};
use xianfeng_core::posts::{Post, PublicReview};
use xianfeng_core::sync::Op;
use xianfeng_core::{Record, RecordKind};

use super::page::PostView;
use crate::clock::unix_ms;
use crate::error::AppError;
use crate::store::log::read_record;
use crate::store::{devices, review as limits, Sql};
use crate::sync::{ingest_server_changes, OrgCache, OrgUpdate};

/// Limit rows older than this are deleted (the per-day key needs a day at
/// most; the hourly cap an hour).
const KEEP_MS: i64 = 2 * 24 * 3600 * 1000;
const HOUR_MS: i64 = 3600 * 1000;

fn read<T: DeserializeOwned>(
    conn: &mut dyn Sql,
    kind: RecordKind,
    id: uuid::Uuid,
) -> anyhow::Result<Option<T>> {
    Ok(read_record(conn, kind, id)?
        .and_then(|value| xianfeng_core::record_value::read(&value).ok()))
}

/// The post with its holder's and unit's names; `None` if the server does
/// not know the post.
pub fn post_view(conn: &mut dyn Sql, id: PostId) -> anyhow::Result<Option<PostView>> {
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
pub fn review_device(conn: &mut dyn Sql) -> anyhow::Result<DeviceId> {
    let server_id = devices::meta(conn, "server_id")?
        .ok_or_else(|| anyhow::anyhow!("no server_id in server_meta"))?;
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

/// Stores `review` unless a limit says no (inside a write): one per client
/// key, at most `per_post_per_hour` per post in any hour. Publish the
/// returned org update after the commit.
pub fn store_review(
    sql: &mut dyn Sql,
    org: &OrgCache,
    review: &PublicReview,
    client_key: [u8; 32],
    now: OffsetDateTime,
    per_post_per_hour: u32,
) -> Result<(Stored, Option<OrgUpdate>), AppError> {
    let now_ms = unix_ms(now);
    limits::forget_before(sql, now_ms - KEEP_MS)?;
    let post = review.post.to_string();
    if read_record(sql, RecordKind::Post, *review.post.as_uuid())?.is_none() {
        return Ok((Stored::UnknownPost, None));
    }
    if limits::seen(sql, &client_key)? {
        return Ok((Stored::ClientToday, None));
    }
    let (count, oldest) = limits::recent(sql, &post, now_ms - HOUR_MS)?;
    if count >= i64::from(per_post_per_hour) {
        let wait_ms = oldest.map_or(HOUR_MS, |at| at + HOUR_MS - now_ms);
        let secs = u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1);
        return Ok((
            Stored::PostBusy {
                retry_after_secs: secs,
            },
            None,
        ));
    }
    let device = review_device(sql)?;
    let record = serde_json::to_value(review).map_err(anyhow::Error::from)?;
    let change = (
        RecordKind::PublicReview,
        *review.id.as_uuid(),
        Op::Insert { record },
    );
    let update = ingest_server_changes(sql, org, device, vec![change], now)?;
    limits::record(sql, &client_key, &post, now_ms)?;
    Ok((Stored::Yes, Some(update)))
}
