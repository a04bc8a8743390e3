//! Records: facts as recorded, mutable records as the state the server
//! confirmed; each user action writes the record and its outbox entry in
//! one transaction. Screens read display values: confirmed state with the
//! phone's own unsent edits on top (core's `RecordState::overlay`).

use std::collections::{BTreeMap, HashMap, HashSet};

use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;
use wasm_bindgen::JsValue;
use xianfeng_core::ids::DeviceId;
use xianfeng_core::sync::{
    check_change, fact_outcome, validate_record, Change, FactOutcome, Hlc, Op, PullResponse,
    RecordState,
};
use xianfeng_core::RecordKind;

use super::outbox::{self, fold_acked, pending_for};
use super::{
    from_js, key, meta_get, meta_put, now_ms, to_js, Storage, StorageError, META, OUTBOX, PULLED,
    RECORDS,
};
use indexed_db_futures::transaction::TransactionMode;

/// The `records` key of a record: `"<kind>/<id>"`.
pub fn record_key(kind: RecordKind, id: Uuid) -> String {
    format!("{}/{}", kind.as_str(), id)
}

/// The `[kind, id]` key of the outbox's `by_record` index.
pub(crate) fn index_key(kind: RecordKind, id: Uuid) -> JsValue {
    js_sys::Array::of2(&kind.as_str().into(), &id.to_string().into()).into()
}

/// The field holding the id of the record a screen lists this kind under
/// (members of a branch, observations of a spot check…), stored
/// denormalised as `parent` for the `by_parent` index.
pub fn parent_field(kind: RecordKind) -> Option<&'static str> {
    use RecordKind::*;
    Some(match kind {
        Unit | InspectionGroup => "system",
        Branch | Post => "unit",
        Member => "branch",
        Inspector => "group",
        SpotCheck => "inspector",
        Observation => "check",
        Commitment | SituationReport => "member",
        PublicReview | PostCheck => "post",
        Household | Dispute => "village",
        Pairing | Visit | SupportItem => "household",
        ReportReview => "report",
        StudySession => "branch",
        Attendance | StudyDelivery | Speech => "session",
        StudyCheck | Suggestion => "member",
        TransitionReview => "unit",
        TransitionSignOff | TransitionDecision => "review",
        Office | System | Village | Rubric | StudySettings | TransitionChecklist | Summary => {
            return None
        }
    })
}

/// A record as stored in `records`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredRecord {
    pub kind: RecordKind,
    pub id: Uuid,
    /// The parent's id (see [`parent_field`]), for the `by_parent` index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// A fact, whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<Value>,
    /// A mutable record: the field versions the server acknowledged. The
    /// phone's unsent edits stay in the outbox and are shown on top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<RecordState>,
    /// The server has it (acknowledged or pulled).
    #[serde(default)]
    pub confirmed: bool,
}

/// A record as a screen shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordView {
    pub kind: RecordKind,
    pub id: Uuid,
    /// The record's JSON: confirmed state with unsent edits on top.
    pub value: Value,
    /// Something about it has not reached the server yet.
    pub unsent: bool,
}

impl StoredRecord {
    pub(crate) fn empty(kind: RecordKind, id: Uuid) -> StoredRecord {
        StoredRecord {
            kind,
            id,
            parent: None,
            fact: None,
            state: (!kind.is_fact()).then(RecordState::default),
            confirmed: false,
        }
    }

    /// Takes in a change the server has (acknowledged or pulled): a fact is
    /// the server's; field edits merge by core's rule.
    pub(crate) fn absorb(&mut self, change: &Change) {
        match &change.op {
            Op::Insert { record } => self.fact = Some(record.clone()),
            Op::Set { .. } => {
                self.state
                    .get_or_insert_with(RecordState::default)
                    .apply(change);
            }
        }
        self.confirmed = true;
    }

    /// The value to show, given this record's unsent changes.
    pub fn display(&self, pending: &[Change]) -> Value {
        match (&self.fact, &self.state) {
            (Some(fact), _) => fact.clone(),
            (None, Some(state)) => state.overlay(self.id, pending),
            (None, None) => RecordState::default().overlay(self.id, pending),
        }
    }

    pub(crate) fn refresh_parent(&mut self, pending: &[Change]) {
        let Some(field) = parent_field(self.kind) else {
            self.parent = None;
            return;
        };
        let parent = |v: &Value| v.get(field).and_then(Value::as_str).map(str::to_string);
        // A fact is read in place (a pulled page has a thousand of them).
        self.parent = match &self.fact {
            Some(fact) => parent(fact),
            None => parent(&self.display(pending)),
        };
    }

