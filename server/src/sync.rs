//! `POST /api/sync/push`, `POST /api/sync/pull`, `GET /api/conflicts`:
//! the server's half of core's sync protocol ([`xianfeng_core::sync`]).
//!
//! The server decides nothing itself: `plan_push` numbers, `check_change`
//! and `validate_record` validate, `locate` places, `touches` and
//! `authorize` decide writes (the record at its old and new place, the
//! parent it hangs under, the records that move with it), `Actor::may_read`
//! filters pulls, `fact_outcome` and `merge_field` merge. This module
//! moves rows in and out of SQLite (tables in `migrations/0003_sync.sql`):
//!
//! - A push is one IMMEDIATE transaction. Any refusal (a gap, an invalid or
//!   out-of-scope change, a fact that differs from the stored one) rolls
//!   the whole batch back and answers 4xx with core's error code; on
//!   success every new change is applied, logged with its location, and
//!   the device's `last_seq` moves on. Replays are skipped by number and,
//!   for facts, by content, so a replayed batch changes nothing.
//! - A pull reads the log after the cursor in order and keeps the rows the
//!   device's actor may read; the cursor moves past filtered rows too.
//! - The org directory used to place records is cached in memory and
//!   updated (copy-on-write) when a committed push changed org records.
//! - Changes the server originates itself (the `--demo` city, reviews from
//!   the public review page) go through [`ingest_server_changes`]: the same
//!   path as a push, so phones pull them like any other record.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;
use xianfeng_core::ids::{DeviceId, HouseholdId, MemberId};
use xianfeng_core::org::{Branch, InspectionGroup, Member, Unit};
use xianfeng_core::sync::{
    authorize, check_change, fact_outcome, locate, merge_field, plan_push, touches,
    validate_record, Change, Conflict, FactOutcome, FieldVersion, Hlc, Op, Placement,
    PlacementLookup, PullRequest, PullResponse, PushRequest, PushResponse, RecordState,
    ServerChange, SyncError, Touches, MAX_PULL_PAGE,
};
use xianfeng_core::{Actor, Directory, Lang, Location, RecordKind, Role, Scope};

use crate::auth::AuthDevice;
use crate::error::AppError;
use crate::secrets::{now_ms, now_text};
use crate::AppState;

/// The largest sync request body (a full batch of long records).
pub const MAX_SYNC_BODY_BYTES: usize = 4 * 1024 * 1024;
/// The most log rows one pull scans, readable or not, so a device that
/// sees little of a long log still gets quick answers (with `more`).
pub const MAX_PULL_SCAN: usize = 20_000;

// ---------------------------------------------------------------- the org cache

/// The org records the directory is built from, and the directory.
#[derive(Clone, Debug, Default)]
pub struct OrgIndex {
    units: BTreeMap<Uuid, Unit>,
    branches: BTreeMap<Uuid, Branch>,
    members: BTreeMap<Uuid, Member>,
    groups: BTreeMap<Uuid, InspectionGroup>,
    directory: Directory,
}

/// Kinds whose records feed the directory.
fn is_org_kind(kind: RecordKind) -> bool {
    matches!(
        kind,
        RecordKind::Unit | RecordKind::Branch | RecordKind::Member | RecordKind::InspectionGroup
    )
}

impl OrgIndex {
    /// Reads every org record from the `fields` table.
    fn load(conn: &Connection) -> anyhow::Result<OrgIndex> {
        let mut index = OrgIndex::default();
        for kind in [
            RecordKind::Unit,
            RecordKind::Branch,
            RecordKind::Member,
            RecordKind::InspectionGroup,
        ] {
            let mut stmt = conn.prepare_cached(
                "SELECT id, field, value FROM fields WHERE kind = ?1 ORDER BY id",
            )?;
            let mut rows = stmt.query([kind.as_str()])?;
            let mut records: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                let field: String = row.get(1)?;
                let value: String = row.get(2)?;
                let record = records.entry(id.clone()).or_insert_with(|| {
                    serde_json::Map::from_iter([("id".to_owned(), Value::String(id))])
                });
                record.insert(field, serde_json::from_str(&value)?);
            }
            for record in records.into_values() {
                index.upsert(kind, &Value::Object(record));
            }
        }
        index.rebuild();
        Ok(index)
    }

    /// Takes in the current value of an org record (invalid ones are skipped:
    /// only validated records reach the store). Call [`rebuild`] after.
    fn upsert(&mut self, kind: RecordKind, value: &Value) {
        fn put<T: serde::de::DeserializeOwned>(
            map: &mut BTreeMap<Uuid, T>,
            value: &Value,
            id: impl Fn(&T) -> Uuid,
        ) {
            if let Ok(record) = T::deserialize(value) {
                map.insert(id(&record), record);
            }
        }
        match kind {
            RecordKind::Unit => put(&mut self.units, value, |r: &Unit| *r.id.as_uuid()),
            RecordKind::Branch => put(&mut self.branches, value, |r: &Branch| *r.id.as_uuid()),
            RecordKind::Member => put(&mut self.members, value, |r: &Member| *r.id.as_uuid()),
            RecordKind::InspectionGroup => put(&mut self.groups, value, |r: &InspectionGroup| {
                *r.id.as_uuid()
            }),
            _ => {}
        }
    }

    fn rebuild(&mut self) {
        let units: Vec<Unit> = self.units.values().cloned().collect();
        let branches: Vec<Branch> = self.branches.values().cloned().collect();
        let members: Vec<Member> = self.members.values().cloned().collect();
        let groups: Vec<InspectionGroup> = self.groups.values().cloned().collect();
        self.directory = Directory::new(&units, &branches, &members, &groups);
    }
}

