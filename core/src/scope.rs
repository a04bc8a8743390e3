//! Who may read and write what: roles, scopes, and one containment rule.
//!
//! Why: the server (deciding what to accept and what to send) and the app
//! (deciding what to show) must agree exactly, and household cards are
//! personal data about vulnerable people. So the rule is written once here.
//!
//! Every record reports a [`Location`] (the system, unit, branch and
//! village it sits in, each optional); a [`Scope`] covers a location when
//! the location lies inside it ([`Scope::covers`]). A user is an [`Actor`]:
//! a [`Role`] plus a scope.
//!
//! | role | reads | writes |
//! |---|---|---|
//! | office (先教办) | everything in scope, including household data | everything in scope except computed summaries |
//! | inspector (督导组) | everything in scope **except household data** | spot checks, observations, post checks, report reviews, 转段评估 reviews and sign-offs in scope |
//! | cadre (支部 / 驻村工作组) | everything in scope; household data only when the scope is a branch or village | only with a branch or village scope: members, posts, commitments, public reviews, household data, situation reports, report reviews, study sessions, attendance, deliveries, study checks, suggestions, speeches |
//!
//! The org chart (office, systems, units, villages, inspection groups),
//! the rubric, the study settings and the 转段评估 checklist are readable
//! by every role whatever its scope. Their versions sit at no place in the
//! organisation, so only an office user with the city scope may record
//! one. Only the office decides a 转段评估 (审查批准 / 责令补课). An
//! inspector's scope (city, system or unit) is the units their group
//! inspects: they review and sign off there only.

use serde::{Deserialize, Serialize};

use crate::directory::Directory;
use crate::ids::{BranchId, SystemId, UnitId, VillageId};
use crate::schema::RecordKind;

/// Where a record sits in the organisation; `None` where not applicable
/// (a household has no unit until it is paired; a unit has no village).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<SystemId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<BranchId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<VillageId>,
}

/// A part of the city a user acts in, or a report is computed for.
///
/// JSON: `{"level":"city"}`, `{"level":"unit","id":"…"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(
    tag = "level",
    content = "id",
    rename_all = "snake_case",
    try_from = "ScopeWire"
)]
pub enum Scope {
    City,
    System(SystemId),
    Unit(UnitId),
    Branch(BranchId),
    Village(VillageId),
}

/// [`Scope`] as read from JSON: one flat struct. Serde reads an adjacently
/// tagged enum through its buffered `Content`, compiled again for each
/// such enum (bundle size; see `spotcheck::PlaceWire`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeWire {
    level: ScopeLevel,
    #[serde(default)]
    id: Option<uuid::Uuid>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ScopeLevel {
    City,
    System,
    Unit,
    Branch,
    Village,
}

impl TryFrom<ScopeWire> for Scope {
    type Error = &'static str;

    fn try_from(wire: ScopeWire) -> Result<Scope, Self::Error> {
        let id = || wire.id.ok_or("missing field `id`");
        Ok(match wire.level {
            ScopeLevel::City if wire.id.is_some() => return Err("unknown field `id`"),
            ScopeLevel::City => Scope::City,
            ScopeLevel::System => Scope::System(SystemId::from_uuid(id()?)),
            ScopeLevel::Unit => Scope::Unit(UnitId::from_uuid(id()?)),
            ScopeLevel::Branch => Scope::Branch(BranchId::from_uuid(id()?)),
            ScopeLevel::Village => Scope::Village(VillageId::from_uuid(id()?)),
        })
    }
}

impl Scope {
    /// The containment rule: does this scope cover a record at `location`?
    pub fn covers(&self, location: &Location) -> bool {
        match *self {
            Scope::City => true,
            Scope::System(s) => location.system == Some(s),
            Scope::Unit(u) => location.unit == Some(u),
            Scope::Branch(b) => location.branch == Some(b),
            Scope::Village(v) => location.village == Some(v),
        }
    }

