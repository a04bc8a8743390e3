//! What the 示范岗 screens read from the phone's storage, as core's types
//! ([`Board`]), plus the small helpers every screen of the section shares:
//! today's date, the current instant, who this phone is ([`actor`]) and
//! where a core error belongs in a form ([`FormError`]).
//!
//! Why one loader: every screen (list, post, award list, rubric) scores
//! posts with core from the same records, so they are parsed the same way
//! once. Records that do not parse (a record whose fields are still
//! arriving) are left out, never guessed at. Nothing here computes a rule.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;
use xianfeng_core::calendar::HalfYear;
use xianfeng_core::ids::{BranchId, CommitmentId, InspectorId, PostCheckId, PostId, ReviewId};
use xianfeng_core::org::{Inspector, Member, Unit};
use xianfeng_core::posts::{
    score_all, Commitment, CommitmentItem, Post, PostCheck, PublicReview, Rating, Rubric, Score,
    Service,
};
use xianfeng_core::spotcheck::{Ladder, SpotCheckReport};
use xianfeng_core::study::StudyIndex;
use xianfeng_core::{Actor, Directory, Lang, RecordKind};

use crate::kit;
pub use crate::local_time::{now_local, today};
use crate::storage::StorageError;
use crate::store;
use crate::sync::SyncStatus;

/// Every record the section reads: shared snapshots of the store's
/// tables, so loading copies nothing large.
pub struct Board {
    pub units: Arc<Vec<Unit>>,
    pub members: Arc<Vec<Member>>,
    pub inspectors: Arc<Vec<Inspector>>,
    pub directory: Arc<Directory>,
    pub posts: Arc<Vec<Post>>,
    pub commitments: Arc<Vec<Commitment>>,
    pub reviews: Arc<Vec<PublicReview>>,
    pub checks: Arc<Vec<PostCheck>>,
    pub rubrics: Arc<Vec<Rubric>>,
    /// The badge ladder (a post's member with a warning loses points).
    spot: Arc<SpotCheckReport>,
    /// Every member's study (the store's cached index), for a rubric
    /// that applies 学习未达标; `None` while no rubric on the phone does,
    /// so the section never indexes the study facts for nothing.
    study: Option<Arc<StudyIndex>>,
    /// Records with something not yet on the server.
    unsent: Arc<HashSet<Uuid>>,
}

/// The kinds the section shows beyond the org: its screens reload when
/// one of them or the org changes (`store::stamp`). The study's count
/// when the rubric applies 学习未达标.
pub const KINDS: [RecordKind; 14] = [
    RecordKind::Post,
    RecordKind::Commitment,
    RecordKind::PublicReview,
    RecordKind::PostCheck,
    RecordKind::Rubric,
    RecordKind::SpotCheck,
    RecordKind::Observation,
    RecordKind::StudySession,
    RecordKind::Attendance,
    RecordKind::StudyDelivery,
    RecordKind::StudyCheck,
    RecordKind::Suggestion,
    RecordKind::Speech,
    RecordKind::StudySettings,
];

impl Board {
    pub async fn load() -> Result<Board, StorageError> {
        store::ready().await?;
        Ok(store::with(|s| {
            let t = &s.tables;
            let rubrics = t.rubrics.all();
            let study = rubrics
                .iter()
                .any(|r| r.disqualify.study_short)
                .then(|| s.study());
            Board {
                units: t.units.all(),
                members: t.members.all(),
                inspectors: t.inspectors.all(),
                directory: s.directory(),
                posts: t.posts.all(),
                commitments: t.commitments.all(),
                reviews: t.public_reviews.all(),
                checks: t.post_checks.all(),
                rubrics,
                spot: s.report(),
                study,
                unsent: s.unsent_ids(),
            }
        }))
    }

    /// Every post's score for `period` (core's `score_all`).
    pub fn scores(&self, period: HalfYear) -> Vec<Score> {
        score_all(
            &self.rubrics,
            &self.posts,
            period,
            &self.commitments,
            &self.reviews,
            &self.checks,
            self.ladder(),
            self.study(),
        )
    }

    /// Every member's study, when a rubric on the phone applies
    /// 学习未达标 (else `None`: the study never blocks then).
    pub fn study(&self) -> Option<&StudyIndex> {
        self.study.as_deref()
    }

    /// The badge ladder over every spot check on the phone.
    pub fn ladder(&self) -> &Ladder {
        &self.spot.ladder
    }