/// The committed org index, shared by all requests (loaded on first use).
#[derive(Clone, Debug, Default)]
pub struct OrgCache(Arc<Mutex<Option<Arc<OrgIndex>>>>);

impl OrgCache {
    fn get(&self, conn: &Connection) -> anyhow::Result<Arc<OrgIndex>> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(index) = &*slot {
            return Ok(Arc::clone(index));
        }
        let index = Arc::new(OrgIndex::load(conn)?);
        *slot = Some(Arc::clone(&index));
        Ok(index)
    }

    fn set(&self, index: Arc<OrgIndex>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(index);
    }
}

// ---------------------------------------------------------------- errors

fn sync_status(err: &SyncError) -> StatusCode {
    match err {
        SyncError::SequenceGap { .. }
        | SyncError::FactConflict { .. }
        | SyncError::UnknownParent { .. } => StatusCode::CONFLICT,
        SyncError::BatchTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        SyncError::Forbidden { .. } => StatusCode::FORBIDDEN,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// A refused batch: core's code and English message; `details` has the
/// zh-CN message, whether sending the change again may succeed (core's
/// `is_retryable`), and `seq` / `kind` / `id` of the change that was refused
/// (for a gap: `expected` and `got`; for `forbidden`: the `location`).
fn refuse(err: SyncError, change: Option<&Change>) -> AppError {
    let mut details = serde_json::Map::new();
    details.insert("message_zh".into(), json!(err.message(Lang::ZhCn)));
    details.insert("retryable".into(), json!(err.is_retryable()));
    match &err {
        SyncError::SequenceGap { expected, got } => {
            details.insert("expected".into(), json!(expected));
            details.insert("got".into(), json!(got));
        }
        SyncError::Forbidden { location, .. } => {
            details.insert("location".into(), json!(location));
        }
        _ => {}
    }
    if let Some(c) = change {
        details.insert("seq".into(), json!(c.seq));
        details.insert("kind".into(), json!(c.kind));
        details.insert("id".into(), json!(c.id));
    }
    AppError::coded(sync_status(&err), err.code(), err.to_string())
        .with_details(Value::Object(details))
}

/// A failure inside a push: a refusal to send, or a database error.
enum Fail {
    Refused(AppError),
    Db(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Fail {
    fn from(err: E) -> Self {
        Fail::Db(err.into())
    }
}

impl From<Fail> for AppError {
    fn from(fail: Fail) -> Self {
        match fail {
            Fail::Refused(err) => err,
            Fail::Db(err) => AppError::Internal(err),
        }
    }
}

// ---------------------------------------------------------------- the store

fn kind_from_str(text: &str) -> Option<RecordKind> {
    RecordKind::ALL.into_iter().find(|k| k.as_str() == text)
}

fn loc_strings(location: &Location) -> [Option<String>; 4] {
    [
        location.system.map(|id| id.to_string()),
        location.unit.map(|id| id.to_string()),
        location.branch.map(|id| id.to_string()),
        location.village.map(|id| id.to_string()),
    ]
}

fn loc_from_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Location> {
    fn id<T: std::str::FromStr>(
        row: &rusqlite::Row<'_>,
        index: usize,
    ) -> rusqlite::Result<Option<T>> {
        Ok(row
            .get_ref(index)?
            .as_str_or_null()?
            .and_then(|s| s.parse().ok()))
    }
    Ok(Location {
        system: id(row, first)?,
        unit: id(row, first + 1)?,
        branch: id(row, first + 2)?,
        village: id(row, first + 3)?,
    })
}

/// A mutable record's stored fields with their stamps (empty if unknown).
fn record_state(conn: &Connection, kind: RecordKind, id: Uuid) -> anyhow::Result<RecordState> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, value, hlc_wall, hlc_counter, hlc_device FROM fields \
         WHERE kind = ?1 AND id = ?2",
    )?;
    let mut rows = stmt.query((kind.as_str(), id.to_string()))?;
    let mut state = RecordState::default();
    while let Some(row) = rows.next()? {
        let field: String = row.get(0)?;
        let value: String = row.get(1)?;
        let device: String = row.get(4)?;
        let hlc = Hlc {
            wall: u64::try_from(row.get::<_, i64>(2)?)?,
            counter: u32::try_from(row.get::<_, i64>(3)?)?,
            device: device.parse().map_err(|e| anyhow::anyhow!("{e}"))?,
        };
        state.fields.insert(
            field,
            FieldVersion {
                value: serde_json::from_str(&value)?,
                hlc,
            },
        );
    }
    Ok(state)
}

/// The current value of a stored mutable record (with its `id`), or `None`
/// if no change has created it. Read-only views (the public review page)
/// deserialize it into core's record type.
pub fn read_record(conn: &Connection, kind: RecordKind, id: Uuid) -> anyhow::Result<Option<Value>> {
    let state = record_state(conn, kind, id)?;
    Ok((!state.fields.is_empty()).then(|| state.value(id)))
}

/// The transaction's view of placements, for core's `locate`.
struct Store<'a> {
    conn: &'a Connection,
    org: Arc<OrgIndex>,
    /// The org index was changed in this push (rebuilt; to publish on commit).
    org_changed: bool,
    /// A lookup failed inside a trait method (which cannot return errors).
    error: RefCell<Option<rusqlite::Error>>,
    /// Where facts sit, as looked up or logged in this push: a fact never
    /// moves, and a batch's observations keep asking for the same check.
    fact_places: RefCell<BTreeMap<(RecordKind, Uuid), Location>>,
}

impl Store<'_> {
    fn take_error(&self) -> Result<(), Fail> {
        match self.error.borrow_mut().take() {
            Some(err) => Err(err.into()),
            None => Ok(()),
        }
    }

    fn remember<T>(&self, result: rusqlite::Result<Option<T>>) -> Option<T> {
        result.unwrap_or_else(|err| {
            *self.error.borrow_mut() = Some(err);
            None
        })
    }

    /// Where a mutable record sits now, if it exists.
    fn record_location(&self, kind: RecordKind, id: Uuid) -> rusqlite::Result<Option<Location>> {
        self.conn
            .prepare_cached(
                "SELECT loc_system, loc_unit, loc_branch, loc_village FROM records \
                 WHERE kind = ?1 AND id = ?2",
            )?
            .query_row((kind.as_str(), id.to_string()), |r| loc_from_row(r, 0))
            .optional()
    }

    fn fact_location(&self, kind: RecordKind, id: Uuid) -> rusqlite::Result<Option<Location>> {
        self.conn
            .prepare_cached(
                "SELECT c.loc_system, c.loc_unit, c.loc_branch, c.loc_village \
                 FROM facts f JOIN changes c ON c.server_seq = f.server_seq \
                 WHERE f.kind = ?1 AND f.id = ?2",
            )?
            .query_row((kind.as_str(), id.to_string()), |r| loc_from_row(r, 0))
            .optional()
    }

    fn record_state(&self, kind: RecordKind, id: Uuid) -> Result<RecordState, Fail> {
        Ok(record_state(self.conn, kind, id)?)
    }

    fn write_field(
        &self,
        kind: RecordKind,
        id: Uuid,
        field: &str,
        version: &FieldVersion,
    ) -> Result<(), Fail> {
        self.conn
            .prepare_cached(
                "INSERT INTO fields (kind, id, field, value, hlc_wall, hlc_counter, hlc_device) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (kind, id, field) DO UPDATE SET value = excluded.value, \
                 hlc_wall = excluded.hlc_wall, hlc_counter = excluded.hlc_counter, \
                 hlc_device = excluded.hlc_device",
            )?
            .execute((
                kind.as_str(),
                id.to_string(),
                field,
                serde_json::to_string(&version.value)?,
                i64::try_from(version.hlc.wall)?,
                i64::from(version.hlc.counter),
                version.hlc.device.to_string(),
            ))?;
        Ok(())
    }

    fn write_record_location(
        &self,
        kind: RecordKind,
        id: Uuid,
        location: &Location,
    ) -> Result<(), Fail> {
        let [s, u, b, v] = loc_strings(location);
        self.conn
            .prepare_cached(
                "INSERT INTO records (kind, id, loc_system, loc_unit, loc_branch, loc_village) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (kind, id) DO UPDATE SET loc_system = excluded.loc_system, \
                 loc_unit = excluded.loc_unit, loc_branch = excluded.loc_branch, \
                 loc_village = excluded.loc_village",
            )?
            .execute((kind.as_str(), id.to_string(), s, u, b, v))?;
        Ok(())
    }

    /// Appends to the log; returns the new server_seq.
    fn log(
        &self,
        device: &str,
        device_seq: Option<u64>,
        change: &Change,
        location: &Location,
    ) -> Result<i64, Fail> {
        let [s, u, b, v] = loc_strings(location);
        self.conn
            .prepare_cached(
                "INSERT INTO changes (device, device_seq, kind, record_id, body, \
                 loc_system, loc_unit, loc_branch, loc_village) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute((
                device,
                device_seq.map(i64::try_from).transpose()?,
                change.kind.as_str(),
                change.id.to_string(),
                serde_json::to_string(change)?,
                s,
                u,
                b,
                v,
            ))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Re-sends a record's whole state at its new location: one `Set` per
    /// distinct stamp, carrying the fields that stamp wrote. Phones that
    /// have them already find the same stamps and change nothing.
    fn log_snapshot(
        &self,
        kind: RecordKind,
        id: Uuid,
        state: &RecordState,
        location: &Location,
    ) -> Result<(), Fail> {
        let mut by_stamp: BTreeMap<Hlc, BTreeMap<String, Value>> = BTreeMap::new();
        for (name, version) in &state.fields {
            by_stamp
                .entry(version.hlc)
                .or_default()
                .insert(name.clone(), version.value.clone());
        }
        for (hlc, fields) in by_stamp {
            let change = Change {
                schema: xianfeng_core::SCHEMA_VERSION,
                seq: 0,
                kind,
                id,
                hlc,
                op: Op::Set { fields, seen: None },
            };
            self.log(&hlc.device.to_string(), None, &change, location)?;
        }
        Ok(())
    }

    /// Validates `value` (the record as `change` leaves it), places it,
    /// and authorizes the change's own placement and its parents (core's
    /// `authorize`; followers are checked once they have moved).
    fn check_write(
        &self,
        actor: &Actor,
        change: &Change,
        from: Option<Location>,
        before: Option<&Value>,
        value: &Value,
    ) -> Result<(Placement, Vec<Location>, Touches), Fail> {
        let refused = |err: SyncError| Fail::Refused(refuse(err, Some(change)));
        let kind = change.kind;
        if !kind.is_fact() {
            validate_record(kind, value).map_err(refused)?;
        }
        let to = locate(kind, value, self);
        self.take_error()?;
        let placement = Placement {
            kind,
            id: change.id,
            from,
            to: to.map_err(refused)?,
        };
        let touched = touches(kind, before, value);
        let parents = self.parent_places(&touched)?.map_err(refused)?;
        authorize(actor, &placement, &parents, &[]).map_err(refused)?;
        Ok((placement, parents, touched))
    }

    /// Where the parents a change is written under stand (core's
    /// `UnknownParent` for one not received yet).
    fn parent_places(&self, touched: &Touches) -> Result<Result<Vec<Location>, SyncError>, Fail> {
        let mut places = Vec::new();
        for &(kind, id) in &touched.parents {
            let place = self.location_of(kind, id);
            self.take_error()?;
            match place {
                Some(place) => places.push(place),
                None => {
                    return Ok(Err(SyncError::UnknownParent {
                        kind: kind.as_str(),
                        id: id.to_string(),
                    }))
                }
            }
        }
        Ok(Ok(places))
    }

    /// The records that follow a change (core's `touches`), with where
    /// each stands now; one not stored yet has nowhere to move from.
    fn follower_places(
        &self,
        touched: &Touches,
    ) -> Result<Vec<(RecordKind, Uuid, Location)>, Fail> {
        let mut records = touched.followers.clone();
        if let Some(member) = touched.households_of {
            for household in self.households_paired_with(member)? {
                let record = (RecordKind::Household, household);
                if !records.contains(&record) {
                    records.push(record);
                }
            }
        }
        let mut out = Vec::new();
        for (kind, id) in records {
            if let Some(place) = self.record_location(kind, id)? {
                out.push((kind, id, place));
            }
        }
        Ok(out)
    }

    /// Households named by any pairing of `member` (current or not: the
    /// caller places each anew and keeps those that move).
    fn households_paired_with(&self, member: MemberId) -> Result<Vec<Uuid>, Fail> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT h.value FROM fields m \
             JOIN fields h ON h.kind = 'pairing' AND h.id = m.id AND h.field = 'household' \
             WHERE m.kind = 'pairing' AND m.field = 'member' AND m.value = ?1",
        )?;
        let mut rows = stmt.query([json!(member).to_string()])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let text: String = row.get(0)?;
            if let Ok(id) = serde_json::from_str::<Uuid>(&text) {
                out.push(id);
            }
        }
        Ok(out)
    }

    fn org_mut(&mut self) -> &mut OrgIndex {
        self.org_changed = true;
        Arc::make_mut(&mut self.org)
    }
}

