//! 巡察: the inspector's badge spot checks, rosters, tallies and rankings.
//! [`ROUTES`] is in the shell's table; every screen of the section
//! lives under `/spot-checks`, one screen per file:
//!
//! | route | screen |
//! |---|---|
//! | `/spot-checks` | [`home`]: start, 我是…, this week's quota, recent checks |
//! | `/spot-checks/new` | [`start`]: pick a unit (or public place), 明查/暗访, time |
//! | `/spot-checks/check/:id` | [`check`]: the member list, one tap per member, the ladder at a miss |
//! | `/spot-checks/check/:id/summary` | [`summary`]: checked, wearing rate, misses, new warnings |
//! | `/spot-checks/notice/:observation` | [`notice`]: the unit notice (通报), print and share |
//! | `/spot-checks/rankings` | [`rankings`]: weekly ranking per system, streaks, 重点管理单位, quota |
//! | `/spot-checks/unit/:id` | [`unit`]: a unit's wearing rate by week and its members' steps |
//! | `/spot-checks/roster` | [`roster`]: systems, units, groups, inspectors (office) |
//! | `/spot-checks/roster/:unit` | [`roster_unit`]: a unit's members, by hand or CSV import |
//!
//! Every number shown (steps, rates, ranks, quota) comes from core's
//! `spotcheck` module over the stored facts; nothing derived is stored.

mod chart;
mod check;
mod data;
mod draft;
mod home;
mod import;
mod notice;
mod rankings;
mod roster;
mod roster_unit;
mod start;
mod summary;
mod unit;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use xianfeng_core::{IsoWeek, Lang, RecordKind};

use std::sync::Arc;

use xianfeng_core::org::Inspector;
use xianfeng_core::spotcheck::QuotaLine;

use crate::i18n::{fill, I18n, SpotMsg, Text};
use crate::kit::{self, Reload};
use crate::local_time::now_local;
use crate::routes::Route;
use crate::storage::{Identity, StorageError};
pub use data::{chosen_inspector, inspector_for, preload};
use data::{my_inspector, Facts, Org};

/// Every route of the section (see `crate::routes`).
pub const ROUTES: &[Route] = &[
    Route::here("/spot-checks", || home::SpotChecksHome().into_any()),
    Route::part("/spot-checks/new", Start::load),
    Route::part("/spot-checks/check/:id", Check::load),
    Route::part("/spot-checks/check/:id/summary", Summary::load),
    Route::part("/spot-checks/notice/:observation", Notice::load),
    Route::part("/spot-checks/rankings", Rankings::load),
    Route::part("/spot-checks/unit/:id", Unit::load),
    Route::part("/spot-checks/roster", Roster::load),
    Route::part("/spot-checks/roster/:unit", RosterUnit::load),
];

// Lazily loaded parts (crate::lazy). The home stays in the main module (it
// is the first screen); the recording flow is the first part fetched ahead.
crate::lazy_screens!(spot_record {
    Start => start::StartCheck,
    Check => check::CheckScreen,
    Summary => summary::CheckSummaryPage,
});
crate::lazy_screens!(spot_report {
    Notice => notice::NoticePage,
    Rankings => rankings::RankingsPage,
    Unit => unit::UnitPage,
});
crate::lazy_screens!(spot_roster { Roster => roster::RosterPage });
crate::lazy_screens!(spot_roster_unit { RosterUnit => roster_unit::RosterUnitPage });

/// A route parameter (empty when absent).
fn param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name)).unwrap_or_default())
}

/// No route parameter.
fn no_param() -> Memo<String> {
    Memo::new(|_| String::new())
}

/// Everything a screen of the section reads, loaded in one go: the org
/// records, the spot-check facts, and who this phone is.
struct Snap {
    identity: Identity,
    org: Org,
    facts: Facts,
    /// The inspector record this phone checks as, if settled.
    me: Option<Inspector>,
}

/// `None`: the phone is not enrolled.
type Loaded = Option<Arc<Snap>>;

async fn load(identity: Option<Identity>) -> Result<Loaded, StorageError> {
    let Some(identity) = identity else {
        return Ok(None);
    };
    let org = Org::load().await?;
    let facts = Facts::load().await?;
    let me = my_inspector(&org, &identity).await;
    Ok(Some(Arc::new(Snap {
        identity,
        org,
        facts,
        me,
    })))
}

/// The kinds the section shows beyond the org (see `store::stamp`).
const KINDS: [RecordKind; 2] = [RecordKind::SpotCheck, RecordKind::Observation];

