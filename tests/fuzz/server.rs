//! The decoders the server runs, over its real router and a real SQLite
//! file: `POST /api/sync/push` and `/api/sync/pull` from five phones (the
//! office, two branch cadres, a village cadre, an inspector),
//! `POST /api/enroll`, `POST /api/invites` and the public review form
//! `POST /r/{post}`. After each case the database is read to check the
//! properties: a refusal stored nothing (and a pull shows nothing new), an
//! acceptance stored exactly what was sent, a pull leaks nothing.

use std::net::{Ipv4Addr, SocketAddr};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request};
use axum::Router;
use proptest::prelude::*;
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt;
use xianfeng_core::sync::{
    canonical_json, check_change, Change, Op, PullResponse, PushRequest, PushResponse, MAX_SEQ,
};
use xianfeng_core::{Actor, Location, RecordKind, Role, Scope};
use xianfeng_server::{enroll, router, AppState, Db, LimitConfig, ReviewConfig};

use crate::gen::{apply, apply_bytes, byte_edits, edits, json, number, text, ByteEdit, Edit};
use crate::oracle::{api_answer, clean_text, truncate};
use crate::world::{as_change, examples, id, ids};
use crate::Fuzz;

/// One answer.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub cache: String,
    pub body: Vec<u8>,
}

impl Reply {
    fn label(&self, target: &str) -> String {
        let code = self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        format!("{target} {} {code}", self.status)
    }

    fn api(&self) -> Result<(), String> {
        api_answer(self.status, &self.content_type, &self.cache, &self.body)
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// An enrolled phone and what the fuzzer knows of it.
struct Phone {
    token: String,
    device: String,
    actor: Actor,
}

pub struct Server {
    rt: tokio::runtime::Runtime,
    _dir: TempDir,
    db: Db,
    app: Router,
    phones: Vec<Phone>,
    office_cursor: u64,
    seeds: Vec<Value>,
    post: String,
    form_token: String,
    /// Answers seen, by target, status and code (printed after the run).
    tally: std::collections::BTreeMap<String, u64>,
}

fn sql_u64(db: &Db, rt: &tokio::runtime::Runtime, sql: &'static str, arg: String) -> u64 {
    rt.block_on(db.call(move |c| {
        let n: i64 = c.query_row(sql, [arg], |r| r.get(0))?;
        Ok(n)
    }))
    .map(|n| n as u64)
    .unwrap_or(0)
}

impl Server {
    /// A fresh server with the world pushed by the office and four more
    /// phones enrolled. Its database lives in memory-backed storage where
    /// there is some (`/dev/shm`), so durable commits stay cheap.
    pub fn start() -> Server {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir_in("/dev/shm").unwrap_or_else(|_| tempfile::tempdir().unwrap());
        let data = dir.path().join("data");
        let db = Db::open_in_dir(&data).unwrap();
        let limits = LimitConfig {
            enroll_per_minute: 1_000_000,
            sync_per_second: 1_000_000,
            sync_burst: 1_000_000,
        };
        let review = ReviewConfig {
            per_post_per_hour: 1_000_000,
            min_form_age: time::Duration::ZERO,
            max_form_age: time::Duration::days(1),
        };
        let state = AppState::new(db.clone(), dir.path().join("dist"))
            .with_limits(limits)
            .with_review_config(review);
        let app = router(state);
        let admin = {
            let data = data.clone();
            let store = xianfeng_server::Store::from(db.clone());
            let now = time::OffsetDateTime::now_utc();
            rt.block_on(enroll::announce_admin_code(
                &store,
                &data,
                "http://fuzz",
                now,
            ))
            .unwrap()
            .unwrap()
        };
        let mut server = Server {
            rt,
            _dir: dir,
            db,
            app,
            phones: Vec::new(),
            office_cursor: 0,
            seeds: Vec::new(),
            post: id(0x0b, 0),
            form_token: String::new(),
            tally: Default::default(),
        };
        let office = server.enroll_phone(&admin, Actor::new(Role::Office, Scope::City));
        server.phones.push(office);
        let device = server.phones[0].device.clone();
        let world: Vec<Value> = examples()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut c = as_change(e, 1_700_000_000_000 + i as u64, &device);
                c["seq"] = json!(i + 1);
                c
            })
            .collect();
        let reply = server.post(
            "/api/sync/push",
            Some(0),
            json!({"changes": world}).to_string().into_bytes(),
        );
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        server.seeds = world
            .into_iter()
            .map(|mut c| {
                c.as_object_mut().unwrap().remove("seq");
                c
            })
            .collect();
        for (role, scope) in [
            ("cadre", json!({"level": "branch", "id": id(0x04, 0)})),
            ("cadre", json!({"level": "village", "id": id(0x05, 0)})),
            ("inspector", json!({"level": "system", "id": id(0x02, 0)})),
            ("cadre", json!({"level": "branch", "id": id(0x04, 1)})),
        ] {
            let code = server.invite(role, scope.clone());
            let actor = Actor::new(
                serde_json::from_value(json!(role)).unwrap(),
                serde_json::from_value(scope).unwrap(),
            );
            let phone = server.enroll_phone(&code, actor);
            server.phones.push(phone);
        }
        let (_, cursor) = server.pull_all(0, 0).unwrap();
        server.office_cursor = cursor;
        let page = server.get(&format!("/r/{}", server.post));
        let html = String::from_utf8_lossy(&page.body).into_owned();
        server.form_token = html
            .split("name=\"token\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the review form has a token")
            .to_owned();
        server
    }

