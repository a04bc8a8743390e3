//! 我的: settings for this phone. For now: the UI language and the version.

use crate::i18n::{I18n, Lang, Msg};
use leptos::prelude::*;

#[component]
pub fn Me() -> impl IntoView {
    let i18n = I18n::use_context();
    let choice = move |lang: Lang, label: Msg| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="lang"
                    value=lang.tag()
                    prop:checked=move || i18n.lang() == lang
                    on:change=move |_| i18n.set(lang)
                />
                <span>{move || i18n.t(label)}</span>
            </label>
        }
    };
    view! {
        <section class="page" data-testid="page-me">
            <h2>{move || i18n.t(Msg::MeTitle)}</h2>
            <fieldset class="card">
                <legend>{move || i18n.t(Msg::Language)}</legend>
                {choice(Lang::ZhCn, Msg::LangZh)}
                {choice(Lang::En, Msg::LangEn)}
            </fieldset>
            <p class="muted">{move || i18n.t(Msg::Version)} " " {xianfeng_core::VERSION}</p>
        </section>
    }
}
