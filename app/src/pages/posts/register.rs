//! 登记示范岗: a cadre (or the office) registers a member's post: unit,
//! member, post name and what the post promises the public. Core's
//! `Post::register` validates; only units and members this phone may
//! write a post for (core's `Actor::may_write`) are offered.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use xianfeng_core::ids::{MemberId, PostId, UnitId};
use xianfeng_core::posts::Post;
use xianfeng_core::Actor;

use super::data::{use_actor, Board};
use super::t;
use super::use_board;
use super::widgets::options;
use crate::i18n::PostMsg;
use crate::kit::{self, FieldError, FormError, Kind, OrForm, Save, Write};

/// A unit and the members a post may be registered for there.
#[derive(Clone, PartialEq)]
struct UnitChoice {
    id: String,
    name: String,
    members: Vec<(String, String)>,
}

fn choices(board: &Board, actor: Option<Actor>) -> Vec<UnitChoice> {
    let members: Vec<_> = board.members_for_post(actor).collect();
    board
        .units
        .iter()
        .filter_map(|unit| {
            // Roster order (ids follow the order records were made in).
            let members: Vec<(String, String)> = members
                .iter()
                .filter(|m| board.directory.member_unit(m.id) == Some(unit.id))
                .map(|m| (m.id.to_string(), m.name.clone()))
                .collect();
            (!members.is_empty()).then(|| UnitChoice {
                id: unit.id.to_string(),
                name: unit.name.clone(),
                members,
            })
        })
        .collect()
}

const FIELDS: &[&str] = &["unit", "member", "post_name", "promise"];

#[component]
pub fn RegisterPost() -> impl IntoView {
    let board = use_board();
    let actor = use_actor();
    let units = kit::derive(board, move |b| choices(b, actor.get()));
    let unit = RwSignal::new(String::new());
    let member = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let promise = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    // One unit: chosen already.
    Effect::new(move || {
        units.with(|u| {
            if let Some(Ok(list)) = u {
                if list.len() == 1 && unit.get_untracked().is_empty() {
                    unit.set(list[0].id.clone());
                }
            }
        })
    });
    let members = move || {
        let chosen = unit.get();
        units.with(|u| match u {
            Some(Ok(list)) => list
                .iter()
                .find(|c| c.id == chosen)
                .map(|c| c.members.clone())
                .unwrap_or_default(),
            _ => Vec::new(),
        })
    };
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let lang = super::lang();
        let Ok(unit_id) = unit.get_untracked().parse::<UnitId>() else {
            error.set(Some(FormError::at("unit", t(PostMsg::ChooseUnit))));
            return;
        };
        let Ok(member_id) = member.get_untracked().parse::<MemberId>() else {
            error.set(Some(FormError::at("member", t(PostMsg::ChooseMember))));
            return;
        };
        let id = PostId::generate();
        let write = Post::register(
            id,
            member_id,
            unit_id,
            name.get_untracked(),
            promise.get_untracked(),
        )
        .or_form(lang)
        .and_then(|post| Write::fields(actor.get_untracked(), *id.as_uuid(), &post, None, lang));
        let navigate = navigate.clone();
        Save { busy, error }.write(lang, write, move || {
            navigate(&format!("/posts/{id}"), NavigateOptions::default())
        });
    };
    view! {
        <section class="page posts" data-testid="page-post-register">
            <h2>{t(PostMsg::RegisterTitle)}</h2>
            {kit::show_derived(units, move |list: &Vec<UnitChoice>| {
                if list.is_empty() {
                    return view! {
                        <div class="empty">
                            <p>{t(PostMsg::NoMembersToRegister)}</p>
                            {super::back()}
                        </div>
                    }
                        .into_any();
                }
                let units = options(
                    list.iter().map(|c| (c.id.clone(), c.name.clone())).collect(),
                    &unit.get_untracked(),
                );
                view! {
                    <form class="card form" on:submit=submit.clone() novalidate>
                        <label class="field">
                            <span>{t(PostMsg::Unit)}</span>
                            <select
                                name="unit"
                                bind:value=unit
                                on:change=move |_| member.set(String::new())
                            >
                                <option value="">{t(PostMsg::Choose)}</option>
                                {units}
                            </select>
                        </label>
                        <FieldError error=error field="unit"/>
                        <label class="field">
                            <span>{t(PostMsg::Member)}</span>
                            <select name="member" bind:value=member>
                                <option value="">{t(PostMsg::Choose)}</option>
                                {move || options(members(), &member.get_untracked())}
                            </select>
                        </label>
                        <FieldError error=error field="member"/>
                        {kit::input(t(PostMsg::PostName), "post_name", Kind::Text, name, error, "post_name")}
                        {kit::input(t(PostMsg::Promise), "promise", Kind::Area, promise, error, "promise")}
                        <p class="hint">{t(PostMsg::PromiseHint)}</p>
                        {kit::submit_row(Save { busy, error }, FIELDS, t(PostMsg::RegisterButton), None)}
                    </form>
                }
                    .into_any()
            })}
        </section>
    }
}
