//! A unit's member roster (党员名册): its branches and members, a member
//! added by hand, and a CSV roster imported with a preview
//! ([`super::import`]). Members are mutable records (a status changes);
//! each save is one transaction with its outbox entry. Who may add what is
//! core's rule: the office anywhere, a cadre in their own branch.

use std::sync::Arc;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use xianfeng_core::ids::{BranchId, MemberId, UnitId};
use xianfeng_core::org::{Branch, Member, MemberStatus, PostType};
use xianfeng_core::Directory;

use super::data::{may_save, save, Org};
use super::draft::{choice, draft};
use super::import::RosterImport;
use super::roster::{note_line, Note};
use super::{empty, param, screen, Reload, Snap};
use crate::i18n::{fill, I18n, SpotMsg, Text};
use crate::kit::{self, FormError};
use crate::storage::Identity;

pub(super) struct UnitRoster {
    pub org: Org,
    pub identity: Identity,
    pub unit: UnitId,
}

impl UnitRoster {
    /// The directory with `extra` branches added (new ones, not stored yet),
    /// to place members of a branch being created.
    pub fn directory_with(&self, extra: &[Branch]) -> Directory {
        let mut branches = self.org.branches.to_vec();
        branches.extend_from_slice(extra);
        Directory::new(
            &self.org.units,
            &branches,
            &self.org.members,
            &self.org.groups,
        )
    }
}

/// The import's "busy": while it writes, the page does not reload.
#[derive(Clone, Copy)]
pub(super) struct Busy(pub RwSignal<bool>);

#[component]
pub fn RosterUnitPage() -> impl IntoView {
    let busy = RwSignal::new(false);
    provide_context(Busy(busy));
    provide_context(Note(RwSignal::new(None)));
    screen(
        "page-roster-unit",
        Reload::UnlessBusy(busy),
        param("unit"),
        unit_roster_view,
    )
}

fn unit_roster_view(snap: Arc<Snap>, unit: String) -> AnyView {
    let Ok(unit) = unit.parse::<UnitId>() else {
        return empty(SpotMsg::UnitNotFound);
    };
    let Busy(busy) = expect_context::<Busy>();
    let Note(note) = expect_context::<Note>();
    let r = Arc::new(UnitRoster {
        org: snap.org.clone(),
        identity: snap.identity.clone(),
        unit,
    });
    let lang = super::lang();
    let name = r.org.unit_name(r.unit);
    let members = r.org.members_of(r.unit);
    let count = members.len();
    let mut rows: Vec<AnyView> = members
        .iter()
        .map(|m| {
            let sub = format!(
                "{} · {} · {}",
                r.org.branch_name(m),
                m.post_type.label(lang),
                m.status.label(lang)
            );
            super::row(m.name.clone(), sub, None)
        })
        .collect();
    if rows.is_empty() {
        rows.push(super::row(
            SpotMsg::NoMembers.text(lang).to_string(),
            String::new(),
            None,
        ));
    }
    let title = fill(SpotMsg::MembersTitle.text(lang), &[("n", &count)]);
    view! {
        <h2>{name}</h2>
        {note_line()}
        <div class="card" data-testid="roster-members">
            <h3>{title}</h3>
            <ul class="spot-list">{rows}</ul>
        </div>
        <AddMember roster=r.clone() note=note/>
        <RosterImport roster=r busy=busy note=note/>
    }
    .into_any()
}