    /// The name of a system, unit, member or inspector; the id's first
    /// characters while the record has not arrived.
    pub fn name(&self, id: &Uuid) -> String {
        store::with(|s| {
            let t = &s.tables;
            t.systems
                .get(id)
                .map(|r| r.name.clone())
                .or_else(|| t.units.get(id).map(|r| r.name.clone()))
                .or_else(|| t.members.get(id).map(|r| r.name.clone()))
                .or_else(|| t.inspectors.get(id).map(|r| r.name.clone()))
        })
        .unwrap_or_else(|| id.to_string()[..8].to_string())
    }

    pub fn post(&self, id: PostId) -> Option<&Post> {
        self.posts.iter().find(|p| p.id == id)
    }

    /// Whether a record has something not yet on the server.
    pub fn is_unsent(&self, id: &Uuid) -> bool {
        self.unsent.contains(id)
    }

    /// The members this phone may register a post for (core's rule over a
    /// probe post, asked once per branch: a post stands where its member
    /// does, and a branch's members stand in one place).
    /// Lazy: the home only asks whether there is one.
    pub fn members_for_post(&self, actor: Option<Actor>) -> impl Iterator<Item = &Member> + '_ {
        let mut allowed: std::collections::HashMap<BranchId, bool> = Default::default();
        self.members.iter().filter(move |m| {
            if let Some(&yes) = allowed.get(&m.branch) {
                return yes;
            }
            let yes = self
                .directory
                .member_unit(m.id)
                .and_then(|unit| Post::new(PostId::from_u128(0), m.id, unit, "-").ok())
                .is_some_and(|probe| kit::may_write(actor, &probe));
            allowed.insert(m.branch, yes);
            yes
        })
    }

    /// What this phone may add to `post` (core's rule over probes of the
    /// records each action writes).
    pub fn may_add_to(&self, actor: Option<Actor>, post: &Post, period: HalfYear) -> May {
        let today = period.start();
        let review = Rating::new(Rating::MIN)
            .and_then(|r| PublicReview::new(ReviewId::from_u128(0), post.id, today, r, None, None));
        let check = now_local().and_then(|at| {
            PostCheck::new(
                PostCheckId::from_u128(0),
                post.id,
                InspectorId::from_u128(0),
                at,
                true,
                true,
                Service::Good,
            )
        });
        let commitment = Commitment::new(
            CommitmentId::from_u128(0),
            post.member,
            period,
            vec![CommitmentItem::pending("-")],
            today,
            today,
        );
        May {
            commitment: commitment.is_ok_and(|c| kit::may_write(actor, &c)),
            review: review.is_ok_and(|r| kit::may_write(actor, &r)),
            check: check.is_ok_and(|c| kit::may_write(actor, &c)),
        }
    }

    /// The inspector this phone's user most likely is (same name), else
    /// the first one known.
    pub fn default_inspector(&self, user: &str) -> Option<InspectorId> {
        self.inspectors
            .iter()
            .find(|i| i.name == user)
            .or(self.inspectors.first())
            .map(|i| i.id)
    }
}

/// What this phone may add to a post.
#[derive(Clone, Copy, Default, PartialEq)]
pub struct May {
    pub commitment: bool,
    pub review: bool,
    pub check: bool,
}

/// This phone's user as core's [`Actor`], once enrolled: a memo, so what
/// depends on it is recomputed only when the role or scope changes.
pub fn use_actor() -> Memo<Option<Actor>> {
    let status = SyncStatus::use_context();
    Memo::new(move |_| status.with(|s| s.identity.as_ref().map(|i| Actor::new(i.role, i.scope))))
}

/// The enrolled user's name (for the inspector preselection).
pub fn user_name() -> String {
    SyncStatus::use_context().0.with_untracked(|s| {
        s.identity
            .as_ref()
            .map(|i| i.name.clone())
            .unwrap_or_default()
    })
}

fn now() -> js_sys::Date {
    js_sys::Date::new_0()
}

/// The current half-year on this phone (a clock outside the years core
/// accepts is taken as the nearest one).
pub fn this_half_year() -> HalfYear {
    use xianfeng_core::calendar::{Half, MAX_YEAR, MIN_YEAR};
    let d = now();
    let year = (d.get_full_year() as i32).clamp(MIN_YEAR, MAX_YEAR);
    let half = if d.get_month() < 6 {
        Half::H1
    } else {
        Half::H2
    };
    HalfYear::new(year, half).expect("the year is clamped into range")
}

/// The half-year before `period`.
pub fn previous(period: HalfYear) -> HalfYear {
    period
        .start()
        .previous_day()
        .map(HalfYear::of)
        .unwrap_or(period)
}

/// `2010年下半年` / `2010-H2`.
pub fn period_label(lang: Lang, period: HalfYear) -> String {
    match lang {
        Lang::ZhCn => period.label_zh(),
        Lang::En => period.to_string(),
    }
}
