//! Records are strict (issue 12): taking each example of `core/SCHEMA.md`
//! (one per kind) as sent over sync, every way of adding to it or spoiling
//! one of its texts is refused with a stable code, by the same functions
//! the server and the phone call (`check_change`, `validate_record`).
//!
//! - an unknown field, at the top or in any nested object: `unknown_field`;
//! - control characters (NUL, ANSI escapes, C1) in any string: refused;
//! - untrimmed or non-NFC text in any string: refused (`not_normalized`
//!   where the value is otherwise valid);
//! - any string made very long: refused; the record as a whole is bounded.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use uuid::Uuid;
use xianfeng_core::ids::DeviceId;
use xianfeng_core::sync::{check_change, validate_record, Change, Hlc, Op, MAX_RECORD_BYTES};
use xianfeng_core::RecordKind;

/// Every example record of SCHEMA.md: (kind, record).
fn examples() -> Vec<(RecordKind, Value)> {
    include_str!("../SCHEMA.md")
        .lines()
        .filter(|l| l.starts_with("{\"schema\":1,"))
        .map(|l| {
            let envelope: Value = serde_json::from_str(l).unwrap();
            let kind = serde_json::from_value(envelope["kind"].clone()).unwrap();
            (kind, envelope["record"].clone())
        })
        .collect()
}

/// The record as a device sends it: an insert of a fact, or the first
/// `Set` of a mutable record (every field but the id).
fn change(kind: RecordKind, record: &Value) -> Change {
    let id: Uuid = record["id"].as_str().unwrap().parse().unwrap();
    let op = if kind.is_fact() {
        Op::Insert {
            record: record.clone(),
        }
    } else {
        let mut fields: BTreeMap<String, Value> = record
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        fields.remove("id");
        Op::Set { fields, seen: None }
    };
    Change {
        schema: 1,
        seq: 1,
        kind,
        id,
        hlc: Hlc::zero(DeviceId::from_u128(1)),
        op,
    }
}

/// The whole check a record gets on arrival: the change's shape and text,
/// then the record as stored.
fn arrive(kind: RecordKind, record: &Value) -> Result<(), &'static str> {
    check_change(&change(kind, record)).map_err(|e| e.code())?;
    validate_record(kind, record).map_err(|e| e.code())
}

/// Paths to every object (JSON pointer) and every string in a value.
fn paths(value: &Value, at: String, objects: &mut Vec<String>, strings: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            objects.push(at.clone());
            for (k, v) in map {
                paths(v, format!("{at}/{k}"), objects, strings);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                paths(v, format!("{at}/{i}"), objects, strings);
            }
        }
        Value::String(_) => strings.push(at),
        _ => {}
    }
}

#[test]
fn every_example_arrives() {
    let all = examples();
    for kind in RecordKind::ALL
        .into_iter()
        .filter(|k| *k != RecordKind::Summary)
    {
        assert!(all.iter().any(|(k, _)| *k == kind), "{kind:?}");
    }
    for (kind, record) in &all {
        assert_eq!(arrive(*kind, record), Ok(()), "{kind:?} {record}");
    }
}

#[test]
fn unknown_fields_are_refused_at_any_depth() {
    let mut tried = 0;
    for (kind, record) in examples() {
        let (mut objects, mut strings) = (Vec::new(), Vec::new());
        paths(&record, String::new(), &mut objects, &mut strings);
        for at in objects {
            for extra in [json!(1), json!(null), json!("x".repeat(1_000_000))] {
                let mut spoiled = record.clone();
                let object = spoiled.pointer_mut(&at).unwrap().as_object_mut().unwrap();
                object.insert("extra_field".into(), extra);
                let got = arrive(kind, &spoiled);
                assert_eq!(got, Err("unknown_field"), "{kind:?} at {at:?}");
                tried += 1;
            }
        }
    }
    assert!(tried > 70, "{tried}");
}

