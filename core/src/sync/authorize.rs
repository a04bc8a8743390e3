//! Whether an actor may make a change, written once: what a change
//! touches besides the record it names, and the rule that the actor must
//! be able to write every touched record where it stands before the change
//! and where it stands after.
//!
//! Why (issue 12): a branch cadre paired a member of their own branch with
//! a household of another branch. The pairing sat in their branch, so it
//! was allowed, and the household followed its pairing into their branch:
//! the card (head's name, contact) went to the attacker and its own branch
//! lost it. Checking the changed record's new place misses the records
//! that move with it. So a change is authorized when:
//!
//! - the changed record may be written at its current place (if it
//!   exists) and at its new one ([`Actor::may_move`]): a member moved to
//!   another branch, a post re-registered to another unit, a household
//!   moved to another village;
//! - every record that *follows* it and moves may be written (as its own
//!   kind) at both places too ([`Touches::followers`]): the households a
//!   pairing names before and after the change, the households paired
//!   with a member who moves to another branch;
//! - a record written under a *parent* that sits elsewhere may be written
//!   (as its own kind) where the parent stands ([`Touches::parents`]): a
//!   pairing, visit, support item or dispute under its household, an
//!   observation under its spot check; attendance, a study delivery or a
//!   speech under its member (it sits with its session, so a cadre marks
//!   only their own members at their own sessions).
//!
//! Hence a household's place never changes, and nothing is added under
//! it, through a write by someone who may not write it where it stands.
//! Core says what is touched and decides; the holder (the server's
//! database, a phone's storage) only looks up where each record stands.

use serde_json::Value;
use uuid::Uuid;

use super::error::SyncError;
use super::typed::AnyRecord;
use crate::ids::{HouseholdId, MemberId};
use crate::schema::RecordKind;
use crate::scope::{Actor, Location};

/// Where a record stood before a change (`None`: it is new) and where it
/// stands after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub kind: RecordKind,
    pub id: Uuid,
    pub from: Option<Location>,
    pub to: Location,
}

impl Placement {
    /// An existing record that changes place.
    pub fn moves(&self) -> bool {
        self.from.is_some_and(|from| from != self.to)
    }
}

/// What a change to one record touches besides that record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touches {
    /// Records it is written under, placed elsewhere than it: the actor
    /// must be able to write the change's kind where each stands.
    pub parents: Vec<(RecordKind, Uuid)>,
    /// Records whose place follows from it: where one moves, the actor
    /// must be able to write it at its old and its new place.
    pub followers: Vec<(RecordKind, Uuid)>,
    /// A member whose placement may change: the households currently
    /// paired with them follow (the holder looks them up).
    pub households_of: Option<MemberId>,
}

fn household(id: HouseholdId) -> (RecordKind, Uuid) {
    (RecordKind::Household, *id.as_uuid())
}

fn member(id: MemberId) -> (RecordKind, Uuid) {
    (RecordKind::Member, *id.as_uuid())
}

/// What a change of a `kind` record touches, from the record before the
/// change (`None` if new) and after it (valid: [`super::validate_record`]).
/// [`AnyRecord::touches`] for records parsed already.
pub fn touches(kind: RecordKind, before: Option<&Value>, after: &Value) -> Touches {
    match AnyRecord::read(kind, after) {
        Some(after) => after.touches(before.and_then(|b| AnyRecord::read(kind, b)).as_ref()),
        None => Touches::default(),
    }
}

impl AnyRecord {
    /// What changing a record into this one touches besides it, from the
    /// record before the change (`None` if new).
    pub fn touches(&self, before: Option<&AnyRecord>) -> Touches {
        let mut touches = Touches::default();
        match self {
            AnyRecord::Pairing(p) => {
                touches.parents.push(household(p.household));
                touches.followers.push(household(p.household));
                if let Some(AnyRecord::Pairing(old)) = before {
                    let old = household(old.household);
                    if !touches.followers.contains(&old) {
                        touches.followers.push(old);
                    }
                }
            }
            AnyRecord::Member(after) => {
                touches.households_of = match before {
                    Some(AnyRecord::Member(b)) if b.branch == after.branch => None,
                    _ => Some(after.id),
                };
            }
            AnyRecord::Visit(v) => touches.parents.push(household(v.household)),
            AnyRecord::SupportItem(s) => touches.parents.push(household(s.household)),
            AnyRecord::Dispute(d) => touches.parents.extend(d.household.map(household)),
            AnyRecord::Observation(o) => {
                touches
                    .parents
                    .push((RecordKind::SpotCheck, *o.check.as_uuid()));
            }
            // Sit with their session and are written under their member
            // too: nobody records another branch's members.
            AnyRecord::Attendance(a) => touches.parents.push(member(a.member)),
            AnyRecord::StudyDelivery(d) => touches.parents.push(member(d.member)),
            AnyRecord::Speech(s) => touches.parents.push(member(s.member)),
            _ => {}
        }
        touches
    }
}

