//! Every user-facing string, in one place: zh-CN first, English second.
//!
//! Screens never hold literal text; they ask [`I18n::t`] for a message, so a
//! missing translation is a compile error, not a blank button. One table a
//! section, each its own enum (so sections grow without touching each
//! other): [`Msg`] (the shell, sync and settings), [`SpotMsg`] (巡察),
//! [`PostMsg`] (示范岗), [`PairMsg`] (结对帮扶), [`StudyMsg`] (学习), [`MeMsg`] (我的, navigation,
//! installing).

use leptos::prelude::*;

/// The two UI languages (core's, so domain errors speak the same ones).
pub use xianfeng_core::error::Lang;

mod common;
mod me;
mod pairing;
mod posts;
mod spot_checks;
mod study;

pub use common::Msg;
pub use me::MeMsg;
pub use pairing::PairMsg;
pub use posts::PostMsg;
pub use spot_checks::SpotMsg;
pub use study::StudyMsg;

/// A message that has a text in each language.
pub trait Text: Copy {
    fn text(self, lang: Lang) -> &'static str;
}

/// Defines one message table: `messages!(Enum { Name => "中文", "English"; … })`.
macro_rules! messages {
    ($(#[$meta:meta])* $enum:ident { $($name:ident => $zh:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $enum { $($name),* }

        impl $enum {
            pub const ALL: &'static [$enum] = &[$($enum::$name),*];
        }

        impl $crate::i18n::Text for $enum {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                match (self, lang) {
                    $(($enum::$name, $crate::i18n::Lang::ZhCn) => $zh, ($enum::$name, $crate::i18n::Lang::En) => $en,)*
                }
            }
        }
    };
}
pub(crate) use messages;

/// The current language, shared through Leptos context.
#[derive(Clone, Copy)]
pub struct I18n(RwSignal<Lang>);

const STORAGE_KEY: &str = "xf.lang";

/// The language of the moment (what the kit's error words are made in).
impl From<I18n> for Lang {
    fn from(i18n: I18n) -> Lang {
        i18n.lang()
    }
}

impl I18n {
    /// Reads the saved choice (if any) and provides the context.
    pub fn provide() -> I18n {
        let saved = local_storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default();
        let i18n = I18n(RwSignal::new(saved));
        provide_context(i18n);
        i18n
    }

    pub fn use_context() -> I18n {
        expect_context::<I18n>()
    }

    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// Reactive lookup: call inside a closure in a view.
    pub fn t(self, msg: impl Text) -> &'static str {
        msg.text(self.0.get())
    }

    /// Switches language, remembers it, and updates `<html lang>`.
    pub fn set(self, lang: Lang) {
        self.0.set(lang);
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.tag());
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Fills `{name}` placeholders of a message template.
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// A moment (ms since the epoch) in the phone's local time, e.g. `11月21日 14:05`.
pub fn date_time(lang: Lang, ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    fill(
        Msg::DateTime.text(lang),
        &[
            ("M", &(d.get_month() + 1)),
            ("D", &d.get_date()),
            ("h", &format!("{:02}", d.get_hours())),
            ("m", &format!("{:02}", d.get_minutes())),
        ],
    )
}
