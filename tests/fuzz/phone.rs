//! The decoders the phone runs (core, natively): each record kind as it
//! arrives over sync or from storage (`check_change`, `validate_record`,
//! `locate`, `touches`, merge), the record envelope (`from_json`), the sync
//! messages a phone reads (pull pages, push answers, through
//! `ClientSync`), the roster CSV import, and the text and value parsers
//! behind forms. Properties: no panic; refusals carry known codes; what is
//! accepted reads back the same and holds only clean text.

use std::fmt::Debug;

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use uuid::Uuid;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::directory::Directory;
use xianfeng_core::ids::{HouseholdId, MemberId, UnitId};
use xianfeng_core::money::{Fen, Mu};
use xianfeng_core::org::*;
use xianfeng_core::pairing::*;
use xianfeng_core::posts::*;
use xianfeng_core::roster::parse_roster;
use xianfeng_core::spotcheck::{Observation, SpotCheck};
use xianfeng_core::study::{
    Attendance, Speech, StudyCheck, StudyDelivery, StudySession, StudySettings, Suggestion,
    TransitionChecklist, TransitionDecision, TransitionReview, TransitionSignOff,
};
use xianfeng_core::sync::{
    check_change, locate, plan_push, touches, validate_record, Change, ClientSync, Hlc, Op,
    PlacementLookup, PullResponse, PushRequest, PushResponse, RecordState, MAX_RECORD_BYTES,
};
use xianfeng_core::validate::{self, clean, is_clean};
use xianfeng_core::{from_json, to_json, DomainError, HalfYear, IsoWeek, Lang, Location, Record};
use xianfeng_core::{ids::DeviceId, RecordKind};

use crate::gen::{apply, apply_bytes, byte_edits, edits, json, text, ByteEdit, Edit};
use crate::oracle::{clean_text, known_code};
use crate::world::{as_change, examples, ids, Example};
use crate::Fuzz;

/// Where records sit, from the world's org records: what a phone knows.
struct Lookup {
    directory: Directory,
    known: Vec<Uuid>,
}

impl Lookup {
    fn new() -> Lookup {
        let all = examples();
        let of = |kind: RecordKind| -> Vec<Value> {
            all.iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.record.clone())
                .collect()
        };
        let units: Vec<Unit> = of(RecordKind::Unit)
            .into_iter()
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        let branches: Vec<Branch> = of(RecordKind::Branch)
            .into_iter()
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        let members: Vec<Member> = of(RecordKind::Member)
            .into_iter()
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        let groups: Vec<InspectionGroup> = of(RecordKind::InspectionGroup)
            .into_iter()
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        Lookup {
            directory: Directory::new(&units, &branches, &members, &groups),
            known: ids().iter().map(|s| s.parse().unwrap()).collect(),
        }
    }
}

impl PlacementLookup for Lookup {
    fn directory(&self) -> &Directory {
        &self.directory
    }
    fn location_of(&self, _: RecordKind, id: Uuid) -> Option<Location> {
        self.known.contains(&id).then(Location::default)
    }
    fn paired_member(&self, _: HouseholdId) -> Option<MemberId> {
        None
    }
}

fn known<T, E>(
    result: Result<T, E>,
    code: impl Fn(&E) -> &'static str,
) -> Result<Option<T>, String> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) => known_code(code(&e)).map(|()| None),
    }
}

/// Everything in `sent` is in `written` (the record read as its type and
/// written back), but for optional fields left at their default: an
/// accepted record carries no field its type does not have.
fn covered(sent: &Value, written: &Value, at: &str) -> Result<(), String> {
    match (sent, written) {
        (Value::Object(s), Value::Object(w)) => s.iter().try_for_each(|(k, v)| match w.get(k) {
            Some(wv) => covered(v, wv, &format!("{at}/{k}")),
            None if v.is_null() || v == "" => Ok(()),
            None => Err(format!("accepted with a field its type drops: {at}/{k}")),
        }),
        (Value::Array(s), Value::Array(w)) if s.len() == w.len() => s
            .iter()
            .zip(w)
            .enumerate()
            .try_for_each(|(i, (s, w))| covered(s, w, &format!("{at}/{i}"))),
        (s, w) if s == w => Ok(()),
        (s, w) => Err(format!("accepted {at} = {s} reads back as {w}")),
    }
}

