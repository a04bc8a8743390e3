//! Sync push/pull against a real SQLite file: replay, gaps, fact conflicts,
//! restarts, last-writer-wins conflicts, limits, and the authorization
//! matrix (each role × in / out of scope × push / pull) with zero leaks.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::city::*;
use common::Fixture;
use serde_json::{json, Value};
use xianfeng_server::LimitConfig;

#[tokio::test]
async fn a_replayed_batch_is_a_no_op() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    let n = batch.len() as u64;
    assert_eq!(office.push_ok(&f, &batch).await, n);
    let logged = count_changes(&f).await;
    let facts = f.count("SELECT count(*) FROM facts").await;
    assert_eq!(facts, 6);

    assert_eq!(office.push_ok(&f, &batch).await, n, "same last_seq");
    assert_eq!(
        office.push_ok(&f, &batch[3..]).await,
        n,
        "a tail replay too"
    );
    assert_eq!(count_changes(&f).await, logged);
    assert_eq!(f.count("SELECT count(*) FROM facts").await, facts);

    // An overlapping batch applies only its new part.
    let extra = office.insert("observation", observation(0x1d1, C[0], M[0]));
    let mut overlap = batch[batch.len() - 2..].to_vec();
    overlap.push(extra);
    assert_eq!(office.push_ok(&f, &overlap).await, n + 1);
    assert_eq!(count_changes(&f).await, logged + 1);

    // The same fact again under a new number is a no-op too.
    let again = office.insert("observation", observation(0x1d1, C[0], M[0]));
    assert_eq!(office.push_ok(&f, &[again]).await, n + 2);
    assert_eq!(count_changes(&f).await, logged + 1);
    assert_eq!(last_seq_of(&f, &office).await, n + 2);
}

#[tokio::test]
async fn a_gap_is_refused_and_nothing_is_stored() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    let n = batch.len() as u64;
    office.push_ok(&f, &batch[..3]).await;
    let logged = count_changes(&f).await;

    let reply = office.push(&f, &batch[4..]).await;
    reply.assert_error(StatusCode::CONFLICT, "sequence_gap");
    let details = &reply.json()["error"]["details"];
    assert_eq!(details["expected"], 4);
    assert_eq!(details["got"], 5);
    assert_eq!(
        details["retryable"], true,
        "a gap is the batch's, not the change's"
    );
    assert!(details["message_zh"].as_str().unwrap().contains("不连续"));
    assert_eq!(count_changes(&f).await, logged);
    assert_eq!(last_seq_of(&f, &office).await, 3);

    // Numbers inside a batch must be consecutive.
    let skipping = vec![batch[3].clone(), batch[5].clone()];
    office
        .push(&f, &skipping)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "not_consecutive");
    assert_eq!(office.push_ok(&f, &batch[3..]).await, n);
}

/// Numbers start at 1 and stay below `MAX_SEQ`: anything else is a 400
/// (never a 500 from overflow, never an acknowledgement of a change that
/// was dropped), and nothing of the batch is stored.
#[tokio::test]
async fn change_numbers_outside_their_range_are_refused_whole() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    office.push_ok(&f, &batch[..3]).await;
    let logged = count_changes(&f).await;
    let numbered = |seqs: &[u64]| -> Vec<Value> {
        seqs.iter()
            .enumerate()
            .map(|(i, &seq)| {
                let mut change = batch[3 + i].clone();
                change["seq"] = json!(seq);
                change
            })
            .collect()
    };
    let max = xianfeng_core::sync::MAX_SEQ;
    let cases: [(&[u64], u64); 6] = [
        (&[0], 0),
        (&[0, 1], 0),
        (&[4, 0], 0),
        (&[u64::MAX, 0], u64::MAX),
        (&[max + 1], max + 1),
        (&[i64::MAX as u64 + 1], i64::MAX as u64 + 1),
    ];
    for (seqs, bad) in cases {
        let reply = office.push(&f, &numbered(seqs)).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "invalid_seq");
        let details = &reply.json()["error"]["details"];
        assert_eq!(details["seq"], json!(bad), "{seqs:?}");
        assert!(details["message_zh"].as_str().unwrap().contains("编号"));
        assert_eq!(count_changes(&f).await, logged, "{seqs:?}");
        assert_eq!(last_seq_of(&f, &office).await, 3, "{seqs:?}");
    }
    // Near the top of the range, numbers still rise by one (no overflow).
    office
        .push(&f, &numbered(&[max - 1, max]))
        .await
        .assert_error(StatusCode::CONFLICT, "sequence_gap");
    assert_eq!(count_changes(&f).await, logged);
    // The phone's real numbers go through.
    assert_eq!(office.push_ok(&f, &batch[3..]).await, batch.len() as u64);
}

