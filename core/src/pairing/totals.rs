//! Pairing totals for any scope, in the shape of the city's report.
//!
//! Why: 004 reports 慰问困难群众2万余户，送去慰问金、物资折币49.6万元 …
//! 落实致富项目48个，落实产业结构调整面积2.1万亩 … 解决疑难问题234起.
//! The app and the server produce the same figures from the records, for
//! a village, a unit, a system or the city.
//!
//! Attribution: every fact sits at its household's village plus the
//! placement of the member who did it (the paired member for a pairing),
//! and counts for a scope when the scope covers that location
//! ([`crate::scope::Scope::covers`]). Households are counted distinct
//! within one `Totals`; so `Totals` add up exactly over disjoint scopes
//! when each household is attributed to one of them (always for villages;
//! for units and systems when a household's helpers are all from one).
//! Money is funds; goods are goods valued in fen; `projects` counts
//! project items; `mu` sums production areas. With a date range, dated
//! facts count when their date is inside it and pairings when they overlap it.

use core::ops::{Add, AddAssign};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::DateRange;
use crate::directory::Directory;
use crate::error::Lang;
use crate::hash::{map_with_capacity, FastMap, FastSet};
use crate::ids::{HouseholdId, SystemId, UnitId, VillageId};
use crate::money::{Fen, Mu};
use crate::scope::{Location, Scope};

use super::{Dispute, Household, Pairing, SupportItem, SupportKind, Visit};

/// The pairing records to total over.
#[derive(Clone, Copy, Debug, Default)]
pub struct PairingFacts<'a> {
    pub households: &'a [Household],
    pub pairings: &'a [Pairing],
    pub visits: &'a [Visit],
    pub support: &'a [SupportItem],
    pub disputes: &'a [Dispute],
}

/// The city's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Distinct households with a pairing.
    pub households_paired: u32,
    /// Distinct households visited.
    pub households_visited: u32,
    /// 慰问金 / 资金.
    pub money_fen: Fen,
    /// 物资折币.
    pub goods_fen: Fen,
    /// 致富项目.
    pub projects: u32,
    /// 产业结构调整面积.
    pub mu: Mu,
    /// 化解矛盾、解决疑难问题.
    pub disputes_resolved: u32,
}

impl Add for Totals {
    type Output = Totals;
    /// Field-wise; household counts add correctly only over disjoint scopes.
    fn add(self, rhs: Totals) -> Totals {
        Totals {
            households_paired: self.households_paired + rhs.households_paired,
            households_visited: self.households_visited + rhs.households_visited,
            money_fen: self.money_fen + rhs.money_fen,
            goods_fen: self.goods_fen + rhs.goods_fen,
            projects: self.projects + rhs.projects,
            mu: self.mu + rhs.mu,
            disputes_resolved: self.disputes_resolved + rhs.disputes_resolved,
        }
    }
}

impl AddAssign for Totals {
    fn add_assign(&mut self, rhs: Totals) {
        *self = *self + rhs;
    }
}

impl core::iter::Sum for Totals {
    fn sum<I: Iterator<Item = Totals>>(iter: I) -> Totals {
        iter.fold(Totals::default(), Add::add)
    }
}

impl Totals {
    /// Money and goods together (慰问金、物资折币).
    pub fn money_and_goods(&self) -> Fen {
        self.money_fen + self.goods_fen
    }

    /// The city's paragraph, for any scope.
    pub fn summary(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!(
                "结对帮扶困难户{}户，走访慰问困难户{}户，送去慰问金、物资折币{}；\
                 落实致富项目{}个，落实产业结构调整面积{}；帮助化解矛盾、解决疑难问题{}起。",
                self.households_paired,
                self.households_visited,
                self.money_and_goods().display(Lang::ZhCn),
                self.projects,
                self.mu.display(Lang::ZhCn),
                self.disputes_resolved
            ),
            Lang::En => format!(
                "Paired with {} households in difficulty and visited {}; delivered {} in money \
                 and goods; arranged {} income projects; restructured {} of crops; resolved {} \
                 disputes and hard problems.",
                self.households_paired,
                self.households_visited,
                self.money_and_goods().display(Lang::En),
                self.projects,
                self.mu.display(Lang::En),
                self.disputes_resolved
            ),
        }
    }
}