impl PlacementLookup for Store<'_> {
    fn directory(&self) -> &Directory {
        &self.org.directory
    }

    fn location_of(&self, kind: RecordKind, id: Uuid) -> Option<Location> {
        if kind.is_fact() {
            if let Some(place) = self.fact_places.borrow().get(&(kind, id)) {
                return Some(*place);
            }
            let place = self.remember(self.fact_location(kind, id))?;
            self.fact_places.borrow_mut().insert((kind, id), place);
            Some(place)
        } else {
            self.remember(self.record_location(kind, id))
        }
    }

    fn paired_member(&self, household: HouseholdId) -> Option<MemberId> {
        // The newest current pairing of the household (no `until`).
        let result = self
            .conn
            .prepare_cached(
                "SELECT m.value FROM fields h \
                 JOIN fields m ON m.kind = 'pairing' AND m.id = h.id AND m.field = 'member' \
                 WHERE h.kind = 'pairing' AND h.field = 'household' AND h.value = ?1 \
                 AND NOT EXISTS (SELECT 1 FROM fields u WHERE u.kind = 'pairing' \
                     AND u.id = h.id AND u.field = 'until' AND u.value != 'null') \
                 ORDER BY h.id DESC LIMIT 1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([json!(household).to_string()], |r| r.get::<_, String>(0))
                    .optional()
            });
        self.remember(result)
            .and_then(|text| serde_json::from_str::<MemberId>(&text).ok())
    }
}

