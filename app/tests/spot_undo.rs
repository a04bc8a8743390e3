//! 撤销 on the 巡察 screen against real IndexedDB in headless Chromium:
//! only the newest unsent fact can be taken back, in one transaction with
//! its outbox entry, and its `seq` is given back so the outbox never has a
//! gap (`cargo test -p xianfeng-app --target wasm32-unknown-unknown`).

use serde_json::{json, Value};
use uuid::Uuid;
use wasm_bindgen_test::*;
use xianfeng_app::storage::Storage;
use xianfeng_core::{RecordKind, Role};

mod common;

wasm_bindgen_test_configure!(run_in_browser);

const CHECK: &str = "01930000-0000-7000-8000-000000000009";
const MEMBER: &str = "01930000-0000-7000-8000-000000000006";

async fn enrolled(name: &str) -> Storage {
    common::enrolled_as(name, &common::identity_as(3, Role::Inspector, "刘林恒")).await
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_2000 + n)
}

fn observation(id: Uuid, kind: &str) -> Value {
    json!({"id": id, "check": CHECK, "member": MEMBER, "outcome": {"kind": kind}})
}

async fn record(s: &Storage, n: u128) -> u64 {
    s.record_fact(
        RecordKind::Observation,
        id(n),
        observation(id(n), "not_wearing"),
    )
    .await
    .expect("record")
    .expect("new")
    .seq
}

#[wasm_bindgen_test]
async fn the_newest_unsent_fact_is_taken_back_with_its_seq() {
    let s = enrolled("xf-test-undo-newest").await;
    assert_eq!(record(&s, 1).await, 1);
    assert_eq!(record(&s, 2).await, 2);
    assert!(s.undo_last(RecordKind::Observation, id(2)).await.unwrap());
    assert!(s
        .get(RecordKind::Observation, id(2))
        .await
        .unwrap()
        .is_none());
    assert_eq!(s.outbox_len().await.unwrap(), 1);
    // The number is reused: the server never sees a gap.
    assert_eq!(record(&s, 3).await, 2);
    let seqs: Vec<u64> = s
        .outbox_page(10)
        .await
        .unwrap()
        .iter()
        .map(|c| c.seq)
        .collect();
    assert_eq!(seqs, vec![1, 2]);
    // And the one before can go next, newest first.
    assert!(s.undo_last(RecordKind::Observation, id(3)).await.unwrap());
    assert!(s.undo_last(RecordKind::Observation, id(1)).await.unwrap());
    assert_eq!(s.outbox_len().await.unwrap(), 0);
    assert_eq!(record(&s, 4).await, 1);
}

#[wasm_bindgen_test]
async fn anything_but_the_newest_unsent_fact_is_refused_untouched() {
    let s = enrolled("xf-test-undo-refused").await;
    record(&s, 1).await;
    record(&s, 2).await;
    // Not the newest.
    assert!(!s.undo_last(RecordKind::Observation, id(1)).await.unwrap());
    // Not a fact this phone has, or not a fact at all.
    assert!(!s.undo_last(RecordKind::Observation, id(9)).await.unwrap());
    assert!(!s.undo_last(RecordKind::Unit, id(2)).await.unwrap());
    assert_eq!(s.outbox_len().await.unwrap(), 2);
    // Once the server has it, it stands.
    s.ack_through(2).await.unwrap();
    assert!(!s.undo_last(RecordKind::Observation, id(2)).await.unwrap());
    let kept = s
        .get(RecordKind::Observation, id(2))
        .await
        .unwrap()
        .expect("kept");
    assert!(!kept.unsent);
    assert_eq!(record(&s, 3).await, 3);
}
