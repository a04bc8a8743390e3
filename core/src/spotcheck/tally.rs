//! Per-unit tallies, per ISO week and for the whole campaign.
//!
//! Why: the office ranks units weekly and reports campaign figures; a unit
//! head answers for them. Definitions (after the canonical dedup in
//! `canon`: one observation per member per check):
//!
//! - an observation counts for the member's **own unit** (from the
//!   directory), wherever it was made, and for the ISO week of its check;
//! - `members_checked`: distinct members seen (wearing or not) in the
//!   period; excused and absent members are counted apart (`excused`,
//!   `absent`) and are not in the rate;
//! - `wearing_rate = wearing / (wearing + misses)`, an exact [`Rate`], so
//!   the phone and the server rank identically (no floats);
//! - `steps`: ladder steps triggered in the period by the unit's members;
//! - members the directory cannot place are listed in `unplaced`.

use core::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::IsoWeek;
use crate::directory::Directory;
use crate::hash::{map_with_capacity, FastMap};
use crate::ids::{MemberId, UnitId};

use super::canon::{Canon, Seen};
use super::ladder::{self, Hit, Step};
use super::{Observation, SpotCheck};

/// An exact ratio `num / den` (`den > 0`), compared by value.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Rate {
    pub num: u32,
    pub den: u32,
}

impl Rate {
    /// `None` when `den == 0` or `num > den`.
    pub fn new(num: u32, den: u32) -> Option<Rate> {
        (den > 0 && num <= den).then_some(Rate { num, den })
    }

    /// In basis points (10000 = 100 %), rounded half up: for display.
    pub fn basis_points(self) -> u32 {
        ((u64::from(self.num) * 10_000 + u64::from(self.den) / 2) / u64::from(self.den)) as u32
    }

    /// As a float in 0..=1: for charts only, never for ranking.
    pub fn ratio(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }

    /// `95.2%`.
    pub fn percent_string(self) -> String {
        let tenths = (u64::from(self.num) * 1_000 + u64::from(self.den) / 2) / u64::from(self.den);
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

impl PartialEq for Rate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Rate {}

impl PartialOrd for Rate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rate {
    fn cmp(&self, other: &Self) -> Ordering {
        (u64::from(self.num) * u64::from(other.den))
            .cmp(&(u64::from(other.num) * u64::from(self.den)))
    }
}

/// How many times each ladder step was reached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCounts {
    pub point_out: u32,
    pub criticise: u32,
    pub warn: u32,
}

impl StepCounts {
    pub(crate) fn add(&mut self, step: Step) {
        match step {
            Step::PointOut => self.point_out += 1,
            Step::Criticise => self.criticise += 1,
            Step::Warn => self.warn += 1,
        }
    }
}

/// One unit's figures for a week or for the campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitTally {
    pub unit: UnitId,
    /// Distinct members seen (wearing or not).
    pub members_checked: u32,
    pub wearing: u32,
    pub misses: u32,
    pub excused: u32,
    pub absent: u32,
    pub steps: StepCounts,
}

impl UnitTally {
    pub fn new(unit: UnitId) -> Self {
        Self {
            unit,
            members_checked: 0,
            wearing: 0,
            misses: 0,
            excused: 0,
            absent: 0,
            steps: StepCounts::default(),
        }
    }

    /// Observations in the rate: wearing plus misses.
    pub fn observations(&self) -> u32 {
        self.wearing + self.misses
    }

    /// `None` when nobody was seen.
    pub fn wearing_rate(&self) -> Option<Rate> {
        Rate::new(self.wearing, self.observations())
    }

    fn add_counts(&mut self, other: &UnitTally) {
        self.wearing += other.wearing;
        self.misses += other.misses;
        self.excused += other.excused;
        self.absent += other.absent;
        self.steps.point_out += other.steps.point_out;
        self.steps.criticise += other.steps.criticise;
        self.steps.warn += other.steps.warn;
    }
}

