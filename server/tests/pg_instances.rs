//! Two `xianfeng-server` processes on one PostgreSQL database (issue 14):
//! phones — core's `ClientSync` over HTTP, as the app runs it — push to
//! one instance and pull from the other, the office adds org records on
//! one instance that the other must place with at once (its org cache is
//! checked against the database's org version), and one instance is
//! killed (SIGKILL) in the middle of the pushes and started again. At the
//! end every phone holds every record exactly once, read from both
//! instances, and the database holds each fact once.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::{header, Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use xianfeng_core::sync::{Change, ClientSync, PullResponse, PushResponse, Step};

use common::city::{id, spot_check, world, C};

const PHONES: usize = 6;
const ROUNDS: usize = 8;
const PER_ROUND: usize = 40;

/// One server process.
struct Instance {
    addr: SocketAddr,
    data: PathBuf,
    url: String,
    child: Option<Child>,
}

fn free_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

impl Instance {
    fn start(data: &Path, url: &str) -> Instance {
        let mut instance = Instance {
            addr: free_addr(),
            data: data.to_path_buf(),
            url: url.to_owned(),
            child: None,
        };
        instance.spawn();
        instance
    }

    fn spawn(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_xianfeng-server"))
            .arg("--listen")
            .arg(self.addr.to_string())
            .arg("--data")
            .arg(&self.data)
            .arg("--app-dir")
            .arg(self.data.join("dist"))
            .arg("--database-url")
            .arg(&self.url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start xianfeng-server");
        self.child = Some(child);
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok((StatusCode::OK, _)) =
                request(self.addr, Method::GET, "/api/health", None, None).await
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("instance on {} did not become ready", self.addr);
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One HTTP/1 request on a fresh connection (a killed server fails it).
async fn request(
    addr: SocketAddr,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<(StatusCode, Bytes), String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = builder
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .unwrap();
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, body))
}

/// POSTs JSON; `Err` for a network failure or a retryable answer.
async fn post<T: DeserializeOwned>(
    addr: SocketAddr,
    path: &str,
    token: &str,
    body: &impl Serialize,
) -> Result<T, String> {
    let (status, bytes) = request(
        addr,
        Method::POST,
        path,
        Some(token),
        Some(serde_json::to_string(body).unwrap()),
    )
    .await?;
    match status {
        StatusCode::OK => Ok(serde_json::from_slice(&bytes).unwrap()),
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => Err(format!("{status}")),
        s if s.is_server_error() => Err(format!("{s}: {}", String::from_utf8_lossy(&bytes))),
        s => panic!("{path}: {s} {}", String::from_utf8_lossy(&bytes)),
    }
}

/// A phone: an outbox of changes, a saved cursor, and what it pulled.
struct Phone {
    token: String,
    device: String,
    seq: u64,
    wall: u64,
    outbox: Vec<Change>,
    cursor: u64,
    /// Pulled log rows by server number: (kind, id).
    pulled: BTreeMap<u64, (String, String)>,
}

impl Phone {
    async fn enroll(addr: SocketAddr, code: &str) -> Phone {
        let (status, body) = request(
            addr,
            Method::POST,
            "/api/enroll",
            None,
            Some(json!({"code": code, "device_name": "测试手机"}).to_string()),
        )
        .await
        .unwrap();
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let body: Value = serde_json::from_slice(&body).unwrap();
        Phone {
            token: body["token"].as_str().unwrap().to_owned(),
            device: body["device_id"].as_str().unwrap().to_owned(),
            seq: 0,
            wall: xianfeng_server::secrets::now_ms(),
            outbox: Vec::new(),
            cursor: 0,
            pulled: BTreeMap::new(),
        }
    }

    fn queue(&mut self, change: Value) {
        let mut change = change;
        self.seq += 1;
        self.wall += 1;
        change["seq"] = json!(self.seq);
        change["hlc"] = json!({"wall": self.wall, "counter": 0, "device": self.device});
        self.outbox.push(serde_json::from_value(change).unwrap());
    }

