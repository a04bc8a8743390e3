//! 3. Pairing with poor households (结对帮扶).
//!
//! Why: 004 item 5: every member pairs with one household in difficulty,
//! filling a pairing registration card (结对帮扶登记卡); work teams support
//! households in funds, materials and production, bring projects and
//! information, settle disputes, and members write a situation report.
//! The city reports the results as totals (see [`mod@totals`]).
//!
//! This is personal data about vulnerable people: the card holds the
//! minimum (head's name, village, size, attribute, causes, an optional
//! contact) and `scope` keeps it from inspectors and from anyone outside
//! the village or the paired member's branch.
//!
//! [`Household`] and [`Pairing`] are mutable records (a pairing gets its
//! `until`); visits, support items, disputes, reports and report reviews
//! are immutable facts. A report's review status is derived from its
//! reviews ([`review_status`]), never stored on the report.

pub mod export;
pub mod partners;
pub mod privacy;
pub mod reports;
pub mod timeline;
pub mod totals;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{check_date, iso_date, DateRange};
use crate::directory::Directory;
use crate::error::DomainError;
use crate::ids::{
    DisputeId, GroupId, HouseholdId, InspectorId, MemberId, PairingId, ReportId, ReportReviewId,
    SupportId, UnitId, VillageId, VisitId,
};
use crate::money::{Fen, Mu};
use crate::order;
use crate::schema::{Record, RecordKind};
use crate::scope::{Located, Location};
use crate::validate::{self, clean, clean_opt, NAME_MAX, NOTE_MAX, REPORT_MAX};

pub use export::{by_month, summary_csv, summary_scopes, Month};
pub use partners::{partners, Partner, PartnersResponse};
pub use privacy::{field_value_text, mask_contact, may_see_households};
pub use reports::{may_review, recipient_for, reviewers_for};
pub use timeline::{household_totals, timeline, Entry};
pub use totals::{breakdown, totals, Breakdown, PairingFacts, Totals};

labelled_enum! {
    /// 户属性.
    pub enum HouseholdAttribute: "attribute" {
        General = "general", "一般", "General";
        Dibao = "dibao", "低保", "Minimum living allowance (低保)";
        Wubao = "wubao", "五保", "Five guarantees (五保)";
    }
}

labelled_enum! {
    /// 致贫原因: the standard list.
    pub enum PovertyCause: "causes" {
        Illness = "illness", "因病", "Illness";
        Disability = "disability", "因残", "Disability";
        Schooling = "schooling", "因学", "Schooling costs";
        Disaster = "disaster", "因灾", "Disaster";
        LackOfLand = "lack_of_land", "缺土地", "Lack of land";
        LackOfWater = "lack_of_water", "缺水", "Lack of water";
        LackOfSkills = "lack_of_skills", "缺技术", "Lack of skills";
        LackOfLabour = "lack_of_labour", "缺劳力", "Lack of labour";
        LackOfFunds = "lack_of_funds", "缺资金", "Lack of funds";
        PoorTransport = "poor_transport", "交通条件落后", "Poor transport";
        LackOfDrive = "lack_of_drive", "自身发展动力不足", "Lack of drive";
        Other = "other", "其它", "Other";
    }
}

/// Largest household size accepted on a card.
pub const HOUSEHOLD_SIZE_MAX: u8 = 30;

/// 结对帮扶登记卡: a household in difficulty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Household {
    pub id: HouseholdId,
    /// 户主.
    pub head: String,
    pub village: VillageId,
    /// 家庭人口.
    pub size: u8,
    pub attribute: HouseholdAttribute,
    /// At least one, no repeats.
    pub causes: Vec<PovertyCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

impl Household {
    pub fn new(
        id: HouseholdId,
        head: impl Into<String>,
        village: VillageId,
        size: u8,
        attribute: HouseholdAttribute,
        causes: Vec<PovertyCause>,
        contact: Option<String>,
    ) -> Result<Self, DomainError> {
        let household = Self {
            id,
            head: clean(head),
            village,
            size,
            attribute,
            causes,
            contact: clean_opt(contact),
        };
        household.validate()?;
        Ok(household)
    }

