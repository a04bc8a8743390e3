//! The sync tables' SQL (`changes`, `facts`, `fields`, `records`,
//! `conflicts`, `sync_head`; SQLite migration 0003, PostgreSQL 0001): what
//! [`crate::sync`] reads and writes while it applies a push or serves a
//! pull. Plain reads and writes only; every decision is the caller's
//! (core's).
//!
//! Ids are stored as hyphenated lowercase UUID text, kinds as their
//! snake_case names, JSON values as text.

use serde_json::{json, Value};
use uuid::Uuid;
use xianfeng_core::ids::{HouseholdId, MemberId};
use xianfeng_core::sync::{Change, Conflict, FieldVersion, Hlc, RecordState};
use xianfeng_core::{Location, RecordKind};

use super::{Row, Sql, Val};
use crate::params;

/// A record kind from its stored name.
pub fn kind_from_str(text: &str) -> Option<RecordKind> {
    RecordKind::ALL.into_iter().find(|k| k.as_str() == text)
}

fn loc_vals(location: &Location) -> [Val; 4] {
    [
        location.system.map(|id| id.to_string()).into(),
        location.unit.map(|id| id.to_string()).into(),
        location.branch.map(|id| id.to_string()).into(),
        location.village.map(|id| id.to_string()).into(),
    ]
}

fn loc_from_row(row: &Row, first: usize) -> anyhow::Result<Location> {
    fn id<T: std::str::FromStr>(row: &Row, i: usize) -> anyhow::Result<Option<T>> {
        Ok(row.opt_text(i)?.and_then(|s| s.parse().ok()))
    }
    Ok(Location {
        system: id(row, first)?,
        unit: id(row, first + 1)?,
        branch: id(row, first + 2)?,
        village: id(row, first + 3)?,
    })
}

/// Every stored field of every record of `kind`: `(id, field, value JSON)`.
pub fn fields_of_kind(
    sql: &mut dyn Sql,
    kind: RecordKind,
) -> anyhow::Result<Vec<(String, String, String)>> {
    sql.query(
        "SELECT id, field, value FROM fields WHERE kind = ?1 ORDER BY id",
        params![kind.as_str()],
    )?
    .iter()
    .map(|r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)))
    .collect()
}

/// The org directory's version (moves with every org change).
pub fn org_version(sql: &mut dyn Sql) -> anyhow::Result<i64> {
    sql.query_one("SELECT org_version FROM sync_head WHERE id = 1", &[])?
        .int(0)
}

/// Moves the org version on (inside the write that changed org records).
pub fn bump_org_version(sql: &mut dyn Sql) -> anyhow::Result<i64> {
    sql.exec(
        "UPDATE sync_head SET org_version = org_version + 1 WHERE id = 1",
        &[],
    )?;
    org_version(sql)
}

/// Where a mutable record sits now, if it exists.
pub fn record_location(
    sql: &mut dyn Sql,
    kind: RecordKind,
    id: Uuid,
) -> anyhow::Result<Option<Location>> {
    sql.query_opt(
        "SELECT loc_system, loc_unit, loc_branch, loc_village FROM records \
         WHERE kind = ?1 AND id = ?2",
        params![kind.as_str(), id.to_string()],
    )?
    .map(|r| loc_from_row(&r, 0))
    .transpose()
}

/// Where a fact sits (the location of the log row that brought it).
pub fn fact_location(
    sql: &mut dyn Sql,
    kind: RecordKind,
    id: Uuid,
) -> anyhow::Result<Option<Location>> {
    sql.query_opt(
        "SELECT c.loc_system, c.loc_unit, c.loc_branch, c.loc_village \
         FROM facts f JOIN changes c ON c.server_seq = f.server_seq \
         WHERE f.kind = ?1 AND f.id = ?2",
        params![kind.as_str(), id.to_string()],
    )?
    .map(|r| loc_from_row(&r, 0))
    .transpose()
}

