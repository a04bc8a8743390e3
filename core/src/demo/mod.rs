//! The demo city for newcomers (`xianfeng-server --demo`): systems, units,
//! branches, members with post types and statuses, inspection groups, a few
//! weeks of spot checks with some misses (one member reaches the warning),
//! villages, households in difficulty with pairings and support, and the
//! study stage (`study`: sessions, attendance, a half-finished 转段评估).
//!
//! Why here: it is built only from the domain constructors, so it is always
//! valid data, and it is pure: `today` is passed in and ids are fixed
//! (every demo id starts with [`DEMO_ID_PREFIX`]), so the same day gives the
//! same city. The server keeps demo data in its own database; it never
//! mixes with real data.

use serde::Serialize;
use serde_json::Value;
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};
use uuid::Uuid;

use crate::calendar::HalfYear;
use crate::calendar::IsoWeek;
use crate::error::DomainError;
use crate::ids::*;
use crate::money::{Fen, Mu};
use crate::org::{
    Branch, InspectionGroup, Inspector, Member, MemberStatus, Office, PostType, System, Unit,
    Village,
};
use crate::pairing::{
    Household, HouseholdAttribute, Pairing, PovertyCause, SupportItem, SupportKind, Visit,
};
use crate::posts::{
    Commitment, CommitmentItem, Fulfilment, Post, PostCheck, PublicReview, Rating, Service,
};
use crate::schema::{Record, RecordKind};
use crate::scope::Scope;
use crate::spotcheck::{CheckMode, Observation, Outcome, Place, SpotCheck};

mod study;

/// Every demo id's first 32 bits: `de300000-…`.
pub const DEMO_ID_PREFIX: u128 = 0xde30_0000 << 96;

/// One demo record, ready to store or sync.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoRecord {
    pub kind: RecordKind,
    pub id: Uuid,
    pub value: Value,
}

/// The demo city and the scopes of its three demo users.
#[derive(Clone, Debug)]
pub struct DemoCity {
    /// In dependency order (parents before children).
    pub records: Vec<DemoRecord>,
    pub inspector_scope: Scope,
    pub inspector: InspectorId,
    pub cadre_scope: Scope,
}

/// Fixed ids: a kind tag and a running number under the demo prefix.
struct Ids(u128);

impl Ids {
    fn next(&mut self, tag: u128) -> Uuid {
        self.0 += 1;
        Uuid::from_u128(DEMO_ID_PREFIX | (tag << 64) | self.0)
    }
}

struct Builder {
    ids: Ids,
    records: Vec<DemoRecord>,
}

impl Builder {
    fn push<T: Record + Serialize>(&mut self, id: Uuid, record: T) {
        let value = serde_json::to_value(&record).expect("records serialise");
        self.records.push(DemoRecord {
            kind: T::KIND,
            id,
            value,
        });
    }
}

const SYSTEMS: [(&str, [&str; 2]); 3] = [
    ("教育系统", ["市教育局", "市第一中学"]),
    ("卫生系统", ["市卫生局", "市人民医院"]),
    ("农业系统", ["市农业局", "市农技推广中心"]),
];

const NAMES: [&str; 24] = [
    "王建国",
    "李秀英",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄丽",
    "周强",
    "吴敏",
    "徐军",
    "孙娟",
    "马超",
    "朱红",
    "胡斌",
    "郭芳",
    "何勇",
    "高燕",
    "林涛",
    "罗霞",
    "郑平",
    "梁琴",
    "谢峰",
    "宋梅",
];

const POSTS: [PostType; 6] = [
    PostType::Leadership,
    PostType::Management,
    PostType::Research,
    PostType::Support,
    PostType::Management,
    PostType::Retired,
];

