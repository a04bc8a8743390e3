//! Benchmark group `sync` (`.ci/bench sync`, or
//! `cargo bench -p xianfeng-server --bench sync`).
//!
//! Starts the real server on loopback with a fresh data directory, enrolls
//! an office device with the administrator code, pushes the org records a
//! spot check needs, then pushes 10,000 observations in batches of 500 over
//! one keep-alive HTTP/1 connection, and prints:
//!
//! - `METRIC sync_push_10k_ms`: first request sent to last answer read;
//! - `METRIC server_ingest_records_per_s`: the same, as a rate;
//! - `METRIC sqlite_raw_insert_records_per_s`: the rows the push stored
//!   (log rows and fact rows), inserted into a fresh database of the same
//!   schema in one plain transaction, for comparison.
//!
//! Each figure is the median of [`RUNS`] runs, each on a new server.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{header, Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use xianfeng_server::{db::Db, enroll::admin_code_path, Config};

const RECORDS: usize = 10_000;
const BATCH: usize = 500;
const MEMBERS: usize = 100;
const RUNS: usize = 5;

fn id(n: u64) -> String {
    format!("01930000-0000-7000-8000-{n:012x}")
}

struct Client {
    sender: SendRequest<Full<Bytes>>,
    token: Option<String>,
}

impl Client {
    async fn connect(addr: std::net::SocketAddr) -> Client {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(conn);
        Client {
            sender,
            token: None,
        }
    }

