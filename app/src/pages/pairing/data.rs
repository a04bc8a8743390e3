//! What the 结对帮扶 screens read: every record of the section this phone
//! holds, parsed into core's types, with the org records (and core's
//! `Directory`) and the phone's identity; plus the write check.
//!
//! Why one module: every screen needs the same records parsed the same
//! way, and every write must first pass core's placement (`locate`) and
//! permission (`Actor::may_write`) rules, exactly as the server will apply
//! them, so a change the server would refuse is never queued. Records that
//! do not parse (a mutable record whose fields are still arriving) are
//! left out, never guessed at.

use std::collections::HashSet;
use std::sync::Arc;

use uuid::Uuid;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{HouseholdId, MemberId, PairingId, ReportId, VillageId};
use xianfeng_core::order;
use xianfeng_core::org::{Branch, InspectionGroup, Inspector, Member, System, Unit, Village};
use xianfeng_core::pairing::{
    may_see_households, recipient_for, Dispute, Household, HouseholdAttribute, Pairing,
    PairingFacts, Partner, PovertyCause, Recipient, ReportReview, SituationReport, SupportItem,
    Visit,
};
use xianfeng_core::{Actor, Directory, Lang, Location, Record, RecordKind, Scope};

use crate::i18n::{fill, PairMsg, Text};
use crate::kit::Reload;
use crate::storage::{Identity, StorageError};

/// Everything the section shows, as this phone knows it.
#[derive(Debug, Default)]
pub struct Data {
    pub identity: Option<Identity>,
    pub households: Vec<Household>,
    pub pairings: Arc<Vec<Pairing>>,
    pub visits: Arc<Vec<Visit>>,
    pub support: Arc<Vec<SupportItem>>,
    pub disputes: Arc<Vec<Dispute>>,
    pub reports: Vec<SituationReport>,
    pub reviews: Arc<Vec<ReportReview>>,
    pub systems: Arc<Vec<System>>,
    pub units: Arc<Vec<Unit>>,
    pub branches: Arc<Vec<Branch>>,
    pub members: Vec<Member>,
    pub villages: Vec<Village>,
    pub groups: Arc<Vec<InspectionGroup>>,
    pub inspectors: Arc<Vec<Inspector>>,
    pub directory: Arc<Directory>,
    /// Records with something not yet on the server.
    pub unsent: Arc<HashSet<Uuid>>,
    /// Each household's member by its current pairing (core's
    /// `current_pairings`, once per load: lists place every household).
    pub paired: Arc<crate::store::Paired>,
    /// Name and unit of the paired members this phone holds no record of
    /// (core's partner rule: a village cadre's households).
    pub partners: Arc<Vec<Partner>>,
}

/// The kinds the section shows beyond the org: its screens reload when
/// one of them or the org changes (`store::stamp`).
pub const KINDS: [RecordKind; 8] = [
    RecordKind::Village,
    RecordKind::Household,
    RecordKind::Pairing,
    RecordKind::Visit,
    RecordKind::SupportItem,
    RecordKind::Dispute,
    RecordKind::SituationReport,
    RecordKind::ReportReview,
];

/// The loaded data, shared by the screen's closures.
pub type Shared = Arc<Data>;

impl Data {
    /// The section's records from the store (shared snapshots; the lists
    /// shown in an order of their own are sorted copies).
    pub async fn load(identity: Option<Identity>) -> Result<Data, StorageError> {
        crate::store::ready().await?;
        Ok(crate::store::with(|s| Data::of(s, identity)))
    }