/// Builds the demo city as it stands on `today`: three weeks of checks up to it.
pub fn demo_city(today: Date) -> Result<DemoCity, DomainError> {
    let mut b = Builder {
        ids: Ids(0),
        records: Vec::new(),
    };
    let office = b.ids.next(1);
    b.push(
        office,
        Office::new(
            OfficeId::from_uuid(office),
            "示范市先进性教育活动领导小组办公室（演示）",
        )?,
    );

    let mut units: Vec<(UnitId, Vec<MemberId>)> = Vec::new();
    let mut branches: Vec<(UnitId, BranchId, Vec<MemberId>)> = Vec::new();
    let mut groups = Vec::new();
    let mut name_at = 0;
    for (s, (system_name, unit_names)) in SYSTEMS.iter().enumerate() {
        let system = SystemId::from_uuid(b.ids.next(2));
        b.push(*system.as_uuid(), System::new(system, *system_name)?);
        let mut system_units = Vec::new();
        for unit_name in unit_names {
            let unit = UnitId::from_uuid(b.ids.next(3));
            b.push(*unit.as_uuid(), Unit::new(unit, system, *unit_name)?);
            let branch = BranchId::from_uuid(b.ids.next(4));
            b.push(
                *branch.as_uuid(),
                Branch::new(branch, unit, "机关第一党支部")?,
            );
            let mut members = Vec::new();
            for i in 0..4 {
                let member = MemberId::from_uuid(b.ids.next(5));
                let status = match (s + i) % 9 {
                    7 => MemberStatus::Floating,
                    8 => MemberStatus::Frail,
                    _ => MemberStatus::InPost,
                };
                b.push(
                    *member.as_uuid(),
                    Member::new(
                        member,
                        NAMES[name_at % NAMES.len()],
                        branch,
                        POSTS[(s + i) % POSTS.len()],
                        status,
                    )?,
                );
                name_at += 1;
                members.push(member);
            }
            system_units.push(unit);
            branches.push((unit, branch, members.clone()));
            units.push((unit, members));
        }
        let group = GroupId::from_uuid(b.ids.next(6));
        let group_name = format!("第{}督导组", ["一", "二", "三"][s]);
        b.push(
            *group.as_uuid(),
            InspectionGroup::new(group, group_name, system, system_units)?,
        );
        groups.push((group, system));
    }
    let (first_group, first_system) = groups[0];
    let inspector = InspectorId::from_uuid(b.ids.next(7));
    b.push(
        *inspector.as_uuid(),
        Inspector::new(inspector, "演示督导员", Some(first_group))?,
    );

    // Three ISO weeks of checks, twice a week per unit; the first member of
    // 市人民医院 (units[3]) misses once a week: 指出 → 批评 → 警告.
    let this_week = IsoWeek::of(today);
    let weeks = [this_week.prev().prev(), this_week.prev(), this_week];
    let mut n = 0usize;
    for (w, week) in weeks.iter().enumerate() {
        for (u, (unit, members)) in units.iter().enumerate() {
            let group = groups[u / 2].0;
            for visit in 0..2u8 {
                let day = week.monday() + Duration::days(i64::from(visit) * 2 + (u as i64 % 2));
                if day > today {
                    continue;
                }
                let at = OffsetDateTime::new_in_offset(
                    day,
                    Time::from_hms(9 + u as u8 % 6, 30, 0).expect("valid time"),
                    UtcOffset::from_hms(8, 0, 0).expect("valid offset"),
                );
                let check = CheckId::from_uuid(b.ids.next(8));
                let mode = if visit == 0 {
                    CheckMode::Announced
                } else {
                    CheckMode::Unannounced
                };
                b.push(
                    *check.as_uuid(),
                    SpotCheck::new(
                        check,
                        inspector,
                        Some(group),
                        Place::Unit { unit: *unit },
                        at,
                        mode,
                        "",
                    )?,
                );
                for (m, member) in members.iter().enumerate() {
                    n += 1;
                    // 市人民医院's first member misses every week (the ladder to 警告);
                    // a few other misses and excuses are scattered in.
                    let ladder_miss = u == 3 && m == 0 && visit == 0;
                    let scattered_miss =
                        n.is_multiple_of(17) || (w == 2 && u == 1 && m == 2 && visit == 1);
                    let outcome = if ladder_miss || scattered_miss {
                        Outcome::NotWearing
                    } else if n.is_multiple_of(23) {
                        Outcome::Excused {
                            reason: "外出开会".into(),
                        }
                    } else {
                        Outcome::Wearing
                    };
                    let id = ObservationId::from_uuid(b.ids.next(9));
                    b.push(
                        *id.as_uuid(),
                        Observation::new(id, check, *member, outcome)?,
                    );
                }
            }
        }
    }

    // Demonstration posts (党员示范岗) at the service windows, with
    // commitments, public reviews and an inspector's check each.
    let posts = [
        (1usize, "招生咨询窗口", [5u8, 5, 4, 5]),
        (3, "门诊服务台", [4, 3, 4, 2]),
    ];
    for (p, (u, post_name, ratings)) in posts.into_iter().enumerate() {
        let (unit, members) = &units[u];
        let member = members[1];
        let post = PostId::from_uuid(b.ids.next(15));
        b.push(*post.as_uuid(), Post::new(post, member, *unit, post_name)?);
        let filed = weeks[0].monday();
        let commitment = CommitmentId::from_uuid(b.ids.next(16));
        let mut kept = CommitmentItem::pending("群众来访一次告知、限时办结");
        kept.fulfilment = Fulfilment::Kept;
        let items = vec![kept, CommitmentItem::pending("每月开展一次便民服务")];
        b.push(
            *commitment.as_uuid(),
            Commitment::new(
                commitment,
                member,
                HalfYear::of(today),
                items,
                filed + Duration::days(7),
                filed,
            )?,
        );
        for (r, stars) in ratings.into_iter().enumerate() {
            let review = ReviewId::from_uuid(b.ids.next(17));
            let comment = (r == 0).then(|| ["服务热情，解答耐心", "排队时间有点长"][p].to_string());
            b.push(
                *review.as_uuid(),
                PublicReview::new(
                    review,
                    post,
                    filed + Duration::days(r as i64 + 1),
                    Rating::new(stars)?,
                    comment,
                    None,
                )?,
            );
        }
        let check = PostCheckId::from_uuid(b.ids.next(18));
        let at = OffsetDateTime::new_in_offset(
            filed + Duration::days(4),
            Time::from_hms(10, 0, 0).expect("valid time"),
            UtcOffset::from_hms(8, 0, 0).expect("valid offset"),
        );
        b.push(
            *check.as_uuid(),
            PostCheck::new(
                check,
                post,
                inspector,
                at,
                true,
                true,
                [Service::Good, Service::Fair][p],
            )?,
        );
    }

    // Villages with households in difficulty, paired with members of 市农业局.
    let (agri_unit, agri_members) = units[4].clone();
    let mut cadre_village = None;
    for (v, village_name) in ["红旗村", "前进村"].iter().enumerate() {
        let village = VillageId::from_uuid(b.ids.next(10));
        b.push(
            *village.as_uuid(),
            Village::new(
                village,
                *village_name,
                Some("城关镇".into()),
                Some(agri_unit),
            )?,
        );
        cadre_village.get_or_insert(village);
        let households: [(&str, u8, HouseholdAttribute, Vec<PovertyCause>); 2] = [
            (
                ["赵大山", "钱桂兰"][v],
                4,
                HouseholdAttribute::Dibao,
                vec![PovertyCause::Illness, PovertyCause::LackOfLabour],
            ),
            (
                ["孙有福", "李水生"][v],
                3,
                HouseholdAttribute::General,
                vec![PovertyCause::LackOfSkills],
            ),
        ];
        for (h, (head, size, attribute, causes)) in households.into_iter().enumerate() {
            let household = HouseholdId::from_uuid(b.ids.next(11));
            b.push(
                *household.as_uuid(),
                Household::new(household, head, village, size, attribute, causes, None)?,
            );
            let member = agri_members[(v * 2 + h) % agri_members.len()];
            let since = weeks[0].monday();
            let pairing = PairingId::from_uuid(b.ids.next(12));
            b.push(
                *pairing.as_uuid(),
                Pairing::new(pairing, member, household, since, None)?,
            );
            let visit = VisitId::from_uuid(b.ids.next(13));
            b.push(
                *visit.as_uuid(),
                Visit::new(
                    visit,
                    household,
                    member,
                    since + Duration::days(2),
                    "了解家庭收入和劳力情况",
                )?,
            );
            let supports = [
                (
                    SupportKind::Funds {
                        amount: Fen::new(50_000)?,
                    },
                    "春节慰问金",
                ),
                (
                    SupportKind::Goods {
                        value: Fen::new(32_000)?,
                    },
                    "化肥两袋、大米一袋",
                ),
                (
                    SupportKind::Production {
                        area: Some(Mu::from_tenths(25)?),
                    },
                    "调整种植结构，改种蔬菜",
                ),
            ];
            for (kind, what) in supports {
                let id = SupportId::from_uuid(b.ids.next(14));
                b.push(
                    *id.as_uuid(),
                    SupportItem::new(id, household, member, since + Duration::days(3), kind, what)?,
                );
            }
        }
    }

    study::study_stage(
        &mut b,
        &study::Org {
            start: weeks[0].monday(),
            branches: &branches,
            groups: &groups.iter().map(|&(g, _)| g).collect::<Vec<_>>(),
            inspector,
        },
    )?;

    Ok(DemoCity {
        records: b.records,
        inspector_scope: Scope::System(first_system),
        inspector,
        cadre_scope: Scope::Village(cadre_village.expect("two villages")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::validate_record;

    fn today() -> Date {
        Date::from_calendar_date(2026, time::Month::November, 21).unwrap()
    }

    #[test]
    fn every_demo_record_is_valid_and_marked() {
        let city = demo_city(today()).unwrap();
        assert!(city.records.len() > 100);
        for r in &city.records {
            validate_record(r.kind, &r.value).unwrap_or_else(|e| panic!("{:?}: {e}", r.kind));
            assert_eq!(r.id.as_u128() >> 96, DEMO_ID_PREFIX >> 96, "demo id prefix");
        }
        let mut ids: Vec<_> = city.records.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), city.records.len(), "ids are unique");
    }

    #[test]
    fn the_same_day_gives_the_same_city() {
        let a = demo_city(today()).unwrap().records;
        let b = demo_city(today()).unwrap().records;
        assert_eq!(a, b);
    }

    #[test]
    fn one_member_reaches_the_warning() {
        use crate::spotcheck::{Ladder, Step};
        let city = demo_city(today()).unwrap();
        let parse = |kind| {
            city.records
                .iter()
                .filter(move |r| r.kind == kind)
                .map(|r| r.value.clone())
        };
        let checks: Vec<SpotCheck> = parse(RecordKind::SpotCheck)
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        let observations: Vec<Observation> = parse(RecordKind::Observation)
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        let ladder = Ladder::compute(&checks, &observations);
        let warned = ladder
            .members
            .values()
            .filter(|m| m.entries.iter().any(|e| e.step == Step::Warn))
            .count();
        assert!(warned >= 1, "someone reaches 警告");
    }
}