/// Tallies of every unit with at least one observation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub weekly: BTreeMap<IsoWeek, BTreeMap<UnitId, UnitTally>>,
    pub campaign: BTreeMap<UnitId, UnitTally>,
    /// Members observed whom the directory cannot place in a unit.
    pub unplaced: Vec<MemberId>,
}

impl Tally {
    /// Tallies over facts given in any order.
    pub fn compute(
        directory: &Directory,
        checks: &[SpotCheck],
        observations: &[Observation],
    ) -> Tally {
        let canon = Canon::build(checks, observations);
        let (_, hits) = ladder::from_canon(&canon);
        from_canon(&canon, &hits, directory)
    }

    pub fn week(&self, week: IsoWeek) -> Option<&BTreeMap<UnitId, UnitTally>> {
        self.weekly.get(&week)
    }

    pub fn unit_week(&self, unit: UnitId, week: IsoWeek) -> Option<&UnitTally> {
        self.weekly.get(&week).and_then(|w| w.get(&unit))
    }

    /// One unit's weeks for a chart: every ISO week from the tally's first
    /// to `until` (at most `max` of the latest), oldest first, with the
    /// unit's figures where it had any (`None`: nobody of it was seen).
    pub fn unit_series(
        &self,
        unit: UnitId,
        until: IsoWeek,
        max: usize,
    ) -> Vec<(IsoWeek, Option<&UnitTally>)> {
        let Some(&first) = self.weekly.keys().next() else {
            return Vec::new();
        };
        let mut weeks = Vec::new();
        let mut week = until;
        while week >= first && weeks.len() < max {
            weeks.push((week, self.unit_week(unit, week)));
            week = week.prev();
        }
        weeks.reverse();
        weeks
    }
}

