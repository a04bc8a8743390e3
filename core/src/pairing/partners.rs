//! 结对党员 on a household card: the paired member's name and unit, for
//! readers of the household who may not read the member.
//!
//! Why (issue 16): the members paired with a village's households sit in
//! unit branches outside the village scope, so a village cadre's cards
//! read 党员（名单不在本机范围）: the cadre could not see who is helping
//! whom, the one thing a pairing card is for. The server sends each
//! reader the [`Partner`]s of the standing pairings of households it may
//! read ([`Actor::may_read_partner`]) — the member's name and unit only —
//! and the phone replaces its list after every sync, so an ended pairing
//! drops out.

use serde::{Deserialize, Serialize};

use crate::directory::Directory;
use crate::ids::{HouseholdId, MemberId, UnitId};
use crate::order;
use crate::org::Member;
use crate::scope::{Actor, Location};

/// A paired member as a household's reader may see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub household: HouseholdId,
    pub member: MemberId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
}

/// `GET /api/partners`: the partners the device's actor may see.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnersResponse {
    pub partners: Vec<Partner>,
}

/// The partners `actor` may see, from the standing pairings as
/// `(household, where the household stands, member)` and the members the
/// holder knows. A pairing whose household the actor may not read, or
/// whose member is unknown, gives nothing.
pub fn partners<'a>(
    actor: &Actor,
    standing: impl IntoIterator<Item = (HouseholdId, Location, MemberId)>,
    member: impl Fn(MemberId) -> Option<&'a Member>,
    directory: &Directory,
) -> Vec<Partner> {
    let mut out: Vec<Partner> = standing
        .into_iter()
        .filter(|(_, place, _)| actor.may_read_partner(place))
        .filter_map(|(household, _, id)| {
            let m = member(id)?;
            Some(Partner {
                household,
                member: id,
                name: m.name.clone(),
                unit: directory.branch_unit(m.branch),
            })
        })
        .collect();
    order::sort_by_key(&mut out, |p| (p.household, p.member));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{BranchId, SystemId, VillageId};
    use crate::org::{Branch, MemberStatus, PostType, Unit};
    use crate::scope::{Role, Scope};

    #[test]
    fn a_village_cadre_sees_the_partners_of_its_households_only() {
        let (system, unit, branch) = (
            SystemId::from_u128(1),
            UnitId::from_u128(2),
            BranchId::from_u128(3),
        );
        let (v1, v2) = (VillageId::from_u128(10), VillageId::from_u128(11));
        let dir = Directory::new(
            &[Unit::new(unit, system, "市教育局").unwrap()],
            &[Branch::new(branch, unit, "机关支部").unwrap()],
            &[],
            &[],
        );
        let member = |n: u128, name: &str| {
            Member::new(
                MemberId::from_u128(n),
                name,
                branch,
                PostType::Other,
                MemberStatus::InPost,
            )
            .unwrap()
        };
        let members = [member(20, "张三"), member(21, "李四")];
        let find = |id: MemberId| members.iter().find(|m| m.id == id);
        let at = |v| Location {
            village: Some(v),
            ..Location::default()
        };
        let h = HouseholdId::from_u128;
        let standing = [
            (h(30), at(v1), MemberId::from_u128(20)),
            (h(31), at(v2), MemberId::from_u128(21)),
            (h(32), at(v1), MemberId::from_u128(99)),
        ];
        let partner = |hh: u128, m: u128, name: &str| Partner {
            household: h(hh),
            member: MemberId::from_u128(m),
            name: name.into(),
            unit: Some(unit),
        };
        let cases = [
            (
                "village cadre: its village's household, not the other village's; an unknown member gives nothing",
                Actor::new(Role::Cadre, Scope::Village(v1)),
                vec![partner(30, 20, "张三")],
            ),
            (
                "office: every household",
                Actor::new(Role::Office, Scope::City),
                vec![partner(30, 20, "张三"), partner(31, 21, "李四")],
            ),
            (
                "inspector: reads no household data, so no partners",
                Actor::new(Role::Inspector, Scope::City),
                vec![],
            ),
            (
                "unit cadre: no household data outside branch or village scopes",
                Actor::new(Role::Cadre, Scope::Unit(unit)),
                vec![],
            ),
        ];
        for (name, actor, want) in cases {
            assert_eq!(partners(&actor, standing, find, &dir), want, "{name}");
        }
    }
}