// ---------------------------------------------------------------- push

/// Applies one new change inside the push transaction.
/// `device_seq` is the change's number for a push, `None` for a change the
/// server originates ([`ingest_server_changes`]).
///
/// Authorization is core's `authorize`: the changed record at its old and
/// new place, the parents it is written under, and the records that follow
/// it (`touches`) at their old and new place. Followers are placed anew
/// once the change is written (so lookups see it); a refusal then still
/// rolls the whole batch back.
fn apply_change(
    store: &mut Store<'_>,
    actor: &Actor,
    device: &str,
    device_seq: Option<u64>,
    mut change: Change,
    now_ms: u64,
    now: &str,
) -> Result<(), Fail> {
    let refused = |err: SyncError, change: &Change| Fail::Refused(refuse(err, Some(change)));
    check_change(&change).map_err(|e| refused(e, &change))?;
    change.hlc = change.hlc.clamped(now_ms);
    let kind = change.kind;
    match &change.op {
        Op::Insert { record } => {
            let (placement, ..) = store.check_write(actor, &change, None, None, record)?;
            let location = placement.to;
            let stored: Option<String> = store
                .conn
                .prepare_cached("SELECT canonical FROM facts WHERE kind = ?1 AND id = ?2")?
                .query_row((kind.as_str(), change.id.to_string()), |r| r.get(0))
                .optional()?;
            let outcome = fact_outcome(kind, change.id, stored.as_deref(), record)
                .map_err(|e| refused(e, &change))?;
            if outcome == FactOutcome::New {
                let server_seq = store.log(device, device_seq, &change, &location)?;
                store
                    .fact_places
                    .borrow_mut()
                    .insert((kind, change.id), location);
                store
                    .conn
                    .prepare_cached(
                        "INSERT INTO facts (kind, id, canonical, server_seq) VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute((
                        kind.as_str(),
                        change.id.to_string(),
                        xianfeng_core::sync::canonical_json(record),
                        server_seq,
                    ))?;
            }
            Ok(())
        }
        Op::Set { fields, seen } => {
            let old_location = store.record_location(kind, change.id)?;
            let mut state = store.record_state(kind, change.id)?;
            let before = (!state.fields.is_empty()).then(|| state.value(change.id));
            // Authorized as sent (as if it won every field), so a change
            // that loses the merge cannot carry what it may not write
            // into the conflict list either; then as merged, below.
            let intended = state.overlay(change.id, [&change]);
            store.check_write(actor, &change, old_location, before.as_ref(), &intended)?;
            let mut taken = Vec::new();
            let mut conflicts = Vec::new();
            for (name, value) in fields {
                let incoming = FieldVersion {
                    value: value.clone(),
                    hlc: change.hlc,
                };
                let merge = merge_field(state.fields.get(name), &incoming, *seen);
                let winner = if merge.take {
                    incoming.clone()
                } else {
                    state.fields[name].clone()
                };
                if let Some(loser) = merge.loser {
                    conflicts.push(Conflict {
                        kind,
                        id: change.id,
                        field: name.clone(),
                        winner,
                        loser,
                    });
                }
                if merge.take {
                    state.fields.insert(name.clone(), incoming);
                    taken.push(name.as_str());
                }
            }
            let value = state.value(change.id);
            let (placement, parents, touched) =
                store.check_write(actor, &change, old_location, before.as_ref(), &value)?;
            let location = placement.to;
            // Where the followers stand before the change.
            let followers = store.follower_places(&touched)?;
            for conflict in &conflicts {
                store
                    .conn
                    .prepare_cached(
                        "INSERT INTO conflicts (kind, record_id, field, winner, loser, device, created_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute((
                        kind.as_str(),
                        change.id.to_string(),
                        &conflict.field,
                        serde_json::to_string(&conflict.winner)?,
                        serde_json::to_string(&conflict.loser)?,
                        device,
                        now,
                    ))?;
            }
            if taken.is_empty() {
                return Ok(());
            }
            for name in &taken {
                store.write_field(kind, change.id, name, &state.fields[*name])?;
            }
            store.write_record_location(kind, change.id, &location)?;
            store.log(device, device_seq, &change, &location)?;
            if placement.moves() {
                store.log_snapshot(kind, change.id, &state, &location)?;
            }
            if is_org_kind(kind) {
                let org = store.org_mut();
                org.upsert(kind, &value);
                org.rebuild();
            }
            // Where the followers stand now: each that moves needs the
            // actor's write rights at both places, then is re-sent there.
            let mut moved = Vec::new();
            for (follower_kind, id, from) in followers {
                let state = store.record_state(follower_kind, id)?;
                let to = locate(follower_kind, &state.value(id), &*store);
                store.take_error()?;
                // A stored record always places; one that cannot stays put.
                let Ok(to) = to else { continue };
                let follower = Placement {
                    kind: follower_kind,
                    id,
                    from: Some(from),
                    to,
                };
                if follower.moves() {
                    moved.push((follower, state));
                }
            }
            let placements: Vec<Placement> = moved.iter().map(|(p, _)| *p).collect();
            authorize(actor, &placement, &parents, &placements).map_err(|e| refused(e, &change))?;
            for (follower, state) in &moved {
                store.write_record_location(follower.kind, follower.id, &follower.to)?;
                store.log_snapshot(follower.kind, follower.id, state, &follower.to)?;
            }
            Ok(())
        }
    }
}

