//! CSV roster import (党员名册导入) into one unit: choose a file (UTF-8, or
//! GBK as Excel in China saves it) or paste the table; core's
//! `parse_roster` gives a preview with per-row errors (and rows already in
//! the unit set aside as duplicates); nothing is stored until 确认导入.
//! Then core's `into_records` makes the new branches and members, core's
//! `Actor::may_write` is asked for every one of them first (all or
//! nothing), and each is saved in its own transaction with its outbox
//! entry. The page does not reload until the import is done.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;
use xianfeng_core::org::Branch;
use xianfeng_core::roster::{parse_roster, RosterPreview};
use xianfeng_core::DomainError;

use super::data::{may_save, save};
use super::draft::draft;
use super::roster_unit::UnitRoster;
use crate::i18n::{fill, I18n, Msg, SpotMsg, Text};
use crate::kit::FormError;

/// Rows shown in the preview table (all are imported).
const PREVIEW_ROWS: usize = 50;

/// The file's text: UTF-8 if it is valid UTF-8, else GB 18030 (a superset
/// of GBK, what Excel on a Chinese Windows saves).
async fn read_file(file: web_sys::File) -> Option<String> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    let strict = web_sys::TextDecoderOptions::new();
    strict.set_fatal(true);
    if let Ok(utf8) = web_sys::TextDecoder::new_with_label_and_options("utf-8", &strict) {
        if let Ok(text) = utf8.decode_with_buffer_source(&bytes) {
            return Some(text);
        }
    }
    web_sys::TextDecoder::new_with_label("gb18030")
        .ok()?
        .decode_with_buffer_source(&bytes)
        .ok()
}