    fn of(s: &crate::store::Store, identity: Option<Identity>) -> Data {
        let t = &s.tables;
        let mut d = Data {
            identity,
            households: t.households.all().to_vec(),
            pairings: t.pairings.all(),
            visits: t.visits.all(),
            support: t.support.all(),
            disputes: t.disputes.all(),
            reports: t.reports.all().to_vec(),
            reviews: t.report_reviews.all(),
            systems: t.systems.all(),
            units: t.units.all(),
            branches: t.branches.all(),
            members: t.members.all().to_vec(),
            villages: t.villages.all().to_vec(),
            groups: t.groups.all(),
            inspectors: t.inspectors.all(),
            directory: s.directory(),
            unsent: s.unsent_ids(),
            paired: s.paired(),
            partners: s.partners(),
        };
        order(&mut d.members, |m| m.name.clone());
        order(&mut d.villages, |v| v.name.clone());
        order(&mut d.households, |h| h.head.clone());
        // Newest first: ISO dates and UUIDv7 ids sort as text.
        order(&mut d.reports, |r| {
            let mut key = r.submitted_on.to_string();
            key.push_str(&r.id.to_string());
            key
        });
        d.reports.reverse();
        d
    }

    /// The member a household is paired with now.
    pub fn paired_member(&self, household: HouseholdId) -> Option<MemberId> {
        self.paired.get(&household).copied()
    }

    /// Who this phone acts as, once enrolled.
    pub fn actor(&self) -> Option<Actor> {
        self.identity.as_ref().map(|i| Actor::new(i.role, i.scope))
    }

    /// Whether the household screens are for this phone at all.
    pub fn sees_households(&self) -> bool {
        self.actor().is_some_and(|a| may_see_households(&a))
    }

