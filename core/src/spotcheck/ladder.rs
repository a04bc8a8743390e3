//! The escalation ladder per member, counted over the whole campaign.
//!
//! Why: 004 item 6: 发现一次当场指出，发现两次提出批评，发现三次作出警告，
//! 并在单位进行通报. The app shows the step at the moment of a miss, the
//! office drafts the notice, and a warning blocks the 示范岗 title.
//!
//! Decisions (each tested):
//! - only `NotWearing` counts; excused and absent never count, and wearing
//!   resets nothing;
//! - misses are ordered by the check's time, then check id (the observation
//!   id decides nothing else: one per member per check);
//! - a member observed twice in one check counts once: the observation
//!   with the smallest id decides (see `canon`), so a "wearing" recorded
//!   first and a "not wearing" recorded later is no miss;
//! - the 3rd and every later miss is a warning with a unit notice;
//! - observations of a check not synced yet are left out (`orphans`), so
//!   the ladder may grow a step when the check arrives, never shrink.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::directory::Directory;
use crate::error::Lang;
use crate::ids::{CheckId, MemberId, ObservationId, UnitId};

use super::canon::{Canon, Seen};
use super::{Observation, SpotCheck};

/// A step of the ladder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 当场指出: first miss.
    PointOut,
    /// 提出批评: second miss.
    Criticise,
    /// 作出警告 + 在单位通报: third and later misses.
    Warn,
}

impl Step {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Step::PointOut, Lang::ZhCn) => "当场指出",
            (Step::Criticise, Lang::ZhCn) => "提出批评",
            (Step::Warn, Lang::ZhCn) => "作出警告并在单位通报",
            (Step::PointOut, Lang::En) => "Pointed out on the spot",
            (Step::Criticise, Lang::En) => "Criticised",
            (Step::Warn, Lang::En) => "Warned, with a notice to the unit",
        }
    }

    /// Whether this step sends a notice to the member's unit.
    pub fn notifies_unit(self) -> bool {
        self == Step::Warn
    }
}

/// The step the `n`th miss (1-based) leads to; `None` for `n == 0`.
pub fn step_for_nth_miss(n: u32) -> Option<Step> {
    match n {
        0 => None,
        1 => Some(Step::PointOut),
        2 => Some(Step::Criticise),
        _ => Some(Step::Warn),
    }
}

/// One miss and the step it triggered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderEntry {
    /// 1 for the first miss, 2 for the second, …
    pub nth: u32,
    pub step: Step,
    /// The observation that triggered this step.
    pub observation: ObservationId,
    pub check: CheckId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A member's misses over the campaign, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLadder {
    pub member: MemberId,
    pub entries: Vec<LadderEntry>,
}

impl MemberLadder {
    pub fn misses(&self) -> u32 {
        self.entries.len() as u32
    }

    /// The highest step reached so far.
    pub fn current_step(&self) -> Option<Step> {
        self.entries.last().map(|e| e.step)
    }

    /// The step the next miss would produce (shown to the inspector).
    pub fn next_step(&self) -> Step {
        step_for_nth_miss(self.misses() + 1).expect("n + 1 >= 1")
    }

    /// Whether a warning was given on or before `date` (in the check's local date).
    pub fn warned_by(&self, date: Date) -> bool {
        self.entries
            .iter()
            .any(|e| e.step == Step::Warn && e.at.date() <= date)
    }

    /// One notice draft per warning.
    pub fn notices(&self) -> Vec<UnitNotice> {
        self.entries
            .iter()
            .filter(|e| e.step.notifies_unit())
            .map(|e| UnitNotice {
                member: self.member,
                nth: e.nth,
                observation: e.observation,
                check: e.check,
                miss_dates: self
                    .entries
                    .iter()
                    .take(e.nth as usize)
                    .map(|m| m.at.date())
                    .collect(),
            })
            .collect()
    }
}

/// The data of a notice to the unit (在单位进行通报); the app renders it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitNotice {
    pub member: MemberId,
    /// Which miss this is (3 or more).
    pub nth: u32,
    pub observation: ObservationId,
    pub check: CheckId,
    /// Dates of every miss up to and including this one.
    #[serde(with = "dates")]
    pub miss_dates: Vec<Date>,
}

