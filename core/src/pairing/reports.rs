//! Where a situation report goes and who may review it.
//!
//! Why: 004 item 5: the member writes one situation report (写一份情况反映)
//! to the unit's party organisation; reports by party committee members
//! (党委成员) go to the supervision group for review. The phone picks the
//! recipient and offers the review buttons by these rules; the server's
//! scope check ([`Actor::may_write`] on a report review) still decides what
//! it accepts.

use crate::directory::Directory;
use crate::ids::MemberId;
use crate::order;
use crate::org::{InspectionGroup, Inspector, Member};
use crate::schema::RecordKind;
use crate::scope::{Actor, Location, Role};

use super::{Recipient, Reviewer, SituationReport};

/// The recipient of a report by `member`: the member's unit's party
/// organisation, or for a party committee member the supervision group
/// that visits the unit (else the one assigned to its system; the lowest
/// id when several). `None` while the member's unit (or a group) is unknown.
pub fn recipient_for(
    member: MemberId,
    committee_member: bool,
    directory: &Directory,
    groups: &[InspectionGroup],
) -> Option<Recipient> {
    let unit = directory.member_unit(member)?;
    if !committee_member {
        return Some(Recipient::UnitOrganisation { unit });
    }
    let system = directory.unit_system(unit);
    let visiting = groups
        .iter()
        .filter(|g| g.units.contains(&unit))
        .min_by_key(|g| g.id);
    let of_system = || {
        groups
            .iter()
            .filter(|g| Some(g.system) == system)
            .min_by_key(|g| g.id)
    };
    visiting
        .or_else(of_system)
        .map(|g| Recipient::SupervisionGroup { group: g.id })
}

/// May `actor` review `report` (placed at `location`)? Reports to a unit's
/// party organisation are reviewed by cadres (and the office), reports to
/// a supervision group by inspectors (and the office); in both cases only
/// where the scope rule lets the actor write a review there.
pub fn may_review(actor: &Actor, report: &SituationReport, location: &Location) -> bool {
    let role_fits = match report.submitted_to {
        Recipient::UnitOrganisation { .. } => matches!(actor.role, Role::Office | Role::Cadre),
        Recipient::SupervisionGroup { .. } => {
            matches!(actor.role, Role::Office | Role::Inspector)
        }
    };
    role_fits && actor.may_write(RecordKind::ReportReview, location)
}

/// Who can be named as the reviewer of `report`: the members of the
/// recipient unit (never the writer), or the inspectors of the recipient
/// group; by name, then id.
pub fn reviewers_for(
    report: &SituationReport,
    directory: &Directory,
    members: &[Member],
    inspectors: &[Inspector],
) -> Vec<(Reviewer, String)> {
    let mut out: Vec<(Reviewer, String)> = match report.submitted_to {
        Recipient::UnitOrganisation { unit } => members
            .iter()
            .filter(|m| m.id != report.member && directory.member_unit(m.id) == Some(unit))
            .map(|m| (Reviewer::Member(m.id), m.name.clone()))
            .collect(),
        Recipient::SupervisionGroup { group } => inspectors
            .iter()
            .filter(|i| i.group == Some(group))
            .map(|i| (Reviewer::Inspector(i.id), i.name.clone()))
            .collect(),
    };
    order::sort_by(&mut out, |a, b| {
        a.1.cmp(&b.1)
            .then_with(|| reviewer_key(&a.0).cmp(&reviewer_key(&b.0)))
    });
    out
}

