//! The org directory: an index over the organisation records that answers
//! "where does this member / unit / branch / group sit".
//!
//! Why: records hold only their own links (a member its branch, a branch
//! its unit, a unit its system). Rules need the whole path many times, so
//! the shells build a `Directory` once from the current org records and
//! pass it in. Records may arrive out of order during sync: a dangling
//! link is not an error here, the location simply stays `None` from that
//! point up. If the same id appears twice, the last record wins.

use std::collections::BTreeMap;

use crate::hash::{map_with_capacity, FastMap};
use crate::ids::{BranchId, GroupId, MemberId, SystemId, UnitId, VillageId};
use crate::order;
use crate::org::{Branch, InspectionGroup, Inspector, Member, Unit, Village};
use crate::scope::{Located, Location, Scope};

/// Placement lookups over the org records.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    unit_system: FastMap<UnitId, SystemId>,
    branch_unit: FastMap<BranchId, UnitId>,
    /// Each member's full placement, resolved once (the hot lookup).
    member_place: FastMap<MemberId, Location>,
    group_system: FastMap<GroupId, SystemId>,
    units_by_system: BTreeMap<SystemId, Vec<UnitId>>,
}

impl Directory {
    /// Indexes the org records.
    pub fn new(
        units: &[Unit],
        branches: &[Branch],
        members: &[Member],
        groups: &[InspectionGroup],
    ) -> Self {
        let mut unit_system = map_with_capacity(units.len());
        for u in units {
            unit_system.insert(u.id, u.system);
        }
        let mut units_by_system: BTreeMap<SystemId, Vec<UnitId>> = BTreeMap::new();
        for (&unit, &system) in &unit_system {
            units_by_system.entry(system).or_default().push(unit);
        }
        for list in units_by_system.values_mut() {
            order::sort(list);
        }
        let mut branch_unit = map_with_capacity(branches.len());
        for b in branches {
            branch_unit.insert(b.id, b.unit);
        }
        let mut group_system = map_with_capacity(groups.len());
        for g in groups {
            group_system.insert(g.id, g.system);
        }
        let mut directory = Self {
            unit_system,
            branch_unit,
            member_place: map_with_capacity(members.len()),
            group_system,
            units_by_system,
        };
        for m in members {
            let place = directory.branch_location(m.branch);
            directory.member_place.insert(m.id, place);
        }
        directory
    }

    /// The system of a unit.
    pub fn unit_system(&self, unit: UnitId) -> Option<SystemId> {
        self.unit_system.get(&unit).copied()
    }

    /// The unit of a branch.
    pub fn branch_unit(&self, branch: BranchId) -> Option<UnitId> {
        self.branch_unit.get(&branch).copied()
    }

    /// The branch of a member.
    pub fn member_branch(&self, member: MemberId) -> Option<BranchId> {
        self.member_place.get(&member).and_then(|l| l.branch)
    }

    /// The unit of a member (through their branch).
    pub fn member_unit(&self, member: MemberId) -> Option<UnitId> {
        self.member_place.get(&member).and_then(|l| l.unit)
    }

