//! The in-memory store against real IndexedDB in headless Chromium: after
//! every kind of write (a fact, a field edit, a pulled page, an
//! acknowledgement, an undo, a change set aside) the store kept current
//! equals a store loaded afresh from the database. That is the store's
//! one promise: screens read it instead of IndexedDB, so it must never
//! drift from what is on disk.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use uuid::Uuid;
use wasm_bindgen_test::*;
use xianfeng_app::storage::Storage;
use xianfeng_core::ids::DeviceId;
use xianfeng_core::sync::{Change, Hlc, Op, PullResponse};
use xianfeng_core::{RecordKind, Role};

mod common;
use common::server_change;

wasm_bindgen_test_configure!(run_in_browser);

const NAME: &str = "xf-test-store";

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_2000 + n)
}

fn fields(value: Value) -> BTreeMap<String, Value> {
    serde_json::from_value(value).unwrap()
}

/// The store as `s` keeps it must equal one read afresh from the database.
async fn assert_mirrors(s: &Storage, step: &str) {
    let kept = s.store().to_json();
    let fresh = Storage::open(NAME).await.expect("open");
    fresh.ready().await.expect("load");
    let loaded = fresh.store().to_json();
    fresh.close();
    assert_eq!(kept, loaded, "store drifted from IndexedDB after: {step}");
}

#[wasm_bindgen_test]
async fn the_store_mirrors_indexeddb_after_every_kind_of_write() {
    let s = common::enrolled_as(NAME, &common::identity_as(7, Role::Office, "办公室")).await;
    s.ready().await.unwrap();

    // The org: a system, a unit, a branch, two members (field edits).
    let (system, unit, branch, m1, m2) = (id(1), id(2), id(3), id(4), id(5));
    s.record_set(
        RecordKind::System,
        system,
        fields(json!({"name": "教育系统"})),
    )
    .await
    .unwrap();
    s.record_set(
        RecordKind::Unit,
        unit,
        fields(json!({"system": system, "name": "市一中"})),
    )
    .await
    .unwrap();
    s.record_set(
        RecordKind::Branch,
        branch,
        fields(json!({"unit": unit, "name": "第一支部"})),
    )
    .await
    .unwrap();
    for (m, name) in [(m1, "张三"), (m2, "李四")] {
        s.record_set(
            RecordKind::Member,
            m,
            fields(json!({"name": name, "branch": branch, "post_type": "management", "status": "in_post"})),
        )
        .await
        .unwrap();
    }
    assert_mirrors(&s, "field edits").await;
    assert_eq!(s.store().tables.members.len(), 2, "{}", s.store().to_json());

    // A spot check and misses (facts): the ladder counts them.
    let check = id(10);
    s.record_fact(
        RecordKind::SpotCheck,
        check,
        json!({"id": check, "inspector": id(11), "place": {"kind": "unit", "unit": unit},
               "at": "2005-03-01T09:00:00+08:00", "mode": "announced"}),
    )
    .await
    .unwrap();
    for (n, m) in [(12, m1), (13, m2)] {
        s.record_fact(
            RecordKind::Observation,
            id(n),
            json!({"id": id(n), "check": check, "member": m, "outcome": {"kind": "not_wearing"}}),
        )
        .await
        .unwrap();
    }
    assert_mirrors(&s, "facts").await;
    assert_eq!(s.store().live().unwrap().ladder().members.len(), 2);

    // Undo of the newest unsent fact.
    assert!(s.undo_last(RecordKind::Observation, id(13)).await.unwrap());
    assert_mirrors(&s, "undo").await;
    assert_eq!(s.store().live().unwrap().ladder().members.len(), 1);

    // A study session and two taps for one member (the later supersedes):
    // the store's study index counts the newest.
    let session = id(40);
    s.record_fact(
        RecordKind::StudySession,
        session,
        json!({"id": session, "branch": branch, "on": "2005-03-02", "hours": 80,
               "kind": "collective", "topic": "学习党章"}),
    )
    .await
    .unwrap();
    for (n, status) in [(41, "absent"), (42, "present")] {
        s.record_fact(
            RecordKind::Attendance,
            id(n),
            json!({"id": id(n), "session": session, "member": m1, "status": status}),
        )
        .await
        .unwrap();
    }
    assert_mirrors(&s, "study facts").await;
    let study = s.store().study();
    let m = study
        .member(xianfeng_core::ids::MemberId::from_uuid(m1))
        .unwrap();
    assert_eq!((m.hours, m.present, m.misses.len()), (80, 1, 0), "{m:?}");

    // The server acknowledges the first three changes.
    s.ack_through(3).await.unwrap();
    assert_mirrors(&s, "acknowledgement").await;

    // A pulled page: another phone renames the unit (its edit is newer),
    // adds a member and a miss, and echoes one of ours; acknowledges up
    // to our fifth change.
    let later = Hlc {
        wall: 4_000_000_000_000,
        counter: 0,
        device: DeviceId::from_u128(9),
    };
    let theirs = |seq: u64, kind: RecordKind, id: Uuid, op: Op| Change {
        schema: 1,
        seq,
        kind,
        id,
        hlc: later,
        op,
    };
    let page = PullResponse {
        changes: vec![
            server_change(
                20,
                9,
                theirs(
                    1,
                    RecordKind::Unit,
                    unit,
                    Op::Set {
                        fields: fields(json!({"name": "市第一中学"})),
                        seen: None,
                    },
                ),
            ),
            server_change(
                21,
                9,
                theirs(
                    2,
                    RecordKind::Member,
                    id(6),
                    Op::Set {
                        fields: fields(json!({"name": "王五", "branch": branch,
                        "post_type": "management", "status": "in_post"})),
                        seen: None,
                    },
                ),
            ),
            server_change(
                22,
                9,
                theirs(
                    3,
                    RecordKind::Observation,
                    id(14),
                    Op::Insert {
                        record: json!({"id": id(14), "check": check, "member": id(6), "outcome": {"kind": "not_wearing"}}),
                    },
                ),
            ),
        ],
        cursor: 22,
        more: false,
        last_seq: 5,
        log_end: 0,
    };
    s.apply_pulled(&page).await.unwrap();
    assert_mirrors(&s, "a pulled page").await;
    assert_eq!(
        s.store().tables.units.iter().next().unwrap().name,
        "市第一中学"
    );
    assert_eq!(s.store().live().unwrap().ladder().members.len(), 2);
    // The same page again changes nothing.
    s.apply_pulled(&page).await.unwrap();
    assert_mirrors(&s, "the same page again").await;

    // An edit left unsent, then a change set aside by the server.
    s.record_set(RecordKind::Member, m2, fields(json!({"name": "李四四"})))
        .await
        .unwrap();
    assert_mirrors(&s, "an unsent edit").await;
    assert!(s.set_aside(6, "forbidden", "拒收", 1).await.unwrap());
    assert_mirrors(&s, "a change set aside").await;
    s.close();
}

