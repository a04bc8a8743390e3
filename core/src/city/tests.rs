//! The city is valid, in dependency order, deterministic, and as big as
//! stated, at full scale and scaled down.

use std::collections::BTreeMap;

use time::macros::date;

use super::*;
use crate::schema::RecordKind;
use crate::scope::{Actor, Role};
use crate::sync::validate_record;

const TODAY: Date = date!(2026 - 11 - 21);

fn counts(city: &City) -> BTreeMap<RecordKind, usize> {
    let mut counts = BTreeMap::new();
    for r in &city.records {
        *counts.entry(r.kind).or_default() += 1;
    }
    counts
}

/// Members per unit at a scale, as `unit_sizes` and `Scale::apply` make them.
fn unit_members(scale: Scale) -> Vec<usize> {
    (0..names::SYSTEMS.len())
        .flat_map(unit_sizes)
        .map(|n| scale.apply(n) as usize)
        .collect()
}

#[test]
fn every_record_is_valid_ordered_and_counted() {
    // (divisor, members, households); the full city is the one of the documents.
    let cases = [(1, 3_679, 2_000), (10, 415, 200), (200, 108, 10)];
    for (divisor, members, households) in cases {
        let scale = Scale::divided_by(divisor);
        let city = city(TODAY, scale).unwrap();
        for r in &city.records {
            validate_record(r.kind, &r.value).unwrap_or_else(|e| panic!("{:?}: {e}", r.kind));
            assert_eq!(r.id.as_u128() >> 96, CITY_ID_PREFIX >> 96, "city id prefix");
        }
        let mut ids: Vec<_> = city.records.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), city.records.len(), "ids are unique");
        // Every parent comes before its children (else `locate` fails).
        visible::locations(&city.records).unwrap();

        let sizes = unit_members(scale);
        let posts: usize = sizes.iter().map(|n| 1 + n / 15).sum();
        let mut got = counts(&city);
        // The closed study week: five sessions a branch and a 补课 where
        // someone missed the first; everyone expected marked at each.
        let branches: usize = sizes.iter().map(|n| n.div_ceil(40).clamp(1, 8)).sum();
        let sessions = got.remove(&RecordKind::StudySession).unwrap_or(0);
        assert!(
            (5 * branches..=6 * branches).contains(&sessions),
            "{sessions} sessions, divisor {divisor}"
        );
        let attendance = got.remove(&RecordKind::Attendance).unwrap_or(0);
        assert!(
            (members * 9 / 2..=members * 5 + members / 10).contains(&attendance),
            "{attendance} attendance facts for {members} members, divisor {divisor}"
        );
        let want = BTreeMap::from([
            (RecordKind::Office, 1),
            (RecordKind::System, 10),
            (RecordKind::Unit, 107),
            (
                RecordKind::Branch,
                sizes.iter().map(|n| n.div_ceil(40).clamp(1, 8)).sum(),
            ),
            (RecordKind::Member, members),
            (RecordKind::InspectionGroup, 10),
            (RecordKind::Inspector, 30),
            (RecordKind::SpotCheck, 107 * 27),
            (RecordKind::Observation, members * 27),
            (RecordKind::Post, posts),
            (RecordKind::Commitment, posts),
            (RecordKind::PublicReview, posts * 5),
            (RecordKind::PostCheck, posts * 2),
            (RecordKind::Village, 85),
            (RecordKind::Household, households),
            (RecordKind::Pairing, households),
            (RecordKind::Visit, households * 3),
            (RecordKind::SupportItem, households * 10),
        ]);
        assert_eq!(got, want, "divisor {divisor}");
        assert_eq!(sizes.iter().sum::<usize>(), members, "divisor {divisor}");
        assert_eq!(
            city.big_unit_members,
            BIG_UNIT_MEMBERS.div_ceil(divisor),
            "divisor {divisor}"
        );
    }
}

#[test]
fn the_full_city_has_the_sizes_of_the_issue() {
    let city = city(TODAY, Scale::FULL).unwrap();
    let total = city.records.len();
    assert!((155_000..=160_000).contains(&total), "{total} records");
    let seen = |role, scope| count_visible(&city.records, &Actor::new(role, scope)).unwrap();
    assert_eq!(seen(Role::Office, city.office.scope), total);
    let inspector = seen(Role::Inspector, city.inspector.scope);
    assert!(
        (17_000..=20_000).contains(&inspector),
        "inspector sees {inspector}"
    );
    let cadre = seen(Role::Cadre, city.cadre.scope);
    assert!((450..=750).contains(&cadre), "cadre sees {cadre}");
    assert_eq!(city.big_unit_members, 250);
    assert_eq!(city.big_unit_name, "市人民医院");

    let observations: Vec<Observation> = city
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Observation)
        .map(|r| serde_json::from_value(r.value.clone()).unwrap())
        .collect();
    let misses = observations.iter().filter(|o| o.outcome.is_miss()).count();
    let rate = misses as f64 / observations.len() as f64;
    assert!((0.01..0.06).contains(&rate), "miss rate {rate}");
}

#[test]
fn the_inspector_record_bears_the_invite_name_in_scope() {
    let city = city(TODAY, Scale::divided_by(50)).unwrap();
    let inspectors: Vec<Inspector> = city
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Inspector)
        .map(|r| serde_json::from_value(r.value.clone()).unwrap())
        .collect();
    let named: Vec<_> = inspectors
        .iter()
        .filter(|i| i.name == city.inspector.name)
        .collect();
    assert_eq!(named.len(), 1, "exactly one record bears the name");
    assert_eq!(named[0].id, city.inspector_id);
    // Member names are unique city-wide (the bench taps by name).
    let members: Vec<String> = city
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Member)
        .map(|r| r.value["name"].as_str().unwrap().to_string())
        .collect();
    let mut unique = members.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), members.len());
    assert!(!members.contains(&city.inspector.name));
}

#[test]
fn the_same_day_gives_the_same_city() {
    let a = city(TODAY, Scale::divided_by(100)).unwrap().records;
    let b = city(TODAY, Scale::divided_by(100)).unwrap().records;
    assert_eq!(a, b);
}
