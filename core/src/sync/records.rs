//! Per-kind dispatch over the synced JSON: validate a record of any kind,
//! check a change's shape, and say where a record sits (for authorization).
//!
//! Why here: the server must refuse invalid or out-of-scope changes and the
//! phone must show the same; both call these functions, so the rules (the
//! record's own `validate()`, `Located`, and "a child sits with its
//! parent") are applied the same way on both sides.

use serde_json::Value;
use uuid::Uuid;

use super::change::{Change, Op};
use super::error::SyncError;
use super::typed::{fields_of, AnyRecord};
use crate::directory::Directory;
use crate::error::DomainError;
use crate::ids::{HouseholdId, MemberId};
use crate::schema::{RecordKind, SCHEMA_VERSION};
use crate::scope::{Located, Location};
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

/// Parses `value` as a record of `kind` (strictly: an unknown field is
/// refused) and validates it, its size included.
pub fn validate_record(kind: RecordKind, value: &Value) -> Result<(), SyncError> {
    AnyRecord::parse(kind, value).map(|_| ())
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
/// and (for facts) the record, which it returns parsed. A `Set` is
/// validated as a whole record by the holder after merging it
/// (`RecordState::value` → [`AnyRecord::parse`]); here its field names are
/// checked against the record's shape.
pub fn check_change(change: &Change) -> Result<Option<AnyRecord>, SyncError> {
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
            let parsed = AnyRecord::parse(kind, record)?;
            check_clean(kind, record.as_object().into_iter().flatten())?;
            Ok(Some(parsed))
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
                None => check_clean(kind, fields).map(|()| None),
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

/// Where a record of `kind` sits, from its JSON and what the holder knows
/// (parsed and validated first: [`AnyRecord::locate`] for a parsed one).
pub fn locate(
    kind: RecordKind,
    value: &Value,
    lookup: &impl PlacementLookup,
) -> Result<Location, SyncError> {
    AnyRecord::parse(kind, value)?.locate(lookup)
}

impl AnyRecord {
    /// Where this record sits, from what the holder knows.
    pub fn locate(&self, lookup: &impl PlacementLookup) -> Result<Location, SyncError> {
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
        let at_household =
            |member: MemberId, household: HouseholdId| -> Result<Location, SyncError> {
                let village = parent(RecordKind::Household, *household.as_uuid())?.village;
                Ok(dir.locate(Some(member), village))
            };
        Ok(match self {
            AnyRecord::Office(_)
            | AnyRecord::Rubric(_)
            | AnyRecord::StudySettings(_)
            | AnyRecord::TransitionChecklist(_) => Location::default(),
            AnyRecord::System(s) => Location {
                system: Some(s.id),
                ..Location::default()
            },
            AnyRecord::Unit(r) => r.location(dir),
            AnyRecord::Branch(r) => r.location(dir),
            AnyRecord::Village(r) => r.location(dir),
            AnyRecord::Member(r) => r.location(dir),
            AnyRecord::InspectionGroup(r) => r.location(dir),
            AnyRecord::Inspector(r) => r.location(dir),
            AnyRecord::SpotCheck(r) => r.location(dir),
            AnyRecord::Observation(r) => r.location(dir),
            AnyRecord::Post(r) => r.location(dir),
            AnyRecord::Commitment(r) => r.location(dir),
            AnyRecord::PublicReview(r) => parent(RecordKind::Post, *r.post.as_uuid())?,
            AnyRecord::PostCheck(r) => parent(RecordKind::Post, *r.post.as_uuid())?,
            AnyRecord::Household(r) => r.location(dir, lookup.paired_member(r.id)),
            AnyRecord::Pairing(r) => at_household(r.member, r.household)?,
            AnyRecord::Visit(r) => at_household(r.member, r.household)?,
            AnyRecord::SupportItem(r) => at_household(r.member, r.household)?,
            AnyRecord::Dispute(r) => r.location(dir),
            AnyRecord::SituationReport(r) => r.location(dir),
            AnyRecord::ReportReview(r) => parent(RecordKind::SituationReport, *r.report.as_uuid())?,
            AnyRecord::StudySession(r) => r.location(dir),
            AnyRecord::Attendance(r) => parent(RecordKind::StudySession, *r.session.as_uuid())?,
            AnyRecord::StudyDelivery(r) => parent(RecordKind::StudySession, *r.session.as_uuid())?,
            AnyRecord::Speech(r) => parent(RecordKind::StudySession, *r.session.as_uuid())?,
            AnyRecord::StudyCheck(r) => dir.member_location(r.member),
            AnyRecord::Suggestion(r) => dir.member_location(r.member),
            AnyRecord::TransitionReview(r) => r.location(dir),
            AnyRecord::TransitionSignOff(r) => {
                parent(RecordKind::TransitionReview, *r.review.as_uuid())?
            }
            AnyRecord::TransitionDecision(r) => {
                parent(RecordKind::TransitionReview, *r.review.as_uuid())?
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DeviceId, SystemId, UnitId};
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
            assert_eq!(
                check_change(&change).map(|_| ()).map_err(|e| e.code()),
                want,
                "{name}"
            );
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

    /// A lookup that knows one study session and one transition review.
    struct Parents(Directory, Vec<(RecordKind, Uuid, Location)>);
    impl PlacementLookup for Parents {
        fn directory(&self) -> &Directory {
            &self.0
        }
        fn location_of(&self, kind: RecordKind, id: Uuid) -> Option<Location> {
            self.1
                .iter()
                .find(|(k, i, _)| *k == kind && *i == id)
                .map(|(_, _, l)| *l)
        }
        fn paired_member(&self, _: HouseholdId) -> Option<MemberId> {
            None
        }
    }

    #[test]
    fn study_records_are_placed() {
        use crate::ids::BranchId;
        use crate::org::{Branch, Member, MemberStatus, PostType, Unit};
        let (s, u, b) = (
            SystemId::from_u128(1),
            UnitId::from_u128(2),
            BranchId::from_u128(3),
        );
        let m = MemberId::from_u128(4);
        let dir = Directory::new(
            &[Unit::new(u, s, "局").unwrap()],
            &[Branch::new(b, u, "支部").unwrap()],
            &[Member::new(m, "党员", b, PostType::Other, MemberStatus::InPost).unwrap()],
            &[],
        );
        let branch = dir.branch_location(b);
        let unit = dir.unit_location(u);
        let (session, review) = (Uuid::from_u128(10), Uuid::from_u128(11));
        let lookup = Parents(
            dir,
            vec![
                (RecordKind::StudySession, session, branch),
                (RecordKind::TransitionReview, review, unit),
            ],
        );
        let member = m.as_uuid();
        let checker = json!({"by": "member", "id": member});
        let cases = [
            (
                RecordKind::StudySession,
                json!({"id": session, "branch": b, "on": "2005-02-28", "hours": 40,
                       "kind": "collective", "topic": "学习党章"}),
                Ok(branch),
            ),
            (
                RecordKind::Attendance,
                json!({"id": Uuid::from_u128(20), "session": session, "member": member,
                       "status": "present"}),
                Ok(branch),
            ),
            (
                RecordKind::Attendance,
                json!({"id": Uuid::from_u128(21), "session": Uuid::from_u128(99),
                       "member": member, "status": "present"}),
                Err("unknown_parent"),
            ),
            (
                RecordKind::StudyDelivery,
                json!({"id": Uuid::from_u128(22), "session": session, "member": member,
                       "on": "2005-03-01", "method": "mailed"}),
                Ok(branch),
            ),
            (
                RecordKind::Speech,
                json!({"id": Uuid::from_u128(23), "session": session, "member": member}),
                Ok(branch),
            ),
            (
                RecordKind::StudyCheck,
                json!({"id": Uuid::from_u128(24), "member": member, "on": "2005-03-08",
                       "checker": checker, "content_done": true, "notes_chars": 0,
                       "reflection_chars": 0}),
                Ok(branch),
            ),
            (
                RecordKind::Suggestion,
                json!({"id": Uuid::from_u128(25), "member": member, "on": "2005-03-08",
                       "count": 1, "summary": "建议"}),
                Ok(branch),
            ),
            (
                RecordKind::TransitionReview,
                json!({"id": review, "unit": u, "checklist": Uuid::from_u128(1),
                       "inspector": Uuid::from_u128(5), "on": "2005-03-20",
                       "results": [{"met": true}]}),
                Ok(unit),
            ),
            (
                RecordKind::TransitionSignOff,
                json!({"id": Uuid::from_u128(26), "review": review,
                       "leader": Uuid::from_u128(5), "on": "2005-03-21"}),
                Ok(unit),
            ),
            (
                RecordKind::TransitionDecision,
                json!({"id": Uuid::from_u128(27), "review": review, "decided_by": checker,
                       "on": "2005-03-25", "outcome": {"kind": "approved"}}),
                Ok(unit),
            ),
            (
                RecordKind::TransitionChecklist,
                json!({"id": Uuid::from_u128(28), "version": 2, "created_on": "2005-03-01",
                       "points": ["一"]}),
                Ok(Location::default()),
            ),
        ];
        for (kind, record, want) in cases {
            let got = locate(kind, &record, &lookup).map_err(|e| e.code());
            assert_eq!(got, want, "{kind:?}");
        }
    }
}
