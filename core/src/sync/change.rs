//! One change a device makes: a fact inserted, or fields of a mutable
//! record set. This is the unit of the outbox, of a push and of the log.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use uuid::Uuid;

use super::hlc::Hlc;
use crate::schema::{RecordKind, SCHEMA_VERSION};

/// A numbered change from one device.
///
/// JSON: `{"schema":1,"seq":7,"kind":"observation","id":"…","hlc":{…},"op":"insert","record":{…}}`
/// or `{…,"op":"set","fields":{"name":"…"},"seen":{…}}`: one flat object,
/// read and written through [`ChangeWire`] (see there why).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(try_from = "ChangeWire")]
pub struct Change {
    /// The JSON schema version of `record` / `fields`.
    pub schema: u32,
    /// The device's own running number: 1, 2, 3…
    pub seq: u64,
    pub kind: RecordKind,
    /// The record's id (made on the device).
    pub id: Uuid,
    /// When it was made, by the device's hybrid logical clock.
    pub hlc: Hlc,
    pub op: Op,
}

fn schema_version() -> u32 {
    SCHEMA_VERSION
}

/// What a change does.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Insert an immutable fact (the whole record, without envelope).
    Insert { record: Value },
    /// Set fields of a mutable record; the first change of a record sets them all.
    Set {
        fields: BTreeMap<String, Value>,
        /// The newest stamp of the record the editor saw (none for a new record).
        /// An existing value stamped after it was edited concurrently: a conflict.
        seen: Option<Hlc>,
    },
}

/// A change's JSON as one flat struct. Serde's `flatten` and internally
/// tagged enums (`#[serde(tag = "op")]`), which this shape once used,
/// buffer every value through serde's `Content` first: each change of a
/// push was built twice, and both the server and the phone carried the
/// extra code. Unknown keys are ignored, as they were.
#[derive(Deserialize)]
struct ChangeWire {
    #[serde(default = "schema_version")]
    schema: u32,
    seq: u64,
    kind: RecordKind,
    id: Uuid,
    hlc: Hlc,
    op: OpName,
    #[serde(default)]
    record: Option<Value>,
    #[serde(default)]
    fields: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    seen: Option<Hlc>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum OpName {
    Insert,
    Set,
}

impl TryFrom<ChangeWire> for Change {
    type Error = &'static str;

    fn try_from(wire: ChangeWire) -> Result<Change, Self::Error> {
        let op = match (wire.op, wire.record, wire.fields) {
            (OpName::Insert, Some(record), _) => Op::Insert { record },
            (OpName::Insert, None, _) => return Err("missing field `record`"),
            (OpName::Set, _, Some(fields)) => Op::Set {
                fields,
                seen: wire.seen,
            },
            (OpName::Set, _, None) => return Err("missing field `fields`"),
        };
        Ok(Change {
            schema: wire.schema,
            seq: wire.seq,
            kind: wire.kind,
            id: wire.id,
            hlc: wire.hlc,
            op,
        })
    }
}

impl Serialize for Change {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Change", 8)?;
        out.serialize_field("schema", &self.schema)?;
        out.serialize_field("seq", &self.seq)?;
        out.serialize_field("kind", &self.kind)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("hlc", &self.hlc)?;
        out.serialize_field("op", self.op.name())?;
        match &self.op {
            Op::Insert { record } => out.serialize_field("record", record)?,
            Op::Set { fields, seen } => {
                out.serialize_field("fields", fields)?;
                match seen {
                    Some(seen) => out.serialize_field("seen", seen)?,
                    None => out.skip_field("seen")?,
                }
            }
        }
        out.end()
    }
}

impl Op {
    pub fn name(&self) -> &'static str {
        match self {
            Op::Insert { .. } => "insert",
            Op::Set { .. } => "set",
        }
    }
}