#[component]
fn AddMember(roster: Arc<UnitRoster>, note: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    // Branches a member may be added to here, and whether a new one may be.
    let probe = super::data::new_member;
    let dir = &roster.org.directory;
    let branches: Vec<(String, String)> = roster
        .org
        .branches_of(roster.unit)
        .into_iter()
        .filter(|b| may_save(&roster.identity, dir, &probe(b.id)))
        .map(|b| (b.id.to_string(), b.name.clone()))
        .collect();
    let may_branch = may_save(
        &roster.identity,
        dir,
        &Branch {
            id: BranchId::from_u128(0),
            unit: roster.unit,
            name: "x".into(),
        },
    );
    if branches.is_empty() && !may_branch {
        return None;
    }
    // Fields outlive the screen's reloads (a sync while typing). A choice
    // defaults to its first option, what the select shows until picked.
    let name = draft("member.name", String::new);
    let mut branch_list = branches;
    if may_branch {
        branch_list.push(("new".into(), SpotMsg::NewBranch.text(lang).into()));
    }
    let (branch, branch_options) = choice("member.branch", branch_list);
    let new_branch = draft("member.new_branch", String::new);
    let post_list: Vec<(String, String)> = PostType::ALL
        .iter()
        .map(|p| (p.code().to_string(), p.label(lang).to_string()))
        .collect();
    let (post, post_options) = choice("member.post", post_list);
    let status_list: Vec<(String, String)> = MemberStatus::ALL
        .iter()
        .map(|s| (s.code().to_string(), s.label(lang).to_string()))
        .collect();
    let (status, status_options) = choice("member.status", status_list);
    let error = RwSignal::new(None::<FormError>);
    let r = roster.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let lang_err = |e: xianfeng_core::DomainError| error.set(Some(FormError::domain(&e, lang)));
        let post_type = match post.get_untracked().parse::<PostType>() {
            Ok(p) => p,
            Err(e) => return lang_err(e),
        };
        let member_status = match status.get_untracked().parse::<MemberStatus>() {
            Ok(s) => s,
            Err(e) => return lang_err(e),
        };
        let choice = branch.get_untracked();
        let (branch_id, created) = if choice == "new" {
            match Branch::new(BranchId::generate(), r.unit, new_branch.get_untracked()) {
                Ok(b) => (b.id, Some(b)),
                Err(e) => return lang_err(e),
            }
        } else {
            match choice.parse::<BranchId>() {
                Ok(b) => (b, None),
                Err(e) => return lang_err(e),
            }
        };
        let member = match Member::new(
            MemberId::generate(),
            name.get_untracked(),
            branch_id,
            post_type,
            member_status,
        ) {
            Ok(m) => m,
            Err(e) => return lang_err(e),
        };
        let r = r.clone();
        spawn_local(async move {
            let result = async {
                let dir = r.directory_with(created.as_slice());
                // Ask before writing anything, so nothing partial is stored.
                if !may_save(&r.identity, &dir, &member)
                    || created
                        .as_ref()
                        .is_some_and(|b| !may_save(&r.identity, &dir, b))
                {
                    return Err(FormError::not_allowed(lang));
                }
                if let Some(b) = &created {
                    save(&r.identity, &dir, *b.id.as_uuid(), b, lang).await?;
                }
                save(&r.identity, &dir, *member.id.as_uuid(), &member, lang).await
            }
            .await;
            match result {
                Ok(()) => {
                    error.try_set(None);
                    name.try_set(String::new());
                    // The next member goes to the same branch, now listed.
                    if let Some(b) = &created {
                        branch.try_set(b.id.to_string());
                        new_branch.try_set(String::new());
                    }
                    note.set(Some(fill(
                        SpotMsg::Added.text(lang),
                        &[("name", &member.name)],
                    )));
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    Some(view! {
        <form class="card form" on:submit=submit data-testid="add-member">
            <h3>{SpotMsg::AddMember.text(lang)}</h3>
            <label class="field">
                <span>{SpotMsg::MemberName.text(lang)}</span>
                <input type="text" maxlength="64" bind:value=name/>
            </label>
            {kit::select(SpotMsg::Branch.text(lang), branch, branch_options.into_any())}
            <label class="field" class:spot-hidden=move || branch.get() != "new">
                <span>{SpotMsg::NewBranchName.text(lang)}</span>
                <input type="text" maxlength="64" bind:value=new_branch/>
            </label>
            {kit::select(SpotMsg::PostType.text(lang), post, post_options.into_any())}
            {kit::select(SpotMsg::Status.text(lang), status, status_options.into_any())}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e.text.clone()}</p> })}
            <button type="submit" class="btn">{SpotMsg::AddMember.text(lang)}</button>
        </form>
    })
}
