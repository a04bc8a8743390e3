//! `serve --demo` over real TCP and a real SQLite file: the demo city is
//! seeded once and pulled like any other data (all of it by the demo
//! office, no household data by the demo inspector), the links work, and
//! demo and real databases refuse to be mixed up.

mod common;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::Path;

use axum::http::StatusCode;
use common::Fixture;
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xianfeng_core::demo::demo_city;
use xianfeng_core::RecordKind;
use xianfeng_server::clock::local_date;
use xianfeng_server::demo::links_path;
use xianfeng_server::{serve, Config};

fn config(dir: &TempDir, demo: bool) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        app_dir: dir.path().join("dist"),
        public_url: None,
        demo,
        database_url: common::database_url(dir.path()),
    }
}

/// Starts `serve`, checks `/api/health` over TCP, stops it; returns the
/// health JSON and the links file.
async fn start_and_stop(dir: &TempDir, demo: bool) -> (Value, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, config(dir, demo), async {
        let _ = stopped.await;
    }));
    let mut raw = String::new();
    for _ in 0..100 {
        if let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await {
            stream
                .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .await
                .unwrap();
            raw.clear();
            stream.read_to_string(&mut raw).await.unwrap();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    let health: Value = serde_json::from_str(&raw[raw.find("\r\n\r\n").unwrap() + 4..]).unwrap();
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    let links = std::fs::read_to_string(links_path(&dir.path().join("data"))).unwrap_or_default();
    (health, links)
}

/// The code of the link for `who` in `demo-links.txt`.
fn code(links: &str, who: &str) -> String {
    let line = links
        .lines()
        .find(|l| l.starts_with(&format!("{who} ")))
        .unwrap_or_else(|| panic!("no {who} in {links}"));
    line.rsplit("code=").next().unwrap().to_owned()
}

async fn pull_all(f: &Fixture, token: &str) -> Vec<Value> {
    let (mut cursor, mut all) = (0, Vec::new());
    loop {
        let page = f
            .post("/api/sync/pull", Some(token), json!({"cursor": cursor}))
            .await
            .json();
        all.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = page["cursor"].as_u64().unwrap();
        if !page["more"].as_bool().unwrap() {
            return all;
        }
    }
}

fn kind_of(change: &Value) -> RecordKind {
    serde_json::from_value(change["change"]["kind"].clone()).unwrap()
}

fn ids(changes: &[Value]) -> BTreeSet<(String, String)> {
    changes
        .iter()
        .map(|c| {
            (
                c["change"]["kind"].as_str().unwrap().to_owned(),
                c["change"]["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn enroll(f: &Fixture, code: &str) -> String {
    let reply = f.enroll(code, "手机").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()["token"].as_str().unwrap().to_owned()
}

fn mode_0600(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let _ = path;
}

#[tokio::test]
async fn demo_seeds_once_and_its_users_pull_it() {
    let before = local_date(time::OffsetDateTime::now_utc());
    let dir = tempfile::tempdir().unwrap();
    let (health, links) = start_and_stop(&dir, true).await;
    assert_eq!(health["demo"], true);
    assert_eq!(health["database"], "ok");
    mode_0600(&links_path(&dir.path().join("data")));
    for who in ["office", "inspector", "cadre"] {
        assert!(
            links.contains(&format!("{who} http://127.0.0.1:")),
            "{links}"
        );
    }
    assert!(
        links.contains("\nadmin "),
        "no office yet: the admin code too"
    );

    let f = Fixture::in_dir(dir, |s| s);
    let changes_after_first = f.count("SELECT count(*) FROM changes").await;
    let office = enroll(&f, &code(&links, "office")).await;
    let inspector = enroll(&f, &code(&links, "inspector")).await;
    let cadre = enroll(&f, &code(&links, "cadre")).await;

    // The office pulls exactly the demo city.
    let after = local_date(time::OffsetDateTime::now_utc());
    let expected: Vec<BTreeSet<(String, String)>> = [before, after]
        .iter()
        .map(|day| {
            demo_city(*day)
                .unwrap()
                .records
                .iter()
                .map(|r| (r.kind.as_str().to_owned(), r.id.to_string()))
                .collect()
        })
        .collect();
    let pulled = pull_all(&f, &office).await;
    let seen = ids(&pulled);
    assert!(
        expected.contains(&seen),
        "the office pulls the whole demo city"
    );
    assert!(seen.len() > 100);
    assert!(seen.iter().all(|(_, id)| id.starts_with("de300000-")));
    for kind in [
        RecordKind::System,
        RecordKind::Member,
        RecordKind::SpotCheck,
        RecordKind::Observation,
        RecordKind::Household,
        RecordKind::SupportItem,
        RecordKind::StudySettings,
        RecordKind::TransitionChecklist,
        RecordKind::StudySession,
        RecordKind::Attendance,
        RecordKind::StudyDelivery,
        RecordKind::Speech,
        RecordKind::StudyCheck,
        RecordKind::Suggestion,
        RecordKind::TransitionReview,
        RecordKind::TransitionSignOff,
        RecordKind::TransitionDecision,
    ] {
        assert!(pulled.iter().any(|c| kind_of(c) == kind), "{kind:?}");
    }
    let misses = pulled
        .iter()
        .filter(|c| c["change"]["record"]["outcome"]["kind"] == "not_wearing")
        .count();
    assert!(misses >= 3, "some members were seen without the badge");

    // The inspector sees checks and its units' study, never household data.
    let seen_by_inspector = pull_all(&f, &inspector).await;
    for kind in [
        RecordKind::SpotCheck,
        RecordKind::Attendance,
        RecordKind::TransitionReview,
    ] {
        assert!(
            seen_by_inspector.iter().any(|c| kind_of(c) == kind),
            "{kind:?}"
        );
    }
    assert!(!seen_by_inspector
        .iter()
        .any(|c| kind_of(c).is_household_data()));
    // The village cadre sees its village's households, not all of them.
    let seen_by_cadre = pull_all(&f, &cadre).await;
    let households = |changes: &[Value]| {
        ids(changes)
            .into_iter()
            .filter(|(k, _)| k == "household")
            .count()
    };
    assert!(households(&seen_by_cadre) > 0);
    assert!(households(&seen_by_cadre) < households(&pulled));

    // A second start seeds nothing and hands out fresh links.
    let (dir, _pg) = f.stop().await;
    let (health, links_again) = start_and_stop(&dir, true).await;
    assert_eq!(health["demo"], true);
    assert_ne!(code(&links_again, "office"), code(&links, "office"));
    assert!(
        !links_again.contains("\nadmin "),
        "an office is enrolled now"
    );
    let f = Fixture::in_dir(dir, |s| s);
    assert_eq!(
        f.count("SELECT count(*) FROM changes").await,
        changes_after_first
    );
    assert_eq!(
        f.count(
            "SELECT count(*) FROM enrollment_codes WHERE used_at IS NULL AND purpose = 'invite'"
        )
        .await,
        3,
        "unused demo invites are replaced, not piled up"
    );
}

#[tokio::test]
async fn demo_refuses_a_database_with_real_data() {
    let dir = tempfile::tempdir().unwrap();
    let f = Fixture::in_dir(dir, |s| s);
    f.enroll_admin().await;
    let (dir, _pg) = f.stop().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = serve(listener, config(&dir, true), std::future::pending())
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("real data") && text.contains("真实数据"),
        "{text}"
    );
    assert!(!links_path(&dir.path().join("data")).exists());
    // Still a real database: a plain start works.
    let (health, _) = start_and_stop(&dir, false).await;
    assert_eq!(health["demo"], false);
}

#[tokio::test]
async fn a_plain_start_refuses_a_demo_database() {
    let dir = tempfile::tempdir().unwrap();
    start_and_stop(&dir, true).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = serve(listener, config(&dir, false), std::future::pending())
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("--demo") && text.contains("演示数据"),
        "{text}"
    );
}

#[tokio::test]
async fn a_fresh_database_started_once_may_become_a_demo() {
    // Only an unused admin code: no devices, no changes, nothing real yet.
    let dir = tempfile::tempdir().unwrap();
    let (health, _) = start_and_stop(&dir, false).await;
    assert_eq!(health["demo"], false);
    let (health, links) = start_and_stop(&dir, true).await;
    assert_eq!(health["demo"], true);
    assert!(links.contains("office "));
}
