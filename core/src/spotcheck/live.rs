//! The spot-check views kept current one fact at a time: the ladder, the
//! tallies and each check's summary, equal at every moment to what
//! [`Ladder::compute`], [`Tally::compute`] and [`check_summary`] give over
//! the same facts (a property test checks it for any arrival order).
//!
//! Why: a phone at city scale holds ~100,000 observations. Recomputing the
//! ladder and tallies from scratch after every tap and every pulled page
//! costs tens of milliseconds on a cheap phone; a tap must fit in a frame.
//! Every figure here is a sum over members of what each member's own
//! observations contribute (a member sits in one unit; the ladder is
//! per member), so a new fact only makes its member's contribution be
//! computed again (a few dozen observations) and swapped into the sums.
//!
//! ```
//! use xianfeng_core::spotcheck::LiveSpotChecks;
//! use xianfeng_core::Directory;
//! let mut live = LiveSpotChecks::new(Directory::default());
//! // live.add_check(check); live.add_observation(observation);
//! // live.add_observations(page_of_observations);
//! assert!(live.ladder().members.is_empty());
//! ```
//!
//! Same rules as the from-scratch path (`canon`): checks ordered by
//! instant then id; per check one observation per member, the smallest id
//! decides; observations of unknown checks wait as orphans. Ids are
//! unique (facts are insert-once): adding an id again changes nothing.

use std::collections::BTreeMap;

use crate::calendar::IsoWeek;
use crate::directory::Directory;
use crate::hash::{map_with_capacity, FastMap};
use crate::ids::{CheckId, MemberId, ObservationId, UnitId};

use super::ladder::{step_for_nth_miss, Ladder, LadderEntry, MemberLadder};
use super::summary::{CheckSummary, Mark};
use super::tally::{StepCounts, Tally, UnitTally};
use super::{Observation, Outcome, SpotCheck};

/// What one member's observations add to the views.
#[derive(Clone, Debug, Default)]
struct Contribution {
    /// Per week: the member's figures (`members_checked` 0 or 1).
    weeks: Vec<(IsoWeek, UnitTally)>,
    /// Over the campaign (`members_checked`: seen at least once).
    campaign: Option<UnitTally>,
    /// Observations repeating the member within a check.
    duplicates: Vec<ObservationId>,
    /// Has an observation of a known check (counted by the tally).
    counted: bool,
}

/// Spot-check facts with their ladder, tallies and summaries kept current.
#[derive(Clone, Debug)]
pub struct LiveSpotChecks {
    directory: Directory,
    checks: FastMap<CheckId, SpotCheck>,
    observations: Vec<Observation>,
    seen_ids: FastMap<ObservationId, u32>,
    by_check: FastMap<CheckId, Vec<u32>>,
    by_member: FastMap<MemberId, Vec<u32>>,
    contributions: FastMap<MemberId, Contribution>,
    ladder: Ladder,
    tally: Tally,
}

impl LiveSpotChecks {
    pub fn new(directory: Directory) -> Self {
        Self {
            directory,
            checks: map_with_capacity(1024),
            observations: Vec::new(),
            seen_ids: map_with_capacity(1024),
            by_check: map_with_capacity(1024),
            by_member: map_with_capacity(1024),
            contributions: map_with_capacity(1024),
            ladder: Ladder::default(),
            tally: Tally::default(),
        }
    }

    /// The views over `checks` and `observations`, built in one go.
    pub fn build(directory: Directory, checks: &[SpotCheck], observations: &[Observation]) -> Self {
        let mut live = Self::new(directory);
        live.observations.reserve(observations.len());
        for check in checks {
            live.checks.entry(check.id).or_insert_with(|| check.clone());
        }
        for obs in observations {
            live.insert_observation(obs.clone());
        }
        live.recompute_everything();
        live
    }

    pub fn ladder(&self) -> &Ladder {
        &self.ladder
    }

    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    pub fn check(&self, id: CheckId) -> Option<&SpotCheck> {
        self.checks.get(&id)
    }

    pub fn checks(&self) -> impl Iterator<Item = &SpotCheck> {
        self.checks.values()
    }