    fn insert(&mut self, kind: &str, record: Value) {
        self.queue(json!({"schema": 1, "kind": kind, "id": record["id"], "op": "insert", "record": record}));
    }

    fn create(&mut self, kind: &str, record: Value) {
        let mut fields = record.as_object().unwrap().clone();
        let id = fields.remove("id").unwrap();
        self.queue(json!({"schema": 1, "kind": kind, "id": id, "op": "set", "fields": fields}));
    }

    /// One sync session: push to `push_to`, pull from `pull_from`. A
    /// network failure ends the session early (the app retries later).
    async fn sync(&mut self, push_to: SocketAddr, pull_from: SocketAddr) -> Result<(), String> {
        let mut session = ClientSync::new(self.cursor).with_batch(25);
        loop {
            match session.next(&self.outbox) {
                Step::Push(request) => {
                    let reply: PushResponse =
                        post(push_to, "/api/sync/push", &self.token, &request).await?;
                    let acked = session.on_push(&reply);
                    self.outbox.retain(|c| c.seq > acked);
                }
                Step::Pull(request) => {
                    let page: PullResponse =
                        post(pull_from, "/api/sync/pull", &self.token, &request).await?;
                    // The page and the cursor are kept together, as the
                    // app keeps them in one IndexedDB transaction.
                    for c in &page.changes {
                        let entry = (c.change.kind.as_str().to_owned(), c.change.id.to_string());
                        let old = self.pulled.insert(c.server_seq, entry);
                        assert!(old.is_none(), "server_seq {} pulled twice", c.server_seq);
                    }
                    let acked = session.on_pull(&page);
                    self.cursor = session.cursor();
                    self.outbox.retain(|c| c.seq > acked);
                }
                Step::Done => return Ok(()),
            }
        }
    }

