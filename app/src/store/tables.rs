//! A [`Table`] per record kind the screens read, and the one place that
//! maps a [`RecordKind`] to its table. Observations are not here: they live
//! in core's `LiveSpotChecks` (see the store), which keeps their ladder and
//! tallies current instead of listing 100,000 of them.

use serde_json::Value;
use uuid::Uuid;
use xianfeng_core::org::{Branch, InspectionGroup, Inspector, Member, System, Unit, Village};
use xianfeng_core::pairing::{
    Dispute, Household, Pairing, ReportReview, SituationReport, SupportItem, Visit,
};
use xianfeng_core::posts::{Commitment, Post, PostCheck, PublicReview, Rubric};
use xianfeng_core::spotcheck::SpotCheck;
use xianfeng_core::study::{
    Attendance, Speech, StudyCheck, StudyDelivery, StudySession, StudySettings, Suggestion,
    TransitionChecklist, TransitionDecision, TransitionReview, TransitionSignOff,
};
use xianfeng_core::RecordKind;

use super::table::Table;

macro_rules! tables {
    ($($field:ident: $ty:ty = $kind:ident),* $(,)?) => {
        /// The decoded records, one table per kind.
        #[derive(Default)]
        pub struct Tables {
            $(pub $field: Table<$ty>,)*
        }

        impl Tables {
            /// Takes in a record of `kind`; `false` if no table keeps it.
            pub fn upsert(&mut self, kind: RecordKind, id: Uuid, value: &Value, version: u64) -> bool {
                match kind {
                    $(RecordKind::$kind => self.$field.upsert(id, value, version),)*
                    _ => return false,
                }
                true
            }

            pub fn remove(&mut self, kind: RecordKind, id: Uuid, version: u64) {
                match kind {
                    $(RecordKind::$kind => self.$field.remove(id, version),)*
                    _ => {}
                }
            }

            pub fn contains(&self, kind: RecordKind, id: &Uuid) -> bool {
                match kind {
                    $(RecordKind::$kind => self.$field.contains(id),)*
                    _ => false,
                }
            }

            /// Every record of every table as JSON (tests compare stores).
            pub fn to_json(&self) -> Value {
                let mut all = serde_json::Map::new();
                $(all.insert(
                    stringify!($field).to_string(),
                    serde_json::to_value(&*self.$field.all()).unwrap_or_default(),
                );)*
                Value::Object(all)
            }

            /// Where every unit, branch, member and group sits (core's directory).
            pub fn directory(&self) -> xianfeng_core::Directory {
                xianfeng_core::Directory::new(
                    &self.units.all(),
                    &self.branches.all(),
                    &self.members.all(),
                    &self.groups.all(),
                )
            }

            /// A record of `kind` as JSON (as core's `locate` reads it).
            pub fn value(&self, kind: RecordKind, id: &Uuid) -> Option<Value> {
                match kind {
                    $(RecordKind::$kind => self.$field.get(id).and_then(|r| serde_json::to_value(r).ok()),)*
                    _ => None,
                }
            }

            /// When the kind's table last changed (0: never).
            pub fn version(&self, kind: RecordKind) -> u64 {
                match kind {
                    $(RecordKind::$kind => self.$field.version(),)*
                    _ => 0,
                }
            }
        }
    };
}

tables! {
    systems: System = System,
    units: Unit = Unit,
    branches: Branch = Branch,
    villages: Village = Village,
    members: Member = Member,
    groups: InspectionGroup = InspectionGroup,
    inspectors: Inspector = Inspector,
    spot_checks: SpotCheck = SpotCheck,
    posts: Post = Post,
    commitments: Commitment = Commitment,
    public_reviews: PublicReview = PublicReview,
    post_checks: PostCheck = PostCheck,
    rubrics: Rubric = Rubric,
    households: Household = Household,
    pairings: Pairing = Pairing,
    visits: Visit = Visit,
    support: SupportItem = SupportItem,
    disputes: Dispute = Dispute,
    reports: SituationReport = SituationReport,
    report_reviews: ReportReview = ReportReview,
    study_sessions: StudySession = StudySession,
    attendance: Attendance = Attendance,
    deliveries: StudyDelivery = StudyDelivery,
    study_checks: StudyCheck = StudyCheck,
    suggestions: Suggestion = Suggestion,
    speeches: Speech = Speech,
    study_settings: StudySettings = StudySettings,
    checklists: TransitionChecklist = TransitionChecklist,
    transition_reviews: TransitionReview = TransitionReview,
    sign_offs: TransitionSignOff = TransitionSignOff,
    decisions: TransitionDecision = TransitionDecision,
}
