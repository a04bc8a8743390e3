//! The city of the documents at full scale, for benchmarks and load tests
//! (`.ci/bench city`, the `xianfeng-city` tool): 10 systems, 107 units,
//! 3,679 members (one unit of exactly 250, the tap test's), branches,
//! inspection groups with inspectors, six weeks of spot checks (~100,000
//! observations, a few % misses), 85 villages, 2,000 households with
//! pairings, visits and ~20,000 support items, demonstration posts with
//! commitments, reviews and checks, and the study stage's closed week (five
//! 8-hour sessions in every branch with everyone's attendance, ~19,000
//! facts): about 158,000 records.
//!
//! Why here: like [`crate::demo`], it is built only from the domain
//! constructors, so every record is valid, and it is pure: `today` is
//! passed in, randomness is a seeded xorshift, and ids are fixed under
//! [`CITY_ID_PREFIX`] (not the demo's), so the same day gives the same city.
//! [`Scale`] shrinks the member roster and the households for fast tests;
//! the org chart (systems, units, villages) keeps its full shape.
//!
//! Records come in dependency order (a parent before its children), with
//! the scopes of three users: the office (city), an inspector of the
//! system holding the big unit, and a cadre of one village.

mod campaign;
mod names;
mod study;
#[cfg(test)]
mod tests;
mod visible;

use serde::Serialize;
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset, Weekday};
use uuid::Uuid;

use crate::demo::DemoRecord;
use crate::error::DomainError;
use crate::ids::*;
use crate::org::{
    Branch, InspectionGroup, Inspector, Member, MemberStatus, Office, PostType, System, Unit,
};
use crate::schema::Record;
use crate::scope::Scope;
use crate::spotcheck::{CheckMode, Observation, Outcome, Place, SpotCheck};

pub use names::BIG_UNIT_MEMBERS;
pub use visible::count_visible;

/// Every city id's first 32 bits: `c1770000-…` (the demo's are `de300000-…`).
pub const CITY_ID_PREFIX: u128 = 0xc177_0000 << 96;

/// Spot checks per unit over the six weeks (~4.5 a week, each observing
/// every member): 27 × 3,679 members ≈ 100,000 observations.
pub const CHECKS_PER_UNIT: u32 = 27;
/// The weekdays (Monday to Friday) the checks spread over, ending today.
const CHECK_DAYS: usize = 30;
/// Households at full scale, spread round-robin over the 85 villages.
const HOUSEHOLDS: u32 = 2_000;

/// How big a city to build: the full one, or one with the member roster
/// and the households divided (every unit keeps at least one member).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale(u32);

impl Scale {
    /// The city of the documents.
    pub const FULL: Scale = Scale(1);

    /// Members per unit and households divided by `divisor` (rounded up).
    pub fn divided_by(divisor: u32) -> Scale {
        Scale(divisor.max(1))
    }

    pub fn divisor(self) -> u32 {
        self.0
    }

    fn apply(self, n: u32) -> u32 {
        n.div_ceil(self.0).max(1)
    }
}

/// One of the three users the bench enrolls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CityUser {
    pub scope: Scope,
    /// The name to invite them with (the inspector's matches their
    /// inspector record, so the app knows 我是… without asking).
    pub name: String,
}

/// The city and the users that look at it.
#[derive(Clone, Debug)]
pub struct City {
    /// In dependency order (parents before children).
    pub records: Vec<DemoRecord>,
    pub office: CityUser,
    pub inspector: CityUser,
    /// The inspector record the inspector checks as.
    pub inspector_id: InspectorId,
    pub cadre: CityUser,
    /// The unit of [`BIG_UNIT_MEMBERS`] members (fewer when scaled down).
    pub big_unit: UnitId,
    pub big_unit_name: String,
    pub big_unit_members: u32,
}

/// Fixed ids: a kind tag and a running number under the city prefix.
struct Ids(u128);

impl Ids {
    fn next(&mut self, tag: u128) -> Uuid {
        self.0 += 1;
        Uuid::from_u128(CITY_ID_PREFIX | (tag << 64) | self.0)
    }
}

/// xorshift64*: tiny and seeded; enough to scatter misses and dates.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u32) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) as u32 % n.max(1)
    }
}

