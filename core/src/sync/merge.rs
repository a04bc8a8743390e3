//! Merging: facts are insert-once; mutable records are last-writer-wins per
//! field by [`Hlc`], and a value that loses to a concurrent edit becomes a
//! [`Conflict`] (kept for the office, not dropped).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::change::{canonical_json, Change, Op};
use super::error::SyncError;
use super::hlc::Hlc;
use crate::schema::RecordKind;

/// What happens to an incoming fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactOutcome {
    /// Not seen before: store it.
    New,
    /// Seen with the same content: a replay, nothing to do.
    Duplicate,
}

/// Insert-once: compares the incoming fact with the stored one (if any) by
/// canonical JSON. Different content under the same id is refused.
pub fn fact_outcome(
    kind: RecordKind,
    id: Uuid,
    stored_canonical: Option<&str>,
    incoming: &Value,
) -> Result<FactOutcome, SyncError> {
    match stored_canonical {
        None => Ok(FactOutcome::New),
        Some(stored) if stored == canonical_json(incoming) => Ok(FactOutcome::Duplicate),
        Some(_) => Err(SyncError::FactConflict {
            kind: kind.as_str(),
            id: id.to_string(),
        }),
    }
}

/// One field's value and the stamp of the edit that wrote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldVersion {
    pub value: Value,
    pub hlc: Hlc,
}

/// A value that lost to a concurrent edit, for the office's conflict list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: RecordKind,
    pub id: Uuid,
    pub field: String,
    pub winner: FieldVersion,
    pub loser: FieldVersion,
}

/// The decision for one incoming field value.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldMerge {
    /// Store the incoming value (it is newer).
    pub take: bool,
    /// The value that lost to a concurrent edit, if the two disagree.
    pub loser: Option<FieldVersion>,
}

/// Last-writer-wins for one field. `seen` is the newest stamp of the record
/// the editor had seen: a stored value stamped after it was written
/// concurrently, so if the values differ the one that loses is a conflict.
/// Replays (same stamp) change nothing.
pub fn merge_field(
    current: Option<&FieldVersion>,
    incoming: &FieldVersion,
    seen: Option<Hlc>,
) -> FieldMerge {
    let Some(current) = current else {
        return FieldMerge {
            take: true,
            loser: None,
        };
    };
    if incoming.hlc == current.hlc {
        return FieldMerge {
            take: false,
            loser: None,
        };
    }
    let differ = incoming.value != current.value;
    if incoming.hlc > current.hlc {
        let concurrent = seen.is_none_or(|s| current.hlc > s);
        FieldMerge {
            take: true,
            loser: (differ && concurrent).then(|| current.clone()),
        }
    } else {
        FieldMerge {
            take: false,
            loser: differ.then(|| incoming.clone()),
        }
    }
}

/// A mutable record as a set of field versions: what the server stores and
/// what a phone holds as confirmed by the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordState {
    pub fields: BTreeMap<String, FieldVersion>,
}

impl RecordState {
    /// Applies a `Set` change by the merge rule; returns the conflicts it made.
    /// Non-`Set` changes are ignored (facts are never merged).
    pub fn apply(&mut self, change: &Change) -> Vec<Conflict> {
        let Op::Set { fields, seen } = &change.op else {
            return Vec::new();
        };
        let mut conflicts = Vec::new();
        for (name, value) in fields {
            let incoming = FieldVersion {
                value: value.clone(),
                hlc: change.hlc,
            };
            let merge = merge_field(self.fields.get(name), &incoming, *seen);
            let winner = if merge.take {
                incoming.clone()
            } else {
                self.fields[name].clone()
            };
            if let Some(loser) = merge.loser {
                conflicts.push(Conflict {
                    kind: change.kind,
                    id: change.id,
                    field: name.clone(),
                    winner,
                    loser,
                });
            }
            if merge.take {
                self.fields.insert(name.clone(), incoming);
            }
        }
        conflicts
    }

    /// The newest stamp in the record: what an editor "saw" (for `seen`).
    pub fn newest(&self) -> Option<Hlc> {
        self.fields.values().map(|f| f.hlc).max()
    }