    /// Syncs until a session completes, retrying over failures.
    async fn sync_until_done(&mut self, push_to: SocketAddr, pull_from: SocketAddr) {
        for _ in 0..200 {
            if self.sync(push_to, pull_from).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("a phone never completed a session");
    }
}

async fn admin_code(data: &Path) -> String {
    let path = xianfeng_server::enroll::admin_code_path(data);
    for _ in 0..200 {
        if let Ok(code) = std::fs::read_to_string(&path) {
            if code.trim().len() == 14 {
                return code.trim().to_owned();
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no admin code in {}", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_one_database_every_record_once_everywhere() {
    const { assert!(common::POSTGRES, "this test is about PostgreSQL") };
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(dir.path()).unwrap();
    let mut a = Instance::start(&dir.path().join("a"), &url);
    a.wait_ready().await;
    let b = Instance::start(&dir.path().join("b"), &url);
    b.wait_ready().await;
    // B started last: its administrator code is the valid one. Enroll at A.
    let code = admin_code(&b.data).await;
    let mut office = Phone::enroll(a.addr, &code).await;

    // The org, pushed to B.
    let mut base = common::city::Phone {
        token: office.token.clone(),
        device: office.device.clone(),
        seq: 0,
        wall: office.wall,
    };
    for change in world(&mut base) {
        office.queue(change);
    }
    office.sync_until_done(b.addr, a.addr).await;

    // Phones, enrolled through either instance.
    let mut phones = Vec::new();
    for p in 0..PHONES {
        let at = if p % 2 == 0 { a.addr } else { b.addr };
        let invite: Value = post(
            at,
            "/api/invites",
            &office.token,
            &json!({"role": "office", "scope": {"level": "city"}, "name": format!("手机{p}")}),
        )
        .await
        .unwrap();
        phones.push(Phone::enroll(at, invite["code"].as_str().unwrap()).await);
    }

    // New members created through B; A must place observations of them
    // at once (its org cache is stale until it sees the new org version).
    let members: Vec<u32> = (0..4).map(|i| 0x2000 + i).collect();
    for &m in &members {
        office.create(
            "member",
            json!({"id": id(m), "name": format!("新党员{m}"), "branch": id(common::city::B[0]),
                   "post_type": "management", "status": "in_post"}),
        );
    }
    office.insert("spot_check", spot_check(0x3000, common::city::U[0]));
    office.sync_until_done(b.addr, b.addr).await;

    // Rounds of observations; A is killed mid-push in round 3 and comes back.
    let mut expected = BTreeSet::new();
    let mut killed = false;
    for round in 0..ROUNDS {
        for (p, phone) in phones.iter_mut().enumerate() {
            for i in 0..PER_ROUND {
                let n = 0x10_0000 + (p * ROUNDS * PER_ROUND + round * PER_ROUND + i) as u32;
                let (check, member) = if i % 2 == 0 {
                    (0x3000, members[i % members.len()])
                } else {
                    (C[0], common::city::M[0])
                };
                phone.insert(
                    "observation",
                    json!({"id": id(n), "check": id(check), "member": id(member),
                           "outcome": {"kind": "not_wearing"}}),
                );
                expected.insert(id(n));
            }
        }
        let (a_addr, b_addr) = (a.addr, b.addr);
        let mut tasks = Vec::new();
        for (p, mut phone) in std::mem::take(&mut phones).into_iter().enumerate() {
            let (push_to, pull_from) = if (p + round) % 2 == 0 {
                (a_addr, b_addr)
            } else {
                (b_addr, a_addr)
            };
            tasks.push(tokio::spawn(async move {
                // One session; a failure leaves the outbox for later.
                let ok = phone.sync(push_to, pull_from).await.is_ok();
                (phone, ok)
            }));
        }
        if round == 3 {
            tokio::time::sleep(Duration::from_millis(5)).await;
            a.kill();
            killed = true;
        }
        let mut failed = 0;
        for task in tasks {
            let (phone, ok) = task.await.unwrap();
            failed += usize::from(!ok);
            phones.push(phone);
        }
        if round == 3 {
            assert!(failed > 0, "the kill interrupted sessions in flight");
        }
        if killed && a.child.is_none() && round == 4 {
            a.spawn();
            a.wait_ready().await;
        }
        if a.child.is_none() {
            // While A is down every phone uses B.
            for phone in &mut phones {
                phone.sync_until_done(b.addr, b.addr).await;
            }
        }
    }
    assert!(killed);

    // Everyone finishes, reading from both instances.
    for phone in &mut phones {
        phone.sync_until_done(a.addr, b.addr).await;
        phone.sync_until_done(b.addr, a.addr).await;
        assert!(phone.outbox.is_empty());
    }
    office.sync_until_done(a.addr, a.addr).await;

    // Every phone holds every observation exactly once, and the same log.
    let log: Vec<(u64, (String, String))> = office.pulled.clone().into_iter().collect();
    let observed: Vec<&String> = log
        .iter()
        .filter(|(_, (kind, _))| kind == "observation")
        .map(|(_, (_, id))| id)
        .collect();
    let unique: BTreeSet<&String> = observed.iter().copied().collect();
    assert_eq!(observed.len(), unique.len(), "an observation logged twice");
    for id in &expected {
        assert!(unique.contains(id), "{id} missing");
    }
    for phone in &phones {
        let theirs: Vec<(u64, (String, String))> = phone.pulled.clone().into_iter().collect();
        assert_eq!(theirs, log, "every phone pulled the same log");
    }
    // And the database agrees: each observation is one fact, one log row.
    let store = xianfeng_server::PgStore::connect(&url).await.unwrap();
    let (facts, rows) = xianfeng_server::Store::from(store)
        .read(|sql| {
            let facts = sql
                .query_one("SELECT count(*) FROM facts WHERE kind = 'observation'", &[])?
                .int(0)?;
            let rows = sql
                .query_one(
                    "SELECT count(*) FROM changes WHERE kind = 'observation'",
                    &[],
                )?
                .int(0)?;
            Ok((facts, rows))
        })
        .await
        .unwrap();
    assert_eq!(
        facts as usize,
        expected.len() + 2,
        "the world's two, and ours"
    );
    assert_eq!(rows, facts);
}
