//! What members said: suggestions to the organisation (我为组织建一言)
//! and speeches at the topic discussions (专题大讨论).
//!
//! Why: 003 "开展'我为组织建一言'活动，每名党员为党组织至少提一条合理化建议";
//! 004 item 二.3 "讨论时要将讨论题目落实到人 … 要确保参学率和讨论发言率达到
//! 100". A [`Suggestion`] records one or more suggestions a member made
//! (a short summary, not a transcript); a [`Speech`] records that a
//! member spoke at a 专题讨论 session (only speeches at discussions count
//! toward 发言率).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{check_date, iso_date};
use crate::error::DomainError;
use crate::ids::{MemberId, SpeechId, StudySessionId, SuggestionId};
use crate::schema::{Record, RecordKind};
use crate::validate::{self, clean, NOTE_MAX};

/// The most suggestions one record may count.
pub const SUGGESTIONS_MAX: u8 = 50;

/// 我为组织建一言: `count` suggestions a member made on `on`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    pub id: SuggestionId,
    pub member: MemberId,
    #[serde(with = "iso_date")]
    pub on: Date,
    /// How many suggestions (1..=[`SUGGESTIONS_MAX`]).
    pub count: u8,
    /// What they were about, in short.
    pub summary: String,
}

impl Suggestion {
    pub fn new(
        id: SuggestionId,
        member: MemberId,
        on: Date,
        count: u8,
        summary: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let suggestion = Self {
            id,
            member,
            on,
            count,
            summary: clean(summary),
        };
        suggestion.validate()?;
        Ok(suggestion)
    }
}

impl Record for Suggestion {
    const KIND: RecordKind = RecordKind::Suggestion;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        if !(1..=SUGGESTIONS_MAX).contains(&self.count) {
            return Err(DomainError::OutOfRange {
                field: "count",
                value: i64::from(self.count),
                min: 1,
                max: i64::from(SUGGESTIONS_MAX),
            });
        }
        validate::text("summary", &self.summary, NOTE_MAX)
    }
}

/// 发言: `member` spoke at `session` (a 专题讨论).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speech {
    pub id: SpeechId,
    pub session: StudySessionId,
    pub member: MemberId,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Speech {
    pub fn new(
        id: SpeechId,
        session: StudySessionId,
        member: MemberId,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let speech = Self {
            id,
            session,
            member,
            note: clean(note),
        };
        speech.validate()?;
        Ok(speech)
    }
}

impl Record for Speech {
    const KIND: RecordKind = RecordKind::Speech;
    fn validate(&self) -> Result<(), DomainError> {
        validate::max_len("note", &self.note, NOTE_MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{from_json, to_json};
    use time::macros::date;

    #[test]
    fn suggestions_validate_table() {
        let make = |count, summary: &str| {
            Suggestion::new(
                SuggestionId::from_u128(1),
                MemberId::from_u128(2),
                date!(2010 - 09 - 20),
                count,
                summary,
            )
            .map_err(|e| e.code())
        };
        let cases = [
            (1, "改进科研管理", Ok(())),
            (SUGGESTIONS_MAX, "多条", Ok(())),
            (0, "改进科研管理", Err("out_of_range")),
            (SUGGESTIONS_MAX + 1, "多条", Err("out_of_range")),
            (1, "  ", Err("empty_text")),
        ];
        for (count, summary, want) in cases {
            assert_eq!(make(count, summary).map(|_| ()), want, "{count} {summary}");
        }
        let s = make(2, " 加强支部建设 ").unwrap();
        assert_eq!(s.summary, "加强支部建设");
        assert_eq!(from_json::<Suggestion>(&to_json(&s)).unwrap(), s);
    }

    #[test]
    fn speeches_round_trip() {
        let s = Speech::new(
            SpeechId::from_u128(1),
            StudySessionId::from_u128(2),
            MemberId::from_u128(3),
            "",
        )
        .unwrap();
        let json = to_json(&s);
        assert!(!json.contains("note"), "{json}");
        assert_eq!(from_json::<Speech>(&json).unwrap(), s);
        let long = Speech::new(s.id, s.session, s.member, "讲".repeat(NOTE_MAX + 1));
        assert_eq!(long.unwrap_err().code(), "too_long");
    }
}
