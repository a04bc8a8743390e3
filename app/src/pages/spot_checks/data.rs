//! What the 巡察 screens read from the phone's storage, as core's types:
//! the org records ([`Org`], with core's `Directory`) and the spot-check
//! facts ([`Facts`]); and who this phone checks as ([`my_inspector`]).
//!
//! Why one module: every screen of the section needs the same records
//! parsed the same way; records that do not parse (e.g. a record whose
//! fields are still arriving) are left out, never guessed at.

use std::sync::Arc;

use xianfeng_core::ids::{BranchId, CheckId, InspectorId, MemberId, SystemId, UnitId};
use xianfeng_core::order;
use xianfeng_core::org::{
    Branch, InspectionGroup, Inspector, Member, MemberStatus, PostType, System, Unit,
};
use xianfeng_core::spotcheck::{CheckSummary, MemberLadder, Place, SpotCheck, SpotCheckReport};
use xianfeng_core::{Actor, Directory, Lang, Record};

use crate::kit::{FormError, OrForm, Write};
use crate::storage::{self, Identity, StorageError};
use crate::store::{self, Store};

/// The `meta` key under which this phone keeps "我是…" (an inspector id).
pub const ME_KEY: &str = "spot_inspector";

/// The organisation as this phone knows it (shared snapshots of the
/// store's tables: loading it copies nothing large).
#[derive(Clone, Debug, Default)]
pub struct Org {
    pub systems: Vec<System>,
    pub units: Vec<Unit>,
    pub branches: Arc<Vec<Branch>>,
    pub members: Arc<Vec<Member>>,
    pub groups: Arc<Vec<InspectionGroup>>,
    pub inspectors: Arc<Vec<Inspector>>,
    pub directory: Arc<Directory>,
}

impl Org {
    pub async fn load() -> Result<Org, StorageError> {
        store::ready().await?;
        Ok(store::with(Org::of))
    }

    /// The org records of `store`, systems and units by name.
    pub fn of(store: &Store) -> Org {
        let t = &store.tables;
        let mut org = Org {
            systems: t.systems.all().to_vec(),
            units: t.units.all().to_vec(),
            branches: t.branches.all(),
            members: t.members.all(),
            groups: t.groups.all(),
            inspectors: t.inspectors.all(),
            directory: store.directory(),
        };
        order::sort_by(&mut org.units, |a, b| {
            a.name.cmp(&b.name).then(a.id.cmp(&b.id))
        });
        order::sort_by(&mut org.systems, |a, b| {
            a.name.cmp(&b.name).then(a.id.cmp(&b.id))
        });
        org
    }

    pub fn unit(&self, id: UnitId) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }

    pub fn unit_name(&self, id: UnitId) -> String {
        self.unit(id)
            .map_or_else(|| short(&id.to_string()), |u| u.name.clone())
    }

    pub fn system_name(&self, id: SystemId) -> String {
        self.systems
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| short(&id.to_string()), |s| s.name.clone())
    }

    pub fn member(&self, id: MemberId) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    pub fn member_name(&self, id: MemberId) -> String {
        self.member(id)
            .map_or_else(|| short(&id.to_string()), |m| m.name.clone())
    }

    pub fn branch_name(&self, member: &Member) -> &str {
        self.branches
            .iter()
            .find(|b| b.id == member.branch)
            .map_or("", |b| b.name.as_str())
    }

    /// A unit's members in roster order (branch, then as recorded).
    pub fn members_of(&self, unit: UnitId) -> Vec<&Member> {
        let mut list: Vec<&Member> = self
            .members
            .iter()
            .filter(|m| self.directory.member_unit(m.id) == Some(unit))
            .collect();
        order::sort_by(&mut list, |a, b| {
            self.branch_name(a)
                .cmp(self.branch_name(b))
                .then(a.id.cmp(&b.id))
        });
        list
    }

    pub fn branches_of(&self, unit: UnitId) -> Vec<&Branch> {
        self.branches.iter().filter(|b| b.unit == unit).collect()
    }

    /// The place's name as shown.
    pub fn place_name(&self, place: &Place) -> String {
        match place {
            Place::Unit { unit } => self.unit_name(*unit),
            Place::Public { description } => description.clone(),
        }
    }
}

/// A short stand-in for a record the phone does not have (yet).
fn short(id: &str) -> String {
    id.chars().take(8).collect()
}

/// The spot checks on the phone; their observations stay in the store,
/// where core's live views keep the ladder, tallies and summaries current.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub checks: Arc<Vec<SpotCheck>>,
}

impl Facts {
    pub async fn load() -> Result<Facts, StorageError> {
        store::ready().await?;
        Ok(store::with(|s| Facts {
            checks: s.tables.spot_checks.all(),
        }))
    }