/// A mutable record's stored fields with their stamps (empty if unknown).
pub fn record_state(sql: &mut dyn Sql, kind: RecordKind, id: Uuid) -> anyhow::Result<RecordState> {
    let rows = sql.query(
        "SELECT field, value, hlc_wall, hlc_counter, hlc_device FROM fields \
         WHERE kind = ?1 AND id = ?2",
        params![kind.as_str(), id.to_string()],
    )?;
    let mut state = RecordState::default();
    for row in rows {
        let hlc = Hlc {
            wall: u64::try_from(row.int(2)?)?,
            counter: u32::try_from(row.int(3)?)?,
            device: row.text(4)?.parse().map_err(|e| anyhow::anyhow!("{e}"))?,
        };
        state.fields.insert(
            row.text(0)?,
            FieldVersion {
                value: serde_json::from_str(&row.text(1)?)?,
                hlc,
            },
        );
    }
    Ok(state)
}

/// The current value of a stored mutable record (with its `id`), or `None`
/// if no change has created it.
pub fn read_record(sql: &mut dyn Sql, kind: RecordKind, id: Uuid) -> anyhow::Result<Option<Value>> {
    let state = record_state(sql, kind, id)?;
    Ok((!state.fields.is_empty()).then(|| state.value(id)))
}

/// Stores a field's winning value and stamp.
pub fn write_field(
    sql: &mut dyn Sql,
    kind: RecordKind,
    id: Uuid,
    field: &str,
    version: &FieldVersion,
) -> anyhow::Result<()> {
    sql.exec(
        "INSERT INTO fields (kind, id, field, value, hlc_wall, hlc_counter, hlc_device) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (kind, id, field) DO UPDATE SET value = excluded.value, \
         hlc_wall = excluded.hlc_wall, hlc_counter = excluded.hlc_counter, \
         hlc_device = excluded.hlc_device",
        params![
            kind.as_str(),
            id.to_string(),
            field,
            serde_json::to_string(&version.value)?,
            i64::try_from(version.hlc.wall)?,
            i64::from(version.hlc.counter),
            version.hlc.device.to_string(),
        ],
    )?;
    Ok(())
}

/// Stores where a mutable record sits now.
pub fn write_record_location(
    sql: &mut dyn Sql,
    kind: RecordKind,
    id: Uuid,
    location: &Location,
) -> anyhow::Result<()> {
    let [s, u, b, v] = loc_vals(location);
    sql.exec(
        "INSERT INTO records (kind, id, loc_system, loc_unit, loc_branch, loc_village) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (kind, id) DO UPDATE SET loc_system = excluded.loc_system, \
         loc_unit = excluded.loc_unit, loc_branch = excluded.loc_branch, \
         loc_village = excluded.loc_village",
        &[kind.as_str().into(), id.to_string().into(), s, u, b, v],
    )?;
    Ok(())
}

/// A log row waiting to be written (see [`Pending`]).
struct PendingRow([Val; 10]);

/// Log rows and facts of one write, kept in memory and written at its end
/// in multi-row INSERTs: one statement per [`FLUSH_ROWS`] rows instead of
/// two per record (a round trip each on PostgreSQL). Nothing in a write
/// reads `changes` or `facts` rows the same write made: facts it stored
/// are known to the caller, and log rows are only read by pulls.
#[derive(Default)]
pub struct Pending {
    log: Vec<PendingRow>,
    facts: Vec<[Val; 4]>,
}

/// Rows per multi-row INSERT (10 columns: 640 parameters).
pub const FLUSH_ROWS: usize = 64;

impl Pending {
    /// Numbers a log row (the next number of the write) and keeps it.
    pub fn append(
        &mut self,
        sql: &mut dyn Sql,
        device: &str,
        device_seq: Option<u64>,
        change: &Change,
        location: &Location,
    ) -> anyhow::Result<i64> {
        let seq = sql.next_seq()?;
        let [s, u, b, v] = loc_vals(location);
        self.log.push(PendingRow([
            seq.into(),
            device.into(),
            device_seq.map(i64::try_from).transpose()?.into(),
            change.kind.as_str().into(),
            change.id.to_string().into(),
            serde_json::to_string(change)?.into(),
            s,
            u,
            b,
            v,
        ]));
        Ok(seq)
    }

