//! [`read`] reads every record as serde_json's `&Value`
//! deserialiser does, with the same errors, except that a struct is never
//! read from an array.
//!
//! Differential: every record of the demo city, and each of them changed
//! field by field (a field removed, an unknown one added, each field
//! replaced by a value of another shape), read both ways.

use serde::Deserialize;
use serde_json::{json, Value};
use time::macros::date;

use super::read;
use crate::demo::demo_city;
use crate::sync::AnyRecord;
use crate::RecordKind;

/// Both readings of `value` as a record of `kind`: (through `&Value`, through `read`).
fn readings(kind: RecordKind, value: &Value) -> (String, String) {
    AnyRecord::both_readings(kind, value)
}

/// A few records of every kind the demo city has.
fn samples() -> Vec<(RecordKind, Value)> {
    let city = demo_city(date!(2026 - 11 - 30)).unwrap();
    let mut seen: std::collections::HashMap<RecordKind, usize> = Default::default();
    city.records
        .into_iter()
        .filter(|r| {
            let n = seen.entry(r.kind).or_default();
            *n += 1;
            *n <= 3
        })
        .map(|r| (r.kind, r.value))
        .collect()
}

/// Whether `value` holds an array anywhere (where `read` may differ).
fn has_array(value: &Value) -> bool {
    match value {
        Value::Array(_) => true,
        Value::Object(o) => o.values().any(has_array),
        _ => false,
    }
}

/// `a` and `b` read alike; or, when `replaced` puts an array where the
/// record has none, `read` refuses what `&Value` refuses.
fn alike(kind: RecordKind, value: &Value, replaced: &Value, what: &str) {
    let (loose, strict) = readings(kind, value);
    if has_array(replaced) {
        if loose.starts_with("Err") {
            assert!(strict.starts_with("Err"), "{kind:?} {what}: {strict}");
        }
    } else {
        assert_eq!(strict, loose, "{kind:?} {what}");
    }
}

#[test]
fn every_record_of_the_demo_city_reads_alike() {
    let city = demo_city(date!(2026 - 11 - 30)).unwrap();
    let mut kinds = std::collections::HashSet::new();
    for r in &city.records {
        let (loose, strict) = readings(r.kind, &r.value);
        assert!(strict.starts_with("Ok"), "{:?}: {strict}", r.kind);
        assert_eq!(strict, loose, "{:?}", r.kind);
        kinds.insert(r.kind);
    }
    assert!(
        kinds.len() >= 25,
        "the demo city has most kinds: {}",
        kinds.len()
    );
}

#[test]
fn a_changed_record_reads_alike_with_the_same_error() {
    let shapes = [
        json!(null),
        json!(7),
        json!(-3),
        json!(2.5),
        json!("x"),
        json!(true),
        json!({}),
        json!({"a": 1}),
        json!([]),
        json!([1]),
    ];
    for (kind, value) in samples() {
        let Value::Object(fields) = &value else {
            panic!("{kind:?} is an object")
        };
        let mut extra = fields.clone();
        extra.insert("zzz".into(), json!(1));
        alike(kind, &Value::Object(extra), &json!(1), "unknown field");
        for (name, original) in fields {
            let mut without = fields.clone();
            without.remove(name);
            alike(
                kind,
                &Value::Object(without),
                &json!(null),
                &format!("without {name}"),
            );
            for shape in &shapes {
                let mut changed = fields.clone();
                changed.insert(name.clone(), shape.clone());
                alike(
                    kind,
                    &Value::Object(changed),
                    shape,
                    &format!("{name} = {shape}"),
                );
            }
            // Inside a nested object, each of its fields changed too.
            if let Value::Object(inner) = original {
                for inner_name in inner.keys() {
                    for shape in &shapes {
                        let mut nested = inner.clone();
                        nested.insert(inner_name.clone(), shape.clone());
                        let mut changed = fields.clone();
                        changed.insert(name.clone(), Value::Object(nested));
                        alike(
                            kind,
                            &Value::Object(changed),
                            shape,
                            &format!("{name}.{inner_name} = {shape}"),
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_record_written_as_an_array_is_refused() {
    for (kind, value) in samples() {
        let Value::Object(fields) = &value else {
            panic!("{kind:?} is an object")
        };
        // Serde's derived reader takes a struct's fields in declared order
        // from an array; a record is never written so.
        let (loose, _) = readings(kind, &value);
        assert!(loose.starts_with("Ok"));
        let array = Value::Array(fields.values().cloned().collect());
        let (_, strict) = readings(kind, &array);
        assert!(
            strict.contains("invalid type: sequence, expected struct"),
            "{kind:?}: {strict}"
        );
    }
}

#[test]
fn options_enums_and_maps_read_as_serde_json_reads_them() {
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Counted(u32),
        Pair(u8, u8),
        Named { n: u8 },
    }
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Shape {
        #[serde(default)]
        maybe: Option<u32>,
        kind: Kind,
        by_number: std::collections::BTreeMap<u16, String>,
        any: Value,
    }
    let good = json!({
        "maybe": null,
        "kind": "plain",
        "by_number": {"1": "a", "20": "b"},
        "any": {"x": [1, {"y": null}]},
    });
    let cases = [
        good.clone(),
        json!({"maybe": 4, "kind": {"counted": 3}, "by_number": {}, "any": 1}),
        json!({"kind": {"pair": [1, 2]}, "by_number": {}, "any": "s"}),
        json!({"kind": {"named": {"n": 1}}, "by_number": {}, "any": null}),
        json!({"kind": "nope", "by_number": {}, "any": null}),
        json!({"kind": {"counted": 3, "plain": null}, "by_number": {}, "any": null}),
        json!({"kind": "plain", "by_number": {"x": "a"}, "any": null}),
        json!({"kind": "plain", "by_number": {"0": "a", "": "b"}, "any": null}),
        json!({"kind": "plain", "by_number": {}, "any": null, "extra": 1}),
        json!({"kind": 5, "by_number": {}, "any": null}),
    ];
    for case in cases {
        let loose = Shape::deserialize(&case).map_err(|e| e.to_string());
        let strict = read::<Shape>(&case).map_err(|e| e.to_string());
        assert_eq!(strict, loose, "{case}");
    }
    assert_eq!(
        read::<Shape>(&good)
            .unwrap()
            .by_number
            .get(&20)
            .map(String::as_str),
        Some("b")
    );
}
