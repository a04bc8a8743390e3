//! Benchmark group `core` (run by `.ci/bench core`):
//!
//! ```text
//! CARGO_TARGET_DIR=… cargo bench -p xianfeng-core --bench core
//! ```
//!
//! Builds a seeded synthetic city the size of 004 (10 systems, 107 units,
//! 3,679 members, 100,000 observations over 12 weeks; 85 villages, 2,000
//! households with 20,000 support items), then times
//!
//! - `core_tally_rank_city_ms`: directory + ladder + weekly tallies + rankings;
//! - `core_totals_city_ms`: directory + pairing totals for the city;
//!
//! and prints the median of the runs as `METRIC <name> <x> ms`.
//! Deterministic: a tiny xorshift PRNG with a fixed seed, no `rand`.

use std::hint::black_box;
use std::time::Instant;

use time::{Date, Duration, Month, OffsetDateTime, Time, UtcOffset};
use uuid::Uuid;
use xianfeng_core::directory::Directory;
use xianfeng_core::ids::*;
use xianfeng_core::money::{Fen, Mu};
use xianfeng_core::org::{Branch, InspectionGroup, Member, MemberStatus, PostType, Unit};
use xianfeng_core::pairing::{
    totals, Dispute, Household, HouseholdAttribute, Pairing, PairingFacts, PovertyCause,
    SupportItem, SupportKind, Visit,
};
use xianfeng_core::scope::Scope;
use xianfeng_core::spotcheck::{report, CheckMode, Observation, Outcome, Place, SpotCheck};

const SYSTEMS: usize = 10;
const UNITS: usize = 107;
const MEMBERS: usize = 3_679;
const OBSERVATIONS: usize = 100_000;
const WEEKS: i64 = 12;
const VILLAGES: usize = 85;
const HOUSEHOLDS: usize = 2_000;
const SUPPORT_ITEMS: usize = 20_000;
const VISITS: usize = 6_000;
const DISPUTES: usize = 234;
const WARMUP: usize = 3;
const RUNS: usize = 21;

/// xorshift64*: tiny, seeded, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A UUIDv7 for a given unix millisecond, with seeded "random" bits.
    fn v7(&mut self, unix_ms: u64) -> Uuid {
        let rand = (u128::from(self.next()) << 64 | u128::from(self.next())) & ((1u128 << 74) - 1);
        let rand_a = rand >> 62;
        let rand_b = rand & ((1u128 << 62) - 1);
        Uuid::from_u128(
            (u128::from(unix_ms) << 80)
                | (0x7u128 << 76)
                | (rand_a << 64)
                | (0b10u128 << 62)
                | rand_b,
        )
    }
}

struct City {
    units: Vec<Unit>,
    branches: Vec<Branch>,
    members: Vec<Member>,
    groups: Vec<InspectionGroup>,
    checks: Vec<SpotCheck>,
    observations: Vec<Observation>,
    households: Vec<Household>,
    pairings: Vec<Pairing>,
    visits: Vec<Visit>,
    support: Vec<SupportItem>,
    disputes: Vec<Dispute>,
}

