//! `xianfeng-server copy-to-postgres` (issue 14): a SQLite database with
//! devices, invites, the org, facts, merged fields and a conflict is
//! copied into an empty PostgreSQL database; the copy is verified by
//! counts and by pulling the whole log from both; the same phone token
//! then works against PostgreSQL, and new pushes continue the log's
//! numbers. A database that already holds data is refused.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::city::{id, world, Phone, M};
use common::Fixture;
use serde_json::json;
use xianfeng_server::store::migrate::copy_sqlite_to_postgres;
use xianfeng_server::store::scratch::ScratchDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_database_moves_to_postgres_whole() {
    const { assert!(common::POSTGRES, "this test is about PostgreSQL") };
    let f = Fixture::sqlite_in(tempfile::tempdir().unwrap());
    let token = f.enroll_admin().await;
    let mut office = Phone::enroll(&f, token.clone()).await;
    let batch = world(&mut office);
    office.push_ok(&f, &batch).await;
    let base = batch
        .iter()
        .find(|c| c["kind"] == "member" && c["id"] == id(M[0]).as_str())
        .unwrap()["hlc"]
        .clone();
    let other = f
        .enroll_as(&token, "office", json!({"level": "city"}), "第二台")
        .await;
    let mut second = Phone::enroll(&f, other).await;
    let a = office.set(
        "member",
        &id(M[0]),
        json!({"name": "甲"}),
        Some(base.clone()),
    );
    second.wall = office.wall + 100;
    let b = second.set("member", &id(M[0]), json!({"name": "乙"}), Some(base));
    office.push_ok(&f, &[a]).await;
    second.push_ok(&f, &[b]).await;
    // An unused invite too.
    f.post(
        "/api/invites",
        Some(&token),
        json!({"role": "inspector", "scope": {"level": "city"}, "name": "未用"}),
    )
    .await;
    let (before, last_page) = office.pull_all(&f, 0, 100).await;
    let conflicts_before = f.get("/api/conflicts", Some(&token)).await.json();
    let data = f.data_dir();
    let (dir, _pg) = f.stop().await;

    let pg = Arc::new(ScratchDb::create());
    let report = copy_sqlite_to_postgres(&data, &pg.url).await.unwrap();
    let count = |table: &str| report.tables.iter().find(|(t, _)| *t == table).unwrap().1;
    assert_eq!(count("changes") as usize, before.len());
    assert_eq!(count("devices"), 2);
    assert_eq!(count("conflicts"), 1);
    assert_eq!(count("enrollment_codes"), 3);
    assert_eq!(report.log_rows_compared as usize, before.len());

    // Copying again into the now full database is refused.
    let err = copy_sqlite_to_postgres(&data, &pg.url).await.unwrap_err();
    assert!(format!("{err:#}").contains("already holds"), "{err:#}");

    // The same phone, now served from PostgreSQL: the same log, the same
    // conflicts, and its numbering goes on.
    let f = Fixture::on(dir, Some(Arc::clone(&pg)), |s| s);
    let (after, page) = office.pull_all(&f, 0, 100).await;
    assert_eq!(after, before);
    assert_eq!(page["log_end"], last_page["log_end"]);
    assert_eq!(page["last_seq"], last_page["last_seq"]);
    assert_eq!(
        f.get("/api/conflicts", Some(&token)).await.json(),
        conflicts_before
    );
    let next = office.set("member", &id(M[0]), json!({"status": "frail"}), None);
    office.push_ok(&f, &[next]).await;
    let (more, _) = office
        .pull_all(&f, last_page["cursor"].as_u64().unwrap(), 100)
        .await;
    assert_eq!(more.len(), 1);
    assert_eq!(
        more[0]["server_seq"].as_u64().unwrap(),
        last_page["log_end"].as_u64().unwrap() + 1
    );
    let me = f.get("/api/me", Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_subcommand_copies_and_reports() {
    const { assert!(common::POSTGRES, "this test is about PostgreSQL") };
    let f = Fixture::sqlite_in(tempfile::tempdir().unwrap());
    let token = f.enroll_admin().await;
    let mut office = Phone::enroll(&f, token).await;
    let batch = world(&mut office);
    office.push_ok(&f, &batch).await;
    let logged = f.count("SELECT count(*) FROM changes").await;
    let data = f.data_dir();
    let (dir, _pg) = f.stop().await;
    let pg = ScratchDb::create();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xianfeng-server"))
        .arg("copy-to-postgres")
        .arg("--data")
        .arg(&data)
        .arg("--database-url")
        .arg(&pg.url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("verified:"), "{stdout}");
    assert!(
        stdout.contains(&format!("changes                {logged}")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("verified: {logged} log rows")),
        "{stdout}"
    );
    drop(dir);
}
