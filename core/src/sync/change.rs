//! One change a device makes: a fact inserted, or fields of a mutable
//! record set. This is the unit of the outbox, of a push and of the log.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::hlc::Hlc;
use crate::schema::{RecordKind, SCHEMA_VERSION};

/// A numbered change from one device.
///
/// JSON: `{"schema":1,"seq":7,"kind":"observation","id":"…","hlc":{…},"op":"insert","record":{…}}`
/// or `{…,"op":"set","fields":{"name":"…"},"seen":{…}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The JSON schema version of `record` / `fields`.
    #[serde(default = "schema_version")]
    pub schema: u32,
    /// The device's own running number: 1, 2, 3…
    pub seq: u64,
    pub kind: RecordKind,
    /// The record's id (made on the device).
    pub id: Uuid,
    /// When it was made, by the device's hybrid logical clock.
    pub hlc: Hlc,
    #[serde(flatten)]
    pub op: Op,
}

fn schema_version() -> u32 {
    SCHEMA_VERSION
}

/// What a change does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Insert an immutable fact (the whole record, without envelope).
    Insert { record: Value },
    /// Set fields of a mutable record; the first change of a record sets them all.
    Set {
        fields: BTreeMap<String, Value>,
        /// The newest stamp of the record the editor saw (none for a new record).
        /// An existing value stamped after it was edited concurrently: a conflict.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen: Option<Hlc>,
    },
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
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let ordered: BTreeMap<&String, Value> =
                    map.iter().map(|(k, v)| (k, sorted(v))).collect();
                let mut out = serde_json::Map::new();
                for (k, v) in ordered {
                    out.insert(k.clone(), v);
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string(&sorted(value)).expect("JSON values serialise")
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
}