    pub fn contains_observation(&self, id: ObservationId) -> bool {
        self.seen_ids.contains_key(&id)
    }

    pub fn observation_count(&self) -> usize {
        self.seen_ids.len()
    }

    /// Every observation recorded at `check` (duplicates included), in
    /// the order they were added.
    pub fn observations_of(&self, check: CheckId) -> impl Iterator<Item = &Observation> {
        self.by_check
            .get(&check)
            .into_iter()
            .flatten()
            .map(|&i| &self.observations[i as usize])
    }

    /// Takes in a check: its waiting observations stop being orphans.
    pub fn add_check(&mut self, check: SpotCheck) {
        if self.checks.contains_key(&check.id) {
            return;
        }
        let id = check.id;
        self.checks.insert(id, check);
        let waiting: Vec<u32> = self.by_check.get(&id).cloned().unwrap_or_default();
        let mut members: Vec<MemberId> = Vec::with_capacity(waiting.len());
        for i in waiting {
            let obs = &self.observations[i as usize];
            remove_sorted(&mut self.ladder.orphans, obs.id);
            members.push(obs.member);
        }
        members.sort_unstable();
        members.dedup();
        for member in members {
            self.recompute_member(member);
        }
    }

    /// Takes in an observation (an orphan until its check is known).
    pub fn add_observation(&mut self, observation: Observation) {
        self.add_observations(std::iter::once(observation));
    }

    /// Takes in many observations (a pulled page), computing each member
    /// they touch once: one at a time, a member with dozens of
    /// observations was computed again for every one of them (a second of
    /// a city office phone's first sync).
    pub fn add_observations(&mut self, observations: impl IntoIterator<Item = Observation>) {
        let mut members: Vec<MemberId> = Vec::new();
        let mut orphans: Vec<ObservationId> = Vec::new();
        for observation in observations {
            let (member, id) = (observation.member, observation.id);
            let known = self.checks.contains_key(&observation.check);
            if !self.insert_observation(observation) {
                continue;
            }
            if known {
                members.push(member);
            } else {
                orphans.push(id);
            }
        }
        if !orphans.is_empty() {
            self.ladder.orphans.extend(orphans);
            self.ladder.orphans.sort_unstable();
        }
        members.sort_unstable();
        members.dedup();
        for member in members {
            self.recompute_member(member);
        }
    }

    /// Takes back an observation (the phone's undo of its newest unsent
    /// fact); `false` if it was not there.
    pub fn remove_observation(&mut self, id: ObservationId) -> bool {
        let Some(i) = self.seen_ids.remove(&id) else {
            return false;
        };
        // The slot stays (indexes are positions); nothing points to it.
        let (check, member) = {
            let obs = &self.observations[i as usize];
            (obs.check, obs.member)
        };
        for list in [
            self.by_check.get_mut(&check),
            self.by_member.get_mut(&member),
        ]
        .into_iter()
        .flatten()
        {
            list.retain(|&j| j != i);
        }
        if self.checks.contains_key(&check) {
            self.recompute_member(member);
        } else {
            remove_sorted(&mut self.ladder.orphans, id);
        }
        true
    }

    /// Places members anew (a member moved, a unit was added): the tally
    /// is summed again from the members' contributions.
    pub fn set_directory(&mut self, directory: Directory) {
        self.directory = directory;
        self.tally = Tally::default();
        let members: Vec<MemberId> = self.contributions.keys().copied().collect();
        let contributions = std::mem::take(&mut self.contributions);
        for member in members {
            let c = contributions.get(&member).cloned().unwrap_or_default();
            self.apply(member, &c, true);
            self.contributions.insert(member, c);
        }
    }

