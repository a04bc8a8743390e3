//! A household's timeline: pairings, visits, support and disputes resolved,
//! newest first, and what the household has received in all.
//!
//! Why: the card is read as a story of the help given (走访、资金物资、
//! 生产扶持、化解矛盾); the order and the per-household figures come from
//! here so every phone shows the same.

use time::Date;
use uuid::Uuid;

use crate::directory::Directory;
use crate::ids::{HouseholdId, MemberId};
use crate::order;
use crate::scope::Scope;

use super::totals::{totals, PairingFacts, Totals};
use super::{Dispute, Pairing, SupportItem, Visit};

/// One line of a household's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry<'a> {
    Paired(&'a Pairing),
    Visit(&'a Visit),
    Support(&'a SupportItem),
    Dispute(&'a Dispute),
}

impl Entry<'_> {
    pub fn date(&self) -> Date {
        match self {
            Entry::Paired(p) => p.since,
            Entry::Visit(v) => v.on,
            Entry::Support(s) => s.on,
            Entry::Dispute(d) => d.resolved_on,
        }
    }

    /// The record's id (ids are UUIDv7: later records sort later).
    pub fn id(&self) -> Uuid {
        match self {
            Entry::Paired(p) => *p.id.as_uuid(),
            Entry::Visit(v) => *v.id.as_uuid(),
            Entry::Support(s) => *s.id.as_uuid(),
            Entry::Dispute(d) => *d.id.as_uuid(),
        }
    }

    /// The member who did it (the paired member for a pairing).
    pub fn member(&self) -> MemberId {
        match self {
            Entry::Paired(p) => p.member,
            Entry::Visit(v) => v.member,
            Entry::Support(s) => s.member,
            Entry::Dispute(d) => d.member,
        }
    }
}

/// Everything recorded for `household`, newest date first (then newest id).
pub fn timeline<'a>(household: HouseholdId, facts: &PairingFacts<'a>) -> Vec<Entry<'a>> {
    let mut out: Vec<Entry<'a>> = Vec::new();
    out.extend(
        facts
            .pairings
            .iter()
            .filter(|p| p.household == household)
            .map(Entry::Paired),
    );
    out.extend(
        facts
            .visits
            .iter()
            .filter(|v| v.household == household)
            .map(Entry::Visit),
    );
    out.extend(
        facts
            .support
            .iter()
            .filter(|s| s.household == household)
            .map(Entry::Support),
    );
    out.extend(
        facts
            .disputes
            .iter()
            .filter(|d| d.household == Some(household))
            .map(Entry::Dispute),
    );
    order::sort_by_key(&mut out, |e| std::cmp::Reverse((e.date(), e.id())));
    out
}

/// What one household has received in all (its card's figures).
pub fn household_totals(household: HouseholdId, facts: &PairingFacts<'_>) -> Totals {
    let own = |h: &HouseholdId| *h == household;
    let households: Vec<_> = facts
        .households
        .iter()
        .filter(|h| own(&h.id))
        .cloned()
        .collect();
    let pairings: Vec<_> = facts
        .pairings
        .iter()
        .filter(|p| own(&p.household))
        .cloned()
        .collect();
    let visits: Vec<_> = facts
        .visits
        .iter()
        .filter(|v| own(&v.household))
        .cloned()
        .collect();
    let support: Vec<_> = facts
        .support
        .iter()
        .filter(|s| own(&s.household))
        .cloned()
        .collect();
    let disputes: Vec<_> = facts
        .disputes
        .iter()
        .filter(|d| d.household == Some(household))
        .cloned()
        .collect();
    let mine = PairingFacts {
        households: &households,
        pairings: &pairings,
        visits: &visits,
        support: &support,
        disputes: &disputes,
    };
    totals(&Scope::City, &Directory::default(), &mine, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;
    use crate::money::{Fen, Mu};
    use crate::pairing::{Household, HouseholdAttribute, PovertyCause, SupportKind};
    use time::macros::date;

    #[test]
    fn newest_first_and_only_this_household() {
        let h = HouseholdId::from_u128(1);
        let other = HouseholdId::from_u128(2);
        let v = VillageId::from_u128(3);
        let m = MemberId::from_u128(4);
        let households: Vec<Household> = [h, other]
            .iter()
            .map(|&id| {
                Household::new(
                    id,
                    "户主",
                    v,
                    3,
                    HouseholdAttribute::General,
                    vec![PovertyCause::Illness],
                    None,
                )
                .unwrap()
            })
            .collect();
        let pairings =
            vec![
                Pairing::new(PairingId::from_u128(10), m, h, date!(2005 - 02 - 01), None).unwrap(),
            ];
        let visits = vec![
            Visit::new(VisitId::from_u128(20), h, m, date!(2005 - 02 - 05), "").unwrap(),
            Visit::new(VisitId::from_u128(21), other, m, date!(2005 - 02 - 06), "").unwrap(),
            Visit::new(VisitId::from_u128(22), h, m, date!(2005 - 02 - 10), "").unwrap(),
        ];
        let item = |id: u128, on, support| {
            SupportItem::new(SupportId::from_u128(id), h, m, on, support, "帮扶").unwrap()
        };
        let support = vec![
            item(
                30,
                date!(2005 - 02 - 10),
                SupportKind::Funds {
                    amount: Fen::from_yuan(500).unwrap(),
                },
            ),
            item(
                31,
                date!(2005 - 02 - 07),
                SupportKind::Goods {
                    value: Fen::new(30_050).unwrap(),
                },
            ),
            item(
                32,
                date!(2005 - 02 - 08),
                SupportKind::Production {
                    area: Some(Mu::from_tenths(125).unwrap()),
                },
            ),
        ];
        let disputes = vec![
            Dispute::new(
                DisputeId::from_u128(40),
                v,
                Some(h),
                m,
                date!(2005 - 02 - 09),
                "宅基地",
            )
            .unwrap(),
            Dispute::new(
                DisputeId::from_u128(41),
                v,
                None,
                m,
                date!(2005 - 02 - 11),
                "水渠",
            )
            .unwrap(),
        ];
        let facts = PairingFacts {
            households: &households,
            pairings: &pairings,
            visits: &visits,
            support: &support,
            disputes: &disputes,
        };
        let ids: Vec<u128> = timeline(h, &facts)
            .iter()
            .map(|e| e.id().as_u128())
            .collect();
        // Same date (02-10): the newer id first.
        assert_eq!(ids, vec![30, 22, 40, 32, 31, 20, 10]);
        assert!(timeline(h, &facts).iter().all(|e| e.member() == m));
        let t = household_totals(h, &facts);
        assert_eq!(t.households_paired, 1);
        assert_eq!(t.households_visited, 1);
        assert_eq!(t.money_and_goods(), Fen::new(80_050).unwrap());
        assert_eq!(t.mu, Mu::from_tenths(125).unwrap());
        assert_eq!(t.disputes_resolved, 1);
        assert_eq!(household_totals(other, &facts).households_visited, 1);
        assert_eq!(household_totals(other, &facts).money_fen, Fen::ZERO);
    }
}