    /// Where the card sits: its village, plus the placement of the member
    /// paired with it (if any), so the member's branch cadres can see it.
    pub fn location(&self, directory: &Directory, paired_member: Option<MemberId>) -> Location {
        directory.locate(paired_member, Some(self.village))
    }
}

impl Record for Household {
    const KIND: RecordKind = RecordKind::Household;
    fn validate(&self) -> Result<(), DomainError> {
        validate::name("head", &self.head)?;
        if !(1..=HOUSEHOLD_SIZE_MAX).contains(&self.size) {
            return Err(DomainError::OutOfRange {
                field: "size",
                value: i64::from(self.size),
                min: 1,
                max: i64::from(HOUSEHOLD_SIZE_MAX),
            });
        }
        if self.causes.is_empty() {
            return Err(DomainError::EmptyList { field: "causes" });
        }
        let mut causes = self.causes.clone();
        order::sort(&mut causes);
        if let Some(w) = causes.windows(2).find(|w| w[0] == w[1]) {
            return Err(DomainError::Duplicate {
                field: "causes",
                value: w[0].code().to_string(),
            });
        }
        validate::opt_line("contact", self.contact.as_deref(), NAME_MAX)
    }
}

/// A member paired with a household from `since`, until `until` if ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pairing {
    pub id: PairingId,
    pub member: MemberId,
    pub household: HouseholdId,
    #[serde(with = "iso_date")]
    pub since: Date,
    #[serde(
        default,
        with = "iso_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub until: Option<Date>,
}

impl Pairing {
    pub fn new(
        id: PairingId,
        member: MemberId,
        household: HouseholdId,
        since: Date,
        until: Option<Date>,
    ) -> Result<Self, DomainError> {
        let pairing = Self {
            id,
            member,
            household,
            since,
            until,
        };
        pairing.validate()?;
        Ok(pairing)
    }

    pub fn active_on(&self, date: Date) -> bool {
        self.since <= date && self.until.is_none_or(|u| date <= u)
    }

    pub fn overlaps(&self, range: &DateRange) -> bool {
        range.overlaps(self.since, self.until)
    }
}

/// The household's current pairing: the newest (by id, so by creation)
/// that has not ended (`until` unset), as the server's lookup picks it; a
/// card sits with its paired member's branch by it.
pub fn current_pairing(household: HouseholdId, pairings: &[Pairing]) -> Option<&Pairing> {
    pairings
        .iter()
        .filter(|p| p.household == household && p.until.is_none())
        .max_by_key(|p| p.id)
}

/// [`current_pairing`] of every household at once (one pass, for lists).
pub fn current_pairings(pairings: &[Pairing]) -> BTreeMap<HouseholdId, &Pairing> {
    let mut current: BTreeMap<HouseholdId, &Pairing> = BTreeMap::new();
    for p in pairings.iter().filter(|p| p.until.is_none()) {
        let slot = current.entry(p.household).or_insert(p);
        if p.id > slot.id {
            *slot = p;
        }
    }
    current
}

impl Record for Pairing {
    const KIND: RecordKind = RecordKind::Pairing;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("since", self.since)?;
        if let Some(until) = self.until {
            check_date("until", until)?;
            if until < self.since {
                return Err(DomainError::DateOrder { field: "until" });
            }
        }
        Ok(())
    }
}

/// 走访: a member's visit to a household: what was found (`note`) and
/// the problems the household raised (`problems`), both optional.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    pub id: VisitId,
    pub household: HouseholdId,
    pub member: MemberId,
    #[serde(with = "iso_date")]
    pub on: Date,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub problems: String,
}

impl Visit {
    pub fn new(
        id: VisitId,
        household: HouseholdId,
        member: MemberId,
        on: Date,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let visit = Self {
            id,
            household,
            member,
            on,
            note: clean(note),
            problems: String::new(),
        };
        visit.validate()?;
        Ok(visit)
    }

