//! Weekly ranking of units within each system, last places, 重点管理单位.
//!
//! Why: 004: 每周以系统为单位进行一次排名，排在系统末位的单位，一把手要向市委
//! 领导小组说明原因，连续3次排名末位的单位将列为重点管理单位.
//!
//! The metric, per system and ISO week, over that week's [`UnitTally`]:
//!
//! 1. wearing rate, higher first (exact ratio, no rounding);
//! 2. then more members checked first (a rate over more people weighs more);
//! 3. then fewer warnings (作出警告) that week first;
//! 4. then unit id ascending, so there are never ties and the order never
//!    depends on input order.
//!
//! A unit of the system with no member seen that week is **not ranked**:
//! it is listed under `unchecked` (未检查), never as last. A system needs at
//! least two ranked units that week for a last place. "Three times in a
//! row" counts the system's consecutive rankings that have a last place:
//! a week in which the system has no such ranking neither extends nor
//! breaks a streak; a ranking in which the unit is not last (including
//! being unchecked) breaks it. A unit stays a key-management unit once it
//! has been last [`KEY_MANAGEMENT_STREAK`] times in a row; `since` is the
//! week that made it so. Nothing here is stored on `Unit`.

use core::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::IsoWeek;
use crate::directory::Directory;
use crate::ids::{SystemId, UnitId};

use super::tally::{Tally, UnitTally};

/// Consecutive last places that make a key-management unit (连续3次).
pub const KEY_MANAGEMENT_STREAK: u32 = 3;

/// A unit's place in its system's weekly ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedUnit {
    /// 1 is best; ranks are unique (ties are broken, see the module doc).
    pub rank: u32,
    pub tally: UnitTally,
}

/// One system's ranking for one week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemWeekRanking {
    pub system: SystemId,
    pub week: IsoWeek,
    pub ranked: Vec<RankedUnit>,
    /// Units of the system with nobody seen this week (未检查), ascending.
    pub unchecked: Vec<UnitId>,
    /// The last-placed unit (needs at least two ranked units).
    pub last: Option<UnitId>,
}

/// A unit's run of last places.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastPlaceStreak {
    pub unit: UnitId,
    /// Consecutive last places up to the system's latest ranking.
    pub current: u32,
    /// The longest run in the campaign.
    pub longest: u32,
    /// Every week the unit was last.
    pub weeks: Vec<IsoWeek>,
}

/// 重点管理单位: last three rankings in a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyManagement {
    pub unit: UnitId,
    pub system: SystemId,
    /// The week of the third consecutive last place.
    pub since: IsoWeek,
}

/// Every weekly ranking with the streaks and key-management units they make.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rankings {
    /// By week, then system id.
    pub weeks: Vec<SystemWeekRanking>,
    /// Units that were last at least once.
    pub streaks: BTreeMap<UnitId, LastPlaceStreak>,
    /// In the order they became so (week, then unit id).
    pub key_management: Vec<KeyManagement>,
}

/// The ranking order: `Less` means `a` ranks ahead of `b`.
pub fn compare(a: &UnitTally, b: &UnitTally) -> Ordering {
    let rate = |t: &UnitTally| t.wearing_rate();
    rate(b)
        .cmp(&rate(a))
        .then(b.members_checked.cmp(&a.members_checked))
        .then(a.steps.warn.cmp(&b.steps.warn))
        .then(a.unit.cmp(&b.unit))
}

impl Rankings {
    /// Ranks every system for every week that has observations.
    pub fn compute(directory: &Directory, tally: &Tally) -> Rankings {
        let mut weeks = Vec::new();
        for (&week, units) in &tally.weekly {
            for system in directory.systems() {
                let mut ranked: Vec<&UnitTally> = Vec::new();
                let mut unchecked = Vec::new();
                for unit in directory.units_of(system) {
                    match units.get(unit) {
                        Some(t) if t.observations() > 0 => ranked.push(t),
                        _ => unchecked.push(*unit),
                    }
                }
                // `compare` is a total order (unit id last): unstable is exact.
                ranked.sort_unstable_by(|a, b| compare(a, b));
                let last = (ranked.len() >= 2).then(|| ranked[ranked.len() - 1].unit);
                weeks.push(SystemWeekRanking {
                    system,
                    week,
                    ranked: ranked
                        .into_iter()
                        .enumerate()
                        .map(|(i, t)| RankedUnit {
                            rank: i as u32 + 1,
                            tally: t.clone(),
                        })
                        .collect(),
                    unchecked,
                    last,
                });
            }
        }

        let mut streaks: BTreeMap<UnitId, LastPlaceStreak> = BTreeMap::new();
        let mut key_management = Vec::new();
        for ranking in &weeks {
            let Some(last) = ranking.last else { continue };
            for unit in directory.units_of(ranking.system) {
                if *unit == last {
                    let s = streaks.entry(last).or_insert_with(|| LastPlaceStreak {
                        unit: last,
                        current: 0,
                        longest: 0,
                        weeks: Vec::new(),
                    });
                    s.current += 1;
                    s.longest = s.longest.max(s.current);
                    s.weeks.push(ranking.week);
                    let already = key_management
                        .iter()
                        .any(|k: &KeyManagement| k.unit == last);
                    if s.current >= KEY_MANAGEMENT_STREAK && !already {
                        key_management.push(KeyManagement {
                            unit: last,
                            system: ranking.system,
                            since: ranking.week,
                        });
                    }
                } else if let Some(s) = streaks.get_mut(unit) {
                    s.current = 0;
                }
            }
        }
        Rankings {
            weeks,
            streaks,
            key_management,
        }
    }

