//! 同步: enrol this phone, see what is unsent and when it last synced, sync
//! now, see whether the browser keeps the data, and back it up.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use xianfeng_core::{Lang, RecordKind, Role, Scope};

use crate::i18n::{date_time, I18n, Msg, Text};
use crate::storage;
use crate::sync::{self, SyncFailure, SyncState, SyncStatus};

/// `/enroll?code=…` (the invite link): the 同步 tab with the code filled in.
#[component]
pub fn EnrollLink() -> impl IntoView {
    let code = use_query_map()
        .with_untracked(|q| q.get("code"))
        .unwrap_or_default();
    let path = format!(
        "/sync?code={}",
        String::from(js_sys::encode_uri_component(&code))
    );
    view! { <Redirect path=path/> }
}

#[component]
pub fn Sync() -> impl IntoView {
    let i18n = I18n::use_context();
    let status = SyncStatus::use_context();
    let query = use_query_map();
    let link_code = move || query.with(|q| q.get("code")).unwrap_or_default();
    spawn_local(sync::check_persistence());
    // The form: before enrollment, after the token stopped working, and
    // when an invite link was opened (to enrol again, e.g. for a new role).
    let show_form = move || {
        status.with(|s| {
            s.identity.is_none() || s.error.as_ref().is_some_and(SyncFailure::needs_enrollment)
        }) || !link_code().is_empty()
    };
    view! {
        <section class="page" data-testid="page-sync">
            <h2>{move || i18n.t(Msg::SyncTitle)}</h2>
            <Show when=move || status.with(|s| s.loaded)>
                <Show when=move || status.with(|s| s.identity.is_some())>
                    <Enrolled/>
                </Show>
                <Show when=show_form>
                    <EnrollForm code=link_code()/>
                </Show>
            </Show>
        </section>
    }
}

#[component]
fn EnrollForm(code: String) -> impl IntoView {
    let i18n = I18n::use_context();
    let code = RwSignal::new(code);
    let name = RwSignal::new(Msg::DefaultDeviceName.text(i18n.lang()).to_string());
    // Busy, and what went wrong last.
    let state = RwSignal::new((false, None::<SyncFailure>));
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (c, n) = (code.get_untracked(), name.get_untracked());
        if state.with_untracked(|s| s.0) || c.trim().is_empty() {
            return;
        }
        state.set((true, None));
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = sync::enroll(&c, &n).await;
            if result.is_ok() {
                // Drop a used invite code from the address.
                navigate(
                    "/sync",
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
            state.try_set((false, result.err()));
        });
    };
    view! {
        <form class="card form" data-testid="enroll-form" on:submit=submit>
            <h3>{move || i18n.t(Msg::EnrollTitle)}</h3>
            <p class="hint">{move || i18n.t(Msg::EnrollHint)}</p>
            <label class="field">
                <span>{move || i18n.t(Msg::EnrollCode)}</span>
                <input
                    type="text"
                    name="code"
                    required
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    bind:value=code
                />
            </label>
            <label class="field">
                <span>{move || i18n.t(Msg::DeviceName)}</span>
                <input type="text" name="device_name" maxlength="64" bind:value=name/>
            </label>
            {move || {
                state
                    .with(|s| s.1.as_ref().map(|f| f.text(i18n.lang())))
                    .map(|text| view! { <p class="error" role="alert">{text}</p> })
            }}
            <button type="submit" class="btn" disabled=move || state.with(|s| s.0)>
                {move || i18n.t(if state.with(|s| s.0) { Msg::Enrolling } else { Msg::EnrollButton })}
            </button>
        </form>
    }
}

pub(crate) fn role_msg(role: Role) -> Msg {
    match role {
        Role::Office => Msg::RoleOffice,
        Role::Inspector => Msg::RoleInspector,
        Role::Cadre => Msg::RoleCadre,
    }
}