    /// The same visit with the problems the household raised.
    pub fn with_problems(mut self, problems: impl Into<String>) -> Result<Self, DomainError> {
        self.problems = clean(problems);
        self.validate()?;
        Ok(self)
    }
}

impl Record for Visit {
    const KIND: RecordKind = RecordKind::Visit;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        validate::max_len("note", &self.note, NOTE_MAX)?;
        validate::max_len("problems", &self.problems, NOTE_MAX)
    }
}

/// What was given. Money and goods carry their value in fen; production
/// help may carry the area of crops restructured.
///
/// JSON: `{"kind":"funds","amount":50000}`, `{"kind":"goods","value":12000}`,
/// `{"kind":"production","area":35}`, `{"kind":"project"}`, `{"kind":"information"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "SupportKindWire")]
pub enum SupportKind {
    /// 慰问金 / 资金: money, in fen (> 0).
    Funds { amount: Fen },
    /// 物资: goods, valued in fen (物资折币, > 0).
    Goods { value: Fen },
    /// 生产扶持: production help; `area` where crops were restructured.
    Production {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        area: Option<Mu>,
    },
    /// 致富项目 / 增收项目: an income project arranged.
    Project,
    /// 致富信息: money-making information.
    Information,
}

/// [`SupportKind`] as read from JSON: one flat struct (see
/// `spotcheck::PlaceWire` for why not an internally tagged enum); a key
/// the kind does not have is refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SupportKindWire {
    kind: SupportKindName,
    #[serde(default)]
    amount: Option<Fen>,
    #[serde(default)]
    value: Option<Fen>,
    #[serde(default)]
    area: Option<Mu>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum SupportKindName {
    Funds,
    Goods,
    Production,
    Project,
    Information,
}

impl TryFrom<SupportKindWire> for SupportKind {
    type Error = String;

    fn try_from(wire: SupportKindWire) -> Result<SupportKind, Self::Error> {
        use SupportKindName as N;
        let own: &[&str] = match wire.kind {
            N::Funds => &["amount"],
            N::Goods => &["value"],
            N::Production => &["area"],
            N::Project | N::Information => &[],
        };
        let given = [
            ("amount", wire.amount.is_some()),
            ("value", wire.value.is_some()),
            ("area", wire.area.is_some()),
        ];
        if let Some((field, _)) = given.iter().find(|(f, is)| *is && !own.contains(f)) {
            return Err(format!("unknown field `{field}`"));
        }
        let missing = |field: &str| format!("missing field `{field}`");
        Ok(match wire.kind {
            N::Funds => SupportKind::Funds {
                amount: wire.amount.ok_or_else(|| missing("amount"))?,
            },
            N::Goods => SupportKind::Goods {
                value: wire.value.ok_or_else(|| missing("value"))?,
            },
            N::Production => SupportKind::Production { area: wire.area },
            N::Project => SupportKind::Project,
            N::Information => SupportKind::Information,
        })
    }
}

labelled_enum! {
    /// The kinds of support, without their amounts (for forms and lists).
    pub enum SupportType: "kind" {
        Funds = "funds", "资金", "Funds";
        Goods = "goods", "物资", "Goods";
        Production = "production", "生产扶持", "Production help";
        Project = "project", "增收项目", "Income project";
        Information = "information", "致富信息", "Information";
    }
}