    /// Whether `other` lies wholly inside this scope (a unit inside its
    /// system, a branch inside its unit; villages are outside units).
    pub fn contains(&self, other: &Scope, directory: &Directory) -> bool {
        self == other || self.covers(&directory.scope_location(other))
    }

    /// Branch and village scopes: where cadres work and household data lives.
    pub fn is_grassroots(&self) -> bool {
        matches!(self, Scope::Branch(_) | Scope::Village(_))
    }
}

/// A user's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 先教办: the campaign office.
    Office,
    /// 督导组成员: a member of an inspection group.
    Inspector,
    /// 支部 / 驻村工作组干部: a branch or village work-team cadre.
    Cadre,
}

/// Reading or writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    Write,
}

/// Kinds anyone may read whatever their scope: the org chart and the rubric.
fn city_wide(kind: RecordKind) -> bool {
    matches!(
        kind,
        RecordKind::Office
            | RecordKind::System
            | RecordKind::Unit
            | RecordKind::Village
            | RecordKind::InspectionGroup
            | RecordKind::Rubric
            | RecordKind::StudySettings
            | RecordKind::TransitionChecklist
    )
}

impl Role {
    /// May a user with this role and `scope` read a `kind` record at `location`?
    pub fn may_read(self, kind: RecordKind, scope: &Scope, location: &Location) -> bool {
        if city_wide(kind) {
            return true;
        }
        if !scope.covers(location) {
            return false;
        }
        match self {
            Role::Office => true,
            Role::Inspector => !kind.is_household_data(),
            Role::Cadre => !kind.is_household_data() || scope.is_grassroots(),
        }
    }

    /// May a user with this role and `scope` write a `kind` record at `location`?
    pub fn may_write(self, kind: RecordKind, scope: &Scope, location: &Location) -> bool {
        if kind == RecordKind::Summary || !scope.covers(location) {
            return false;
        }
        match self {
            Role::Office => true,
            Role::Inspector => matches!(
                kind,
                RecordKind::SpotCheck
                    | RecordKind::Observation
                    | RecordKind::PostCheck
                    | RecordKind::ReportReview
                    | RecordKind::TransitionReview
                    | RecordKind::TransitionSignOff
            ),
            // Study is a branch's (支部) work: a village work team keeps
            // no 考勤 (and would see the section as one it records in).
            Role::Cadre if kind.is_study() => {
                matches!(scope, Scope::Branch(_))
                    && matches!(
                        kind,
                        RecordKind::StudySession
                            | RecordKind::Attendance
                            | RecordKind::StudyDelivery
                            | RecordKind::StudyCheck
                            | RecordKind::Suggestion
                            | RecordKind::Speech
                    )
            }
            Role::Cadre => {
                scope.is_grassroots()
                    && matches!(
                        kind,
                        RecordKind::Member
                            | RecordKind::Post
                            | RecordKind::Commitment
                            | RecordKind::PublicReview
                            | RecordKind::Household
                            | RecordKind::Pairing
                            | RecordKind::Visit
                            | RecordKind::SupportItem
                            | RecordKind::Dispute
                            | RecordKind::SituationReport
                            | RecordKind::ReportReview
                    )
            }
        }
    }

    /// Either access.
    pub fn may(self, access: Access, kind: RecordKind, scope: &Scope, location: &Location) -> bool {
        match access {
            Access::Read => self.may_read(kind, scope, location),
            Access::Write => self.may_write(kind, scope, location),
        }
    }
}

/// A signed-in user: a role acting within a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub role: Role,
    pub scope: Scope,
}

impl Actor {
    pub fn new(role: Role, scope: Scope) -> Self {
        Self { role, scope }
    }

    pub fn may_read(&self, kind: RecordKind, location: &Location) -> bool {
        self.role.may_read(kind, &self.scope, location)
    }

    pub fn may_write(&self, kind: RecordKind, location: &Location) -> bool {
        self.role.may_write(kind, &self.scope, location)
    }

