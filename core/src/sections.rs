//! The app's sections, and what each role does in each: records its work
//! there, or only reads. Decided from the permission table
//! ([`Role::may_write`](crate::scope::Role::may_write)), never from a
//! second table, so the tab bar, a section's home and the server's push
//! always agree.
//!
//! Why: the same five tabs for everyone put a village cadre a few taps
//! into screens they cannot act in (issue 16). A role's tab bar now lists
//! first the sections it records in (most of its kinds first), then those
//! it only reads, which say so on their home.

use crate::directory::Directory;
use crate::order;
use crate::schema::RecordKind;
use crate::scope::Actor;

/// A section of the app (a tab).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// 巡察: badge spot checks, quota, rankings, the roster.
    SpotChecks,
    /// 示范岗: demonstration posts, their checks and reviews.
    Posts,
    /// 结对帮扶: households, pairings, visits, support, reports.
    Pairing,
    /// 学习: sessions, attendance, 三个完成, the 转段评估.
    Study,
}

/// What a role does in a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SectionUse {
    /// It records some of the section's kinds within its scope.
    Records,
    /// It may only read there.
    ReadsOnly,
}

impl Section {
    /// Every section, in the office's order (the one that records all).
    pub const ALL: [Section; 4] = [
        Section::SpotChecks,
        Section::Posts,
        Section::Pairing,
        Section::Study,
    ];

    /// The kinds a user records in this section.
    pub fn kinds(self) -> &'static [RecordKind] {
        match self {
            Section::SpotChecks => &[RecordKind::SpotCheck, RecordKind::Observation],
            Section::Posts => &[
                RecordKind::Post,
                RecordKind::PostCheck,
                RecordKind::Commitment,
                RecordKind::PublicReview,
            ],
            Section::Pairing => &[
                RecordKind::Household,
                RecordKind::Pairing,
                RecordKind::Visit,
                RecordKind::SupportItem,
                RecordKind::Dispute,
                RecordKind::SituationReport,
                RecordKind::ReportReview,
            ],
            Section::Study => &[
                RecordKind::StudySession,
                RecordKind::Attendance,
                RecordKind::StudyDelivery,
                RecordKind::StudyCheck,
                RecordKind::Suggestion,
                RecordKind::Speech,
                RecordKind::TransitionReview,
                RecordKind::TransitionSignOff,
                RecordKind::TransitionDecision,
            ],
        }
    }

    /// How many of this section's kinds `actor` records within its scope
    /// (asked at the scope's own corner, as a section's buttons are).
    fn writable_kinds(self, actor: &Actor, directory: &Directory) -> usize {
        let corner = directory.scope_location(&actor.scope);
        self.kinds()
            .iter()
            .filter(|kind| actor.may_write(**kind, &corner))
            .count()
    }

    /// What `actor` does here.
    pub fn use_by(self, actor: &Actor, directory: &Directory) -> SectionUse {
        if self.writable_kinds(actor, directory) > 0 {
            SectionUse::Records
        } else {
            SectionUse::ReadsOnly
        }
    }

    /// `actor`'s sections in its own order: those it records in first,
    /// led by the one where it does the largest share of the work (the
    /// share of the section's kinds it records; ties keep
    /// [`Section::ALL`]'s order), then those it only reads.
    pub fn for_actor(actor: &Actor, directory: &Directory) -> Vec<(Section, SectionUse)> {
        let mut sections: Vec<(Section, usize)> = Section::ALL
            .iter()
            .map(|s| (*s, s.writable_kinds(actor, directory)))
            .collect();
        // n₁/len₁ > n₂/len₂, without fractions; the sort is stable.
        order::sort_by(&mut sections, |(a, n), (b, m)| {
            (m * a.kinds().len()).cmp(&(n * b.kinds().len()))
        });
        sections
            .into_iter()
            .map(|(s, n)| {
                let used = if n > 0 {
                    SectionUse::Records
                } else {
                    SectionUse::ReadsOnly
                };
                (s, used)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{BranchId, SystemId, UnitId, VillageId};
    use crate::scope::{Role, Scope};
    use Section::*;
    use SectionUse::*;

    #[test]
    fn each_role_gets_its_own_order() {
        let dir = Directory::default();
        let cases = [
            (
                "office: everything, in the office's order",
                Actor::new(Role::Office, Scope::City),
                vec![
                    (SpotChecks, Records),
                    (Posts, Records),
                    (Pairing, Records),
                    (Study, Records),
                ],
            ),
            (
                "inspector: spot checks first, then post checks, 转段评估 and report reviews",
                Actor::new(Role::Inspector, Scope::System(SystemId::from_u128(1))),
                vec![
                    (SpotChecks, Records),
                    (Posts, Records),
                    (Study, Records),
                    (Pairing, Records),
                ],
            ),
            (
                "branch cadre: pairing, then posts, then study; spot checks read only",
                Actor::new(Role::Cadre, Scope::Branch(BranchId::from_u128(2))),
                vec![
                    (Pairing, Records),
                    (Posts, Records),
                    (Study, Records),
                    (SpotChecks, ReadsOnly),
                ],
            ),
            (
                "village cadre: pairing first; spot checks and study read only",
                Actor::new(Role::Cadre, Scope::Village(VillageId::from_u128(3))),
                vec![
                    (Pairing, Records),
                    (Posts, Records),
                    (SpotChecks, ReadsOnly),
                    (Study, ReadsOnly),
                ],
            ),
            (
                "unit cadre: records nothing, reads everything",
                Actor::new(Role::Cadre, Scope::Unit(UnitId::from_u128(4))),
                vec![
                    (SpotChecks, ReadsOnly),
                    (Posts, ReadsOnly),
                    (Pairing, ReadsOnly),
                    (Study, ReadsOnly),
                ],
            ),
        ];
        for (name, actor, want) in cases {
            assert_eq!(Section::for_actor(&actor, &dir), want, "{name}");
            for (section, used) in want {
                assert_eq!(section.use_by(&actor, &dir), used, "{name}: {section:?}");
            }
        }
    }
}
