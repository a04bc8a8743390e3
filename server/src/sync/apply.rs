//! Applying changes inside one write transaction: a device's push
//! ([`push_batch`]) or changes the server originates itself
//! ([`ingest_server_changes`]: the demo city, public reviews).
//!
//! Every decision is core's: `plan_push` numbers, `check_change` and
//! `AnyRecord::parse` validate (each record is parsed once, into its
//! type), `AnyRecord::locate` places (through this module's
//! [`PlacementLookup`] over the store), `touches` and `authorize` decide,
//! `fact_outcome` and `merge_field` merge. The SQL is in
//! [`crate::store::log`]. Any refusal rolls the whole batch back.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;
use xianfeng_core::ids::{DeviceId, HouseholdId, MemberId};
use xianfeng_core::sync::{
    authorize, check_change, fact_outcome, locate, merge_field, plan_push, AnyRecord, Change,
    Conflict, FactOutcome, FieldVersion, Hlc, Op, Placement, PlacementLookup, PushRequest,
    PushResponse, RecordState, SyncError, Touches,
};
use xianfeng_core::{Actor, Directory, Location, RecordKind, Role, Scope};

use super::org::{is_org_kind, OrgCache, OrgIndex};
use super::refuse::{refuse, Fail};
use crate::clock::unix_ms;
use crate::error::AppError;
use crate::secrets::format_time;
use crate::store::{log, Sql};

/// The transaction's view of placements, for core's `locate`.
struct Tx<'a, 'c> {
    sql: RefCell<&'a mut (dyn Sql + 'c)>,
    org: Arc<OrgIndex>,
    /// The org index was changed in this write (rebuilt; to publish on commit).
    org_changed: bool,
    /// A lookup failed inside a trait method (which cannot return errors).
    error: RefCell<Option<anyhow::Error>>,
    /// Where facts sit, as looked up or logged in this write: a fact never
    /// moves, and a batch's observations keep asking for the same check.
    fact_places: RefCell<BTreeMap<(RecordKind, Uuid), Location>>,
    /// Where mutable records sit, as read or written in this write (a
    /// batch's observations keep asking where the same members are).
    record_places: RefCell<BTreeMap<(RecordKind, Uuid), Option<Location>>>,
    /// Log rows and facts of this write, written at its end.
    pending: RefCell<log::Pending>,
    /// Stored facts' canonical JSON: looked up ahead for a batch, or
    /// stored by this write. `None`: known not to be stored.
    facts: RefCell<HashMap<(RecordKind, Uuid), Option<String>>>,
}