struct Builder {
    ids: Ids,
    rng: Rng,
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

/// A unit as the later sections need it.
struct BuiltUnit {
    id: UnitId,
    system: usize,
    members: Vec<(MemberId, MemberStatus)>,
    /// The unit's branches; member `i` is in branch `i % len`.
    branches: Vec<BranchId>,
    /// Share of observations that are misses, in per mille.
    miss_permille: u32,
}

/// The org chart as built: systems, units with members, each system's
/// group and inspectors.
struct Org {
    systems: Vec<SystemId>,
    units: Vec<BuiltUnit>,
    groups: Vec<(GroupId, Vec<(InspectorId, String)>)>,
}

/// Builds the city as it stands on `today`: six weeks of checks up to it.
pub fn city(today: Date, scale: Scale) -> Result<City, DomainError> {
    let mut b = Builder {
        ids: Ids(0),
        rng: Rng(0x5eed_c17f_0000_0001),
        records: Vec::with_capacity(140_000 / scale.divisor() as usize + 1_000),
    };
    let org = build_org(&mut b, scale)?;
    spot_checks(&mut b, &org, today)?;
    campaign::posts(&mut b, &org, today)?;
    let cadre_village = campaign::villages_and_households(&mut b, &org, today, scale)?;
    study::closed_study(&mut b, &org, today)?;
    let big_system = names::SYSTEMS
        .iter()
        .position(|s| s.big)
        .expect("one big system");
    let big = &org.units[big_unit_index()];
    let (inspector_id, inspector_name) = org.groups[big_system].1[0].clone();
    Ok(City {
        records: b.records,
        office: CityUser {
            scope: Scope::City,
            name: "先教办（城市测试）".into(),
        },
        inspector: CityUser {
            scope: Scope::System(org.systems[big_system]),
            name: inspector_name,
        },
        inspector_id,
        cadre: CityUser {
            scope: Scope::Village(cadre_village),
            name: "驻村干部（城市测试）".into(),
        },
        big_unit: big.id,
        big_unit_name: names::SYSTEMS[big_system].units[0].to_string(),
        big_unit_members: big.members.len() as u32,
    })
}

/// Index of the big unit among all units (the first unit of the big system).
fn big_unit_index() -> usize {
    names::SYSTEMS
        .iter()
        .take_while(|s| !s.big)
        .map(|s| s.units.len())
        .sum()
}

/// Member counts of a system's units at full scale: the big unit's fixed,
/// the rest sharing the system's total with some variety (weights 3–9).
fn unit_sizes(system: usize) -> Vec<u32> {
    let spec = &names::SYSTEMS[system];
    let big = if spec.big { BIG_UNIT_MEMBERS } else { 0 };
    let first = usize::from(spec.big);
    let n = spec.units.len() - first;
    let weights: Vec<u32> = (0..n).map(|i| 3 + ((i * 5 + system) % 7) as u32).collect();
    let sum: u32 = weights.iter().sum();
    let rest = spec.members - big;
    let mut sizes: Vec<u32> = weights.iter().map(|w| rest * w / sum).collect();
    let short = rest - sizes.iter().sum::<u32>();
    for s in sizes.iter_mut().take(short as usize) {
        *s += 1;
    }
    if spec.big {
        sizes.insert(0, BIG_UNIT_MEMBERS);
    }
    sizes
}

/// A member's status: about 9 % are not at their post (away, abroad, frail).
fn status(n: u32) -> MemberStatus {
    if n % 29 == 7 {
        MemberStatus::Floating
    } else if n % 31 == 11 {
        MemberStatus::Abroad
    } else if n % 37 == 5 {
        MemberStatus::Frail
    } else {
        MemberStatus::InPost
    }
}

/// Office, systems, units, branches, members, one group per system (all
/// its units) with three inspectors each.
fn build_org(b: &mut Builder, scale: Scale) -> Result<Org, DomainError> {
    let office = OfficeId::from_uuid(b.ids.next(1));
    b.push(
        *office.as_uuid(),
        Office::new(office, "示范市先进性教育活动领导小组办公室")?,
    );
    let mut org = Org {
        systems: Vec::new(),
        units: Vec::new(),
        groups: Vec::new(),
    };
    let mut person = 0u32;
    for (s, spec) in names::SYSTEMS.iter().enumerate() {
        let system = SystemId::from_uuid(b.ids.next(2));
        b.push(*system.as_uuid(), System::new(system, spec.name)?);
        org.systems.push(system);
        let mut unit_ids = Vec::new();
        for (name, size) in spec.units.iter().zip(unit_sizes(s)) {
            let unit = UnitId::from_uuid(b.ids.next(3));
            b.push(*unit.as_uuid(), Unit::new(unit, system, *name)?);
            let size = scale.apply(size);
            let branches: Vec<BranchId> = (0..size.div_ceil(40).clamp(1, 8) as usize)
                .map(|i| {
                    let branch = BranchId::from_uuid(b.ids.next(4));
                    b.push(
                        *branch.as_uuid(),
                        Branch::new(branch, unit, names::BRANCHES[i])?,
                    );
                    Ok(branch)
                })
                .collect::<Result<_, DomainError>>()?;
            let mut members = Vec::with_capacity(size as usize);
            for i in 0..size {
                let member = MemberId::from_uuid(b.ids.next(5));
                let status = status(person);
                let post_type = PostType::ALL[(person as usize * 3) % PostType::ALL.len()];
                let branch = branches[i as usize % branches.len()];
                b.push(
                    *member.as_uuid(),
                    Member::new(member, names::person(person), branch, post_type, status)?,
                );
                members.push((member, status));
                person += 1;
            }
            let index = org.units.len() as u32;
            org.units.push(BuiltUnit {
                id: unit,
                system: s,
                members,
                branches,
                miss_permille: 10 + (index * 13) % 50,
            });
            unit_ids.push(unit);
        }
        let group = GroupId::from_uuid(b.ids.next(6));
        b.push(
            *group.as_uuid(),
            InspectionGroup::new(group, names::GROUPS[s], system, unit_ids)?,
        );
        let mut inspectors = Vec::new();
        for i in 0..3u32 {
            let id = InspectorId::from_uuid(b.ids.next(7));
            // From the far end of the name grid: never a member's name.
            let name = names::person(names::DISTINCT_PEOPLE - 1 - (s as u32 * 3 + i));
            b.push(
                *id.as_uuid(),
                Inspector::new(id, name.clone(), Some(group))?,
            );
            inspectors.push((id, name));
        }
        org.groups.push((group, inspectors));
    }
    Ok(org)
}

/// The last `CHECK_DAYS` weekdays up to `today`, oldest first.
fn check_days(today: Date) -> Vec<Date> {
    let mut days = Vec::with_capacity(CHECK_DAYS);
    let mut day = today;
    while days.len() < CHECK_DAYS {
        if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            days.push(day);
        }
        day -= Duration::days(1);
    }
    days.reverse();
    days
}