/// Reads a valid record as its type, writes it back, reads it again: the
/// same record, still valid, and the same through the stored envelope.
fn typed<T: Record + Clone + PartialEq + Debug>(value: &Value) -> Result<(), String> {
    let first = T::deserialize(value).map_err(|e| format!("valid but unreadable: {e}"))?;
    let again = serde_json::to_value(&first).map_err(|e| e.to_string())?;
    covered(value, &again, "")?;
    validate_record(T::KIND, &again).map_err(|e| format!("written back invalid: {e}"))?;
    let second = T::deserialize(&again).map_err(|e| e.to_string())?;
    if first != second {
        return Err(format!("changed on a round trip: {first:?} / {second:?}"));
    }
    let stored = from_json::<T>(&to_json(&first)).map_err(|e| e.to_string())?;
    if stored != first {
        return Err("changed through the envelope".into());
    }
    Ok(())
}

/// An accepted record of `kind` reads back as its type with nothing lost
/// or added, and holds only clean text.
pub fn round_trip(kind: RecordKind, value: &Value) -> Result<(), String> {
    clean_text(value)?;
    use RecordKind as K;
    match kind {
        K::Office => typed::<Office>(value),
        K::System => typed::<System>(value),
        K::Unit => typed::<Unit>(value),
        K::Branch => typed::<Branch>(value),
        K::Village => typed::<Village>(value),
        K::Member => typed::<Member>(value),
        K::InspectionGroup => typed::<InspectionGroup>(value),
        K::Inspector => typed::<Inspector>(value),
        K::SpotCheck => typed::<SpotCheck>(value),
        K::Observation => typed::<Observation>(value),
        K::Post => typed::<Post>(value),
        K::Commitment => typed::<Commitment>(value),
        K::PublicReview => typed::<PublicReview>(value),
        K::PostCheck => typed::<PostCheck>(value),
        K::Rubric => typed::<Rubric>(value),
        K::Household => typed::<Household>(value),
        K::Pairing => typed::<Pairing>(value),
        K::Visit => typed::<Visit>(value),
        K::SupportItem => typed::<SupportItem>(value),
        K::Dispute => typed::<Dispute>(value),
        K::SituationReport => typed::<SituationReport>(value),
        K::ReportReview => typed::<ReportReview>(value),
        K::StudySession => typed::<StudySession>(value),
        K::Attendance => typed::<Attendance>(value),
        K::StudyDelivery => typed::<StudyDelivery>(value),
        K::StudyCheck => typed::<StudyCheck>(value),
        K::Suggestion => typed::<Suggestion>(value),
        K::Speech => typed::<Speech>(value),
        K::StudySettings => typed::<StudySettings>(value),
        K::TransitionChecklist => typed::<TransitionChecklist>(value),
        K::TransitionReview => typed::<TransitionReview>(value),
        K::TransitionSignOff => typed::<TransitionSignOff>(value),
        K::TransitionDecision => typed::<TransitionDecision>(value),
        K::Summary => Ok(()),
    }
}

