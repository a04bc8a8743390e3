//! The supervision quota: each group visits each of its units at least
//! twice a week (每周至少到相关单位督导2次).
//!
//! Why: the office needs to see which groups fall short before the weekly
//! ranking, since a unit nobody visited cannot be ranked fairly.
//!
//! A visit is a distinct spot check (by id) made by the group (`group`
//! field of the check) at the unit (`Place::Unit`), in the ISO week of the
//! check's local date. Public-place checks and checks at units outside the
//! group's list do not count towards it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::IsoWeek;
use crate::hash::FastSet;
use crate::ids::{CheckId, GroupId, InspectorId, UnitId};
use crate::order;
use crate::org::InspectionGroup;

use super::SpotCheck;

/// Visits each group owes each of its units per ISO week.
pub const VISITS_PER_WEEK: u32 = 2;

/// A (group, unit) pair's visits in a week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaLine {
    pub group: GroupId,
    pub unit: UnitId,
    pub done: u32,
    pub required: u32,
}

impl QuotaLine {
    pub fn is_short(&self) -> bool {
        self.done < self.required
    }
}

/// Every (group, unit) pair with its visits that week, by group then unit id.
pub fn quota_lines(
    groups: &[InspectionGroup],
    checks: &[SpotCheck],
    week: IsoWeek,
) -> Vec<QuotaLine> {
    let mut seen: FastSet<CheckId> = FastSet::default();
    let mut done: BTreeMap<(GroupId, UnitId), u32> = BTreeMap::new();
    for check in checks {
        let (Some(group), Some(unit)) = (check.group, check.place.unit()) else {
            continue;
        };
        if IsoWeek::of_instant(check.at) != week || !seen.insert(check.id) {
            continue;
        }
        *done.entry((group, unit)).or_default() += 1;
    }
    let mut lines: Vec<QuotaLine> = groups
        .iter()
        .flat_map(|g| {
            let done = &done;
            g.units.iter().map(move |&unit| QuotaLine {
                group: g.id,
                unit,
                done: done.get(&(g.id, unit)).copied().unwrap_or(0),
                required: VISITS_PER_WEEK,
            })
        })
        .collect();
    // Equal keys are equal lines (same pair, same count): any order will do.
    order::sort_by_key(&mut lines, |l| (l.group, l.unit));
    lines.dedup_by_key(|l| (l.group, l.unit));
    lines
}

/// The pairs below the quota that week.
pub fn shortfalls(
    groups: &[InspectionGroup],
    checks: &[SpotCheck],
    week: IsoWeek,
) -> Vec<QuotaLine> {
    quota_lines(groups, checks, week)
        .into_iter()
        .filter(QuotaLine::is_short)
        .collect()
}

/// Distinct checks per inspector that week (for the supervision diary).
pub fn inspector_visits(checks: &[SpotCheck], week: IsoWeek) -> BTreeMap<InspectorId, u32> {
    let mut seen: FastSet<CheckId> = FastSet::default();
    let mut visits = BTreeMap::new();
    for check in checks {
        if IsoWeek::of_instant(check.at) == week && seen.insert(check.id) {
            *visits.entry(check.inspector).or_default() += 1;
        }
    }
    visits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spotcheck::fixtures::*;
    use crate::spotcheck::Place;

    #[test]
    fn shortfalls_table() {
        let city = TinyCity::new();
        let g1 = Some(city.groups[0].id);
        let g2 = Some(city.groups[1].id);
        let w = IsoWeek::of(day(7));
        let mut public = city.check(50, city.units[0], day(8), g1);
        public.place = Place::Public {
            description: "火车站".into(),
        };
        let checks = vec![
            city.check(1, city.units[0], day(7), g1),
            city.check(2, city.units[0], day(9), g1),
            city.check(2, city.units[0], day(9), g1), // same check synced twice
            city.check(3, city.units[1], day(10), g1),
            city.check(4, city.units[1], day(14), g1), // next week
            city.check(5, city.units[2], day(8), None), // office, not the group
            city.check(6, city.units[3], day(8), g1),  // not g1's unit
            public,
            city.check(7, city.units[3], day(11), g2),
            city.check(8, city.units[3], day(13), g2),
            city.check(9, city.units[4], day(13), g2),
            city.check(10, city.units[4], day(13), g2),
            city.check(11, city.units[4], day(13), g2),
        ];
        let short: Vec<(GroupId, UnitId, u32)> = shortfalls(&city.groups, &checks, w)
            .into_iter()
            .map(|l| (l.group, l.unit, l.done))
            .collect();
        assert_eq!(
            short,
            vec![
                (city.groups[0].id, city.units[1], 1),
                (city.groups[0].id, city.units[2], 0),
            ]
        );
        assert_eq!(quota_lines(&city.groups, &checks, w).len(), 5);
        let next = shortfalls(&city.groups, &checks, w.next());
        assert_eq!(next.len(), 5, "week 11: unit 1 got one visit, still short");
        let per_inspector = inspector_visits(&checks, w);
        assert_eq!(per_inspector[&InspectorId::from_u128(1)], 11);
    }
}
