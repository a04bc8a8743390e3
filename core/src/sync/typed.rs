//! A synced record parsed once into its own type ([`AnyRecord`]), so the
//! rules that read it (validation, `locate`, `touches`) share one parse.
//!
//! Why: the server's push path used to deserialise every incoming record
//! from JSON three times (validate, place, find parents) and validate it
//! twice; at 10,000 observations a push that was a fifth of its time. The
//! JSON-taking functions in `records` and `authorize` stay for callers
//! that hold only a `Value` (the phone's forms), and parse through here.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::SyncError;
use crate::error::DomainError;
use crate::org::{Branch, InspectionGroup, Inspector, Member, Office, System, Unit, Village};
use crate::pairing::{
    Dispute, Household, Pairing, ReportReview, SituationReport, SupportItem, Visit,
};
use crate::posts::{rubric::Rubric, Commitment, Post, PostCheck, PublicReview};
use crate::schema::{json_error, Record, RecordKind};
use crate::spotcheck::{Observation, SpotCheck};
use crate::study::{
    Attendance, Speech, StudyCheck, StudyDelivery, StudySession, StudySettings, Suggestion,
    TransitionChecklist, TransitionDecision, TransitionReview, TransitionSignOff,
};

/// Declares [`AnyRecord`] with one variant per record type, named as its
/// [`RecordKind`], and the dispatch from a kind to its type.
macro_rules! any_record {
    ($($name:ident),* $(,)?) => {
        /// A valid record of any synced kind, in its own type.
        #[derive(Clone, Debug)]
        pub enum AnyRecord {
            $($name($name),)*
        }

        impl AnyRecord {
            /// Parses `value` as a record of `kind` (strictly: an unknown
            /// field is refused) and validates it, its size included.
            pub fn parse(kind: RecordKind, value: &Value) -> Result<AnyRecord, SyncError> {
                let record = match kind {
                    $(RecordKind::$name => AnyRecord::$name(parse::<$name>(value)?),)*
                    RecordKind::Summary => {
                        return Err(SyncError::NotSyncable { kind: kind.as_str() })
                    }
                };
                if json_len(value) > MAX_RECORD_BYTES {
                    return Err(DomainError::RecordTooLarge { max: MAX_RECORD_BYTES }.into());
                }
                Ok(record)
            }

            /// Reads `value` as a record of `kind` without validating it:
            /// for a record as it was stored (an older version's rules may
            /// have let through what today's refuse).
            pub fn read(kind: RecordKind, value: &Value) -> Option<AnyRecord> {
                Some(match kind {
                    $(RecordKind::$name => AnyRecord::$name(crate::record_value::read::<$name>(value).ok()?),)*
                    RecordKind::Summary => return None,
                })
            }

            /// `value` read as a record of `kind` two ways, as text:
            /// through serde_json's `&Value` and through
            /// `record_value::read` (its tests compare them).
            #[cfg(test)]
            pub(crate) fn both_readings(kind: RecordKind, value: &Value) -> (String, String) {
                fn both<T: DeserializeOwned + std::fmt::Debug>(value: &Value) -> (String, String) {
                    let loose = <T as serde::Deserialize>::deserialize(value).map_err(|e| e.to_string());
                    let strict = crate::record_value::read::<T>(value).map_err(|e| e.to_string());
                    (format!("{loose:?}"), format!("{strict:?}"))
                }
                match kind {
                    $(RecordKind::$name => both::<$name>(value),)*
                    RecordKind::Summary => panic!("a summary is not a synced record"),
                }
            }

            /// The kind of record this is.
            pub fn kind(&self) -> RecordKind {
                match self {
                    $(AnyRecord::$name(_) => RecordKind::$name,)*
                }
            }
        }

        /// The field names records of `kind` have, as their serde shape
        /// says (none for summaries, which are not records).
        pub(super) fn fields_of(kind: RecordKind) -> &'static [&'static str] {
            match kind {
                $(RecordKind::$name => serde_fields::<$name>(),)*
                RecordKind::Summary => &[],
            }
        }
    };
}

any_record!(
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
);

/// The largest record, as JSON (bytes): well above any record whose texts
/// keep their own limits (a 20,000-character report is at most 80 KB),
/// so only a record padded out some other way meets it.
pub const MAX_RECORD_BYTES: usize = 128 * 1024;

fn parse<T: Record + DeserializeOwned>(value: &Value) -> Result<T, SyncError> {
    let record: T = crate::record_value::read(value).map_err(json_error)?;
    record.validate()?;
    Ok(record)
}

/// The length of `value`'s JSON text, without building it.
fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 = self.0.saturating_add(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` to a counter cannot fail.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

/// The field names a struct's `Deserialize` accepts, as serde reports them.
fn serde_fields<T: DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Deserializer, Visitor};
    struct Probe(Option<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for &mut Probe {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("probe"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(de::Error::custom("probe"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut probe = Probe(None);
    let _ = T::deserialize(&mut probe);
    probe.0.unwrap_or(&[])
}
