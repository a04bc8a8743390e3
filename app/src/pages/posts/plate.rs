//! 挂牌: the name plate a member wears or sets up at the post (002: 党员
//! 挂牌服务, to accept public supervision). Its QR code (drawn by the
//! server, `GET /r/<post>/qr.svg`) opens the public review page, so it
//! needs the network: offline the screen says the plate can be printed
//! once online. [`PlateCard`] sits on the post's screen; [`NamePlate`]
//! (`/posts/:id/plate`) is the print view (the shell is hidden by
//! `@media print`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use xianfeng_core::ids::PostId;

use super::detail::PostPage;
use super::t;
use super::use_board;
use crate::i18n::PostMsg;
use crate::kit;
use crate::network::Online;

fn qr_src(id: PostId) -> String {
    format!("/r/{id}/qr.svg")
}

/// The QR code when online; otherwise why it is missing.
fn qr(id: PostId) -> impl IntoView {
    let Online(online) = expect_context::<Online>();
    move || {
        if online.get() {
            view! {
                <img
                    class="plate-qr"
                    src=qr_src(id)
                    width="160"
                    height="160"
                    alt=t(PostMsg::QrAlt)
                    data-testid="plate-qr"
                />
            }
            .into_any()
        } else {
            view! { <p class="hint" data-testid="qr-offline">{t(PostMsg::QrOffline)}</p> }
                .into_any()
        }
    }
}

#[component]
pub(super) fn PlateCard(page: Memo<Option<PostPage>>) -> impl IntoView {
    let body = move || {
        page.with(|p| {
            let p = p.as_ref()?;
            let id = p.post.id;
            let unsent = p.post_unsent;
            Some(view! {
                {qr(id)}
                <p class="hint">{t(PostMsg::QrHint)}</p>
                {unsent.then(|| view! { <p class="hint">{t(PostMsg::QrNeedsSync)}</p> })}
                <A href=format!("/posts/{id}/plate") attr:class="btn btn-secondary">
                    {t(PostMsg::PrintPlate)}
                </A>
            })
        })
    };
    view! {
        <div class="card" data-testid="plate">
            <h3>{t(PostMsg::PlateTitle)}</h3>
            {body}
        </div>
    }
}

/// The plate's fields.
#[derive(Clone, PartialEq)]
struct Plate {
    id: PostId,
    name: String,
    holder: String,
    unit: String,
    promise: String,
}

#[component]
pub fn NamePlate() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<PostId>().ok()));
    let board = use_board();
    let plate = kit::derive(board, move |b| {
        let post = id().and_then(|id| b.post(id))?;
        Some(Plate {
            id: post.id,
            name: post.name.clone(),
            holder: b.name(post.member.as_uuid()),
            unit: b.name(post.unit.as_uuid()),
            promise: post.promise.clone(),
        })
    });
    view! {
        <section class="page posts" data-testid="page-plate">
            {kit::show_derived(plate, move |p: &Option<Plate>| {
                let Some(p) = p.clone() else {
                    return view! { <p class="empty">{t(PostMsg::NotFound)}</p> }
                        .into_any();
                };
                let back = format!("/posts/{}", p.id);
                let promise = (!p.promise.is_empty())
                    .then(|| {
                        let text = p.promise.clone();
                        view! {
                            <p class="plate-promise">
                                <strong>{t(PostMsg::PromiseLabel)}</strong>
                                {text}
                            </p>
                        }
                    });
                view! {
                    <article class="plate-sheet" data-testid="plate-sheet">
                        <p class="plate-kicker">{t(PostMsg::PlateKicker)}</p>
                        <h2 class="plate-post">{p.name.clone()}</h2>
                        <p class="plate-holder">{p.holder.clone()}</p>
                        <p class="plate-unit">{p.unit.clone()}</p>
                        {promise}
                        {qr(p.id)}
                        <p class="plate-scan">{t(PostMsg::PlateScan)}</p>
                    </article>
                    <div class="actions no-print">
                        <button
                            type="button"
                            class="btn"
                            on:click=move |_| {
                                let _ = window().print();
                            }
                        >
                            {t(PostMsg::Print)}
                        </button>
                        <A href=back attr:class="btn btn-secondary">
                            {t(PostMsg::Back)}
                        </A>
                    </div>
                }
                    .into_any()
            })}
        </section>
    }
}