    /// The record as JSON (`id` plus every field).
    pub fn value(&self, id: Uuid) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("id".into(), Value::String(id.to_string()));
        for (name, field) in &self.fields {
            map.insert(name.clone(), field.value.clone());
        }
        Value::Object(map)
    }

    /// What the phone shows: the confirmed record with its own unsent
    /// edits on top, in the order they were made.
    pub fn overlay<'a>(&self, id: Uuid, pending: impl IntoIterator<Item = &'a Change>) -> Value {
        let mut value = self.value(id);
        let map = value.as_object_mut().expect("value() is an object");
        let mut pending: Vec<&Change> = pending.into_iter().filter(|c| c.id == id).collect();
        pending.sort_by_key(|c| c.seq);
        for change in pending {
            if let Op::Set { fields, .. } = &change.op {
                for (name, v) in fields {
                    map.insert(name.clone(), v.clone());
                }
            }
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use proptest::prelude::*;
    use serde_json::json;

    fn hlc(wall: u64, device: u128) -> Hlc {
        Hlc {
            wall,
            counter: 0,
            device: DeviceId::from_u128(device),
        }
    }

    fn fv(value: Value, wall: u64, device: u128) -> FieldVersion {
        FieldVersion {
            value,
            hlc: hlc(wall, device),
        }
    }

    #[test]
    fn merge_field_table() {
        let cur = fv(json!("甲"), 100, 1);
        // (incoming, seen, take, loser is current?, loser is incoming?)
        let cases = [
            (
                "newer, saw current",
                fv(json!("乙"), 200, 2),
                Some(hlc(100, 1)),
                true,
                false,
                false,
            ),
            (
                "newer, concurrent, differs",
                fv(json!("乙"), 200, 2),
                Some(hlc(50, 1)),
                true,
                true,
                false,
            ),
            (
                "newer, concurrent, same value",
                fv(json!("甲"), 200, 2),
                Some(hlc(50, 1)),
                true,
                false,
                false,
            ),
            (
                "older, differs",
                fv(json!("乙"), 50, 2),
                None,
                false,
                false,
                true,
            ),
            (
                "older, same value",
                fv(json!("甲"), 50, 2),
                None,
                false,
                false,
                false,
            ),
            (
                "replay",
                fv(json!("甲"), 100, 1),
                Some(hlc(100, 1)),
                false,
                false,
                false,
            ),
            (
                "same wall, higher device wins",
                fv(json!("乙"), 100, 2),
                None,
                true,
                true,
                false,
            ),
        ];
        for (name, incoming, seen, take, loses_current, loses_incoming) in cases {
            let m = merge_field(Some(&cur), &incoming, seen);
            assert_eq!(m.take, take, "{name}");
            assert_eq!(m.loser.as_ref() == Some(&cur), loses_current, "{name}");
            assert_eq!(
                m.loser.as_ref() == Some(&incoming),
                loses_incoming,
                "{name}"
            );
        }
        assert_eq!(
            merge_field(None, &cur, None),
            FieldMerge {
                take: true,
                loser: None
            }
        );
    }

    #[test]
    fn facts_are_insert_once() {
        let id = Uuid::from_u128(9);
        let rec = json!({"id": id, "a": 1, "b": 2});
        let stored = canonical_json(&json!({"b": 2, "a": 1, "id": id}));
        assert_eq!(
            fact_outcome(RecordKind::Visit, id, None, &rec),
            Ok(FactOutcome::New)
        );
        assert_eq!(
            fact_outcome(RecordKind::Visit, id, Some(&stored), &rec),
            Ok(FactOutcome::Duplicate)
        );
        let err = fact_outcome(
            RecordKind::Visit,
            id,
            Some(&stored),
            &json!({"id": id, "a": 2}),
        )
        .unwrap_err();
        assert_eq!(err.code(), "fact_conflict");
    }

    fn set(
        seq: u64,
        wall: u64,
        device: u128,
        field: &str,
        value: Value,
        seen: Option<Hlc>,
    ) -> Change {
        Change {
            schema: 1,
            seq,
            kind: RecordKind::Household,
            id: Uuid::from_u128(1),
            hlc: hlc(wall, device),
            op: Op::Set {
                fields: BTreeMap::from([(field.to_string(), value)]),
                seen,
            },
        }
    }

    #[test]
    fn two_editors_of_different_fields_both_survive() {
        let base = set(1, 10, 1, "head", json!("张三"), None);
        let mut state = RecordState::default();
        state.apply(&base);
        let a = set(2, 20, 1, "size", json!(4), Some(hlc(10, 1)));
        let b = set(1, 21, 2, "contact", json!("138****"), Some(hlc(10, 1)));
        assert!(state.apply(&a).is_empty());
        assert!(state.apply(&b).is_empty());
        let v = state.value(Uuid::from_u128(1));
        assert_eq!(
            (v["head"].clone(), v["size"].clone(), v["contact"].clone()),
            (json!("张三"), json!(4), json!("138****"))
        );
    }

    #[test]
    fn a_real_conflict_keeps_the_loser() {
        let mut state = RecordState::default();
        state.apply(&set(1, 10, 1, "size", json!(3), None));
        let a = set(2, 20, 1, "size", json!(4), Some(hlc(10, 1)));
        let b = set(1, 30, 2, "size", json!(5), Some(hlc(10, 1)));
        assert!(state.apply(&a).is_empty());
        let conflicts = state.apply(&b);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].winner.value, json!(5));
        assert_eq!(conflicts[0].loser.value, json!(4));
    }

    #[test]
    fn overlay_shows_unsent_edits_on_top() {
        let mut state = RecordState::default();
        state.apply(&set(1, 10, 1, "size", json!(3), None));
        let pending = [
            set(3, 5, 1, "size", json!(6), None),
            set(2, 5, 1, "size", json!(5), None),
        ];
        assert_eq!(
            state.overlay(Uuid::from_u128(1), &pending)["size"],
            json!(6)
        );
    }

    proptest! {
        /// Any arrival order of the same set of edits gives the same record.
        #[test]
        fn merge_is_order_independent(edits in proptest::collection::vec((0u64..50, 1u128..4, 0i64..5, 0usize..3), 1..20), seed in any::<u64>()) {
            let names = ["head", "size", "contact"];
            let changes: Vec<Change> = edits.iter().enumerate()
                .map(|(i, &(wall, dev, v, f))| {
                    let mut c = set(i as u64 + 1, wall, dev, names[f], json!(v), None);
                    c.hlc.counter = i as u32; // distinct stamps, as real clocks give
                    c
                })
                .collect();
            let mut forward = RecordState::default();
            for c in &changes { forward.apply(c); }
            let mut shuffled = changes.clone();
            let mut s = seed | 1;
            for i in (1..shuffled.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                shuffled.swap(i, (s % (i as u64 + 1)) as usize);
            }
            let mut other = RecordState::default();
            for c in &shuffled { other.apply(c); }
            prop_assert_eq!(forward, other);
        }
    }
}