impl UnitNotice {
    /// The notice text in zh-CN, for the unit's notice board.
    pub fn draft_zh(&self, member_name: &str, unit_name: &str) -> String {
        let dates: Vec<String> = self
            .miss_dates
            .iter()
            .map(|d| format!("{}年{}月{}日", d.year(), d.month() as u8, d.day()))
            .collect();
        format!(
            "关于{member}同志未按要求佩戴党徽的通报\n\n{unit}全体党员：\n\
             根据先进性教育活动“佩戴党徽、亮出党员身份”的要求，经巡察发现，\
             我单位党员{member}同志于{dates}共{n}次未按要求佩戴党徽。\
             按照“发现一次当场指出，发现两次提出批评，发现三次作出警告，并在单位进行通报”的规定，\
             现对{member}同志作出警告，并在全单位通报。\n\
             希望全体党员引以为戒，自觉佩戴党徽，亮出党员身份，接受群众监督。",
            member = member_name,
            unit = unit_name,
            dates = dates.join("、"),
            n = self.nth,
        )
    }
}

/// Every member with at least one miss, plus what was left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    pub members: BTreeMap<MemberId, MemberLadder>,
    /// Observations whose check is not known (yet).
    pub orphans: Vec<ObservationId>,
    /// Observations that repeat a member within one check.
    pub duplicates: Vec<ObservationId>,
}

impl Ladder {
    /// The ladder over facts given in any order.
    pub fn compute(checks: &[SpotCheck], observations: &[Observation]) -> Ladder {
        from_canon(&Canon::build(checks, observations)).0
    }

    pub fn member(&self, member: MemberId) -> Option<&MemberLadder> {
        self.members.get(&member)
    }

    /// The step the member's next miss would produce.
    pub fn next_step_for(&self, member: MemberId) -> Step {
        self.member(member)
            .map(MemberLadder::next_step)
            .unwrap_or(Step::PointOut)
    }

    /// Every notice draft, by member then miss.
    pub fn notices(&self) -> Vec<UnitNotice> {
        self.members.values().flat_map(|l| l.notices()).collect()
    }

    /// The notice a warning's triggering observation gave, if it gave one.
    pub fn notice_for(&self, observation: ObservationId) -> Option<UnitNotice> {
        self.members
            .values()
            .flat_map(|l| l.notices())
            .find(|n| n.observation == observation)
    }

    /// The ladders of a unit's members (placed by the directory), most
    /// misses first, then member id.
    pub fn of_unit(&self, directory: &Directory, unit: UnitId) -> Vec<&MemberLadder> {
        let mut list: Vec<&MemberLadder> = self
            .members
            .values()
            .filter(|l| directory.member_unit(l.member) == Some(unit))
            .collect();
        list.sort_unstable_by(|a, b| b.misses().cmp(&a.misses()).then(a.member.cmp(&b.member)));
        list
    }
}

/// A step reached, in canonical indices (for the tally).
#[derive(Clone, Copy)]
pub(crate) struct Hit {
    pub check: u32,
    pub member: u32,
    pub step: Step,
}

pub(crate) fn from_canon(canon: &Canon<'_>) -> (Ladder, Vec<Hit>) {
    let mut per_member: Vec<Vec<LadderEntry>> = vec![Vec::new(); canon.members.len()];
    let mut hits = Vec::new();
    for (c, check) in canon.checks.iter().enumerate() {
        for fact in canon.of_check(c) {
            if fact.seen() != Seen::Miss {
                continue;
            }
            let list = &mut per_member[fact.member() as usize];
            let nth = list.len() as u32 + 1;
            let step = step_for_nth_miss(nth).expect("nth >= 1");
            list.push(LadderEntry {
                nth,
                step,
                observation: canon.observation(fact).id,
                check: check.id,
                at: check.at,
            });
            hits.push(Hit {
                check: c as u32,
                member: fact.member(),
                step,
            });
        }
    }
    let mut members: Vec<(MemberId, MemberLadder)> = per_member
        .into_iter()
        .enumerate()
        .filter(|(_, entries)| !entries.is_empty())
        .map(|(i, entries)| {
            let member = canon.members[i];
            (member, MemberLadder { member, entries })
        })
        .collect();
    // Pre-sorted on integer keys, the map is built without id comparisons.
    members.sort_unstable_by_key(|(m, _)| m.as_u128());
    let members = members.into_iter().collect();
    let ladder = Ladder {
        members,
        orphans: canon.orphans.clone(),
        duplicates: canon.duplicates.clone(),
    };
    (ladder, hits)
}

/// serde for `Vec<Date>` as `["2005-03-01", …]`.
mod dates {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use time::Date;