    /// Systems that have at least one unit, ascending.
    pub fn systems(&self) -> impl Iterator<Item = SystemId> + '_ {
        self.units_by_system.keys().copied()
    }

    /// The units of a system, ascending by id.
    pub fn units_of(&self, system: SystemId) -> &[UnitId] {
        self.units_by_system
            .get(&system)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// All known units, ascending by id.
    pub fn units(&self) -> Vec<UnitId> {
        let mut all: Vec<UnitId> = self.unit_system.keys().copied().collect();
        order::sort(&mut all);
        all
    }

    pub fn unit_location(&self, unit: UnitId) -> Location {
        Location {
            system: self.unit_system(unit),
            unit: Some(unit),
            ..Location::default()
        }
    }

    pub fn branch_location(&self, branch: BranchId) -> Location {
        match self.branch_unit(branch) {
            Some(unit) => Location {
                branch: Some(branch),
                ..self.unit_location(unit)
            },
            None => Location {
                branch: Some(branch),
                ..Location::default()
            },
        }
    }

    pub fn member_location(&self, member: MemberId) -> Location {
        self.member_place.get(&member).copied().unwrap_or_default()
    }

    pub fn group_location(&self, group: GroupId) -> Location {
        Location {
            system: self.group_system.get(&group).copied(),
            ..Location::default()
        }
    }

    /// A fact done by `member` in `village` (a visit, a support item, a
    /// dispute): the member's placement plus the village.
    pub fn locate(&self, member: Option<MemberId>, village: Option<VillageId>) -> Location {
        let mut location = member.map(|m| self.member_location(m)).unwrap_or_default();
        location.village = village;
        location
    }

    /// The location that stands for a whole scope (its top corner).
    pub fn scope_location(&self, scope: &Scope) -> Location {
        match *scope {
            Scope::City => Location::default(),
            Scope::System(system) => Location {
                system: Some(system),
                ..Location::default()
            },
            Scope::Unit(unit) => self.unit_location(unit),
            Scope::Branch(branch) => self.branch_location(branch),
            Scope::Village(village) => Location {
                village: Some(village),
                ..Location::default()
            },
        }
    }
}

impl Located for Unit {
    fn location(&self, _: &Directory) -> Location {
        Location {
            system: Some(self.system),
            unit: Some(self.id),
            ..Location::default()
        }
    }
}

impl Located for Branch {
    fn location(&self, directory: &Directory) -> Location {
        Location {
            branch: Some(self.id),
            ..directory.unit_location(self.unit)
        }
    }
}

impl Located for Member {
    fn location(&self, directory: &Directory) -> Location {
        directory.branch_location(self.branch)
    }
}

impl Located for Village {
    fn location(&self, _: &Directory) -> Location {
        Location {
            village: Some(self.id),
            ..Location::default()
        }
    }
}

impl Located for InspectionGroup {
    fn location(&self, _: &Directory) -> Location {
        Location {
            system: Some(self.system),
            ..Location::default()
        }
    }
}

impl Located for Inspector {
    fn location(&self, directory: &Directory) -> Location {
        self.group
            .map(|g| directory.group_location(g))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::{MemberStatus, PostType};

    #[test]
    fn placements_follow_links_and_tolerate_gaps() {
        let (s, u, b, m) = (
            SystemId::from_u128(1),
            UnitId::from_u128(2),
            BranchId::from_u128(3),
            MemberId::from_u128(4),
        );
        let units = [Unit::new(u, s, "教育局").unwrap()];
        let branches = [Branch::new(b, u, "机关支部").unwrap()];
        let members =
            [Member::new(m, "党员甲", b, PostType::Management, MemberStatus::InPost).unwrap()];
        let dir = Directory::new(&units, &branches, &members, &[]);
        assert_eq!(
            dir.member_location(m),
            Location {
                system: Some(s),
                unit: Some(u),
                branch: Some(b),
                village: None
            }
        );
        assert_eq!(dir.member_unit(m), Some(u));
        assert_eq!(dir.units_of(s), &[u]);
        // A member whose branch has not synced yet: only the branch is known.
        let orphan = Member::new(
            MemberId::from_u128(5),
            "党员乙",
            BranchId::from_u128(99),
            PostType::Other,
            MemberStatus::InPost,
        )
        .unwrap();
        let dir = Directory::new(&units, &branches, std::slice::from_ref(&orphan), &[]);
        let loc = orphan.location(&dir);
        assert_eq!(loc.branch, Some(BranchId::from_u128(99)));
        assert_eq!(loc.unit, None);
        assert_eq!(dir.member_location(m), Location::default());
        let v = VillageId::from_u128(6);
        assert_eq!(dir.locate(None, Some(v)).village, Some(v));
        assert!(Scope::System(s).contains(&Scope::Unit(u), &dir));
        assert!(Scope::System(s).contains(&Scope::Branch(b), &dir));
        assert!(Scope::City.contains(&Scope::Village(v), &dir));
        assert!(!Scope::Unit(u).contains(&Scope::System(s), &dir));
        assert!(!Scope::System(s).contains(&Scope::Village(v), &dir));
    }
}
