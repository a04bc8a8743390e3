//! The half-year's 党员示范岗 titles, listed by system and unit.
//!
//! Why: 004 item 6: the organisation department reviews the posts and
//! awards the title; the office reports the awarded posts per unit and
//! system. The list is derived from the scores ([`super::score_all`]),
//! never stored: a later fact (a badge warning, a late review) changes it.
//!
//! Order: systems by id (posts whose unit's system is unknown last), units
//! by id, posts by id; ids are UUIDv7, so that is the order they were made
//! in (roster order).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::directory::Directory;
use crate::ids::{PostId, SystemId, UnitId};
use crate::order;

use super::score::Score;
use super::Post;

/// The awarded posts of one unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitAwards {
    pub unit: UnitId,
    pub posts: Vec<PostId>,
}

/// The awarded posts of one system, by unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemAwards {
    /// `None`: units whose system the directory does not know (yet).
    pub system: Option<SystemId>,
    pub units: Vec<UnitAwards>,
}

impl SystemAwards {
    /// Titles awarded in the system.
    pub fn count(&self) -> usize {
        self.units.iter().map(|u| u.posts.len()).sum()
    }
}

/// The posts whose score awards the title, grouped by system then unit.
/// Scores of posts not in `posts` are ignored.
pub fn award_list(scores: &[Score], posts: &[Post], directory: &Directory) -> Vec<SystemAwards> {
    let unit_of: BTreeMap<PostId, UnitId> = posts.iter().map(|p| (p.id, p.unit)).collect();
    // (system, None-last) → unit → posts
    let mut grouped: BTreeMap<(bool, Option<SystemId>), BTreeMap<UnitId, Vec<PostId>>> =
        BTreeMap::new();
    for score in scores.iter().filter(|s| s.award) {
        let Some(&unit) = unit_of.get(&score.post) else {
            continue;
        };
        let system = directory.unit_system(unit);
        grouped
            .entry((system.is_none(), system))
            .or_default()
            .entry(unit)
            .or_default()
            .push(score.post);
    }
    grouped
        .into_iter()
        .map(|((_, system), units)| SystemAwards {
            system,
            units: units
                .into_iter()
                .map(|(unit, mut posts)| {
                    order::sort(&mut posts);
                    posts.dedup();
                    UnitAwards { unit, posts }
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::HalfYear;
    use crate::ids::{BranchId, MemberId};
    use crate::org::{Branch, Unit};
    use crate::posts::score::ScoreStatus;
    use crate::posts::Grade;
    use time::macros::date;

    fn score(post: u128, award: bool) -> Score {
        Score {
            post: PostId::from_u128(post),
            member: MemberId::from_u128(post),
            period: HalfYear::of(date!(2010 - 09 - 01)),
            rubric_version: 1,
            lines: vec![],
            total: 9_500,
            status: ScoreStatus::Graded {
                grade: Grade::Excellent,
            },
            disqualifiers: vec![],
            award,
        }
    }

    #[test]
    fn awarded_posts_by_system_then_unit() {
        let (s1, s2) = (SystemId::from_u128(1), SystemId::from_u128(2));
        let (u1, u2, u3, lost) = (
            UnitId::from_u128(11),
            UnitId::from_u128(12),
            UnitId::from_u128(21),
            UnitId::from_u128(99),
        );
        let units = [
            Unit::new(u2, s1, "卫生局").unwrap(),
            Unit::new(u3, s2, "人民医院").unwrap(),
            Unit::new(u1, s1, "教育局").unwrap(),
        ];
        let branches = [Branch::new(BranchId::from_u128(1), u1, "机关支部").unwrap()];
        let directory = Directory::new(&units, &branches, &[], &[]);
        let post = |id: u128, unit: UnitId| {
            Post::new(PostId::from_u128(id), MemberId::from_u128(id), unit, "窗口").unwrap()
        };
        let posts = [
            post(5, u3),
            post(4, u1),
            post(3, u2),
            post(2, u1),
            post(1, lost),
            post(6, u1),
        ];
        // Given in any order; post 6 not awarded, post 7 unknown.
        let scores = [
            score(4, true),
            score(7, true),
            score(1, true),
            score(6, false),
            score(5, true),
            score(2, true),
            score(3, true),
        ];
        let list = award_list(&scores, &posts, &directory);
        type Shape = Vec<(Option<SystemId>, Vec<(UnitId, Vec<u128>)>)>;
        let shape: Shape = list
            .iter()
            .map(|s| {
                (
                    s.system,
                    s.units
                        .iter()
                        .map(|u| (u.unit, u.posts.iter().map(|p| p.as_u128()).collect()))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (Some(s1), vec![(u1, vec![2, 4]), (u2, vec![3])]),
                (Some(s2), vec![(u3, vec![5])]),
                (None, vec![(lost, vec![1])]),
            ]
        );
        assert_eq!(list[0].count(), 3);
        assert!(award_list(&[score(6, false)], &posts, &directory).is_empty());
    }
}
