//! Record kinds, the schema version and the JSON envelope.
//!
//! Why: phones keep records for weeks before they sync, so every stored or
//! synced record says which schema wrote it. A record travels as
//!
//! ```json
//! {"schema": 1, "kind": "member", "record": { "id": "…", "name": "…", … }}
//! ```
//!
//! Validation policy (one rule, everywhere): records are plain structs with
//! public fields, so deserialising one does not validate it. The shells
//! read records only through [`from_json`] / [`Envelope::open`], which check
//! the schema version and the kind and then call [`Record::validate`]; they
//! call `validate()` again after editing a mutable record in place.
//! Small value types (`Fen`, `Mu`, `IsoWeek`, `HalfYear`, `Rating`) and
//! ids validate inside serde (`try_from`), so an invalid value of those
//! types cannot exist at all. The shapes are listed in `core/SCHEMA.md`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// The version of every JSON shape in this crate. Bumped on any change that
/// an older reader would misread; readers refuse versions newer than theirs.
pub const SCHEMA_VERSION: u32 = 1;

/// Every kind of record, plus [`RecordKind::Summary`] for computed numbers
/// (tallies, rankings, totals), which are never stored but are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Office,
    System,
    Unit,
    Branch,
    Village,
    Member,
    InspectionGroup,
    Inspector,
    SpotCheck,
    Observation,
    Post,
    Commitment,
    PublicReview,
    PostCheck,
    Rubric,
    Household,
    Pairing,
    Visit,
    SupportItem,
    Dispute,
    SituationReport,
    ReportReview,
    StudySession,
    Attendance,
    StudyDelivery,
    StudyCheck,
    Suggestion,
    Speech,
    StudySettings,
    TransitionChecklist,
    TransitionReview,
    TransitionSignOff,
    TransitionDecision,
    /// Computed numbers without personal data: tallies, rankings, totals.
    Summary,
}

impl RecordKind {
    /// Every kind, in declaration order (for permission tables and tests).
    pub const ALL: [RecordKind; 34] = [
        RecordKind::Office,
        RecordKind::System,
        RecordKind::Unit,
        RecordKind::Branch,
        RecordKind::Village,
        RecordKind::Member,
        RecordKind::InspectionGroup,
        RecordKind::Inspector,
        RecordKind::SpotCheck,
        RecordKind::Observation,
        RecordKind::Post,
        RecordKind::Commitment,
        RecordKind::PublicReview,
        RecordKind::PostCheck,
        RecordKind::Rubric,
        RecordKind::Household,
        RecordKind::Pairing,
        RecordKind::Visit,
        RecordKind::SupportItem,
        RecordKind::Dispute,
        RecordKind::SituationReport,
        RecordKind::ReportReview,
        RecordKind::StudySession,
        RecordKind::Attendance,
        RecordKind::StudyDelivery,
        RecordKind::StudyCheck,
        RecordKind::Suggestion,
        RecordKind::Speech,
        RecordKind::StudySettings,
        RecordKind::TransitionChecklist,
        RecordKind::TransitionReview,
        RecordKind::TransitionSignOff,
        RecordKind::TransitionDecision,
        RecordKind::Summary,
    ];

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        use RecordKind::*;
        match self {
            Office => "office",
            System => "system",
            Unit => "unit",
            Branch => "branch",
            Village => "village",
            Member => "member",
            InspectionGroup => "inspection_group",
            Inspector => "inspector",
            SpotCheck => "spot_check",
            Observation => "observation",
            Post => "post",
            Commitment => "commitment",
            PublicReview => "public_review",
            PostCheck => "post_check",
            Rubric => "rubric",
            Household => "household",
            Pairing => "pairing",
            Visit => "visit",
            SupportItem => "support_item",
            Dispute => "dispute",
            SituationReport => "situation_report",
            ReportReview => "report_review",
            StudySession => "study_session",
            Attendance => "attendance",
            StudyDelivery => "study_delivery",
            StudyCheck => "study_check",
            Suggestion => "suggestion",
            Speech => "speech",
            StudySettings => "study_settings",
            TransitionChecklist => "transition_checklist",
            TransitionReview => "transition_review",
            TransitionSignOff => "transition_sign_off",
            TransitionDecision => "transition_decision",
            Summary => "summary",
        }
    }

    /// Personal data about households in difficulty: the card and everything
    /// hanging off it. Never shown to inspectors; see `scope`.
    pub fn is_household_data(self) -> bool {
        matches!(
            self,
            RecordKind::Household
                | RecordKind::Pairing
                | RecordKind::Visit
                | RecordKind::SupportItem
                | RecordKind::Dispute
        )
    }

    /// Facts are immutable once recorded (append-only, synced by id);
    /// the others are mutable records merged per field.
    pub fn is_fact(self) -> bool {
        matches!(
            self,
            RecordKind::SpotCheck
                | RecordKind::Observation
                | RecordKind::PublicReview
                | RecordKind::PostCheck
                | RecordKind::Rubric
                | RecordKind::Visit
                | RecordKind::SupportItem
                | RecordKind::Dispute
                | RecordKind::SituationReport
                | RecordKind::ReportReview
        ) || self.is_study()
    }

    /// The study stage's kinds (`study`): sessions, attendance, 三个完成,
    /// suggestions, speeches, settings and the 转段评估. All are facts.
    pub const STUDY: [RecordKind; 11] = [
        RecordKind::StudySession,
        RecordKind::Attendance,
        RecordKind::StudyDelivery,
        RecordKind::StudyCheck,
        RecordKind::Suggestion,
        RecordKind::Speech,
        RecordKind::StudySettings,
        RecordKind::TransitionChecklist,
        RecordKind::TransitionReview,
        RecordKind::TransitionSignOff,
        RecordKind::TransitionDecision,
    ];

    /// One of [`RecordKind::STUDY`].
    pub fn is_study(self) -> bool {
        RecordKind::STUDY.contains(&self)
    }
}