    async fn post(&mut self, path: &str, body: Bytes) -> (StatusCode, Bytes) {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, "127.0.0.1")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = &self.token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.sender.ready().await.unwrap();
        let response = self
            .sender
            .send_request(request.body(Full::new(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, body)
    }

    async fn post_json(&mut self, path: &str, body: &Value) -> Value {
        let (status, bytes) = self.post(path, Bytes::from(body.to_string())).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{path}: {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap()
    }
}

struct Changes {
    device: String,
    seq: u64,
    wall: u64,
}

impl Changes {
    fn next(&mut self, kind: &str, op: Value) -> Value {
        self.seq += 1;
        self.wall += 1;
        let mut change = json!({"schema": 1, "seq": self.seq, "kind": kind,
            "hlc": {"wall": self.wall, "counter": 0, "device": self.device}});
        let map = change.as_object_mut().unwrap();
        for (k, v) in op.as_object().unwrap() {
            map.insert(k.clone(), v.clone());
        }
        change
    }

    fn create(&mut self, kind: &str, record: Value) -> Value {
        let mut fields = record.as_object().unwrap().clone();
        let id = fields.remove("id").unwrap();
        self.next(kind, json!({"id": id, "op": "set", "fields": fields}))
    }

    fn insert(&mut self, kind: &str, record: Value) -> Value {
        self.next(
            kind,
            json!({"id": record["id"], "op": "insert", "record": record}),
        )
    }
}

struct Run {
    push_ms: f64,
    ingest_per_s: f64,
    raw_per_s: f64,
    batch_bytes: usize,
}

async fn one_run() -> Run {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.clone(),
        app_dir: dir.path().join("dist"),
        public_url: None,
        demo: false,
        database_url: None,
    };
    let listener = tokio::net::TcpListener::bind(config.listen).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(xianfeng_server::serve(listener, config, async {
        let _ = stopped.await;
    }));

    // Wait for the administrator code file, then enroll.
    let code_file = admin_code_path(&data_dir);
    let code = loop {
        // The file may exist before its one write lands: wait for the whole code.
        if let Ok(code) = std::fs::read_to_string(&code_file) {
            if code.trim().len() == 14 {
                break code.trim().to_owned();
            }
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let mut client = Client::connect(addr).await;
    let enrolled = client
        .post_json(
            "/api/enroll",
            &json!({"code": code, "device_name": "bench"}),
        )
        .await;
    client.token = Some(enrolled["token"].as_str().unwrap().to_owned());
    let mut changes = Changes {
        device: enrolled["device_id"].as_str().unwrap().to_owned(),
        seq: 0,
        wall: xianfeng_server::secrets::now_ms(),
    };

    // The org records a spot check needs.
    let (system, unit, branch, inspector, check) = (1, 2, 3, 4, 5);
    let mut org = vec![
        changes.create("system", json!({"id": id(system), "name": "教育系统"})),
        changes.create(
            "unit",
            json!({"id": id(unit), "system": id(system), "name": "教育局"}),
        ),
        changes.create(
            "branch",
            json!({"id": id(branch), "unit": id(unit), "name": "机关支部"}),
        ),
        changes.create("inspector", json!({"id": id(inspector), "name": "刘林恒"})),
    ];
    for m in 0..MEMBERS as u64 {
        org.push(changes.create(
            "member",
            json!({"id": id(0x1000 + m), "name": format!("党员{m}"), "branch": id(branch),
                   "post_type": "management", "status": "in_post"}),
        ));
    }
    org.push(changes.insert(
        "spot_check",
        json!({"id": id(check), "inspector": id(inspector), "place": {"kind": "unit", "unit": id(unit)},
               "at": "2005-03-14T09:30:00+08:00", "mode": "unannounced"}),
    ));
    client
        .post_json("/api/sync/push", &json!({"changes": org}))
        .await;

    // 10,000 observations, serialised up front as the phone's outbox is.
    let outcomes = [
        json!({"kind": "wearing"}),
        json!({"kind": "not_wearing"}),
        json!({"kind": "excused", "reason": "出差"}),
        json!({"kind": "absent"}),
    ];
    let observations: Vec<Value> = (0..RECORDS as u64)
        .map(|i| {
            changes.insert(
                "observation",
                json!({"id": id(0x10_0000 + i), "check": id(check),
                       "member": id(0x1000 + i % MEMBERS as u64),
                       "outcome": outcomes[i as usize % outcomes.len()]}),
            )
        })
        .collect();
    let bodies: Vec<Bytes> = observations
        .chunks(BATCH)
        .map(|batch| Bytes::from(json!({"changes": batch}).to_string()))
        .collect();
    let batch_bytes = bodies.iter().map(Bytes::len).max().unwrap_or(0);

    let start = Instant::now();
    let mut last_seq = 0;
    for body in bodies {
        let (status, reply) = client.post("/api/sync/push", body).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&reply)
        );
        let reply: Value = serde_json::from_slice(&reply).unwrap();
        last_seq = reply["last_seq"].as_u64().unwrap();
    }
    let elapsed = start.elapsed();
    assert_eq!(last_seq, changes.seq, "every change acknowledged");

    drop(client);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();

    // The rows the push stored, inserted raw into a fresh database.
    let db = Db::open_in_dir(&data_dir).unwrap();
    type LogRow = (
        String,
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let (log, facts) = db
        .call(|c| {
            let mut stmt = c.prepare(
                "SELECT device, device_seq, kind, record_id, body, loc_system, loc_unit, loc_branch, \
                 loc_village FROM changes WHERE kind = 'observation' ORDER BY server_seq",
            )?;
            let log: Vec<LogRow> = stmt
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ))
                })?
                .collect::<Result<_, _>>()?;
            let mut stmt = c.prepare(
                "SELECT kind, id, canonical FROM facts WHERE kind = 'observation' ORDER BY server_seq",
            )?;
            let facts: Vec<(String, String, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            Ok((log, facts))
        })
        .await
        .unwrap();
    db.close().await.unwrap();
    assert_eq!(log.len(), RECORDS);
    assert_eq!(facts.len(), RECORDS);

    let raw_dir = tempfile::tempdir().unwrap();
    let raw = Db::open_in_dir(raw_dir.path()).unwrap();
    let raw_elapsed = raw
        .call(move |c| {
            let start = Instant::now();
            let tx = c.transaction()?;
            {
                let mut log_stmt = tx.prepare(
                    "INSERT INTO changes (device, device_seq, kind, record_id, body, loc_system, \
                     loc_unit, loc_branch, loc_village) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?;
                let mut fact_stmt = tx.prepare(
                    "INSERT INTO facts (kind, id, canonical, server_seq) VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (row, (kind, id, canonical)) in log.iter().zip(&facts) {
                    log_stmt.execute((
                        &row.0, row.1, &row.2, &row.3, &row.4, &row.5, &row.6, &row.7, &row.8,
                    ))?;
                    fact_stmt.execute((kind, id, canonical, tx.last_insert_rowid()))?;
                }
            }
            tx.commit()?;
            Ok(start.elapsed())
        })
        .await
        .unwrap();
    raw.close().await.unwrap();

    Run {
        push_ms: elapsed.as_secs_f64() * 1000.0,
        ingest_per_s: RECORDS as f64 / elapsed.as_secs_f64(),
        raw_per_s: RECORDS as f64 / raw_elapsed.as_secs_f64(),
        batch_bytes,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let runs: Vec<Run> = (0..RUNS).map(|_| runtime.block_on(one_run())).collect();
    eprintln!(
        "sync bench: {RUNS} runs, {RECORDS} records in batches of {BATCH}, largest batch body {} bytes",
        runs.iter().map(|r| r.batch_bytes).max().unwrap_or(0)
    );
    for r in &runs {
        eprintln!(
            "  run: push {:.1} ms, ingest {:.0}/s, raw {:.0}/s",
            r.push_ms, r.ingest_per_s, r.raw_per_s
        );
    }
    println!(
        "METRIC sync_push_10k_ms {:.1} ms",
        median(runs.iter().map(|r| r.push_ms).collect())
    );
    println!(
        "METRIC server_ingest_records_per_s {:.0} records/s",
        median(runs.iter().map(|r| r.ingest_per_s).collect())
    );
    println!(
        "METRIC sqlite_raw_insert_records_per_s {:.0} records/s",
        median(runs.iter().map(|r| r.raw_per_s).collect())
    );
}