/// The scope's level, and the record to name it by (if the phone has it).
pub(crate) fn scope_parts(scope: &Scope) -> (Msg, Option<(RecordKind, uuid::Uuid)>) {
    match scope {
        Scope::City => (Msg::ScopeCity, None),
        Scope::System(id) => (Msg::ScopeSystem, Some((RecordKind::System, *id.as_uuid()))),
        Scope::Unit(id) => (Msg::ScopeUnit, Some((RecordKind::Unit, *id.as_uuid()))),
        Scope::Branch(id) => (Msg::ScopeBranch, Some((RecordKind::Branch, *id.as_uuid()))),
        Scope::Village(id) => (
            Msg::ScopeVillage,
            Some((RecordKind::Village, *id.as_uuid())),
        ),
    }
}

/// The status card's rows, in `lang`.
fn status_rows(lang: Lang, s: &SyncState, scope_name: Option<String>) -> impl IntoView {
    let Some(id) = &s.identity else {
        return None;
    };
    let (level, target) = scope_parts(&id.scope);
    let level = level.text(lang);
    let scope = match (target, scope_name) {
        (None, _) => level.to_string(),
        (Some(_), Some(name)) => format!("{level} · {name}"),
        (Some((_, uuid)), None) => format!("{level} · {}", &uuid.to_string()[..8]),
    };
    let last = match s.last_ok {
        Some(ms) => date_time(lang, ms),
        None => Msg::NeverSynced.text(lang).to_string(),
    };
    let rows = [
        (Msg::FieldName, "device-name", id.name.clone()),
        (
            Msg::FieldRole,
            "role",
            role_msg(id.role).text(lang).to_string(),
        ),
        (Msg::FieldScope, "scope", scope),
        (Msg::Unsent, "unsent", sync::unsent_text(lang, s.unsent)),
        (Msg::LastSync, "last-sync", last),
    ];
    let error = s.error.as_ref().map(|e| e.text(lang));
    let rows = rows
        .into_iter()
        .map(|(label, testid, value)| (label.text(lang), Some(testid), value))
        .collect();
    Some(view! {
        {crate::kit::facts(rows)}
        {error.map(|e| view! { <p class="error" role="alert" data-testid="sync-error">{e}</p> })}
    })
}

// Backups and refused changes are a part of their own (crate::lazy): no
// first screen needs them, and a new phone has neither.
crate::lazy_view!(sync_tools, SyncTools => super::sync_tools::SyncTools);

#[component]
fn Enrolled() -> impl IntoView {
    let i18n = I18n::use_context();
    let status = SyncStatus::use_context();
    // The scope's name, once the phone has the record it names.
    let scope_name = RwSignal::new(None::<String>);
    Effect::new(move || {
        let target = status.with(|s| {
            s.identity
                .as_ref()
                .and_then(|id| scope_parts(&id.scope).1)
                .zip(Some(s.last_ok))
        });
        if let Some(((kind, id), _)) = target {
            spawn_local(async move {
                let found = async { storage::shared().await?.get(kind, id).await }.await;
                if let Ok(Some(view)) = found {
                    let name = view.value.get("name").and_then(|n| n.as_str());
                    scope_name.try_set(name.map(str::to_string));
                }
            });
        }
    });
    let running = move || status.with(|s| s.running);
    view! {
        <div class="card" data-testid="sync-status">
            <h3>{move || i18n.t(Msg::ThisPhone)}</h3>
            {move || {
                let lang = i18n.lang();
                let name = scope_name.get();
                status.with(|s| status_rows(lang, s, name))
            }}
            <button
                type="button"
                class="btn"
                disabled=running
                aria-busy=move || running().to_string()
                on:click=move |_| sync::sync_now()
            >
                {move || i18n.t(if running() { Msg::Syncing } else { Msg::SyncNow })}
            </button>
        </div>
        <div class="card">
            <h3>{move || i18n.t(Msg::PersistTitle)}</h3>
            <p data-testid="persistence">
                {move || match status.with(|s| s.persisted) {
                    Some(true) => i18n.t(Msg::PersistGranted),
                    Some(false) => i18n.t(Msg::PersistDenied),
                    None => "",
                }}
            </p>
        </div>
        {crate::lazy::later(SyncTools::load)}
    }
}