#[component]
pub fn RosterImport(
    roster: Arc<UnitRoster>,
    busy: RwSignal<bool>,
    note: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    // The table and whether its preview is open outlive the screen's
    // reloads; the preview itself is made again from them against the
    // records as they are now (a sync may have brought some of its rows).
    let text = draft("import.text", String::new);
    let previewing = draft("import.previewing", || false);
    let preview = RwSignal::new(None::<Arc<RosterPreview>>);
    let error = RwSignal::new(None::<FormError>);
    let progress = RwSignal::new(None::<(usize, usize)>);
    let r = roster.clone();
    let make_preview = move |content: String| {
        error.set(None);
        match parse_roster(&content) {
            Ok(mut p) => {
                p.skip_existing(r.unit, &r.org.branches, &r.org.members);
                preview.set(Some(Arc::new(p)));
                previewing.set(true);
            }
            Err(e) => {
                preview.set(None);
                previewing.set(false);
                error.set(Some(FormError::domain(&e, lang)));
            }
        }
    };
    if previewing.get_untracked() {
        make_preview(text.get_untracked());
    }
    let close_preview = move || {
        preview.set(None);
        previewing.set(false);
    };
    let mp = make_preview.clone();
    let choose_file = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let mp = mp.clone();
        spawn_local(async move {
            match read_file(file).await {
                Some(content) => {
                    text.set(content.clone());
                    mp(content);
                }
                None => error.set(Some(FormError::domain(
                    &DomainError::InvalidCsv {
                        detail: String::new(),
                    },
                    lang,
                ))),
            }
        });
    };
    let r = roster.clone();
    let confirm = move |_| {
        let Some(p) = preview.get_untracked() else {
            return;
        };
        let r = r.clone();
        let existing: Vec<Branch> = r.org.branches_of(r.unit).into_iter().cloned().collect();
        let (branches, members): (Vec<Branch>, Vec<_>) =
            match p.into_records(r.unit, &existing, uuid::Uuid::now_v7) {
                Ok(records) => records,
                Err(e) => return error.set(Some(FormError::domain(&e, lang))),
            };
        let dir = r.directory_with(&branches);
        // All or nothing: every record must be this phone's to write.
        if branches.iter().any(|b| !may_save(&r.identity, &dir, b))
            || members.iter().any(|m| !may_save(&r.identity, &dir, m))
        {
            return error.set(Some(FormError::not_allowed(lang)));
        }
        busy.set(true);
        let total = branches.len() + members.len();
        progress.set(Some((0, total)));
        spawn_local(async move {
            let mut done = 0;
            let mut failed = None;
            for b in &branches {
                if let Err(e) = save(&r.identity, &dir, *b.id.as_uuid(), b, lang).await {
                    failed = Some(e);
                    break;
                }
                done += 1;
                progress.try_set(Some((done, total)));
            }
            let mut imported = 0usize;
            if failed.is_none() {
                for m in &members {
                    if let Err(e) = save(&r.identity, &dir, *m.id.as_uuid(), m, lang).await {
                        failed = Some(e);
                        break;
                    }
                    imported += 1;
                    done += 1;
                    progress.try_set(Some((done, total)));
                }
            }
            progress.try_set(None);
            match failed {
                None => {
                    preview.try_set(None);
                    previewing.try_set(false);
                    text.try_set(String::new());
                    note.set(Some(fill(
                        SpotMsg::Imported.text(lang),
                        &[("n", &imported)],
                    )));
                }
                Some(e) => {
                    error.try_set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card form" data-testid="roster-import">
            <h3>{SpotMsg::ImportTitle.text(lang)}</h3>
            <p class="hint">{SpotMsg::ImportHint.text(lang)}</p>
            <label class="btn btn-secondary file-button">
                <span>{SpotMsg::ChooseCsv.text(lang)}</span>
                <input
                    type="file"
                    class="visually-hidden"
                    accept=".csv,text/csv,text/plain"
                    data-testid="roster-file"
                    on:change=choose_file
                />
            </label>
            <label class="field">
                <span>{SpotMsg::PasteCsv.text(lang)}</span>
                <textarea class="spot-textarea" rows="4" bind:value=text spellcheck="false"></textarea>
            </label>
            <button
                type="button"
                class="btn btn-secondary"
                on:click=move |_| make_preview(text.get_untracked())
            >
                {SpotMsg::PreviewButton.text(lang)}
            </button>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e.text.clone()}</p> })}
            {move || preview.get().map(|p| preview_view(&roster, p))}
            {move || {
                progress
                    .get()
                    .map(|(done, total)| {
                        view! {
                            <p role="status">
                                {fill(SpotMsg::Importing.text(lang), &[("done", &done), ("total", &total)])}
                            </p>
                        }
                    })
            }}
            {move || {
                preview
                    .with(|p| p.as_ref().map(|p| p.rows.len()))
                    .map(|n| {
                        view! {
                            <div class="actions">
                                <button
                                    type="button"
                                    class="btn"
                                    data-testid="confirm-import"
                                    disabled=move || n == 0 || busy.get()
                                    on:click=confirm.clone()
                                >
                                    {fill(SpotMsg::ConfirmImport.text(lang), &[("n", &n)])}
                                </button>
                                <button
                                    type="button"
                                    class="btn btn-secondary"
                                    disabled=move || busy.get()
                                    on:click=move |_| close_preview()
                                >
                                    {SpotMsg::Cancel.text(lang)}
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// What would be imported, and each row that would not, with its line.
fn preview_view(roster: &UnitRoster, p: Arc<RosterPreview>) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let existing: Vec<Branch> = roster
        .org
        .branches_of(roster.unit)
        .into_iter()
        .cloned()
        .collect();
    let new_branches = p.new_branches(&existing).join(Msg::ListSep.text(lang));
    let n = p.rows.len();
    let errors = p
        .errors
        .iter()
        .map(|e| {
            let (line, err) = (e.line, e.error.clone());
            view! {
                <li>{fill(SpotMsg::RowError.text(lang), &[("line", &line), ("error", &err.message(lang))])}</li>
            }
        })
        .collect_view();
    let has_errors = !p.errors.is_empty();
    let rows = p
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|row| {
            let (post, status) = (row.post_type, row.status);
            view! {
                <tr>
                    <td>{row.line}</td>
                    <td>{row.name.clone()}</td>
                    <td>{row.branch.clone()}</td>
                    <td>{post.label(lang)}</td>
                    <td>{status.label(lang)}</td>
                </tr>
            }
        })
        .collect_view();
    let more = n.saturating_sub(PREVIEW_ROWS);
    view! {
        <div class="spot-preview" data-testid="roster-preview">
            <p role="status" data-testid="preview-count">
                {fill(SpotMsg::PreviewCount.text(lang), &[("n", &n)])}
            </p>
            {(!new_branches.is_empty())
                .then(|| {
                    let list = new_branches.clone();
                    view! { <p class="hint">{SpotMsg::NewBranches.text(lang)} {list.clone()}</p> }
                })}
            {has_errors
                .then(|| {
                    view! {
                        <div role="alert" class="spot-row-errors" data-testid="row-errors">
                            <p>{SpotMsg::RowErrorsTitle.text(lang)}</p>
                            <ul>{errors}</ul>
                        </div>
                    }
                })}
            <div class="spot-table-wrap">
                <table class="spot-table">
                    <thead>
                        <tr>
                            <th scope="col">{SpotMsg::Line.text(lang)}</th>
                            <th scope="col">{SpotMsg::MemberName.text(lang)}</th>
                            <th scope="col">{SpotMsg::Branch.text(lang)}</th>
                            <th scope="col">{SpotMsg::PostType.text(lang)}</th>
                            <th scope="col">{SpotMsg::Status.text(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {(more > 0).then(|| view! { <p class="muted">{fill(SpotMsg::MoreRows.text(lang), &[("n", &more)])}</p> })}
        </div>
    }
}
