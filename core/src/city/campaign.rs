//! The city's 示范岗 and 结对帮扶: posts with this half-year's commitments,
//! public reviews and inspector checks; villages with households in
//! difficulty, each paired with a member of the village's work-team unit,
//! visited three times and given ten items of support.
//!
//! About two posts in five are run well (every item kept, 5-star reviews,
//! good checks), so the award list has names on it; the rest score lower.
//! A holder's badge warnings from the spot checks still take a post off.

use time::{Date, Duration};

use super::{at, names, Builder, Org, Scale, HOUSEHOLDS};
use crate::calendar::HalfYear;
use crate::error::DomainError;
use crate::ids::*;
use crate::money::{Fen, Mu};
use crate::org::Village;
use crate::pairing::{
    Household, HouseholdAttribute, Pairing, PovertyCause, SupportItem, SupportKind, Visit,
};
use crate::posts::{
    Commitment, CommitmentItem, Fulfilment, Post, PostCheck, PublicReview, Rating, Service,
};

/// Reviews per post (the default rubric needs 3).
const REVIEWS: usize = 5;
const POST_CHECKS: usize = 2;
const VISITS: u32 = 3;
const SUPPORTS: u32 = 10;

/// Posts in every unit (one, plus one per 15 members), each with its
/// holder's commitment for this half-year, reviews and checks dated in the
/// half-year's last 40 days up to `today`.
pub(super) fn posts(b: &mut Builder, org: &Org, today: Date) -> Result<(), DomainError> {
    let period = HalfYear::of(today);
    let start = period.start();
    let window = start.max(today - Duration::days(40));
    let span = (today - window).whole_days();
    let day = |i: i64| window + Duration::days(i.clamp(0, span));
    let mut p = 0usize;
    for unit in &org.units {
        let size = unit.members.len();
        let count = 1 + size / 15;
        let inspectors = &org.groups[unit.system].1;
        for k in 0..count {
            let good = p % 5 < 2;
            let (holder, _) = unit.members[k * (size / count)];
            let post = PostId::from_uuid(b.ids.next(15));
            let mut name = names::POSTS[k % names::POSTS.len()].to_string();
            if k >= names::POSTS.len() {
                name.push_str(&format!("（{}）", k / names::POSTS.len() + 1));
            }
            let promise = names::PROMISES[p % names::PROMISES.len()];
            b.push(
                *post.as_uuid(),
                Post::register(post, holder, unit.id, name, promise)?,
            );

            let commitment = CommitmentId::from_uuid(b.ids.next(16));
            let kept = [Fulfilment::Kept, Fulfilment::Partly, Fulfilment::Pending];
            let items = (0..3)
                .map(|i| CommitmentItem {
                    fulfilment: if good { Fulfilment::Kept } else { kept[i] },
                    ..CommitmentItem::pending(
                        names::COMMITMENT_ITEMS[(p + i) % names::COMMITMENT_ITEMS.len()],
                    )
                })
                .collect();
            let filed = (start + Duration::days(3 + (p % 20) as i64)).min(today);
            b.push(
                *commitment.as_uuid(),
                Commitment::new(
                    commitment,
                    holder,
                    period,
                    items,
                    start + Duration::days(30),
                    filed,
                )?,
            );

            let ratings = if good {
                [5u8, 5, 4, 5, 5]
            } else {
                [4, 3, 5, 4, 3]
            };
            for (r, stars) in ratings.into_iter().enumerate().take(REVIEWS) {
                let review = ReviewId::from_uuid(b.ids.next(17));
                let comment = (r == 0)
                    .then(|| names::REVIEW_COMMENTS[p % names::REVIEW_COMMENTS.len()].to_string());
                let on = day(r as i64 * span / REVIEWS as i64 + (p % 3) as i64);
                b.push(
                    *review.as_uuid(),
                    PublicReview::new(review, post, on, Rating::new(stars)?, comment, None)?,
                );
            }

            for c in 0..POST_CHECKS {
                let check = PostCheckId::from_uuid(b.ids.next(18));
                let service = if good {
                    Service::Good
                } else {
                    [Service::Fair, Service::Poor][c]
                };
                let on = day(span / 2 + (c as i64) * 7 - (p % 5) as i64);
                b.push(
                    *check.as_uuid(),
                    PostCheck::new(
                        check,
                        post,
                        inspectors[(p + c) % inspectors.len()].0,
                        at(on, 10 + c as u8, 15),
                        good || c == 0,
                        true,
                        service,
                    )?,
                );
            }
            p += 1;
        }
    }
    Ok(())
}

