//! Attendance (考勤) member by member, and study brought to a member who
//! missed a session (送学上门 / 寄送资料).
//!
//! Why: 000 "每个支部建立了党员出席集体学习讨论会的考勤记录制度"; 004
//! "所有教育对象在学习时不得随意请假、迟到、早退或缺席，对无故缺勤的党员要
//! 通报批评，并督促其补课", and for the frail and the floating "必要时要送
//! 上门 … 通过寄送资料或组织补课等形式完成学习任务". A cadre taps one
//! status per member ([`Attendance`]); a later tap for the same member and
//! session is a new fact that supersedes the earlier one (ids are UUIDv7,
//! made in order on the device: the greatest id counts). A
//! [`StudyDelivery`] covers one missed session for one member.
//!
//! Both sit where their session sits (they are written under it) and are
//! also written under their member: a cadre records attendance only for
//! members they may write (`sync::touches`).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{check_date, iso_date};
use crate::error::DomainError;
use crate::ids::{AttendanceId, MemberId, StudyDeliveryId, StudySessionId};
use crate::schema::{Record, RecordKind};
use crate::validate::{self, clean, NOTE_MAX};

labelled_enum! {
    /// 考勤: one member at one session.
    pub enum AttendanceStatus: "status" {
        Present = "present", "出席", "Present";
        Absent = "absent", "缺席", "Absent";
        ExcusedLeave = "excused_leave", "请假", "On leave";
    }
}

/// One member's attendance at one session. A fact; a correction is a
/// later one (greater id) for the same session and member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    pub id: AttendanceId,
    pub session: StudySessionId,
    pub member: MemberId,
    pub status: AttendanceStatus,
}

impl Attendance {
    pub fn new(
        id: AttendanceId,
        session: StudySessionId,
        member: MemberId,
        status: AttendanceStatus,
    ) -> Result<Self, DomainError> {
        let attendance = Self {
            id,
            session,
            member,
            status,
        };
        attendance.validate()?;
        Ok(attendance)
    }

    /// Whether this one supersedes `other` (same session and member).
    pub fn supersedes(&self, other: &Attendance) -> bool {
        self.id > other.id
    }
}

impl Record for Attendance {
    const KIND: RecordKind = RecordKind::Attendance;
    /// Every field is checked by its type.
    fn validate(&self) -> Result<(), DomainError> {
        Ok(())
    }
}

labelled_enum! {
    /// How a missed session's study reached the member.
    pub enum DeliveryMethod: "method" {
        HomeVisit = "home_visit", "送学上门", "Brought to the member's home";
        Mailed = "mailed", "寄送资料", "Materials sent";
        Remote = "remote", "电话或网络交流", "By phone or e-mail";
    }
}

/// 送学上门 / 寄送资料: the study of `session` brought to `member`, who
/// missed it. It clears the miss (as a 补课 does) and counts as taking
/// part; it earns no hours (the member studied on their own, for no
/// measured time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyDelivery {
    pub id: StudyDeliveryId,
    pub session: StudySessionId,
    pub member: MemberId,
    #[serde(with = "iso_date")]
    pub on: Date,
    pub method: DeliveryMethod,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl StudyDelivery {
    pub fn new(
        id: StudyDeliveryId,
        session: StudySessionId,
        member: MemberId,
        on: Date,
        method: DeliveryMethod,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let delivery = Self {
            id,
            session,
            member,
            on,
            method,
            note: clean(note),
        };
        delivery.validate()?;
        Ok(delivery)
    }
}

impl Record for StudyDelivery {
    const KIND: RecordKind = RecordKind::StudyDelivery;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        validate::max_len("note", &self.note, NOTE_MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Lang;
    use crate::schema::{from_json, to_json};
    use time::macros::date;

    #[test]
    fn attendance_round_trips_and_later_taps_supersede() {
        let first = Attendance::new(
            AttendanceId::from_u128(1),
            StudySessionId::from_u128(2),
            MemberId::from_u128(3),
            AttendanceStatus::Absent,
        )
        .unwrap();
        let json = to_json(&first);
        assert!(json.contains(r#""status":"absent""#), "{json}");
        assert_eq!(from_json::<Attendance>(&json).unwrap(), first);
        let again = Attendance {
            id: AttendanceId::from_u128(4),
            status: AttendanceStatus::Present,
            ..first.clone()
        };
        assert!(again.supersedes(&first) && !first.supersedes(&again));
        assert_eq!(
            "请假".parse::<AttendanceStatus>().unwrap(),
            AttendanceStatus::ExcusedLeave
        );
        assert_eq!(AttendanceStatus::Present.label(Lang::ZhCn), "出席");
    }

    #[test]
    fn deliveries_validate() {
        let make = |on, note: &str| {
            StudyDelivery::new(
                StudyDeliveryId::from_u128(1),
                StudySessionId::from_u128(2),
                MemberId::from_u128(3),
                on,
                DeliveryMethod::HomeVisit,
                note,
            )
            .map_err(|e| e.code())
        };
        let ok = make(date!(2005 - 03 - 02), " 支委走访，送去读本 ").unwrap();
        assert_eq!(ok.note, "支委走访，送去读本");
        assert_eq!(from_json::<StudyDelivery>(&to_json(&ok)).unwrap(), ok);
        assert_eq!(make(date!(2005 - 03 - 02), "").unwrap().note, "");
        assert_eq!(
            make(date!(2005 - 03 - 02), &"字".repeat(NOTE_MAX + 1)).err(),
            Some("too_long")
        );
        assert_eq!(make(date!(1900 - 01 - 01), "").err(), Some("invalid_date"));
    }
}
