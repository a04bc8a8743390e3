//! The authorization matrix for changes that move a record, or drag one
//! along, or hang a record under one (issue 12): write rights are needed
//! at the old place and at the new one, for the record and for everything
//! that moves with it. Each case is pushed alone over the real router and
//! SQLite; a refusal is a 403 `forbidden` that stores nothing, and the
//! household data each phone can pull afterwards is exactly its own.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::city::*;
use common::Fixture;
use serde_json::{json, Value};

/// A second branch of unit 0, a post held by member 0, and two unpaired
/// households (one per village).
const B0B: u32 = 0x73;
const POST: u32 = 0x3b1;
const LONE: [u32; 2] = [0xa5, 0xa6];

fn extras(office: &mut Phone) -> Vec<Value> {
    vec![
        office.create(
            "branch",
            json!({"id": id(B0B), "unit": id(U[0]), "name": "第二支部"}),
        ),
        office.create(
            "post",
            json!({"id": id(POST), "member": id(M[0]), "unit": id(U[0]), "name": "办证窗口",
                   "promise": "当天办结"}),
        ),
        office.create("household", household(LONE[0], V[0])),
        office.create("household", household(LONE[1], V[1])),
    ]
}

fn pairing(p: u32, member: u32, h: u32) -> Value {
    json!({"id": id(p), "member": id(member), "household": id(h), "since": "2005-03-01"})
}

fn support(s: u32, h: u32, member: u32) -> Value {
    json!({"id": id(s), "household": id(h), "member": id(member), "on": "2005-03-02",
           "support": {"kind": "project"}, "description": "养猪项目"})
}

fn dispute(d: u32, village: u32, h: u32, member: u32) -> Value {
    json!({"id": id(d), "village": id(village), "household": id(h), "member": id(member),
           "resolved_on": "2005-03-03", "summary": "宅基地纠纷"})
}

/// Where the server has a mutable record now: its branch and village.
async fn place_of(f: &Fixture, kind: &'static str, n: u32) -> (Option<String>, Option<String>) {
    let id = id(n);
    f.read(move |c| {
        let row = c.query_one(
            "SELECT loc_branch, loc_village FROM records WHERE kind = ?1 AND id = ?2",
            xianfeng_server::params![kind, id.as_str()],
        )?;
        Ok((row.opt_text(0)?, row.opt_text(1)?))
    })
    .await
}

async fn households_seen(phone: &Phone, f: &Fixture) -> BTreeSet<String> {
    phone
        .visible(f)
        .await
        .into_iter()
        .filter(|(kind, _)| kind == "household")
        .map(|(_, id)| id)
        .collect()
}