    /// May this actor put a `kind` record at `to` when it stands at `from`
    /// (`None`: a new record)? Moving needs write rights at both places,
    /// so nobody pulls a record out of, or pushes one into, a part of the
    /// city they may not write. (What moves with a change: `sync::touches`.)
    pub fn may_move(&self, kind: RecordKind, from: Option<&Location>, to: &Location) -> bool {
        self.may_write(kind, to) && from.is_none_or(|from| self.may_write(kind, from))
    }
}

impl Actor {
    /// May this actor read the name and unit (those two fields, nothing
    /// else) of the member paired with a household standing at
    /// `household`, while the pairing stands? Wherever it may read the
    /// household itself: a village cadre sees who helps each of the
    /// village's households, though the member's branch lies outside the
    /// village scope. The member's other fields and records keep
    /// [`Actor::may_read`]'s rule. (Who is paired now: the holder's
    /// standing pairings; [`crate::pairing::partners`] builds the list.)
    pub fn may_read_partner(&self, household: &Location) -> bool {
        self.may_read(RecordKind::Household, household)
    }
}

/// A record that can say where it sits, given the org directory.
///
/// Household-linked facts (pairings, visits, support items, disputes) sit
/// at their household's village plus the acting member's placement; use
/// [`Directory::locate`] for them.
pub trait Located {
    fn location(&self, directory: &Directory) -> Location;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;

    fn ids() -> (SystemId, SystemId, UnitId, BranchId, VillageId, VillageId) {
        (
            SystemId::from_u128(1),
            SystemId::from_u128(2),
            UnitId::from_u128(10),
            BranchId::from_u128(100),
            VillageId::from_u128(1000),
            VillageId::from_u128(1001),
        )
    }

    #[test]
    fn containment_table() {
        let (s1, s2, u, b, v, v2) = ids();
        let member_loc = Location {
            system: Some(s1),
            unit: Some(u),
            branch: Some(b),
            village: None,
        };
        let household_loc = Location {
            village: Some(v),
            ..member_loc
        };
        let unpaired_household = Location {
            village: Some(v),
            ..Location::default()
        };
        let cases = [
            (Scope::City, member_loc, true),
            (Scope::System(s1), member_loc, true),
            (Scope::System(s2), member_loc, false),
            (Scope::Unit(u), member_loc, true),
            (Scope::Branch(b), member_loc, true),
            (Scope::Village(v), member_loc, false),
            (Scope::Village(v), household_loc, true),
            (Scope::Village(v2), household_loc, false),
            (Scope::Branch(b), household_loc, true),
            (Scope::Branch(b), unpaired_household, false),
            (Scope::City, Location::default(), true),
            (Scope::System(s1), Location::default(), false),
        ];
        for (scope, loc, expected) in cases {
            assert_eq!(scope.covers(&loc), expected, "{scope:?} covers {loc:?}");
        }
    }

