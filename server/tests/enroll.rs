//! Enrollment, invites, tokens and revocation against a real SQLite file.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{Fixture, Reply};
use serde_json::json;
use xianfeng_server::enroll::{admin_code_path, create_invite};
use xianfeng_server::LimitConfig;

const BRANCH: &str = "01900000-0000-7000-8000-00000000b001";
const VILLAGE: &str = "01900000-0000-7000-8000-00000000c001";
const SYSTEM: &str = "01900000-0000-7000-8000-00000000a001";

#[tokio::test]
async fn admin_code_enrolls_once_then_is_invalid() {
    let f = Fixture::new();
    let code = f.admin_code().await.unwrap();
    let file = admin_code_path(&f.data_dir());
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), code);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let reply = f.enroll(&code, "办公室电脑").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["role"], "office");
    assert_eq!(body["scope"], json!({"level": "city"}));
    assert_eq!(body["server_id"].as_str().unwrap().len(), 32);
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.len(), 43, "32 bytes base64url");
    assert!(!file.exists(), "the code file goes once the code is used");

    // Only the hash is stored.
    let stored = f
        .read(|c| c.query_one("SELECT token_hash FROM devices", &[])?.blob(0))
        .await;
    assert_eq!(stored.len(), 32);
    assert!(!stored
        .windows(8)
        .any(|w| token.as_bytes().windows(8).any(|t| t == w)));

    f.enroll(&code, "again")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_code");

    // With an office enrolled, a restart makes no new admin code.
    assert_eq!(f.admin_code().await, None);
    assert!(!file.exists());

    let me = f.get("/api/me", Some(token)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["role"], "office");
    assert_eq!(me.json()["device_id"], body["device_id"]);
}

#[tokio::test]
async fn a_restart_replaces_an_unused_admin_code() {
    let f = Fixture::new();
    let first = f.admin_code().await.unwrap();
    let second = f.admin_code().await.unwrap();
    assert_ne!(first, second);
    f.enroll(&first, "x")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_code");
    assert_eq!(f.enroll(&second, "x").await.status, StatusCode::OK);
}