    #[derive(Serialize, Deserialize)]
    #[serde(transparent)]
    struct D(#[serde(with = "crate::calendar::iso_date")] Date);

    pub fn serialize<S: Serializer>(dates: &[Date], s: S) -> Result<S::Ok, S::Error> {
        let wrapped: Vec<D> = dates.iter().map(|&d| D(d)).collect();
        wrapped.serialize(s)
    }

    pub fn deserialize<'de, De: Deserializer<'de>>(d: De) -> Result<Vec<Date>, De::Error> {
        let wrapped: Vec<D> = Vec::deserialize(d)?;
        Ok(wrapped.into_iter().map(|D(date)| date).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spotcheck::fixtures::*;
    use crate::spotcheck::Outcome;

    #[test]
    fn step_table() {
        let cases = [
            (0, None),
            (1, Some(Step::PointOut)),
            (2, Some(Step::Criticise)),
            (3, Some(Step::Warn)),
            (4, Some(Step::Warn)),
            (100, Some(Step::Warn)),
        ];
        for (n, step) in cases {
            assert_eq!(step_for_nth_miss(n), step, "{n}");
        }
        assert_eq!(Step::PointOut.label(Lang::ZhCn), "当场指出");
        assert!(Step::Warn.notifies_unit());
        assert!(!Step::Criticise.notifies_unit());
    }

    /// (outcomes of one member across checks 1..=n in time order, expected steps)
    #[test]
    fn ladder_table() {
        use Outcome::*;
        let excused = || Excused {
            reason: "外出开会".into(),
        };
        let cases: Vec<(Vec<Outcome>, Vec<Step>)> = vec![
            (vec![], vec![]),
            (vec![Wearing, Wearing], vec![]),
            (vec![NotWearing], vec![Step::PointOut]),
            (
                vec![NotWearing, Wearing, NotWearing],
                vec![Step::PointOut, Step::Criticise],
            ),
            (
                vec![NotWearing, NotWearing, NotWearing],
                vec![Step::PointOut, Step::Criticise, Step::Warn],
            ),
            (
                vec![NotWearing, NotWearing, NotWearing, NotWearing],
                vec![Step::PointOut, Step::Criticise, Step::Warn, Step::Warn],
            ),
            (vec![excused(), Absent, NotWearing], vec![Step::PointOut]),
            (vec![Absent, Absent, Absent], vec![]),
            (
                vec![NotWearing, excused(), Absent, Wearing, NotWearing],
                vec![Step::PointOut, Step::Criticise],
            ),
        ];
        for (outcomes, expected) in cases {
            let city = TinyCity::new();
            let m = city.members[0];
            let mut checks = Vec::new();
            let mut obs = Vec::new();
            for (i, outcome) in outcomes.iter().enumerate() {
                let c = city.check(i as u128 + 1, city.units[0], day(1 + i as u8), None);
                obs.push(observation(i as u128 + 1, &c, m, outcome.clone()));
                checks.push(c);
            }
            let ladder = Ladder::compute(&checks, &obs);
            let steps: Vec<Step> = ladder
                .member(m)
                .map(|l| l.entries.iter().map(|e| e.step).collect())
                .unwrap_or_default();
            assert_eq!(steps, expected, "{outcomes:?}");
        }
    }

    #[test]
    fn each_step_names_its_triggering_observation() {
        let city = TinyCity::new();
        let m = city.members[0];
        let c1 = city.check(1, city.units[0], day(1), None);
        let c2 = city.check(2, city.units[0], day(8), None);
        let c3 = city.check(3, city.units[0], day(15), None);
        // Arrive out of order.
        let obs = vec![
            observation(30, &c3, m, Outcome::NotWearing),
            observation(10, &c1, m, Outcome::NotWearing),
            observation(20, &c2, m, Outcome::NotWearing),
        ];
        let ladder = Ladder::compute(&[c3.clone(), c1.clone(), c2.clone()], &obs);
        let l = ladder.member(m).unwrap();
        let got: Vec<(u32, Step, ObservationId, CheckId)> = l
            .entries
            .iter()
            .map(|e| (e.nth, e.step, e.observation, e.check))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, Step::PointOut, ObservationId::from_u128(10), c1.id),
                (2, Step::Criticise, ObservationId::from_u128(20), c2.id),
                (3, Step::Warn, ObservationId::from_u128(30), c3.id),
            ]
        );
        assert_eq!(l.current_step(), Some(Step::Warn));
        assert_eq!(l.next_step(), Step::Warn);
        assert!(l.warned_by(day(15)));
        assert!(!l.warned_by(day(14)));
        assert_eq!(ladder.next_step_for(city.members[1]), Step::PointOut);
    }