    fn view(&self, pending: &[Change]) -> RecordView {
        RecordView {
            kind: self.kind,
            id: self.id,
            value: self.display(pending),
            unsent: !self.confirmed || !pending.is_empty(),
        }
    }
}

pub(crate) async fn get_stored(
    store: &ObjectStore<'_>,
    key: &str,
) -> Result<Option<StoredRecord>, StorageError> {
    let value: Option<JsValue> = store.get(key.to_string()).primitive()?.await?;
    value.map(|v| from_js(&v)).transpose()
}

pub(crate) async fn put_stored(
    store: &ObjectStore<'_>,
    key: &str,
    record: &StoredRecord,
) -> Result<(), StorageError> {
    store.put(to_js(record)?).with_key(key.to_string()).await?;
    Ok(())
}

/// A change to validate before anything is written (number and stamp are
/// filled in inside the transaction).
fn draft(kind: RecordKind, id: Uuid, op: Op) -> Change {
    Change {
        schema: xianfeng_core::SCHEMA_VERSION,
        seq: 0,
        kind,
        id,
        hlc: Hlc::zero(DeviceId::from_u128(0)),
        op,
    }
}

impl Storage {
    /// Records a fact: validates it with core, then in ONE transaction
    /// writes the record, its outbox entry, the next `seq` and the clock.
    /// Recording the same fact again changes nothing (`Ok(None)`); the same
    /// id with other content is refused.
    pub async fn record_fact(
        &self,
        kind: RecordKind,
        id: Uuid,
        record: Value,
    ) -> Result<Option<Change>, StorageError> {
        let mut change = draft(kind, id, Op::Insert { record });
        check_change(&change).map_err(StorageError::Invalid)?;
        self.ready().await?;
        if let Some(last) = self.last_stamp.get() {
            if !self.store().has_fact(kind, id) && self.record_new_fact(&mut change, last).await? {
                return Ok(Some(change));
            }
        }
        let Op::Insert { record } = &change.op else {
            unreachable!("built as an insert above")
        };
        let tx = self.action_tx()?;
        let meta = tx.object_store(META)?;
        let records = tx.object_store(RECORDS)?;
        let outbox = tx.object_store(OUTBOX)?;
        let key = record_key(kind, id);
        // The careful way: the three reads go out together (one round
        // trip, not three), then the writes.
        let (existing, hlc, seq) = futures::join!(
            records.get(key).primitive()?,
            meta.get(key::HLC.to_string()).primitive()?,
            meta.get(key::NEXT_SEQ.to_string()).primitive()?,
        );
        let existing: Option<JsValue> = existing?;
        let (hlc, seq): (Option<String>, Option<String>) = (hlc?, seq?);
        let existing: Option<StoredRecord> = existing.map(|v| from_js(&v)).transpose()?;
        if existing.is_none() && self.store().has_fact(kind, id) {
            // Pulled from the server (kept in `pulled`): the phone has it.
            // Ids are made on phones (UUIDv7), so this is a retry of the
            // same fact, never another one.
            return Ok(None);
        }
        let stored = existing
            .as_ref()
            .and_then(|r| r.fact.as_ref())
            .map(xianfeng_core::sync::canonical_json);
        if fact_outcome(kind, id, stored.as_deref(), record).map_err(StorageError::Invalid)?
            == FactOutcome::Duplicate
        {
            return Ok(None);
        }
        let (hlc, seq) = next_stamp(hlc.as_deref(), seq.as_deref())?;
        change.seq = seq;
        change.hlc = hlc;
        queue_fact(&meta, &records, &outbox, &change)?;
        tx.commit().await?;
        self.last_stamp.set(Some((hlc, seq + 1)));
        if let Op::Insert { record } = &change.op {
            self.update_store(|s| s.put_fact(kind, id, record, false));
        }
        Ok(Some(change))
    }