fn envelope(kind: RecordKind, text: &str) -> Result<(), String> {
    fn read<T: Record + DeserializeOwned>(text: &str) -> Result<(), String> {
        known(from_json::<T>(text), DomainError::code).map(|_| ())
    }
    use RecordKind as K;
    match kind {
        K::Office => read::<Office>(text),
        K::System => read::<System>(text),
        K::Unit => read::<Unit>(text),
        K::Branch => read::<Branch>(text),
        K::Village => read::<Village>(text),
        K::Member => read::<Member>(text),
        K::InspectionGroup => read::<InspectionGroup>(text),
        K::Inspector => read::<Inspector>(text),
        K::SpotCheck => read::<SpotCheck>(text),
        K::Observation => read::<Observation>(text),
        K::Post => read::<Post>(text),
        K::Commitment => read::<Commitment>(text),
        K::PublicReview => read::<PublicReview>(text),
        K::PostCheck => read::<PostCheck>(text),
        K::Rubric => read::<Rubric>(text),
        K::Household => read::<Household>(text),
        K::Pairing => read::<Pairing>(text),
        K::Visit => read::<Visit>(text),
        K::SupportItem => read::<SupportItem>(text),
        K::Dispute => read::<Dispute>(text),
        K::SituationReport => read::<SituationReport>(text),
        K::ReportReview => read::<ReportReview>(text),
        K::StudySession => read::<StudySession>(text),
        K::Attendance => read::<Attendance>(text),
        K::StudyDelivery => read::<StudyDelivery>(text),
        K::StudyCheck => read::<StudyCheck>(text),
        K::Suggestion => read::<Suggestion>(text),
        K::Speech => read::<Speech>(text),
        K::StudySettings => read::<StudySettings>(text),
        K::TransitionChecklist => read::<TransitionChecklist>(text),
        K::TransitionReview => read::<TransitionReview>(text),
        K::TransitionSignOff => read::<TransitionSignOff>(text),
        K::TransitionDecision => read::<TransitionDecision>(text),
        K::Summary => Ok(()),
    }
}

/// A record of `kind` as it arrives: as a change (insert or first set),
/// validated, placed, merged; accepted ones read back the same.
fn check_record(kind: RecordKind, value: &Value, lookup: &Lookup) -> Result<(), String> {
    let id = value
        .get("id")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<Uuid>().ok())
        .unwrap_or_else(Uuid::nil);
    let op = if kind.is_fact() {
        Op::Insert {
            record: value.clone(),
        }
    } else {
        let mut fields = value.as_object().cloned().unwrap_or_default();
        fields.remove("id");
        Op::Set {
            fields: fields.into_iter().collect(),
            seen: None,
        }
    };
    let change = Change {
        schema: 1,
        seq: 1,
        kind,
        id,
        hlc: Hlc::zero(DeviceId::from_u128(1)),
        op,
    };
    let arrived = known(check_change(&change), |e| e.code())?.is_some();
    let valid = known(validate_record(kind, value), |e| e.code())?.is_some();
    known(locate(kind, value, lookup), |e| e.code())?;
    let _ = touches(kind, Some(value), value);
    let mut state = RecordState::default();
    let _ = state.apply(&change);
    let _ = state.overlay(id, [&change]);
    if arrived && valid {
        round_trip(kind, value)?;
        if value.to_string().len() > MAX_RECORD_BYTES {
            return Err("a record over the size limit was accepted".into());
        }
    }
    Ok(())
}

#[derive(Clone, Debug)]
enum RecordCase {
    Mutated(usize, Vec<Edit>),
    Scratch(usize, Value),
}

#[derive(Clone, Debug)]
enum Message {
    Pull(Value),
    Push(Value),
    Answer(Value),
    Bytes(usize, Vec<ByteEdit>),
}

const ROSTERS: &[&str] = &[
    "姓名,支部,岗位类型,状态\n王秀茗,机关支部,管理岗位,在岗\n李梅,机关支部,leadership,frail\n",
    "\u{feff}name,branch,post_type\n刘林恒,第二支部,研究生\n\n张三,第二支部,Retired\n",
    "岗位类型,姓名,支部\n其他,\"赵, 六\",\"支部\n一\"\n",
];

#[derive(Clone, Debug)]
enum RosterCase {
    Bytes(usize, Vec<ByteEdit>),
    Cells(usize, Vec<(usize, String)>),
    Scratch(String),
}