    fn send(&self, request: Request<Body>) -> Reply {
        let response = self.rt.block_on(self.app.clone().oneshot(request)).unwrap();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &header::HeaderValue| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let content_type = header_text(header::CONTENT_TYPE);
        let cache = header_text(header::CACHE_CONTROL);
        let status = response.status().as_u16();
        let body = self
            .rt
            .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
            .unwrap()
            .to_vec();
        Reply {
            status,
            content_type,
            cache,
            body,
        }
    }

    fn post(&self, uri: &str, phone: Option<usize>, body: Vec<u8>) -> Reply {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(p) = phone {
            request = request.header(
                header::AUTHORIZATION,
                format!("Bearer {}", self.phones[p].token),
            );
        }
        self.send(request.body(Body::from(body)).unwrap())
    }

    fn get(&self, uri: &str) -> Reply {
        self.send(Request::builder().uri(uri).body(Body::empty()).unwrap())
    }

    fn invite(&self, role: &str, scope: Value) -> String {
        let body = json!({"role": role, "scope": scope, "name": "用户"}).to_string();
        let reply = self.post("/api/invites", Some(0), body.into_bytes());
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        reply.json()["code"].as_str().unwrap().to_owned()
    }

    fn enroll_phone(&self, code: &str, actor: Actor) -> Phone {
        let body = json!({"code": code, "device_name": "手机"}).to_string();
        let reply = self.post("/api/enroll", None, body.into_bytes());
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        let answer = reply.json();
        Phone {
            token: answer["token"].as_str().unwrap().to_owned(),
            device: answer["device_id"].as_str().unwrap().to_owned(),
            actor,
        }
    }

    fn rows(&self) -> u64 {
        sql_u64(
            &self.db,
            &self.rt,
            "SELECT count(*) FROM changes WHERE ?1 = ?1",
            String::new(),
        )
    }

    fn last_seq(&self, phone: usize) -> u64 {
        let device = self.phones[phone].device.clone();
        sql_u64(
            &self.db,
            &self.rt,
            "SELECT last_seq FROM devices WHERE id = ?1",
            device,
        )
    }