pub(crate) fn from_canon(canon: &Canon<'_>, hits: &[Hit], directory: &Directory) -> Tally {
    // Dense unit index per interned member.
    let mut unit_ids: Vec<UnitId> = Vec::new();
    let mut unit_index: FastMap<UnitId, u32> = map_with_capacity(256);
    let mut unplaced = Vec::new();
    let member_unit: Vec<Option<u32>> = canon
        .members
        .iter()
        .map(|&m| match directory.member_unit(m) {
            Some(u) => Some(*unit_index.entry(u).or_insert_with(|| {
                unit_ids.push(u);
                (unit_ids.len() - 1) as u32
            })),
            None => {
                unplaced.push(m);
                None
            }
        })
        .collect();
    unplaced.sort_unstable();

    // Dense week index per check, and checks grouped by week. A week is
    // found from the local date's day number (Julian day 0 was a Monday), so the
    // calendar is consulted once per distinct week, not once per check.
    let monday_based = |c: &&SpotCheck| c.at.date().to_julian_day().div_euclid(7);
    let check_days: Vec<i32> = canon.checks.iter().map(monday_based).collect();
    let mut week_keys = check_days.clone();
    week_keys.sort_unstable();
    week_keys.dedup();
    let weeks: Vec<IsoWeek> = week_keys
        .iter()
        .map(|&k| {
            let c = canon.checks[check_days.iter().position(|&d| d == k).expect("present")];
            IsoWeek::of_instant(c.at)
        })
        .collect();
    let check_week: Vec<u32> = check_days
        .iter()
        .map(|k| week_keys.binary_search(k).expect("present") as u32)
        .collect();
    let mut by_week: Vec<u32> = (0..canon.checks.len() as u32).collect();
    by_week.sort_by_key(|&c| check_week[c as usize]);

    let n_units = unit_ids.len();
    let mut cells: Vec<UnitTally> = Vec::with_capacity(weeks.len() * n_units);
    for _ in 0..weeks.len() {
        cells.extend(unit_ids.iter().map(|&u| UnitTally::new(u)));
    }
    let mut campaign: Vec<UnitTally> = unit_ids.iter().map(|&u| UnitTally::new(u)).collect();
    let mut stamp = vec![u32::MAX; canon.members.len()];
    let mut seen_ever = vec![false; canon.members.len()];
    for &c in &by_week {
        let w = check_week[c as usize];
        let row = &mut cells[w as usize * n_units..(w as usize + 1) * n_units];
        for fact in canon.of_check(c as usize) {
            let m = fact.member() as usize;
            let Some(u) = member_unit[m] else { continue };
            let cell = &mut row[u as usize];
            let seen = fact.seen();
            match seen {
                Seen::Wearing => cell.wearing += 1,
                Seen::Miss => cell.misses += 1,
                Seen::Excused => cell.excused += 1,
                Seen::Absent => cell.absent += 1,
            }
            if seen.is_seen() {
                if stamp[m] != w {
                    stamp[m] = w;
                    cell.members_checked += 1;
                }
                if !seen_ever[m] {
                    seen_ever[m] = true;
                    campaign[u as usize].members_checked += 1;
                }
            }
        }
    }
    for hit in hits {
        if let Some(u) = member_unit[hit.member as usize] {
            let w = check_week[hit.check as usize];
            cells[w as usize * n_units + u as usize].steps.add(hit.step);
        }
    }

    let mut weekly = BTreeMap::new();
    for (w, week) in weeks.iter().enumerate() {
        let row = &cells[w * n_units..(w + 1) * n_units];
        let units: BTreeMap<UnitId, UnitTally> = row
            .iter()
            .filter(|t| t.observations() + t.excused + t.absent > 0)
            .map(|t| (t.unit, t.clone()))
            .collect();
        for t in row {
            campaign[unit_index[&t.unit] as usize].add_counts(t);
        }
        if !units.is_empty() {
            weekly.insert(*week, units);
        }
    }
    let campaign = campaign
        .into_iter()
        .filter(|t| t.observations() + t.excused + t.absent > 0)
        .map(|t| (t.unit, t))
        .collect();
    Tally {
        weekly,
        campaign,
        unplaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spotcheck::fixtures::*;
    use crate::spotcheck::Outcome;

    #[test]
    fn rate_is_exact_and_ordered_by_value() {
        let half = Rate::new(1, 2).unwrap();
        assert_eq!(half, Rate::new(2, 4).unwrap());
        assert!(Rate::new(2, 3).unwrap() > half);
        assert_eq!(Rate::new(2, 3).unwrap().basis_points(), 6667);
        assert_eq!(Rate::new(2, 3).unwrap().percent_string(), "66.7%");
        assert_eq!(Rate::new(1, 0), None);
        assert_eq!(Rate::new(3, 2), None);
    }

    #[test]
    fn weekly_and_campaign_tally() {
        let city = TinyCity::new();
        let dir = city.directory();
        let u0 = city.units[0];
        let [a, b, c, d] = [
            city.members[0],
            city.members[1],
            city.members[2],
            city.members[3],
        ];
        // Week 10 (7–13 March): two checks at u0. Week 11: one check.
        let c1 = city.check(1, u0, day(7), None);
        let c2 = city.check(2, u0, day(9), None);
        let c3 = city.check(3, u0, day(14), None);
        let excused = Outcome::Excused {
            reason: "出差".into(),
        };
        let obs = vec![
            observation(1, &c1, a, Outcome::Wearing),
            observation(2, &c1, b, Outcome::NotWearing),
            observation(3, &c1, c, excused),
            observation(4, &c1, d, Outcome::Absent),
            observation(5, &c2, a, Outcome::Wearing),
            observation(6, &c2, b, Outcome::NotWearing),
            observation(7, &c2, b, Outcome::NotWearing), // duplicate in c2: counts once
            observation(8, &c3, b, Outcome::NotWearing),
            observation(9, &c3, a, Outcome::NotWearing),
            // A member of another unit seen at u0 counts for their own unit.
            observation(10, &c3, city.members[4], Outcome::Wearing),
        ];
        let tally = Tally::compute(&dir, &[c3.clone(), c1, c2], &obs);
        let w10 = IsoWeek::of(day(7));
        let w11 = IsoWeek::of(day(14));
        let t10 = tally.unit_week(u0, w10).unwrap();
        assert_eq!(
            (
                t10.members_checked,
                t10.wearing,
                t10.misses,
                t10.excused,
                t10.absent
            ),
            (2, 2, 2, 1, 1)
        );
        assert_eq!(
            t10.steps,
            StepCounts {
                point_out: 1,
                criticise: 1,
                warn: 0
            }
        );
        assert_eq!(t10.wearing_rate().unwrap().basis_points(), 5000);
        let t11 = tally.unit_week(u0, w11).unwrap();
        assert_eq!((t11.members_checked, t11.wearing, t11.misses), (2, 0, 2));
        assert_eq!(
            t11.steps,
            StepCounts {
                point_out: 1,
                criticise: 0,
                warn: 1
            }
        );
        let camp = &tally.campaign[&u0];
        assert_eq!((camp.members_checked, camp.wearing, camp.misses), (2, 2, 4));
        assert_eq!(
            camp.steps,
            StepCounts {
                point_out: 2,
                criticise: 1,
                warn: 1
            }
        );
        let other = tally.unit_week(city.units[1], w11).unwrap();
        assert_eq!((other.members_checked, other.wearing), (1, 1));
        assert!(tally.unplaced.is_empty());
    }

    #[test]
    fn unit_series_fills_gaps_and_keeps_the_latest_weeks() {
        let city = TinyCity::new();
        let dir = city.directory();
        let u0 = city.units[0];
        let c1 = city.check(1, u0, day(1), None); // week 9
        let c2 = city.check(2, city.units[1], day(8), None); // week 10, other unit
        let c3 = city.check(3, u0, day(15), None); // week 11
        let obs = vec![
            observation(1, &c1, city.members[0], Outcome::Wearing),
            observation(2, &c2, city.members[4], Outcome::Wearing),
            observation(3, &c3, city.members[0], Outcome::NotWearing),
        ];
        let tally = Tally::compute(&dir, &[c1, c2, c3], &obs);
        let w = |d: u8| IsoWeek::of(day(d));
        let rates = |s: Vec<(IsoWeek, Option<&UnitTally>)>| -> Vec<(IsoWeek, Option<u32>)> {
            s.into_iter()
                .map(|(wk, t)| {
                    (
                        wk,
                        t.and_then(|t| t.wearing_rate()).map(|r| r.basis_points()),
                    )
                })
                .collect()
        };
        let cases = [
            (
                w(22),
                10,
                vec![
                    (w(1), Some(10_000)),
                    (w(8), None),
                    (w(15), Some(0)),
                    (w(22), None),
                ],
            ),
            (w(15), 2, vec![(w(8), None), (w(15), Some(0))]),
            (w(1), 10, vec![(w(1), Some(10_000))]),
        ];
        for (until, max, want) in cases {
            assert_eq!(
                rates(tally.unit_series(u0, until, max)),
                want,
                "{until} {max}"
            );
        }
        assert!(Tally::default().unit_series(u0, w(1), 10).is_empty());
    }

    #[test]
    fn unknown_members_are_listed_not_counted() {
        let city = TinyCity::new();
        let dir = city.directory();
        let c1 = city.check(1, city.units[0], day(7), None);
        let ghost = MemberId::from_u128(999_999);
        let obs = vec![observation(1, &c1, ghost, Outcome::NotWearing)];
        let tally = Tally::compute(&dir, &[c1], &obs);
        assert_eq!(tally.unplaced, vec![ghost]);
        assert!(tally.campaign.is_empty());
    }

    #[test]
    fn only_excused_units_have_no_rate() {
        let city = TinyCity::new();
        let dir = city.directory();
        let c1 = city.check(1, city.units[0], day(7), None);
        let obs = vec![observation(1, &c1, city.members[0], Outcome::Absent)];
        let tally = Tally::compute(&dir, &[c1], &obs);
        let t = &tally.campaign[&city.units[0]];
        assert_eq!(t.members_checked, 0);
        assert_eq!(t.wearing_rate(), None);
    }
}