fn check_roster(text: &str) -> Result<(), String> {
    let Some(preview) = known(parse_roster(text), DomainError::code)? else {
        return Ok(());
    };
    for row in &preview.rows {
        for name in [&row.name, &row.branch] {
            validate::name("name", name).map_err(|e| format!("row {name:?}: {e}"))?;
            clean_text(&json!(name))?;
        }
    }
    for error in &preview.errors {
        known_code(error.error.code())?;
    }
    let mut n = 0u128;
    let (branches, members) = preview
        .into_records(UnitId::from_u128(1), &[], || {
            n += 1;
            Uuid::from_u128(n)
        })
        .map_err(|e| format!("valid rows, invalid records: {e}"))?;
    for branch in &branches {
        branch.validate().map_err(|e| e.to_string())?;
    }
    for member in &members {
        member.validate().map_err(|e| e.to_string())?;
        clean_text(&serde_json::to_value(member).unwrap())?;
    }
    Ok(())
}

fn check_text(s: &str) -> Result<(), String> {
    let cleaned = clean(s);
    if !is_clean(&cleaned) || clean(cleaned.as_str()) != cleaned {
        return Err(format!("clean({s:?}) = {cleaned:?} is not clean"));
    }
    known(validate::name("name", &cleaned), DomainError::code)?;
    known(validate::text("note", &cleaned, 2_000), DomainError::code)?;
    known(Fen::parse_yuan(s), DomainError::code)?;
    known(Mu::parse_mu(s), DomainError::code)?;
    known(parse_date("on", s), DomainError::code)?;
    known(s.parse::<IsoWeek>(), DomainError::code)?;
    known(s.parse::<HalfYear>(), DomainError::code)?;
    known(s.parse::<PostType>(), DomainError::code)?;
    known(s.parse::<MemberStatus>(), DomainError::code)?;
    known(s.parse::<PovertyCause>(), DomainError::code)?;
    known(s.parse::<MemberId>(), DomainError::code)?;
    let _ = Lang::from_tag(s);
    Ok(())
}

fn check_message(message: &[u8]) -> Result<(), String> {
    if let Ok(page) = serde_json::from_slice::<PullResponse>(message) {
        let mut sync = ClientSync::new(0);
        let _ = sync.next(&[]);
        let _ = sync.on_pull(&page);
        let mut state = RecordState::default();
        for server_change in &page.changes {
            known(check_change(&server_change.change), |e| e.code())?;
            let _ = state.apply(&server_change.change);
        }
        let _ = state.value(Uuid::nil());
    }
    if let Ok(request) = serde_json::from_slice::<PushRequest>(message) {
        known(plan_push(0, &request.changes), |e| e.code())?;
        let mut sync = ClientSync::new(0);
        let _ = sync.next(&request.changes);
        for change in &request.changes {
            known(check_change(change), |e| e.code())?;
        }
    }
    if let Ok(answer) = serde_json::from_slice::<PushResponse>(message) {
        let mut sync = ClientSync::new(0).with_batch(usize::MAX);
        let _ = sync.next(&[]);
        let _ = sync.on_push(&answer);
    }
    Ok(())
}