#[tokio::test]
async fn moving_a_record_needs_write_rights_at_both_places() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let mut batch = world(&mut office);
    batch.extend(extras(&mut office));
    office.push_ok(&f, &batch).await;
    let enroll = |role: &'static str, scope: Value| {
        let f = &f;
        let office = office.token.clone();
        async move { Phone::enroll(f, f.enroll_as(&office, role, scope, "用户").await).await }
    };
    let mut branch = enroll("cadre", json!({"level": "branch", "id": id(B[0])})).await;
    let mut village = enroll("cadre", json!({"level": "village", "id": id(V[0])})).await;
    let mut inspector = enroll("inspector", json!({"level": "system", "id": id(S[0])})).await;

    // (phone, what it tries, the change, allowed)
    let mut cases: Vec<(usize, &str, Value, bool)> = Vec::new();
    {
        let p = &mut branch;
        let b = 0;
        cases.push((
            b,
            "issue 12: my member paired with another branch's household",
            p.create("pairing", pairing(0x4b1, M[0], H[1])),
            false,
        ));
        cases.push((
            b,
            "my member paired with an unpaired household of another village",
            p.create("pairing", pairing(0x4b2, M[0], LONE[1])),
            false,
        ));
        cases.push((
            b,
            "my member paired with an unpaired household of a village",
            p.create("pairing", pairing(0x4b3, M[0], LONE[0])),
            false,
        ));
        cases.push((
            b,
            "my pairing re-pointed at another branch's household",
            p.set("pairing", &id(P[0]), json!({"household": id(H[1])}), None),
            false,
        ));
        cases.push((
            b,
            "my pairing handed to another branch's member",
            p.set("pairing", &id(P[0]), json!({"member": id(M[1])}), None),
            false,
        ));
        cases.push((
            b,
            "member transfer out of my branch",
            p.set("member", &id(M[0]), json!({"branch": id(B0B)}), None),
            false,
        ));
        cases.push((
            b,
            "member transfer into my branch",
            p.set("member", &id(M[1]), json!({"branch": id(B[0])}), None),
            false,
        ));
        cases.push((
            b,
            "post re-registered to another unit",
            p.set("post", &id(POST), json!({"unit": id(U[1])}), None),
            false,
        ));
        let mut stale = p.set("post", &id(POST), json!({"unit": id(U[1])}), None);
        stale["hlc"]["wall"] = json!(1);
        cases.push((
            b,
            "post re-registered with a stale stamp (it would lose the merge)",
            stale,
            false,
        ));
        cases.push((
            b,
            "a visit by my member under another branch's household",
            p.insert("visit", visit(0x4e1, H[1], M[0])),
            false,
        ));
        cases.push((
            b,
            "support by my member under another branch's household",
            p.insert("support_item", support(0x4f1, H[1], M[0])),
            false,
        ));
        cases.push((
            b,
            "a dispute settled by my member about another branch's household",
            p.insert("dispute", dispute(0x4d1, V[1], H[1], M[0])),
            false,
        ));
        cases.push((
            b,
            "my household's card edited where it stands",
            p.set("household", &id(H[0]), json!({"size": 6}), None),
            true,
        ));
        cases.push((
            b,
            "my member's post renamed where it stands",
            p.set("post", &id(POST), json!({"name": "咨询窗口"}), None),
            true,
        ));
        cases.push((
            b,
            "a visit by my member under my household",
            p.insert("visit", visit(0x4e2, H[0], M[0])),
            true,
        ));
    }
    {
        let p = &mut village;
        let v = 1;
        cases.push((
            v,
            "a household moved to another village",
            p.set("household", &id(H[0]), json!({"village": id(V[1])}), None),
            false,
        ));
        cases.push((
            v,
            "another village's household moved here",
            p.set(
                "household",
                &id(LONE[1]),
                json!({"village": id(V[0])}),
                None,
            ),
            false,
        ));
        cases.push((
            v,
            "a household of my village paired with a member",
            p.create("pairing", pairing(0x5b1, M[0], LONE[0])),
            true,
        ));
        cases.push((
            v,
            "a household of my village handed to another branch's member",
            p.create("pairing", pairing(0x5b2, M[1], H[0])),
            true,
        ));
    }
    {
        let p = &mut inspector;
        let i = 2;
        cases.push((
            i,
            "an observation under another system's spot check",
            p.insert("observation", observation(0x4d5, C[1], M[0])),
            false,
        ));
        cases.push((
            i,
            "an observation under a spot check not received",
            p.insert("observation", observation(0x4d6, 0xfff, M[0])),
            false,
        ));
        cases.push((
            i,
            "an observation under my system's spot check",
            p.insert("observation", observation(0x4d7, C[0], M[0])),
            true,
        ));
    }
    let phones = [&branch, &village, &inspector];
    let mut next_seq = [1u64; 3];
    for (who, what, mut change, allowed) in cases {
        change["seq"] = json!(next_seq[who]);
        let before = count_changes(&f).await;
        let reply = phones[who].push(&f, std::slice::from_ref(&change)).await;
        if allowed {
            assert_eq!(reply.status, StatusCode::OK, "{what}: {}", reply.text());
            next_seq[who] += 1;
        } else {
            assert!(
                reply.status == StatusCode::FORBIDDEN || reply.status == StatusCode::CONFLICT,
                "{what}: {}",
                reply.text()
            );
            let code = reply.json()["error"]["code"].clone();
            assert!(
                code == "forbidden" || code == "unknown_parent",
                "{what}: {code}"
            );
            assert_eq!(count_changes(&f).await, before, "{what}: stored something");
            assert_eq!(
                last_seq_of(&f, phones[who]).await,
                next_seq[who] - 1,
                "{what}"
            );
        }
    }

    // Nothing moved into the branch cadre's reach: another branch's
    // household stays where it was, and so does the unpaired one.
    assert_eq!(
        place_of(&f, "household", H[1]).await,
        (Some(id(B[1])), Some(id(V[1])))
    );
    assert_eq!(
        place_of(&f, "household", LONE[1]).await,
        (None, Some(id(V[1])))
    );
    let seen = households_seen(&branch, &f).await;
    assert!(
        !seen.contains(&id(H[1])) && !seen.contains(&id(LONE[1])),
        "{seen:?}"
    );
    // The village's pairings moved its households where the new members are.
    assert_eq!(
        place_of(&f, "household", LONE[0]).await,
        (Some(id(B[0])), Some(id(V[0])))
    );
    assert_eq!(
        place_of(&f, "household", H[0]).await,
        (Some(id(B[1])), Some(id(V[0])))
    );
}

/// A member transferred by the office takes the households paired with
/// them along: the card is re-sent in full to the new branch, and later
/// edits no longer reach the old one.
#[tokio::test]
async fn a_transferred_member_takes_their_households_along() {
    let f = Fixture::new();
    let mut office = office_phone(&f).await;
    let mut batch = world(&mut office);
    batch.extend(extras(&mut office));
    office.push_ok(&f, &batch).await;
    let transfer = office.set("member", &id(M[0]), json!({"branch": id(B0B)}), None);
    office.push_ok(&f, &[transfer]).await;
    assert_eq!(
        place_of(&f, "household", H[0]).await,
        (Some(id(B0B)), Some(id(V[0])))
    );
    assert_eq!(
        place_of(&f, "household", H[1]).await,
        (Some(id(B[1])), Some(id(V[1]))),
        "other households stay"
    );
    let token = f
        .enroll_as(
            &office.token,
            "cadre",
            json!({"level": "branch", "id": id(B0B)}),
            "新支部",
        )
        .await;
    let new_branch = Phone::enroll(&f, token).await;
    let (changes, _) = new_branch.pull_all(&f, 0, 1000).await;
    let fields: BTreeSet<String> = changes
        .iter()
        .filter(|c| c["change"]["kind"] == "household" && c["change"]["id"] == id(H[0]))
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
    // A later edit of the card goes to the new branch, not the old one.
    let token = f
        .enroll_as(
            &office.token,
            "cadre",
            json!({"level": "branch", "id": id(B[0])}),
            "旧支部",
        )
        .await;
    let old_branch = Phone::enroll(&f, token).await;
    let (_, page) = old_branch.pull_all(&f, 0, 1000).await;
    let cursor = page["cursor"].as_u64().unwrap();
    let edit = office.set("household", &id(H[0]), json!({"size": 7}), None);
    office.push_ok(&f, &[edit]).await;
    let (after, _) = old_branch.pull_all(&f, cursor, 1000).await;
    assert!(after.is_empty(), "{after:?}");
    let (after, _) = new_branch.pull_all(&f, 0, 1000).await;
    assert!(after
        .iter()
        .any(|c| c["change"]["fields"]["size"] == json!(7)));
}