    /// One system's ranking for a week.
    pub fn for_week(&self, system: SystemId, week: IsoWeek) -> Option<&SystemWeekRanking> {
        self.weeks
            .iter()
            .find(|r| r.system == system && r.week == week)
    }

    /// The last-placed unit of every system in a week (系统末位).
    pub fn last_placed(&self, week: IsoWeek) -> Vec<(SystemId, UnitId)> {
        self.weeks
            .iter()
            .filter(|r| r.week == week)
            .filter_map(|r| r.last.map(|u| (r.system, u)))
            .collect()
    }

    pub fn is_key_management(&self, unit: UnitId) -> bool {
        self.key_management.iter().any(|k| k.unit == unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spotcheck::fixtures::*;
    use crate::spotcheck::{report, Observation, Outcome, SpotCheck};

    /// Builds one check per unit for the week of `monday`, with `wear[i]` of
    /// `seen[i]` members of unit i wearing.
    fn week_of(
        city: &TinyCity,
        next_id: &mut u128,
        monday: time::Date,
        plan: &[(usize, u32, u32)],
        checks: &mut Vec<SpotCheck>,
        obs: &mut Vec<Observation>,
    ) {
        for &(unit, seen, wearing) in plan {
            *next_id += 1;
            let c = city.check(*next_id, city.units[unit], monday, None);
            for j in 0..seen {
                *next_id += 1;
                let outcome = if j < wearing {
                    Outcome::Wearing
                } else {
                    Outcome::NotWearing
                };
                obs.push(observation(
                    *next_id,
                    &c,
                    city.members[unit * 4 + j as usize],
                    outcome,
                ));
            }
            checks.push(c);
        }
    }

    #[test]
    fn ranking_order_and_tiebreaks_table() {
        // (unit, seen, wearing) for units 0..3 of system 0 → expected order.
        type Plan = Vec<(usize, u32, u32)>;
        let cases: Vec<(Plan, Vec<usize>, Vec<usize>)> = vec![
            // Plain rates: 4/4 > 3/4 > 1/4.
            (vec![(0, 4, 1), (1, 4, 4), (2, 4, 3)], vec![1, 2, 0], vec![]),
            // Equal rate 1/2 vs 2/4: more members checked first.
            (vec![(0, 2, 1), (1, 4, 2), (2, 4, 4)], vec![2, 1, 0], vec![]),
            // Identical tallies: unit id decides.
            (vec![(2, 2, 2), (1, 2, 2), (0, 2, 2)], vec![0, 1, 2], vec![]),
            // Unit 2 not checked: unranked, not last.
            (vec![(0, 4, 4), (1, 4, 0)], vec![0, 1], vec![2]),
        ];
        for (plan, order, unchecked) in cases {
            let city = TinyCity::new();
            let (mut checks, mut obs, mut id) = (Vec::new(), Vec::new(), 0);
            week_of(&city, &mut id, day(7), &plan, &mut checks, &mut obs);
            let r = report(&city.directory(), &checks, &obs).rankings;
            let ranking = r.for_week(city.systems[0], IsoWeek::of(day(7))).unwrap();
            let got: Vec<UnitId> = ranking.ranked.iter().map(|u| u.tally.unit).collect();
            let want: Vec<UnitId> = order.iter().map(|&i| city.units[i]).collect();
            assert_eq!(got, want, "{plan:?}");
            let ranks: Vec<u32> = ranking.ranked.iter().map(|u| u.rank).collect();
            assert_eq!(ranks, (1..=want.len() as u32).collect::<Vec<_>>());
            let want_unchecked: Vec<UnitId> = unchecked.iter().map(|&i| city.units[i]).collect();
            assert_eq!(ranking.unchecked, want_unchecked);
            assert_eq!(ranking.last, want.last().copied());
            // The other system had no checks: all unchecked, no last.
            let other = r.for_week(city.systems[1], IsoWeek::of(day(7))).unwrap();
            assert!(other.ranked.is_empty());
            assert_eq!(other.last, None);
        }
    }

    #[test]
    fn fewer_warnings_break_equal_rates() {
        let city = TinyCity::new();
        let (mut checks, mut obs, mut id) = (Vec::new(), Vec::new(), 0);
        // Weeks 10–11: member 0 of unit 0 misses twice; unit 1 wears.
        for d in [7, 14] {
            week_of(
                &city,
                &mut id,
                day(d),
                &[(0, 1, 0), (1, 1, 1)],
                &mut checks,
                &mut obs,
            );
        }
        // Week 12: both units 1 miss in 2 seen; unit 0's miss is member 0's
        // third (a warning), unit 1's is a first miss.
        let c0 = city.check(900, city.units[0], day(21), None);
        let c1 = city.check(901, city.units[1], day(21), None);
        obs.push(observation(910, &c0, city.members[0], Outcome::NotWearing));
        obs.push(observation(911, &c0, city.members[1], Outcome::Wearing));
        obs.push(observation(912, &c1, city.members[4], Outcome::NotWearing));
        obs.push(observation(913, &c1, city.members[5], Outcome::Wearing));
        checks.extend([c0, c1]);
        let r = report(&city.directory(), &checks, &obs).rankings;
        let ranking = r.for_week(city.systems[0], IsoWeek::of(day(21))).unwrap();
        let warns: Vec<(UnitId, u32)> = ranking
            .ranked
            .iter()
            .map(|u| (u.tally.unit, u.tally.steps.warn))
            .collect();
        assert_eq!(warns, vec![(city.units[1], 0), (city.units[0], 1)]);
        assert_eq!(
            ranking.last,
            Some(city.units[0]),
            "equal rate and size: the warning decides"
        );
    }

    #[test]
    fn streaks_and_key_management() {
        let city = TinyCity::new();
        let (mut checks, mut obs, mut id) = (Vec::new(), Vec::new(), 0);
        let mondays = [day(7), day(14), day(21), day(28)];
        // Unit 2 last in weeks 10 and 11, unit 1 last in week 12, then unit 2
        // last in week 13: no key management for anyone yet.
        let plans = [
            vec![(0, 4, 4), (1, 4, 3), (2, 4, 1)],
            vec![(0, 4, 4), (1, 4, 3), (2, 4, 1)],
            vec![(0, 4, 4), (1, 4, 0), (2, 4, 1)],
            vec![(0, 4, 4), (1, 4, 3), (2, 4, 1)],
        ];
        for (monday, plan) in mondays.iter().zip(&plans) {
            week_of(&city, &mut id, *monday, plan, &mut checks, &mut obs);
        }
        let r = report(&city.directory(), &checks, &obs).rankings;
        let s2 = &r.streaks[&city.units[2]];
        assert_eq!((s2.current, s2.longest), (1, 2));
        assert_eq!(s2.weeks.len(), 3);
        assert_eq!(r.streaks[&city.units[1]].current, 0);
        assert!(r.key_management.is_empty());
        assert_eq!(
            r.last_placed(IsoWeek::of(day(21))),
            vec![(city.systems[0], city.units[1])]
        );

        // Weeks 14 and 16 (week 15 has no checks in system 0): unit 2 last
        // again: rankings 13, 14, 16 in a row make it 重点管理单位 in week 16.
        week_of(
            &city,
            &mut id,
            day(28) + time::Duration::weeks(1),
            &plans[0],
            &mut checks,
            &mut obs,
        );
        week_of(
            &city,
            &mut id,
            day(28) + time::Duration::weeks(2),
            &[(3, 4, 1), (4, 4, 4)],
            &mut checks,
            &mut obs,
        );
        week_of(
            &city,
            &mut id,
            day(28) + time::Duration::weeks(3),
            &plans[0],
            &mut checks,
            &mut obs,
        );
        let r = report(&city.directory(), &checks, &obs).rankings;
        assert_eq!(r.streaks[&city.units[2]].current, 3);
        assert_eq!(
            r.key_management,
            vec![KeyManagement {
                unit: city.units[2],
                system: city.systems[0],
                since: IsoWeek::of(day(28) + time::Duration::weeks(3)),
            }]
        );
        assert!(r.is_key_management(city.units[2]));
        // System 1's only ranking (week 15) has last unit 3, a streak of 1.
        assert_eq!(r.streaks[&city.units[3]].current, 1);
    }

    #[test]
    fn a_single_ranked_unit_is_not_last() {
        let city = TinyCity::new();
        let (mut checks, mut obs, mut id) = (Vec::new(), Vec::new(), 0);
        for d in [7, 14, 21] {
            week_of(&city, &mut id, day(d), &[(0, 4, 0)], &mut checks, &mut obs);
        }
        let r = report(&city.directory(), &checks, &obs).rankings;
        assert!(r.streaks.is_empty());
        assert!(r.key_management.is_empty());
    }
}