    /// A tap's fast path: a new fact stamped from the clock and number this
    /// page wrote last (`last`), with its writes sent in the same breath as
    /// the reads that check the guess. Requests run in order, so the reads
    /// see the database before the writes: if the clock or the number moved
    /// (a sync observed a stamp, another tab wrote), the transaction is
    /// dropped unfinished (IndexedDB rolls it back: nothing written); if the
    /// fact or the number is there already, its `add` fails the
    /// transaction. Either way `false` sends the caller the careful way.
    /// One round trip instead of two, and never a guessed number.
    async fn record_new_fact(
        &self,
        change: &mut Change,
        (last_hlc, seq): (Hlc, u64),
    ) -> Result<bool, StorageError> {
        let (kind, id) = (change.kind, change.id);
        let tx = self.action_tx()?;
        let meta = tx.object_store(META)?;
        let records = tx.object_store(RECORDS)?;
        let outbox = tx.object_store(OUTBOX)?;
        let hlc_now = meta.get(key::HLC.to_string()).primitive()?;
        let seq_now = meta.get(key::NEXT_SEQ.to_string()).primitive()?;
        let last_text = serde_json::to_string(&last_hlc).map_err(super::json_err)?;
        let hlc = last_hlc.tick(now_ms());
        change.seq = seq;
        change.hlc = hlc;
        queue_fact(&meta, &records, &outbox, change)?;
        let (hlc_now, seq_now) = futures::join!(hlc_now, seq_now);
        let (hlc_now, seq_now): (Option<String>, Option<String>) = (hlc_now?, seq_now?);
        let as_guessed = hlc_now.as_deref() == Some(last_text.as_str())
            && seq_now.as_deref().map_or(Ok(1), super::parse::<u64>)? == seq;
        if !as_guessed {
            self.last_stamp.set(None);
            drop(tx); // unfinished: rolled back
            return Ok(false);
        }
        if tx.commit().await.is_err() {
            // A record or number already there: the careful way decides
            // (a duplicate, or a real failure it reports).
            self.last_stamp.set(None);
            return Ok(false);
        }
        self.last_stamp.set(Some((hlc, seq + 1)));
        let Op::Insert { record } = &change.op else {
            return Ok(true);
        };
        self.update_store(|s| s.put_fact(kind, id, record, false));
        Ok(true)
    }

    /// Sets fields of a mutable record (the first change of a new record
    /// sets them all). The merged record is validated with core before
    /// anything is written; then ONE transaction writes the outbox entry,
    /// the record's index fields, the next `seq` and the clock. The
    /// confirmed state is untouched: the edit shows on top of it until the
    /// server acknowledges it.
    pub async fn record_set(
        &self,
        kind: RecordKind,
        id: Uuid,
        fields: BTreeMap<String, Value>,
    ) -> Result<Change, StorageError> {
        let mut change = draft(kind, id, Op::Set { fields, seen: None });
        check_change(&change).map_err(StorageError::Invalid)?;
        let tx = self.begin_action().await?;
        let meta = tx.object_store(META)?;
        let records = tx.object_store(RECORDS)?;
        let outbox = tx.object_store(OUTBOX)?;
        let key = record_key(kind, id);
        let mut stored = get_stored(&records, &key)
            .await?
            .unwrap_or_else(|| StoredRecord::empty(kind, id));
        let mut pending = pending_for(&outbox, &index_key(kind, id)).await?;
        // What the editor saw: the confirmed state and its own unsent edits.
        let seen = stored
            .state
            .as_ref()
            .and_then(RecordState::newest)
            .into_iter()
            .chain(pending.iter().map(|c| c.hlc))
            .max();
        if let Op::Set { seen: s, .. } = &mut change.op {
            *s = seen;
        }
        stamp(&meta, &mut change).await?;
        pending.push(change.clone());
        validate_record(kind, &stored.display(&pending)).map_err(StorageError::Invalid)?;
        stored.refresh_parent(&pending);
        put_stored(&records, &key, &stored).await?;
        outbox::put(&outbox, &change).await?;
        tx.commit().await?;
        self.update_store(|s| {
            s.put_state(stored);
            s.set_pending(kind, id, pending);
        });
        Ok(change)
    }

    /// One record as shown, if the phone has it.
    pub async fn get(
        &self,
        kind: RecordKind,
        id: Uuid,
    ) -> Result<Option<RecordView>, StorageError> {
        let tx = self.db().transaction([RECORDS, OUTBOX]).build()?;
        let records = tx.object_store(RECORDS)?;
        let outbox = tx.object_store(OUTBOX)?;
        let Some(stored) = get_stored(&records, &record_key(kind, id)).await? else {
            return Ok(None);
        };
        let pending = pending_for(&outbox, &index_key(kind, id)).await?;
        Ok(Some(stored.view(&pending)))
    }

