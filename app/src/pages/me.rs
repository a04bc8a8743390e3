//! 我的 (issue 16): who this phone is (person, role, scope, device name,
//! enrolled since), the language, whether the browser keeps the data and
//! what to do if not, the version and 新版本 status, installing, a short
//! offline 使用说明 for each section, and 交接本机 — handing the phone to a
//! colleague without losing or leaking unsent records: refused while
//! changes are unsent unless a backup was exported first (offered right
//! there); then everything personal is wiped and the phone is ready to
//! enroll someone else. A revoked phone is told so and keeps its unsent
//! records for export.

use leptos::prelude::*;
use leptos::task::spawn_local;
use xianfeng_core::Lang;

use super::sync::{role_msg, scope_parts};
use crate::i18n::{date_time, fill, I18n, MeMsg, Msg, Text};
use crate::install::InstallCard;
use crate::kit::{self, Input};
use crate::storage::{self, Identity, StorageError};
use crate::sync::{SyncFailure, SyncState, SyncStatus};

#[component]
pub fn Me() -> impl IntoView {
    let i18n = I18n::use_context();
    let status = SyncStatus::use_context();
    let choice = move |lang: Lang, label: Msg| {
        let checked = Signal::derive(move || i18n.lang() == lang);
        let pick = Callback::new(move |_| i18n.set(lang));
        kit::choice(
            Input::Radio,
            "lang",
            lang.tag(),
            i18n.t(label).into(),
            checked,
            pick,
        )
    };
    spawn_local(crate::sync::check_persistence());
    let offline = offline_ready();
    // The scope's name, once the store (which has its record) is loaded.
    let scope_name = RwSignal::new(None::<String>);
    Effect::new(move || {
        let target = status.with(|s| s.identity.as_ref().and_then(|i| scope_parts(&i.scope).1));
        if let Some((kind, uuid)) = target {
            spawn_local(async move {
                if crate::store::ready().await.is_ok() {
                    let name = crate::store::with(|s| s.tables.value(kind, &uuid))
                        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string));
                    scope_name.try_set(name);
                }
            });
        }
    });
    view! {
        <section class="page" data-testid="page-me">
            <h2>{move || i18n.t(Msg::MeTitle)}</h2>
            {move || {
                let lang = i18n.lang();
                let name = scope_name.get();
                status.with(|s| who_am_i(lang, s, name))
            }}
            {move || status.with(|s| s.identity.is_some()).then(|| view! { <InstallCard/> })}
            <fieldset class="card">
                <legend>{move || i18n.t(Msg::Language)}</legend>
                {choice(Lang::ZhCn, Msg::LangZh)}
                {choice(Lang::En, Msg::LangEn)}
            </fieldset>
            <section class="card">
                <h3>{move || i18n.t(Msg::PersistTitle)}</h3>
                <p data-testid="storage-status">
                    {move || {
                        i18n.t(match status.with(|s| s.persisted) {
                            Some(true) => MeMsg::StorageOk,
                            Some(false) => MeMsg::StorageRefused,
                            None => MeMsg::StorageUnknown,
                        })
                    }}
                </p>
                <p data-testid="offline-status">
                    {move || {
                        i18n.t(match offline.get() {
                            Some(true) => MeMsg::OfflineReady,
                            Some(false) => MeMsg::OfflineUnsupported,
                            None => MeMsg::OfflinePending,
                        })
                    }}
                </p>
            </section>
            <section class="card">
                <h3>{move || i18n.t(Msg::Version)}</h3>
                <p data-testid="version">
                    {xianfeng_core::VERSION} " · "
                    {move || {
                        if crate::update::ready() {
                            i18n.t(Msg::UpdateReady)
                        } else {
                            i18n.t(MeMsg::UpToDate)
                        }
                    }}
                </p>
            </section>
            <section class="card help" data-testid="help">
                <h3>{move || i18n.t(MeMsg::HelpTitle)}</h3>
                {[
                    (Msg::TabSpotChecks, MeMsg::HelpSpotChecks),
                    (Msg::TabPosts, MeMsg::HelpPosts),
                    (Msg::TabPairing, MeMsg::HelpPairing),
                    (Msg::TabStudy, MeMsg::HelpStudy),
                    (Msg::TabSync, MeMsg::HelpSync),
                ]
                    .into_iter()
                    .map(|(title, body)| {
                        view! {
                            <details>
                                <summary>{move || i18n.t(title)}</summary>
                                <p>{move || i18n.t(body)}</p>
                            </details>
                        }
                    })
                    .collect_view()}
            </section>
            {move || status.with(|s| s.identity.is_some()).then(|| view! { <HandOver/> })}
        </section>
    }
}

/// Whether the service worker has stored the whole app, every lazily
/// loaded part included (`crate::lazy`): `Some(true)` once an installed
/// worker is active (its install stores everything or fails), `None`
/// while it is still storing, `Some(false)` in a browser without service
/// workers. Users who go out of signal right after a first visit need to
/// know which it is.
fn offline_ready() -> RwSignal<Option<bool>> {
    let ready = RwSignal::new(None);
    let promise = crate::lazy::service_workers()
        .and_then(|container| crate::lazy::js_field(&container, "ready"))
        .and_then(|p| wasm_bindgen::JsCast::dyn_into::<js_sys::Promise>(p).ok());
    match promise {
        Some(promise) => spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                ready.try_set(Some(true));
            }
        }),
        None => ready.set(Some(false)),
    }
    ready
}

