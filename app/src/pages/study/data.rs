//! What the 学习 screens read: the study records this phone holds, as
//! core's types, with the org and core's [`StudyIndex`] (every member's
//! hours, misses, 三个完成…, computed once by the store and shared).
//!
//! Why one loader: every screen shows numbers of the same index, so they
//! agree with each other and with the office's; nothing here computes a
//! rule — figures, stages and owes are core's.

use std::collections::HashSet;
use std::sync::Arc;

use uuid::Uuid;
use xianfeng_core::ids::{BranchId, InspectorId, MemberId, StudySessionId, SystemId, UnitId};
use xianfeng_core::order;
use xianfeng_core::org::{Branch, Inspector, Member, Unit};
use xianfeng_core::study::{
    transition_statuses, StudyIndex, StudySession, StudySettings, TransitionChecklist,
    TransitionDecision, TransitionReview, TransitionSignOff, TransitionStatus,
};
use xianfeng_core::{Actor, Directory, RecordKind, Scope};

use crate::storage::{Identity, StorageError};
use crate::store;

/// The kinds the section shows beyond the org (core's study kinds): its
/// screens reload when one of them or the org changes.
pub const KINDS: [RecordKind; 11] = RecordKind::STUDY;

/// Everything the section shows, as this phone knows it (shared
/// snapshots of the store's tables: loading copies nothing large).
pub struct StudyData {
    pub identity: Option<Identity>,
    pub directory: Arc<Directory>,
    pub units: Arc<Vec<Unit>>,
    pub branches: Arc<Vec<Branch>>,
    pub members: Arc<Vec<Member>>,
    pub inspectors: Arc<Vec<Inspector>>,
    pub sessions: Arc<Vec<StudySession>>,
    pub settings: Arc<Vec<StudySettings>>,
    pub checklists: Arc<Vec<TransitionChecklist>>,
    pub reviews: Arc<Vec<TransitionReview>>,
    pub sign_offs: Arc<Vec<TransitionSignOff>>,
    pub decisions: Arc<Vec<TransitionDecision>>,
    pub index: Arc<StudyIndex>,
    pub unsent: Arc<HashSet<Uuid>>,
    /// "我是…" (the inspector this phone records as), if chosen.
    pub me: Option<InspectorId>,
}

pub type Shared = Arc<StudyData>;

impl StudyData {
    pub async fn load(identity: Option<Identity>) -> Result<StudyData, StorageError> {
        store::ready().await?;
        let me = crate::pages::spot_checks::chosen_inspector().await;
        Ok(store::with(|s| {
            let t = &s.tables;
            StudyData {
                identity,
                directory: s.directory(),
                units: t.units.all(),
                branches: t.branches.all(),
                members: t.members.all(),
                inspectors: t.inspectors.all(),
                sessions: t.study_sessions.all(),
                settings: t.study_settings.all(),
                checklists: t.checklists.all(),
                reviews: t.transition_reviews.all(),
                sign_offs: t.sign_offs.all(),
                decisions: t.decisions.all(),
                index: s.study(),
                unsent: s.unsent_ids(),
                me,
            }
        }))
    }

    pub fn actor(&self) -> Option<Actor> {
        self.identity.as_ref().map(|i| Actor::new(i.role, i.scope))
    }

    /// The phone's scope (the city before enrollment: nothing is stored then).
    pub fn scope(&self) -> Scope {
        self.identity.as_ref().map_or(Scope::City, |i| i.scope)
    }

    /// The settings in force.
    pub fn settings(&self) -> &StudySettings {
        StudySettings::newest(&self.settings)
    }

    /// The checklist in force.
    pub fn checklist(&self) -> &TransitionChecklist {
        TransitionChecklist::newest(&self.checklists)
    }

    pub fn member(&self, id: MemberId) -> Option<Member> {
        store::with(|s| s.tables.members.get(id.as_uuid()).cloned())
    }

