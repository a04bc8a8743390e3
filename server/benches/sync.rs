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
//!   schema with the same durability (`synchronous=FULL`, WAL) and the
//!   same commits (one transaction per batch of 500), for comparison:
//!   like with like, so the ratio is what the server's own work costs;
//! - `METRIC sync_ingest_ratio`: ingest over the raw figure (budget ≥ 0.5).
//!
//! With `XIANFENG_TEST_DATABASE_URL` set (`.ci/bench sync` runs the bench
//! through `scripts/with-postgres.sh` with a durable cluster: fsync on,
//! synchronous_commit on), the same on PostgreSQL:
//!
//! - `METRIC pg_sync_push_10k_ms`, `METRIC pg_ingest_records_per_s`;
//! - `METRIC pg_raw_insert_records_per_s` (the same rows through plain
//!   prepared INSERTs on one connection, one transaction per batch) and
//!   `METRIC pg_ingest_ratio`;
//! - `METRIC pg_two_instances_records_per_s`: two servers on one database,
//!   20 devices (10 on each) pushing 500 observations each at once.
//!
//! Each figure is the median of [`RUNS`] runs, each on a new server (and
//! a new database).

use std::time::{Duration, Instant};

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{header, Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use xianfeng_server::store::scratch::ScratchDb;
use xianfeng_server::store::{Row, Val};
use xianfeng_server::{db::Db, enroll::admin_code_path, open_store, Config};

const RECORDS: usize = 10_000;
const BATCH: usize = 500;
const MEMBERS: usize = 100;
const RUNS: usize = 5;
/// Devices in the two-instance figure.
const DEVICES: usize = 20;

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

    /// Pushes one batch; the server must accept it.
    async fn push(&mut self, body: Bytes) -> Bytes {
        let (status, reply) = self.post("/api/sync/push", body).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&reply)
        );
        reply
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

/// The spot check the observations are written under.
const CHECK: u64 = 5;

/// Enrolls `client` with the administrator `code` and pushes the org a
/// spot check needs (a system, unit, branch, inspector, MEMBERS members and
/// the check); the device's change numbering goes on from there.
async fn enroll_with_org(client: &mut Client, code: &str) -> Changes {
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
    let (system, unit, branch, inspector, check) = (1, 2, 3, 4, CHECK);
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
    changes
}

struct Run {
    push_ms: f64,
    ingest_per_s: f64,
    raw_per_s: f64,
    batch_bytes: usize,
}

