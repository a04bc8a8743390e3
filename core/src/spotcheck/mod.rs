//! 1. Badge spot checks (佩戴党徽 / 亮身份 巡察).
//!
//! Why: 004 item 6 has members wear the badge at work and in public; the
//! leadership and the supervision groups check it 定期不定期 (明查暗访) and
//! escalate per member. This module holds the two facts an inspector
//! records, [`SpotCheck`] and [`Observation`], and the rules over them:
//!
//! - [`ladder`]: the per-member escalation (当场指出 → 提出批评 → 作出警告 + 通报);
//! - [`tally`]: per unit, per ISO week and for the campaign;
//! - [`ranking`]: weekly ranking within each system, last places, 重点管理单位;
//! - [`quota`]: each group visits each of its units at least twice a week;
//! - [`summary`]: one check's marks and its 完成 summary.
//!
//! Both records are immutable facts with device-made ids; nothing derived
//! (steps, rates) is stored on them. [`report`] runs ladder, tally and
//! ranking in one pass for the app's dashboard and the office.

pub(crate) mod canon;
pub mod ladder;
pub mod live;
pub mod quota;
pub mod ranking;
pub mod summary;
pub mod tally;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::calendar::check_date;
use crate::directory::Directory;
use crate::error::DomainError;
use crate::ids::{CheckId, GroupId, InspectorId, MemberId, ObservationId, UnitId};
use crate::schema::{Record, RecordKind};
use crate::scope::{Located, Location};
use crate::validate::{self, clean, NOTE_MAX};

pub use ladder::{step_for_nth_miss, Ladder, LadderEntry, MemberLadder, Step, UnitNotice};
pub use live::LiveSpotChecks;
pub use quota::{inspector_visits, quota_lines, shortfalls, QuotaLine, VISITS_PER_WEEK};
pub use ranking::{
    KeyManagement, LastPlaceStreak, RankedUnit, Rankings, SystemWeekRanking, KEY_MANAGEMENT_STREAK,
};
pub use summary::{check_summary, local_instant, CheckSummary, Mark};
pub use tally::{Rate, StepCounts, Tally, UnitTally};

labelled_enum! {
    /// 明查 (announced) or 暗访 (unannounced).
    pub enum CheckMode: "mode" {
        Announced = "announced", "明查", "Announced";
        Unannounced = "unannounced", "暗访", "Unannounced";
    }
}

/// Where a check took place: a unit, or a public place (公共场所).
///
/// JSON: `{"kind":"unit","unit":"…"}` or `{"kind":"public","description":"…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "PlaceWire")]
pub enum Place {
    Unit { unit: UnitId },
    Public { description: String },
}

/// [`Place`] as read from JSON: one flat struct. Serde reads an internally
/// tagged enum by buffering the whole object first (its `Content`), a cost
/// paid on every spot check and every observation of a sync, and compiled
/// again for each such enum (bundle size).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceWire {
    kind: PlaceKind,
    #[serde(default)]
    unit: Option<UnitId>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PlaceKind {
    Unit,
    Public,
}

impl TryFrom<PlaceWire> for Place {
    type Error = &'static str;

    fn try_from(wire: PlaceWire) -> Result<Place, Self::Error> {
        match (wire.kind, wire.unit, wire.description) {
            (PlaceKind::Unit, Some(unit), None) => Ok(Place::Unit { unit }),
            (PlaceKind::Unit, None, _) => Err("missing field `unit`"),
            (PlaceKind::Unit, Some(_), Some(_)) => Err("unknown field `description`"),
            (PlaceKind::Public, None, Some(description)) => Ok(Place::Public { description }),
            (PlaceKind::Public, Some(_), _) => Err("unknown field `unit`"),
            (PlaceKind::Public, None, None) => Err("missing field `description`"),
        }
    }
}