/// Runs a push for `device` in one IMMEDIATE transaction.
pub fn push_batch(
    conn: &mut Connection,
    org: &OrgCache,
    device: &AuthDevice,
    request: PushRequest,
    now_ms: u64,
) -> Result<PushResponse, AppError> {
    let now = now_text();
    let run = || -> Result<(PushResponse, Option<Arc<OrgIndex>>), Fail> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let device_id = device.device_id.to_string();
        let last_seq: Option<i64> = tx
            .query_row(
                "SELECT last_seq FROM devices WHERE id = ?1 AND revoked_at IS NULL",
                [&device_id],
                |r| r.get(0),
            )
            .optional()?;
        // Revoked since the token was checked: as if it had been before.
        let Some(last_seq) = last_seq else {
            return Err(Fail::Refused(AppError::Unauthorized(
                "unknown or revoked device token".to_owned(),
            )));
        };
        let last_seq = u64::try_from(last_seq)?;
        let plan = plan_push(last_seq, &request.changes).map_err(|e| {
            let at = match e {
                SyncError::SequenceGap { .. } => request.changes.iter().find(|c| c.seq > last_seq),
                SyncError::InvalidSeq { seq } => request.changes.iter().find(|c| c.seq == seq),
                _ => None,
            };
            Fail::Refused(refuse(e, at))
        })?;
        let mut store = Store {
            conn: &tx,
            org: org.get(&tx)?,
            org_changed: false,
            error: RefCell::new(None),
            fact_places: RefCell::default(),
        };
        for change in request.changes.into_iter().skip(plan.skip) {
            let seq = Some(change.seq);
            apply_change(
                &mut store,
                &device.actor,
                &device_id,
                seq,
                change,
                now_ms,
                &now,
            )?;
        }
        let changed_org = store.org_changed.then(|| Arc::clone(&store.org));
        drop(store);
        if plan.new_last_seq != last_seq {
            tx.execute(
                "UPDATE devices SET last_seq = ?2 WHERE id = ?1",
                (&device_id, i64::try_from(plan.new_last_seq)?),
            )?;
        }
        tx.commit()?;
        Ok((
            PushResponse {
                last_seq: plan.new_last_seq,
                server_time_ms: now_ms,
            },
            changed_org,
        ))
    };
    let (response, changed_org) = run()?;
    if let Some(index) = changed_org {
        org.set(index);
    }
    Ok(response)
}

fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, AppError> {
    serde_json::from_slice(body).map_err(|err| {
        let err = xianfeng_core::schema::json_error(err);
        AppError::from(err)
    })
}

/// `POST /api/sync/push`.
pub async fn push(
    State(state): State<AppState>,
    device: AuthDevice,
    body: Bytes,
) -> Result<Json<PushResponse>, AppError> {
    state.limits.check_sync(device.device_id)?;
    let request: PushRequest = parse_body(&body)?;
    let org = state.org.clone();
    let count = request.changes.len();
    let response = state
        .db
        .call(move |conn| Ok(push_batch(conn, &org, &device, request, now_ms())))
        .await??;
    tracing::debug!(changes = count, last_seq = response.last_seq, "push");
    Ok(Json(response))
}

// ---------------------------------------------------------------- server-originated changes

/// Who the server writes as when it originates changes itself (the demo
/// city, reviews from the public page): the office, city-wide. Everything
/// else (validation, placement, the write check, merging) runs as for a push.
const SERVER_ACTOR: Actor = Actor {
    role: Role::Office,
    scope: Scope::City,
};

/// The org directory as changed by [`ingest_server_changes`]: publish it
/// once the transaction has committed (dropping it after a rollback is right).
#[must_use = "publish the org update after the transaction commits"]
#[derive(Debug)]
pub struct OrgUpdate(Option<Arc<OrgIndex>>);

