//! The canonical view of spot-check facts that every rule reads.
//!
//! Why: facts arrive in any order (phones sync whenever they have signal),
//! and the rules must not care. This puts them in one canonical form:
//!
//! - checks sorted by instant, then id (the ladder's order); a repeated
//!   check id keeps its earliest copy;
//! - observations whose check is unknown (not synced yet) are set aside as
//!   orphans, not guessed at;
//! - per check, one observation per member: the one with the smallest id
//!   (the first recorded, ids being UUIDv7) decides, whatever its outcome;
//!   the others are reported as duplicates.
//!
//! Speed (100,000 observations in a few milliseconds, on a phone too):
//! each observation is looked up once and copied into an 8-byte [`Fact`],
//! so later passes never chase pointers into the large observations. When
//! a check's observations arrive together (the usual case: they are
//! recorded on one phone and synced together) that single pass also
//! deduplicates; otherwise a counting sort groups them by check first.
//! Both paths give the same result (tested). Limits: 2^30 members, 2^32
//! observations.

use crate::hash::IdTable;
use crate::ids::{MemberId, ObservationId};

use super::{Observation, Outcome, SpotCheck};

/// An outcome without its payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Seen {
    Wearing = 0,
    Miss = 1,
    Excused = 2,
    Absent = 3,
}

impl Seen {
    #[inline(always)]
    fn of(outcome: &Outcome) -> Self {
        match outcome {
            Outcome::Wearing => Seen::Wearing,
            Outcome::NotWearing => Seen::Miss,
            Outcome::Excused { .. } => Seen::Excused,
            Outcome::Absent => Seen::Absent,
        }
    }

    /// Wearing or not: counted in the rate.
    pub fn is_seen(self) -> bool {
        matches!(self, Seen::Wearing | Seen::Miss)
    }
}

/// One counted observation in 8 bytes: the interned member and the outcome
/// packed as `member << 2 | seen`, and the index of the observation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fact {
    packed: u32,
    pub obs: u32,
}

impl Fact {
    #[inline(always)]
    fn new(member: u32, seen: Seen, obs: usize) -> Self {
        Self {
            packed: member << 2 | seen as u32,
            obs: obs as u32,
        }
    }

    #[inline(always)]
    pub fn member(&self) -> u32 {
        self.packed >> 2
    }

    #[inline(always)]
    pub fn seen(&self) -> Seen {
        match self.packed & 3 {
            0 => Seen::Wearing,
            1 => Seen::Miss,
            2 => Seen::Excused,
            _ => Seen::Absent,
        }
    }
}

pub(crate) struct Canon<'a> {
    /// Checks in ladder order: by instant, then id.
    pub checks: Vec<&'a SpotCheck>,
    /// The observations as given (facts index into them).
    pub observations: &'a [Observation],
    /// Interned members, in order of first appearance (never an output order).
    pub members: Vec<MemberId>,
    /// Counted facts.
    facts: Vec<Fact>,
    /// `facts[ranges[c].0..ranges[c].1]` belong to `checks[c]`.
    ranges: Vec<(u32, u32)>,
    /// Observations of unknown checks, ascending.
    pub orphans: Vec<ObservationId>,
    /// Second and later observations of a member in one check, ascending.
    pub duplicates: Vec<ObservationId>,
}

/// What either path produces.
struct Parts {
    facts: Vec<Fact>,
    ranges: Vec<(u32, u32)>,
    orphans: Vec<ObservationId>,
    duplicates: Vec<ObservationId>,
}

/// Per-member state of the one-per-check dedup.
struct Dedup {
    /// The check position a member was last counted in.
    stamp: Vec<u32>,
    /// Where in `facts` that member's fact for that check is.
    kept_at: Vec<u32>,
    duplicates: Vec<ObservationId>,
}

impl Dedup {
    fn new() -> Self {
        Self {
            stamp: Vec::new(),
            kept_at: Vec::new(),
            duplicates: Vec::new(),
        }
    }

    /// Makes room for members up to index `m`.
    #[inline(always)]
    fn fit(&mut self, m: u32) {
        let m = m as usize;
        if m >= self.stamp.len() {
            self.stamp.resize(m + 1, u32::MAX);
            self.kept_at.resize(m + 1, 0);
        }
    }

