//! The little city the sync tests push, and a phone that numbers and
//! stamps its changes like the app: shared so the sync, authorization and
//! fuzz tests speak about the same records.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{Fixture, Reply};

/// A fixed id: `n` in a recognisable UUIDv7-shaped range.
pub fn id(n: u32) -> String {
    format!("01930000-0000-7000-8000-{n:012x}")
}

/// A phone: its token, its change numbers and its clock.
pub struct Phone {
    pub token: String,
    pub device: String,
    pub seq: u64,
    pub wall: u64,
}

impl Phone {
    pub async fn enroll(f: &Fixture, token: String) -> Phone {
        let me = f.get("/api/me", Some(&token)).await.json();
        Phone {
            token,
            device: me["device_id"].as_str().unwrap().to_owned(),
            seq: 0,
            wall: xianfeng_server::secrets::now_ms(),
        }
    }

    pub fn hlc(&mut self) -> Value {
        self.wall += 1;
        json!({"wall": self.wall, "counter": 0, "device": self.device})
    }

    pub fn insert(&mut self, kind: &str, record: Value) -> Value {
        self.seq += 1;
        let hlc = self.hlc();
        json!({"schema": 1, "seq": self.seq, "kind": kind, "id": record["id"], "hlc": hlc,
               "op": "insert", "record": record})
    }

    /// A whole mutable record as its first `Set`.
    pub fn create(&mut self, kind: &str, record: Value) -> Value {
        let mut fields = record.as_object().unwrap().clone();
        let id = fields.remove("id").unwrap();
        self.set(kind, id.as_str().unwrap(), Value::Object(fields), None)
    }

    pub fn set(&mut self, kind: &str, id: &str, fields: Value, seen: Option<Value>) -> Value {
        self.seq += 1;
        let hlc = self.hlc();
        let mut change = json!({"schema": 1, "seq": self.seq, "kind": kind, "id": id,
                                "hlc": hlc, "op": "set", "fields": fields});
        if let Some(seen) = seen {
            change["seen"] = seen;
        }
        change
    }

    pub async fn push(&self, f: &Fixture, changes: &[Value]) -> Reply {
        f.post(
            "/api/sync/push",
            Some(&self.token),
            json!({"changes": changes}),
        )
        .await
    }

    pub async fn push_ok(&self, f: &Fixture, changes: &[Value]) -> u64 {
        let reply = self.push(f, changes).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let body = reply.json();
        assert!(body["server_time_ms"].as_u64().unwrap() > 1_600_000_000_000);
        body["last_seq"].as_u64().unwrap()
    }

    /// Pulls every page from `cursor`; returns the changes and the final page.
    pub async fn pull_all(&self, f: &Fixture, mut cursor: u64, limit: u32) -> (Vec<Value>, Value) {
        let mut all = Vec::new();
        loop {
            let reply = f
                .post(
                    "/api/sync/pull",
                    Some(&self.token),
                    json!({"cursor": cursor, "limit": limit}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
            let page = reply.json();
            let changes = page["changes"].as_array().unwrap();
            assert!(changes.len() <= limit as usize);
            all.extend(changes.iter().cloned());
            let next = page["cursor"].as_u64().unwrap();
            assert!(next >= cursor);
            cursor = next;
            if !page["more"].as_bool().unwrap() {
                return (all, page);
            }
        }
    }

    /// The (kind, id) of every record this phone can pull.
    pub async fn visible(&self, f: &Fixture) -> BTreeSet<(String, String)> {
        let (changes, _) = self.pull_all(f, 0, 1000).await;
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
}

// The little city of the tests: two systems, each with a unit, a branch, a
// member, a village with a household paired with that member, a spot
// check, an observation and a visit.
pub const S: [u32; 2] = [0x51, 0x52];
pub const U: [u32; 2] = [0x61, 0x62];
pub const B: [u32; 2] = [0x71, 0x72];
pub const V: [u32; 2] = [0x81, 0x82];
pub const M: [u32; 2] = [0x91, 0x92];
pub const H: [u32; 2] = [0xa1, 0xa2];
pub const P: [u32; 2] = [0xb1, 0xb2];
pub const C: [u32; 2] = [0xc1, 0xc2];
pub const O: [u32; 2] = [0xd1, 0xd2];
pub const VS: [u32; 2] = [0xe1, 0xe2];
pub const INSPECTOR: u32 = 0xf1;

pub fn spot_check(check: u32, unit: u32) -> Value {
    json!({"id": id(check), "inspector": id(INSPECTOR), "place": {"kind": "unit", "unit": id(unit)},
           "at": "2005-03-14T09:30:00+08:00", "mode": "unannounced"})
}

pub fn observation(obs: u32, check: u32, member: u32) -> Value {
    json!({"id": id(obs), "check": id(check), "member": id(member), "outcome": {"kind": "not_wearing"}})
}

pub fn household(h: u32, village: u32) -> Value {
    json!({"id": id(h), "head": "李某", "village": id(village), "size": 4, "attribute": "dibao",
           "causes": ["illness"]})
}

pub fn visit(v: u32, h: u32, member: u32) -> Value {
    json!({"id": id(v), "household": id(h), "member": id(member), "on": "2005-02-25"})
}

pub fn world(office: &mut Phone) -> Vec<Value> {
    let mut out = vec![office.create("inspector", json!({"id": id(INSPECTOR), "name": "刘林恒"}))];
    for i in 0..2 {
        out.push(office.create(
            "system",
            json!({"id": id(S[i]), "name": format!("系统{i}")}),
        ));
        out.push(office.create(
            "unit",
            json!({"id": id(U[i]), "system": id(S[i]), "name": format!("单位{i}")}),
        ));
        out.push(office.create(
            "branch",
            json!({"id": id(B[i]), "unit": id(U[i]), "name": format!("支部{i}")}),
        ));
        out.push(office.create("village", json!({"id": id(V[i]), "name": format!("村{i}")})));
        out.push(office.create(
            "member",
            json!({"id": id(M[i]), "name": format!("党员{i}"), "branch": id(B[i]),
                                                "post_type": "management", "status": "in_post"}),
        ));
        out.push(office.create("household", household(H[i], V[i])));
        out.push(office.create(
            "pairing",
            json!({"id": id(P[i]), "member": id(M[i]), "household": id(H[i]),
                                                 "since": "2005-02-20"}),
        ));
        out.push(office.insert("spot_check", spot_check(C[i], U[i])));
        out.push(office.insert("observation", observation(O[i], C[i], M[i])));
        out.push(office.insert("visit", visit(VS[i], H[i], M[i])));
    }
    out
}

pub async fn count_changes(f: &Fixture) -> i64 {
    f.count("SELECT count(*) FROM changes").await
}

pub async fn last_seq_of(f: &Fixture, phone: &Phone) -> u64 {
    let device = phone.device.clone();
    f.read(move |c| {
        c.query_one(
            "SELECT last_seq FROM devices WHERE id = ?1",
            xianfeng_server::params![device],
        )?
        .int(0)
    })
    .await as u64
}

pub async fn office_phone(f: &Fixture) -> Phone {
    let token = f.enroll_admin().await;
    Phone::enroll(f, token).await
}