/// The 85 villages (each with a work-team unit) and the households, round
/// robin over the villages; returns the first village (the cadre's).
pub(super) fn villages_and_households(
    b: &mut Builder,
    org: &Org,
    today: Date,
    scale: Scale,
) -> Result<VillageId, DomainError> {
    let mut villages = Vec::with_capacity(names::VILLAGES.len());
    for (v, name) in names::VILLAGES.iter().enumerate() {
        let village = VillageId::from_uuid(b.ids.next(10));
        let team = (v * 37 + 11) % org.units.len();
        let township = names::TOWNSHIPS[v % names::TOWNSHIPS.len()];
        b.push(
            *village.as_uuid(),
            Village::new(
                village,
                *name,
                Some(township.into()),
                Some(org.units[team].id),
            )?,
        );
        villages.push((village, team));
    }
    let since = today - Duration::days(150);
    for h in 0..scale.apply(HOUSEHOLDS) {
        let (village, team) = villages[h as usize % villages.len()];
        let members = &org.units[team].members;
        let (member, _) = members[(h as usize / villages.len()) % members.len()];
        let household = HouseholdId::from_uuid(b.ids.next(11));
        b.push(*household.as_uuid(), card(household, village, h)?);
        let pairing = PairingId::from_uuid(b.ids.next(12));
        b.push(
            *pairing.as_uuid(),
            Pairing::new(pairing, member, household, since, None)?,
        );
        for k in 0..VISITS {
            let visit = VisitId::from_uuid(b.ids.next(13));
            let on = today - Duration::days(i64::from(5 + k * 21 + h % 9));
            let note = names::VISIT_NOTES[((h + k) % 4) as usize];
            b.push(
                *visit.as_uuid(),
                Visit::new(visit, household, member, on, note)?,
            );
        }
        for k in 0..SUPPORTS {
            let id = SupportId::from_uuid(b.ids.next(14));
            let on = today - Duration::days(i64::from(2 + k * 9 + h % 5));
            let kind = match k % 5 {
                0 => SupportKind::Funds {
                    amount: Fen::new(i64::from(20_000 + (h * 37 % 80) * 1_000))?,
                },
                1 => SupportKind::Goods {
                    value: Fen::new(i64::from(10_000 + (h * 13 % 50) * 1_000))?,
                },
                2 => SupportKind::Production {
                    area: Some(Mu::from_tenths(i64::from(5 + h % 30))?),
                },
                3 => SupportKind::Project,
                _ => SupportKind::Information,
            };
            let what = names::SUPPORT_NOTES[(k % 5) as usize];
            b.push(
                *id.as_uuid(),
                SupportItem::new(id, household, member, on, kind, what)?,
            );
        }
    }
    Ok(villages[0].0)
}

/// The `h`th household's 结对帮扶登记卡.
fn card(id: HouseholdId, village: VillageId, h: u32) -> Result<Household, DomainError> {
    let causes = PovertyCause::ALL;
    let first = causes[h as usize % causes.len()];
    let second = causes[(h as usize * 5 + 3) % causes.len()];
    let mut list = vec![first];
    if h.is_multiple_of(2) && second != first {
        list.push(second);
    }
    let attribute = [
        HouseholdAttribute::Dibao,
        HouseholdAttribute::General,
        HouseholdAttribute::Dibao,
        HouseholdAttribute::Wubao,
    ][h as usize % 4];
    let contact = (!h.is_multiple_of(3))
        .then(|| format!("13{:09}", u64::from(h) * 7_919_311 % 1_000_000_000));
    Household::new(
        id,
        names::person(h * 7 + 13),
        village,
        (1 + h * 7 % 6) as u8,
        attribute,
        list,
        contact,
    )
}
