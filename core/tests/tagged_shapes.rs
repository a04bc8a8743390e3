//! The tagged JSON shapes (a spot check's place, an observation's outcome,
//! a support item's kind, a report's recipient and reviewer, a scope, a
//! 转段 decision's outcome) are read through
//! flat wire structs, not serde's tagged enums (bundle size, and no
//! buffering on every observation of a sync). Their JSON must not change:
//! each variant reads back what it writes, and a key the variant does not
//! have, a missing key or an unknown tag is refused as before.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use xianfeng_core::ids::{GroupId, InspectorId, MemberId, UnitId};
use xianfeng_core::money::Fen;
use xianfeng_core::pairing::{Recipient, Reviewer, SupportKind};
use xianfeng_core::spotcheck::{Outcome, Place};
use xianfeng_core::study::Outcome as Decided;
use xianfeng_core::Scope;

const ID: &str = "01930000-0000-7000-8000-000000000001";

fn round_trip<T>(value: T, expected: Value)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    assert_eq!(serde_json::to_value(&value).unwrap(), expected);
    assert_eq!(
        serde_json::from_value::<T>(expected.clone()).unwrap(),
        value
    );
    let text = serde_json::to_string(&expected).unwrap();
    assert_eq!(serde_json::from_str::<T>(&text).unwrap(), value, "{text}");
}

/// Refused, with `words` in serde's message (from a value and from text).
fn refused<T: DeserializeOwned + std::fmt::Debug>(json: Value, words: &str) {
    let from_value = serde_json::from_value::<T>(json.clone())
        .unwrap_err()
        .to_string();
    assert!(from_value.contains(words), "{json}: {from_value}");
    let from_text = serde_json::from_str::<T>(&json.to_string())
        .unwrap_err()
        .to_string();
    assert!(from_text.contains(words), "{json}: {from_text}");
}

#[test]
fn every_variant_reads_back_what_it_writes() {
    let id = ID.parse().unwrap();
    round_trip(
        Place::Unit {
            unit: UnitId::from_uuid(id),
        },
        json!({"kind": "unit", "unit": ID}),
    );
    round_trip(
        Place::Public {
            description: "广场".into(),
        },
        json!({"kind": "public", "description": "广场"}),
    );
    round_trip(Outcome::Wearing, json!({"kind": "wearing"}));
    round_trip(Outcome::NotWearing, json!({"kind": "not_wearing"}));
    round_trip(Outcome::Absent, json!({"kind": "absent"}));
    round_trip(
        Outcome::Excused {
            reason: "手术中".into(),
        },
        json!({"kind": "excused", "reason": "手术中"}),
    );
    let fen = |n| serde_json::from_value::<Fen>(json!(n)).unwrap();
    round_trip(
        SupportKind::Funds { amount: fen(500) },
        json!({"kind": "funds", "amount": 500}),
    );
    round_trip(
        SupportKind::Goods { value: fen(120) },
        json!({"kind": "goods", "value": 120}),
    );
    round_trip(
        SupportKind::Production { area: None },
        json!({"kind": "production"}),
    );
    round_trip(SupportKind::Project, json!({"kind": "project"}));
    round_trip(SupportKind::Information, json!({"kind": "information"}));
    round_trip(
        Reviewer::Member(MemberId::from_uuid(id)),
        json!({"by": "member", "id": ID}),
    );
    round_trip(
        Reviewer::Inspector(InspectorId::from_uuid(id)),
        json!({"by": "inspector", "id": ID}),
    );
    round_trip(
        Recipient::UnitOrganisation {
            unit: UnitId::from_uuid(id),
        },
        json!({"to": "unit_organisation", "unit": ID}),
    );
    round_trip(
        Recipient::SupervisionGroup {
            group: GroupId::from_uuid(id),
        },
        json!({"to": "supervision_group", "group": ID}),
    );
    round_trip(Decided::Approved {}, json!({"kind": "approved"}));
    round_trip(
        Decided::MakeUp { points: vec![3, 5] },
        json!({"kind": "make_up", "points": [3, 5]}),
    );
    round_trip(Scope::City, json!({"level": "city"}));
    round_trip(
        Scope::Unit(UnitId::from_uuid(id)),
        json!({"level": "unit", "id": ID}),
    );
}

#[test]
fn a_key_the_variant_lacks_a_missing_key_or_an_unknown_tag_is_refused() {
    refused::<Place>(json!({"kind": "unit"}), "missing field `unit`");
    refused::<Place>(
        json!({"kind": "unit", "unit": ID, "description": "x"}),
        "unknown field `description`",
    );
    refused::<Place>(
        json!({"kind": "public", "unit": ID, "description": "x"}),
        "unknown field `unit`",
    );
    refused::<Place>(json!({"kind": "public"}), "missing field `description`");
    refused::<Place>(
        json!({"kind": "park", "description": "x"}),
        "unknown variant `park`",
    );
    refused::<Place>(json!({"unit": ID}), "missing field `kind`");

    refused::<Outcome>(
        json!({"kind": "wearing", "reason": "x"}),
        "unknown field `reason`",
    );
    refused::<Outcome>(json!({"kind": "excused"}), "missing field `reason`");
    refused::<Outcome>(
        json!({"kind": "absent", "note": "x"}),
        "unknown field `note`",
    );
    refused::<Outcome>(json!({"kind": "asleep"}), "unknown variant `asleep`");

    refused::<SupportKind>(json!({"kind": "funds"}), "missing field `amount`");
    refused::<SupportKind>(
        json!({"kind": "goods", "amount": 5}),
        "unknown field `amount`",
    );
    refused::<SupportKind>(
        json!({"kind": "project", "area": 3}),
        "unknown field `area`",
    );
    refused::<SupportKind>(
        json!({"kind": "funds", "amount": 5, "value": 5}),
        "unknown field `value`",
    );

    refused::<Reviewer>(json!({"by": "member"}), "missing field `id`");
    refused::<Reviewer>(
        json!({"by": "member", "id": ID, "x": 1}),
        "unknown field `x`",
    );

    refused::<Recipient>(json!({"to": "unit_organisation"}), "missing field `unit`");
    refused::<Recipient>(
        json!({"to": "supervision_group", "group": ID, "unit": ID}),
        "unknown field `unit`",
    );
    refused::<Decided>(
        json!({"kind": "approved", "points": []}),
        "unknown field `points`",
    );
    refused::<Decided>(json!({"kind": "make_up"}), "missing field `points`");

    refused::<Scope>(json!({"level": "unit"}), "missing field `id`");
    refused::<Scope>(json!({"level": "city", "id": ID}), "unknown field `id`");
    refused::<Scope>(json!({"level": "town", "id": ID}), "unknown variant `town`");
}
