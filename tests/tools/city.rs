//! `xianfeng-city`: writes core's city of the documents ([`xianfeng_core::city`])
//! as NDJSON on stdout, for `tests/bench/city-seed.mjs` to push to a server.
//!
//! ```text
//! xianfeng-city [--today YYYY-MM-DD] [--scale N] > city.ndjson
//! ```
//!
//! The first line describes the city: `{"city":{"today","scale","records",
//! "office","inspector","cadre","big_unit"}}`, each user with its role,
//! scope, invite name and how many records it may read. Every other line is
//! one record, parents first: `{"kind":"member","id":"…","fact":false,"value":{…}}`
//! (`fact`: core's `RecordKind::is_fact`, so the seeder inserts facts and
//! sets the fields of the rest without a list of its own).
//! `--today` defaults to today in UTC+8 (the bench passes the phone's date);
//! `--scale N` divides the roster and the households by N (1: full city).
//!
//! Why a tool and not a server flag: the records reach the server through
//! `/api/sync/push` like a phone's, so the bench measures the real path, and
//! the generator stays in core (pure, tested) while this file only prints.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use serde_json::{json, Value};
use time::{Date, OffsetDateTime, UtcOffset};
use xianfeng_core::city::{city, count_visible, City, CityUser, Scale};
use xianfeng_core::{Actor, Role};

struct Args {
    today: Date,
    scale: u32,
}

fn usage() -> String {
    "usage: xianfeng-city [--today YYYY-MM-DD] [--scale N]".to_owned()
}

fn parse_args() -> Result<Args, String> {
    let beijing = UtcOffset::from_hms(8, 0, 0).expect("valid offset");
    let mut args = Args {
        today: OffsetDateTime::now_utc().to_offset(beijing).date(),
        scale: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{}", usage()))
        };
        match flag.as_str() {
            "--today" => {
                let text = value()?;
                args.today = xianfeng_core::calendar::parse_date("today", &text)
                    .map_err(|e| format!("--today {text}: {e}"))?;
            }
            "--scale" => {
                let text = value()?;
                args.scale = text
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("--scale {text}: a whole number ≥ 1"))?;
            }
            "-h" | "--help" => return Err(usage()),
            other => return Err(format!("unknown argument {other}\n{}", usage())),
        }
    }
    Ok(args)
}

fn user(city: &City, role: Role, user: &CityUser) -> Result<Value, String> {
    let visible = count_visible(&city.records, &Actor::new(role, user.scope))
        .map_err(|e| format!("placing the city's records: {e}"))?;
    Ok(json!({ "role": role, "scope": user.scope, "name": user.name, "visible": visible }))
}

fn header(city: &City, args: &Args) -> Result<Value, String> {
    let mut inspector = user(city, Role::Inspector, &city.inspector)?;
    inspector["inspector"] = json!(city.inspector_id);
    Ok(json!({ "city": {
        "today": args.today.to_string(),
        "scale": args.scale,
        "records": city.records.len(),
        "office": user(city, Role::Office, &city.office)?,
        "inspector": inspector,
        "cadre": user(city, Role::Cadre, &city.cadre)?,
        "big_unit": {
            "id": city.big_unit,
            "name": city.big_unit_name,
            "members": city.big_unit_members,
        },
    }}))
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let city = city(args.today, Scale::divided_by(args.scale))
        .map_err(|e| format!("building the city: {e}"))?;
    let head = header(&city, &args)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let io = |e: std::io::Error| format!("writing: {e}");
    writeln!(out, "{head}").map_err(io)?;
    for r in &city.records {
        let line =
            json!({ "kind": r.kind, "id": r.id, "fact": r.kind.is_fact(), "value": r.value });
        writeln!(out, "{line}").map_err(io)?;
    }
    out.flush().map_err(io)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xianfeng-city: {message}");
            ExitCode::FAILURE
        }
    }
}