#[test]
fn spoiled_texts_are_refused_in_every_string() {
    type Spoiler = fn(&str) -> String;
    let spoilers: [(&str, Spoiler); 8] = [
        ("NUL only", |_| "\0".into()),
        ("NUL inside", |s| format!("{s}\0{s}")),
        ("ANSI escape", |s| format!("\u{1b}[31m{s}\u{1b}[0m")),
        ("C1 control", |s| format!("{s}\u{85}")),
        ("leading space", |s| format!(" {s}")),
        ("trailing newline", |s| format!("{s}\n")),
        ("decomposed (not NFC)", |s| format!("{s}e\u{301}")),
        ("very long", |s| {
            s.repeat(20_001).chars().take(100_000).collect()
        }),
    ];
    let mut tried = 0;
    for (kind, record) in examples() {
        let (mut objects, mut strings) = (Vec::new(), Vec::new());
        paths(&record, String::new(), &mut objects, &mut strings);
        for at in &strings {
            for (name, spoil) in &spoilers {
                let mut spoiled = record.clone();
                let slot = spoiled.pointer_mut(at).unwrap();
                let text = spoil(slot.as_str().unwrap());
                *slot = Value::String(text);
                if at == "/id" {
                    continue; // the change's own id, checked by id_mismatch
                }
                let got = arrive(kind, &spoiled);
                assert!(got.is_err(), "{kind:?} {at} {name}: accepted");
                tried += 1;
            }
        }
    }
    assert!(tried > 500, "{tried}");
}

#[test]
fn texts_get_their_own_codes() {
    let visit = || {
        json!({"id": "01930000-0000-7000-8000-000000000001",
               "household": "01930000-0000-7000-8000-000000000002",
               "member": "01930000-0000-7000-8000-000000000003", "on": "2005-02-25"})
    };
    let with = |field: &str, text: &str| {
        let mut v = visit();
        v[field] = json!(text);
        v
    };
    let cases = [
        (with("note", "第一行\n第二行\t备注"), Ok(())),
        (with("note", "\0\0\0"), Err("control_character")),
        (with("note", "\u{1b}[2J"), Err("control_character")),
        (with("note", "a\r\nb"), Err("control_character")),
        (with("note", " 备注"), Err("not_normalized")),
        (with("note", "cafe\u{301}"), Err("not_normalized")),
        (with("note", &"字".repeat(2_001)), Err("too_long")),
        (with("problems", "\u{9b}"), Err("control_character")),
    ];
    for (record, want) in cases {
        assert_eq!(arrive(RecordKind::Visit, &record), want, "{record}");
    }
    let household = |head: &str| {
        json!({"id": "01930000-0000-7000-8000-000000000004", "head": head,
               "village": "01930000-0000-7000-8000-000000000005", "size": 4,
               "attribute": "dibao", "causes": ["illness"]})
    };
    for (head, want) in [
        ("李某", Ok(())),
        ("", Err("empty_name")),
        ("\u{3000}", Err("not_normalized")),
        ("\0", Err("control_character")),
        ("李\0某", Err("control_character")),
        ("李\n某", Err("control_character")),
        ("\u{1b}[31m李某", Err("control_character")),
    ] {
        assert_eq!(
            arrive(RecordKind::Household, &household(head)),
            want,
            "{head:?}"
        );
    }
    // Blank after trimming, as stored (the server validates a merged card).
    for head in [" ", "\u{3000}\u{3000}", "\t"] {
        let got = validate_record(RecordKind::Household, &household(head)).map_err(|e| e.code());
        let want = if head == "\t" {
            "control_character"
        } else {
            "empty_name"
        };
        assert_eq!(got, Err(want), "{head:?}");
    }
}

#[test]
fn a_record_has_a_size_limit() {
    // A commitment of many long items: each within its limits, the whole not.
    let item = json!({"text": "字".repeat(2_000), "fulfilment": "pending"});
    let commitment = json!({"id": "01930000-0000-7000-8000-000000000006",
        "member": "01930000-0000-7000-8000-000000000003", "period": "2010-H2",
        "items": vec![item; 30], "deadline": "2010-09-14", "filed_on": "2010-09-10"});
    assert!(commitment.to_string().len() > MAX_RECORD_BYTES);
    assert_eq!(
        arrive(RecordKind::Commitment, &commitment),
        Err("record_too_large")
    );
}
