//! Organisation: office, systems, units, branches, villages, members,
//! inspection groups and inspectors.
//!
//! Why: every rule is counted against this tree (a member's misses go to
//! their unit, units are ranked within their system, groups visit their
//! units). These are mutable records: they will be merged per field when
//! sync arrives, so they are plain structs with public fields and hold no
//! derived fact: a member stores only its branch (the unit and system follow
//! from it via [`crate::directory::Directory`]), and a unit never stores
//! whether it is a key-management unit (重点管理单位 is computed by
//! `spotcheck::ranking`).

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::{BranchId, GroupId, InspectorId, MemberId, OfficeId, SystemId, UnitId, VillageId};
use crate::order;
use crate::schema::{Record, RecordKind};
use crate::validate::{self, clean, clean_opt};

labelled_enum! {
    /// 岗位类型: the post types of 000 (plus 其他 for anything else).
    pub enum PostType: "post_type" {
        Leadership = "leadership", "领导岗位", "Leadership";
        Research = "research", "研究岗位", "Research";
        Support = "support", "支撑岗位", "Support";
        Management = "management", "管理岗位", "Management";
        Graduate = "graduate", "研究生", "Graduate student";
        Retired = "retired", "离退休", "Retired";
        Other = "other", "其他", "Other";
    }
}

labelled_enum! {
    /// 党员状态. Members away, abroad or frail are excused from some checks
    /// but are still members and still counted (000: 552 members, 73 abroad,
    /// 18 frail, 463 took part).
    pub enum MemberStatus: "status" {
        InPost = "in_post", "在岗", "In post";
        Floating = "floating", "流动党员", "Floating (away)";
        Abroad = "abroad", "长期出国", "Long abroad";
        Frail = "frail", "年老体弱", "Elderly or frail";
    }
}

impl MemberStatus {
    /// Whether the member is expected at their post (and so at a spot check).
    pub fn expected_at_post(self) -> bool {
        self == MemberStatus::InPost
    }
}

/// 市委 / 先教办: the campaign office. One per deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub id: OfficeId,
    pub name: String,
}

impl Office {
    pub fn new(id: OfficeId, name: impl Into<String>) -> Result<Self, DomainError> {
        let office = Self {
            id,
            name: clean(name),
        };
        office.validate()?;
        Ok(office)
    }
}

impl Record for Office {
    const KIND: RecordKind = RecordKind::Office;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("name", &self.name)
    }
}

/// 系统: a group of units; rankings are per system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    pub id: SystemId,
    pub name: String,
}

impl System {
    pub fn new(id: SystemId, name: impl Into<String>) -> Result<Self, DomainError> {
        let system = Self {
            id,
            name: clean(name),
        };
        system.validate()?;
        Ok(system)
    }
}

impl Record for System {
    const KIND: RecordKind = RecordKind::System;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("name", &self.name)
    }
}

/// 单位: a unit in a system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: UnitId,
    pub system: SystemId,
    pub name: String,
}

impl Unit {
    pub fn new(id: UnitId, system: SystemId, name: impl Into<String>) -> Result<Self, DomainError> {
        let unit = Self {
            id,
            system,
            name: clean(name),
        };
        unit.validate()?;
        Ok(unit)
    }
}

impl Record for Unit {
    const KIND: RecordKind = RecordKind::Unit;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("name", &self.name)
    }
}

/// 党支部 / 党小组: a branch (or group) in a unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub id: BranchId,
    pub unit: UnitId,
    pub name: String,
}

impl Branch {
    pub fn new(id: BranchId, unit: UnitId, name: impl Into<String>) -> Result<Self, DomainError> {
        let branch = Self {
            id,
            unit,
            name: clean(name),
        };
        branch.validate()?;
        Ok(branch)
    }
}

impl Record for Branch {
    const KIND: RecordKind = RecordKind::Branch;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("name", &self.name)
    }
}

/// 行政村: a village of the city. `work_team` is the unit whose work team
/// (驻村工作组) is stationed there, if one is assigned. A household's data
/// is scoped by its village and by the unit/branch of the member paired
/// with it, not by `work_team` (see `pairing`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Village {
    pub id: VillageId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub township: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_team: Option<UnitId>,
}

impl Village {
    pub fn new(
        id: VillageId,
        name: impl Into<String>,
        township: Option<String>,
        work_team: Option<UnitId>,
    ) -> Result<Self, DomainError> {
        let village = Self {
            id,
            name: clean(name),
            township: clean_opt(township),
            work_team,
        };
        village.validate()?;
        Ok(village)
    }
}

impl Record for Village {
    const KIND: RecordKind = RecordKind::Village;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("name", &self.name)?;
        validate::opt_line("township", self.township.as_deref(), validate::NAME_MAX)
    }
}

/// 党员: a party member, in one branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub branch: BranchId,
    pub post_type: PostType,
    pub status: MemberStatus,
}

impl Member {
    pub fn new(
        id: MemberId,
        name: impl Into<String>,
        branch: BranchId,
        post_type: PostType,
        status: MemberStatus,
    ) -> Result<Self, DomainError> {
        let member = Self {
            id,
            name: clean(name),
            branch,
            post_type,
            status,
        };
        member.validate()?;
        Ok(member)
    }
}