    /// Applies one pulled page in ONE transaction: drops (folds in) the
    /// outbox entries the server has processed, takes in each change
    /// (facts insert-if-absent, field edits merged into the confirmed
    /// state), lets the clock observe every remote stamp and saves the
    /// cursor. A change this build cannot read (e.g. a newer schema) is
    /// skipped, never stored.
    ///
    /// Why no reads per record: the store knows which facts the phone has
    /// and each mutable record's confirmed state and unsent edits, so the
    /// page becomes blind puts, sent to IndexedDB as one JSON array.
    pub async fn apply_pulled(&self, page: &PullResponse) -> Result<(), StorageError> {
        self.ready().await?;
        // An action's transaction: a full phone says so (StorageError::Full).
        let tx = super::tx::ActionTx(
            self.db()
                .transaction([META, RECORDS, OUTBOX, PULLED])
                .with_mode(TransactionMode::Readwrite)
                .build()?,
        );
        let meta = tx.object_store(META)?;
        let records = tx.object_store(RECORDS)?;
        let outbox = tx.object_store(OUTBOX)?;
        let acked = fold_acked(&records, &outbox, page.last_seq).await?;
        let plan = self.plan_pulled(page, &acked);
        let mut hlc: Option<Hlc> = meta_get(&meta, key::HLC).await?;
        let now = now_ms();
        for pulled in &page.changes {
            hlc = hlc.map(|h| h.observe(&pulled.change.hlc, now));
        }
        if !plan.fresh.is_empty() {
            // The page's new facts as one value: one write, not a thousand.
            let text = serde_json::to_string(&plan.fresh).map_err(super::json_err)?;
            tx.object_store(PULLED)?
                .put(text)
                .with_key(page.cursor as f64)
                .primitive()?;
        }
        let rows: Vec<&StoredRecord> = plan
            .facts
            .iter()
            .chain(plan.states.iter().map(|(stored, _)| stored))
            .collect();
        if !rows.is_empty() {
            let text = serde_json::to_string(&rows).map_err(super::json_err)?;
            let array: js_sys::Array = js_sys::JSON::parse(&text)
                .map_err(|_| StorageError::Db(String::from("JSON")))?
                .into();
            for (row, value) in rows.iter().zip(array.iter()) {
                // Not awaited one by one: the commit below fails if any did.
                records
                    .put(value)
                    .with_key(record_key(row.kind, row.id))
                    .primitive()?;
            }
        }
        if let Some(hlc) = hlc {
            meta_put(&meta, key::HLC, &hlc).await?;
        }
        let cursor: u64 = meta_get(&meta, key::CURSOR).await?.unwrap_or(0);
        meta_put(&meta, key::CURSOR, &cursor.max(page.cursor)).await?;
        tx.commit().await?;
        self.update_store(|s| {
            s.acknowledge(&acked);
            let facts = plan.fresh.iter().chain(&plan.facts);
            s.put_facts(
                facts.filter_map(|f| Some((f.kind, f.id, f.fact.as_ref()?))),
                true,
            );
            for (stored, pending) in plan.states {
                let (kind, id) = (stored.kind, stored.id);
                s.put_state(stored);
                s.set_pending(kind, id, pending);
            }
        });
        Ok(())
    }

