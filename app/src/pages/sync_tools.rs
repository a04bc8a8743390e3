//! 同步's tools for an enrolled phone: export and import a backup, and the
//! changes the server refused for good. A lazily loaded part (see
//! `crate::lazy`): no first screen needs them, and a new phone has neither.

use leptos::prelude::*;
use leptos::task::spawn_local;
use xianfeng_core::Lang;

use crate::i18n::{date_time, fill, I18n, Msg, Text};
use crate::storage::{self, ImportReport, StorageError};
use crate::sync;

/// The refused changes (if any) and the backup card.
#[component]
pub fn SyncTools() -> impl IntoView {
    let i18n = I18n::use_context();
    let note = RwSignal::new(None::<BackupNote>);
    let export = move |_| {
        spawn_local(async move {
            let result = async { storage::shared().await?.export_to_file().await }.await;
            note.try_set(Some(match result {
                Ok(()) => BackupNote::Exported,
                Err(e) => BackupNote::Failed(e),
            }));
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Choosing the same file again must fire `change` again.
        input.set_value("");
        spawn_local(async move {
            let result = async { storage::shared().await?.import_file(&file).await }.await;
            if matches!(&result, Ok(r) if r.queued > 0) {
                sync::sync_now();
            }
            sync::refresh().await;
            note.try_set(Some(match result {
                Ok(report) => BackupNote::Imported(report),
                Err(e) => BackupNote::Failed(e),
            }));
        });
    };
    view! {
        <RejectedCard/>
        <div class="card">
            <h3>{move || i18n.t(Msg::BackupTitle)}</h3>
            <p class="hint">{move || i18n.t(Msg::BackupHint)}</p>
            <div class="actions">
                <button type="button" class="btn btn-secondary" on:click=export>
                    {move || i18n.t(Msg::ExportBackup)}
                </button>
                <label class="btn btn-secondary file-button">
                    <span>{move || i18n.t(Msg::ImportBackup)}</span>
                    <input
                        type="file"
                        class="visually-hidden"
                        accept="application/json,.json"
                        data-testid="import-backup"
                        on:change=import
                    />
                </label>
            </div>
            <p role="status" data-testid="backup-note">
                {move || note.with(|n| n.as_ref().map(|n| n.text(i18n.lang())))}
            </p>
        </div>
    }
}

/// What a backup action last did.
#[derive(Clone)]
enum BackupNote {
    Exported,
    Imported(ImportReport),
    Failed(StorageError),
}

impl BackupNote {
    fn text(&self, lang: Lang) -> String {
        match self {
            BackupNote::Exported => Msg::ExportDone.text(lang).to_string(),
            BackupNote::Imported(r) => fill(
                Msg::ImportDone.text(lang),
                &[
                    ("imported", &r.imported),
                    ("skipped", &r.skipped),
                    ("queued", &r.queued),
                ],
            ),
            BackupNote::Failed(e) => e.message(lang),
        }
    }
}

/// Changes the server refused for good: kept on the phone (and in backups)
/// with the server's reason, so nothing recorded silently disappears.
#[component]
fn RejectedCard() -> impl IntoView {
    let i18n = I18n::use_context();
    let rejected = LocalResource::new(move || {
        let _ = sync::data_version();
        async move {
            match storage::shared().await {
                Ok(db) => db.rejected().await.unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        }
    });
    move || {
        let list = rejected.get().unwrap_or_default();
        (!list.is_empty()).then(|| {
            let lang = i18n.lang();
            view! {
                <div class="card" data-testid="rejected">
                    <h3>{fill(Msg::RejectedTitle.text(lang), &[("n", &list.len())])}</h3>
                    <p class="hint">{Msg::RejectedHint.text(lang)}</p>
                    <ul class="plain-list">
                        {list
                            .into_iter()
                            .map(|r| view! { <li>{date_time(lang, r.at)} " · " {r.message}</li> })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