/// A record type: its kind and its validation.
pub trait Record: Serialize + DeserializeOwned {
    const KIND: RecordKind;

    /// Checks every field; constructors call it, shells call it after edits.
    fn validate(&self) -> Result<(), DomainError>;
}

/// The stored / synced form of a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub schema: u32,
    pub kind: RecordKind,
    pub record: T,
}

impl<T: Record> Envelope<T> {
    /// Wraps a record with the current schema version.
    pub fn new(record: T) -> Self {
        Self {
            schema: SCHEMA_VERSION,
            kind: T::KIND,
            record,
        }
    }

    /// Checks version and kind, validates, and hands the record out.
    pub fn open(self) -> Result<T, DomainError> {
        check_schema(self.schema)?;
        if self.kind != T::KIND {
            return Err(DomainError::KindMismatch {
                expected: T::KIND.as_str(),
                found: self.kind.as_str().to_string(),
            });
        }
        self.record.validate()?;
        Ok(self.record)
    }
}

fn check_schema(found: u32) -> Result<(), DomainError> {
    if (1..=SCHEMA_VERSION).contains(&found) {
        Ok(())
    } else {
        Err(DomainError::UnsupportedSchema {
            found,
            supported: SCHEMA_VERSION,
        })
    }
}

/// A record as enveloped JSON.
pub fn to_json<T: Record + Clone>(record: &T) -> String {
    serde_json::to_string(&Envelope::new(record.clone()))
        .expect("records serialise: string keys, no non-finite floats")
}

/// Reads enveloped JSON: schema version, kind, shape, then `validate()`.
pub fn from_json<T: Record>(json: &str) -> Result<T, DomainError> {
    #[derive(Deserialize)]
    struct Head {
        schema: u32,
        kind: String,
        record: serde_json::Value,
    }
    let head: Head = serde_json::from_str(json).map_err(json_error)?;
    check_schema(head.schema)?;
    if head.kind != T::KIND.as_str() {
        return Err(DomainError::KindMismatch {
            expected: T::KIND.as_str(),
            found: head.kind,
        });
    }
    let record: T = serde_json::from_value(head.record).map_err(json_error)?;
    record.validate()?;
    Ok(record)
}

/// Maps a serde error to a domain error; an unknown enum value and an
/// unknown field (records refuse them: `deny_unknown_fields`) get their
/// own codes.
pub fn json_error(err: serde_json::Error) -> DomainError {
    let detail = err.to_string();
    let quoted = |prefix: &str| {
        detail
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once('`'))
            .map(|(value, _)| value.to_string())
    };
    if let Some(value) = quoted("unknown variant `") {
        return DomainError::UnknownValue {
            field: "record",
            value,
        };
    }
    if let Some(field) = quoted("unknown field `") {
        return DomainError::UnknownField { field };
    }
    DomainError::InvalidJson { detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_match_serde() {
        for kind in RecordKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn household_data_kinds() {
        let personal: Vec<_> = RecordKind::ALL
            .into_iter()
            .filter(|k| k.is_household_data())
            .collect();
        assert_eq!(
            personal,
            vec![
                RecordKind::Household,
                RecordKind::Pairing,
                RecordKind::Visit,
                RecordKind::SupportItem,
                RecordKind::Dispute
            ]
        );
    }
}