/// Totals for the city and for every system, unit and village at once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub city: Totals,
    pub by_system: BTreeMap<SystemId, Totals>,
    pub by_unit: BTreeMap<UnitId, Totals>,
    pub by_village: BTreeMap<VillageId, Totals>,
}

/// One fact's contribution.
enum Part<'a> {
    Paired(HouseholdId),
    Visited(HouseholdId),
    Support(&'a SupportKind),
    Dispute,
}

/// Walks every fact in `within` with its location.
fn walk<'a>(
    directory: &Directory,
    facts: &PairingFacts<'a>,
    within: Option<&DateRange>,
    mut f: impl FnMut(&Location, Part<'a>),
) {
    let mut village_of: FastMap<HouseholdId, VillageId> = map_with_capacity(facts.households.len());
    for h in facts.households {
        village_of.insert(h.id, h.village);
    }
    let in_range = |d| within.is_none_or(|r| r.contains(d));
    let at = |member, household: &HouseholdId| {
        directory.locate(Some(member), village_of.get(household).copied())
    };
    for p in facts.pairings {
        if within.is_none_or(|r| p.overlaps(r)) {
            f(&at(p.member, &p.household), Part::Paired(p.household));
        }
    }
    for v in facts.visits.iter().filter(|v| in_range(v.on)) {
        f(&at(v.member, &v.household), Part::Visited(v.household));
    }
    for s in facts.support.iter().filter(|s| in_range(s.on)) {
        f(&at(s.member, &s.household), Part::Support(&s.support));
    }
    for d in facts.disputes.iter().filter(|d| in_range(d.resolved_on)) {
        f(
            &directory.locate(Some(d.member), Some(d.village)),
            Part::Dispute,
        );
    }
}

/// A running total with its distinct-household sets.
#[derive(Default)]
struct Acc {
    totals: Totals,
    paired: FastSet<HouseholdId>,
    visited: FastSet<HouseholdId>,
}

impl Acc {
    fn add(&mut self, part: &Part<'_>) {
        let t = &mut self.totals;
        match *part {
            Part::Paired(h) => {
                if self.paired.insert(h) {
                    t.households_paired += 1;
                }
            }
            Part::Visited(h) => {
                if self.visited.insert(h) {
                    t.households_visited += 1;
                }
            }
            Part::Support(kind) => match *kind {
                SupportKind::Funds { amount } => t.money_fen = t.money_fen + amount,
                SupportKind::Goods { value } => t.goods_fen = t.goods_fen + value,
                SupportKind::Production { area } => t.mu = t.mu + area.unwrap_or(Mu::ZERO),
                SupportKind::Project => t.projects += 1,
                SupportKind::Information => {}
            },
            Part::Dispute => t.disputes_resolved += 1,
        }
    }
}

/// Totals for one scope, optionally within a date range.
pub fn totals(
    scope: &Scope,
    directory: &Directory,
    facts: &PairingFacts<'_>,
    within: Option<&DateRange>,
) -> Totals {
    let mut acc = Acc::default();
    walk(directory, facts, within, |location, part| {
        if scope.covers(location) {
            acc.add(&part);
        }
    });
    acc.totals
}

fn finish<K: Ord>(accs: BTreeMap<K, Acc>) -> BTreeMap<K, Totals> {
    accs.into_iter().map(|(k, a)| (k, a.totals)).collect()
}