    /// What a pulled page writes, worked out from the store: facts the
    /// phone lacks (or holds unconfirmed), and the new confirmed state of
    /// each mutable record it touches, with its unsent edits.
    fn plan_pulled(&self, page: &PullResponse, acked: &[Change]) -> PulledPlan {
        let store = self.store();
        let acked_seq = page.last_seq;
        let mut facts: Vec<StoredRecord> = Vec::new();
        let mut fresh: Vec<StoredRecord> = Vec::new();
        let mut seen: HashSet<(RecordKind, Uuid)> = HashSet::new();
        let mut states: HashMap<(RecordKind, Uuid), (StoredRecord, Vec<Change>)> = HashMap::new();
        let mut order: Vec<(RecordKind, Uuid)> = Vec::new();
        for pulled in &page.changes {
            let change = &pulled.change;
            if check_change(change).is_err() {
                continue;
            }
            let key = (change.kind, change.id);
            match &change.op {
                Op::Insert { record } => {
                    let just_acked = acked.iter().any(|c| c.kind == key.0 && c.id == key.1);
                    let known = store.has_fact(key.0, key.1);
                    let settled = known && (store.is_confirmed_fact(key.0, key.1) || just_acked);
                    if settled || !seen.insert(key) {
                        continue;
                    }
                    let mut stored = StoredRecord::empty(key.0, key.1);
                    stored.fact = Some(record.clone());
                    stored.confirmed = true;
                    if known {
                        // The phone's own, now confirmed: it stays in `records`.
                        stored.refresh_parent(&[]);
                        facts.push(stored);
                    } else {
                        fresh.push(stored);
                    }
                }
                Op::Set { .. } => {
                    let (stored, pending) = states.entry(key).or_insert_with(|| {
                        order.push(key);
                        let mut stored = store
                            .state_of(key.0, key.1)
                            .cloned()
                            .unwrap_or_else(|| StoredRecord::empty(key.0, key.1));
                        for c in acked.iter().filter(|c| c.kind == key.0 && c.id == key.1) {
                            stored.absorb(c);
                        }
                        let pending: Vec<Change> = store
                            .pending_of(key.0, key.1)
                            .iter()
                            .filter(|c| c.seq > acked_seq)
                            .cloned()
                            .collect();
                        (stored, pending)
                    });
                    stored.absorb(change);
                    stored.refresh_parent(pending);
                }
            }
        }
        PulledPlan {
            fresh,
            facts,
            states: order
                .into_iter()
                .filter_map(|k| states.remove(&k))
                .collect(),
        }
    }
}

/// See [`Storage::plan_pulled`].
struct PulledPlan {
    /// Facts the phone did not have: one `pulled` value.
    fresh: Vec<StoredRecord>,
    /// The phone's own facts, now confirmed (in `records`).
    facts: Vec<StoredRecord>,
    states: Vec<(StoredRecord, Vec<Change>)>,
}

/// Writes a stamped new fact, its outbox entry, the next `seq` and the
/// clock (inside the caller's transaction), not awaited one by one: the
/// commit fails if any write did. `add`, not `put`: a record already there
/// or a number already in the outbox fails the whole transaction.
fn queue_fact(
    meta: &ObjectStore<'_>,
    records: &ObjectStore<'_>,
    outbox: &ObjectStore<'_>,
    change: &Change,
) -> Result<(), StorageError> {
    let Op::Insert { record } = &change.op else {
        return Ok(());
    };
    let mut stored = StoredRecord::empty(change.kind, change.id);
    stored.fact = Some(record.clone());
    stored.refresh_parent(&[]);
    meta.put((change.seq + 1).to_string())
        .with_key(key::NEXT_SEQ.to_string())
        .primitive()?;
    meta.put(serde_json::to_string(&change.hlc).map_err(super::json_err)?)
        .with_key(key::HLC.to_string())
        .primitive()?;
    records
        .add(to_js(&stored)?)
        .with_key(record_key(change.kind, change.id))
        .primitive()?;
    outbox
        .add(to_js(change)?)
        .with_key(outbox::seq_key(change.seq))
        .primitive()?;
    Ok(())
}

/// The next `seq` and a fresh clock stamp, from the `meta` values' JSON
/// text. Refused before enrollment: the clock belongs to the enrolled
/// device.
fn next_stamp(hlc: Option<&str>, seq: Option<&str>) -> Result<(Hlc, u64), StorageError> {
    let hlc: Hlc = super::parse(hlc.ok_or(StorageError::NotEnrolled)?)?;
    let seq: u64 = seq.map(super::parse).transpose()?.unwrap_or(1);
    Ok((hlc.tick(now_ms()), seq))
}

/// Gives `change` the next `seq` and a fresh clock stamp, and saves both
/// (inside the caller's transaction). Refused before enrollment: the clock
/// belongs to the enrolled device.
pub(crate) async fn stamp(meta: &ObjectStore<'_>, change: &mut Change) -> Result<(), StorageError> {
    let hlc: Hlc = meta_get(meta, key::HLC)
        .await?
        .ok_or(StorageError::NotEnrolled)?;
    let seq: u64 = meta_get(meta, key::NEXT_SEQ).await?.unwrap_or(1);
    let hlc = hlc.tick(now_ms());
    change.seq = seq;
    change.hlc = hlc;
    meta_put(meta, key::NEXT_SEQ, &(seq + 1)).await?;
    meta_put(meta, key::HLC, &hlc).await?;
    Ok(())
}
