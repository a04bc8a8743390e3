//! `xianfeng-server --demo`: a living app for newcomers within a minute.
//!
//! The demo city itself is core's ([`xianfeng_core::demo::demo_city`], pure
//! and always valid); this module stores it and hands out the way in:
//!
//! - Demo data never mixes with real data. It lives in its own database
//!   (`./data-demo` unless `--data` says otherwise), marked `demo = 1` in
//!   `server_meta` when seeded. `--demo` refuses an unmarked database that
//!   holds devices or changes, and a plain start refuses a marked one
//!   ([`check_mode`]). Every demo id starts with `de300000-` and the health
//!   report says `"demo": true`, so the app can show 演示数据.
//! - Seeding runs once, while the database has no changes: every record
//!   goes through [`ingest_server_changes`] (mutable records as a `Set` of
//!   all their fields, facts as an `Insert`) from [`DEMO_DEVICE`], so phones
//!   pull the city like any other data.
//! - Every start makes fresh single-use invites for a demo office user, an
//!   inspector and a village cadre (dropping unused ones from earlier
//!   starts), prints their links with the administrator code, and writes
//!   the links to `<data>/demo-links.txt` (0600) for scripts and tests.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::Value;
use time::OffsetDateTime;
use xianfeng_core::demo::{demo_city, DemoCity, DemoRecord, DEMO_ID_PREFIX};
use xianfeng_core::ids::DeviceId;
use xianfeng_core::sync::Op;
use xianfeng_core::{Role, Scope};

use crate::clock::local_date;
use crate::enroll::{create_invite, enroll_link, write_private};
use crate::store::{devices, Sql, Store};
use crate::sync::{ingest_server_changes, OrgCache};

/// Where `--demo` keeps its database unless `--data` is given.
pub const DEMO_DATA_DIR: &str = "./data-demo";
/// The file in the data directory listing the demo enrollment links.
pub const DEMO_LINKS_FILE: &str = "demo-links.txt";
/// The device the demo city's changes are logged from (a demo id too).
pub const DEMO_DEVICE: DeviceId = DeviceId::from_u128(DEMO_ID_PREFIX | (0xff << 64) | 1);
/// The `server_meta` key marking a demo database.
const META_KEY: &str = "demo";

/// The demo users' invite names; unused invites with these names are
/// replaced at every start (only ever in a demo database).
const OFFICE_NAME: &str = "演示办公室";
const INSPECTOR_NAME: &str = "演示督导员";
const CADRE_NAME: &str = "演示驻村干部";

/// Where `demo-links.txt` lives for a data directory.
pub fn links_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DEMO_LINKS_FILE)
}

/// Whether the database is marked as holding demo data.
pub fn is_demo_db(sql: &mut dyn Sql) -> anyhow::Result<bool> {
    Ok(devices::meta(sql, META_KEY)?.is_some_and(|v| v == "1"))
}

/// Refuses to start in a mode that would mix demo and real data: `--demo`
/// on an unmarked database that already holds devices or changes, or a
/// plain start on a demo database.
pub fn check_mode(sql: &mut dyn Sql, demo: bool, data_dir: &Path) -> anyhow::Result<()> {
    let marked = is_demo_db(sql)?;
    let dir = data_dir.display();
    if demo && !marked && devices::holds_data(sql)? {
        anyhow::bail!(
            "{dir} 中已有真实数据，演示模式不会使用它；请去掉 --data（默认 {DEMO_DATA_DIR}）或换一个空目录。 / \
             The database in {dir} holds real data: --demo will not touch it. \
             Leave out --data (default {DEMO_DATA_DIR}) or point it at an empty directory."
        );
    }
    if !demo && marked {
        anyhow::bail!(
            "{dir} 中是演示数据；请加上 --demo，或用 --data 指定另一个目录存放真实数据。 / \
             The database in {dir} holds demo data: pass --demo, or use another --data for real data."
        );
    }
    Ok(())
}

/// A demo record as the change that creates it.
fn creating_op(record: &DemoRecord) -> Op {
    if record.kind.is_fact() {
        return Op::Insert {
            record: record.value.clone(),
        };
    }
    let mut fields = match &record.value {
        Value::Object(map) => map.clone(),
        _ => serde_json::Map::new(),
    };
    fields.remove("id");
    Op::Set {
        fields: fields.into_iter().collect(),
        seen: None,
    }
}