fn reviewer_key(r: &Reviewer) -> u128 {
    match r {
        Reviewer::Inspector(id) => id.as_u128(),
        Reviewer::Member(id) => id.as_u128(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;
    use crate::org::{Branch, MemberStatus, PostType, Unit};
    use crate::scope::{Located, Scope};
    use time::macros::date;

    struct World {
        dir: Directory,
        members: Vec<Member>,
        groups: Vec<InspectionGroup>,
        inspectors: Vec<Inspector>,
        unit: UnitId,
        other_unit: UnitId,
        system: SystemId,
        branch: BranchId,
    }

    /// One system with two units (a branch each, two members in the first,
    /// one in the second); group 2 visits the first unit, group 1 only
    /// belongs to the system.
    fn world() -> World {
        let system = SystemId::from_u128(1);
        let unit = UnitId::from_u128(10);
        let other_unit = UnitId::from_u128(11);
        let branch = BranchId::from_u128(20);
        let units = [
            Unit::new(unit, system, "市教育局").unwrap(),
            Unit::new(other_unit, system, "市卫生局").unwrap(),
        ];
        let branches = [
            Branch::new(branch, unit, "机关支部").unwrap(),
            Branch::new(BranchId::from_u128(21), other_unit, "卫生支部").unwrap(),
        ];
        let member = |id: u128, name: &str, branch: BranchId| {
            Member::new(
                MemberId::from_u128(id),
                name,
                branch,
                PostType::Management,
                MemberStatus::InPost,
            )
            .unwrap()
        };
        let members = vec![
            member(30, "王强", branch),
            member(31, "李梅", branch),
            member(32, "赵刚", BranchId::from_u128(21)),
        ];
        let groups = vec![
            InspectionGroup::new(GroupId::from_u128(1), "第一督导组", system, vec![]).unwrap(),
            InspectionGroup::new(GroupId::from_u128(2), "第二督导组", system, vec![unit]).unwrap(),
        ];
        let inspectors = vec![
            Inspector::new(
                InspectorId::from_u128(40),
                "督导员乙",
                Some(GroupId::from_u128(2)),
            )
            .unwrap(),
            Inspector::new(
                InspectorId::from_u128(41),
                "督导员甲",
                Some(GroupId::from_u128(1)),
            )
            .unwrap(),
            Inspector::new(
                InspectorId::from_u128(42),
                "督导员丙",
                Some(GroupId::from_u128(2)),
            )
            .unwrap(),
        ];
        World {
            dir: Directory::new(&units, &branches, &members, &groups),
            members,
            groups,
            inspectors,
            unit,
            other_unit,
            system,
            branch,
        }
    }

    fn report(w: &World, to: Recipient) -> SituationReport {
        SituationReport::new(
            ReportId::from_u128(50),
            w.members[0].id,
            to,
            date!(2005 - 03 - 01),
            "村里道路失修。",
        )
        .unwrap()
    }

    #[test]
    fn recipient_table() {
        let w = world();
        let cases = [
            (
                30,
                false,
                Some(Recipient::UnitOrganisation { unit: w.unit }),
            ),
            (
                30,
                true,
                Some(Recipient::SupervisionGroup {
                    group: GroupId::from_u128(2),
                }),
            ),
            // No group visits the other unit: the system's group.
            (
                32,
                true,
                Some(Recipient::SupervisionGroup {
                    group: GroupId::from_u128(1),
                }),
            ),
            (
                32,
                false,
                Some(Recipient::UnitOrganisation { unit: w.other_unit }),
            ),
            // A member the directory does not know.
            (99, false, None),
        ];
        for (member, committee, want) in cases {
            let got = recipient_for(MemberId::from_u128(member), committee, &w.dir, &w.groups);
            assert_eq!(got, want, "{member} {committee}");
        }
        assert_eq!(
            recipient_for(MemberId::from_u128(30), true, &w.dir, &[]),
            None
        );
    }

    #[test]
    fn review_permission_table() {
        let w = world();
        let to_unit = report(&w, Recipient::UnitOrganisation { unit: w.unit });
        let to_group = report(
            &w,
            Recipient::SupervisionGroup {
                group: GroupId::from_u128(2),
            },
        );
        let at = to_unit.location(&w.dir);
        let office = Actor::new(Role::Office, Scope::City);
        let cadre = Actor::new(Role::Cadre, Scope::Branch(w.branch));
        let other_cadre = Actor::new(Role::Cadre, Scope::Branch(BranchId::from_u128(21)));
        let village_cadre = Actor::new(Role::Cadre, Scope::Village(VillageId::from_u128(7)));
        let inspector = Actor::new(Role::Inspector, Scope::System(w.system));
        let far_inspector = Actor::new(Role::Inspector, Scope::System(SystemId::from_u128(9)));
        let cases = [
            (&office, &to_unit, true),
            (&office, &to_group, true),
            (&cadre, &to_unit, true),
            (&cadre, &to_group, false),
            (&other_cadre, &to_unit, false),
            (&village_cadre, &to_unit, false),
            (&inspector, &to_group, true),
            (&inspector, &to_unit, false),
            (&far_inspector, &to_group, false),
        ];
        for (actor, report, want) in cases {
            assert_eq!(
                may_review(actor, report, &at),
                want,
                "{actor:?} {:?}",
                report.submitted_to
            );
        }
    }

    #[test]
    fn reviewers_are_the_recipients_people_never_the_writer() {
        let w = world();
        let to_unit = report(&w, Recipient::UnitOrganisation { unit: w.unit });
        let names = |r: &SituationReport| -> Vec<String> {
            reviewers_for(r, &w.dir, &w.members, &w.inspectors)
                .into_iter()
                .map(|(_, n)| n)
                .collect()
        };
        assert_eq!(names(&to_unit), vec!["李梅"]);
        let to_group = report(
            &w,
            Recipient::SupervisionGroup {
                group: GroupId::from_u128(2),
            },
        );
        assert_eq!(names(&to_group), vec!["督导员丙", "督导员乙"]);
        let first = &reviewers_for(&to_group, &w.dir, &w.members, &w.inspectors)[0].0;
        assert_eq!(*first, Reviewer::Inspector(InspectorId::from_u128(42)));
    }
}