    /// Keeps a new fact brought by log row `server_seq`.
    pub fn insert_fact(&mut self, kind: RecordKind, id: Uuid, canonical: String, server_seq: i64) {
        self.facts.push([
            kind.as_str().into(),
            id.to_string().into(),
            canonical.into(),
            server_seq.into(),
        ]);
    }

    /// Writes everything kept (log rows first: facts refer to them).
    pub fn flush(&mut self, sql: &mut dyn Sql) -> anyhow::Result<()> {
        let log: Vec<Vec<Val>> = self.log.drain(..).map(|r| r.0.to_vec()).collect();
        insert_rows(
            sql,
            "INSERT INTO changes (server_seq, device, device_seq, kind, record_id, body, \
             loc_system, loc_unit, loc_branch, loc_village) VALUES ",
            10,
            log,
        )?;
        let facts: Vec<Vec<Val>> = self.facts.drain(..).map(|r| r.to_vec()).collect();
        insert_rows(
            sql,
            "INSERT INTO facts (kind, id, canonical, server_seq) VALUES ",
            4,
            facts,
        )
    }
}

/// `head` + `(?1, …), (…)` for `rows` rows of `width` columns.
fn values_sql(head: &str, width: usize, rows: usize) -> String {
    let mut text = String::from(head);
    for r in 0..rows {
        text.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            if c > 0 {
                text.push_str(", ");
            }
            text.push_str(&format!("?{}", r * width + c + 1));
        }
        text.push(')');
    }
    text
}

/// Inserts `rows` in statements of [`FLUSH_ROWS`] rows, then of 16, 4
/// and 1 for the rest: four statement texts at most, each prepared once.
fn insert_rows(
    sql: &mut dyn Sql,
    head: &str,
    width: usize,
    rows: Vec<Vec<Val>>,
) -> anyhow::Result<()> {
    let mut rest = &rows[..];
    for size in [FLUSH_ROWS, 16, 4, 1] {
        let text = values_sql(head, width, size);
        let mut chunks = rest.chunks_exact(size);
        for chunk in &mut chunks {
            let params: Vec<Val> = chunk.iter().flatten().cloned().collect();
            sql.exec(&text, &params)?;
        }
        rest = chunks.remainder();
    }
    Ok(())
}

/// Stored facts among `ids`: `(kind, id) → canonical JSON`. One
/// statement per kind and [`FLUSH_ROWS`] ids (the last chunk padded), on
/// the primary key.
pub fn stored_facts(
    sql: &mut dyn Sql,
    ids: &[(RecordKind, Uuid)],
) -> anyhow::Result<std::collections::HashMap<(RecordKind, Uuid), String>> {
    let mut text = String::from("SELECT id, canonical FROM facts WHERE kind = ?1 AND id IN (");
    for i in 0..FLUSH_ROWS {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&format!("?{}", i + 2));
    }
    text.push(')');
    let mut by_kind: std::collections::BTreeMap<RecordKind, Vec<Uuid>> = Default::default();
    for (kind, id) in ids {
        by_kind.entry(*kind).or_default().push(*id);
    }
    let mut out = std::collections::HashMap::new();
    for (kind, ids) in by_kind {
        for chunk in ids.chunks(FLUSH_ROWS) {
            let mut params = vec![Val::from(kind.as_str())];
            params.extend(chunk.iter().map(|id| Val::Text(id.to_string())));
            while params.len() < FLUSH_ROWS + 1 {
                params.push(params[1].clone());
            }
            for row in sql.query(&text, &params)? {
                out.insert((kind, row.text(0)?.parse()?), row.text(1)?);
            }
        }
    }
    Ok(out)
}