fn city() -> City {
    let mut rng = Rng(0x5eed_2005_0310_0001);
    let start = Date::from_calendar_date(2005, Month::February, 7).unwrap(); // a Monday
    let epoch_ms = |at: OffsetDateTime| (at.unix_timestamp_nanos() / 1_000_000) as u64;
    let t0 = epoch_ms(start.midnight().assume_utc());

    let systems: Vec<SystemId> = (0..SYSTEMS)
        .map(|_| SystemId::from_uuid(rng.v7(t0)))
        .collect();
    let units: Vec<Unit> = (0..UNITS)
        .map(|i| {
            Unit::new(
                UnitId::from_uuid(rng.v7(t0)),
                systems[i % SYSTEMS],
                format!("单位{i}"),
            )
            .unwrap()
        })
        .collect();
    let branches: Vec<Branch> = (0..UNITS * 3)
        .map(|i| {
            Branch::new(
                BranchId::from_uuid(rng.v7(t0)),
                units[i % UNITS].id,
                format!("支部{i}"),
            )
            .unwrap()
        })
        .collect();
    let members: Vec<Member> = (0..MEMBERS)
        .map(|i| {
            Member::new(
                MemberId::from_uuid(rng.v7(t0)),
                format!("党员{i}"),
                branches[i % branches.len()].id,
                PostType::ALL[i % PostType::ALL.len()],
                MemberStatus::InPost,
            )
            .unwrap()
        })
        .collect();
    let mut members_of_unit: Vec<Vec<MemberId>> = vec![Vec::new(); UNITS];
    for (i, m) in members.iter().enumerate() {
        members_of_unit[(i % branches.len()) % UNITS].push(m.id);
    }
    let groups: Vec<InspectionGroup> = systems
        .iter()
        .enumerate()
        .map(|(g, &s)| {
            let mine = units
                .iter()
                .filter(|u| u.system == s)
                .map(|u| u.id)
                .collect();
            InspectionGroup::new(
                GroupId::from_uuid(rng.v7(t0)),
                format!("督导组{g}"),
                s,
                mine,
            )
            .unwrap()
        })
        .collect();

    // Checks: each group visits each unit 2–3 times a week.
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap();
    let mut checks = Vec::new();
    for week in 0..WEEKS {
        for (u, unit) in units.iter().enumerate() {
            let visits = 2 + rng.below(2);
            for _ in 0..visits {
                let day = start + Duration::weeks(week) + Duration::days(rng.below(5) as i64);
                let at = day
                    .with_time(
                        Time::from_hms(8 + rng.below(9) as u8, rng.below(60) as u8, 0).unwrap(),
                    )
                    .assume_offset(offset);
                checks.push(
                    SpotCheck::new(
                        CheckId::from_uuid(rng.v7(epoch_ms(at))),
                        InspectorId::from_u128(1 + (u % SYSTEMS) as u128),
                        Some(groups[u % SYSTEMS].id),
                        Place::Unit { unit: unit.id },
                        at,
                        if rng.below(3) == 0 {
                            CheckMode::Unannounced
                        } else {
                            CheckMode::Announced
                        },
                        "",
                    )
                    .unwrap(),
                );
            }
        }
    }
    // Observations: each check sees distinct members of its unit (about
    // 31 of 34); 1 in 100 records a member already recorded in that check
    // (two inspectors, one person). They arrive as phones sync: a check's
    // observations together, the checks in random order.
    for i in (1..checks.len()).rev() {
        let j = rng.below(i + 1);
        checks.swap(i, j);
    }
    let unit_pos = |id: UnitId| units.iter().position(|u| u.id == id).unwrap();
    let mut observations: Vec<Observation> = Vec::with_capacity(OBSERVATIONS);
    for (c, check) in checks.iter().enumerate() {
        let take = OBSERVATIONS / checks.len() + usize::from(c < OBSERVATIONS % checks.len());
        let mut pool = members_of_unit[unit_pos(check.place.unit().unwrap())].clone();
        for k in 0..take {
            let member = if k > 0 && rng.below(100) == 0 {
                pool[rng.below(k)]
            } else {
                let j = k + rng.below(pool.len() - k);
                pool.swap(k, j);
                pool[k]
            };
            let outcome = match rng.below(100) {
                0..=91 => Outcome::Wearing,
                92..=96 => Outcome::NotWearing,
                97..=98 => Outcome::Absent,
                _ => Outcome::Excused {
                    reason: "外出开会".to_string(),
                },
            };
            let at_ms = epoch_ms(check.at) + k as u64;
            observations.push(
                Observation::new(
                    ObservationId::from_uuid(rng.v7(at_ms)),
                    check.id,
                    member,
                    outcome,
                )
                .unwrap(),
            );
        }
    }

    // Pairing.
    let villages: Vec<VillageId> = (0..VILLAGES)
        .map(|_| VillageId::from_uuid(rng.v7(t0)))
        .collect();
    let households: Vec<Household> = (0..HOUSEHOLDS)
        .map(|i| {
            Household::new(
                HouseholdId::from_uuid(rng.v7(t0)),
                format!("户主{i}"),
                villages[rng.below(VILLAGES)],
                1 + rng.below(8) as u8,
                HouseholdAttribute::ALL[rng.below(3)],
                vec![PovertyCause::ALL[rng.below(PovertyCause::ALL.len())]],
                None,
            )
            .unwrap()
        })
        .collect();
    let helper: Vec<MemberId> = (0..HOUSEHOLDS)
        .map(|_| members[rng.below(MEMBERS)].id)
        .collect();
    let pairings: Vec<Pairing> = households
        .iter()
        .zip(&helper)
        .map(|(h, &m)| {
            Pairing::new(PairingId::from_uuid(rng.v7(t0)), m, h.id, start, None).unwrap()
        })
        .collect();
    let visits: Vec<Visit> = (0..VISITS)
        .map(|_| {
            let i = rng.below(HOUSEHOLDS);
            let on = start + Duration::days(rng.below(84) as i64);
            Visit::new(
                VisitId::from_uuid(rng.v7(t0)),
                households[i].id,
                helper[i],
                on,
                "",
            )
            .unwrap()
        })
        .collect();
    let support: Vec<SupportItem> = (0..SUPPORT_ITEMS)
        .map(|_| {
            let i = rng.below(HOUSEHOLDS);
            let kind = match rng.below(5) {
                0 => SupportKind::Funds {
                    amount: Fen::new(100 * (200 + rng.below(800) as i64)).unwrap(),
                },
                1 => SupportKind::Goods {
                    value: Fen::new(100 * (50 + rng.below(500) as i64)).unwrap(),
                },
                2 => SupportKind::Production {
                    area: Some(Mu::from_tenths(5 + rng.below(200) as i64).unwrap()),
                },
                3 => SupportKind::Project,
                _ => SupportKind::Information,
            };
            let on = start + Duration::days(rng.below(84) as i64);
            SupportItem::new(
                SupportId::from_uuid(rng.v7(t0)),
                households[i].id,
                helper[i],
                on,
                kind,
                "帮扶",
            )
            .unwrap()
        })
        .collect();
    let disputes: Vec<Dispute> = (0..DISPUTES)
        .map(|_| {
            let i = rng.below(HOUSEHOLDS);
            Dispute::new(
                DisputeId::from_uuid(rng.v7(t0)),
                households[i].village,
                Some(households[i].id),
                helper[i],
                start + Duration::days(rng.below(84) as i64),
                "邻里纠纷",
            )
            .unwrap()
        })
        .collect();

    City {
        units,
        branches,
        members,
        groups,
        checks,
        observations,
        households,
        pairings,
        visits,
        support,
        disputes,
    }
}

