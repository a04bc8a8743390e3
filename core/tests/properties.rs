//! Property tests for the rules that must not depend on how facts arrive.
//!
//! - the ladder does not depend on arrival order (nor on duplicates of a
//!   check record synced twice);
//! - tallies and rankings are deterministic and do not depend on the order
//!   of facts or of org records;
//! - pairing totals add up over disjoint scopes (villages, systems, units).

use proptest::prelude::*;
use time::{Date, Duration, Month, Time, UtcOffset};
use xianfeng_core::directory::Directory;
use xianfeng_core::ids::*;
use xianfeng_core::money::{Fen, Mu};
use xianfeng_core::org::{Branch, InspectionGroup, Member, MemberStatus, PostType, Unit};
use xianfeng_core::pairing::{
    breakdown, totals, Dispute, Household, HouseholdAttribute, Pairing, PairingFacts, PovertyCause,
    SupportItem, SupportKind, Totals, Visit,
};
use xianfeng_core::scope::Scope;
use xianfeng_core::spotcheck::{report, CheckMode, Ladder, Observation, Outcome, Place, SpotCheck};

const UNITS: usize = 6;
const MEMBERS_PER_UNIT: usize = 3;

fn start() -> Date {
    Date::from_calendar_date(2005, Month::February, 28).unwrap()
}

/// Six units in two or three systems, one branch each, three members each.
fn org(systems: usize) -> (Vec<Unit>, Vec<Branch>, Vec<Member>) {
    let units: Vec<Unit> = (0..UNITS)
        .map(|i| {
            Unit::new(
                UnitId::from_u128(100 + i as u128),
                SystemId::from_u128(1 + (i % systems) as u128),
                format!("单位{i}"),
            )
            .unwrap()
        })
        .collect();
    let branches: Vec<Branch> = units
        .iter()
        .enumerate()
        .map(|(i, u)| Branch::new(BranchId::from_u128(200 + i as u128), u.id, "支部").unwrap())
        .collect();
    let members: Vec<Member> = (0..UNITS * MEMBERS_PER_UNIT)
        .map(|i| {
            Member::new(
                MemberId::from_u128(1_000 + i as u128),
                format!("党员{i}"),
                branches[i / MEMBERS_PER_UNIT].id,
                PostType::Other,
                MemberStatus::InPost,
            )
            .unwrap()
        })
        .collect();
    (units, branches, members)
}

/// (unit, day 0..27, minute 0..2) per check: equal instants happen.
fn check_strategy() -> impl Strategy<Value = (usize, i64, u8)> {
    (0..UNITS, 0..28i64, 0..3u8)
}

fn make_check(i: usize, (unit, day, minute): (usize, i64, u8)) -> SpotCheck {
    let at = (start() + Duration::days(day))
        .with_time(Time::from_hms(9, minute, 0).unwrap())
        .assume_offset(UtcOffset::from_hms(8, 0, 0).unwrap());
    SpotCheck::new(
        CheckId::from_u128(10_000 + i as u128),
        InspectorId::from_u128(1),
        None,
        Place::Unit {
            unit: UnitId::from_u128(100 + unit as u128),
        },
        at,
        CheckMode::Announced,
        "",
    )
    .unwrap()
}

fn outcome(k: u8) -> Outcome {
    match k {
        0 | 1 => Outcome::Wearing,
        2 | 3 => Outcome::NotWearing,
        4 => Outcome::Absent,
        _ => Outcome::Excused {
            reason: "会议".to_string(),
        },
    }
}

/// Observations: (check index, member index, outcome), ids in order; some
/// name a check that does not exist (orphans).
fn facts_strategy() -> impl Strategy<Value = (Vec<SpotCheck>, Vec<Observation>)> {
    prop::collection::vec(check_strategy(), 1..12).prop_flat_map(|specs| {
        let n = specs.len();
        let checks: Vec<SpotCheck> = specs
            .into_iter()
            .enumerate()
            .map(|(i, s)| make_check(i, s))
            .collect();
        let obs = prop::collection::vec((0..n + 1, 0..UNITS * MEMBERS_PER_UNIT, 0..6u8), 0..80);
        (Just(checks), obs).prop_map(|(checks, obs)| {
            let observations = obs
                .into_iter()
                .enumerate()
                .map(|(i, (c, m, k))| {
                    let check = if c < checks.len() {
                        checks[c].id
                    } else {
                        CheckId::from_u128(99_999)
                    };
                    Observation::new(
                        ObservationId::from_u128(50_000 + i as u128),
                        check,
                        MemberId::from_u128(1_000 + m as u128),
                        outcome(k),
                    )
                    .unwrap()
                })
                .collect();
            (checks, observations)
        })
    })
}