    /// The summary of one check, as [`check_summary`](super::check_summary)
    /// gives it over the same facts.
    pub fn check_summary(&self, check: CheckId) -> Option<CheckSummary> {
        self.checks.get(&check)?;
        let mut deciding: BTreeMap<MemberId, &Observation> = BTreeMap::new();
        for obs in self.observations_of(check) {
            let slot = deciding.entry(obs.member).or_insert(obs);
            if obs.id < slot.id {
                *slot = obs;
            }
        }
        let mut summary = CheckSummary {
            check,
            marks: Vec::with_capacity(deciding.len()),
            wearing: 0,
            misses: 0,
            excused: 0,
            absent: 0,
            steps: StepCounts::default(),
        };
        for obs in deciding.values() {
            let mut mark = Mark {
                member: obs.member,
                observation: obs.id,
                outcome: obs.outcome.clone(),
                step: None,
                nth: None,
            };
            match obs.outcome {
                Outcome::Wearing => summary.wearing += 1,
                Outcome::Excused { .. } => summary.excused += 1,
                Outcome::Absent => summary.absent += 1,
                Outcome::NotWearing => {
                    summary.misses += 1;
                    let entry = self
                        .ladder
                        .member(obs.member)
                        .and_then(|l| l.entries.iter().find(|e| e.observation == obs.id));
                    if let Some(e) = entry {
                        mark.step = Some(e.step);
                        mark.nth = Some(e.nth);
                        summary.steps.add(e.step);
                    }
                }
            }
            summary.marks.push(mark);
        }
        summary.marks.sort_unstable_by_key(|m| m.observation);
        Some(summary)
    }

    /// Stores an observation and indexes it; `false` if its id is known.
    fn insert_observation(&mut self, observation: Observation) -> bool {
        if self.seen_ids.contains_key(&observation.id) {
            return false;
        }
        let i = self.observations.len() as u32;
        self.seen_ids.insert(observation.id, i);
        self.by_check.entry(observation.check).or_default().push(i);
        self.by_member
            .entry(observation.member)
            .or_default()
            .push(i);
        self.observations.push(observation);
        true
    }

    fn recompute_everything(&mut self) {
        let mut orphans: Vec<ObservationId> = self
            .observations
            .iter()
            .filter(|o| !self.checks.contains_key(&o.check))
            .map(|o| o.id)
            .collect();
        orphans.sort_unstable();
        self.ladder.orphans = orphans;
        let members: Vec<MemberId> = self.by_member.keys().copied().collect();
        for member in members {
            self.recompute_member(member);
        }
    }

    /// Computes `member`'s contribution from their observations and swaps
    /// it into the ladder and the tallies.
    fn recompute_member(&mut self, member: MemberId) {
        let fresh = self.contribution_of(member);
        if let Some(old) = self.contributions.remove(&member) {
            self.apply(member, &old, false);
        }
        self.apply(member, &fresh.0, true);
        match fresh.1 {
            Some(l) => self.ladder.members.insert(member, l),
            None => self.ladder.members.remove(&member),
        };
        self.contributions.insert(member, fresh.0);
    }

    fn contribution_of(&self, member: MemberId) -> (Contribution, Option<MemberLadder>) {
        // The deciding observation per known check, in ladder order.
        let mut per_check: FastMap<CheckId, &Observation> = map_with_capacity(16);
        let mut duplicates = Vec::new();
        for &i in self.by_member.get(&member).into_iter().flatten() {
            let obs = &self.observations[i as usize];
            if !self.checks.contains_key(&obs.check) {
                continue;
            }
            match per_check.get_mut(&obs.check) {
                None => {
                    per_check.insert(obs.check, obs);
                }
                Some(slot) if obs.id < slot.id => {
                    duplicates.push(slot.id);
                    *slot = obs;
                }
                Some(_) => duplicates.push(obs.id),
            }
        }
        let mut decided: Vec<(&SpotCheck, &Observation)> = per_check
            .into_iter()
            .map(|(c, o)| (&self.checks[&c], o))
            .collect();
        decided.sort_unstable_by_key(|(c, _)| (c.at.unix_timestamp_nanos(), c.id.as_u128()));
        duplicates.sort_unstable();

        let mut c = Contribution {
            counted: !decided.is_empty(),
            duplicates,
            ..Contribution::default()
        };
        let unit = UnitId::from_u128(0);
        let mut entries: Vec<LadderEntry> = Vec::new();
        let mut campaign = UnitTally::new(unit);
        for (check, obs) in decided {
            let week = IsoWeek::of_instant(check.at);
            let cell = match c.weeks.iter_mut().position(|(w, _)| *w == week) {
                Some(p) => &mut c.weeks[p].1,
                None => {
                    c.weeks.push((week, UnitTally::new(unit)));
                    &mut c.weeks.last_mut().expect("just pushed").1
                }
            };
            match obs.outcome {
                Outcome::Wearing => cell.wearing += 1,
                Outcome::NotWearing => {
                    cell.misses += 1;
                    let nth = entries.len() as u32 + 1;
                    let step = step_for_nth_miss(nth).expect("nth >= 1");
                    cell.steps.add(step);
                    entries.push(LadderEntry {
                        nth,
                        step,
                        observation: obs.id,
                        check: check.id,
                        at: check.at,
                    });
                }
                Outcome::Excused { .. } => cell.excused += 1,
                Outcome::Absent => cell.absent += 1,
            }
            if matches!(obs.outcome, Outcome::Wearing | Outcome::NotWearing) {
                cell.members_checked = 1;
                campaign.members_checked = 1;
            }
        }
        for (_, w) in &c.weeks {
            add_counts(&mut campaign, w, 1);
        }
        if c.counted {
            c.campaign = Some(campaign);
        }
        let ladder = (!entries.is_empty()).then_some(MemberLadder { member, entries });
        (c, ladder)
    }