impl SupportKind {
    pub fn label_zh(&self) -> &'static str {
        self.support_type().label(crate::error::Lang::ZhCn)
    }

    pub fn support_type(&self) -> SupportType {
        match self {
            SupportKind::Funds { .. } => SupportType::Funds,
            SupportKind::Goods { .. } => SupportType::Goods,
            SupportKind::Production { .. } => SupportType::Production,
            SupportKind::Project => SupportType::Project,
            SupportKind::Information => SupportType::Information,
        }
    }

    /// Builds the support from a form: funds read `amount` and goods read
    /// `amount` as their value (yuan, see [`Fen::parse_yuan`], field
    /// `amount` / `value`); production reads `area` in mu when not blank;
    /// the others ignore both.
    pub fn from_form(kind: SupportType, amount: &str, area: &str) -> Result<Self, DomainError> {
        Ok(match kind {
            SupportType::Funds => SupportKind::Funds {
                amount: Fen::parse_yuan(amount)?,
            },
            SupportType::Goods => SupportKind::Goods {
                value: Fen::parse_yuan(amount).map_err(|e| match e {
                    DomainError::UnknownValue { value, .. } => DomainError::UnknownValue {
                        field: "value",
                        value,
                    },
                    e => e,
                })?,
            },
            SupportType::Production => SupportKind::Production {
                area: match area.trim() {
                    "" => None,
                    text => Some(Mu::parse_mu(text)?),
                },
            },
            SupportType::Project => SupportKind::Project,
            SupportType::Information => SupportKind::Information,
        })
    }

    /// Money or goods value, if any.
    pub fn fen(&self) -> Option<Fen> {
        match *self {
            SupportKind::Funds { amount } => Some(amount),
            SupportKind::Goods { value } => Some(value),
            _ => None,
        }
    }

    /// The area of crops restructured, if any.
    pub fn area(&self) -> Option<Mu> {
        match *self {
            SupportKind::Production { area } => area,
            _ => None,
        }
    }
}

/// One item of support to a household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportItem {
    pub id: SupportId,
    pub household: HouseholdId,
    pub member: MemberId,
    #[serde(with = "iso_date")]
    pub on: Date,
    pub support: SupportKind,
    /// What it was (两袋化肥, 养猪项目, …).
    pub description: String,
}

impl SupportItem {
    pub fn new(
        id: SupportId,
        household: HouseholdId,
        member: MemberId,
        on: Date,
        support: SupportKind,
        description: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let item = Self {
            id,
            household,
            member,
            on,
            support,
            description: clean(description),
        };
        item.validate()?;
        Ok(item)
    }
}

impl Record for SupportItem {
    const KIND: RecordKind = RecordKind::SupportItem;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        validate::line("description", &self.description, NOTE_MAX)?;
        let positive = |field, fen: Fen| {
            if fen.fen() > 0 {
                Ok(())
            } else {
                Err(DomainError::OutOfRange {
                    field,
                    value: fen.fen(),
                    min: 1,
                    max: i64::MAX,
                })
            }
        };
        match self.support {
            SupportKind::Funds { amount } => positive("amount", amount),
            SupportKind::Goods { value } => positive("value", value),
            _ => Ok(()),
        }
    }
}

/// 化解矛盾、解决疑难问题: a dispute or hard problem resolved in a village,
/// about a household or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dispute {
    pub id: DisputeId,
    pub village: VillageId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
    pub member: MemberId,
    #[serde(with = "iso_date")]
    pub resolved_on: Date,
    pub summary: String,
}

impl Dispute {
    pub fn new(
        id: DisputeId,
        village: VillageId,
        household: Option<HouseholdId>,
        member: MemberId,
        resolved_on: Date,
        summary: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let dispute = Self {
            id,
            village,
            household,
            member,
            resolved_on,
            summary: clean(summary),
        };
        dispute.validate()?;
        Ok(dispute)
    }
}

impl Record for Dispute {
    const KIND: RecordKind = RecordKind::Dispute;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("resolved_on", self.resolved_on)?;
        validate::text("summary", &self.summary, NOTE_MAX)
    }
}

impl Located for Dispute {
    fn location(&self, directory: &Directory) -> Location {
        directory.locate(Some(self.member), Some(self.village))
    }
}

/// Where a situation report goes: the unit's party organisation, or (for
/// party committee members) the supervision group for review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case", try_from = "RecipientWire")]
pub enum Recipient {
    UnitOrganisation { unit: UnitId },
    SupervisionGroup { group: GroupId },
}

/// [`Recipient`] as read from JSON: one flat struct (see
/// `spotcheck::PlaceWire` for why).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecipientWire {
    to: RecipientKind,
    #[serde(default)]
    unit: Option<UnitId>,
    #[serde(default)]
    group: Option<GroupId>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RecipientKind {
    UnitOrganisation,
    SupervisionGroup,
}