/// Marks the database as demo and, if it has no changes yet, stores the
/// city, in one write. Returns how many records were stored (0 when the
/// city was there already).
pub async fn seed(
    store: &Store,
    org: &OrgCache,
    city: &DemoCity,
    now: OffsetDateTime,
) -> anyhow::Result<usize> {
    let changes: Vec<_> = city
        .records
        .iter()
        .map(|r| (r.kind, r.id, creating_op(r)))
        .collect();
    let count = changes.len();
    let org2 = org.clone();
    let update = store
        .write(move |sql| {
            devices::set_meta(sql, META_KEY, "1")?;
            if !devices::log_is_empty(sql)? {
                return Ok(None);
            }
            let update = ingest_server_changes(sql, &org2, DEMO_DEVICE, changes, now)
                .map_err(|err| anyhow::anyhow!("demo city refused ({}): {err}", err.code()))?;
            Ok::<_, anyhow::Error>(Some(update))
        })
        .await?;
    Ok(match update {
        Some(update) => {
            update.publish(org);
            count
        }
        None => 0,
    })
}

/// The enrollment links of the three demo users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoLinks {
    pub office: String,
    pub inspector: String,
    pub cadre: String,
}

/// Fresh single-use invites for the demo users, replacing unused ones.
pub fn make_invites(
    sql: &mut dyn Sql,
    city: &DemoCity,
    base_url: &str,
    now: OffsetDateTime,
) -> anyhow::Result<DemoLinks> {
    devices::delete_unused_invites_named(sql, [OFFICE_NAME, INSPECTOR_NAME, CADRE_NAME])?;
    let mut link = |role: Role, scope: &Scope, name: &str| -> anyhow::Result<String> {
        let (code, _) = create_invite(sql, role, scope, name, now)
            .map_err(|err| anyhow::anyhow!("demo invite ({}): {err}", err.code()))?;
        Ok(enroll_link(base_url, &code))
    };
    let links = DemoLinks {
        office: link(Role::Office, &Scope::City, OFFICE_NAME)?,
        inspector: link(Role::Inspector, &city.inspector_scope, INSPECTOR_NAME)?,
        cadre: link(Role::Cadre, &city.cadre_scope, CADRE_NAME)?,
    };
    Ok(links)
}

/// Everything `serve --demo` does after [`check_mode`]: seed (once), make
/// the invites, write `demo-links.txt` and print the bilingual block.
pub async fn prepare(
    store: &Store,
    org: &OrgCache,
    data_dir: &Path,
    base_url: &str,
    admin_code: Option<&str>,
    now: OffsetDateTime,
) -> anyhow::Result<DemoLinks> {
    let city = demo_city(local_date(now)).context("building the demo city")?;
    let seeded = seed(store, org, &city, now).await?;
    let base = base_url.to_owned();
    let links = store
        .write(move |sql| make_invites(sql, &city, &base, now))
        .await?;
    let path = links_path(data_dir);
    let mut file = format!(
        "office {}\ninspector {}\ncadre {}\n",
        links.office, links.inspector, links.cadre
    );
    if let Some(code) = admin_code {
        file.push_str(&format!("admin {code}\n"));
    }
    write_private(&path, &file).with_context(|| format!("writing {}", path.display()))?;
    let seeded_line = if seeded > 0 {
        format!("已生成演示城市：{seeded} 条记录 / demo city seeded: {seeded} records")
    } else {
        "演示城市已在库中 / demo city already in place".to_owned()
    };
    let admin_line = admin_code
        .map(|code| format!("管理员登记码 / admin code:    {code}\n"))
        .unwrap_or_default();
    println!(
        "\n==================================================================\n\
         演示模式 / DEMO MODE — 演示数据，与真实数据分开存放 ({dir})\n\
         {seeded_line}\n\
         在手机浏览器中打开一个链接即可登记 / open a link on a phone to enroll:\n\
         演示办公室 / demo office:     {office}\n\
         演示督导员 / demo inspector:  {inspector}\n\
         演示驻村干部 / demo cadre:    {cadre}\n\
         {admin_line}\
         每个链接仅可使用一次；每次启动都会生成新链接。\n\
         Each link works once; every start prints new ones.\n\
         (also in {file})\n\
         ==================================================================\n",
        dir = data_dir.display(),
        office = links.office,
        inspector = links.inspector,
        cadre = links.cadre,
        file = path.display(),
    );
    tracing::info!(seeded, file = %path.display(), "demo mode (演示模式)");
    Ok(links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_creating_changes() {
        let city = demo_city(time::macros::date!(2026 - 11 - 21)).unwrap();
        for record in &city.records {
            match creating_op(record) {
                Op::Insert { record: value } => {
                    assert!(record.kind.is_fact());
                    assert_eq!(value, record.value);
                }
                Op::Set { fields, seen } => {
                    assert!(!record.kind.is_fact());
                    assert_eq!(seen, None);
                    assert!(!fields.contains_key("id"));
                    assert_eq!(fields.len() + 1, record.value.as_object().unwrap().len());
                }
            }
        }
        assert_eq!(DEMO_DEVICE.as_u128() >> 96, DEMO_ID_PREFIX >> 96);
    }
}
