//! Per-kind dispatch over the synced JSON: validate a record of any kind,
//! check a change's shape, and say where a record sits (for authorization).
//!
//! Why here: the server must refuse invalid or out-of-scope changes and the
//! phone must show the same; both call these functions, so the rules (the
//! record's own `validate()`, `Located`, and "a child sits with its
//! parent") are applied the same way on both sides.

use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use super::change::{Change, Op};
use super::error::SyncError;
use crate::directory::Directory;
use crate::error::DomainError;
use crate::ids::{HouseholdId, MemberId, SystemId};
use crate::org::{Branch, InspectionGroup, Inspector, Member, Office, System, Unit, Village};
use crate::pairing::{
    Dispute, Household, Pairing, ReportReview, SituationReport, SupportItem, Visit,
};
use crate::posts::{rubric::Rubric, Commitment, Post, PostCheck, PublicReview};
use crate::schema::{json_error, Record, RecordKind, SCHEMA_VERSION};
use crate::scope::{Located, Location};
use crate::spotcheck::{Observation, SpotCheck};
use crate::validate::is_clean;

/// What the holder of the records (server database, phone storage) must
/// answer so a record can be placed.
pub trait PlacementLookup {
    /// The org directory built from the current org records.
    fn directory(&self) -> &Directory;
    /// Where an earlier record sits: children (reviews, checks, visits…)
    /// sit where their parent does.
    fn location_of(&self, kind: RecordKind, id: Uuid) -> Option<Location>;
    /// The member currently paired with a household, if any.
    fn paired_member(&self, household: HouseholdId) -> Option<MemberId>;
}

fn parse<T: Record + DeserializeOwned>(value: &Value) -> Result<T, SyncError> {
    let record: T = T::deserialize(value).map_err(json_error)?;
    record.validate()?;
    Ok(record)
}

/// Calls `$body` with `$T` bound to the record type of `$kind`.
macro_rules! with_record_type {
    ($kind:expr, $T:ident => $body:expr, summary => $summary:expr) => {
        match $kind {
            RecordKind::Office => {
                type $T = Office;
                $body
            }
            RecordKind::System => {
                type $T = System;
                $body
            }
            RecordKind::Unit => {
                type $T = Unit;
                $body
            }
            RecordKind::Branch => {
                type $T = Branch;
                $body
            }
            RecordKind::Village => {
                type $T = Village;
                $body
            }
            RecordKind::Member => {
                type $T = Member;
                $body
            }
            RecordKind::InspectionGroup => {
                type $T = InspectionGroup;
                $body
            }
            RecordKind::Inspector => {
                type $T = Inspector;
                $body
            }
            RecordKind::SpotCheck => {
                type $T = SpotCheck;
                $body
            }
            RecordKind::Observation => {
                type $T = Observation;
                $body
            }
            RecordKind::Post => {
                type $T = Post;
                $body
            }
            RecordKind::Commitment => {
                type $T = Commitment;
                $body
            }
            RecordKind::PublicReview => {
                type $T = PublicReview;
                $body
            }
            RecordKind::PostCheck => {
                type $T = PostCheck;
                $body
            }
            RecordKind::Rubric => {
                type $T = Rubric;
                $body
            }
            RecordKind::Household => {
                type $T = Household;
                $body
            }
            RecordKind::Pairing => {
                type $T = Pairing;
                $body
            }
            RecordKind::Visit => {
                type $T = Visit;
                $body
            }
            RecordKind::SupportItem => {
                type $T = SupportItem;
                $body
            }
            RecordKind::Dispute => {
                type $T = Dispute;
                $body
            }
            RecordKind::SituationReport => {
                type $T = SituationReport;
                $body
            }
            RecordKind::ReportReview => {
                type $T = ReportReview;
                $body
            }
            RecordKind::Summary => $summary,
        }
    };
}