    pub fn check(&self, id: &str) -> Option<&SpotCheck> {
        let id = uuid::Uuid::parse_str(id).ok()?;
        self.checks.iter().find(|c| *c.id.as_uuid() == id)
    }

    /// What check `id` found, with the ladder steps of its misses.
    pub fn summary(&self, id: CheckId) -> Option<CheckSummary> {
        store::with(|s| s.live()?.check_summary(id))
    }

    /// Ladder, tallies and rankings over every check on the phone.
    pub fn report(&self) -> Arc<SpotCheckReport> {
        store::with(Store::report)
    }

    /// A member's ladder as it stands (their misses in order).
    pub fn member_ladder(&self, member: MemberId) -> Option<MemberLadder> {
        store::with(|s| s.live()?.ladder().member(member).cloned())
    }
}

/// This phone as a core actor.
pub fn actor(identity: &Identity) -> Actor {
    Actor::new(identity.role, identity.scope)
}

/// Who this phone checks as, if settled.
///
/// An inspector's phone may not write `Inspector` records (core's
/// `scope.rs`): the office creates them, and the phone picks one once
/// (我是…, kept under [`ME_KEY`]); when exactly one record it can see bears
/// the enrolled person's name, that one is taken without asking. An office
/// phone may write them, so at its first check it creates its own (no
/// group: the office's 明查暗访 samples) when none bears its name.
pub async fn my_inspector(org: &Org, identity: &Identity) -> Option<Inspector> {
    inspector_for(&org.inspectors, chosen_inspector().await, &identity.name).cloned()
}

/// Among `inspectors`: the one chosen (我是…), else the only one named
/// `name` (the enrolled person's).
pub fn inspector_for<'a>(
    inspectors: &'a [Inspector],
    chosen: Option<InspectorId>,
    name: &str,
) -> Option<&'a Inspector> {
    if let Some(found) = chosen.and_then(|id| inspectors.iter().find(|i| i.id == id)) {
        return Some(found);
    }
    let mut named = inspectors.iter().filter(|i| i.name == name);
    match (named.next(), named.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// "我是…" as this phone keeps it (the inspector it records as), if chosen:
/// the 学习 section's 转段评估 names the same person.
pub async fn chosen_inspector() -> Option<InspectorId> {
    match CHOSEN.get() {
        Some(known) => known,
        None => read_chosen().await,
    }
}

/// Reads "我是…" into [`CHOSEN`] (unless a choice was made meanwhile).
async fn read_chosen() -> Option<InspectorId> {
    let db = storage::shared().await.ok()?;
    let read: Option<InspectorId> = db.get_meta(ME_KEY).await.ok().flatten();
    match CHOSEN.get() {
        Some(chosen) => chosen,
        None => {
            CHOSEN.set(Some(read));
            read
        }
    }
}

/// Reads "我是…" at start-up, so that the first 巡察 screen finds it in
/// memory: a screen that waits for IndexedDB shows its loading line for a
/// frame first (~10 ms at city scale).
pub fn preload() {
    if CHOSEN.get().is_none() {
        leptos::task::spawn_local(async {
            read_chosen().await;
        });
    }
}

thread_local! {
    /// "我是…" as stored, once read (every 巡察 screen asks; a read of
    /// IndexedDB each time would delay each screen).
    static CHOSEN: std::cell::Cell<Option<Option<InspectorId>>> = const { std::cell::Cell::new(None) };
}

/// Keeps "我是…".
pub async fn choose_inspector(id: InspectorId) -> Result<(), StorageError> {
    storage::shared().await?.put_meta(ME_KEY, &id).await?;
    CHOSEN.set(Some(Some(id)));
    Ok(())
}

/// A member as the roster's add form would write it in `branch` (a probe
/// for [`may_save`]).
pub fn new_member(branch: BranchId) -> Member {
    Member {
        id: MemberId::from_u128(0),
        name: "x".into(),
        branch,
        post_type: PostType::Other,
        status: MemberStatus::InPost,
    }
}

/// Whether this phone may write `record` where core places it, with the
/// org as `directory` has it (the kit's one check).
pub fn may_save<T: Record>(identity: &Identity, directory: &Directory, record: &T) -> bool {
    crate::kit::may_write_with(Some(actor(identity)), record, directory)
}

/// Saves a new mutable record (all its fields, one transaction) after
/// asking core whether this phone may write it there; refusals in `lang`.
pub async fn save<T: Record>(
    identity: &Identity,
    directory: &Directory,
    id: uuid::Uuid,
    record: &T,
    lang: Lang,
) -> Result<(), FormError> {
    record.validate().or_form(lang)?;
    Write::org_record(Some(actor(identity)), id, record, directory, lang)?
        .commit()
        .await
        .map_err(|e| FormError::storage(&e, lang))
}