#[tokio::test]
async fn a_fact_with_new_content_refuses_the_whole_batch() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    let n = office.push_ok(&f, &batch).await;
    let logged = count_changes(&f).await;

    let fresh = office.insert("observation", observation(0x2d1, C[0], M[0]));
    let mut changed = observation(O[0], C[0], M[0]);
    changed["outcome"] = json!({"kind": "wearing"});
    let clash = office.insert("observation", changed);
    let reply = office.push(&f, &[fresh.clone(), clash]).await;
    reply.assert_error(StatusCode::CONFLICT, "fact_conflict");
    assert_eq!(reply.json()["error"]["details"]["seq"], n + 2);
    assert_eq!(reply.json()["error"]["details"]["retryable"], false);
    assert_eq!(count_changes(&f).await, logged, "the fresh fact went too");
    assert_eq!(
        f.count("SELECT count(*) FROM facts WHERE id = '01930000-0000-7000-8000-0000000002d1'")
            .await,
        0
    );
    assert_eq!(last_seq_of(&f, &office).await, n);
    let stored = f
        .count("SELECT count(*) FROM facts WHERE canonical LIKE '%not_wearing%' AND id = '01930000-0000-7000-8000-0000000000d1'")
        .await;
    assert_eq!(stored, 1, "the first version stays");
}