impl Place {
    /// The unit visited, if the check was at a unit.
    pub fn unit(&self) -> Option<UnitId> {
        match self {
            Place::Unit { unit } => Some(*unit),
            Place::Public { .. } => None,
        }
    }
}

/// 巡察: one spot check. `group` is the inspector's group at the time
/// (`None` for office staff); it is what the twice-a-week quota counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpotCheck {
    pub id: CheckId,
    pub inspector: InspectorId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    pub place: Place,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub mode: CheckMode,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl SpotCheck {
    pub fn new(
        id: CheckId,
        inspector: InspectorId,
        group: Option<GroupId>,
        place: Place,
        at: OffsetDateTime,
        mode: CheckMode,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let place = match place {
            Place::Public { description } => Place::Public {
                description: clean(description),
            },
            unit => unit,
        };
        let check = Self {
            id,
            inspector,
            group,
            place,
            at,
            mode,
            note: clean(note),
        };
        check.validate()?;
        Ok(check)
    }
}

impl Record for SpotCheck {
    const KIND: RecordKind = RecordKind::SpotCheck;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("at", self.at.date())?;
        if let Place::Public { description } = &self.place {
            validate::line("place", description, validate::NAME_MAX)?;
        }
        validate::max_len("note", &self.note, NOTE_MAX)
    }
}

impl Located for SpotCheck {
    /// At a unit: that unit. In public: the group's system (office staff: city).
    fn location(&self, directory: &Directory) -> Location {
        match (&self.place, self.group) {
            (Place::Unit { unit }, _) => directory.unit_location(*unit),
            (Place::Public { .. }, Some(group)) => directory.group_location(group),
            (Place::Public { .. }, None) => Location::default(),
        }
    }
}

/// What the inspector saw of one member.
///
/// JSON: `{"kind":"wearing"}`, `{"kind":"not_wearing"}`,
/// `{"kind":"excused","reason":"…"}`, `{"kind":"absent"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "OutcomeWire")]
pub enum Outcome {
    /// 佩戴: wearing the badge.
    Wearing,
    /// 未佩戴: not wearing it: a miss on the ladder.
    NotWearing,
    /// 免查: excused, with a reason (e.g. on a building site, in surgery).
    Excused { reason: String },
    /// 不在岗: not there (away, abroad, ill). Never counts.
    Absent,
}

/// [`Outcome`] as read from JSON: one flat struct, for the reasons
/// [`PlaceWire`] gives; a key the kind does not have is refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeWire {
    kind: OutcomeKind,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum OutcomeKind {
    Wearing,
    NotWearing,
    Excused,
    Absent,
}

impl TryFrom<OutcomeWire> for Outcome {
    type Error = &'static str;

    fn try_from(wire: OutcomeWire) -> Result<Outcome, Self::Error> {
        match (wire.kind, wire.reason) {
            (OutcomeKind::Excused, Some(reason)) => Ok(Outcome::Excused { reason }),
            (OutcomeKind::Excused, None) => Err("missing field `reason`"),
            (_, Some(_)) => Err("unknown field `reason`"),
            (OutcomeKind::Wearing, None) => Ok(Outcome::Wearing),
            (OutcomeKind::NotWearing, None) => Ok(Outcome::NotWearing),
            (OutcomeKind::Absent, None) => Ok(Outcome::Absent),
        }
    }
}

impl Outcome {
    pub fn is_miss(&self) -> bool {
        matches!(self, Outcome::NotWearing)
    }

    /// Seen at the post (wearing or not): the only outcomes a rate counts.
    pub fn is_seen(&self) -> bool {
        matches!(self, Outcome::Wearing | Outcome::NotWearing)
    }
}

/// One member seen (or not) during a spot check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub id: ObservationId,
    pub check: CheckId,
    pub member: MemberId,
    pub outcome: Outcome,
}