async fn one_run(pg: Option<&ScratchDb>) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.clone(),
        app_dir: dir.path().join("dist"),
        public_url: None,
        demo: false,
        database_url: pg.map(|db| db.url.clone()),
    };
    let config_copy = config.clone();
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
    let mut changes = enroll_with_org(&mut client, &code).await;

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
                json!({"id": id(0x10_0000 + i), "check": id(CHECK),
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
        let reply = client.push(body).await;
        let reply: Value = serde_json::from_slice(&reply).unwrap();
        last_seq = reply["last_seq"].as_u64().unwrap();
    }
    let elapsed = start.elapsed();
    assert_eq!(last_seq, changes.seq, "every change acknowledged");

    drop(client);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();

    // The rows the push stored, inserted raw into a fresh database.
    let store = open_store(&config_copy).await.unwrap();
    let (log, facts) = store
        .read(|sql| {
            let log = sql.query(
                "SELECT device, device_seq, kind, record_id, body, loc_system, loc_unit, loc_branch, \
                 loc_village FROM changes WHERE kind = 'observation' ORDER BY server_seq",
                &[],
            )?;
            let facts = sql.query(
                "SELECT kind, id, canonical FROM facts WHERE kind = 'observation' ORDER BY server_seq",
                &[],
            )?;
            Ok((log, facts))
        })
        .await
        .unwrap();
    store.close().await.unwrap();
    assert_eq!(log.len(), RECORDS);
    assert_eq!(facts.len(), RECORDS);
    let raw_elapsed = match pg {
        None => raw_sqlite(log, facts).await,
        Some(_) => raw_postgres(log, facts).await,
    };

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

/// The raw SQLite baseline: same schema, `synchronous=FULL` and WAL as
/// the server ([`Db::open_in_dir`]), one transaction per batch.
async fn raw_sqlite(log: Vec<Row>, facts: Vec<Row>) -> Duration {
    let raw_dir = tempfile::tempdir().unwrap();
    let raw = Db::open_in_dir(raw_dir.path()).unwrap();
    let elapsed = raw
        .call(move |c| {
            let start = Instant::now();
            let value = |v: &Val| match v {
                Val::Null => rusqlite::types::Value::Null,
                Val::Int(n) => rusqlite::types::Value::Integer(*n),
                Val::Text(t) => rusqlite::types::Value::Text(t.clone()),
                Val::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
            };
            for (log, facts) in log.chunks(BATCH).zip(facts.chunks(BATCH)) {
                let tx = c.transaction()?;
                {
                    let mut log_stmt = tx.prepare_cached(
                        "INSERT INTO changes (device, device_seq, kind, record_id, body, loc_system, \
                         loc_unit, loc_branch, loc_village) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    )?;
                    let mut fact_stmt = tx.prepare_cached(
                        "INSERT INTO facts (kind, id, canonical, server_seq) VALUES (?1, ?2, ?3, ?4)",
                    )?;
                    for (row, fact) in log.iter().zip(facts) {
                        log_stmt.execute(rusqlite::params_from_iter(row.0.iter().map(value)))?;
                        let seq = tx.last_insert_rowid();
                        fact_stmt.execute((
                            value(&fact.0[0]),
                            value(&fact.0[1]),
                            value(&fact.0[2]),
                            seq,
                        ))?;
                    }
                }
                tx.commit()?;
            }
            Ok(start.elapsed())
        })
        .await
        .unwrap();
    raw.close().await.unwrap();
    elapsed
}

/// The raw PostgreSQL baseline: a fresh database of the same schema, plain
/// prepared INSERTs on one connection, one transaction per batch.
async fn raw_postgres(log: Vec<Row>, facts: Vec<Row>) -> Duration {
    let db = ScratchDb::create();
    xianfeng_server::PgStore::connect(&db.url)
        .await
        .unwrap()
        .close();
    let (mut client, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let task = tokio::spawn(connection);
    let log_stmt = client
        .prepare(
            "INSERT INTO changes (server_seq, device, device_seq, kind, record_id, body, loc_system, \
             loc_unit, loc_branch, loc_village) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .await
        .unwrap();
    let fact_stmt = client
        .prepare("INSERT INTO facts (kind, id, canonical, server_seq) VALUES ($1, $2, $3, $4)")
        .await
        .unwrap();
    let start = Instant::now();
    let mut seq = 0i64;
    for (log, facts) in log.chunks(BATCH).zip(facts.chunks(BATCH)) {
        let tx = client.transaction().await.unwrap();
        for (row, fact) in log.iter().zip(facts) {
            seq += 1;
            let mut params: Vec<Val> = vec![Val::Int(seq)];
            params.extend(row.0.iter().cloned());
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = params
                .iter()
                .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync))
                .collect();
            tx.execute(&log_stmt, &refs).await.unwrap();
            let fact_params = [
                fact.0[0].clone(),
                fact.0[1].clone(),
                fact.0[2].clone(),
                Val::Int(seq),
            ];
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = fact_params
                .iter()
                .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync))
                .collect();
            tx.execute(&fact_stmt, &refs).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    let elapsed = start.elapsed();
    drop(client);
    let _ = task.await;
    elapsed
}

/// Two servers on one PostgreSQL database, [`DEVICES`] devices split
/// between them, each pushing its share of [`RECORDS`] observations in
/// batches of 100 at the same time. Returns records per second.
async fn two_instances(pg: &ScratchDb) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let mut addrs = Vec::new();
    let mut stops = Vec::new();
    let mut servers = Vec::new();
    for name in ["a", "b"] {
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().join(name),
            app_dir: dir.path().join("dist"),
            public_url: None,
            demo: false,
            database_url: Some(pg.url.clone()),
        };
        let listener = tokio::net::TcpListener::bind(config.listen).await.unwrap();
        addrs.push(listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        stops.push(stop);
        servers.push(tokio::spawn(xianfeng_server::serve(
            listener,
            config,
            async {
                let _ = stopped.await;
            },
        )));
        // One at a time: the last started holds the valid admin code.
        let code_file = admin_code_path(&dir.path().join(name));
        while std::fs::read_to_string(&code_file).map_or(true, |c| c.trim().len() != 14) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let code = std::fs::read_to_string(admin_code_path(&dir.path().join("b")))
        .unwrap()
        .trim()
        .to_owned();
    let mut office = Client::connect(addrs[0]).await;
    let changes = enroll_with_org(&mut office, &code).await;

    // The office is one of the devices (the enrollment limit, 10 a minute
    // per address and instance, allows 20 enrollments over two instances).
    let per_device = RECORDS / DEVICES;
    let mut devices = Vec::new();
    let mut makers = Vec::new();
    for d in 1..DEVICES {
        let invite = office
            .post_json(
                "/api/invites",
                &json!({"role": "office", "scope": {"level": "city"}, "name": format!("设备{d}")}),
            )
            .await;
        let mut client = Client::connect(addrs[d % 2]).await;
        let enrolled = client
            .post_json(
                "/api/enroll",
                &json!({"code": invite["code"], "device_name": "bench"}),
            )
            .await;
        client.token = Some(enrolled["token"].as_str().unwrap().to_owned());
        let maker = Changes {
            device: enrolled["device_id"].as_str().unwrap().to_owned(),
            seq: 0,
            wall: xianfeng_server::secrets::now_ms(),
        };
        devices.push(client);
        makers.push(maker);
    }
    devices.insert(0, office);
    makers.insert(0, changes);
    let devices: Vec<(Client, Vec<Bytes>)> = devices
        .into_iter()
        .zip(makers)
        .enumerate()
        .map(|(d, (client, mut changes))| {
            let bodies = (0..per_device as u64)
                .map(|i| {
                    let n = (d * per_device) as u64 + i;
                    changes.insert(
                        "observation",
                        json!({"id": id(0x10_0000 + n), "check": id(CHECK),
                               "member": id(0x1000 + n % MEMBERS as u64),
                               "outcome": {"kind": "wearing"}}),
                    )
                })
                .collect::<Vec<_>>()
                .chunks(100)
                .map(|batch| Bytes::from(json!({"changes": batch}).to_string()))
                .collect();
            (client, bodies)
        })
        .collect();
    let start = Instant::now();
    let tasks: Vec<_> = devices
        .into_iter()
        .map(|(mut client, bodies)| {
            tokio::spawn(async move {
                for body in bodies {
                    client.push(body).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = start.elapsed();
    for stop in stops {
        stop.send(()).unwrap();
    }
    for server in servers {
        server.await.unwrap().unwrap();
    }
    (per_device * DEVICES) as f64 / elapsed.as_secs_f64()
}

/// Prints the figures of `runs`; returns the median push (ms) and the
/// ingest ratio.
fn report(prefix: &str, runs: &[Run]) -> (f64, f64) {
    for r in runs {
        eprintln!(
            "  {prefix}run: push {:.1} ms, ingest {:.0}/s, raw {:.0}/s",
            r.push_ms, r.ingest_per_s, r.raw_per_s
        );
    }
    let ingest = median(runs.iter().map(|r| r.ingest_per_s).collect());
    let raw = median(runs.iter().map(|r| r.raw_per_s).collect());
    let (push_name, ingest_name, raw_name, ratio_name) = if prefix.is_empty() {
        (
            "sync_push_10k_ms",
            "server_ingest_records_per_s",
            "sqlite_raw_insert_records_per_s",
            "sync_ingest_ratio",
        )
    } else {
        (
            "pg_sync_push_10k_ms",
            "pg_ingest_records_per_s",
            "pg_raw_insert_records_per_s",
            "pg_ingest_ratio",
        )
    };
    println!(
        "METRIC {push_name} {:.1} ms",
        median(runs.iter().map(|r| r.push_ms).collect())
    );
    println!("METRIC {ingest_name} {ingest:.0} records/s");
    println!("METRIC {raw_name} {raw:.0} records/s");
    println!("METRIC {ratio_name} {:.2} x", ingest / raw);
    (
        median(runs.iter().map(|r| r.push_ms).collect()),
        ingest / raw,
    )
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let runs: Vec<Run> = (0..RUNS).map(|_| runtime.block_on(one_run(None))).collect();
    eprintln!(
        "sync bench: {RUNS} runs, {RECORDS} records in batches of {BATCH}, largest batch body {} bytes",
        runs.iter().map(|r| r.batch_bytes).max().unwrap_or(0)
    );
    let (push_ms, ratio) = report("", &runs);
    // The budgets (README): a 10k push within 2 s, ingest at least half
    // of raw inserts of the same rows. Checked after the PostgreSQL
    // figures print, so a breach still shows every figure.
    let mut broken = Vec::new();
    if push_ms > 2000.0 {
        broken.push(format!("sync_push_10k_ms {push_ms:.1} > 2000"));
    }
    if ratio < 0.5 {
        broken.push(format!("sync_ingest_ratio {ratio:.2} < 0.5"));
    }
    let fail = move || {
        if !broken.is_empty() {
            eprintln!("sync bench: budget broken: {}", broken.join("; "));
            std::process::exit(1);
        }
    };
    if std::env::var(xianfeng_server::store::scratch::TEST_DATABASE_URL).is_err() {
        eprintln!("sync bench: no PostgreSQL (run through scripts/with-postgres.sh): pg_* figures skipped");
        fail();
        return;
    }
    let runs: Vec<Run> = (0..3)
        .map(|_| {
            let db = ScratchDb::create();
            runtime.block_on(one_run(Some(&db)))
        })
        .collect();
    let _ = report("pg_", &runs);
    let rates: Vec<f64> = (0..3)
        .map(|_| {
            let db = ScratchDb::create();
            runtime.block_on(two_instances(&db))
        })
        .collect();
    eprintln!("  two instances: {rates:.0?} records/s");
    println!(
        "METRIC pg_two_instances_records_per_s {:.0} records/s",
        median(rates)
    );
    fail();
}