#[tokio::test]
async fn invalid_input_is_4xx_json_and_stores_nothing() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    office.push_ok(&f, &batch).await;
    let logged = count_changes(&f).await;
    let seq = office.seq;

    // Malformed JSON, and a wrong shape.
    f.post_raw(
        "/api/sync/push",
        Some(&office.token),
        "{\"changes\": [".into(),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    f.post(
        "/api/sync/push",
        Some(&office.token),
        json!({"changes": [{"seq": 1}]}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    f.post("/api/sync/pull", Some(&office.token), json!({"cursor": -1}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_json");

    // An oversized batch.
    let mut big = Vec::new();
    for i in 0..501 {
        big.push(office.insert("observation", observation(0x10000 + i, C[0], M[0])));
    }
    office
        .push(&f, &big)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large");
    office.seq = seq;

    // A valid change followed by invalid ones: each refuses the batch.
    let good = office.insert("observation", observation(0x3d1, C[0], M[0]));
    let bad_cases = [
        (
            office.insert("observation", json!({"id": id(0x3d2), "check": id(C[0])})),
            "invalid_json",
        ),
        (
            office.insert("visit", json!({"id": id(0x3d3)})),
            "invalid_json",
        ),
        (
            office.set("unit", &id(U[0]), json!({"name": ""}), None),
            "empty_name",
        ),
        (
            office.set("unit", &id(U[0]), json!({"bogus": 1}), None),
            "unknown_field",
        ),
        (
            office.insert(
                "unit",
                json!({"id": id(0x3d4), "system": id(S[0]), "name": "x"}),
            ),
            "wrong_op",
        ),
        (
            office.insert("summary", json!({"id": id(0x3d5)})),
            "not_syncable",
        ),
        (
            office.insert("observation", observation(0x3d6, C[0], M[0])),
            "ok",
        ),
        (
            office.create(
                "member",
                json!({"id": id(0x3d7), "name": "新党员", "branch": id(B[0])}),
            ),
            "invalid_json",
        ),
        (
            office.insert(
                "public_review",
                json!({"id": id(0x3d8), "post": id(0x999), "on": "2010-10-08", "rating": 5}),
            ),
            "unknown_parent",
        ),
    ];
    for (bad, code) in bad_cases {
        if code == "ok" {
            continue;
        }
        let mut change = bad.clone();
        change["seq"] = json!(seq + 2);
        let reply = office.push(&f, &[good.clone(), change]).await;
        assert!(reply.status.is_client_error(), "{code}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], code, "{}", reply.text());
        assert_eq!(reply.json()["error"]["details"]["seq"], seq + 2);
        // Refused however often it is sent, but for a parent that may
        // still arrive.
        let retryable = code == "unknown_parent";
        assert_eq!(
            reply.json()["error"]["details"]["retryable"],
            retryable,
            "{code}"
        );
        assert_eq!(count_changes(&f).await, logged, "{code}");
        assert_eq!(last_seq_of(&f, &office).await, seq, "{code}");
    }
    // A request that is too big for the body limit.
    let huge = format!(
        "{{\"changes\": [], \"pad\": \"{}\"}}",
        "x".repeat(5 * 1024 * 1024)
    );
    f.post_raw("/api/sync/push", Some(&office.token), huge)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert_eq!(count_changes(&f).await, logged);
}

#[tokio::test]
async fn a_restart_keeps_everything() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let inspector_token = f
        .enroll_as(
            &office.token,
            "inspector",
            json!({"level": "system", "id": id(S[0])}),
            "督导员",
        )
        .await;
    let batch = world(&mut office);
    let n = office.push_ok(&f, &batch).await;
    let (before, page) = office.pull_all(&f, 0, 7).await;
    assert_eq!(page["last_seq"], n);

    let f = f.restart().await;
    let (after, page) = office.pull_all(&f, 0, 1000).await;
    assert_eq!(before, after);
    assert_eq!(page["last_seq"], n);
    assert_eq!(last_seq_of(&f, &office).await, n);
    // A replay after the restart is still a no-op; the next number goes on.
    assert_eq!(office.push_ok(&f, &batch).await, n);
    let next = office.insert("observation", observation(0x4d1, C[0], M[0]));
    assert_eq!(office.push_ok(&f, &[next]).await, n + 1);

    // The org directory is rebuilt from the file: the inspector's scope
    // still places a member's observation in the right system.
    let mut inspector = Phone::enroll(&f, inspector_token).await;
    let ok = inspector.insert("observation", observation(0x4d2, C[0], M[0]));
    assert_eq!(inspector.push_ok(&f, &[ok]).await, 1);
    let out = inspector.insert("observation", observation(0x4d3, C[1], M[1]));
    inspector
        .push(&f, &[out])
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn pull_pages_through_the_log_and_acks_the_outbox() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    let n = office.push_ok(&f, &batch).await;
    let (paged, last) = office.pull_all(&f, 0, 3).await;
    let (whole, _) = office.pull_all(&f, 0, 1000).await;
    assert_eq!(paged, whole);
    assert_eq!(last["last_seq"], n);
    let seqs: Vec<u64> = whole
        .iter()
        .map(|c| c["server_seq"].as_u64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    assert!(whole.iter().all(|c| c["device"] == office.device.as_str()));
    // From the last cursor there is nothing more.
    let cursor = last["cursor"].as_u64().unwrap();
    let (rest, page) = office.pull_all(&f, cursor, 10).await;
    assert!(rest.is_empty());
    assert_eq!(page["cursor"], cursor);
    assert_eq!(page["more"], false);
}

#[tokio::test]
async fn concurrent_edits_keep_the_loser_for_the_office() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    office.push_ok(&f, &batch).await;
    let cadre_token = f
        .enroll_as(
            &office.token,
            "cadre",
            json!({"level": "branch", "id": id(B[0])}),
            "王五",
        )
        .await;
    let mut cadre = Phone::enroll(&f, cadre_token).await;
    let base = batch
        .iter()
        .find(|c| c["kind"] == "member" && c["id"] == id(M[0]).as_str())
        .unwrap()["hlc"]
        .clone();

    // Both edit the member's name having seen only its first version.
    let by_office = office.set(
        "member",
        &id(M[0]),
        json!({"name": "王秀茗"}),
        Some(base.clone()),
    );
    cadre.wall = office.wall + 100; // the cadre edits later
    let by_cadre = cadre.set(
        "member",
        &id(M[0]),
        json!({"name": "王秀明", "status": "frail"}),
        Some(base),
    );
    office.push_ok(&f, &[by_office]).await;
    cadre.push_ok(&f, &[by_cadre]).await;

    let list = f.get("/api/conflicts", Some(&office.token)).await;
    assert_eq!(list.status, StatusCode::OK);
    let conflicts = list.json()["conflicts"].as_array().unwrap().clone();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["field"], "name");
    assert_eq!(conflicts[0]["kind"], "member");
    assert_eq!(conflicts[0]["winner"]["value"], "王秀明");
    assert_eq!(conflicts[0]["loser"]["value"], "王秀茗");
    assert_eq!(conflicts[0]["device"], cadre.device.as_str());
    f.get("/api/conflicts", Some(&cadre.token))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");

    let name = f
        .read(|c| c.query_one("SELECT value FROM fields WHERE kind = 'member' AND field = 'name' AND id = '01930000-0000-7000-8000-000000000091'", &[])?.text(0))
        .await;
    assert_eq!(name, "\"王秀明\"");

    // A stamp from far in the future is clamped to the server's clock.
    cadre.wall = u64::MAX / 4;
    let ahead = cadre.set("member", &id(M[0]), json!({"status": "in_post"}), None);
    cadre.push_ok(&f, &[ahead]).await;
    let wall = f
        .count("SELECT max(hlc_wall) FROM fields WHERE kind = 'member'")
        .await;
    let now = xianfeng_server::secrets::now_ms() as i64;
    assert!(
        wall <= now + xianfeng_core::sync::MAX_CLOCK_AHEAD_MS as i64,
        "{wall}"
    );
}

/// Every role × in scope / out of scope × push / pull.
#[tokio::test]
async fn authorization_matrix_has_no_leaks() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    office.push_ok(&f, &batch).await;
    let enroll = |role: &'static str, scope: Value| {
        let f = &f;
        let office = office.token.clone();
        async move { Phone::enroll(f, f.enroll_as(&office, role, scope, "用户").await).await }
    };
    let mut inspector = enroll("inspector", json!({"level": "system", "id": id(S[0])})).await;
    let mut branch_cadre = enroll("cadre", json!({"level": "branch", "id": id(B[0])})).await;
    let mut village_cadre = enroll("cadre", json!({"level": "village", "id": id(V[0])})).await;

    // ---- push: (phone, change, allowed)
    let k = |kind: &str, n: u32| (kind.to_owned(), id(n));
    let mut cases: Vec<(usize, Value, bool)> = Vec::new();
    {
        let p = &mut inspector;
        cases.push((0, p.insert("spot_check", spot_check(0x1c1, U[0])), true));
        cases.push((
            0,
            p.insert("observation", observation(0x1d1, C[0], M[0])),
            true,
        ));
        cases.push((0, p.insert("spot_check", spot_check(0x1c2, U[1])), false));
        cases.push((
            0,
            p.insert("observation", observation(0x1d2, C[1], M[1])),
            false,
        ));
        cases.push((0, p.create("household", household(0x1a1, V[0])), false));
        cases.push((0, p.insert("visit", visit(0x1e1, H[0], M[0])), false));
        cases.push((
            0,
            p.set("member", &id(M[0]), json!({"status": "frail"}), None),
            false,
        ));
    }
    {
        let p = &mut branch_cadre;
        cases.push((
            1,
            p.set("member", &id(M[0]), json!({"post_type": "support"}), None),
            true,
        ));
        cases.push((1, p.insert("visit", visit(0x2e1, H[0], M[0])), true));
        cases.push((
            1,
            p.set("household", &id(H[0]), json!({"size": 5}), None),
            true,
        ));
        cases.push((
            1,
            p.set("member", &id(M[1]), json!({"post_type": "support"}), None),
            false,
        ));
        cases.push((1, p.insert("visit", visit(0x2e2, H[1], M[1])), false));
        cases.push((
            1,
            p.set("household", &id(H[1]), json!({"size": 5}), None),
            false,
        ));
        cases.push((1, p.insert("spot_check", spot_check(0x2c1, U[0])), false));
        // Issue 12: pairing a member of the branch with another branch's
        // household would drag the household (card, contact) into the
        // branch. Every move is in the matrix of `tests/moves.rs`.
        cases.push((
            1,
            p.create(
                "pairing",
                json!({"id": id(0x2b1), "member": id(M[0]), "household": id(H[1]),
                       "since": "2005-03-01"}),
            ),
            false,
        ));
        // Moving a member out of the branch is writing outside it.
        cases.push((
            1,
            p.set("member", &id(M[0]), json!({"branch": id(B[1])}), None),
            false,
        ));
    }
    {
        let p = &mut village_cadre;
        cases.push((2, p.create("household", household(0x3a1, V[0])), true));
        cases.push((2, p.insert("visit", visit(0x3e1, H[0], M[0])), true));
        cases.push((2, p.create("household", household(0x3a2, V[1])), false));
        cases.push((2, p.insert("visit", visit(0x3e2, H[1], M[1])), false));
        cases.push((
            2,
            p.set("member", &id(M[0]), json!({"status": "frail"}), None),
            false,
        ));
        cases.push((
            2,
            p.insert("observation", observation(0x3d1, C[0], M[0])),
            false,
        ));
    }
    let phones = [&mut inspector, &mut branch_cadre, &mut village_cadre];
    let mut next_seq = [1u64; 3];
    for (who, mut change, allowed) in cases {
        let phone = &phones[who];
        change["seq"] = json!(next_seq[who]);
        let before = count_changes(&f).await;
        let reply = phone.push(&f, std::slice::from_ref(&change)).await;
        if allowed {
            assert_eq!(reply.status, StatusCode::OK, "{change}: {}", reply.text());
            // Accepted and processed (a field edit that loses the merge to a
            // newer stamp is processed without a new log entry, so the log
            // size is not the measure here).
            let answer: Value = serde_json::from_str(&reply.text()).expect("push answer");
            assert_eq!(answer["last_seq"], json!(next_seq[who]), "{change}");
            next_seq[who] += 1;
        } else {
            reply.assert_error(StatusCode::FORBIDDEN, "forbidden");
            assert_eq!(count_changes(&f).await, before, "{change}");
        }
    }

    // ---- pull: exactly what each scope covers.
    let org_chart: BTreeSet<(String, String)> = [
        k("inspector", INSPECTOR),
        k("system", S[0]),
        k("system", S[1]),
        k("unit", U[0]),
        k("unit", U[1]),
        k("village", V[0]),
        k("village", V[1]),
    ]
    .into_iter()
    .collect();
    let with = |extra: &[(String, String)]| {
        let mut set = org_chart.clone();
        set.extend(extra.iter().cloned());
        set
    };
    // `inspector` records sit in their group's system; this one has none
    // (office staff), so only the office and … see the record: it is not
    // city-wide. Drop it from the non-office expectations.
    let without_inspector = |mut set: BTreeSet<(String, String)>| {
        set.remove(&k("inspector", INSPECTOR));
        set
    };

    let inspector_sees = inspector.visible(&f).await;
    let expected = without_inspector(with(&[
        k("branch", B[0]),
        k("member", M[0]),
        k("spot_check", C[0]),
        k("observation", O[0]),
        k("spot_check", 0x1c1),
        k("observation", 0x1d1),
    ]));
    assert_eq!(inspector_sees, expected);
    assert!(inspector_sees.iter().all(|(kind, _)| !matches!(
        kind.as_str(),
        "household" | "pairing" | "visit" | "support_item" | "dispute"
    )));

    let branch_sees = branch_cadre.visible(&f).await;
    let expected = without_inspector(with(&[
        k("branch", B[0]),
        k("member", M[0]),
        k("observation", O[0]),
        k("observation", 0x1d1),
        k("household", H[0]),
        k("pairing", P[0]),
        k("visit", VS[0]),
        k("visit", 0x2e1),
        k("visit", 0x3e1),
    ]));
    assert_eq!(branch_sees, expected);

    let village_sees = village_cadre.visible(&f).await;
    let expected = without_inspector(with(&[
        k("household", H[0]),
        k("household", 0x3a1),
        k("pairing", P[0]),
        k("visit", VS[0]),
        k("visit", 0x2e1),
        k("visit", 0x3e1),
    ]));
    assert_eq!(village_sees, expected);

    let office_sees = office.visible(&f).await;
    for set in [&inspector_sees, &branch_sees, &village_sees] {
        assert!(set.is_subset(&office_sees));
    }
    for n in [H[1], P[1], VS[1], M[1], B[1], C[1], O[1]] {
        assert!(office_sees.iter().any(|(_, i)| *i == id(n)));
        for set in [&inspector_sees, &branch_sees, &village_sees] {
            assert!(!set.iter().any(|(_, i)| *i == id(n)), "leak of {n:x}");
        }
    }

    // ---- partners (issue 16): the name and unit of the member paired with
    // each household a phone may read, and nothing else of the member.
    let partner = |h: u32, m: u32, name: &str, u: u32| json!({"household": id(h), "member": id(m), "name": name, "unit": id(u)});
    let partners = |token: String| {
        let f = &f;
        async move {
            let reply = f.get("/api/partners", Some(&token)).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
            reply.json()["partners"].clone()
        }
    };
    let cases = [
        (
            "inspector: no household data",
            inspector.token.clone(),
            json!([]),
        ),
        (
            "branch cadre: its branch's household",
            branch_cadre.token.clone(),
            json!([partner(H[0], M[0], "党员0", U[0])]),
        ),
        (
            "village cadre: its village's household, though the member is outside its scope",
            village_cadre.token.clone(),
            json!([partner(H[0], M[0], "党员0", U[0])]),
        ),
        (
            "office: every household",
            office.token.clone(),
            json!([
                partner(H[0], M[0], "党员0", U[0]),
                partner(H[1], M[1], "党员1", U[1])
            ]),
        ),
    ];
    for (name, token, want) in cases {
        assert_eq!(partners(token).await, want, "{name}");
    }
    let reply = f.get("/api/partners", None).await;
    reply.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");

    // The branch cadre sees the household card in full (it moved into the
    // branch when it was paired): every field, not only later edits.
    let (changes, _) = branch_cadre.pull_all(&f, 0, 1000).await;
    let fields: BTreeSet<String> = changes
        .iter()
        .filter(|c| c["change"]["kind"] == "household")
        .flat_map(|c| {
            c["change"]["fields"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    for field in ["head", "village", "size", "attribute", "causes"] {
        assert!(fields.contains(field), "{field} missing from {fields:?}");
    }
}

#[tokio::test]
async fn sync_is_rate_limited_per_device() {
    let f = Fixture::with_limits(LimitConfig {
        sync_per_second: 1,
        sync_burst: 2,
        ..common::loose_limits()
    });
    let office = office_phone(&f).await;
    for _ in 0..2 {
        let reply = f
            .post("/api/sync/pull", Some(&office.token), json!({"cursor": 0}))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let reply = f
        .post("/api/sync/pull", Some(&office.token), json!({"cursor": 0}))
        .await;
    reply.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(reply.headers.contains_key("retry-after"));
    f.post("/api/sync/pull", None, json!({"cursor": 0}))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

/// A partner is shown only while the pairing stands (issue 16).
#[tokio::test]
async fn partners_drop_out_when_a_pairing_ends() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let batch = world(&mut office);
    office.push_ok(&f, &batch).await;
    let token = office.token.clone();
    let cadre = Phone::enroll(
        &f,
        f.enroll_as(
            &token,
            "cadre",
            json!({"level": "village", "id": id(V[0])}),
            "用户",
        )
        .await,
    )
    .await;
    let seen = f.get("/api/partners", Some(&cadre.token)).await.json();
    assert_eq!(seen["partners"].as_array().unwrap().len(), 1, "{seen}");
    let end = office.set("pairing", &id(P[0]), json!({"until": "2005-06-30"}), None);
    office.push_ok(&f, &[end]).await;
    let seen = f.get("/api/partners", Some(&cadre.token)).await.json();
    assert_eq!(seen["partners"], json!([]));
}

/// The matrix's rows for the study stage (学习, issue 17): who records
/// sessions, attendance, deliveries, speeches, 三个完成 checks and
/// suggestions (a branch's cadre, in their branch only; never a village
/// cadre, never an inspector), who takes the 转段评估 steps (an inspector
/// reviews and signs off in their scope's units only; only the office
/// decides; only the city's office sets the settings and the checklist),
/// and that each phone pulls exactly the study records its scope covers:
/// settings and checklist for everyone, a branch's attendance for nobody
/// outside it. (A unit-scoped cadre or a system-scoped office cannot be
/// enrolled at all; core's `study_permission_table` has their rows.)
#[tokio::test]
async fn study_authorization_matrix_has_no_leaks() {
    use common::study::{self as st, SS, TR};
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let mut batch = world(&mut office);
    batch.extend(st::study_world(&mut office));
    office.push_ok(&f, &batch).await;
    for (role, scope) in [("cadre", "unit"), ("office", "system")] {
        let id = id(if scope == "unit" { U[0] } else { S[0] });
        f.post(
            "/api/invites",
            Some(&office.token),
            json!({"role": role, "scope": {"level": scope, "id": id}, "name": "用户"}),
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_scope");
    }
    let enroll = |role: &'static str, scope: Value| {
        let f = &f;
        let office = office.token.clone();
        async move { Phone::enroll(f, f.enroll_as(&office, role, scope, "用户").await).await }
    };
    let mut inspector = enroll("inspector", json!({"level": "system", "id": id(S[0])})).await;
    let mut branch_cadre = enroll("cadre", json!({"level": "branch", "id": id(B[0])})).await;
    let mut unit_inspector = enroll("inspector", json!({"level": "unit", "id": id(U[1])})).await;
    let mut village_cadre = enroll("cadre", json!({"level": "village", "id": id(V[0])})).await;

    // ---- push: (phone, change, allowed). Phones: 0 inspector of system
    // 0, 1 cadre of branch 0, 2 inspector of unit 1, 3 cadre of village 0,
    // 4 the city's office.
    let first_seq = office.seq + 1;
    let mut cases: Vec<(usize, Value, bool)> = Vec::new();
    {
        let p = &mut branch_cadre;
        let mine = [
            p.insert("study_session", st::session(0x5a1, B[0])),
            p.insert("attendance", st::attendance(0x5a2, SS[0], M[0])),
            p.insert("study_delivery", st::delivery(0x5a3, SS[0], M[0])),
            p.insert("speech", st::speech(0x5a4, SS[0], M[0])),
            p.insert("study_check", st::study_check(0x5a5, M[0])),
            p.insert("suggestion", st::suggestion(0x5a6, M[0])),
        ];
        cases.extend(mine.into_iter().map(|c| (1, c, true)));
        let theirs = [
            p.insert("study_session", st::session(0x5b1, B[1])),
            p.insert("attendance", st::attendance(0x5b2, SS[1], M[1])),
            // Another branch's member at my session, my member at theirs.
            p.insert("attendance", st::attendance(0x5b3, SS[0], M[1])),
            p.insert("attendance", st::attendance(0x5b4, SS[1], M[0])),
            p.insert("study_delivery", st::delivery(0x5b5, SS[1], M[1])),
            p.insert("speech", st::speech(0x5b6, SS[1], M[1])),
            p.insert("study_check", st::study_check(0x5b7, M[1])),
            p.insert("suggestion", st::suggestion(0x5b8, M[1])),
            // No part in the 转段评估, nor in the office's lists.
            p.insert("transition_review", st::review(0x5b9, U[0])),
            p.insert("transition_sign_off", st::sign_off(0x5ba, TR[0])),
            p.insert("transition_decision", st::decision(0x5bb, TR[0])),
            p.insert("study_settings", st::settings(0x5bc)),
            p.insert("transition_checklist", st::checklist(0x5bd)),
        ];
        cases.extend(theirs.into_iter().map(|c| (1, c, false)));
    }
    {
        let p = &mut village_cadre;
        let refused = [
            p.insert("study_session", st::session(0x6a1, B[0])),
            p.insert("attendance", st::attendance(0x6a2, SS[0], M[0])),
            p.insert("study_delivery", st::delivery(0x6a3, SS[0], M[0])),
            p.insert("speech", st::speech(0x6a4, SS[0], M[0])),
            p.insert("study_check", st::study_check(0x6a5, M[0])),
            p.insert("suggestion", st::suggestion(0x6a6, M[0])),
            p.insert("transition_review", st::review(0x6a7, U[0])),
        ];
        cases.extend(refused.into_iter().map(|c| (3, c, false)));
    }
    for (who, p, mine, theirs) in [(0, &mut inspector, 0, 1), (2, &mut unit_inspector, 1, 0)] {
        let n = 0x700 + 0x20 * who as u32;
        let allowed = [
            p.insert("transition_review", st::review(n + 1, U[mine])),
            p.insert("transition_sign_off", st::sign_off(n + 2, TR[mine])),
        ];
        cases.extend(allowed.into_iter().map(|c| (who, c, true)));
        let refused = [
            p.insert("transition_review", st::review(n + 0x11, U[theirs])),
            p.insert("transition_sign_off", st::sign_off(n + 0x12, TR[theirs])),
            p.insert("transition_decision", st::decision(n + 0x13, TR[mine])),
            p.insert("attendance", st::attendance(n + 0x14, SS[mine], M[mine])),
            p.insert("study_session", st::session(n + 0x15, B[mine])),
            p.insert("study_check", st::study_check(n + 0x16, M[mine])),
            p.insert("study_settings", st::settings(n + 0x17)),
            p.insert("transition_checklist", st::checklist(n + 0x18)),
        ];
        cases.extend(refused.into_iter().map(|c| (who, c, false)));
    }
    {
        let p = &mut office;
        let allowed = [
            p.insert("study_settings", st::settings(0x9a1)),
            p.insert("transition_checklist", st::checklist(0x9a2)),
            p.insert("transition_decision", st::decision(0x9a3, TR[0])),
            p.insert("transition_decision", st::decision(0x9a4, TR[1])),
            p.insert("attendance", st::attendance(0x9a5, SS[0], M[0])),
        ];
        cases.extend(allowed.into_iter().map(|c| (4, c, true)));
    }
    let phones = [
        &inspector,
        &branch_cadre,
        &unit_inspector,
        &village_cadre,
        &office,
    ];
    let mut next_seq = [1, 1, 1, 1, first_seq];
    for (who, mut change, allowed) in cases {
        let phone = &phones[who];
        change["seq"] = json!(next_seq[who]);
        let before = count_changes(&f).await;
        let reply = phone.push(&f, std::slice::from_ref(&change)).await;
        if allowed {
            assert_eq!(reply.status, StatusCode::OK, "{change}: {}", reply.text());
            assert_eq!(reply.json()["last_seq"], json!(next_seq[who]), "{change}");
            assert_eq!(count_changes(&f).await, before + 1, "{change}");
            next_seq[who] += 1;
        } else {
            reply.assert_error(StatusCode::FORBIDDEN, "forbidden");
            assert_eq!(reply.json()["error"]["details"]["retryable"], false);
            assert_eq!(count_changes(&f).await, before, "{change}");
        }
    }

    // ---- pull: the study records each scope covers, exactly.
    let k = |kind: &str, n: u32| (kind.to_owned(), id(n));
    let study = |set: BTreeSet<(String, String)>| -> BTreeSet<(String, String)> {
        set.into_iter()
            .filter(|(kind, _)| st::KINDS.contains(&kind.as_str()))
            .collect()
    };
    let with = |parts: &[&[(String, String)]]| -> BTreeSet<(String, String)> {
        let mut set: BTreeSet<(String, String)> =
            [k("study_settings", 0x9a1), k("transition_checklist", 0x9a2)]
                .into_iter()
                .collect();
        set.extend(parts.iter().flat_map(|p| p.iter().cloned()));
        set
    };
    // Branch 0's records (its sessions, what hangs on them, its member's).
    let branch0 = [
        k("study_session", SS[0]),
        k("study_session", 0x5a1),
        k("attendance", 0x5a2),
        k("attendance", 0x9a5),
        k("study_delivery", 0x5a3),
        k("speech", 0x5a4),
        k("study_check", 0x5a5),
        k("suggestion", 0x5a6),
    ];
    let branch1 = [k("study_session", SS[1])];
    // Each unit's 转段评估 (at the unit, in no branch).
    let unit0 = [
        k("transition_review", TR[0]),
        k("transition_review", 0x701),
        k("transition_sign_off", 0x702),
        k("transition_decision", 0x9a3),
    ];
    let unit1 = [
        k("transition_review", TR[1]),
        k("transition_review", 0x741),
        k("transition_sign_off", 0x742),
        k("transition_decision", 0x9a4),
    ];
    let cases = [
        (
            "inspector of system 0",
            &inspector,
            with(&[&branch0, &unit0]),
        ),
        ("cadre of branch 0", &branch_cadre, with(&[&branch0])),
        (
            "inspector of unit 1",
            &unit_inspector,
            with(&[&branch1, &unit1]),
        ),
        ("cadre of village 0", &village_cadre, with(&[])),
        (
            "the city's office",
            &office,
            with(&[&branch0, &branch1, &unit0, &unit1]),
        ),
    ];
    for (name, phone, want) in cases {
        assert_eq!(study(phone.visible(&f).await), want, "{name}");
    }
}

/// Attendance, a delivery or a speech naming a session the server does
/// not know, or a sign-off or decision naming an unknown review, is
/// refused like any fact under an unknown parent (409 `unknown_parent`,
/// retryable: the parent may still arrive), and nothing of the batch is
/// stored.
#[tokio::test]
async fn study_facts_under_unknown_parents_are_refused_whole() {
    use common::study::{self as st, SS, TR};
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let mut batch = world(&mut office);
    batch.extend(st::study_world(&mut office));
    office.push_ok(&f, &batch).await;
    let logged = count_changes(&f).await;
    let facts = f.count("SELECT count(*) FROM facts").await;
    let seq = office.seq;

    let unknown = 0xeee;
    let good = office.insert("attendance", st::attendance(0xa01, SS[0], M[0]));
    let cases = [
        office.insert("attendance", st::attendance(0xa02, unknown, M[0])),
        office.insert("attendance", st::attendance(0xa03, SS[0], unknown)),
        office.insert("study_delivery", st::delivery(0xa04, unknown, M[0])),
        office.insert("speech", st::speech(0xa05, unknown, M[0])),
        office.insert("transition_sign_off", st::sign_off(0xa06, unknown)),
        office.insert("transition_decision", st::decision(0xa07, unknown)),
    ];
    for bad in cases {
        let mut change = bad.clone();
        change["seq"] = json!(seq + 2);
        let reply = office.push(&f, &[good.clone(), change]).await;
        reply.assert_error(StatusCode::CONFLICT, "unknown_parent");
        let details = &reply.json()["error"]["details"];
        assert_eq!(details["seq"], seq + 2, "{bad}");
        assert_eq!(details["kind"], bad["kind"], "{bad}");
        assert_eq!(details["retryable"], true, "{bad}");
        assert_eq!(count_changes(&f).await, logged, "{bad}");
        assert_eq!(f.count("SELECT count(*) FROM facts").await, facts, "{bad}");
        assert_eq!(last_seq_of(&f, &office).await, seq, "{bad}");
    }
    // Once the parent is there, the same records go through.
    let mut sign = office.insert("transition_sign_off", st::sign_off(0xa08, TR[0]));
    sign["seq"] = json!(seq + 2);
    assert_eq!(office.push_ok(&f, &[good, sign]).await, seq + 2);
    assert_eq!(f.count("SELECT count(*) FROM facts").await, facts + 2);
}