/// Who this phone is, or how to enroll it; a revoked phone is told so.
fn who_am_i(lang: Lang, s: &SyncState, scope_name: Option<String>) -> AnyView {
    let revoked = matches!(s.error, Some(SyncFailure::Unauthorized));
    let Some(id) = &s.identity else {
        return view! {
            <section class="card" data-testid="who-am-i">
                <p>{MeMsg::NotEnrolled.text(lang)}</p>
                <a class="btn" href="/sync">{MeMsg::GoEnroll.text(lang)}</a>
            </section>
        }
        .into_any();
    };
    let rows = identity_rows(lang, id, scope_name)
        .into_iter()
        .map(|(label, testid, value)| (label, Some(testid), value))
        .collect();
    view! {
        <section class="card" data-testid="who-am-i">
            <h3>{MeMsg::WhoAmI.text(lang)}</h3>
            {kit::facts(rows)}
            {revoked
                .then(|| {
                    view! {
                        <p class="error" role="alert" data-testid="revoked">
                            {MeMsg::Revoked.text(lang)}
                        </p>
                    }
                })}
        </section>
    }
    .into_any()
}

fn identity_rows(
    lang: Lang,
    id: &Identity,
    scope_name: Option<String>,
) -> Vec<(&'static str, &'static str, String)> {
    let (level, _) = scope_parts(&id.scope);
    let scope = match scope_name {
        Some(name) => format!("{} · {name}", level.text(lang)),
        None => level.text(lang).to_string(),
    };
    let mut rows = vec![
        (MeMsg::Person.text(lang), "me-name", id.name.clone()),
        (
            Msg::FieldRole.text(lang),
            "me-role",
            role_msg(id.role).text(lang).to_string(),
        ),
        (Msg::FieldScope.text(lang), "me-scope", scope),
    ];
    if !id.device_name.is_empty() {
        rows.push((
            MeMsg::DeviceName.text(lang),
            "me-device",
            id.device_name.clone(),
        ));
    }
    if let Some(at) = id.enrolled_at {
        rows.push((
            MeMsg::EnrolledSince.text(lang),
            "me-since",
            date_time(lang, at),
        ));
    }
    rows
}

/// Where a hand-over stands.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    Idle,
    /// Asked to confirm.
    Confirm,
    Wiping,
}

/// 交接本机: wipe this phone for the next user, never losing unsent records
/// silently (a backup first, or nothing unsent).
#[component]
fn HandOver() -> impl IntoView {
    let i18n = I18n::use_context();
    let status = SyncStatus::use_context();
    let step = RwSignal::new(Step::Idle);
    // The unsent count a backup was exported at: a later write needs another.
    let exported_at = RwSignal::new(None::<u64>);
    let error = RwSignal::new(None::<StorageError>);
    let unsent = move || status.with(|s| s.unsent);
    let covered = move || unsent() == 0 || exported_at.get() == Some(unsent());
    let export = move |_| {
        let n = unsent();
        spawn_local(async move {
            match async { storage::shared().await?.export_to_file().await }.await {
                Ok(()) => exported_at.set(Some(n)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let wipe = move |_| {
        step.set(Step::Wiping);
        spawn_local(async move {
            match async { storage::shared().await?.wipe().await }.await {
                // A fresh page: nothing of the last user stays in memory.
                Ok(()) => {
                    let _ = window().location().replace("/sync");
                }
                Err(e) => {
                    error.set(Some(e));
                    step.set(Step::Idle);
                }
            }
        });
    };
    view! {
        <section class="card hand-over" data-testid="hand-over">
            <h3>{move || i18n.t(MeMsg::HandOverTitle)}</h3>
            <p class="hint">{move || i18n.t(MeMsg::HandOverHint)}</p>
            {move || {
                (!covered())
                    .then(|| {
                        let text = fill(i18n.t(MeMsg::HandOverUnsent), &[("n", &unsent())]);
                        view! {
                            <p class="error" role="alert" data-testid="hand-over-refused">{text}</p>
                            <button type="button" class="btn" data-testid="hand-over-export" on:click=export>
                                {i18n.t(Msg::ExportBackup)}
                            </button>
                        }
                    })
            }}
            {move || {
                (exported_at.get().is_some() && covered() && unsent() > 0)
                    .then(|| view! { <p class="note" data-testid="hand-over-exported">{i18n.t(MeMsg::HandOverExported)}</p> })
            }}
            {move || match step.get() {
                Step::Idle => {
                    view! {
                        <button
                            type="button"
                            class="btn btn-danger"
                            data-testid="hand-over-start"
                            disabled=move || !covered()
                            on:click=move |_| step.set(Step::Confirm)
                        >
                            {i18n.t(MeMsg::HandOverButton)}
                        </button>
                    }
                        .into_any()
                }
                Step::Confirm | Step::Wiping => {
                    let busy = step.get() == Step::Wiping;
                    view! {
                        <p role="alert">{i18n.t(MeMsg::HandOverSure)}</p>
                        <div class="actions">
                            <button
                                type="button"
                                class="btn btn-danger"
                                data-testid="hand-over-confirm"
                                disabled=busy
                                on:click=wipe
                            >
                                {i18n.t(MeMsg::HandOverConfirm)}
                            </button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| step.set(Step::Idle)>
                                {i18n.t(MeMsg::HandOverCancel)}
                            </button>
                        </div>
                    }
                        .into_any()
                }
            }}
            {move || {
                error
                    .get()
                    .map(|e| {
                        let text = fill(i18n.t(MeMsg::HandOverFailed), &[("reason", &e.message(i18n.lang()))]);
                        view! { <p class="error" role="alert">{text}</p> }
                    })
            }}
        </section>
    }
}