    /// Adds (`add`) or takes away a member's contribution.
    fn apply(&mut self, member: MemberId, c: &Contribution, add: bool) {
        for d in &c.duplicates {
            if add {
                insert_sorted(&mut self.ladder.duplicates, *d);
            } else {
                remove_sorted(&mut self.ladder.duplicates, *d);
            }
        }
        if !c.counted {
            return;
        }
        let Some(unit) = self.directory.member_unit(member) else {
            if add {
                insert_sorted(&mut self.tally.unplaced, member);
            } else {
                remove_sorted(&mut self.tally.unplaced, member);
            }
            return;
        };
        let sign = if add { 1 } else { -1 };
        for (week, figures) in &c.weeks {
            let units = self.tally.weekly.entry(*week).or_default();
            let cell = units.entry(unit).or_insert_with(|| UnitTally::new(unit));
            add_counts(cell, figures, sign);
            cell.members_checked = cell
                .members_checked
                .wrapping_add_signed(sign * figures.members_checked as i32);
            if is_empty(cell) {
                units.remove(&unit);
            }
            if units.is_empty() {
                self.tally.weekly.remove(week);
            }
        }
        if let Some(figures) = &c.campaign {
            let cell = self
                .tally
                .campaign
                .entry(unit)
                .or_insert_with(|| UnitTally::new(unit));
            add_counts(cell, figures, sign);
            cell.members_checked = cell
                .members_checked
                .wrapping_add_signed(sign * figures.members_checked as i32);
            if is_empty(cell) {
                self.tally.campaign.remove(&unit);
            }
        }
    }
}

/// Whether a tally cell has nothing in it (the full tally leaves such out).
fn is_empty(t: &UnitTally) -> bool {
    t.observations() + t.excused + t.absent == 0
}

/// `into += sign × from`, every count but `members_checked`.
fn add_counts(into: &mut UnitTally, from: &UnitTally, sign: i32) {
    let add = |a: &mut u32, b: u32| *a = a.wrapping_add_signed(sign * b as i32);
    add(&mut into.wearing, from.wearing);
    add(&mut into.misses, from.misses);
    add(&mut into.excused, from.excused);
    add(&mut into.absent, from.absent);
    add(&mut into.steps.point_out, from.steps.point_out);
    add(&mut into.steps.criticise, from.steps.criticise);
    add(&mut into.steps.warn, from.steps.warn);
}

fn insert_sorted<T: Ord + Copy>(list: &mut Vec<T>, item: T) {
    if let Err(at) = list.binary_search(&item) {
        list.insert(at, item);
    }
}

fn remove_sorted<T: Ord + Copy>(list: &mut Vec<T>, item: T) {
    if let Ok(at) = list.binary_search(&item) {
        list.remove(at);
    }
}