impl TryFrom<RecipientWire> for Recipient {
    type Error = &'static str;

    fn try_from(wire: RecipientWire) -> Result<Recipient, Self::Error> {
        match (wire.to, wire.unit, wire.group) {
            (RecipientKind::UnitOrganisation, Some(unit), None) => {
                Ok(Recipient::UnitOrganisation { unit })
            }
            (RecipientKind::UnitOrganisation, None, _) => Err("missing field `unit`"),
            (RecipientKind::UnitOrganisation, Some(_), Some(_)) => Err("unknown field `group`"),
            (RecipientKind::SupervisionGroup, None, Some(group)) => {
                Ok(Recipient::SupervisionGroup { group })
            }
            (RecipientKind::SupervisionGroup, Some(_), _) => Err("unknown field `unit`"),
            (RecipientKind::SupervisionGroup, None, None) => Err("missing field `group`"),
        }
    }
}

/// 情况反映: a member's situation report (the third of 三个一).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SituationReport {
    pub id: ReportId,
    pub member: MemberId,
    pub submitted_to: Recipient,
    #[serde(with = "iso_date")]
    pub submitted_on: Date,
    pub text: String,
}

impl SituationReport {
    pub fn new(
        id: ReportId,
        member: MemberId,
        submitted_to: Recipient,
        submitted_on: Date,
        text: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let report = Self {
            id,
            member,
            submitted_to,
            submitted_on,
            text: clean(text),
        };
        report.validate()?;
        Ok(report)
    }
}

impl Record for SituationReport {
    const KIND: RecordKind = RecordKind::SituationReport;
    fn validate(&self) -> Result<(), DomainError> {
        check_date("submitted_on", self.submitted_on)?;
        validate::text("text", &self.text, REPORT_MAX)
    }
}

impl Located for SituationReport {
    /// The writer's placement; a report to a group is also in its system.
    fn location(&self, directory: &Directory) -> Location {
        directory.member_location(self.member)
    }
}

/// Who reviewed a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "by",
    content = "id",
    rename_all = "snake_case",
    from = "ReviewerWire"
)]
pub enum Reviewer {
    Inspector(InspectorId),
    Member(MemberId),
}

/// [`Reviewer`] as read from JSON (`{"by":"member","id":"…"}`): one flat
/// struct (see `spotcheck::PlaceWire` for why), so an unknown key is
/// refused with the usual `unknown field` error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewerWire {
    by: ReviewerKind,
    id: uuid::Uuid,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ReviewerKind {
    Inspector,
    Member,
}

impl From<ReviewerWire> for Reviewer {
    fn from(wire: ReviewerWire) -> Self {
        match wire.by {
            ReviewerKind::Inspector => Reviewer::Inspector(InspectorId::from_uuid(wire.id)),
            ReviewerKind::Member => Reviewer::Member(MemberId::from_uuid(wire.id)),
        }
    }
}

labelled_enum! {
    /// A review decision.
    pub enum Decision: "decision" {
        Accepted = "accepted", "已审阅", "Accepted";
        Returned = "returned", "退回修改", "Returned for revision";
    }
}

/// A review of a situation report (审查).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportReview {
    pub id: ReportReviewId,
    pub report: ReportId,
    pub reviewer: Reviewer,
    #[serde(with = "iso_date")]
    pub on: Date,
    pub decision: Decision,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl ReportReview {
    pub fn new(
        id: ReportReviewId,
        report: ReportId,
        reviewer: Reviewer,
        on: Date,
        decision: Decision,
        note: impl Into<String>,
    ) -> Result<Self, DomainError> {
        let review = Self {
            id,
            report,
            reviewer,
            on,
            decision,
            note: clean(note),
        };
        review.validate()?;
        Ok(review)
    }
}

