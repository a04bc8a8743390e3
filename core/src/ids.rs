//! One id newtype per entity, made on the device.
//!
//! Why: phones record offline, so ids cannot come from the server. They are
//! UUIDv7 (time-ordered, so they sort by creation) and one type per entity so
//! a `MemberId` can never be passed where a `UnitId` is meant.
//!
//! `generate()` reads the clock and randomness: only the shells (app, server)
//! call it; no rule in this crate does. Rules take ids as data.

/// Defines an id newtype over `uuid::Uuid`: serde transparent (a JSON
/// string), `Display`/`FromStr` in the hyphenated form, ordered, hashable.
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $label:literal) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(::uuid::Uuid);

        impl $name {
            /// What this id names, for logs and errors.
            pub const LABEL: &'static str = $label;

            /// A fresh UUIDv7. Reads the clock and randomness: shells only.
            pub fn generate() -> Self {
                Self(::uuid::Uuid::now_v7())
            }

            /// Wraps an existing UUID (from storage or the wire).
            pub const fn from_uuid(uuid: ::uuid::Uuid) -> Self {
                Self(uuid)
            }

            /// A fixed id from a number: tests, fixtures and benchmarks.
            pub const fn from_u128(value: u128) -> Self {
                Self(::uuid::Uuid::from_u128(value))
            }

            /// The UUID as a big-endian integer: same order, cheaper to compare.
            pub const fn as_u128(&self) -> u128 {
                self.0.as_u128()
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> &::uuid::Uuid {
                &self.0
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::error::DomainError;

            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::uuid::Uuid::parse_str(s.trim())
                    .map(Self)
                    .map_err(|_| $crate::error::DomainError::InvalidId { value: s.to_string() })
            }
        }
    };
}

define_id!(
    /// 市委 / 先教办: the campaign office.
    OfficeId, "office"
);
define_id!(
    /// 系统: a group of units (education, health, …).
    SystemId, "system"
);
define_id!(
    /// 单位: a unit, ranked within its system.
    UnitId, "unit"
);
define_id!(
    /// 党支部 / 党小组: a branch or group inside a unit.
    BranchId, "branch"
);
define_id!(
    /// 行政村: an administrative village with a work team.
    VillageId, "village"
);
define_id!(
    /// 党员: a party member.
    MemberId, "member"
);
define_id!(
    /// 督导组: an inspection (supervision) group.
    GroupId, "inspection_group"
);
define_id!(
    /// 督导员: a person who does spot checks (in a group, or office staff).
    InspectorId, "inspector"
);
define_id!(
    /// 巡察: one spot check visit.
    CheckId, "spot_check"
);
define_id!(
    /// One member seen during a spot check.
    ObservationId, "observation"
);
define_id!(
    /// 示范岗: a demonstration post.
    PostId, "post"
);
define_id!(
    /// 个人打算 / 承诺: a member's commitment for a half-year.
    CommitmentId, "commitment"
);
define_id!(
    /// 群众评议: one public review of a post.
    ReviewId, "public_review"
);
define_id!(
    /// An inspector's check of a post.
    PostCheckId, "post_check"
);
define_id!(
    /// One version of the office's scoring rubric for posts.
    RubricId, "rubric"
);
define_id!(
    /// 结对帮扶登记卡: a household card.
    HouseholdId, "household"
);
define_id!(
    /// A member paired with a household.
    PairingId, "pairing"
);
define_id!(
    /// 走访: one visit to a household.
    VisitId, "visit"
);
define_id!(
    /// One item of support (funds, goods, production, project, information).
    SupportId, "support_item"
);
define_id!(
    /// 矛盾纠纷 / 疑难问题: one dispute or hard problem resolved.
    DisputeId, "dispute"
);
define_id!(
    /// 情况反映: a member's situation report.
    ReportId, "situation_report"
);
define_id!(
    /// A review decision on a situation report.
    ReportReviewId, "report_review"
);
define_id!(
    /// 学习: one study session of a branch (集中学习, 党课, 补课, …).
    StudySessionId, "study_session"
);
define_id!(
    /// 考勤: one member's attendance at a study session.
    AttendanceId, "attendance"
);
define_id!(
    /// 送学上门 / 寄送资料: study brought to a member who missed a session.
    StudyDeliveryId, "study_delivery"
);
define_id!(
    /// 三个完成: what a branch checked of one member's study.
    StudyCheckId, "study_check"
);
define_id!(
    /// 我为组织建一言: a member's suggestion(s).
    SuggestionId, "suggestion"
);
define_id!(
    /// 发言: a member spoke at a 专题讨论 session.
    SpeechId, "speech"
);
define_id!(
    /// One version of the office's study settings (targets, topics).
    StudySettingsId, "study_settings"
);
define_id!(
    /// One version of the office's 转段评估 checklist.
    ChecklistId, "transition_checklist"
);
define_id!(
    /// 转段评估: an inspection group's review of a unit, point by point.
    TransitionReviewId, "transition_review"
);
define_id!(
    /// 签字把关: a group leader's signature on a review.
    SignOffId, "transition_sign_off"
);
define_id!(
    /// 审查批准 / 责令补课: the office's decision on a signed review.
    TransitionDecisionId, "transition_decision"
);
define_id!(
    /// A phone or browser that records offline (for sync and HLC tie-breaks).
    DeviceId, "device"
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;

    #[test]
    fn ids_round_trip_as_strings() {
        let id = MemberId::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        let text = id.to_string();
        assert_eq!(text, "01900000-0000-7000-8000-000000000001");
        assert_eq!(text.parse::<MemberId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<MemberId>(&json).unwrap(), id);
    }

    #[test]
    fn bad_ids_are_refused_with_a_code() {
        let err = "not-a-uuid".parse::<UnitId>().unwrap_err();
        assert_eq!(err.code(), "invalid_id");
        assert!(matches!(err, DomainError::InvalidId { .. }));
    }

    #[test]
    fn generated_ids_sort_by_creation() {
        let a = CheckId::generate();
        let b = CheckId::generate();
        assert!(a < b, "UUIDv7 from one generator are increasing");
        assert_eq!(a.as_uuid().get_version_num(), 7);
    }
}