/// A stored fact's canonical JSON.
pub fn fact_canonical(
    sql: &mut dyn Sql,
    kind: RecordKind,
    id: Uuid,
) -> anyhow::Result<Option<String>> {
    sql.query_opt(
        "SELECT canonical FROM facts WHERE kind = ?1 AND id = ?2",
        params![kind.as_str(), id.to_string()],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// Stores a new fact, brought by log row `server_seq`.
pub fn insert_fact(
    sql: &mut dyn Sql,
    kind: RecordKind,
    id: Uuid,
    canonical: String,
    server_seq: i64,
) -> anyhow::Result<()> {
    sql.exec(
        "INSERT INTO facts (kind, id, canonical, server_seq) VALUES (?1, ?2, ?3, ?4)",
        params![kind.as_str(), id.to_string(), canonical, server_seq],
    )?;
    Ok(())
}

/// Keeps a value that lost a merge for the office.
pub fn insert_conflict(
    sql: &mut dyn Sql,
    conflict: &Conflict,
    device: &str,
    now: &str,
) -> anyhow::Result<()> {
    sql.exec(
        "INSERT INTO conflicts (kind, record_id, field, winner, loser, device, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            conflict.kind.as_str(),
            conflict.id.to_string(),
            &conflict.field,
            serde_json::to_string(&conflict.winner)?,
            serde_json::to_string(&conflict.loser)?,
            device,
            now,
        ],
    )?;
    Ok(())
}

/// Households named by any pairing of `member`.
pub fn households_paired_with(sql: &mut dyn Sql, member: MemberId) -> anyhow::Result<Vec<Uuid>> {
    let rows = sql.query(
        "SELECT DISTINCT h.value FROM fields m \
         JOIN fields h ON h.kind = 'pairing' AND h.id = m.id AND h.field = 'household' \
         WHERE m.kind = 'pairing' AND m.field = 'member' AND m.value = ?1",
        params![json!(member).to_string()],
    )?;
    let mut out = Vec::new();
    for row in rows {
        if let Ok(id) = serde_json::from_str::<Uuid>(&row.text(0)?) {
            out.push(id);
        }
    }
    Ok(out)
}

/// The member of the household's newest current pairing (no `until`).
pub fn paired_member(
    sql: &mut dyn Sql,
    household: HouseholdId,
) -> anyhow::Result<Option<MemberId>> {
    let row = sql.query_opt(
        "SELECT m.value FROM fields h \
         JOIN fields m ON m.kind = 'pairing' AND m.id = h.id AND m.field = 'member' \
         WHERE h.kind = 'pairing' AND h.field = 'household' AND h.value = ?1 \
         AND NOT EXISTS (SELECT 1 FROM fields u WHERE u.kind = 'pairing' \
             AND u.id = h.id AND u.field = 'until' AND u.value != 'null') \
         ORDER BY h.id DESC LIMIT 1",
        params![json!(household).to_string()],
    )?;
    Ok(match row {
        Some(row) => serde_json::from_str::<MemberId>(&row.text(0)?).ok(),
        None => None,
    })
}

/// Every standing pairing (no `until`) as `(household, member)`, with
/// where the household stands (`None`: not stored).
pub fn standing_pairings(
    sql: &mut dyn Sql,
) -> anyhow::Result<Vec<(HouseholdId, Option<Location>, MemberId)>> {
    let rows = sql.query(
        "SELECT h.value, m.value FROM fields h \
         JOIN fields m ON m.kind = 'pairing' AND m.id = h.id AND m.field = 'member' \
         WHERE h.kind = 'pairing' AND h.field = 'household' \
         AND NOT EXISTS (SELECT 1 FROM fields u WHERE u.kind = 'pairing' \
             AND u.id = h.id AND u.field = 'until' AND u.value != 'null')",
        &[],
    )?;
    let mut out = Vec::new();
    for row in rows {
        let household = serde_json::from_str::<HouseholdId>(&row.text(0)?);
        let member = serde_json::from_str::<MemberId>(&row.text(1)?);
        if let (Ok(household), Ok(member)) = (household, member) {
            let place = record_location(sql, RecordKind::Household, *household.as_uuid())?;
            out.push((household, place, member));
        }
    }
    Ok(out)
}

/// The last change number of an unrevoked device (`None`: unknown or revoked).
pub fn unrevoked_last_seq(sql: &mut dyn Sql, device: &str) -> anyhow::Result<Option<u64>> {
    sql.query_opt(
        "SELECT last_seq FROM devices WHERE id = ?1 AND revoked_at IS NULL",
        params![device],
    )?
    .map(|r| Ok(u64::try_from(r.int(0)?)?))
    .transpose()
}

/// The last change number of a device, revoked or not.
pub fn last_seq(sql: &mut dyn Sql, device: &str) -> anyhow::Result<u64> {
    let row = sql.query_one(
        "SELECT last_seq FROM devices WHERE id = ?1",
        params![device],
    )?;
    Ok(u64::try_from(row.int(0)?)?)
}

/// Moves a device's last processed change number.
pub fn set_last_seq(sql: &mut dyn Sql, device: &str, seq: u64) -> anyhow::Result<()> {
    sql.exec(
        "UPDATE devices SET last_seq = ?2 WHERE id = ?1",
        params![device, i64::try_from(seq)?],
    )?;
    Ok(())
}

/// One row of the log as a pull sees it.
#[derive(Clone, Debug)]
pub struct LogRow {
    pub server_seq: u64,
    pub device: String,
    pub kind: RecordKind,
    /// The `Change` JSON.
    pub body: String,
    pub location: Location,
}

/// Up to `limit` log rows after `cursor`, in order.
pub fn rows_after(sql: &mut dyn Sql, cursor: u64, limit: usize) -> anyhow::Result<Vec<LogRow>> {
    let rows = sql.query(
        "SELECT server_seq, device, kind, body, loc_system, loc_unit, loc_branch, loc_village \
         FROM changes WHERE server_seq > ?1 ORDER BY server_seq LIMIT ?2",
        params![
            i64::try_from(cursor).unwrap_or(i64::MAX),
            i64::try_from(limit)?
        ],
    )?;
    rows.into_iter()
        .map(|row| {
            let kind_text = row.text(2)?;
            Ok(LogRow {
                server_seq: u64::try_from(row.int(0)?)?,
                device: row.text(1)?,
                kind: kind_from_str(&kind_text)
                    .ok_or_else(|| anyhow::anyhow!("unknown kind {kind_text:?} in the log"))?,
                body: row.text(3)?,
                location: loc_from_row(&row, 4)?,
            })
        })
        .collect()
}

/// The newest log number (0 for an empty log).
pub fn log_end(sql: &mut dyn Sql) -> anyhow::Result<u64> {
    let row = sql.query_one("SELECT COALESCE(MAX(server_seq), 0) FROM changes", &[])?;
    Ok(u64::try_from(row.int(0)?)?)
}

/// One stored conflict: number, time, device and the conflict.
pub type ConflictRow = (u64, String, String, Conflict);

/// Every conflict, newest first.
pub fn conflicts(sql: &mut dyn Sql) -> anyhow::Result<Vec<ConflictRow>> {
    let rows = sql.query(
        "SELECT id, created_at, device, kind, record_id, field, winner, loser \
         FROM conflicts ORDER BY id DESC",
        &[],
    )?;
    rows.into_iter()
        .map(|row| {
            let kind = row.text(3)?;
            Ok((
                u64::try_from(row.int(0)?)?,
                row.text(1)?,
                row.text(2)?,
                Conflict {
                    kind: kind_from_str(&kind).ok_or_else(|| anyhow::anyhow!("kind {kind:?}"))?,
                    id: row.text(4)?.parse()?,
                    field: row.text(5)?,
                    winner: serde_json::from_str(&row.text(6)?)?,
                    loser: serde_json::from_str(&row.text(7)?)?,
                },
            ))
        })
        .collect()
}