#[tokio::test]
async fn codes_are_read_without_case_or_dashes() {
    let f = Fixture::new();
    let code = f.admin_code().await.unwrap();
    let sloppy = format!(" {} ", code.replace('-', "").to_lowercase());
    let reply = f.enroll(&sloppy, "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn malformed_codes_and_bodies_are_refused() {
    let f = Fixture::new();
    f.admin_code().await.unwrap();
    f.enroll("0000-0000-0000", "x")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_code");
    f.enroll("short", "x")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_code");
    f.post_raw("/api/enroll", None, "{not json".into())
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(f.count("SELECT count(*) FROM devices").await, 0);
}

#[tokio::test]
async fn invites_are_for_the_office_only() {
    let f = Fixture::new();
    let office = f.enroll_admin().await;
    let cadre = f
        .enroll_as(
            &office,
            "cadre",
            json!({"level": "branch", "id": BRANCH}),
            "王五",
        )
        .await;
    let invite =
        json!({"role": "cadre", "scope": {"level": "village", "id": VILLAGE}, "name": "赵六"});
    f.post("/api/invites", Some(&cadre), invite.clone())
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    f.post("/api/invites", None, invite.clone())
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    f.get("/api/devices", Some(&cadre))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");

    let reply = f.post("/api/invites", Some(&office), invite).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    let code = body["code"].as_str().unwrap();
    assert_eq!(body["link"], format!("http://localhost/enroll?code={code}"));
    assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn an_invite_enrolls_a_cadre_with_its_scope() {
    let f = Fixture::new();
    let office = f.enroll_admin().await;
    let reply = f
        .post(
            "/api/invites",
            Some(&office),
            json!({"role": "cadre", "scope": {"level": "branch", "id": BRANCH}, "name": " 王五 "}),
        )
        .await;
    let code = reply.json()["code"].as_str().unwrap().to_owned();
    let reply = f.enroll(&code, "王五的手机").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body["role"], "cadre");
    assert_eq!(body["scope"], json!({"level": "branch", "id": BRANCH}));
    assert_eq!(body["name"], "王五");
    let me = f.get("/api/me", body["token"].as_str()).await.json();
    assert_eq!(me["scope"], json!({"level": "branch", "id": BRANCH}));
    assert_eq!(me["name"], "王五");
    f.enroll(&code, "again")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_code");

    let devices = f.get("/api/devices", Some(&office)).await.json();
    let list = devices["devices"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["device_name"], "王五的手机");
    assert_eq!(list[1]["last_seq"], 0);
    assert!(!devices.to_string().contains("hash"));
}

#[tokio::test]
async fn nonsensical_invites_are_400() {
    let f = Fixture::new();
    let office = f.enroll_admin().await;
    let cases = [
        (
            json!({"role": "cadre", "scope": {"level": "city"}, "name": "x"}),
            "invalid_scope",
        ),
        (
            json!({"role": "cadre", "scope": {"level": "system", "id": SYSTEM}, "name": "x"}),
            "invalid_scope",
        ),
        (
            json!({"role": "inspector", "scope": {"level": "village", "id": VILLAGE}, "name": "x"}),
            "invalid_scope",
        ),
        (
            json!({"role": "office", "scope": {"level": "system", "id": SYSTEM}, "name": "x"}),
            "invalid_scope",
        ),
        (
            json!({"role": "cadre", "scope": {"level": "branch", "id": BRANCH}, "name": "  "}),
            "empty_name",
        ),
        (
            json!({"role": "mayor", "scope": {"level": "city"}, "name": "x"}),
            "bad_request",
        ),
        (
            json!({"role": "cadre", "scope": {"level": "branch", "id": "nope"}, "name": "x"}),
            "bad_request",
        ),
    ];
    for (body, code) in cases {
        let reply = f.post("/api/invites", Some(&office), body.clone()).await;
        assert_eq!(reply.status.as_u16() / 100, 4, "{body}");
        assert_eq!(reply.json()["error"]["code"], code, "{body}");
    }
    assert_eq!(
        f.count("SELECT count(*) FROM enrollment_codes WHERE purpose = 'invite'")
            .await,
        0
    );
}

#[tokio::test]
async fn an_expired_invite_is_refused() {
    let f = Fixture::new();
    f.enroll_admin().await;
    let (code, _) = f
        .write(|c| {
            let eight_days_ago = time::OffsetDateTime::now_utc() - time::Duration::days(8);
            let scope =
                xianfeng_server::auth::parse_scope_arg(&format!("village:{VILLAGE}")).unwrap();
            Ok(create_invite(
                c,
                xianfeng_core::Role::Cadre,
                &scope,
                "赵六",
                eight_days_ago,
            )
            .unwrap())
        })
        .await;
    f.enroll(&code, "x")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_code");
    assert_eq!(f.count("SELECT count(*) FROM devices").await, 1);
}

#[tokio::test]
async fn revoked_and_unknown_tokens_get_401() {
    let f = Fixture::new();
    let office = f.enroll_admin().await;
    let cadre = f
        .enroll_as(
            &office,
            "cadre",
            json!({"level": "branch", "id": BRANCH}),
            "王五",
        )
        .await;
    assert_eq!(f.get("/api/me", Some(&cadre)).await.status, StatusCode::OK);
    let id = f.get("/api/me", Some(&cadre)).await.json()["device_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let uri = format!("/api/devices/{id}/revoke");
    f.post(&uri, Some(&cadre), json!({}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let reply = f.post(&uri, Some(&office), json!({})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(
        f.post(&uri, Some(&office), json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    f.get("/api/me", Some(&cadre))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    f.post("/api/sync/pull", Some(&cadre), json!({"cursor": 0}))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");

    let devices = f.get("/api/devices", Some(&office)).await.json();
    assert!(devices["devices"][1]["revoked_at"].is_string());

    let missing = "01900000-0000-7000-8000-0000000000ff";
    f.post(
        &format!("/api/devices/{missing}/revoke"),
        Some(&office),
        json!({}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    f.post("/api/devices/nope/revoke", Some(&office), json!({}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_id");

    let unknown = "A".repeat(43);
    f.get("/api/me", Some(&unknown))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    f.get("/api/me", None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let basic = Request::get("/api/me")
        .header(header::AUTHORIZATION, format!("Basic {office}"))
        .body(Body::empty())
        .unwrap();
    let reply: Reply = f.send(basic).await;
    reply.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn enroll_attempts_are_rate_limited() {
    let f = Fixture::with_limits(LimitConfig {
        enroll_per_minute: 3,
        ..common::loose_limits()
    });
    for _ in 0..3 {
        f.enroll("0000-0000-0000", "x")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_code");
    }
    let reply = f.enroll("0000-0000-0000", "x").await;
    reply.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry: u64 = reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
}
