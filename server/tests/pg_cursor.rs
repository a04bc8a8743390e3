//! The pull cursor on PostgreSQL under concurrent pushes (issue 14): many
//! phones push at once — each request on its own pooled connection — while
//! other phones page through the log with small pages. Every puller must
//! see every logged change exactly once: a cursor that passed a number
//! whose transaction committed later would lose that change for good.
//! (The log hands numbers out under the `sync_head` row lock, in commit
//! order; see ARCHITECTURE.md, "The pull cursor".)

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::city::{id, observation, world, Phone, C, M};
use common::Fixture;
use serde_json::json;

const PUSHERS: u32 = 8;
const BATCHES: u32 = 25;
const PER_BATCH: u32 = 6;
const PULLERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_never_make_a_puller_skip_or_repeat() {
    const { assert!(common::POSTGRES, "this test is about PostgreSQL") };
    let f = Arc::new(Fixture::new());
    let office = f.enroll_admin().await;
    let mut admin = Phone::enroll(&f, office.clone()).await;
    let base = world(&mut admin);
    admin.push_ok(&f, &base).await;

    let mut pushers = Vec::new();
    for p in 0..PUSHERS {
        let token = f
            .enroll_as(
                &office,
                "office",
                json!({"level": "city"}),
                &format!("推送{p}"),
            )
            .await;
        pushers.push(Phone::enroll(&f, token).await);
    }
    let mut pullers = Vec::new();
    for p in 0..PULLERS {
        let token = f
            .enroll_as(
                &office,
                "office",
                json!({"level": "city"}),
                &format!("拉取{p}"),
            )
            .await;
        pullers.push(Phone::enroll(&f, token).await);
    }

    let done = Arc::new(AtomicBool::new(false));
    let mut pulling = Vec::new();
    for phone in pullers {
        let (f, done) = (Arc::clone(&f), Arc::clone(&done));
        pulling.push(tokio::spawn(async move {
            let (mut cursor, mut seen) = (0u64, Vec::new());
            loop {
                // Read `done` before the page: a page read after every push
                // finished that says `more: false` has seen everything.
                let finished = done.load(Ordering::SeqCst);
                let page = f
                    .post(
                        "/api/sync/pull",
                        Some(&phone.token),
                        json!({"cursor": cursor, "limit": 7}),
                    )
                    .await
                    .json();
                for change in page["changes"].as_array().unwrap() {
                    let seq = change["server_seq"].as_u64().unwrap();
                    assert!(seq > cursor, "{seq} not after cursor {cursor}");
                    seen.push((
                        seq,
                        change["change"]["kind"].as_str().unwrap().to_owned(),
                        change["change"]["id"].as_str().unwrap().to_owned(),
                    ));
                }
                cursor = page["cursor"].as_u64().unwrap();
                if finished && !page["more"].as_bool().unwrap() {
                    return seen;
                }
                if page["changes"].as_array().unwrap().is_empty() {
                    tokio::task::yield_now().await;
                }
            }
        }));
    }

    let mut pushing = Vec::new();
    for (p, mut phone) in pushers.into_iter().enumerate() {
        let f = Arc::clone(&f);
        pushing.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for b in 0..BATCHES {
                let batch: Vec<_> = (0..PER_BATCH)
                    .map(|i| {
                        let n = 0x10_0000 + (p as u32) * 0x1000 + b * PER_BATCH + i;
                        ids.push(id(n));
                        phone.insert(
                            "observation",
                            observation(n, C[i as usize % 2], M[i as usize % 2]),
                        )
                    })
                    .collect();
                phone.push_ok(&f, &batch).await;
            }
            ids
        }));
    }
    let mut pushed = BTreeSet::new();
    for task in pushing {
        pushed.extend(task.await.unwrap());
    }
    done.store(true, Ordering::SeqCst);
    assert_eq!(pushed.len(), (PUSHERS * BATCHES * PER_BATCH) as usize);

    let logged = f.count("SELECT count(*) FROM changes").await as usize;
    for task in pulling {
        let seen = task.await.unwrap();
        // Exactly once: numbers strictly increase, nothing twice.
        assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(seen.len(), logged, "every logged change, once");
        let observations: BTreeSet<String> = seen
            .iter()
            .filter(|(_, kind, _)| kind == "observation")
            .map(|(_, _, id)| id.clone())
            .collect();
        for id in &pushed {
            assert!(observations.contains(id), "puller missed {id}");
        }
    }
}