/// An instant on `day` at `hour:minute` in the city's time (UTC+8).
fn at(day: Date, hour: u8, minute: u8) -> OffsetDateTime {
    OffsetDateTime::new_in_offset(
        day,
        Time::from_hms(hour, minute, 0).expect("valid time"),
        UtcOffset::from_hms(8, 0, 0).expect("valid offset"),
    )
}

/// Each unit checked `CHECKS_PER_UNIT` times over the check days by its
/// group's inspectors in turn; every member observed at every check.
fn spot_checks(b: &mut Builder, org: &Org, today: Date) -> Result<(), DomainError> {
    let days = check_days(today);
    for (u, unit) in org.units.iter().enumerate() {
        let (group, inspectors) = &org.groups[unit.system];
        for j in 0..CHECKS_PER_UNIT as usize {
            let day = days[(j * CHECK_DAYS / CHECKS_PER_UNIT as usize + u % 2).min(CHECK_DAYS - 1)];
            let check = CheckId::from_uuid(b.ids.next(8));
            let mode = if j % 3 == 2 {
                CheckMode::Unannounced
            } else {
                CheckMode::Announced
            };
            b.push(
                *check.as_uuid(),
                SpotCheck::new(
                    check,
                    inspectors[(u + j) % inspectors.len()].0,
                    Some(*group),
                    Place::Unit { unit: unit.id },
                    at(day, 8 + ((u + j) % 9) as u8, ((u * 7 + j * 13) % 60) as u8),
                    mode,
                    "",
                )?,
            );
            for &(member, status) in &unit.members {
                let outcome = outcome(&mut b.rng, unit.miss_permille, status);
                let id = ObservationId::from_uuid(b.ids.next(9));
                b.push(*id.as_uuid(), Observation::new(id, check, member, outcome)?);
            }
        }
    }
    Ok(())
}

/// Mostly 佩戴; `miss_permille` 未佩戴, 1 % excused, 1.5 % not there; a
/// member not at their post is mostly not there.
fn outcome(rng: &mut Rng, miss_permille: u32, status: MemberStatus) -> Outcome {
    if !status.expected_at_post() && rng.below(10) < 7 {
        return Outcome::Absent;
    }
    let r = rng.below(1000);
    if r < miss_permille {
        Outcome::NotWearing
    } else if r < miss_permille + 10 {
        Outcome::Excused {
            reason: names::EXCUSES[r as usize % names::EXCUSES.len()].into(),
        }
    } else if r < miss_permille + 25 {
        Outcome::Absent
    } else {
        Outcome::Wearing
    }
}