    #[test]
    fn permission_table() {
        let (s1, s2, u, b, v, _) = ids();
        let member_loc = Location {
            system: Some(s1),
            unit: Some(u),
            branch: Some(b),
            village: None,
        };
        let household_loc = Location {
            village: Some(v),
            ..member_loc
        };
        let check_loc = Location {
            system: Some(s1),
            unit: Some(u),
            ..Location::default()
        };
        use Access::{Read as R, Write as W};
        use RecordKind as K;
        let city = Scope::City;
        let sys = Scope::System(s1);
        let other_sys = Scope::System(s2);
        let unit = Scope::Unit(u);
        let branch = Scope::Branch(b);
        let village = Scope::Village(v);
        // (role, scope, access, kind, location, allowed)
        let cases = [
            (Role::Office, city, R, K::Household, household_loc, true),
            (Role::Office, city, W, K::Household, household_loc, true),
            (Role::Office, city, W, K::Rubric, Location::default(), true),
            (Role::Office, sys, W, K::Rubric, Location::default(), false),
            (
                Role::Inspector,
                city,
                W,
                K::Rubric,
                Location::default(),
                false,
            ),
            (
                Role::Office,
                city,
                W,
                K::Summary,
                Location::default(),
                false,
            ),
            (Role::Office, other_sys, R, K::SpotCheck, check_loc, false),
            (Role::Inspector, sys, W, K::SpotCheck, check_loc, true),
            (Role::Inspector, sys, W, K::Observation, member_loc, true),
            (Role::Inspector, sys, W, K::PostCheck, member_loc, true),
            (
                Role::Inspector,
                other_sys,
                W,
                K::SpotCheck,
                check_loc,
                false,
            ),
            (Role::Inspector, sys, R, K::Household, household_loc, false),
            (Role::Inspector, city, R, K::Household, household_loc, false),
            (Role::Inspector, sys, R, K::Visit, household_loc, false),
            (
                Role::Inspector,
                sys,
                R,
                K::SupportItem,
                household_loc,
                false,
            ),
            (Role::Inspector, sys, R, K::Summary, check_loc, true),
            (
                Role::Inspector,
                sys,
                R,
                K::SituationReport,
                member_loc,
                true,
            ),
            (Role::Inspector, sys, W, K::Member, member_loc, false),
            (Role::Inspector, other_sys, R, K::Unit, check_loc, true),
            (Role::Inspector, other_sys, R, K::Member, member_loc, false),
            (Role::Cadre, branch, W, K::Household, household_loc, true),
            (Role::Cadre, village, W, K::Household, household_loc, true),
            (Role::Cadre, village, R, K::Visit, household_loc, true),
            (Role::Cadre, unit, R, K::Household, household_loc, false),
            (Role::Cadre, unit, W, K::Visit, household_loc, false),
            (Role::Cadre, unit, R, K::SpotCheck, check_loc, true),
            (Role::Cadre, branch, W, K::SpotCheck, check_loc, false),
            (Role::Cadre, branch, W, K::Member, member_loc, true),
            (Role::Cadre, branch, W, K::Unit, check_loc, false),
            (Role::Cadre, village, W, K::Member, member_loc, false),
            (Role::Cadre, branch, W, K::PublicReview, member_loc, true),
            (Role::Cadre, branch, W, K::PostCheck, member_loc, false),
            (Role::Cadre, city, W, K::Household, household_loc, false),
            (Role::Cadre, branch, R, K::Rubric, Location::default(), true),
            (
                Role::Cadre,
                branch,
                W,
                K::Rubric,
                Location::default(),
                false,
            ),
        ];
        for (role, scope, access, kind, loc, allowed) in cases {
            assert_eq!(
                role.may(access, kind, &scope, &loc),
                allowed,
                "{role:?} {scope:?} {access:?} {kind:?}"
            );
        }
        let actor = Actor::new(Role::Cadre, village);
        assert!(actor.may_read(K::Household, &household_loc));
        assert!(actor.may_write(K::Dispute, &household_loc));
    }