/// One kind's table: id order whatever the order of arrival, a removal
/// frees its record (and a later record reuses its slot), a replaced
/// record is replaced in place, and a value core refuses is left out.
#[wasm_bindgen_test]
fn a_table_keeps_its_records_in_id_order_through_removals() {
    use xianfeng_app::store::Table;
    use xianfeng_core::org::System;

    let system = |n: u128, name: &str| json!({"id": id(n), "name": name});
    let names =
        |t: &Table<System>| -> Vec<String> { t.all().iter().map(|s| s.name.clone()).collect() };
    let mut t = Table::<System>::default();
    for (n, name) in [(3, "三"), (1, "一"), (2, "二")] {
        t.upsert(id(n), &system(n, name), n as u64);
    }
    assert_eq!(names(&t), ["一", "二", "三"]);
    assert_eq!(t.version(), 2);

    t.remove(id(2), 4);
    assert_eq!(
        (names(&t), t.len(), t.contains(&id(2))),
        (vec!["一".into(), "三".into()], 2, false)
    );
    t.remove(id(2), 5);
    assert_eq!(t.version(), 4, "removing what is not there changes nothing");

    t.upsert(id(0), &system(0, "零"), 6);
    t.upsert(id(3), &system(3, "叁"), 7);
    assert_eq!(names(&t), ["零", "一", "叁"]);
    assert_eq!(t.get(&id(3)).map(|s| s.name.as_str()), Some("叁"));
    assert_eq!(t.iter().count(), 3);

    t.upsert(id(1), &json!({"id": id(1), "name": ""}), 8);
    assert_eq!(names(&t), ["零", "叁"], "a record core refuses is left out");
    assert!(t.get(&id(1)).is_none());
}
