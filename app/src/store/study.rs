//! Every member's study (core's [`StudyIndex`]), computed once from the
//! store and shared until a study fact, the settings or the org change.
//!
//! Why cached here: the office's home adds up 107 units and the member
//! screens look up one member among 3,679; indexing ~70,000 attendance
//! facts per screen would make every screen pay for it. A tap on the
//! attendance screen does not read it (that screen keeps its own marks).

use std::sync::Arc;

use xianfeng_core::study::{StudyFacts, StudyIndex, StudySettings};
use xianfeng_core::RecordKind;

use super::Store;

/// The kinds the index is computed from (with the org's).
pub const STUDY_INDEX_KINDS: [RecordKind; 11] = [
    RecordKind::StudySession,
    RecordKind::Attendance,
    RecordKind::StudyDelivery,
    RecordKind::StudyCheck,
    RecordKind::Suggestion,
    RecordKind::Speech,
    RecordKind::StudySettings,
    RecordKind::Unit,
    RecordKind::Branch,
    RecordKind::Member,
    RecordKind::System,
];

impl Store {
    /// The study index over every study fact on the phone, under the
    /// settings in force.
    pub fn study(&self) -> Arc<StudyIndex> {
        let version = self.stamp_of(&STUDY_INDEX_KINDS);
        if let Some((v, index)) = self.study.borrow().as_ref() {
            if *v == version {
                return index.clone();
            }
        }
        let t = &self.tables;
        let (sessions, attendance, deliveries) = (
            t.study_sessions.all(),
            t.attendance.all(),
            t.deliveries.all(),
        );
        let (checks, suggestions, speeches) =
            (t.study_checks.all(), t.suggestions.all(), t.speeches.all());
        let settings = t.study_settings.all();
        let facts = StudyFacts {
            sessions: &sessions,
            attendance: &attendance,
            deliveries: &deliveries,
            checks: &checks,
            suggestions: &suggestions,
            speeches: &speeches,
        };
        let index = Arc::new(StudyIndex::new(
            &self.directory,
            &t.members.all(),
            facts,
            StudySettings::newest(&settings),
        ));
        *self.study.borrow_mut() = Some((version, index.clone()));
        index
    }
}