    pub fn facts(&self) -> PairingFacts<'_> {
        PairingFacts {
            households: &self.households,
            pairings: &self.pairings,
            visits: &self.visits,
            support: &self.support,
            disputes: &self.disputes,
        }
    }

    pub fn household(&self, id: HouseholdId) -> Option<&Household> {
        self.households.iter().find(|h| h.id == id)
    }

    pub fn report(&self, id: Uuid) -> Option<&SituationReport> {
        self.reports.iter().find(|r| *r.id.as_uuid() == id)
    }

    pub fn member_name(&self, id: MemberId) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.as_str())
    }

    /// A paired member's name and unit name, as the server sent them to a
    /// phone that holds no record of the member.
    pub fn partner_label(&self, id: MemberId) -> Option<String> {
        let partner = self.partners.iter().find(|p| p.member == id)?;
        let unit = partner
            .unit
            .and_then(|u| self.units.iter().find(|x| x.id == u))
            .map(|u| u.name.as_str());
        Some(match unit {
            Some(unit) => format!("{} · {unit}", partner.name),
            None => partner.name.clone(),
        })
    }

    pub fn village_name(&self, id: VillageId) -> Option<&str> {
        self.villages
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.name.as_str())
    }

    /// The name of a scope's place, when this phone has its record.
    pub fn scope_name(&self, scope: &Scope) -> Option<&str> {
        match *scope {
            Scope::City => None,
            Scope::System(id) => self
                .systems
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.as_str()),
            Scope::Unit(id) => self
                .units
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.name.as_str()),
            Scope::Branch(id) => self
                .branches
                .iter()
                .find(|b| b.id == id)
                .map(|b| b.name.as_str()),
            Scope::Village(id) => self.village_name(id),
        }
    }

    /// Where a household's card sits now (its village plus its paired
    /// member's placement), as the server places it.
    pub fn household_location(&self, household: &Household) -> Location {
        household.location(&self.directory, self.paired_member(household.id))
    }

    /// May this phone read a household's card (scope rule)?
    pub fn may_read_household(&self, household: &Household) -> bool {
        self.actor()
            .is_some_and(|a| a.may_read(RecordKind::Household, &self.household_location(household)))
    }

    /// The villages this phone may register a new card in.
    pub fn villages_for_new_card(&self) -> Vec<&Village> {
        self.villages
            .iter()
            .filter(|v| {
                Household::new(
                    HouseholdId::from_u128(0),
                    "-",
                    v.id,
                    1,
                    HouseholdAttribute::General,
                    vec![PovertyCause::Other],
                    None,
                )
                .is_ok_and(|probe| self.may_write(&probe))
            })
            .collect()
    }

    /// The members this phone may name on `household`'s records
    /// (`may_name`: core lets it write the record naming them), plus the paired members it holds no record of
    /// (a village cadre's phone knows them only by id): (id, label).
    pub fn members_for(
        &self,
        household: HouseholdId,
        may_name: &dyn Fn(MemberId) -> bool,
        unnamed: &str,
    ) -> Vec<(MemberId, String)> {
        let mut out: Vec<(MemberId, String)> = Vec::new();
        let paired = self
            .pairings
            .iter()
            .filter(|p| p.household == household && p.until.is_none())
            .map(|p| p.member);
        // The paired member first: the usual choice.
        let ids: Vec<MemberId> = paired.chain(self.members.iter().map(|m| m.id)).collect();
        for id in ids {
            if out.iter().any(|(m, _)| *m == id) {
                continue;
            }
            if may_name(id) {
                let label = self.member_name(id).unwrap_or(unnamed).to_string();
                out.push((id, label));
            }
        }
        out
    }

    /// Whether this phone may pair `household` with `member` from `on`.
    pub fn may_pair(&self, household: HouseholdId, member: MemberId, on: time::Date) -> bool {
        Pairing::new(PairingId::from_u128(0), member, household, on, None)
            .is_ok_and(|p| self.may_write(&p))
    }

    /// Who a report goes to, in words: `市教育局党组织` / `第一督导组`.
    pub fn recipient_name(&self, to: &Recipient, lang: Lang) -> String {
        match *to {
            Recipient::UnitOrganisation { unit } => {
                let name = self
                    .units
                    .iter()
                    .find(|u| u.id == unit)
                    .map_or("", |u| u.name.as_str());
                fill(PairMsg::UnitOrganisation.text(lang), &[("unit", &name)])
            }
            Recipient::SupervisionGroup { group } => self
                .groups
                .iter()
                .find(|g| g.id == group)
                .map_or_else(String::new, |g| g.name.clone()),
        }
    }

    /// The members this phone may submit a situation report for (known
    /// by name, placed in a unit, and within the scope rule): (id, name).
    pub fn report_writers(&self) -> Vec<(MemberId, String)> {
        let Ok(on) = parse_date("submitted_on", &super::form::today()) else {
            return Vec::new();
        };
        self.members
            .iter()
            .filter(|m| {
                recipient_for(m.id, false, &self.directory, &self.groups)
                    .and_then(|to| {
                        SituationReport::new(ReportId::from_u128(0), m.id, to, on, "-").ok()
                    })
                    .is_some_and(|probe| self.may_write(&probe))
            })
            .map(|m| (m.id, m.name.clone()))
            .collect()
    }

    /// Would the server accept this phone writing `record`? (The kit's
    /// one check: core's placement and permission rules.)
    pub fn may_write<T: Record>(&self, record: &T) -> bool {
        crate::kit::may_write(self.actor(), record)
    }
}

/// Sorts `items` by a text key (stable). One sort of `(String, usize)`
/// serves every list: each sort instantiated per type costs bundle bytes.
pub fn order<T>(items: &mut Vec<T>, key: impl Fn(&T) -> String) {
    let mut keys: Vec<(String, usize)> = items.iter().map(&key).zip(0..).collect();
    order::sort(&mut keys);
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(keys.into_iter().filter_map(|(_, i)| slots[i].take()));
}

/// The section's data (the kit's one loader). `live`: it reloads after
/// every write and pulled page of the section's kinds and a change of
/// identity (lists and cards); otherwise it loads once (forms: a sync
/// while typing must not redraw the form under the user's thumb).
pub fn resource(live: bool) -> crate::kit::Records<Shared> {
    let reload = if live { Reload::Live } else { Reload::Once };
    crate::kit::use_records(&KINDS, reload, |identity| async move {
        Data::load(identity).await.map(Arc::new)
    })
}