impl<'a, 'c> Tx<'a, 'c> {
    fn new(sql: &'a mut (dyn Sql + 'c), org: &OrgCache) -> anyhow::Result<Tx<'a, 'c>> {
        let index = org.get(sql)?;
        Ok(Tx {
            sql: RefCell::new(sql),
            org: index,
            org_changed: false,
            error: RefCell::new(None),
            fact_places: RefCell::default(),
            record_places: RefCell::default(),
            pending: RefCell::default(),
            facts: RefCell::default(),
        })
    }

    /// Runs `f` with the connection.
    fn with<R>(&self, f: impl FnOnce(&mut dyn Sql) -> R) -> R {
        let mut sql = self.sql.borrow_mut();
        f(&mut **sql)
    }

    /// Publishes the org directory if this write changed it: moves the
    /// stored version on; returns what to cache once committed.
    fn finish(self) -> anyhow::Result<OrgUpdate> {
        {
            let mut pending = self.pending.borrow_mut();
            self.with(|sql| pending.flush(sql))?;
        }
        if !self.org_changed {
            return Ok(OrgUpdate(None));
        }
        let version = self.with(log::bump_org_version)?;
        Ok(OrgUpdate(Some((version, self.org))))
    }

    fn take_error(&self) -> Result<(), Fail> {
        match self.error.borrow_mut().take() {
            Some(err) => Err(Fail::Db(err)),
            None => Ok(()),
        }
    }

    fn remember<T>(&self, result: anyhow::Result<Option<T>>) -> Option<T> {
        result.unwrap_or_else(|err| {
            *self.error.borrow_mut() = Some(err);
            None
        })
    }

    fn record_location(&self, kind: RecordKind, id: Uuid) -> anyhow::Result<Option<Location>> {
        if let Some(place) = self.record_places.borrow().get(&(kind, id)) {
            return Ok(*place);
        }
        let place = self.with(|sql| log::record_location(sql, kind, id))?;
        self.record_places.borrow_mut().insert((kind, id), place);
        Ok(place)
    }

    fn write_record_location(
        &self,
        kind: RecordKind,
        id: Uuid,
        location: &Location,
    ) -> anyhow::Result<()> {
        self.with(|sql| log::write_record_location(sql, kind, id, location))?;
        self.record_places
            .borrow_mut()
            .insert((kind, id), Some(*location));
        Ok(())
    }

    /// Looks up in one go which of `changes`' facts are stored already.
    fn prefetch_facts(&self, changes: &[Change]) -> anyhow::Result<()> {
        let ids: Vec<(RecordKind, Uuid)> = changes
            .iter()
            .filter(|c| matches!(c.op, Op::Insert { .. }))
            .map(|c| (c.kind, c.id))
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let stored = self.with(|sql| log::stored_facts(sql, &ids))?;
        let mut facts = self.facts.borrow_mut();
        for key in ids {
            facts
                .entry(key)
                .or_insert_with(|| stored.get(&key).cloned());
        }
        Ok(())
    }

    /// A fact's stored canonical JSON (this write's own included).
    fn stored_fact(&self, kind: RecordKind, id: Uuid) -> anyhow::Result<Option<String>> {
        if let Some(known) = self.facts.borrow().get(&(kind, id)) {
            return Ok(known.clone());
        }
        self.with(|sql| log::fact_canonical(sql, kind, id))
    }

    fn record_state(&self, kind: RecordKind, id: Uuid) -> Result<RecordState, Fail> {
        Ok(self.with(|sql| log::record_state(sql, kind, id))?)
    }

    fn log(
        &self,
        device: &str,
        device_seq: Option<u64>,
        change: &Change,
        location: &Location,
    ) -> Result<i64, Fail> {
        let mut pending = self.pending.borrow_mut();
        Ok(self.with(|sql| pending.append(sql, device, device_seq, change, location))?)
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

    /// Places `record` (the record as `change` leaves it, parsed and
    /// validated) and authorizes the change's own placement and its
    /// parents (core's `authorize`; followers are checked once they have
    /// moved).
    fn check_write(
        &self,
        actor: &Actor,
        change: &Change,
        from: Option<Location>,
        before: Option<&AnyRecord>,
        record: &AnyRecord,
    ) -> Result<(Placement, Vec<Location>, Touches), Fail> {
        let refused = |err: SyncError| Fail::Refused(refuse(err, Some(change)));
        let to = record.locate(self);
        self.take_error()?;
        let placement = Placement {
            kind: change.kind,
            id: change.id,
            from,
            to: to.map_err(refused)?,
        };
        let touched = record.touches(before);
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
            for household in self.with(|sql| log::households_paired_with(sql, member))? {
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

    fn org_mut(&mut self) -> &mut OrgIndex {
        self.org_changed = true;
        Arc::make_mut(&mut self.org)
    }
}

impl PlacementLookup for Tx<'_, '_> {
    fn directory(&self) -> &Directory {
        &self.org.directory
    }

    fn location_of(&self, kind: RecordKind, id: Uuid) -> Option<Location> {
        if kind.is_fact() {
            if let Some(place) = self.fact_places.borrow().get(&(kind, id)) {
                return Some(*place);
            }
            let place = self.remember(self.with(|sql| log::fact_location(sql, kind, id)))?;
            self.fact_places.borrow_mut().insert((kind, id), place);
            Some(place)
        } else {
            self.remember(self.record_location(kind, id))
        }
    }

    fn paired_member(&self, household: HouseholdId) -> Option<MemberId> {
        self.remember(self.with(|sql| log::paired_member(sql, household)))
    }
}

/// Applies one new change inside the write transaction.
/// `device_seq` is the change's number for a push, `None` for a change the
/// server originates ([`ingest_server_changes`]).
///
/// Authorization is core's `authorize`: the changed record at its old and
/// new place, the parents it is written under, and the records that follow
/// it (`touches`) at their old and new place. Followers are placed anew
/// once the change is written (so lookups see it); a refusal then still
/// rolls the whole batch back.
fn apply_change(
    tx: &mut Tx<'_, '_>,
    actor: &Actor,
    device: &str,
    device_seq: Option<u64>,
    mut change: Change,
    now_ms: u64,
    now: &str,
) -> Result<(), Fail> {
    let refused = |err: SyncError, change: &Change| Fail::Refused(refuse(err, Some(change)));
    let fact = check_change(&change).map_err(|e| refused(e, &change))?;
    change.hlc = change.hlc.clamped(now_ms);
    let kind = change.kind;
    // A merged record, parsed and validated as a whole.
    let parse = |value: &Value, change: &Change| {
        AnyRecord::parse(kind, value).map_err(|e| refused(e, change))
    };
    match (&change.op, fact) {
        (Op::Insert { record }, Some(fact)) => {
            let (placement, ..) = tx.check_write(actor, &change, None, None, &fact)?;
            let location = placement.to;
            let stored = tx.stored_fact(kind, change.id)?;
            let outcome = fact_outcome(kind, change.id, stored.as_deref(), record)
                .map_err(|e| refused(e, &change))?;
            if outcome == FactOutcome::New {
                let server_seq = tx.log(device, device_seq, &change, &location)?;
                let canonical = xianfeng_core::sync::canonical_json(record);
                tx.facts
                    .borrow_mut()
                    .insert((kind, change.id), Some(canonical.clone()));
                tx.pending
                    .borrow_mut()
                    .insert_fact(kind, change.id, canonical, server_seq);
                tx.fact_places
                    .borrow_mut()
                    .insert((kind, change.id), location);
            }
            Ok(())
        }
        (Op::Set { fields, seen }, _) => {
            let old_location = tx.record_location(kind, change.id)?;
            let mut state = tx.record_state(kind, change.id)?;
            let before = (!state.fields.is_empty())
                .then(|| AnyRecord::read(kind, &state.value(change.id)))
                .flatten();
            // Authorized as sent (as if it won every field), so a change
            // that loses the merge cannot carry what it may not write
            // into the conflict list either; then as merged, below.
            let intended = parse(&state.overlay(change.id, [&change]), &change)?;
            tx.check_write(actor, &change, old_location, before.as_ref(), &intended)?;
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
            let merged = parse(&value, &change)?;
            let (placement, parents, touched) =
                tx.check_write(actor, &change, old_location, before.as_ref(), &merged)?;
            let location = placement.to;
            // Where the followers stand before the change.
            let followers = tx.follower_places(&touched)?;
            for conflict in &conflicts {
                tx.with(|sql| log::insert_conflict(sql, conflict, device, now))?;
            }
            if taken.is_empty() {
                return Ok(());
            }
            for name in &taken {
                let version = &state.fields[*name];
                tx.with(|sql| log::write_field(sql, kind, change.id, name, version))?;
            }
            tx.write_record_location(kind, change.id, &location)?;
            tx.log(device, device_seq, &change, &location)?;
            if placement.moves() {
                tx.log_snapshot(kind, change.id, &state, &location)?;
            }
            if is_org_kind(kind) {
                let org = tx.org_mut();
                org.upsert(kind, &value);
                org.rebuild();
            }
            // Where the followers stand now: each that moves needs the
            // actor's write rights at both places, then is re-sent there.
            let mut moved = Vec::new();
            for (follower_kind, id, from) in followers {
                let state = tx.record_state(follower_kind, id)?;
                let to = locate(follower_kind, &state.value(id), &*tx);
                tx.take_error()?;
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
                tx.write_record_location(follower.kind, follower.id, &follower.to)?;
                tx.log_snapshot(follower.kind, follower.id, state, &follower.to)?;
            }
            Ok(())
        }
        // `check_change` parses every insert it lets through.
        (op @ Op::Insert { .. }, None) => Err(refused(
            SyncError::WrongOp {
                kind: kind.as_str(),
                op: op.name(),
            },
            &change,
        )),
    }
}

/// Unix milliseconds of `now` (0 before the epoch).
fn ms(now: OffsetDateTime) -> u64 {
    u64::try_from(unix_ms(now)).unwrap_or(0)
}

/// Runs a push for `device` inside the write transaction `sql`, at `now`
/// (the server's clock). Returns the answer and the org update to publish
/// once committed.
pub fn push_batch(
    sql: &mut dyn Sql,
    org: &OrgCache,
    device: DeviceId,
    actor: &Actor,
    request: PushRequest,
    now: OffsetDateTime,
) -> Result<(PushResponse, OrgUpdate), Fail> {
    let (now_ms, now_text) = (ms(now), format_time(now));
    let device_id = device.to_string();
    // Revoked since the token was checked: as if it had been before.
    let Some(last_seq) = log::unrevoked_last_seq(sql, &device_id)? else {
        return Err(Fail::Refused(AppError::Unauthorized(
            "unknown or revoked device token".to_owned(),
        )));
    };
    let plan = plan_push(last_seq, &request.changes).map_err(|e| {
        let at = match e {
            SyncError::SequenceGap { .. } => request.changes.iter().find(|c| c.seq > last_seq),
            SyncError::InvalidSeq { seq } => request.changes.iter().find(|c| c.seq == seq),
            _ => None,
        };
        Fail::Refused(refuse(e, at))
    })?;
    let mut tx = Tx::new(sql, org)?;
    tx.prefetch_facts(&request.changes[plan.skip.min(request.changes.len())..])?;
    for change in request.changes.into_iter().skip(plan.skip) {
        let seq = Some(change.seq);
        apply_change(&mut tx, actor, &device_id, seq, change, now_ms, &now_text)?;
    }
    let update = tx.finish()?;
    if plan.new_last_seq != last_seq {
        log::set_last_seq(sql, &device_id, plan.new_last_seq)?;
    }
    Ok((
        PushResponse {
            last_seq: plan.new_last_seq,
            server_time_ms: now_ms,
        },
        update,
    ))
}

/// Who the server writes as when it originates changes itself (the demo
/// city, reviews from the public page): the office, city-wide. Everything
/// else (validation, placement, the write check, merging) runs as for a push.
const SERVER_ACTOR: Actor = Actor {
    role: Role::Office,
    scope: Scope::City,
};

/// The org directory as changed by a write: publish it once the
/// transaction has committed (dropping it after a rollback is right).
#[must_use = "publish the org update after the transaction commits"]
#[derive(Debug)]
pub struct OrgUpdate(Option<(i64, Arc<OrgIndex>)>);

impl OrgUpdate {
    /// Makes the changed directory the one every request uses.
    pub fn publish(self, org: &OrgCache) {
        if let Some((version, index)) = self.0 {
            org.set(version, index);
        }
    }
}

/// Applies changes the server originates, as `device`, inside the caller's
/// write transaction (so the caller can write its own rows atomically with
/// them): the same checks, placement, merge and log as a push, with no
/// device number (`device_seq` NULL). Each change is stamped `now` and
/// numbered by a counter, so a batch keeps its order. Any refusal is
/// returned as the push would answer it; the caller must then roll back.
pub fn ingest_server_changes(
    sql: &mut dyn Sql,
    org: &OrgCache,
    device: DeviceId,
    changes: Vec<(RecordKind, Uuid, Op)>,
    now: OffsetDateTime,
) -> Result<OrgUpdate, AppError> {
    let (now_ms, now_text) = (ms(now), format_time(now));
    let device_text = device.to_string();
    let mut tx = Tx::new(sql, org)?;
    let changes: Vec<Change> = changes
        .into_iter()
        .enumerate()
        .map(|(counter, (kind, id, op))| Change {
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
        })
        .collect();
    tx.prefetch_facts(&changes)?;
    for change in changes {
        apply_change(
            &mut tx,
            &SERVER_ACTOR,
            &device_text,
            None,
            change,
            now_ms,
            &now_text,
        )?;
    }
    Ok(tx.finish()?)
}
