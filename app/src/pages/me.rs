//! 我的: settings for this phone. For now: the UI language and the version.

use crate::i18n::{I18n, Lang, Msg};
use crate::kit::{self, Input};
use leptos::prelude::*;

#[component]
pub fn Me() -> impl IntoView {
    let i18n = I18n::use_context();
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