/// The largest record, as JSON (bytes): well above any record whose texts
/// keep their own limits (a 20,000-character report is at most 80 KB),
/// so only a record padded out some other way meets it.
pub const MAX_RECORD_BYTES: usize = 128 * 1024;

/// Parses `value` as a record of `kind` (strictly: an unknown field is
/// refused) and validates it, its size included.
pub fn validate_record(kind: RecordKind, value: &Value) -> Result<(), SyncError> {
    with_record_type!(kind, T => parse::<T>(value).map(|_| ()),
        summary => Err(SyncError::NotSyncable { kind: kind.as_str() }))?;
    if json_len(value) > MAX_RECORD_BYTES {
        return Err(DomainError::RecordTooLarge {
            max: MAX_RECORD_BYTES,
        }
        .into());
    }
    Ok(())
}

/// The length of `value`'s JSON text, without building it.
fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 = self.0.saturating_add(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` to a counter cannot fail.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

/// Text arriving over sync must be as constructors store it (trimmed, in
/// NFC: `validate::is_clean`), at any depth, keys included, so that what
/// is stored and compared is exactly what was sent.
fn check_clean<'a>(
    kind: RecordKind,
    entries: impl IntoIterator<Item = (&'a String, &'a Value)>,
) -> Result<(), SyncError> {
    fn clean(value: &Value) -> bool {
        match value {
            Value::String(s) => is_clean(s),
            Value::Array(items) => items.iter().all(clean),
            Value::Object(map) => map.iter().all(|(k, v)| is_clean(k) && clean(v)),
            _ => true,
        }
    }
    for (name, value) in entries {
        if !is_clean(name) || !clean(value) {
            let known = fields_of(kind).iter().find(|f| **f == name.as_str());
            return Err(DomainError::NotNormalized {
                field: known.copied().unwrap_or("record"),
            }
            .into());
        }
    }
    Ok(())
}

/// Checks a change on its own: schema version, kind against operation, ids,
/// and (for facts) the record. A `Set` is validated as a whole record by
/// the holder after merging it (`RecordState::value` → [`validate_record`]);
/// here its field names are checked against the record's shape.
pub fn check_change(change: &Change) -> Result<(), SyncError> {
    if !(1..=SCHEMA_VERSION).contains(&change.schema) {
        return Err(crate::error::DomainError::UnsupportedSchema {
            found: change.schema,
            supported: SCHEMA_VERSION,
        }
        .into());
    }
    let kind = change.kind;
    if kind == RecordKind::Summary {
        return Err(SyncError::NotSyncable {
            kind: kind.as_str(),
        });
    }
    match (&change.op, kind.is_fact()) {
        (Op::Insert { record }, true) => {
            if record
                .get("id")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<Uuid>().ok())
                != Some(change.id)
            {
                return Err(SyncError::IdMismatch);
            }
            validate_record(kind, record)?;
            check_clean(kind, record.as_object().into_iter().flatten())
        }
        (Op::Set { fields, .. }, false) => {
            if fields.is_empty() {
                return Err(crate::error::DomainError::EmptyList { field: "fields" }.into());
            }
            match fields
                .keys()
                .find(|name| name.as_str() == "id" || !is_field_of(kind, name))
            {
                Some(name) => Err(SyncError::UnknownField {
                    kind: kind.as_str(),
                    field: name.clone(),
                }),
                None => check_clean(kind, fields),
            }
        }
        (op, _) => Err(SyncError::WrongOp {
            kind: kind.as_str(),
            op: op.name(),
        }),
    }
}

/// Whether `name` is a top-level field of records of `kind`. Learned from
/// the record type's own serde shape, so it can never drift from it.
fn is_field_of(kind: RecordKind, name: &str) -> bool {
    fields_of(kind).contains(&name)
}

fn fields_of(kind: RecordKind) -> &'static [&'static str] {
    with_record_type!(kind, T => serde_fields::<T>(), summary => &[])
}

/// The field names a struct's `Deserialize` accepts, as serde reports them.
fn serde_fields<T: DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Deserializer, Visitor};
    struct Probe(Option<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for &mut Probe {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("probe"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(de::Error::custom("probe"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut probe = Probe(None);
    let _ = T::deserialize(&mut probe);
    probe.0.unwrap_or(&[])
}

/// Where a record of `kind` sits, from its JSON and what the holder knows.
/// The value must already be valid ([`validate_record`]).
pub fn locate(
    kind: RecordKind,
    value: &Value,
    lookup: &impl PlacementLookup,
) -> Result<Location, SyncError> {
    let dir = lookup.directory();
    let parent = |kind: RecordKind, id: Uuid| {
        lookup
            .location_of(kind, id)
            .ok_or(SyncError::UnknownParent {
                kind: kind.as_str(),
                id: id.to_string(),
            })
    };
    // Household-linked facts: the acting member's placement plus the household's village.
    let at_household = |member: MemberId, household: HouseholdId| -> Result<Location, SyncError> {
        let village = parent(RecordKind::Household, *household.as_uuid())?.village;
        Ok(dir.locate(Some(member), village))
    };
    Ok(match kind {
        RecordKind::Office | RecordKind::Rubric => Location::default(),
        RecordKind::System => {
            let id: SystemId = parse::<System>(value)?.id;
            Location {
                system: Some(id),
                ..Location::default()
            }
        }
        RecordKind::Unit => parse::<Unit>(value)?.location(dir),
        RecordKind::Branch => parse::<Branch>(value)?.location(dir),
        RecordKind::Village => parse::<Village>(value)?.location(dir),
        RecordKind::Member => parse::<Member>(value)?.location(dir),
        RecordKind::InspectionGroup => parse::<InspectionGroup>(value)?.location(dir),
        RecordKind::Inspector => parse::<Inspector>(value)?.location(dir),
        RecordKind::SpotCheck => parse::<SpotCheck>(value)?.location(dir),
        RecordKind::Observation => parse::<Observation>(value)?.location(dir),
        RecordKind::Post => parse::<Post>(value)?.location(dir),
        RecordKind::Commitment => parse::<Commitment>(value)?.location(dir),
        RecordKind::PublicReview => parent(
            RecordKind::Post,
            *parse::<PublicReview>(value)?.post.as_uuid(),
        )?,
        RecordKind::PostCheck => {
            parent(RecordKind::Post, *parse::<PostCheck>(value)?.post.as_uuid())?
        }
        RecordKind::Household => {
            let household = parse::<Household>(value)?;
            household.location(dir, lookup.paired_member(household.id))
        }
        RecordKind::Pairing => {
            let p = parse::<Pairing>(value)?;
            at_household(p.member, p.household)?
        }
        RecordKind::Visit => {
            let v = parse::<Visit>(value)?;
            at_household(v.member, v.household)?
        }
        RecordKind::SupportItem => {
            let s = parse::<SupportItem>(value)?;
            at_household(s.member, s.household)?
        }
        RecordKind::Dispute => parse::<Dispute>(value)?.location(dir),
        RecordKind::SituationReport => parse::<SituationReport>(value)?.location(dir),
        RecordKind::ReportReview => parent(
            RecordKind::SituationReport,
            *parse::<ReportReview>(value)?.report.as_uuid(),
        )?,
        RecordKind::Summary => {
            return Err(SyncError::NotSyncable {
                kind: kind.as_str(),
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DeviceId, UnitId};
    use crate::sync::Hlc;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn change(kind: RecordKind, id: Uuid, op: Op) -> Change {
        Change {
            schema: 1,
            seq: 1,
            kind,
            id,
            hlc: Hlc::zero(DeviceId::from_u128(1)),
            op,
        }
    }

    #[test]
    fn field_names_come_from_the_record_types() {
        assert!(fields_of(RecordKind::Unit).contains(&"name"));
        assert!(fields_of(RecordKind::Household).contains(&"village"));
        assert!(!fields_of(RecordKind::Household).contains(&"nonsense"));
        // Every record has an id (each rubric version too); summaries are not records.
        let with_id = |k: &RecordKind| *k != RecordKind::Summary;
        for kind in RecordKind::ALL.into_iter().filter(with_id) {
            assert!(fields_of(kind).contains(&"id"), "{kind:?} has an id field");
        }
    }

    #[test]
    fn check_change_table() {
        let id = Uuid::from_u128(42);
        let set = |fields: Value| Op::Set {
            fields: serde_json::from_value::<BTreeMap<String, Value>>(fields).unwrap(),
            seen: None,
        };
        let cases = [
            (
                "unit fields",
                change(RecordKind::Unit, id, set(json!({"name": "市教育局"}))),
                Ok(()),
            ),
            (
                "unknown field",
                change(RecordKind::Unit, id, set(json!({"bogus": 1}))),
                Err("unknown_field"),
            ),
            (
                "id is not settable",
                change(RecordKind::Unit, id, set(json!({"id": "x"}))),
                Err("unknown_field"),
            ),
            (
                "empty set",
                change(RecordKind::Unit, id, set(json!({}))),
                Err("empty_list"),
            ),
            (
                "fact as set",
                change(RecordKind::Visit, id, set(json!({"note": "x"}))),
                Err("wrong_op"),
            ),
            (
                "record as insert",
                change(
                    RecordKind::Unit,
                    id,
                    Op::Insert {
                        record: json!({"id": id}),
                    },
                ),
                Err("wrong_op"),
            ),
            (
                "a rubric version is a fact",
                change(RecordKind::Rubric, id, set(json!({"min_reviews": 5}))),
                Err("wrong_op"),
            ),
            (
                "summary",
                change(RecordKind::Summary, id, Op::Insert { record: json!({}) }),
                Err("not_syncable"),
            ),
            (
                "id mismatch",
                change(
                    RecordKind::Visit,
                    id,
                    Op::Insert {
                        record: json!({"id": Uuid::from_u128(1)}),
                    },
                ),
                Err("id_mismatch"),
            ),
            (
                "invalid fact",
                change(
                    RecordKind::Visit,
                    id,
                    Op::Insert {
                        record: json!({"id": id}),
                    },
                ),
                Err("invalid_json"),
            ),
        ];
        for (name, change, want) in cases {
            assert_eq!(check_change(&change).map_err(|e| e.code()), want, "{name}");
        }
        let mut future = change(RecordKind::Unit, id, set(json!({"name": "x"})));
        future.schema = SCHEMA_VERSION + 1;
        assert_eq!(
            check_change(&future).unwrap_err().code(),
            "unsupported_schema"
        );
    }

    struct Lookup(Directory);
    impl PlacementLookup for Lookup {
        fn directory(&self) -> &Directory {
            &self.0
        }
        fn location_of(&self, _: RecordKind, _: Uuid) -> Option<Location> {
            None
        }
        fn paired_member(&self, _: HouseholdId) -> Option<MemberId> {
            None
        }
    }

    #[test]
    fn children_need_their_parent() {
        let lookup = Lookup(Directory::default());
        let review = json!({"id": Uuid::from_u128(1), "post": Uuid::from_u128(2), "on": "2026-11-20", "rating": 5});
        validate_record(RecordKind::PublicReview, &review).unwrap();
        assert_eq!(
            locate(RecordKind::PublicReview, &review, &lookup)
                .unwrap_err()
                .code(),
            "unknown_parent"
        );
        let unit = UnitId::from_u128(3);
        let system = SystemId::from_u128(4);
        let unit_json = json!({"id": unit, "system": system, "name": "市教育局"});
        validate_record(RecordKind::Unit, &unit_json).unwrap();
        let loc = locate(RecordKind::Unit, &unit_json, &lookup).unwrap();
        assert_eq!(loc.unit, Some(unit));
    }
}
