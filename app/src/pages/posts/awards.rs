//! 示范岗名单: the half-year's 党员示范岗 titles, by system then unit, as
//! core's `award_list` groups them from the scores. Derived each time:
//! a late badge warning takes a post off the list by itself.

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::calendar::HalfYear;
use xianfeng_core::posts::{award_list, TITLE};

use super::data::{this_half_year, Board};
use super::t;
use super::{use_board, PeriodNav};
use crate::i18n::{fill, PostMsg};
use crate::kit;

/// A unit's awarded posts: (post id, post name, holder).
#[derive(Clone, PartialEq)]
struct UnitRow {
    name: String,
    posts: Vec<(String, String, String)>,
}

#[derive(Clone, PartialEq)]
struct SystemRow {
    /// `None`: the system is not known on this phone.
    name: Option<String>,
    count: usize,
    units: Vec<UnitRow>,
}

fn rows(board: &Board, period: HalfYear) -> Vec<SystemRow> {
    let scores = board.scores(period);
    award_list(&scores, &board.posts, &board.directory)
        .into_iter()
        .map(|s| SystemRow {
            name: s.system.map(|id| board.name(id.as_uuid())),
            count: s.count(),
            units: s
                .units
                .iter()
                .map(|u| UnitRow {
                    name: board.name(u.unit.as_uuid()),
                    posts: u
                        .posts
                        .iter()
                        .filter_map(|id| board.post(*id))
                        .map(|p| {
                            (
                                p.id.to_string(),
                                p.name.clone(),
                                board.name(p.member.as_uuid()),
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

#[component]
pub fn AwardList() -> impl IntoView {
    let board = use_board();
    let period = RwSignal::new(this_half_year());
    let list = kit::derive(board, move |b| rows(b, period.get()));
    view! {
        <section class="page posts" data-testid="page-awards">
            <h2>{fill(t(PostMsg::AwardListTitle), &[("title", &TITLE)])}</h2>
            <PeriodNav period=period/>
            {kit::show_derived(list, move |systems: &Vec<SystemRow>| {
                if systems.is_empty() {
                    return view! {
                        <div class="empty" data-testid="awards-empty">
                            <p>{t(PostMsg::NoAwards)}</p>
                        </div>
                    }
                        .into_any();
                }
                systems.iter().map(system_view).collect_view().into_any()
            })}
            <div class="actions post-actions">
                {super::back()}
            </div>
        </section>
    }
}

fn system_view(s: &SystemRow) -> impl IntoView {
    let name = s.name.clone();
    let count = s.count;
    let units = s
        .units
        .iter()
        .map(|u| {
            let posts = u
                .posts
                .iter()
                .map(|(id, post, holder)| {
                    view! {
                        <li>
                            <A href=format!("/posts/{id}")>{format!("{post} · {holder}")}</A>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h4>{u.name.clone()}</h4>
                <ul class="plain-list">{posts}</ul>
            }
        })
        .collect_view();
    view! {
        <div class="card award-system" data-testid="award-system">
            <h3>
                {name.clone().unwrap_or_else(|| t(PostMsg::UnknownSystem).to_string())}
                " "
                <span class="muted">{fill(t(PostMsg::AwardCount), &[("n", &count)])}</span>
            </h3>
            {units}
        </div>
    }
}