/// The rule. `change` is the changed record's placement; `parents` where
/// the records it is written under stand; `followers` the placements of
/// the records that follow it (only those that move are checked).
pub fn authorize(
    actor: &Actor,
    change: &Placement,
    parents: &[Location],
    followers: &[Placement],
) -> Result<(), SyncError> {
    let refuse = |kind: RecordKind, location: Location| SyncError::Forbidden {
        kind: kind.as_str(),
        location,
    };
    for place in change.from.iter().chain([&change.to]) {
        if !actor.may_write(change.kind, place) {
            return Err(refuse(change.kind, *place));
        }
    }
    if let Some(place) = parents.iter().find(|p| !actor.may_write(change.kind, p)) {
        return Err(refuse(change.kind, *place));
    }
    for follower in followers.iter().filter(|f| f.moves()) {
        if !actor.may_move(follower.kind, follower.from.as_ref(), &follower.to) {
            let place = match follower.from {
                Some(from) if !actor.may_write(follower.kind, &from) => from,
                _ => follower.to,
            };
            return Err(refuse(follower.kind, place));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{BranchId, SystemId, UnitId, VillageId};
    use crate::scope::{Role, Scope};
    use serde_json::json;

    fn uuid(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn what_each_kind_touches() {
        let pairing = |household: u128| {
            json!({"id": uuid(1), "member": uuid(2), "household": uuid(household),
                   "since": "2005-02-20"})
        };
        let member = |branch: u128| {
            json!({"id": uuid(2), "name": "党员", "branch": uuid(branch),
                   "post_type": "other", "status": "in_post"})
        };
        let h = |n| (RecordKind::Household, uuid(n));
        let cases: Vec<(&str, RecordKind, Option<Value>, Value, Touches)> = vec![
            (
                "a new pairing: its household is parent and follower",
                RecordKind::Pairing,
                None,
                pairing(10),
                Touches {
                    parents: vec![h(10)],
                    followers: vec![h(10)],
                    households_of: None,
                },
            ),
            (
                "a pairing re-pointed: both households follow",
                RecordKind::Pairing,
                Some(pairing(10)),
                pairing(11),
                Touches {
                    parents: vec![h(11)],
                    followers: vec![h(11), h(10)],
                    households_of: None,
                },
            ),
            (
                "a member transferred: their households follow",
                RecordKind::Member,
                Some(member(7)),
                member(8),
                Touches {
                    households_of: Some(MemberId::from_u128(2)),
                    ..Touches::default()
                },
            ),
            (
                "a member renamed: nothing follows",
                RecordKind::Member,
                Some(member(7)),
                member(7),
                Touches::default(),
            ),
            (
                "a new member: households already paired with the id follow",
                RecordKind::Member,
                None,
                member(7),
                Touches {
                    households_of: Some(MemberId::from_u128(2)),
                    ..Touches::default()
                },
            ),
            (
                "a visit: under its household",
                RecordKind::Visit,
                None,
                json!({"id": uuid(3), "household": uuid(10), "member": uuid(2), "on": "2005-02-25"}),
                Touches {
                    parents: vec![h(10)],
                    ..Touches::default()
                },
            ),
            (
                "a dispute without a household: nothing",
                RecordKind::Dispute,
                None,
                json!({"id": uuid(4), "village": uuid(5), "member": uuid(2),
                       "resolved_on": "2005-03-01", "summary": "调解"}),
                Touches::default(),
            ),
            (
                "an observation: under its spot check",
                RecordKind::Observation,
                None,
                json!({"id": uuid(6), "check": uuid(9), "member": uuid(2),
                       "outcome": {"kind": "wearing"}}),
                Touches {
                    parents: vec![(RecordKind::SpotCheck, uuid(9))],
                    ..Touches::default()
                },
            ),
            (
                "attendance: under its member (its session is where it sits)",
                RecordKind::Attendance,
                None,
                json!({"id": uuid(30), "session": uuid(31), "member": uuid(2),
                       "status": "absent"}),
                Touches {
                    parents: vec![(RecordKind::Member, uuid(2))],
                    ..Touches::default()
                },
            ),
            (
                "a delivery: under its member",
                RecordKind::StudyDelivery,
                None,
                json!({"id": uuid(32), "session": uuid(31), "member": uuid(2),
                       "on": "2005-03-01", "method": "home_visit"}),
                Touches {
                    parents: vec![(RecordKind::Member, uuid(2))],
                    ..Touches::default()
                },
            ),
            (
                "a speech: under its member",
                RecordKind::Speech,
                None,
                json!({"id": uuid(33), "session": uuid(31), "member": uuid(2)}),
                Touches {
                    parents: vec![(RecordKind::Member, uuid(2))],
                    ..Touches::default()
                },
            ),
            (
                "a unit: nothing",
                RecordKind::Unit,
                None,
                json!({"id": uuid(5), "system": uuid(1), "name": "局"}),
                Touches::default(),
            ),
        ];
        for (name, kind, before, after, want) in cases {
            assert_eq!(touches(kind, before.as_ref(), &after), want, "{name}");
        }
    }

    #[test]
    fn authorization_table() {
        let (s, u) = (SystemId::from_u128(1), UnitId::from_u128(2));
        let (b0, b1) = (BranchId::from_u128(3), BranchId::from_u128(4));
        let (v0, v1) = (VillageId::from_u128(5), VillageId::from_u128(6));
        let at = |branch: Option<BranchId>, village: Option<VillageId>| Location {
            system: Some(s),
            unit: Some(u),
            branch,
            village,
        };
        let unpaired = |village| Location {
            village: Some(village),
            ..Location::default()
        };
        let place = |kind, from, to| Placement {
            kind,
            id: *HouseholdId::from_u128(9).as_uuid(),
            from,
            to,
        };
        let branch_cadre = Actor::new(Role::Cadre, Scope::Branch(b0));
        let village_cadre = Actor::new(Role::Cadre, Scope::Village(v0));
        let office = Actor::new(Role::Office, Scope::City);
        let (p, h) = (RecordKind::Pairing, RecordKind::Household);
        let mine = at(Some(b0), Some(v0));
        let theirs = at(Some(b1), Some(v1));
        // (who, change, parents, followers, allowed)
        let cases = [
            // Issue 12: a pairing of my member with another branch's household.
            (
                "pairing grabs a household",
                branch_cadre,
                place(p, None, at(Some(b0), Some(v1))),
                vec![theirs],
                vec![place(h, Some(theirs), at(Some(b0), Some(v1)))],
                false,
            ),
            (
                "the same, refused by the follower check alone",
                branch_cadre,
                place(p, None, at(Some(b0), Some(v1))),
                vec![],
                vec![place(h, Some(theirs), at(Some(b0), Some(v1)))],
                false,
            ),
            (
                "pairing an unpaired household of any village",
                branch_cadre,
                place(p, None, at(Some(b0), Some(v1))),
                vec![unpaired(v1)],
                vec![place(h, Some(unpaired(v1)), at(Some(b0), Some(v1)))],
                false,
            ),
            (
                "the village's cadre pairs it with a member",
                village_cadre,
                place(p, None, mine),
                vec![unpaired(v0)],
                vec![place(h, Some(unpaired(v0)), mine)],
                true,
            ),
            (
                "hand over within my branch: the household stays",
                branch_cadre,
                place(p, None, mine),
                vec![mine],
                vec![place(h, Some(mine), mine)],
                true,
            ),
            (
                "a visit under my household",
                branch_cadre,
                place(RecordKind::Visit, None, mine),
                vec![mine],
                vec![],
                true,
            ),
            (
                "a visit by my member under another branch's household",
                branch_cadre,
                place(RecordKind::Visit, None, at(Some(b0), Some(v1))),
                vec![theirs],
                vec![],
                false,
            ),
            (
                "a member moved out of my branch",
                branch_cadre,
                place(
                    RecordKind::Member,
                    Some(at(Some(b0), None)),
                    at(Some(b1), None),
                ),
                vec![],
                vec![],
                false,
            ),
            (
                "a member moved into my branch",
                branch_cadre,
                place(
                    RecordKind::Member,
                    Some(at(Some(b1), None)),
                    at(Some(b0), None),
                ),
                vec![],
                vec![],
                false,
            ),
            (
                "attendance of my member at my session",
                branch_cadre,
                place(RecordKind::Attendance, None, at(Some(b0), None)),
                vec![at(Some(b0), None)],
                vec![],
                true,
            ),
            (
                "attendance of another branch's member at my session",
                branch_cadre,
                place(RecordKind::Attendance, None, at(Some(b0), None)),
                vec![at(Some(b1), None)],
                vec![],
                false,
            ),
            (
                "attendance of my member at another branch's session",
                branch_cadre,
                place(RecordKind::Attendance, None, at(Some(b1), None)),
                vec![at(Some(b0), None)],
                vec![],
                false,
            ),
            (
                "the office moves anything anywhere",
                office,
                place(p, Some(mine), theirs),
                vec![theirs],
                vec![place(h, Some(mine), theirs)],
                true,
            ),
        ];
        for (name, actor, change, parents, followers, allowed) in cases {
            let got = authorize(&actor, &change, &parents, &followers);
            assert_eq!(got.is_ok(), allowed, "{name}: {got:?}");
            if let Err(e) = got {
                assert_eq!(e.code(), "forbidden");
            }
        }
    }
}
