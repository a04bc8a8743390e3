//! The storage module against real IndexedDB in headless Chromium: the
//! upgrade from the first schema version, one transaction per user action,
//! refusal of invalid records, acknowledgement, pulled pages, and backups.

use std::collections::BTreeMap;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde_json::{json, Value};
use uuid::Uuid;
use wasm_bindgen_test::*;
use xianfeng_app::storage::backup::Backup;
use xianfeng_app::storage::{Storage, StorageError, SCHEMA_VERSION};
use xianfeng_core::ids::DeviceId;
use xianfeng_core::sync::{Change, Hlc, Op, PullResponse};
use xianfeng_core::{Lang, RecordKind};

mod common;
use common::{enrolled, fresh, identity, server_change};

wasm_bindgen_test_configure!(run_in_browser);

const HOUSEHOLD: &str = "01930000-0000-7000-8000-00000000000f";
const MEMBER: &str = "01930000-0000-7000-8000-000000000006";
const SYSTEM: &str = "01930000-0000-7000-8000-000000000002";

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_1000 + n)
}

fn visit(id: Uuid) -> Value {
    json!({"id": id, "household": HOUSEHOLD, "member": MEMBER, "on": "2005-02-25"})
}

fn unit_fields(name: &str) -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("system".to_string(), json!(SYSTEM)),
        ("name".to_string(), json!(name)),
    ])
}

#[wasm_bindgen_test]
async fn upgrades_a_first_version_database() {
    let name = "xf-test-upgrade-from-v1";
    Database::delete_by_name(name).unwrap().await.unwrap();
    // Version 1 as the first release made it: only `meta`, JSON text values.
    let v1 = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("meta").build()?;
            Ok(())
        })
        .await
        .expect("open v1");
    let tx = v1
        .transaction("meta")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store("meta")
        .unwrap()
        .put(r#"{"name":"巡察一组的手机","taps":3}"#.to_string())
        .with_key("device-settings".to_string())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(v1.version() as u32, 1);
    v1.close();

    let storage = Storage::open(name).await.expect("open current");
    assert_eq!(storage.version(), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 3);
    let old: Option<Value> = storage.get_meta("device-settings").await.unwrap();
    assert_eq!(old, Some(json!({"name": "巡察一组的手机", "taps": 3})));
    let mut stores = storage.store_names();
    stores.sort();
    assert_eq!(stores, ["meta", "outbox", "pulled", "records"]);
    assert_eq!(storage.outbox_len().await.unwrap(), 0);
    storage.ready().await.unwrap();
    assert!(storage.store().tables.visits.is_empty());
}