impl Observation {
    pub fn new(
        id: ObservationId,
        check: CheckId,
        member: MemberId,
        outcome: Outcome,
    ) -> Result<Self, DomainError> {
        let outcome = match outcome {
            Outcome::Excused { reason } => Outcome::Excused {
                reason: clean(reason),
            },
            other => other,
        };
        let observation = Self {
            id,
            check,
            member,
            outcome,
        };
        observation.validate()?;
        Ok(observation)
    }
}

impl Record for Observation {
    const KIND: RecordKind = RecordKind::Observation;
    fn validate(&self) -> Result<(), DomainError> {
        if let Outcome::Excused { reason } = &self.outcome {
            validate::line("reason", reason, NOTE_MAX)?;
        }
        Ok(())
    }
}

impl Located for Observation {
    /// Where the member belongs (a member seen in public still counts for their unit).
    fn location(&self, directory: &Directory) -> Location {
        directory.member_location(self.member)
    }
}

/// Ladder, tallies and rankings computed together (one canonical pass).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpotCheckReport {
    pub ladder: Ladder,
    pub tally: Tally,
    pub rankings: Rankings,
}

/// Runs every spot-check rule over the facts, in any order.
pub fn report(
    directory: &Directory,
    checks: &[SpotCheck],
    observations: &[Observation],
) -> SpotCheckReport {
    let canon = canon::Canon::build(checks, observations);
    let (ladder, hits) = ladder::from_canon(&canon);
    let tally = tally::from_canon(&canon, &hits, directory);
    let rankings = Rankings::compute(directory, &tally);
    SpotCheckReport {
        ladder,
        tally,
        rankings,
    }
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{from_json, to_json};
    use time::macros::datetime;

    #[test]
    fn records_validate() {
        let check = SpotCheck::new(
            CheckId::from_u128(1),
            InspectorId::from_u128(2),
            None,
            Place::Public {
                description: " ".into(),
            },
            datetime!(2005-03-14 09:00 +8),
            CheckMode::Unannounced,
            "",
        );
        assert_eq!(check.unwrap_err().code(), "empty_text");
        let obs = Observation::new(
            ObservationId::from_u128(1),
            CheckId::from_u128(1),
            MemberId::from_u128(1),
            Outcome::Excused { reason: "".into() },
        );
        assert_eq!(obs.unwrap_err().code(), "empty_text");
        let ancient = SpotCheck::new(
            CheckId::from_u128(1),
            InspectorId::from_u128(2),
            None,
            Place::Unit {
                unit: UnitId::from_u128(3),
            },
            datetime!(1905-03-14 09:00 +8),
            CheckMode::Announced,
            "",
        );
        assert_eq!(ancient.unwrap_err().code(), "invalid_date");
    }

    #[test]
    fn json_shapes() {
        let check = SpotCheck::new(
            CheckId::from_u128(1),
            InspectorId::from_u128(2),
            Some(GroupId::from_u128(3)),
            Place::Unit {
                unit: UnitId::from_u128(4),
            },
            datetime!(2005-03-14 09:30 +8),
            CheckMode::Unannounced,
            "机关大院",
        )
        .unwrap();
        let json = to_json(&check);
        assert!(
            json.contains(r#""at":"2005-03-14T09:30:00+08:00""#),
            "{json}"
        );
        assert!(json.contains(r#""place":{"kind":"unit","unit":"#), "{json}");
        assert!(json.contains(r#""mode":"unannounced""#), "{json}");
        assert_eq!(from_json::<SpotCheck>(&json).unwrap(), check);
        let obs = Observation::new(
            ObservationId::from_u128(5),
            check.id,
            MemberId::from_u128(6),
            Outcome::Excused {
                reason: "手术中".into(),
            },
        )
        .unwrap();
        let json = to_json(&obs);
        assert!(
            json.contains(r#""outcome":{"kind":"excused","reason":"手术中"}"#),
            "{json}"
        );
        assert_eq!(from_json::<Observation>(&json).unwrap(), obs);
    }
}