/// JSON with object keys sorted at every level: equal values, equal text.
/// Used to compare facts, whatever order a serialiser wrote keys in.
pub fn canonical_json(value: &Value) -> String {
    /// `value`, serialised with each object's keys in order (without
    /// copying it: a push canonicalises every fact it stores).
    struct Sorted<'a>(&'a Value);
    impl Serialize for Sorted<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self.0 {
                Value::Object(map) => {
                    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                    let mut out = serializer.serialize_map(Some(entries.len()))?;
                    for (key, value) in entries {
                        out.serialize_entry(key, &Sorted(value))?;
                    }
                    out.end()
                }
                Value::Array(items) => serializer.collect_seq(items.iter().map(Sorted)),
                other => other.serialize(serializer),
            }
        }
    }
    serde_json::to_string(&Sorted(value)).expect("JSON values serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use serde_json::json;

    #[test]
    fn canonical_json_ignores_key_order() {
        let a = json!({"b": 1, "a": {"y": [1, {"q": 1, "p": 2}], "x": null}});
        let b = json!({"a": {"x": null, "y": [1, {"p": 2, "q": 1}]}, "b": 1});
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_ne!(canonical_json(&a), canonical_json(&json!({"b": 2})));
    }

    #[test]
    fn change_json_shape_round_trips() {
        let change = Change {
            schema: SCHEMA_VERSION,
            seq: 7,
            kind: RecordKind::Unit,
            id: Uuid::from_u128(5),
            hlc: Hlc {
                wall: 1,
                counter: 0,
                device: DeviceId::from_u128(1),
            },
            op: Op::Set {
                fields: BTreeMap::from([("name".into(), json!("市教育局"))]),
                seen: None,
            },
        };
        let text = serde_json::to_string(&change).unwrap();
        assert!(
            text.contains(r#""op":"set""#) && text.contains(r#""seq":7"#),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Change>(&text).unwrap(), change);
    }

    /// The wire text, exactly as the derived `flatten` + tag shape wrote
    /// it (phones' outboxes and the server's log hold it), both ways.
    #[test]
    fn change_json_text_is_stable() {
        let hlc = r#"{"wall":1,"counter":0,"device":"00000000-0000-0000-0000-000000000001"}"#;
        let id = "00000000-0000-0000-0000-000000000005";
        let cases = [
            format!(
                r#"{{"schema":1,"seq":1,"kind":"observation","id":"{id}","hlc":{hlc},"op":"insert","record":{{"id":"{id}"}}}}"#
            ),
            format!(
                r#"{{"schema":1,"seq":2,"kind":"unit","id":"{id}","hlc":{hlc},"op":"set","fields":{{"name":"x"}}}}"#
            ),
            format!(
                r#"{{"schema":1,"seq":3,"kind":"unit","id":"{id}","hlc":{hlc},"op":"set","fields":{{"name":"x"}},"seen":{hlc}}}"#
            ),
        ];
        for text in cases {
            let change: Change = serde_json::from_str(&text).unwrap();
            assert_eq!(serde_json::to_string(&change).unwrap(), text);
        }
    }

    #[test]
    fn change_json_refusals() {
        let hlc = r#"{"wall":1,"counter":0,"device":"00000000-0000-0000-0000-000000000001"}"#;
        let id = "00000000-0000-0000-0000-000000000005";
        let head = format!(r#""seq":1,"kind":"unit","id":"{id}","hlc":{hlc}"#);
        let cases = [
            (
                "insert without record",
                format!(r#"{{{head},"op":"insert"}}"#),
                false,
            ),
            (
                "set without fields",
                format!(r#"{{{head},"op":"set","record":{{}}}}"#),
                false,
            ),
            (
                "unknown op",
                format!(r#"{{{head},"op":"delete","fields":{{}}}}"#),
                false,
            ),
            ("no op", format!(r#"{{{head},"fields":{{}}}}"#), false),
            (
                "unknown keys ignored, schema defaults",
                format!(r#"{{{head},"op":"set","fields":{{}},"x":1}}"#),
                true,
            ),
        ];
        for (name, text, ok) in cases {
            let parsed = serde_json::from_str::<Change>(&text);
            assert_eq!(parsed.is_ok(), ok, "{name}: {parsed:?}");
            if let Ok(change) = parsed {
                assert_eq!(change.schema, SCHEMA_VERSION, "{name}");
            }
        }
    }
}