impl OrgUpdate {
    /// Makes the changed directory the one every request uses.
    pub fn publish(self, org: &OrgCache) {
        if let Some(index) = self.0 {
            org.set(index);
        }
    }
}

/// Applies changes the server originates, as `device`, inside the caller's
/// transaction (so the caller can write its own rows atomically with them):
/// the same checks, placement, merge and log as a push, with no device
/// number (`device_seq` NULL). Each change is stamped `now_ms` and numbered
/// by a counter, so a batch keeps its order. Any refusal is returned as the
/// push would answer it; the caller must then roll back.
pub fn ingest_server_changes(
    tx: &Transaction<'_>,
    org: &OrgCache,
    device: DeviceId,
    changes: Vec<(RecordKind, Uuid, Op)>,
    now_ms: u64,
) -> Result<OrgUpdate, AppError> {
    let now = now_text();
    let device_text = device.to_string();
    let mut store = Store {
        conn: tx,
        org: org.get(tx)?,
        org_changed: false,
        error: RefCell::new(None),
        fact_places: RefCell::default(),
    };
    for (counter, (kind, id, op)) in changes.into_iter().enumerate() {
        let change = Change {
            schema: xianfeng_core::SCHEMA_VERSION,
            seq: 0,
            kind,
            id,
            hlc: Hlc {
                wall: now_ms,
                counter: u32::try_from(counter).unwrap_or(u32::MAX),
                device,
            },
            op,
        };
        apply_change(
            &mut store,
            &SERVER_ACTOR,
            &device_text,
            None,
            change,
            now_ms,
            &now,
        )?;
    }
    Ok(OrgUpdate(store.org_changed.then(|| Arc::clone(&store.org))))
}

// ---------------------------------------------------------------- pull