    #[test]
    fn same_member_twice_in_one_check_counts_once_smallest_id_decides() {
        let city = TinyCity::new();
        let m = city.members[0];
        let c1 = city.check(1, city.units[0], day(1), None);
        let obs = vec![
            observation(2, &c1, m, Outcome::NotWearing),
            observation(1, &c1, m, Outcome::NotWearing),
        ];
        let ladder = Ladder::compute(std::slice::from_ref(&c1), &obs);
        let l = ladder.member(m).unwrap();
        assert_eq!(l.misses(), 1);
        assert_eq!(l.entries[0].observation, ObservationId::from_u128(1));
        assert_eq!(ladder.duplicates, vec![ObservationId::from_u128(2)]);

        // Wearing recorded first: the later "not wearing" is a duplicate, no miss.
        let obs = vec![
            observation(4, &c1, m, Outcome::NotWearing),
            observation(3, &c1, m, Outcome::Wearing),
        ];
        let ladder = Ladder::compute(std::slice::from_ref(&c1), &obs);
        assert!(ladder.member(m).is_none());
    }

    #[test]
    fn same_time_checks_are_ordered_by_id_and_orphans_are_set_aside() {
        let city = TinyCity::new();
        let m = city.members[0];
        let a = city.check(7, city.units[0], day(1), None);
        let b = city.check(5, city.units[0], day(1), None);
        let obs = vec![
            observation(1, &a, m, Outcome::NotWearing),
            observation(2, &b, m, Outcome::NotWearing),
            observation(
                3,
                &city.check(99, city.units[0], day(2), None),
                m,
                Outcome::NotWearing,
            ),
        ];
        let ladder = Ladder::compute(&[a, b.clone()], &obs);
        let l = ladder.member(m).unwrap();
        assert_eq!(
            l.entries[0].check, b.id,
            "same instant: smaller check id first"
        );
        assert_eq!(ladder.orphans, vec![ObservationId::from_u128(3)]);
    }

    #[test]
    fn a_units_ladders_and_the_notice_of_a_warning() {
        let city = TinyCity::new();
        let dir = city.directory();
        let (u0, u1) = (city.units[0], city.units[1]);
        let m = &city.members;
        let checks: Vec<_> = (1..=3)
            .map(|i| city.check(i, u0, day(i as u8), None))
            .collect();
        let mut obs = Vec::new();
        for (i, c) in checks.iter().enumerate() {
            let i = i as u128;
            obs.push(observation(10 + i, c, m[1], Outcome::NotWearing));
            if i == 0 {
                obs.push(observation(20, c, m[0], Outcome::NotWearing));
                obs.push(observation(21, c, m[4], Outcome::NotWearing)); // unit 1
            }
        }
        let ladder = Ladder::compute(&checks, &obs);
        let of_u0: Vec<(MemberId, u32)> = ladder
            .of_unit(&dir, u0)
            .iter()
            .map(|l| (l.member, l.misses()))
            .collect();
        assert_eq!(of_u0, vec![(m[1], 3), (m[0], 1)]);
        assert_eq!(ladder.of_unit(&dir, u1).len(), 1);
        assert!(ladder.of_unit(&dir, city.units[2]).is_empty());
        let notice = ladder.notice_for(ObservationId::from_u128(12)).unwrap();
        assert_eq!((notice.member, notice.nth), (m[1], 3));
        assert!(ladder.notice_for(ObservationId::from_u128(11)).is_none());
        assert!(ladder.notice_for(ObservationId::from_u128(20)).is_none());
    }

    #[test]
    fn notice_draft_in_chinese() {
        let city = TinyCity::new();
        let m = city.members[0];
        let checks: Vec<_> = (1..=3)
            .map(|i| city.check(i, city.units[0], day(i as u8 * 7), None))
            .collect();
        let obs: Vec<_> = checks
            .iter()
            .enumerate()
            .map(|(i, c)| observation(i as u128 + 1, c, m, Outcome::NotWearing))
            .collect();
        let ladder = Ladder::compute(&checks, &obs);
        let notices = ladder.notices();
        assert_eq!(notices.len(), 1);
        let n = &notices[0];
        assert_eq!(n.nth, 3);
        assert_eq!(n.miss_dates, vec![day(7), day(14), day(21)]);
        let text = n.draft_zh("张三", "教育局");
        assert!(
            text.contains("关于张三同志未按要求佩戴党徽的通报"),
            "{text}"
        );
        assert!(
            text.contains("2005年3月7日、2005年3月14日、2005年3月21日共3次"),
            "{text}"
        );
        assert!(text.contains("作出警告"));
        let json = serde_json::to_string(n).unwrap();
        assert!(json.contains(r#""miss_dates":["2005-03-07","2005-03-14","2005-03-21"]"#));
        assert_eq!(serde_json::from_str::<UnitNotice>(&json).unwrap(), *n);
    }
}