/// Median wall time of `RUNS` runs after `WARMUP`, in milliseconds.
fn median_ms(mut f: impl FnMut()) -> f64 {
    for _ in 0..WARMUP {
        f();
    }
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1_000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that excludes this group skips it.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filter.is_empty() && !filter.iter().any(|f| "core".contains(f.as_str())) {
        return;
    }
    let c = city();
    let directory = || Directory::new(&c.units, &c.branches, &c.members, &c.groups);

    let r = report(&directory(), &c.checks, &c.observations);
    let key = r.rankings.key_management.len();
    let warned = r
        .ladder
        .members
        .values()
        .filter(|l| l.misses() >= 3)
        .count();
    println!(
        "info: {} checks, {} observations, {} weeks ranked, {} members on the ladder ({} warned), {} key-management units",
        c.checks.len(),
        c.observations.len(),
        r.tally.weekly.len(),
        r.ladder.members.len(),
        warned,
        key
    );
    let facts = PairingFacts {
        households: &c.households,
        pairings: &c.pairings,
        visits: &c.visits,
        support: &c.support,
        disputes: &c.disputes,
    };
    let t = totals(&Scope::City, &directory(), &facts, None);
    println!("info: {}", t.summary(xianfeng_core::error::Lang::En));

    let tally_rank = median_ms(|| {
        let dir = directory();
        black_box(report(
            &dir,
            black_box(&c.checks),
            black_box(&c.observations),
        ));
    });
    let totals_city = median_ms(|| {
        let dir = directory();
        black_box(totals(&Scope::City, &dir, black_box(&facts), None));
    });
    println!("METRIC core_tally_rank_city_ms {tally_rank:.3} ms");
    println!("METRIC core_totals_city_ms {totals_city:.3} ms");
}