    /// Every page after `cursor` for `phone`; checks each page's order and
    /// that the phone may read every change in it, and can read it.
    fn pull_all(&self, phone: usize, mut cursor: u64) -> Result<(Vec<Change>, u64), String> {
        let mut all = Vec::new();
        loop {
            let body = json!({"cursor": cursor}).to_string().into_bytes();
            let reply = self.post("/api/sync/pull", Some(phone), body);
            reply.api()?;
            let page: PullResponse = serde_json::from_slice(&reply.body)
                .map_err(|e| format!("pull page unreadable: {e}"))?;
            self.check_page(phone, cursor, &page)?;
            cursor = page.cursor;
            all.extend(page.changes.into_iter().map(|c| c.change));
            if !page.more {
                return Ok((all, cursor));
            }
        }
    }

    fn check_page(&self, phone: usize, after: u64, page: &PullResponse) -> Result<(), String> {
        let mut previous = after;
        for c in &page.changes {
            if c.server_seq <= previous {
                return Err(format!(
                    "pull out of order: {} after {previous}",
                    c.server_seq
                ));
            }
            previous = c.server_seq;
            check_change(&c.change).map_err(|e| format!("pulled a change a phone refuses: {e}"))?;
            let seq = c.server_seq as i64;
            let place =
                self.rt
                    .block_on(self.db.call(move |conn| {
                        Ok(conn.query_row(
                        "SELECT kind, loc_system, loc_unit, loc_branch, loc_village FROM changes \
                         WHERE server_seq = ?1",
                        [seq],
                        |r| {
                            Ok((
                                r.get::<_, String>(0)?,
                                [r.get::<_, Option<String>>(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
                            ))
                        },
                    )?)
                    }))
                    .map_err(|e| e.to_string())?;
            fn id<T: std::str::FromStr>(text: &Option<String>) -> Option<T> {
                text.as_deref().and_then(|s| s.parse().ok())
            }
            let location = Location {
                system: id(&place.1[0]),
                unit: id(&place.1[1]),
                branch: id(&place.1[2]),
                village: id(&place.1[3]),
            };
            let kind: RecordKind =
                serde_json::from_value(json!(place.0)).map_err(|e| e.to_string())?;
            if !self.phones[phone].actor.may_read(kind, &location) {
                return Err(format!(
                    "leak: phone {phone} pulled {kind:?} at {location:?}"
                ));
            }
        }
        if page.changes.len() > 1000 || page.cursor < previous {
            return Err(format!(
                "page of {} up to {previous}, cursor {}",
                page.changes.len(),
                page.cursor
            ));
        }
        Ok(())
    }

    /// A push and its properties (see the module docs).
    fn check_push(&mut self, phone: usize, body: Vec<u8>) -> Result<(), String> {
        let rows = self.rows();
        let last = self.last_seq(phone);
        let reply = self.post("/api/sync/push", Some(phone), body.clone());
        *self.tally.entry(reply.label("push")).or_default() += 1;
        reply.api()?;
        let (pulled, cursor) = self.pull_all(0, self.office_cursor)?;
        self.office_cursor = cursor;
        let new_rows = self.rows() - rows;
        if pulled.len() as u64 != new_rows {
            return Err(format!("{new_rows} rows logged, {} pulled", pulled.len()));
        }
        if reply.status != 200 {
            if new_rows != 0 || self.last_seq(phone) != last {
                return Err(format!(
                    "refused ({}) but stored {new_rows} rows",
                    reply.status
                ));
            }
            return Ok(());
        }
        let answer: PushResponse =
            serde_json::from_slice(&reply.body).map_err(|e| e.to_string())?;
        if answer.last_seq != self.last_seq(phone) {
            return Err("answered a number other than the one stored".into());
        }
        let request: PushRequest = serde_json::from_slice(&body)
            .map_err(|e| format!("200 for a body that is no push request: {e}"))?;
        if let Some(c) = request
            .changes
            .iter()
            .find(|c| !(1..=MAX_SEQ).contains(&c.seq))
        {
            return Err(format!("accepted a batch with change number {}", c.seq));
        }
        let sent_up_to = request.changes.last().map_or(last, |c| c.seq.max(last));
        if answer.last_seq != sent_up_to {
            return Err(format!(
                "acknowledged {} for a batch up to {sent_up_to}",
                answer.last_seq
            ));
        }
        for change in request.changes.iter().filter(|c| c.seq > last) {
            self.check_stored(phone, change)?;
        }
        Ok(())
    }

    /// An accepted change is logged as sent, or (a fact sent before) stored
    /// with the same content, or (a field edit that lost) not logged.
    fn check_stored(&self, phone: usize, change: &Change) -> Result<(), String> {
        let (device, seq) = (self.phones[phone].device.clone(), change.seq as i64);
        let logged: Option<String> = self
            .rt
            .block_on(self.db.call(move |c| {
                let mut stmt =
                    c.prepare("SELECT body FROM changes WHERE device = ?1 AND device_seq = ?2")?;
                let mut rows = stmt.query(rusqlite::params![device, seq])?;
                Ok(match rows.next()? {
                    Some(row) => Some(row.get(0)?),
                    None => None,
                })
            }))
            .map_err(|e| e.to_string())?;
        match (&change.op, logged) {
            (_, Some(text)) => {
                let logged: Change = serde_json::from_str(&text).map_err(|e| e.to_string())?;
                if logged.kind != change.kind || logged.id != change.id || logged.op != change.op {
                    return Err(format!(
                        "logged {} for sent {:?}",
                        truncate(&text),
                        change.op
                    ));
                }
            }
            (Op::Insert { record }, None) => {
                let (kind, id) = (change.kind.as_str().to_owned(), change.id.to_string());
                let stored: Option<String> = self
                    .rt
                    .block_on(self.db.call(move |c| {
                        let mut stmt =
                            c.prepare("SELECT canonical FROM facts WHERE kind = ?1 AND id = ?2")?;
                        let mut rows = stmt.query([kind, id])?;
                        Ok(match rows.next()? {
                            Some(row) => Some(row.get(0)?),
                            None => None,
                        })
                    }))
                    .map_err(|e| e.to_string())?;
                if stored.as_deref() != Some(canonical_json(record).as_str()) {
                    return Err("an accepted fact is not stored as sent".into());
                }
            }
            (Op::Set { .. }, None) => {}
        }
        match &change.op {
            Op::Insert { record } => crate::phone::round_trip(change.kind, record),
            Op::Set { fields, .. } => {
                // As sent (a value that lost the merge was accepted too).
                fields.values().try_for_each(clean_text)?;
                let record = self.stored_record(change.kind, change.id)?;
                crate::phone::round_trip(change.kind, &record)
            }
        }
    }

    /// A mutable record as the server holds it now (id and fields).
    fn stored_record(&self, kind: RecordKind, id: uuid::Uuid) -> Result<Value, String> {
        let (k, i) = (kind.as_str().to_owned(), id.to_string());
        let fields: Vec<(String, String)> = self
            .rt
            .block_on(self.db.call(move |c| {
                let mut stmt =
                    c.prepare("SELECT field, value FROM fields WHERE kind = ?1 AND id = ?2")?;
                let rows = stmt.query_map([k, i], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            }))
            .map_err(|e| e.to_string())?;
        let mut record = serde_json::Map::new();
        record.insert("id".into(), json!(id));
        for (field, value) in fields {
            record.insert(
                field,
                serde_json::from_str(&value).map_err(|e| e.to_string())?,
            );
        }
        Ok(Value::Object(record))
    }

    fn check_pull(&mut self, phone: usize, body: Vec<u8>) -> Result<(), String> {
        let reply = self.post("/api/sync/pull", Some(phone), body);
        *self.tally.entry(reply.label("pull")).or_default() += 1;
        reply.api()?;
        if reply.status == 200 {
            let page: PullResponse =
                serde_json::from_slice(&reply.body).map_err(|e| e.to_string())?;
            self.check_page(phone, 0, &page)?;
        }
        Ok(())
    }

    fn check_enroll(&mut self, body: Vec<u8>) -> Result<(), String> {
        let mark = self.newest_rows();
        let reply = self.post("/api/enroll", None, body);
        *self.tally.entry(reply.label("enroll")).or_default() += 1;
        reply.api()?;
        if reply.status == 200 {
            let token = reply.json()["token"].as_str().unwrap_or("").to_owned();
            let me = self.send(
                Request::builder()
                    .uri("/api/me")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            );
            if me.status != 200 {
                return Err(format!("enrolled, but its token gets {}", me.status));
            }
        } else if self.newest_rows() != mark {
            return Err("a refused enrollment stored a device".into());
        }
        self.names_since_are_clean(mark)
    }

    fn check_invite(&mut self, phone: usize, body: Vec<u8>) -> Result<(), String> {
        let mark = self.newest_rows();
        let reply = self.post("/api/invites", Some(phone), body);
        *self.tally.entry(reply.label("invite")).or_default() += 1;
        reply.api()?;
        if reply.status != 200 && self.newest_rows() != mark {
            return Err("a refused invite stored a code".into());
        }
        self.names_since_are_clean(mark)
    }

    /// The newest row of the invites and of the devices.
    fn newest_rows(&self) -> (u64, u64) {
        let newest = |table| {
            let sql = match table {
                0 => "SELECT coalesce(max(rowid), 0) FROM enrollment_codes WHERE ?1 = ?1",
                _ => "SELECT coalesce(max(rowid), 0) FROM devices WHERE ?1 = ?1",
            };
            sql_u64(&self.db, &self.rt, sql, String::new())
        };
        (newest(0), newest(1))
    }

    /// Names stored (invites, devices) after `mark` are clean.
    fn names_since_are_clean(&self, (codes, devices): (u64, u64)) -> Result<(), String> {
        let names: Vec<String> = self
            .rt
            .block_on(self.db.call(move |c| {
                let mut stmt = c.prepare(
                    "SELECT name FROM enrollment_codes WHERE rowid > ?1 \
                     UNION ALL SELECT name FROM devices WHERE rowid > ?2 \
                     UNION ALL SELECT device_name FROM devices WHERE rowid > ?2",
                )?;
                let rows = stmt.query_map([codes as i64, devices as i64], |r| r.get(0))?;
                Ok(rows.collect::<Result<_, _>>()?)
            }))
            .map_err(|e| e.to_string())?;
        names.iter().try_for_each(|n| clean_text(&json!(n)))
    }

    fn check_review(&mut self, post: &str, ip: u32, body: Vec<u8>) -> Result<(), String> {
        let count = || {
            sql_u64(
                &self.db,
                &self.rt,
                "SELECT count(*) FROM facts WHERE kind = ?1",
                "public_review".into(),
            )
        };
        let before = count();
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(format!("/r/{post}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let addr = SocketAddr::from((Ipv4Addr::from(ip), 4242));
        request.extensions_mut().insert(ConnectInfo(addr));
        let reply = self.send(request);
        *self
            .tally
            .entry(format!("review {}", reply.status))
            .or_default() += 1;
        if reply.status >= 500 {
            return Err(format!(
                "{}: {}",
                reply.status,
                truncate(&String::from_utf8_lossy(&reply.body))
            ));
        }
        if !reply.content_type.starts_with("text/html") {
            return Err(format!("review answer as {:?}", reply.content_type));
        }
        let added = count() - before;
        match (reply.status, added) {
            (200, 1) | (400..=499, 0) => {}
            (status, added) => return Err(format!("{status} with {added} reviews stored")),
        }
        // The review just stored, if any.
        let stored: Vec<String> = self
            .rt
            .block_on(self.db.call(move |c| {
                let mut stmt = c.prepare(
                    "SELECT canonical FROM facts WHERE kind = 'public_review' \
                     ORDER BY server_seq DESC LIMIT ?1",
                )?;
                let rows = stmt
                    .query_map([added as i64], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                Ok(rows)
            }))
            .map_err(|e| e.to_string())?;
        for text in stored {
            clean_text(&serde_json::from_str(&text).map_err(|e| e.to_string())?)?;
        }
        Ok(())
    }

    /// A `"seq": "NEXT"` in the input is numbered after the office's last.
    pub fn replay_push(&mut self, input: &[u8]) -> Result<(), String> {
        let mut body: Value = match serde_json::from_slice(input) {
            Ok(body) => body,
            Err(_) => return self.check_push(0, input.to_vec()),
        };
        let mut next = self.last_seq(0);
        for change in body["changes"].as_array_mut().into_iter().flatten() {
            if change["seq"] == "NEXT" {
                next += 1;
                change["seq"] = json!(next);
            }
        }
        self.check_push(0, body.to_string().into_bytes())
    }

    /// `FRESH` in the input stands for a new invite's code.
    pub fn replay_enroll(&mut self, input: &[u8]) -> Result<(), String> {
        let code = self.invite("cadre", json!({"level": "village", "id": id(0x05, 0)}));
        let text = String::from_utf8_lossy(input).replace("FRESH", &code);
        self.check_enroll(text.into_bytes())
    }

    pub fn replay_review(&mut self, input: &[u8]) -> Result<(), String> {
        let post = self.post.clone();
        self.check_review(&post, 1, input.to_vec())
    }
}

/// How a generated batch is numbered once the phone's last number is known.
#[derive(Clone, Debug)]
enum Numbering {
    Next,
    Offset(i8),
    Raw(Vec<Value>),
}

/// A seed change with edits inside its record or fields, and edits of the
/// change around them.
type MutatedChange = (usize, Vec<Edit>, Vec<Edit>);

fn mutate(seed: &Value, (_, inner, outer): &MutatedChange) -> Value {
    let mut change = seed.clone();
    for key in ["record", "fields"] {
        if let Some(part) = change.get_mut(key) {
            *part = apply(part, inner);
        }
    }
    apply(&change, outer)
}

#[derive(Clone, Debug)]
enum PushBody {
    Mutated(Vec<MutatedChange>, Numbering, Option<Vec<ByteEdit>>),
    Scratch(Vec<Value>, Numbering),
    Whole(Value),
    Bytes(Vec<u8>),
}

fn numbered(changes: Vec<Value>, numbering: &Numbering, last: u64) -> Vec<Value> {
    changes
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            let seq = match numbering {
                Numbering::Next => json!(last + 1 + i as u64),
                Numbering::Offset(k) => json!((last as i64 + 1 + i as i64 + i64::from(*k)).max(0)),
                Numbering::Raw(seqs) => seqs.get(i).cloned().unwrap_or(json!(0)),
            };
            if let Some(map) = c.as_object_mut() {
                map.insert("seq".into(), seq);
            }
            c
        })
        .collect()
}

fn form_text(form: &Value) -> Vec<u8> {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    let Some(map) = form.as_object() else {
        return form.to_string().into_bytes();
    };
    map.iter()
        .map(|(k, v)| {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            format!("{}={}", encode(k), encode(&v))
        })
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

pub fn run(fuzz: &mut Fuzz) {
    let mut server = Server::start();
    let pool = ids();
    let phones = server.phones.len();
    let seeds = server.seeds.len();

    let numbering = prop_oneof![
        8 => Just(Numbering::Next),
        1 => (-3i8..3).prop_map(Numbering::Offset),
        1 => prop::collection::vec(number(), 0..4).prop_map(Numbering::Raw),
    ];
    let outer = prop_oneof![3 => Just(Vec::new()), 1 => edits(pool.clone())];
    let inner = prop_oneof![1 => Just(Vec::new()), 2 => edits(pool.clone())];
    let mutated = prop::collection::vec((0..seeds, inner, outer), 1..3);
    let strategy = (
        0..phones,
        prop_oneof![
            12 => (mutated, numbering.clone(), prop::option::weighted(0.1, byte_edits()))
                .prop_map(|(c, n, b)| PushBody::Mutated(c, n, b)),
            2 => (prop::collection::vec(json(pool.clone()), 0..3), numbering)
                .prop_map(|(c, n)| PushBody::Scratch(c, n)),
            1 => json(pool.clone()).prop_map(PushBody::Whole),
            1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(PushBody::Bytes),
        ],
    );
    fuzz.run("push", 600, strategy, |(phone, body)| {
        let last = server.last_seq(*phone);
        let bytes = match body {
            PushBody::Mutated(changes, numbering, bytes) => {
                let changes = changes
                    .iter()
                    .map(|m| mutate(&server.seeds[m.0], m))
                    .collect();
                let text = json!({"changes": numbered(changes, numbering, last)}).to_string();
                match bytes {
                    Some(edits) => apply_bytes(text.into_bytes(), edits),
                    None => text.into_bytes(),
                }
            }
            PushBody::Scratch(changes, numbering) => {
                json!({"changes": numbered(changes.clone(), numbering, last)})
                    .to_string()
                    .into_bytes()
            }
            PushBody::Whole(v) => v.to_string().into_bytes(),
            PushBody::Bytes(b) => b.clone(),
        };
        server.check_push(*phone, bytes)
    });

    let seed = json!({"cursor": 0, "limit": 50});
    let strategy = (
        0..phones,
        prop_oneof![
            3 => edits(pool.clone()).prop_map(move |e| apply(&seed, &e).to_string().into_bytes()),
            1 => json(pool.clone()).prop_map(|v| v.to_string().into_bytes()),
            1 => prop::collection::vec(any::<u8>(), 0..32),
        ],
    );
    fuzz.run("pull", 150, strategy, |(phone, body)| {
        server.check_pull(*phone, body.clone())
    });

    let strategy = prop_oneof![
        3 => (any::<bool>(), text(Vec::new()), edits(pool.clone()), prop::option::weighted(0.2, byte_edits()))
            .prop_map(|(fresh, name, e, b)| (Some((fresh, name)), e, b, Value::Null)),
        1 => json(pool.clone()).prop_map(|v| (None, Vec::new(), None, v)),
    ];
    fuzz.run("enroll", 150, strategy, |(fresh, e, bytes, scratch)| {
        let body = match fresh {
            Some((fresh, name)) => {
                let code = if *fresh {
                    server.invite("cadre", json!({"level": "village", "id": id(0x05, 0)}))
                } else {
                    "ABCD-EFGH-JKMN".to_owned()
                };
                let seed = json!({"code": code, "device_name": name});
                let text = apply(&seed, e).to_string().into_bytes();
                bytes
                    .as_ref()
                    .map_or(text.clone(), |b| apply_bytes(text, b))
            }
            None => scratch.to_string().into_bytes(),
        };
        server.check_enroll(body)
    });

    let seed = json!({"role": "cadre", "scope": {"level": "branch", "id": id(0x04, 0)}, "name": "支部书记"});
    let strategy = (
        prop_oneof![4 => Just(0usize), 1 => 0..phones],
        edits(pool.clone()),
        prop::option::weighted(0.2, byte_edits()),
    );
    fuzz.run("invite", 150, strategy, |(phone, e, bytes)| {
        let text = apply(&seed, e).to_string().into_bytes();
        server.check_invite(
            *phone,
            bytes
                .as_ref()
                .map_or(text.clone(), |b| apply_bytes(text, b)),
        )
    });

    let form = json!({"rating": "5", "comment": "服务热情，办事快", "reviewer": "张先生",
                      "token": server.form_token, "website": ""});
    let post = server.post.clone();
    let strategy = (
        any::<u32>(),
        prop::option::weighted(0.1, text(pool.clone())),
        edits(pool),
        prop::option::weighted(0.2, byte_edits()),
    );
    fuzz.run("review", 200, strategy, |(ip, path, e, bytes)| {
        let body = form_text(&apply(&form, e));
        let body = bytes
            .as_ref()
            .map_or(body.clone(), |b| apply_bytes(body, b));
        // A path segment a client can send (hyper refuses URIs over 64 KB).
        let path: String = path
            .as_deref()
            .unwrap_or(&post)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(4_000)
            .collect();
        let path = if path.is_empty() { post.clone() } else { path };
        server.check_review(&path, *ip, body)
    });
    for (label, n) in &server.tally {
        eprintln!("  {label}: {n}");
    }
}
