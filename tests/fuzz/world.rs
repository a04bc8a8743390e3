//! The world the fuzzer works in: the examples of `core/SCHEMA.md` (one
//! consistent little city, one example per kind) twice, the second copy
//! with its own ids, so a phone scoped to the first copy has a second one
//! it may not touch. Its records are the valid inputs mutations start from.

use serde_json::{json, Value};
use xianfeng_core::RecordKind;

/// One example record: its kind and JSON.
#[derive(Clone, Debug)]
pub struct Example {
    pub kind: RecordKind,
    pub record: Value,
}

/// The SCHEMA.md examples, in order (parents before children).
pub fn schema_examples() -> Vec<Example> {
    include_str!("../../core/SCHEMA.md")
        .lines()
        .filter(|l| l.starts_with("{\"schema\":1,"))
        .map(|l| {
            let envelope: Value = serde_json::from_str(l).expect("SCHEMA.md example");
            Example {
                kind: serde_json::from_value(envelope["kind"].clone()).expect("kind"),
                record: envelope["record"].clone(),
            }
        })
        .collect()
}

/// Both copies; the second one's ids end in `1xx` instead of `0xx` (the
/// rubric, the study settings and the 转段评估 checklist, city-wide facts
/// with the built-in default's fixed id, only once).
pub fn examples() -> Vec<Example> {
    let first = schema_examples();
    let city_wide = [
        RecordKind::Rubric,
        RecordKind::StudySettings,
        RecordKind::TransitionChecklist,
    ];
    let second = first
        .iter()
        .filter(|e| !city_wide.contains(&e.kind))
        .map(|e| {
            let text = e
                .record
                .to_string()
                .replace("-8000-0000000000", "-8000-0000000001");
            Example {
                kind: e.kind,
                record: serde_json::from_str(&text).expect("shifted example"),
            }
        });
    let mut all = first.clone();
    all.extend(second);
    all
}

/// Ids of the examples: `n` (0x01..0x16) of the first copy or the second.
pub fn id(n: u32, copy: u32) -> String {
    format!("01930000-0000-7000-8000-{:012x}", copy * 0x100 + n)
}

/// Every id that appears in the world (a pool for mutations).
pub fn ids() -> Vec<String> {
    let mut out: Vec<String> = examples()
        .iter()
        .filter_map(|e| e.record["id"].as_str().map(str::to_owned))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The example as a device sends it (without its `seq`): an insert of a
/// fact, or the first `Set` of a mutable record.
pub fn as_change(example: &Example, wall: u64, device: &str) -> Value {
    let kind = example.kind;
    let id = example.record["id"].clone();
    let hlc = json!({"wall": wall, "counter": 0, "device": device});
    if kind.is_fact() {
        json!({"schema": 1, "kind": kind, "id": id, "hlc": hlc, "op": "insert",
               "record": example.record})
    } else {
        let mut fields = example.record.as_object().expect("object").clone();
        fields.remove("id");
        json!({"schema": 1, "kind": kind, "id": id, "hlc": hlc, "op": "set", "fields": fields})
    }
}