pub fn run(fuzz: &mut Fuzz) {
    let world = examples();
    let lookup = Lookup::new();
    let pool = ids();
    let kinds: Vec<RecordKind> = RecordKind::ALL.to_vec();

    let n = world.len();
    let strategy = prop_oneof![
        3 => (0..n, edits(pool.clone())).prop_map(|(i, e)| RecordCase::Mutated(i, e)),
        1 => (0..kinds.len(), json(pool.clone())).prop_map(|(k, v)| RecordCase::Scratch(k, v)),
    ];
    fuzz.run("record", 2_000, strategy, |case| match case {
        RecordCase::Mutated(i, e) => {
            check_record(world[*i].kind, &apply(&world[*i].record, e), &lookup)
        }
        RecordCase::Scratch(k, v) => check_record(kinds[*k], v, &lookup),
    });

    let strategy = (0..n, byte_edits());
    fuzz.run("envelope", 1_000, strategy, |(i, e)| {
        let Example { kind, record } = &world[*i];
        let text = json!({"schema": 1, "kind": kind, "record": record}).to_string();
        let bytes = apply_bytes(text.into_bytes(), e);
        envelope(*kind, &String::from_utf8_lossy(&bytes))
    });

    let page = json!({"changes": world.iter().enumerate().map(|(i, e)| json!({
        "server_seq": i + 1, "device": "01930000-0000-7000-8000-0000000000ff",
        "change": {"seq": i + 1, "schema": 1, "kind": e.kind, "id": e.record["id"],
                   "hlc": {"wall": 1, "counter": 0, "device": "01930000-0000-7000-8000-0000000000ff"},
                   "op": if e.kind.is_fact() { "insert" } else { "set" },
                   "record": e.record}})).collect::<Vec<_>>(),
        "cursor": 30, "more": false, "last_seq": 0});
    let push = json!({"changes": world.iter().enumerate().map(|(i, e)| {
        let mut c = as_change(e, 1, "01930000-0000-7000-8000-0000000000ff");
        c["seq"] = json!(i + 1);
        c
    }).collect::<Vec<_>>()});
    let answer = json!({"last_seq": 3, "server_time_ms": 1_700_000_000_000u64});
    let seeds = [page, push, answer];
    let strategy = prop_oneof![
        2 => edits(pool.clone()).prop_map({ let s = seeds[0].clone(); move |e| Message::Pull(apply(&s, &e)) }),
        2 => edits(pool.clone()).prop_map({ let s = seeds[1].clone(); move |e| Message::Push(apply(&s, &e)) }),
        1 => edits(pool.clone()).prop_map({ let s = seeds[2].clone(); move |e| Message::Answer(apply(&s, &e)) }),
        1 => (0..3usize, byte_edits()).prop_map(|(i, e)| Message::Bytes(i, e)),
        1 => json(pool.clone()).prop_map(Message::Pull),
    ];
    fuzz.run("sync_messages", 400, strategy, |m| match m {
        Message::Pull(v) | Message::Push(v) | Message::Answer(v) => {
            check_message(v.to_string().as_bytes())
        }
        Message::Bytes(i, e) => check_message(&apply_bytes(seeds[*i].to_string().into_bytes(), e)),
    });

    let strategy = prop_oneof![
        2 => (0..ROSTERS.len(), byte_edits()).prop_map(|(i, e)| RosterCase::Bytes(i, e)),
        2 => (0..ROSTERS.len(), prop::collection::vec((any::<usize>(), text(Vec::new())), 1..4))
            .prop_map(|(i, c)| RosterCase::Cells(i, c)),
        1 => any::<String>().prop_map(RosterCase::Scratch),
    ];
    fuzz.run("roster", 1_000, strategy, |case| match case {
        RosterCase::Bytes(i, e) => check_roster(&String::from_utf8_lossy(&apply_bytes(
            ROSTERS[*i].as_bytes().to_vec(),
            e,
        ))),
        RosterCase::Cells(i, cells) => {
            let mut parts: Vec<String> = ROSTERS[*i].split(',').map(str::to_owned).collect();
            for (at, text) in cells {
                let n = parts.len();
                parts[at % n] = text.clone();
            }
            check_roster(&parts.join(","))
        }
        RosterCase::Scratch(s) => check_roster(s),
    });

    let strategy = prop_oneof![text(pool), any::<String>()];
    fuzz.run("text", 2_000, strategy, |s| check_text(s));
}

pub fn replay_record(input: &[u8]) -> Result<(), String> {
    let case: Value = serde_json::from_slice(input).map_err(|e| e.to_string())?;
    let kind: RecordKind =
        serde_json::from_value(case["kind"].clone()).map_err(|e| e.to_string())?;
    check_record(kind, &case["record"], &Lookup::new())
}

pub fn replay_roster(input: &[u8]) -> Result<(), String> {
    check_roster(&String::from_utf8_lossy(input))
}

pub fn replay_text(input: &[u8]) -> Result<(), String> {
    check_text(&String::from_utf8_lossy(input))
}