impl Record for Member {
    const KIND: RecordKind = RecordKind::Member;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("name", &self.name)
    }
}

/// 督导组: an inspection group assigned to a system, visiting `units`
/// (each at least twice a week, see `spotcheck::quota`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionGroup {
    pub id: GroupId,
    pub name: String,
    pub system: SystemId,
    pub units: Vec<UnitId>,
}

impl InspectionGroup {
    pub fn new(
        id: GroupId,
        name: impl Into<String>,
        system: SystemId,
        units: Vec<UnitId>,
    ) -> Result<Self, DomainError> {
        let group = Self {
            id,
            name: clean(name),
            system,
            units,
        };
        group.validate()?;
        Ok(group)
    }
}

impl Record for InspectionGroup {
    const KIND: RecordKind = RecordKind::InspectionGroup;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("name", &self.name)?;
        validate::list_len("units", self.units.len(), validate::LIST_MAX)?;
        let mut seen = self.units.clone();
        order::sort(&mut seen);
        if let Some(pair) = seen.windows(2).find(|w| w[0] == w[1]) {
            return Err(DomainError::Duplicate {
                field: "units",
                value: pair[0].to_string(),
            });
        }
        Ok(())
    }
}

/// 督导员: a person who does spot checks. `group` is `None` for office staff
/// (先教办 明查暗访 samples).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspector {
    pub id: InspectorId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
}

impl Inspector {
    pub fn new(
        id: InspectorId,
        name: impl Into<String>,
        group: Option<GroupId>,
    ) -> Result<Self, DomainError> {
        let inspector = Self {
            id,
            name: clean(name),
            group,
        };
        inspector.validate()?;
        Ok(inspector)
    }
}

impl Record for Inspector {
    const KIND: RecordKind = RecordKind::Inspector;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("name", &self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Lang;
    use crate::schema::{from_json, to_json};

    #[test]
    fn closed_lists_parse_from_code_or_label() {
        let cases = [
            ("leadership", PostType::Leadership),
            ("研究岗位", PostType::Research),
            ("Graduate student", PostType::Graduate),
            (" 离退休 ", PostType::Retired),
        ];
        for (text, expected) in cases {
            assert_eq!(text.parse::<PostType>().unwrap(), expected, "{text}");
        }
        let err = "厨师".parse::<PostType>().unwrap_err();
        assert_eq!(err.code(), "unknown_value");
        assert_eq!(err.message(Lang::ZhCn), "岗位类型的取值“厨师”无法识别");
        assert_eq!(
            "长期出国".parse::<MemberStatus>().unwrap(),
            MemberStatus::Abroad
        );
        assert_eq!(MemberStatus::Frail.label(Lang::ZhCn), "年老体弱");
        assert!(!MemberStatus::Floating.expected_at_post());
        assert_eq!(PostType::ALL.len(), 7);
    }

    #[test]
    fn constructors_validate_and_trim() {
        let unit = UnitId::from_u128(1);
        let branch = Branch::new(BranchId::from_u128(2), unit, " 机关支部 ").unwrap();
        assert_eq!(branch.name, "机关支部");
        assert_eq!(
            Unit::new(unit, SystemId::from_u128(3), "")
                .unwrap_err()
                .code(),
            "empty_name"
        );
        let dup = InspectionGroup::new(
            GroupId::from_u128(1),
            "第一督导组",
            SystemId::from_u128(3),
            vec![unit, unit],
        );
        assert_eq!(dup.unwrap_err().code(), "duplicate");
        let v = Village::new(VillageId::from_u128(9), "新村", Some(" ".into()), None).unwrap();
        assert_eq!(v.township, None);
    }

    #[test]
    fn member_json_round_trip_and_refusal() {
        let m = Member::new(
            MemberId::from_u128(7),
            "蔡衡芳",
            BranchId::from_u128(2),
            PostType::Retired,
            MemberStatus::Frail,
        )
        .unwrap();
        let json = to_json(&m);
        assert!(json.contains("\"schema\":1"));
        assert!(json.contains("\"post_type\":\"retired\""));
        assert_eq!(from_json::<Member>(&json).unwrap(), m);
        let blank = json.replace("蔡衡芳", " ");
        assert_eq!(
            from_json::<Member>(&blank).unwrap_err().code(),
            "empty_name"
        );
        let unknown = json.replace("\"frail\"", "\"sleepy\"");
        assert_eq!(
            from_json::<Member>(&unknown).unwrap_err().code(),
            "unknown_value"
        );
        let future = json.replace("\"schema\":1", "\"schema\":99");
        assert_eq!(
            from_json::<Member>(&future).unwrap_err().code(),
            "unsupported_schema"
        );
        assert_eq!(
            from_json::<Unit>(&json).unwrap_err().code(),
            "kind_mismatch"
        );
        assert_eq!(from_json::<Member>("{").unwrap_err().code(), "invalid_json");
    }
}