/// Reads one page of the log for `actor`.
pub fn pull_page(
    conn: &Connection,
    device: &AuthDevice,
    request: &PullRequest,
) -> anyhow::Result<PullResponse> {
    let limit = request
        .limit
        .unwrap_or(MAX_PULL_PAGE)
        .clamp(1, MAX_PULL_PAGE) as usize;
    let cursor = i64::try_from(request.cursor).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT server_seq, device, kind, body, loc_system, loc_unit, loc_branch, loc_village \
         FROM changes WHERE server_seq > ?1 ORDER BY server_seq LIMIT ?2",
    )?;
    let mut rows = stmt.query((cursor, MAX_PULL_SCAN as i64))?;
    let mut changes = Vec::new();
    let mut last_scanned = cursor;
    while let Some(row) = rows.next()? {
        let server_seq: i64 = row.get(0)?;
        last_scanned = server_seq;
        let kind_text = row.get_ref(2)?.as_str()?;
        let kind = kind_from_str(kind_text)
            .ok_or_else(|| anyhow::anyhow!("unknown kind {kind_text:?} in the log"))?;
        let location = loc_from_row(row, 4)?;
        if !device.actor.may_read(kind, &location) {
            continue;
        }
        let device_text: String = row.get(1)?;
        let change: Change = serde_json::from_str(row.get_ref(3)?.as_str()?)?;
        changes.push(ServerChange {
            server_seq: u64::try_from(server_seq)?,
            device: device_text.parse().map_err(|e| anyhow::anyhow!("{e}"))?,
            change,
        });
        if changes.len() == limit {
            break;
        }
    }
    drop(rows);
    let log_end: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(server_seq), 0) FROM changes")?
        .query_row([], |r| r.get(0))?;
    let more = log_end > last_scanned;
    let last_seq: i64 = conn
        .prepare_cached("SELECT last_seq FROM devices WHERE id = ?1")?
        .query_row([device.device_id.to_string()], |r| r.get(0))?;
    Ok(PullResponse {
        changes,
        cursor: u64::try_from(last_scanned)?,
        more,
        last_seq: u64::try_from(last_seq)?,
        log_end: u64::try_from(log_end)?,
    })
}

/// `POST /api/sync/pull`.
pub async fn pull(
    State(state): State<AppState>,
    device: AuthDevice,
    body: Bytes,
) -> Result<Json<PullResponse>, AppError> {
    state.limits.check_sync(device.device_id)?;
    let request: PullRequest = parse_body(&body)?;
    let response = state
        .db
        .call(move |conn| Ok(pull_page(conn, &device, &request)))
        .await?
        .map_err(AppError::Internal)?;
    Ok(Json(response))
}

// ---------------------------------------------------------------- conflicts

/// One entry of the office's conflict list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictEntry {
    /// Running number of the entry.
    pub number: u64,
    /// When the server recorded it.
    pub at: String,
    /// The device whose push caused it.
    pub device: String,
    #[serde(flatten)]
    pub conflict: Conflict,
}

/// `GET /api/conflicts`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictList {
    pub conflicts: Vec<ConflictEntry>,
}

/// Every conflict, newest first.
pub fn list_conflicts(conn: &Connection) -> anyhow::Result<Vec<ConflictEntry>> {
    let mut stmt = conn.prepare(
        "SELECT id, created_at, device, kind, record_id, field, winner, loser \
         FROM conflicts ORDER BY id DESC",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let kind: String = row.get(3)?;
        let id: String = row.get(4)?;
        let winner: String = row.get(6)?;
        let loser: String = row.get(7)?;
        out.push(ConflictEntry {
            number: u64::try_from(row.get::<_, i64>(0)?)?,
            at: row.get(1)?,
            device: row.get(2)?,
            conflict: Conflict {
                kind: kind_from_str(&kind).ok_or_else(|| anyhow::anyhow!("kind {kind:?}"))?,
                id: id.parse()?,
                field: row.get(5)?,
                winner: serde_json::from_str(&winner)?,
                loser: serde_json::from_str(&loser)?,
            },
        });
    }
    Ok(out)
}

/// `GET /api/conflicts` (office only).
pub async fn conflicts(
    State(state): State<AppState>,
    device: AuthDevice,
) -> Result<Json<ConflictList>, AppError> {
    device.require_office()?;
    let conflicts = state
        .db
        .call(|conn| Ok(list_conflicts(conn)))
        .await?
        .map_err(AppError::Internal)?;
    Ok(Json(ConflictList { conflicts }))
}
