//! A tiny city for the spot-check tests.

use time::{Date, Month, Time, UtcOffset};

use crate::directory::Directory;
use crate::ids::*;
use crate::org::{Branch, InspectionGroup, Member, MemberStatus, PostType, Unit};

use super::{CheckMode, Observation, Outcome, Place, SpotCheck};

/// Two systems: s[0] with units u[0..3], s[1] with units u[3..5].
/// One branch per unit, four members per unit (`members[4*u..4*u+4]`).
pub struct TinyCity {
    pub systems: Vec<SystemId>,
    pub units: Vec<UnitId>,
    pub unit_records: Vec<Unit>,
    pub branches: Vec<Branch>,
    pub members: Vec<MemberId>,
    pub member_records: Vec<Member>,
    pub groups: Vec<InspectionGroup>,
}

impl TinyCity {
    pub fn new() -> Self {
        let systems = vec![SystemId::from_u128(1), SystemId::from_u128(2)];
        let units: Vec<UnitId> = (0..5).map(|i| UnitId::from_u128(100 + i)).collect();
        let unit_records: Vec<Unit> = units
            .iter()
            .enumerate()
            .map(|(i, &u)| Unit::new(u, systems[usize::from(i >= 3)], format!("单位{i}")).unwrap())
            .collect();
        let branches: Vec<Branch> = units
            .iter()
            .enumerate()
            .map(|(i, &u)| Branch::new(BranchId::from_u128(200 + i as u128), u, "支部").unwrap())
            .collect();
        let mut members = Vec::new();
        let mut member_records = Vec::new();
        for (i, b) in branches.iter().enumerate() {
            for j in 0..4 {
                let id = MemberId::from_u128(1000 + (i * 10 + j) as u128);
                members.push(id);
                member_records.push(
                    Member::new(
                        id,
                        format!("党员{i}-{j}"),
                        b.id,
                        PostType::Management,
                        MemberStatus::InPost,
                    )
                    .unwrap(),
                );
            }
        }
        let groups = vec![
            InspectionGroup::new(
                GroupId::from_u128(1),
                "第一督导组",
                systems[0],
                units[0..3].to_vec(),
            )
            .unwrap(),
            InspectionGroup::new(
                GroupId::from_u128(2),
                "第二督导组",
                systems[1],
                units[3..5].to_vec(),
            )
            .unwrap(),
        ];
        Self {
            systems,
            units,
            unit_records,
            branches,
            members,
            member_records,
            groups,
        }
    }

    pub fn directory(&self) -> Directory {
        Directory::new(
            &self.unit_records,
            &self.branches,
            &self.member_records,
            &self.groups,
        )
    }

    /// A check at 09:00 Beijing time on `date`.
    pub fn check(&self, id: u128, unit: UnitId, date: Date, group: Option<GroupId>) -> SpotCheck {
        let at = date
            .with_time(Time::from_hms(9, 0, 0).unwrap())
            .assume_offset(UtcOffset::from_hms(8, 0, 0).unwrap());
        SpotCheck::new(
            CheckId::from_u128(id),
            InspectorId::from_u128(1),
            group,
            Place::Unit { unit },
            at,
            CheckMode::Unannounced,
            "",
        )
        .unwrap()
    }
}

/// March 2005 (1 March was a Tuesday; 7 March a Monday, ISO week 10).
pub fn day(d: u8) -> Date {
    Date::from_calendar_date(2005, Month::March, d).unwrap()
}

pub fn observation(id: u128, check: &SpotCheck, member: MemberId, outcome: Outcome) -> Observation {
    Observation::new(ObservationId::from_u128(id), check.id, member, outcome).unwrap()
}