/// Facts plus shuffled copies of them.
type Facts = (Vec<SpotCheck>, Vec<Observation>);

fn shuffled_facts() -> impl Strategy<Value = (Facts, Vec<SpotCheck>, Vec<Observation>)> {
    facts_strategy().prop_flat_map(|(checks, obs)| {
        (
            Just((checks.clone(), obs.clone())),
            Just(checks).prop_shuffle(),
            Just(obs).prop_shuffle(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn ladder_does_not_depend_on_arrival_order(
        ((checks, obs), checks2, obs2) in shuffled_facts()
    ) {
        let a = Ladder::compute(&checks, &obs);
        let b = Ladder::compute(&checks2, &obs2);
        prop_assert_eq!(&a, &b);
        // Grouped by check (the one-pass path) gives the same ladder.
        let mut grouped = obs2.clone();
        grouped.sort_by_key(|o| o.check);
        prop_assert_eq!(&a, &Ladder::compute(&checks2, &grouped));
        // A check record synced twice changes nothing.
        let mut doubled = checks2.clone();
        doubled.extend(checks.iter().cloned());
        prop_assert_eq!(&a, &Ladder::compute(&doubled, &obs2));
        // Invariants: steps follow the miss count; notices only for warnings.
        for l in a.members.values() {
            for (i, e) in l.entries.iter().enumerate() {
                prop_assert_eq!(e.nth as usize, i + 1);
                prop_assert_eq!(Some(e.step), xianfeng_core::spotcheck::step_for_nth_miss(e.nth));
            }
            prop_assert_eq!(l.notices().len(), l.entries.len().saturating_sub(2));
        }
    }

    #[test]
    fn tally_and_ranking_are_deterministic_and_order_free(
        ((checks, obs), checks2, obs2) in shuffled_facts(),
        systems in 2..4usize,
    ) {
        let (units, branches, members) = org(systems);
        let dir = Directory::new(&units, &branches, &members, &[]);
        let mut units_r = units.clone();
        units_r.reverse();
        let mut members_r = members.clone();
        members_r.reverse();
        let dir_r = Directory::new(&units_r, &branches, &members_r, &[]);
        let a = report(&dir, &checks, &obs);
        let b = report(&dir_r, &checks2, &obs2);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &report(&dir, &checks, &obs));
        let mut grouped = obs2.clone();
        grouped.sort_by_key(|o| std::cmp::Reverse(o.check));
        prop_assert_eq!(&a, &report(&dir, &checks2, &grouped));
        for r in &a.rankings.weeks {
            let ranks: Vec<u32> = r.ranked.iter().map(|u| u.rank).collect();
            prop_assert_eq!(ranks, (1..=r.ranked.len() as u32).collect::<Vec<_>>());
            prop_assert_eq!(r.ranked.len() + r.unchecked.len(), dir.units_of(r.system).len());
            if r.ranked.len() >= 2 {
                prop_assert_eq!(r.last, r.ranked.last().map(|u| u.tally.unit));
            } else {
                prop_assert_eq!(r.last, None);
            }
            for pair in r.ranked.windows(2) {
                prop_assert!(
                    xianfeng_core::spotcheck::ranking::compare(&pair[0].tally, &pair[1].tally).is_lt()
                );
            }
        }
        // Weekly figures add up to the campaign's (members checked aside).
        for (unit, camp) in &a.tally.campaign {
            let weekly: Vec<_> = a.tally.weekly.values().filter_map(|w| w.get(unit)).collect();
            prop_assert_eq!(camp.wearing, weekly.iter().map(|t| t.wearing).sum::<u32>());
            prop_assert_eq!(camp.misses, weekly.iter().map(|t| t.misses).sum::<u32>());
            prop_assert_eq!(camp.steps.warn, weekly.iter().map(|t| t.steps.warn).sum::<u32>());
            prop_assert!(camp.members_checked <= weekly.iter().map(|t| t.members_checked).sum::<u32>());
        }
    }
}

/// One household: village, paired member; then its support items and visits.
#[derive(Clone, Debug)]
struct HouseholdSpec {
    village: usize,
    member: usize,
    visits: u8,
    support: Vec<(u8, i64)>,
    disputes: u8,
}

fn household_strategy() -> impl Strategy<Value = HouseholdSpec> {
    (
        0..4usize,
        0..UNITS * MEMBERS_PER_UNIT,
        0..3u8,
        prop::collection::vec((0..5u8, 1..100_000i64), 0..5),
        0..2u8,
    )
        .prop_map(
            |(village, member, visits, support, disputes)| HouseholdSpec {
                village,
                member,
                visits,
                support,
                disputes,
            },
        )
}

type PairingRecords = (
    Vec<Household>,
    Vec<Pairing>,
    Vec<Visit>,
    Vec<SupportItem>,
    Vec<Dispute>,
);

fn build_pairing_facts(specs: &[HouseholdSpec]) -> PairingRecords {
    let village = |v: usize| VillageId::from_u128(300 + v as u128);
    let member = |m: usize| MemberId::from_u128(1_000 + m as u128);
    let (mut hs, mut ps, mut vs, mut ss, mut ds) = (vec![], vec![], vec![], vec![], vec![]);
    let mut next = 0u128;
    let mut id = || {
        next += 1;
        next
    };
    for (i, s) in specs.iter().enumerate() {
        let h = Household::new(
            HouseholdId::from_u128(id()),
            format!("户主{i}"),
            village(s.village),
            3,
            HouseholdAttribute::General,
            vec![PovertyCause::LackOfFunds],
            None,
        )
        .unwrap();
        ps.push(
            Pairing::new(
                PairingId::from_u128(id()),
                member(s.member),
                h.id,
                start(),
                None,
            )
            .unwrap(),
        );
        for _ in 0..s.visits {
            vs.push(
                Visit::new(
                    VisitId::from_u128(id()),
                    h.id,
                    member(s.member),
                    start(),
                    "",
                )
                .unwrap(),
            );
        }
        for &(kind, amount) in &s.support {
            let support = match kind {
                0 => SupportKind::Funds {
                    amount: Fen::new(amount).unwrap(),
                },
                1 => SupportKind::Goods {
                    value: Fen::new(amount).unwrap(),
                },
                2 => SupportKind::Production {
                    area: Some(Mu::from_tenths(amount % 1_000).unwrap()),
                },
                3 => SupportKind::Project,
                _ => SupportKind::Information,
            };
            ss.push(
                SupportItem::new(
                    SupportId::from_u128(id()),
                    h.id,
                    member(s.member),
                    start(),
                    support,
                    "帮扶",
                )
                .unwrap(),
            );
        }
        for _ in 0..s.disputes {
            ds.push(
                Dispute::new(
                    DisputeId::from_u128(id()),
                    h.village,
                    Some(h.id),
                    member(s.member),
                    start(),
                    "纠纷",
                )
                .unwrap(),
            );
        }
        hs.push(h);
    }
    (hs, ps, vs, ss, ds)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn totals_add_up_over_disjoint_scopes(
        specs in prop::collection::vec(household_strategy(), 0..40),
        systems in 2..4usize,
    ) {
        let (units, branches, members) = org(systems);
        let groups: Vec<InspectionGroup> = vec![];
        let dir = Directory::new(&units, &branches, &members, &groups);
        let (hs, ps, vs, ss, ds) = build_pairing_facts(&specs);
        let facts = PairingFacts {
            households: &hs,
            pairings: &ps,
            visits: &vs,
            support: &ss,
            disputes: &ds,
        };
        let city = totals(&Scope::City, &dir, &facts, None);
        let by = |scopes: Vec<Scope>| -> Totals {
            scopes.iter().map(|s| totals(s, &dir, &facts, None)).sum()
        };
        let villages = (0..4).map(|v| Scope::Village(VillageId::from_u128(300 + v))).collect();
        let systems_s = dir.systems().map(Scope::System).collect();
        let units_s = units.iter().map(|u| Scope::Unit(u.id)).collect();
        prop_assert_eq!(by(villages), city);
        prop_assert_eq!(by(systems_s), city);
        prop_assert_eq!(by(units_s), city);
        prop_assert_eq!(city.households_paired as usize, specs.len());
        let b = breakdown(&dir, &facts, None);
        prop_assert_eq!(b.city, city);
        prop_assert_eq!(b.by_village.values().copied().sum::<Totals>(), city);
        prop_assert_eq!(b.by_unit.values().copied().sum::<Totals>(), city);
        let money: i64 = specs.iter().flat_map(|s| &s.support).filter(|(k, _)| *k == 0).map(|(_, a)| a).sum();
        prop_assert_eq!(city.money_fen.fen(), money);
    }
}

/// One fact arriving: a check or an observation (by index).
#[derive(Clone, Copy, Debug)]
enum Arrival {
    Check(usize),
    Observation(usize),
}

/// Facts and one interleaved arrival order of all of them.
fn arrivals() -> impl Strategy<Value = (Facts, Vec<Arrival>)> {
    facts_strategy().prop_flat_map(|(checks, obs)| {
        let order: Vec<Arrival> = (0..checks.len())
            .map(Arrival::Check)
            .chain((0..obs.len()).map(Arrival::Observation))
            .collect();
        (Just((checks, obs)), Just(order).prop_shuffle())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The phone's incremental views (one fact at a time, or observations
    /// in batches as a pulled page brings them; any order; the directory
    /// learnt part-way) equal the from-scratch computation after every
    /// fact or batch: ladder, tallies and every check's summary.
    #[test]
    fn live_views_equal_full_recomputation(
        ((checks, obs), order) in arrivals(),
        systems in 2..4usize,
        placed in 0..=UNITS * MEMBERS_PER_UNIT,
        directory_at in 0..200usize,
        batch in 1..6usize,
    ) {
        use xianfeng_core::spotcheck::{check_summary, LiveSpotChecks, Tally};
        let (units, branches, members) = org(systems);
        // Members beyond `placed` are unknown to the directory (unplaced).
        let dir = Directory::new(&units, &branches, &members[..placed], &[]);
        let mut live = LiveSpotChecks::new(Directory::default());
        let (mut seen_checks, mut seen_obs) = (Vec::new(), Vec::new());
        // Observations waiting to be added as one batch.
        let mut waiting: Vec<Observation> = Vec::new();
        for (step, arrival) in order.iter().enumerate() {
            let flush = |live: &mut LiveSpotChecks, waiting: &mut Vec<Observation>, seen: &mut Vec<Observation>| {
                // A fact repeated within the batch changes nothing.
                let again = waiting.first().cloned();
                live.add_observations(waiting.iter().cloned().chain(again));
                seen.append(waiting);
            };
            if step == directory_at {
                flush(&mut live, &mut waiting, &mut seen_obs);
                live.set_directory(dir.clone());
            }
            match *arrival {
                Arrival::Check(i) => {
                    flush(&mut live, &mut waiting, &mut seen_obs);
                    live.add_check(checks[i].clone());
                    seen_checks.push(checks[i].clone());
                }
                Arrival::Observation(i) => {
                    waiting.push(obs[i].clone());
                    let last = step + 1 == order.len();
                    if waiting.len() < batch && !last {
                        continue;
                    }
                    flush(&mut live, &mut waiting, &mut seen_obs);
                    // Adding a fact twice changes nothing.
                    live.add_observation(obs[i].clone());
                }
            }
            let current = if step >= directory_at { dir.clone() } else { Directory::default() };
            prop_assert_eq!(live.ladder(), &Ladder::compute(&seen_checks, &seen_obs));
            prop_assert_eq!(live.tally(), &Tally::compute(&current, &seen_checks, &seen_obs));
        }
        if directory_at >= order.len() {
            live.set_directory(dir.clone());
        }
        prop_assert_eq!(live.tally(), &Tally::compute(&dir, &checks, &obs));
        for c in &checks {
            prop_assert_eq!(live.check_summary(c.id), check_summary(c.id, &checks, &obs));
        }
        let built = LiveSpotChecks::build(dir.clone(), &checks, &obs);
        prop_assert_eq!(built.ladder(), live.ladder());
        prop_assert_eq!(built.tally(), live.tally());
        // Taking observations back (undo) equals never having had them.
        let mut kept = obs.clone();
        for (k, o) in obs.iter().enumerate().rev() {
            if k % 3 == 0 {
                prop_assert!(live.remove_observation(o.id));
                prop_assert!(!live.remove_observation(o.id));
                kept.retain(|x| x.id != o.id);
                prop_assert_eq!(live.ladder(), &Ladder::compute(&checks, &kept));
                prop_assert_eq!(live.tally(), &Tally::compute(&dir, &checks, &kept));
            }
        }
        prop_assert_eq!(live.observation_count(), kept.len());
    }
}
