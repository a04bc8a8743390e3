//! Keeps `core/SCHEMA.md` true: every example record in it is read with
//! `from_json` (version, kind, validation) and must re-serialise byte for byte.

use xianfeng_core::org::*;
use xianfeng_core::pairing::*;
use xianfeng_core::posts::*;
use xianfeng_core::spotcheck::{Observation, SpotCheck};
use xianfeng_core::study::*;
use xianfeng_core::{from_json, to_json, DomainError, Record, RecordKind};

fn round_trip<T: Record + Clone>(json: &str) -> Result<String, DomainError> {
    from_json::<T>(json).map(|r| to_json(&r))
}

fn check(kind: RecordKind, json: &str) -> Result<String, DomainError> {
    use RecordKind as K;
    match kind {
        K::Office => round_trip::<Office>(json),
        K::System => round_trip::<System>(json),
        K::Unit => round_trip::<Unit>(json),
        K::Branch => round_trip::<Branch>(json),
        K::Village => round_trip::<Village>(json),
        K::Member => round_trip::<Member>(json),
        K::InspectionGroup => round_trip::<InspectionGroup>(json),
        K::Inspector => round_trip::<Inspector>(json),
        K::SpotCheck => round_trip::<SpotCheck>(json),
        K::Observation => round_trip::<Observation>(json),
        K::Post => round_trip::<Post>(json),
        K::Commitment => round_trip::<Commitment>(json),
        K::PublicReview => round_trip::<PublicReview>(json),
        K::PostCheck => round_trip::<PostCheck>(json),
        K::Rubric => round_trip::<Rubric>(json),
        K::Household => round_trip::<Household>(json),
        K::Pairing => round_trip::<Pairing>(json),
        K::Visit => round_trip::<Visit>(json),
        K::SupportItem => round_trip::<SupportItem>(json),
        K::Dispute => round_trip::<Dispute>(json),
        K::SituationReport => round_trip::<SituationReport>(json),
        K::ReportReview => round_trip::<ReportReview>(json),
        K::StudySession => round_trip::<StudySession>(json),
        K::Attendance => round_trip::<Attendance>(json),
        K::StudyDelivery => round_trip::<StudyDelivery>(json),
        K::StudyCheck => round_trip::<StudyCheck>(json),
        K::Suggestion => round_trip::<Suggestion>(json),
        K::Speech => round_trip::<Speech>(json),
        K::StudySettings => round_trip::<StudySettings>(json),
        K::TransitionChecklist => round_trip::<TransitionChecklist>(json),
        K::TransitionReview => round_trip::<TransitionReview>(json),
        K::TransitionSignOff => round_trip::<TransitionSignOff>(json),
        K::TransitionDecision => round_trip::<TransitionDecision>(json),
        K::Summary => panic!("summaries are not records"),
    }
}

#[test]
fn every_example_in_schema_md_reads_back_exactly() {
    let doc = include_str!("../SCHEMA.md");
    let examples: Vec<&str> = doc
        .lines()
        .filter(|l| l.starts_with("{\"schema\":1,"))
        .collect();
    let mut kinds = Vec::new();
    for json in &examples {
        let head: serde_json::Value = serde_json::from_str(json).unwrap();
        let kind: RecordKind = serde_json::from_value(head["kind"].clone()).unwrap();
        let again = check(kind, json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(&again, json);
        kinds.push(kind);
    }
    let records: Vec<RecordKind> = RecordKind::ALL
        .into_iter()
        .filter(|k| *k != RecordKind::Summary)
        .collect();
    for kind in records {
        assert!(
            kinds.contains(&kind),
            "SCHEMA.md has no example of {kind:?}"
        );
    }
}