impl Record for ReportReview {
    const KIND: RecordKind = RecordKind::ReportReview;
    /// A report returned for revision must say why (the note).
    fn validate(&self) -> Result<(), DomainError> {
        check_date("on", self.on)?;
        match self.decision {
            Decision::Returned => validate::text("note", &self.note, NOTE_MAX),
            Decision::Accepted => validate::max_len("note", &self.note, NOTE_MAX),
        }
    }
}

labelled_enum! {
    /// A report's review status, derived from its reviews.
    pub enum ReviewStatus: "review_status" {
        Submitted = "submitted", "待审阅", "Awaiting review";
        Accepted = "accepted", "已审阅", "Accepted";
        Returned = "returned", "退回修改", "Returned for revision";
    }
}

/// The latest review (by date, then id) decides; none means submitted.
pub fn review_status(report: ReportId, reviews: &[ReportReview]) -> ReviewStatus {
    reviews
        .iter()
        .filter(|r| r.report == report)
        .max_by_key(|r| (r.on, r.id))
        .map_or(ReviewStatus::Submitted, |r| match r.decision {
            Decision::Accepted => ReviewStatus::Accepted,
            Decision::Returned => ReviewStatus::Returned,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{from_json, to_json};
    use time::macros::date;

    fn household(causes: Vec<PovertyCause>, size: u8) -> Result<Household, DomainError> {
        Household::new(
            HouseholdId::from_u128(1),
            "李大爷",
            VillageId::from_u128(2),
            size,
            HouseholdAttribute::Wubao,
            causes,
            None,
        )
    }

    #[test]
    fn household_validation_table() {
        use PovertyCause::*;
        let cases: Vec<(Vec<PovertyCause>, u8, Option<&str>)> = vec![
            (vec![Illness], 3, None),
            (vec![Illness, LackOfFunds, PoorTransport], 1, None),
            (vec![], 3, Some("empty_list")),
            (vec![Illness, Illness], 3, Some("duplicate")),
            (vec![Other], 0, Some("out_of_range")),
            (vec![Other], 31, Some("out_of_range")),
        ];
        for (causes, size, code) in cases {
            let got = household(causes.clone(), size).err().map(|e| e.code());
            assert_eq!(got, code, "{causes:?} {size}");
        }
        assert_eq!(PovertyCause::ALL.len(), 12);
        assert_eq!(
            "交通条件落后".parse::<PovertyCause>().unwrap(),
            PoorTransport
        );
        assert_eq!(
            "缺钱".parse::<PovertyCause>().unwrap_err().code(),
            "unknown_value"
        );
        assert_eq!(
            "低保".parse::<HouseholdAttribute>().unwrap(),
            HouseholdAttribute::Dibao
        );
        let empty_head = Household::new(
            HouseholdId::from_u128(1),
            " ",
            VillageId::from_u128(2),
            2,
            HouseholdAttribute::General,
            vec![Illness],
            None,
        );
        assert_eq!(empty_head.unwrap_err().code(), "empty_name");
    }

    #[test]
    fn pairing_dates() {
        let p = |since, until| {
            Pairing::new(
                PairingId::from_u128(1),
                MemberId::from_u128(1),
                HouseholdId::from_u128(1),
                since,
                until,
            )
        };
        assert_eq!(
            p(date!(2005 - 02 - 20), Some(date!(2005 - 02 - 19)))
                .unwrap_err()
                .code(),
            "date_order"
        );
        let open = p(date!(2005 - 02 - 20), None).unwrap();
        assert!(open.active_on(date!(2006 - 01 - 01)));
        assert!(!open.active_on(date!(2005 - 02 - 19)));
        let json = to_json(&open);
        assert!(!json.contains("until"), "{json}");
        assert_eq!(from_json::<Pairing>(&json).unwrap(), open);
        let closed = p(date!(2005 - 02 - 20), Some(date!(2005 - 03 - 10))).unwrap();
        assert!(to_json(&closed).contains(r#""until":"2005-03-10""#));
        assert_eq!(from_json::<Pairing>(&to_json(&closed)).unwrap(), closed);
    }

    #[test]
    fn current_pairings_agree_with_current_pairing() {
        let p = |id: u128, household: u128, until: Option<Date>| {
            Pairing::new(
                PairingId::from_u128(id),
                MemberId::from_u128(id),
                HouseholdId::from_u128(household),
                date!(2005 - 02 - 20),
                until,
            )
            .unwrap()
        };
        let ended = Some(date!(2005 - 03 - 01));
        // Household 1: two open (the newer wins); 2: only ended; 3: one open.
        let all = vec![
            p(5, 1, None),
            p(9, 1, None),
            p(7, 2, ended),
            p(3, 3, None),
            p(8, 3, ended),
        ];
        let current = current_pairings(&all);
        for h in 1..=4 {
            let h = HouseholdId::from_u128(h);
            assert_eq!(current.get(&h).copied(), current_pairing(h, &all), "{h:?}");
        }
        assert_eq!(current.len(), 2);
    }

    #[test]
    fn support_items_validate_amounts() {
        let item = |support| {
            SupportItem::new(
                SupportId::from_u128(1),
                HouseholdId::from_u128(1),
                MemberId::from_u128(1),
                date!(2005 - 02 - 25),
                support,
                "慰问金",
            )
        };
        assert!(item(SupportKind::Funds {
            amount: Fen::from_yuan(500).unwrap()
        })
        .is_ok());
        assert_eq!(
            item(SupportKind::Funds { amount: Fen::ZERO })
                .unwrap_err()
                .code(),
            "out_of_range"
        );
        assert_eq!(
            item(SupportKind::Goods { value: Fen::ZERO })
                .unwrap_err()
                .code(),
            "out_of_range"
        );
        let ok = item(SupportKind::Production {
            area: Some(Mu::from_mu(12).unwrap()),
        })
        .unwrap();
        let json = to_json(&ok);
        assert!(
            json.contains(r#""support":{"kind":"production","area":120}"#),
            "{json}"
        );
        let negative = json.replace(r#""area":120"#, r#""area":-5"#);
        assert_eq!(
            from_json::<SupportItem>(&negative).unwrap_err().code(),
            "invalid_json"
        );
        let unknown = json.replace(r#""kind":"production""#, r#""kind":"lottery""#);
        assert_eq!(
            from_json::<SupportItem>(&unknown).unwrap_err().code(),
            "unknown_value"
        );
    }

    #[test]
    fn support_from_form_table() {
        use SupportType as T;
        let cases: [(T, &str, &str, Result<SupportKind, &str>); 9] = [
            (
                T::Funds,
                "500",
                "",
                Ok(SupportKind::Funds {
                    amount: Fen::new(50_000).unwrap(),
                }),
            ),
            (
                T::Goods,
                "300.50",
                "9",
                Ok(SupportKind::Goods {
                    value: Fen::new(30_050).unwrap(),
                }),
            ),
            (
                T::Production,
                "",
                "12.5",
                Ok(SupportKind::Production {
                    area: Some(Mu::from_tenths(125).unwrap()),
                }),
            ),
            (
                T::Production,
                "",
                " ",
                Ok(SupportKind::Production { area: None }),
            ),
            (T::Project, "abc", "abc", Ok(SupportKind::Project)),
            (T::Information, "", "", Ok(SupportKind::Information)),
            (T::Funds, "五百", "", Err("amount")),
            (T::Goods, "", "", Err("value")),
            (T::Production, "", "1.25", Err("area")),
        ];
        for (kind, amount, area, want) in cases {
            let got = SupportKind::from_form(kind, amount, area).map_err(|e| match e {
                DomainError::UnknownValue { field, .. } => field,
                e => panic!("{e:?}"),
            });
            assert_eq!(got, want, "{kind:?} {amount:?} {area:?}");
        }
        let goods = SupportKind::from_form(T::Goods, "1", "").unwrap();
        assert_eq!(goods.support_type(), T::Goods);
        assert_eq!(goods.label_zh(), "物资");
        assert_eq!(goods.fen(), Some(Fen::new(100).unwrap()));
        assert_eq!(goods.area(), None);
    }

    #[test]
    fn current_pairing_is_the_newest_open_one() {
        let h = HouseholdId::from_u128(1);
        let p = |id: u128, household: HouseholdId, until| {
            Pairing::new(
                PairingId::from_u128(id),
                MemberId::from_u128(id),
                household,
                date!(2005 - 02 - 20),
                until,
            )
            .unwrap()
        };
        let ended = Some(date!(2005 - 03 - 01));
        let cases: Vec<(Vec<Pairing>, Option<u128>)> = vec![
            (vec![], None),
            (vec![p(1, h, None)], Some(1)),
            (vec![p(1, h, None), p(2, h, None)], Some(2)),
            (vec![p(2, h, None), p(1, h, None)], Some(2)),
            (vec![p(1, h, None), p(2, h, ended)], Some(1)),
            (vec![p(1, h, ended)], None),
            (vec![p(3, HouseholdId::from_u128(9), None)], None),
        ];
        for (pairings, want) in cases {
            let got = current_pairing(h, &pairings).map(|p| p.id.as_u128());
            assert_eq!(got, want, "{pairings:?}");
        }
    }

    #[test]
    fn visits_keep_problems_apart_and_old_json_reads() {
        let visit = Visit::new(
            VisitId::from_u128(1),
            HouseholdId::from_u128(2),
            MemberId::from_u128(3),
            date!(2005 - 02 - 25),
            "老人卧病在床",
        )
        .unwrap()
        .with_problems(" 缺化肥 ")
        .unwrap();
        assert_eq!(visit.problems, "缺化肥");
        let json = to_json(&visit);
        assert!(json.contains(r#""problems":"缺化肥""#), "{json}");
        assert_eq!(from_json::<Visit>(&json).unwrap(), visit);
        let old = json.replace(r#","problems":"缺化肥""#, "");
        assert_eq!(from_json::<Visit>(&old).unwrap().problems, "");
        let long = visit.clone().with_problems("问".repeat(NOTE_MAX + 1));
        assert_eq!(long.unwrap_err().code(), "too_long");
    }

    #[test]
    fn report_review_status_is_derived() {
        let report = SituationReport::new(
            ReportId::from_u128(1),
            MemberId::from_u128(1),
            Recipient::SupervisionGroup {
                group: GroupId::from_u128(1),
            },
            date!(2005 - 03 - 01),
            "村里道路失修，群众出行困难。",
        )
        .unwrap();
        assert_eq!(review_status(report.id, &[]), ReviewStatus::Submitted);
        let review = |id: u128, on, decision| {
            ReportReview::new(
                ReportReviewId::from_u128(id),
                report.id,
                Reviewer::Inspector(InspectorId::from_u128(1)),
                on,
                decision,
                if decision == Decision::Returned {
                    "请补充具体事例"
                } else {
                    ""
                },
            )
            .unwrap()
        };
        let bare_return = ReportReview::new(
            ReportReviewId::from_u128(9),
            report.id,
            Reviewer::Inspector(InspectorId::from_u128(1)),
            date!(2005 - 03 - 03),
            Decision::Returned,
            " ",
        );
        assert_eq!(bare_return.unwrap_err().code(), "empty_text");
        let reviews = vec![
            review(2, date!(2005 - 03 - 05), Decision::Accepted),
            review(1, date!(2005 - 03 - 03), Decision::Returned),
        ];
        assert_eq!(review_status(report.id, &reviews), ReviewStatus::Accepted);
        assert_eq!(
            review_status(report.id, &reviews[1..]),
            ReviewStatus::Returned
        );
        let json = to_json(&report);
        assert!(
            json.contains(r#""submitted_to":{"to":"supervision_group","group":"#),
            "{json}"
        );
        assert_eq!(
            SituationReport::new(
                report.id,
                report.member,
                report.submitted_to,
                report.submitted_on,
                "  "
            )
            .unwrap_err()
            .code(),
            "empty_text"
        );
    }
}