#[wasm_bindgen_test]
async fn record_fact_writes_the_record_and_its_outbox_entry_together() {
    let s = enrolled("xf-test-record-fact", 7).await;
    let change = s
        .record_fact(RecordKind::Visit, id(1), visit(id(1)))
        .await
        .expect("record")
        .expect("a new fact");
    assert_eq!(change.seq, 1);
    assert_eq!(change.hlc.device, DeviceId::from_u128(7));
    assert_eq!(s.outbox_len().await.unwrap(), 1);
    assert_eq!(s.outbox_page(10).await.unwrap(), vec![change.clone()]);
    let shown = s
        .get(RecordKind::Visit, id(1))
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(shown.value, visit(id(1)));
    assert!(shown.unsent);
    let in_store = s.store().tables.visits.all();
    assert_eq!(in_store.len(), 1);
    assert_eq!(in_store[0].household.to_string(), HOUSEHOLD);
    assert!(s.store().is_unsent(RecordKind::Visit, id(1)));

    // The same fact again (a double tap) adds nothing; the next one is seq 2.
    assert_eq!(
        s.record_fact(RecordKind::Visit, id(1), visit(id(1)))
            .await
            .unwrap(),
        None
    );
    let second = s
        .record_fact(RecordKind::Visit, id(2), visit(id(2)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.seq, 2);
    assert!(second.hlc > change.hlc);
    assert_eq!(s.outbox_len().await.unwrap(), 2);
    assert_eq!(s.store().tables.visits.len(), 2);
}

#[wasm_bindgen_test]
async fn an_invalid_record_is_refused_and_nothing_is_stored() {
    let s = enrolled("xf-test-invalid", 7).await;
    s.record_fact(RecordKind::Visit, id(1), visit(id(1)))
        .await
        .unwrap();
    let before = s.outbox_len().await.unwrap();

    let mut bad = visit(id(2));
    bad["on"] = json!("2005-02-30");
    let err = s
        .record_fact(RecordKind::Visit, id(2), bad)
        .await
        .expect_err("an impossible date is refused");
    assert!(matches!(err, StorageError::Invalid(_)), "{err:?}");
    assert!(
        err.to_string().starts_with("数据格式错误"),
        "core's Chinese message: {err}"
    );
    assert!(!err.message(Lang::En).is_empty());

    // A different fact under an existing id is refused too.
    let mut other = visit(id(1));
    other["on"] = json!("2005-02-26");
    assert!(s
        .record_fact(RecordKind::Visit, id(1), other)
        .await
        .is_err());

    // A new mutable record must be complete and valid once merged.
    let err = s
        .record_set(RecordKind::Unit, id(3), unit_fields(" "))
        .await
        .expect_err("an empty name is refused");
    assert!(err.to_string().contains("名称"), "{err}");
    let partial = BTreeMap::from([("name".to_string(), json!("教育局"))]);
    assert!(s
        .record_set(RecordKind::Unit, id(3), partial)
        .await
        .is_err());
    // A fact cannot be edited field by field.
    let note = BTreeMap::from([("note".to_string(), json!("x"))]);
    assert!(s.record_set(RecordKind::Visit, id(1), note).await.is_err());

    assert_eq!(s.outbox_len().await.unwrap(), before);
    assert!(s.get(RecordKind::Visit, id(2)).await.unwrap().is_none());
    assert!(s.get(RecordKind::Unit, id(3)).await.unwrap().is_none());
    assert_eq!(
        s.get(RecordKind::Visit, id(1))
            .await
            .unwrap()
            .unwrap()
            .value,
        visit(id(1))
    );
    // The numbering did not move either: the next change is seq 2.
    let next = s
        .record_fact(RecordKind::Visit, id(4), visit(id(4)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.seq, 2);
}

#[wasm_bindgen_test]
async fn nothing_is_recorded_before_enrollment() {
    let s = fresh("xf-test-not-enrolled").await;
    let err = s
        .record_fact(RecordKind::Visit, id(1), visit(id(1)))
        .await
        .expect_err("not enrolled");
    assert!(matches!(err, StorageError::NotEnrolled));
    assert_eq!(s.outbox_len().await.unwrap(), 0);
    assert!(s.get(RecordKind::Visit, id(1)).await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn edits_show_over_the_confirmed_state_until_acknowledged() {
    let s = enrolled("xf-test-record-set", 7).await;
    let first = s
        .record_set(RecordKind::Unit, id(1), unit_fields("教育局"))
        .await
        .expect("new unit");
    assert_eq!(first.seq, 1);
    let shown = s.get(RecordKind::Unit, id(1)).await.unwrap().unwrap();
    assert_eq!(shown.value["name"], "教育局");
    assert!(shown.unsent);
    assert_eq!(
        s.store()
            .tables
            .units
            .iter()
            .filter(|u| u.system.to_string() == SYSTEM)
            .count(),
        1
    );

    let rename = BTreeMap::from([("name".to_string(), json!("市教育局"))]);
    let second = s.record_set(RecordKind::Unit, id(1), rename).await.unwrap();
    // The editor saw its own unsent edit.
    let Op::Set { seen, .. } = &second.op else {
        panic!("a set")
    };
    assert_eq!(*seen, Some(first.hlc));
    let listed = s.store().tables.units.all();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "市教育局");
    assert_eq!(listed[0].system.to_string(), SYSTEM);

    // The server takes the first: it joins the confirmed state.
    s.ack_through(1).await.unwrap();
    assert_eq!(s.outbox_len().await.unwrap(), 1);
    assert_eq!(
        s.get(RecordKind::Unit, id(1)).await.unwrap().unwrap().value["name"],
        "市教育局"
    );
    s.ack_through(2).await.unwrap();
    assert_eq!(s.outbox_len().await.unwrap(), 0);
    let shown = s.get(RecordKind::Unit, id(1)).await.unwrap().unwrap();
    assert_eq!(shown.value["name"], "市教育局");
    assert!(!shown.unsent);
}

#[wasm_bindgen_test]
async fn pulled_pages_insert_merge_and_move_the_cursor() {
    let s = enrolled("xf-test-pull", 7).await;
    let mine = s
        .record_fact(RecordKind::Visit, id(1), visit(id(1)))
        .await
        .unwrap()
        .unwrap();
    let far_future = Hlc {
        wall: 4_000_000_000_000,
        counter: 3,
        device: DeviceId::from_u128(9),
    };
    let theirs = Change {
        schema: 1,
        seq: 1,
        kind: RecordKind::Unit,
        id: id(2),
        hlc: far_future,
        op: Op::Set {
            fields: unit_fields("卫生局"),
            seen: None,
        },
    };
    let their_fact = Change {
        schema: 1,
        seq: 2,
        kind: RecordKind::Visit,
        id: id(3),
        hlc: far_future,
        op: Op::Insert {
            record: visit(id(3)),
        },
    };
    let page = PullResponse {
        changes: vec![
            server_change(10, 7, mine.clone()),
            server_change(11, 9, theirs.clone()),
            server_change(12, 9, their_fact),
        ],
        cursor: 12,
        more: false,
        last_seq: 1,
        log_end: 0,
    };
    s.apply_pulled(&page).await.unwrap();
    // Applying the same page again changes nothing.
    s.apply_pulled(&page).await.unwrap();
    assert_eq!(s.cursor().await.unwrap(), 12);
    assert_eq!(s.outbox_len().await.unwrap(), 0);
    assert_eq!(s.store().tables.visits.len(), 2);
    assert!(!s.store().is_unsent(RecordKind::Visit, id(1)));
    assert!(!s.store().is_unsent(RecordKind::Visit, id(3)));
    let unit = s.get(RecordKind::Unit, id(2)).await.unwrap().unwrap();
    assert_eq!(unit.value["name"], "卫生局");
    // The clock moved past the remote stamp: the next local edit wins.
    let edit = s
        .record_set(
            RecordKind::Unit,
            id(2),
            BTreeMap::from([("name".to_string(), json!("市卫生局"))]),
        )
        .await
        .unwrap();
    assert!(edit.hlc > far_future, "{:?}", edit.hlc);
    assert_eq!(edit.seq, 2);
    // A page from an older cursor never moves it back.
    let stale = PullResponse {
        changes: vec![],
        cursor: 3,
        more: false,
        last_seq: 0,
        log_end: 0,
    };
    s.apply_pulled(&stale).await.unwrap();
    assert_eq!(s.cursor().await.unwrap(), 12);
    assert_eq!(s.outbox_len().await.unwrap(), 1);
}

#[wasm_bindgen_test]
async fn a_new_device_id_renumbers_the_unsent_outbox() {
    let s = enrolled("xf-test-reenroll", 7).await;
    for n in 1..=3 {
        s.record_fact(RecordKind::Visit, id(n), visit(id(n)))
            .await
            .unwrap();
    }
    s.ack_through(1).await.unwrap();
    s.set_identity(&identity(8)).await.unwrap();
    let outbox = s.outbox_page(10).await.unwrap();
    let seqs: Vec<u64> = outbox.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, [1, 2]);
    assert!(outbox
        .iter()
        .all(|c| c.hlc.device == DeviceId::from_u128(8)));
    let next = s
        .record_fact(RecordKind::Visit, id(9), visit(id(9)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.seq, 3);
    assert_eq!(s.cursor().await.unwrap(), 0);
}

#[wasm_bindgen_test]
async fn importing_a_backup_twice_adds_nothing_the_second_time() {
    let a = enrolled("xf-test-backup-a", 7).await;
    for n in 1..=3 {
        a.record_fact(RecordKind::Visit, id(n), visit(id(n)))
            .await
            .unwrap();
    }
    a.record_set(RecordKind::Unit, id(10), unit_fields("教育局"))
        .await
        .unwrap();
    // The first visit reached the server; the rest did not.
    a.ack_through(1).await.unwrap();
    let backup = a.export().await.unwrap();
    let text = backup.to_json();
    assert!(!text.contains("secret-token"), "no token in a backup");
    assert_eq!(backup.records.len(), 4);
    assert_eq!(backup.outbox.len(), 3);
    assert_eq!(backup.meta["device"]["name"], "王秀茗");

    // Another phone (another device) takes it in.
    let b = enrolled("xf-test-backup-b", 8).await;
    b.record_fact(RecordKind::Visit, id(20), visit(id(20)))
        .await
        .unwrap();
    let parsed = Backup::parse(&text).unwrap();
    let first = b.import(&parsed).await.unwrap();
    assert_eq!((first.imported, first.skipped, first.queued), (4, 0, 3));
    assert_eq!(b.outbox_len().await.unwrap(), 4);
    let outbox = b.outbox_page(10).await.unwrap();
    let seqs: Vec<u64> = outbox.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4], "fresh numbers of this device");
    assert!(outbox
        .iter()
        .all(|c| c.hlc.device == DeviceId::from_u128(8)));
    assert_eq!(b.store().tables.visits.len(), 4);
    assert_eq!(
        b.get(RecordKind::Unit, id(10))
            .await
            .unwrap()
            .unwrap()
            .value["name"],
        "教育局"
    );

    let second = b.import(&parsed).await.unwrap();
    assert_eq!((second.imported, second.skipped, second.queued), (0, 4, 0));
    assert_eq!(b.outbox_len().await.unwrap(), 4);
    assert_eq!(b.store().tables.visits.len(), 4);
    assert_eq!(b.store().tables.units.len(), 1);

    // Back on the first phone nothing is new either.
    let again = a.import(&parsed).await.unwrap();
    assert_eq!((again.imported, again.queued), (0, 0));
    assert_eq!(a.outbox_len().await.unwrap(), 3);
}

#[wasm_bindgen_test]
async fn a_file_that_is_not_a_backup_is_refused() {
    let s = enrolled("xf-test-bad-backup", 7).await;
    let err = Backup::parse(
        r#"{"format":"something-else","version":1,"exported_at":0,"records":[],"outbox":[]}"#,
    )
    .expect_err("wrong format");
    assert!(err.to_string().contains("备份文件无法读取"), "{err}");
    assert!(Backup::parse("not json").is_err());
    // Records that fail validation are skipped, not stored.
    let mut backup = s.export().await.unwrap();
    backup.records.push(xianfeng_app::storage::StoredRecord {
        kind: RecordKind::Visit,
        id: id(5),
        parent: None,
        fact: Some(json!({"id": id(5), "on": "2005-02-25"})),
        state: None,
        confirmed: true,
    });
    let report = s.import(&backup).await.unwrap();
    assert_eq!((report.imported, report.skipped), (0, 1));
    assert!(s.get(RecordKind::Visit, id(5)).await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_change_refused_for_good_is_set_aside_and_the_rest_renumbered() {
    let s = enrolled("xf-test-set-aside", 11).await;
    for n in 1..=3 {
        s.record_fact(RecordKind::Visit, id(100 + n), visit(id(100 + n)))
            .await
            .expect("record");
    }
    assert!(s
        .set_aside(2, "forbidden", "超出本设备的权限范围，已拒收", 1_000)
        .await
        .unwrap());
    let outbox = s.outbox_page(10).await.unwrap();
    let kept: Vec<(u64, Uuid)> = outbox.iter().map(|c| (c.seq, c.id)).collect();
    assert_eq!(kept, vec![(1, id(101)), (2, id(103))], "the gap is closed");
    let rejected = s.rejected().await.unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        (rejected[0].change.id, rejected[0].code.as_str()),
        (id(102), "forbidden")
    );
    // The next change continues the numbering without a gap.
    let next = s
        .record_fact(RecordKind::Visit, id(104), visit(id(104)))
        .await
        .unwrap()
        .expect("new fact");
    assert_eq!(next.seq, 3);
    // Setting aside an entry that is not there changes nothing.
    assert!(!s.set_aside(99, "forbidden", "", 1_000).await.unwrap());
    assert_eq!(s.outbox_len().await.unwrap(), 3);
    // The rejected change travels with the backup.
    let backup = s.export().await.unwrap();
    assert!(backup.meta.contains_key("rejected"));
}

/// Two tabs of the app on one database: each keeps a guess of the next
/// number (the tap's fast path); a guess another tab made stale must never
/// reuse a number or lose a fact.
#[wasm_bindgen_test]
async fn two_tabs_never_share_a_number() {
    let name = "xf-test-two-tabs";
    let first = enrolled(name, 7).await;
    let second = Storage::open(name).await.expect("second tab");
    let mut seqs = Vec::new();
    for n in 0..3u128 {
        // Alternate tabs; each one's guess is stale after the other wrote.
        let tab = if n % 2 == 0 { &first } else { &second };
        for k in 0..2u128 {
            let i = id(200 + n * 10 + k);
            let change = tab
                .record_fact(RecordKind::Visit, i, visit(i))
                .await
                .unwrap()
                .unwrap();
            seqs.push(change.seq);
        }
    }
    assert_eq!(seqs, (1..=6).collect::<Vec<u64>>());
    assert_eq!(first.outbox_len().await.unwrap(), 6);
    let outbox = first.outbox_page(10).await.unwrap();
    let numbers: Vec<u64> = outbox.iter().map(|c| c.seq).collect();
    assert_eq!(numbers, (1..=6).collect::<Vec<u64>>());
    // The clock only moves forward across the tabs' writes.
    assert!(outbox.windows(2).all(|w| w[0].hlc < w[1].hlc));
    second.close();
}