    /// Adds `fact` of check `c` to `facts`, or settles a repeat of its member.
    #[inline(always)]
    fn push(&mut self, c: u32, fact: Fact, facts: &mut Vec<Fact>, observations: &[Observation]) {
        let m = fact.member() as usize;
        if self.stamp[m] != c {
            self.stamp[m] = c;
            self.kept_at[m] = facts.len() as u32;
            facts.push(fact);
        } else {
            let kept = &mut facts[self.kept_at[m] as usize];
            let new_id = observations[fact.obs as usize].id;
            let kept_id = observations[kept.obs as usize].id;
            if new_id.as_u128() < kept_id.as_u128() {
                self.duplicates.push(kept_id);
                *kept = fact;
            } else {
                self.duplicates.push(new_id);
            }
        }
    }
}

/// Check and member lookups shared by both paths.
struct Lookup {
    position: IdTable,
    members: IdTable,
    member_ids: Vec<MemberId>,
    /// The last check looked up (observations come in runs of one check).
    last: (u128, Option<u32>),
}

impl Lookup {
    #[inline(always)]
    fn check(&mut self, obs: &Observation) -> Option<u32> {
        let key = obs.check.as_u128();
        if key != self.last.0 {
            self.last = (key, self.position.get(key));
        }
        self.last.1
    }

    #[inline(always)]
    fn member(&mut self, obs: &Observation) -> u32 {
        let (index, new) = self.members.intern(obs.member.as_u128());
        if new {
            self.member_ids.push(obs.member);
        }
        index
    }
}

impl<'a> Canon<'a> {
    pub fn build(checks: &'a [SpotCheck], observations: &'a [Observation]) -> Self {
        // Checks by (instant, id); the first copy of an id wins.
        let mut keyed: Vec<(i128, u128, u32)> = checks
            .iter()
            .enumerate()
            .map(|(i, c)| (c.at.unix_timestamp_nanos(), c.id.as_u128(), i as u32))
            .collect();
        keyed.sort_unstable();
        let mut position = IdTable::with_capacity(keyed.len());
        let mut sorted: Vec<&SpotCheck> = Vec::with_capacity(keyed.len());
        for &(_, id, i) in &keyed {
            if position.intern(id).1 {
                sorted.push(&checks[i as usize]);
            }
        }
        let last = (0, position.get(0));
        let mut lookup = Lookup {
            position,
            members: IdTable::with_capacity(4096),
            member_ids: Vec::new(),
            last,
        };
        let parts = match Self::grouped(sorted.len(), observations, &mut lookup) {
            Some(done) => done,
            None => Self::general(sorted.len(), observations, &mut lookup),
        };
        Canon {
            checks: sorted,
            observations,
            members: lookup.member_ids,
            facts: parts.facts,
            ranges: parts.ranges,
            orphans: parts.orphans,
            duplicates: parts.duplicates,
        }
    }

    /// One pass, when each check's observations arrive together; `None` as
    /// soon as a check shows up again after another one.
    fn grouped(
        n_checks: usize,
        observations: &[Observation],
        lookup: &mut Lookup,
    ) -> Option<Parts> {
        const UNSEEN: (u32, u32) = (u32::MAX, u32::MAX);
        let mut ranges = vec![UNSEEN; n_checks];
        let mut facts = Vec::with_capacity(observations.len());
        let mut orphans = Vec::new();
        let mut dedup = Dedup::new();
        let mut current = u32::MAX;
        for (i, obs) in observations.iter().enumerate() {
            let Some(c) = lookup.check(obs) else {
                orphans.push(obs.id);
                continue;
            };
            if c != current {
                if current != u32::MAX {
                    ranges[current as usize].1 = facts.len() as u32;
                }
                if ranges[c as usize] != UNSEEN {
                    return None;
                }
                ranges[c as usize] = (facts.len() as u32, facts.len() as u32);
                current = c;
            }
            let member = lookup.member(obs);
            dedup.fit(member);
            dedup.push(
                c,
                Fact::new(member, Seen::of(&obs.outcome), i),
                &mut facts,
                observations,
            );
        }
        if current != u32::MAX {
            ranges[current as usize].1 = facts.len() as u32;
        }
        for r in ranges.iter_mut().filter(|r| **r == UNSEEN) {
            *r = (0, 0);
        }
        Some(Self::finish(facts, ranges, orphans, dedup.duplicates))
    }