/// A screen of the section: the page, and `render` over the loaded
/// snapshot (with the route parameter) once it is there. Every screen
/// goes through this one function, so the resource and the transition
/// are compiled once for the whole section (bundle size).
fn screen(
    testid: &'static str,
    reload: Reload,
    param: Memo<String>,
    render: fn(Arc<Snap>, String) -> AnyView,
) -> impl IntoView {
    draft::Drafts::provide();
    let data = kit::use_records(&KINDS, reload, load);
    let shown = move |snap: Loaded| match snap {
        Some(snap) => render(snap, param.get()),
        None => not_enrolled().into_any(),
    };
    view! { <section class="page spot" data-testid=testid>{kit::show(data, shown)}</section> }
}

/// The current language (tracked: a screen renders again in the other).
fn lang() -> Lang {
    I18n::use_context().lang()
}

/// A message in the current language.
fn t(msg: SpotMsg) -> &'static str {
    msg.text(lang())
}

/// This ISO week on the phone's calendar.
fn this_week() -> Option<IsoWeek> {
    now_local().ok().map(IsoWeek::of_instant)
}

/// `2005年第11周`.
fn week_label(lang: Lang, week: IsoWeek) -> String {
    fill(
        SpotMsg::WeekLabel.text(lang),
        &[("y", &week.year()), ("w", &week.week())],
    )
}

/// A paragraph saying something is not (yet) there.
fn empty(msg: SpotMsg) -> AnyView {
    view! { <p class="empty">{t(msg)}</p> }.into_any()
}

/// Shown instead of a screen before the phone is enrolled.
fn not_enrolled() -> impl IntoView {
    view! {
        <div class="empty" data-testid="spot-not-enrolled">
            <p>{t(SpotMsg::NotEnrolled)}</p>
            <a class="btn" href="/sync">{t(SpotMsg::GoEnroll)}</a>
        </div>
    }
}

/// A list row: a title, a muted line, as a link when `href` is given
/// (one view type for every list of the section: bundle size).
fn row(title: String, sub: String, href: Option<String>) -> AnyView {
    match href {
        Some(href) => view! {
            <li>
                <a class="spot-row-link" href=href>
                    <span class="spot-row-title">{title}</span>
                    <span class="muted">{sub}</span>
                </a>
            </li>
        }
        .into_any(),
        None => view! {
            <li>
                <span class="spot-row-title">{title}</span>
                <span class="muted">{sub}</span>
            </li>
        }
        .into_any(),
    }
}

/// A card: a heading, an optional hint, a list of rows, the test id.
fn list_card(
    testid: &'static str,
    title: &'static str,
    hint: Option<&'static str>,
    rows: Vec<AnyView>,
) -> AnyView {
    view! {
        <div class="card" data-testid=testid>
            <h3>{title}</h3>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <ul class="spot-list">{rows}</ul>
        </div>
    }
    .into_any()
}

/// Labelled figures (`<dl>`), each with its test id.
fn figures(rows: Vec<(SpotMsg, &'static str, String)>) -> AnyView {
    let lang = lang();
    let rows = rows
        .into_iter()
        .map(|(label, testid, value)| (label.text(lang), Some(testid), value))
        .collect();
    kit::facts(rows)
}

/// Quota lines (visits this week against the quota) as rows.
fn quota_rows(org: &Org, lines: &[QuotaLine], with_group: bool) -> Vec<AnyView> {
    let lang = lang();
    lines
        .iter()
        .map(|l| {
            let unit = org.unit_name(l.unit);
            let label = match org.groups.iter().find(|g| g.id == l.group) {
                Some(g) if with_group => format!("{} · {unit}", g.name),
                _ => unit,
            };
            let done = fill(
                SpotMsg::QuotaDone.text(lang),
                &[("done", &l.done), ("required", &l.required)],
            );
            let short = l.is_short();
            view! {
                <li class="spot-quota" class:spot-short=short>
                    <span>{label}</span>
                    <span>
                        {done}
                        {short.then(|| view! { " " <strong>{SpotMsg::QuotaShort.text(lang)}</strong> })}
                    </span>
                </li>
            }
            .into_any()
        })
        .collect()
}

/// An instant as shown (`11月21日 14:05`), in the phone's time.
fn when(at: &time::OffsetDateTime) -> String {
    crate::i18n::date_time(lang(), at.unix_timestamp() as u64 * 1000)
}
