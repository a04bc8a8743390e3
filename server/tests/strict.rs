//! Strict records over the real API (issue 12, defects 4 and 5): a fact
//! or record with a field it does not have, a padded field, a name of NUL
//! bytes or an ANSI escape is a 400 with a stable code; nothing of the
//! batch is stored, and nothing reaches another phone's pull.

mod common;

use axum::http::StatusCode;
use common::city::*;
use common::Fixture;
use serde_json::{json, Value};

#[tokio::test]
async fn unknown_fields_and_control_characters_are_refused_and_never_served() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    office.push_ok(&f, &batch).await;
    let logged = count_changes(&f).await;
    let seq = office.seq;
    let token = f
        .enroll_as(
            &office.token,
            "cadre",
            json!({"level": "village", "id": id(V[0])}),
            "驻村",
        )
        .await;
    let other = Phone::enroll(&f, token).await;
    let seen_before = other.visible(&f).await;

    let visit_with = |extra: (&str, Value)| {
        let mut v = visit(0x6e1, H[0], M[0]);
        v[extra.0] = extra.1;
        v
    };
    let household_with = |field: &str, value: Value| {
        let mut fields = household(0x6a1, V[0]);
        fields.as_object_mut().unwrap().remove("id");
        fields[field] = value;
        fields
    };
    let mut outcome = observation(0x6d1, C[0], M[0]);
    outcome["outcome"]["hidden"] = json!(true);
    let mut support = json!({"id": id(0x6f1), "household": id(H[0]), "member": id(M[0]),
        "on": "2005-03-02", "support": {"kind": "project", "pad": 1}, "description": "项目"});
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "a visit with an extra field",
            office.insert("visit", visit_with(("secret", json!("x")))),
            "unknown_field",
        ),
        (
            "a visit padded with 1 MB",
            office.insert("visit", visit_with(("pad", json!("x".repeat(1 << 20))))),
            "unknown_field",
        ),
        (
            "an extra key inside an observation's outcome",
            office.insert("observation", outcome),
            "unknown_field",
        ),
        (
            "an extra key on a unit variant",
            office.insert("support_item", {
                support["id"] = json!(id(0x6f1));
                support.clone()
            }),
            "unknown_field",
        ),
        (
            "a head made of NUL bytes",
            office.set(
                "household",
                &id(0x6a1),
                household_with("head", json!("\0\0\0")),
                None,
            ),
            "control_character",
        ),
        (
            "a head with NUL inside",
            office.set(
                "household",
                &id(0x6a1),
                household_with("head", json!("李\0某")),
                None,
            ),
            "control_character",
        ),
        (
            "a member renamed with an ANSI escape",
            office.set(
                "member",
                &id(M[0]),
                json!({"name": "\u{1b}[31m党员\u{1b}[0m"}),
                None,
            ),
            "control_character",
        ),
        (
            "a note with a C1 control",
            office.insert("visit", visit_with(("note", json!("走访\u{9b}2J")))),
            "control_character",
        ),
        (
            "a name not trimmed",
            office.set("unit", &id(U[0]), json!({"name": " 单位 "}), None),
            "not_normalized",
        ),
        (
            "a name not in NFC",
            office.set("unit", &id(U[0]), json!({"name": "Cafe\u{301}"}), None),
            "not_normalized",
        ),
        (
            "a name blank after trimming",
            office.set("unit", &id(U[0]), json!({"name": ""}), None),
            "empty_name",
        ),
        (
            "a note over its limit",
            office.insert("visit", visit_with(("note", json!("字".repeat(2_001))))),
            "too_long",
        ),
    ];
    for (what, bad, code) in cases {
        let mut change = bad;
        change["seq"] = json!(seq + 2);
        let good = {
            let mut g = office.insert("observation", observation(0x6d9, C[0], M[0]));
            g["seq"] = json!(seq + 1);
            g
        };
        let reply = office.push(&f, &[good, change]).await;
        reply.assert_error(StatusCode::BAD_REQUEST, code);
        let body = reply.json();
        assert_eq!(body["error"]["details"]["seq"], seq + 2, "{what}");
        assert!(
            !body["error"]["details"]["message_zh"]
                .as_str()
                .unwrap()
                .is_empty(),
            "{what}"
        );
        assert_eq!(count_changes(&f).await, logged, "{what}: stored");
        assert_eq!(last_seq_of(&f, &office).await, seq, "{what}");
    }
    assert_eq!(other.visible(&f).await, seen_before, "nothing new served");
    let (log, _) = office.pull_all(&f, 0, 1000).await;
    let text = serde_json::to_string(&log).unwrap();
    for needle in ["secret", "\\u0000", "\\u001b", "hidden", "pad"] {
        assert!(!text.contains(needle), "{needle} in the log");
    }
}