/// Totals for the city, every system, unit and village, in one pass.
pub fn breakdown(
    directory: &Directory,
    facts: &PairingFacts<'_>,
    within: Option<&DateRange>,
) -> Breakdown {
    let mut city = Acc::default();
    let mut systems: BTreeMap<SystemId, Acc> = BTreeMap::new();
    let mut units: BTreeMap<UnitId, Acc> = BTreeMap::new();
    let mut villages: BTreeMap<VillageId, Acc> = BTreeMap::new();
    walk(directory, facts, within, |location, part| {
        city.add(&part);
        if let Some(s) = location.system {
            systems.entry(s).or_default().add(&part);
        }
        if let Some(u) = location.unit {
            units.entry(u).or_default().add(&part);
        }
        if let Some(v) = location.village {
            villages.entry(v).or_default().add(&part);
        }
    });
    Breakdown {
        city: city.totals,
        by_system: finish(systems),
        by_unit: finish(units),
        by_village: finish(villages),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;
    use crate::org::{Branch, Member, MemberStatus, PostType, Unit};
    use crate::pairing::{HouseholdAttribute, PovertyCause};
    use time::macros::date;

    struct World {
        dir: Directory,
        members: Vec<MemberId>,
        villages: Vec<VillageId>,
        systems: Vec<SystemId>,
    }

    /// Two systems, one unit and branch each, one member each; two villages.
    fn world() -> World {
        let systems = vec![SystemId::from_u128(1), SystemId::from_u128(2)];
        let units: Vec<Unit> = systems
            .iter()
            .enumerate()
            .map(|(i, &s)| Unit::new(UnitId::from_u128(10 + i as u128), s, "单位").unwrap())
            .collect();
        let branches: Vec<Branch> = units
            .iter()
            .enumerate()
            .map(|(i, u)| Branch::new(BranchId::from_u128(20 + i as u128), u.id, "支部").unwrap())
            .collect();
        let members: Vec<Member> = branches
            .iter()
            .enumerate()
            .map(|(i, b)| {
                Member::new(
                    MemberId::from_u128(30 + i as u128),
                    "党员",
                    b.id,
                    PostType::Other,
                    MemberStatus::InPost,
                )
                .unwrap()
            })
            .collect();
        World {
            dir: Directory::new(&units, &branches, &members, &[]),
            members: members.iter().map(|m| m.id).collect(),
            villages: vec![VillageId::from_u128(40), VillageId::from_u128(41)],
            systems,
        }
    }

    fn household(id: u128, village: VillageId) -> Household {
        Household::new(
            HouseholdId::from_u128(id),
            "户主",
            village,
            4,
            HouseholdAttribute::Dibao,
            vec![PovertyCause::Illness],
            None,
        )
        .unwrap()
    }

    /// The city's own figures, rebuilt from records: 20,000 households
    /// visited, 49.6万元 of money and goods, 48 projects, 2.1万亩, 234 disputes.
    #[test]
    fn seed_figures_reproduce_the_citys_paragraph() {
        let w = world();
        let households: Vec<Household> = (0..20_000)
            .map(|i| household(1_000 + i, w.villages[(i % 2) as usize]))
            .collect();
        let member_for = |i: usize| w.members[i % 2];
        let pairings: Vec<Pairing> = households
            .iter()
            .enumerate()
            .map(|(i, h)| {
                Pairing::new(
                    PairingId::from_u128(i as u128 + 1),
                    member_for(i),
                    h.id,
                    date!(2005 - 01 - 20),
                    None,
                )
                .unwrap()
            })
            .collect();
        let visits: Vec<Visit> = households
            .iter()
            .enumerate()
            .map(|(i, h)| {
                Visit::new(
                    VisitId::from_u128(i as u128 + 1),
                    h.id,
                    member_for(i),
                    date!(2005 - 02 - 05),
                    "",
                )
                .unwrap()
            })
            .collect();
        let mut support = Vec::new();
        let mut push = |i: usize, kind: SupportKind| {
            support.push(
                SupportItem::new(
                    SupportId::from_u128(support.len() as u128 + 1),
                    households[i].id,
                    member_for(i),
                    date!(2005 - 02 - 10),
                    kind,
                    "帮扶",
                )
                .unwrap(),
            );
        };
        // 400 households × 800 yuan funds = 320,000; 400 × 440 yuan goods = 176,000.
        for i in 0..400 {
            push(
                i,
                SupportKind::Funds {
                    amount: Fen::from_yuan(800).unwrap(),
                },
            );
            push(
                i,
                SupportKind::Goods {
                    value: Fen::from_yuan(440).unwrap(),
                },
            );
        }
        for i in 0..48 {
            push(i, SupportKind::Project);
        }
        // 300 × 70 mu = 21,000 mu.
        for i in 0..300 {
            push(
                i,
                SupportKind::Production {
                    area: Some(Mu::from_mu(70).unwrap()),
                },
            );
            push(i, SupportKind::Information);
        }
        let disputes: Vec<Dispute> = (0..234)
            .map(|i| {
                Dispute::new(
                    DisputeId::from_u128(i + 1),
                    w.villages[(i % 2) as usize],
                    None,
                    w.members[(i % 2) as usize],
                    date!(2005 - 02 - 15),
                    "宅基地纠纷",
                )
                .unwrap()
            })
            .collect();
        let facts = PairingFacts {
            households: &households,
            pairings: &pairings,
            visits: &visits,
            support: &support,
            disputes: &disputes,
        };
        let city = totals(&Scope::City, &w.dir, &facts, None);
        assert_eq!(
            city,
            Totals {
                households_paired: 20_000,
                households_visited: 20_000,
                money_fen: Fen::from_yuan(320_000).unwrap(),
                goods_fen: Fen::from_yuan(176_000).unwrap(),
                projects: 48,
                mu: Mu::from_mu(21_000).unwrap(),
                disputes_resolved: 234,
            }
        );
        let text = city.summary(Lang::ZhCn);
        assert_eq!(
            text,
            "结对帮扶困难户20000户，走访慰问困难户20000户，送去慰问金、物资折币49.6万元；\
             落实致富项目48个，落实产业结构调整面积2.1万亩；帮助化解矛盾、解决疑难问题234起。"
        );
        assert!(city.summary(Lang::En).contains("496,000 yuan"));

        // Villages and systems partition the city here.
        let b = breakdown(&w.dir, &facts, None);
        assert_eq!(b.city, city);
        assert_eq!(b.by_village.values().copied().sum::<Totals>(), city);
        assert_eq!(b.by_system.values().copied().sum::<Totals>(), city);
        for (v, t) in &b.by_village {
            assert_eq!(*t, totals(&Scope::Village(*v), &w.dir, &facts, None));
        }
        assert_eq!(b.by_system[&w.systems[0]].households_paired, 10_000);
    }

    #[test]
    fn scope_and_date_range_filter() {
        let w = world();
        let households = vec![household(1, w.villages[0]), household(2, w.villages[1])];
        let pairings = vec![
            Pairing::new(
                PairingId::from_u128(1),
                w.members[0],
                households[0].id,
                date!(2005 - 01 - 20),
                Some(date!(2005 - 01 - 31)),
            )
            .unwrap(),
            Pairing::new(
                PairingId::from_u128(2),
                w.members[1],
                households[1].id,
                date!(2005 - 02 - 20),
                None,
            )
            .unwrap(),
        ];
        let visits = vec![
            Visit::new(
                VisitId::from_u128(1),
                households[0].id,
                w.members[0],
                date!(2005 - 01 - 25),
                "",
            )
            .unwrap(),
            Visit::new(
                VisitId::from_u128(2),
                households[0].id,
                w.members[0],
                date!(2005 - 01 - 26),
                "",
            )
            .unwrap(),
            Visit::new(
                VisitId::from_u128(3),
                households[1].id,
                w.members[1],
                date!(2005 - 03 - 01),
                "",
            )
            .unwrap(),
        ];
        let facts = PairingFacts {
            households: &households,
            pairings: &pairings,
            visits: &visits,
            ..PairingFacts::default()
        };
        let city = totals(&Scope::City, &w.dir, &facts, None);
        assert_eq!(
            (city.households_paired, city.households_visited),
            (2, 2),
            "two visits, one household"
        );
        let sys0 = totals(&Scope::System(w.systems[0]), &w.dir, &facts, None);
        assert_eq!((sys0.households_paired, sys0.households_visited), (1, 1));
        let feb = DateRange::new(date!(2005 - 02 - 01), date!(2005 - 02 - 28)).unwrap();
        let in_feb = totals(&Scope::City, &w.dir, &facts, Some(&feb));
        assert_eq!(
            (in_feb.households_paired, in_feb.households_visited),
            (1, 0)
        );
        let nowhere = totals(
            &Scope::Village(VillageId::from_u128(999)),
            &w.dir,
            &facts,
            None,
        );
        assert_eq!(nowhere, Totals::default());
    }
}
