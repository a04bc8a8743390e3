//! The unit notice (在单位进行通报) a warning calls for: drafted by core
//! (`UnitNotice::draft_zh`) from the records, never typed or stored, so it
//! always matches the ladder. The page shows the draft as a sheet; 打印
//! prints only the sheet (the print stylesheet hides the app around it),
//! 分享 uses the phone's share sheet, or copies the text where there is
//! none (desktop browsers).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use xianfeng_core::ids::ObservationId;

use super::{empty, param, screen, t, Reload, Snap};
use crate::i18n::{I18n, SpotMsg, Text};

/// The notice of the warning that observation `id` triggered.
fn draft(snap: &Snap, id: &str) -> Option<String> {
    let id = id.parse::<ObservationId>().ok()?;
    let (org, facts) = (&snap.org, &snap.facts);
    let notice = facts.report().ladder.notice_for(id)?;
    let name = org.member_name(notice.member);
    let unit = org
        .directory
        .member_unit(notice.member)
        .map(|u| org.unit_name(u))
        .unwrap_or_default();
    Some(notice.draft_zh(&name, &unit))
}

#[component]
pub fn NoticePage() -> impl IntoView {
    screen(
        "page-notice",
        Reload::Live,
        param("observation"),
        |snap, id| match draft(&snap, &id) {
            Some(text) => notice_view(text),
            None => empty(SpotMsg::NoticeNotFound),
        },
    )
}

fn notice_view(text: String) -> AnyView {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let heading = lines.next().unwrap_or_default().to_string();
    let body = lines
        .map(|l| view! { <p>{l.to_string()}</p> })
        .collect_view();
    view! {
        <article class="notice-sheet" data-testid="notice">
            <h2>{heading.clone()}</h2>
            {body}
        </article>
        <div class="actions no-print spot-notice-actions">
            <button type="button" class="btn" on:click=move |_| { let _ = window().print(); }>
                {t(SpotMsg::Print)}
            </button>
            <ShareButton title=heading text=text.clone()/>
            <a class="btn btn-secondary" href="/spot-checks">{t(SpotMsg::BackHome)}</a>
        </div>
    }
    .into_any()
}

/// How a share went.
#[derive(Clone, Copy, PartialEq)]
enum Shared {
    Sent,
    Copied,
    Failed,
}

/// `navigator.share({title, text})`, else `navigator.clipboard.writeText`.
/// Looked up at run time: neither exists everywhere.
async fn share(title: &str, text: &str) -> Shared {
    let navigator: JsValue = window().navigator().into();
    let get = |obj: &JsValue, name: &str| js_sys::Reflect::get(obj, &name.into()).ok();
    if let Some(f) = get(&navigator, "share").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
        let _ = js_sys::Reflect::set(&data, &"text".into(), &text.into());
        if let Ok(p) = f.call1(&navigator, &data) {
            if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                return match JsFuture::from(p).await {
                    Ok(_) => Shared::Sent,
                    Err(_) => Shared::Failed,
                };
            }
        }
    }
    let Some(clipboard) = get(&navigator, "clipboard").filter(|c| !c.is_undefined()) else {
        return Shared::Failed;
    };
    let write = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let promise = write
        .and_then(|f| f.call1(&clipboard, &text.into()).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    match promise {
        Some(p) => match JsFuture::from(p).await {
            Ok(_) => Shared::Copied,
            Err(_) => Shared::Failed,
        },
        None => Shared::Failed,
    }
}

/// 分享: the share sheet, or the clipboard; says what happened.
#[component]
pub fn ShareButton(title: String, text: String) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let outcome = RwSignal::new(None::<Shared>);
    let content = Arc::new((title, text));
    let click = move |_| {
        let content = content.clone();
        spawn_local(async move {
            outcome.set(Some(share(&content.0, &content.1).await));
        });
    };
    view! {
        <button type="button" class="btn btn-secondary" on:click=click data-testid="share-notice">
            {SpotMsg::Share.text(lang)}
        </button>
        <span class="spot-share-note" role="status">
            {move || {
                outcome
                    .get()
                    .map(|o| {
                        match o {
                            Shared::Sent => SpotMsg::SharedDone,
                            Shared::Copied => SpotMsg::CopiedDone,
                            Shared::Failed => SpotMsg::ShareFailed,
                        }
                        .text(lang)
                    })
            }}
        </span>
    }
}