    /// Any order: pack, counting-sort by check, then deduplicate.
    fn general(n_checks: usize, observations: &[Observation], lookup: &mut Lookup) -> Parts {
        let mut orphans = Vec::new();
        let mut counts = vec![0u32; n_checks + 1];
        let mut packed: Vec<(u32, Fact)> = Vec::with_capacity(observations.len());
        for (i, obs) in observations.iter().enumerate() {
            let Some(c) = lookup.check(obs) else {
                orphans.push(obs.id);
                continue;
            };
            counts[c as usize + 1] += 1;
            packed.push((c, Fact::new(lookup.member(obs), Seen::of(&obs.outcome), i)));
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut next = counts.clone();
        let mut by_check = vec![Fact { packed: 0, obs: 0 }; packed.len()];
        for &(c, fact) in &packed {
            let slot = &mut next[c as usize];
            by_check[*slot as usize] = fact;
            *slot += 1;
        }
        drop(packed);
        let mut facts = Vec::with_capacity(by_check.len());
        let mut ranges = Vec::with_capacity(n_checks);
        let mut dedup = Dedup::new();
        dedup.fit(lookup.member_ids.len() as u32);
        for c in 0..n_checks {
            let start = facts.len() as u32;
            for &fact in &by_check[counts[c] as usize..counts[c + 1] as usize] {
                dedup.push(c as u32, fact, &mut facts, observations);
            }
            ranges.push((start, facts.len() as u32));
        }
        Self::finish(facts, ranges, orphans, dedup.duplicates)
    }

    fn finish(
        facts: Vec<Fact>,
        ranges: Vec<(u32, u32)>,
        mut orphans: Vec<ObservationId>,
        mut duplicates: Vec<ObservationId>,
    ) -> Parts {
        orphans.sort_unstable_by_key(ObservationId::as_u128);
        duplicates.sort_unstable_by_key(ObservationId::as_u128);
        Parts {
            facts,
            ranges,
            orphans,
            duplicates,
        }
    }

    /// The counted facts of check `c`.
    #[inline(always)]
    pub fn of_check(&self, c: usize) -> &[Fact] {
        let (start, end) = self.ranges[c];
        &self.facts[start as usize..end as usize]
    }

    /// The observation behind a fact.
    pub fn observation(&self, fact: &Fact) -> &'a Observation {
        &self.observations[fact.obs as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spotcheck::fixtures::*;

    /// The grouped fast path and the general path agree.
    #[test]
    fn both_paths_agree() {
        let city = TinyCity::new();
        let c1 = city.check(1, city.units[0], day(7), None);
        let c2 = city.check(2, city.units[0], day(8), None);
        let m = &city.members;
        let grouped = vec![
            observation(1, &c2, m[0], Outcome::NotWearing),
            observation(2, &c2, m[1], Outcome::Wearing),
            observation(9, &c2, m[1], Outcome::NotWearing),
            observation(3, &c1, m[0], Outcome::NotWearing),
            observation(4, &c1, m[0], Outcome::Wearing),
            observation(
                5,
                &city.check(3, city.units[0], day(9), None),
                m[2],
                Outcome::Absent,
            ),
        ];
        let mut interleaved = grouped.clone();
        interleaved.swap(0, 3);
        let checks = [c1, c2];
        let a = Canon::build(&checks, &grouped);
        let b = Canon::build(&checks, &interleaved);
        let view = |c: &Canon<'_>| -> Vec<Vec<(MemberId, ObservationId, bool)>> {
            (0..c.checks.len())
                .map(|i| {
                    let mut v: Vec<_> = c
                        .of_check(i)
                        .iter()
                        .map(|f| {
                            (
                                c.members[f.member() as usize],
                                c.observation(f).id,
                                f.seen() == Seen::Miss,
                            )
                        })
                        .collect();
                    v.sort();
                    v
                })
                .collect()
        };
        assert_eq!(view(&a), view(&b));
        assert_eq!(a.duplicates, b.duplicates);
        assert_eq!(
            a.duplicates,
            vec![ObservationId::from_u128(4), ObservationId::from_u128(9)]
        );
        assert_eq!(a.orphans, vec![ObservationId::from_u128(5)]);
        assert_eq!(a.orphans, b.orphans);
        assert_eq!(view(&a)[0], vec![(m[0], ObservationId::from_u128(3), true)]);
    }
}