    #[test]
    fn study_permission_table() {
        let (s1, s2, u, b, v, _) = ids();
        let session_loc = Location {
            system: Some(s1),
            unit: Some(u),
            branch: Some(b),
            village: None,
        };
        let unit_loc = Location {
            branch: None,
            ..session_loc
        };
        let other_branch = Location {
            branch: Some(BranchId::from_u128(101)),
            ..session_loc
        };
        let office_wide = Location::default();
        use Access::{Read as R, Write as W};
        use RecordKind as K;
        let (city, sys, other_sys) = (Scope::City, Scope::System(s1), Scope::System(s2));
        let (unit, branch, village) = (Scope::Unit(u), Scope::Branch(b), Scope::Village(v));
        // (role, scope, access, kind, location, allowed)
        let cases = [
            // A branch cadre records their branch's sessions and attendance …
            (Role::Cadre, branch, W, K::StudySession, session_loc, true),
            (Role::Cadre, branch, W, K::Attendance, session_loc, true),
            (Role::Cadre, branch, W, K::StudyDelivery, session_loc, true),
            (Role::Cadre, branch, W, K::Speech, session_loc, true),
            (Role::Cadre, branch, W, K::StudyCheck, session_loc, true),
            (Role::Cadre, branch, W, K::Suggestion, session_loc, true),
            // … not another branch's, not with a unit or village scope.
            (Role::Cadre, branch, W, K::Attendance, other_branch, false),
            (Role::Cadre, unit, W, K::StudySession, session_loc, false),
            (Role::Cadre, village, W, K::StudySession, session_loc, false),
            (Role::Cadre, unit, R, K::Attendance, session_loc, true),
            // A village work team keeps no 考勤 (the section is a branch's).
            (
                Role::Cadre,
                village,
                W,
                K::StudySession,
                Location {
                    village: Some(v),
                    ..Location::default()
                },
                false,
            ),
            // Cadres take no part in the 转段评估 but read it in scope.
            (Role::Cadre, branch, W, K::TransitionReview, unit_loc, false),
            (Role::Cadre, unit, R, K::TransitionReview, unit_loc, true),
            // Inspectors review and sign off in their scope only.
            (Role::Inspector, sys, W, K::TransitionReview, unit_loc, true),
            (
                Role::Inspector,
                unit,
                W,
                K::TransitionSignOff,
                unit_loc,
                true,
            ),
            (
                Role::Inspector,
                other_sys,
                W,
                K::TransitionReview,
                unit_loc,
                false,
            ),
            (
                Role::Inspector,
                sys,
                W,
                K::TransitionDecision,
                unit_loc,
                false,
            ),
            (Role::Inspector, sys, W, K::Attendance, session_loc, false),
            (Role::Inspector, sys, R, K::Attendance, session_loc, true),
            // Only the office decides, and only at the city sets the lists.
            (Role::Office, city, W, K::TransitionDecision, unit_loc, true),
            (Role::Office, sys, W, K::TransitionDecision, unit_loc, true),
            (Role::Office, city, W, K::StudySettings, office_wide, true),
            (Role::Office, sys, W, K::StudySettings, office_wide, false),
            (
                Role::Office,
                city,
                W,
                K::TransitionChecklist,
                office_wide,
                true,
            ),
            (
                Role::Inspector,
                city,
                W,
                K::TransitionChecklist,
                office_wide,
                false,
            ),
            (Role::Office, city, W, K::Attendance, session_loc, true),
            // The settings and the checklist are read by everyone.
            (Role::Cadre, village, R, K::StudySettings, office_wide, true),
            (
                Role::Inspector,
                other_sys,
                R,
                K::TransitionChecklist,
                office_wide,
                true,
            ),
        ];
        for (role, scope, access, kind, loc, allowed) in cases {
            assert_eq!(
                role.may(access, kind, &scope, &loc),
                allowed,
                "{role:?} {scope:?} {access:?} {kind:?}"
            );
        }
    }

    #[test]
    fn inspectors_never_see_household_data_whatever_the_scope() {
        let (s1, _, u, b, v, _) = ids();
        let loc = Location {
            system: Some(s1),
            unit: Some(u),
            branch: Some(b),
            village: Some(v),
        };
        for scope in [
            Scope::City,
            Scope::System(s1),
            Scope::Unit(u),
            Scope::Branch(b),
            Scope::Village(v),
        ] {
            for kind in RecordKind::ALL
                .into_iter()
                .filter(|k| k.is_household_data())
            {
                assert!(!Role::Inspector.may_read(kind, &scope, &loc));
                assert!(!Role::Inspector.may_write(kind, &scope, &loc));
            }
        }
    }

    #[test]
    fn scope_json_shape() {
        assert_eq!(
            serde_json::to_string(&Scope::City).unwrap(),
            r#"{"level":"city"}"#
        );
        let u = Scope::Unit(UnitId::from_u128(1));
        let json = serde_json::to_string(&u).unwrap();
        assert_eq!(
            json,
            r#"{"level":"unit","id":"00000000-0000-0000-0000-000000000001"}"#
        );
        assert_eq!(serde_json::from_str::<Scope>(&json).unwrap(), u);
    }
}