    pub fn member_name(&self, id: MemberId) -> String {
        store::with(|s| s.tables.members.get(id.as_uuid()).map(|m| m.name.clone()))
            .unwrap_or_else(|| short(id.as_uuid()))
    }

    pub fn unit_name(&self, id: UnitId) -> String {
        store::with(|s| s.tables.units.get(id.as_uuid()).map(|u| u.name.clone()))
            .unwrap_or_else(|| short(id.as_uuid()))
    }

    pub fn system_name(&self, id: SystemId) -> String {
        store::with(|s| s.tables.systems.get(id.as_uuid()).map(|x| x.name.clone()))
            .unwrap_or_else(|| short(id.as_uuid()))
    }

    pub fn branch_name(&self, id: BranchId) -> String {
        store::with(|s| s.tables.branches.get(id.as_uuid()).map(|b| b.name.clone()))
            .unwrap_or_else(|| short(id.as_uuid()))
    }

    pub fn inspector_name(&self, id: InspectorId) -> String {
        store::with(|s| {
            s.tables
                .inspectors
                .get(id.as_uuid())
                .map(|i| i.name.clone())
        })
        .unwrap_or_else(|| short(id.as_uuid()))
    }

    pub fn session(&self, id: StudySessionId) -> Option<&StudySession> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// Sessions held in `scope`, newest first.
    pub fn sessions_in(&self, scope: &Scope) -> Vec<&StudySession> {
        let mut list: Vec<&StudySession> = self
            .sessions
            .iter()
            .filter(|s| scope.covers(&self.directory.branch_location(s.branch)))
            .collect();
        order::sort_by_key(&mut list, |s| std::cmp::Reverse((s.on, s.id)));
        list
    }

    /// The members of `branch`, by name.
    pub fn members_of(&self, branch: BranchId) -> Vec<&Member> {
        let mut list: Vec<&Member> = self.members.iter().filter(|m| m.branch == branch).collect();
        order::sort_by(&mut list, |a, b| a.name.cmp(&b.name));
        list
    }

    /// The units in `scope`, by name.
    pub fn units_in(&self, scope: &Scope) -> Vec<&Unit> {
        let mut list: Vec<&Unit> = self
            .units
            .iter()
            .filter(|u| scope.covers(&self.directory.unit_location(u.id)))
            .collect();
        order::sort_by(&mut list, |a, b| a.name.cmp(&b.name));
        list
    }

    /// The branches `actor` may hold a session in, by name.
    pub fn branches_for_sessions(&self) -> Vec<&Branch> {
        let actor = self.actor();
        let mut list: Vec<&Branch> = self
            .branches
            .iter()
            .filter(|b| {
                actor.is_some_and(|a| {
                    a.may_write(
                        RecordKind::StudySession,
                        &self.directory.branch_location(b.id),
                    )
                })
            })
            .collect();
        order::sort_by(&mut list, |a, b| a.name.cmp(&b.name));
        list
    }

    /// Each of `units`' 转段评估 stage (core's rule).
    pub fn statuses(&self, units: &[UnitId]) -> Vec<TransitionStatus> {
        transition_statuses(units, &self.reviews, &self.sign_offs, &self.decisions)
    }

    pub fn review(&self, id: xianfeng_core::ids::TransitionReviewId) -> Option<&TransitionReview> {
        self.reviews.iter().find(|r| r.id == id)
    }

    pub fn is_unsent(&self, id: &Uuid) -> bool {
        self.unsent.contains(id)
    }

    /// The inspector this phone records a 转段评估 step as: "我是…", else
    /// the only inspector record with the enrolled person's name.
    pub fn me(&self) -> Option<InspectorId> {
        let name = self.identity.as_ref().map_or("", |i| i.name.as_str());
        crate::pages::spot_checks::inspector_for(&self.inspectors, self.me, name).map(|i| i.id)
    }
}

/// The id's first characters, while the record has not arrived.
fn short(id: &Uuid) -> String {
    id.to_string()[..8].to_string()
}
