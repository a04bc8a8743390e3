//! Every user-facing string, in one place: zh-CN first, English second.
//!
//! Screens never hold literal text; they ask [`I18n::t`] for a [`Msg`], so a
//! missing translation is a compile error, not a blank button.

use leptos::prelude::*;

/// The two UI languages (core's, so domain errors speak the same ones).
pub use xianfeng_core::error::Lang;

macro_rules! messages {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        /// A user-facing message. Add a line to the table to add one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($name),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::ZhCn) => $zh, (Msg::$name, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "先锋", "Xianfeng";
    MainNav => "主要栏目", "Main sections";
    TabSpotChecks => "巡察", "Spot checks";
    TabPosts => "示范岗", "Model posts";
    TabPairing => "结对帮扶", "Pairing";
    TabSync => "同步", "Sync";
    TabMe => "我的", "Me";
    Online => "在线", "Online";
    Offline => "离线", "Offline";
    OfflineHint => "离线也能记录，联网后自动同步。", "You can record offline; it syncs when you are back online.";
    UpdateReady => "新版本可用", "A new version is available";
    UpdateApply => "点击更新", "Update now";
    SpotChecksTitle => "佩戴党徽巡察", "Badge spot checks";
    SpotChecksEmpty => "还没有巡察记录。巡察功能即将上线：逐人记录佩戴情况，自动提醒、批评、警告并通报。", "No spot checks yet. Coming soon: record badge wearing member by member; reminders, criticism and warnings follow automatically.";
    PostsTitle => "党员示范岗", "Demonstration posts";
    PostsEmpty => "还没有示范岗。即将上线：岗位承诺、群众评议、督导检查和评分说明。", "No demonstration posts yet. Coming soon: commitments, public reviews, inspectors' checks and explained scores.";
    PairingTitle => "结对帮扶", "Pairing with households";
    PairingEmpty => "还没有结对帮扶登记卡。即将上线：登记卡、走访、资金物资和生产扶持、情况反映与汇总。", "No pairing cards yet. Coming soon: registration cards, visits, support in funds, goods and production, reports and totals.";
    SyncTitle => "同步", "Sync";
    SyncEmpty => "本机记录都保存在手机上。与服务器同步的功能即将上线。", "Everything you record is kept on this phone. Syncing with the server is coming soon.";
    MeTitle => "我的", "Me";
    Language => "界面语言", "Language";
    LangZh => "简体中文", "简体中文 (Chinese)";
    LangEn => "English", "English";
    Version => "版本", "Version";
    NotFoundTitle => "页面不存在", "Page not found";
    BackHome => "返回首页", "Back to start";
}

/// The current language, shared through Leptos context.
#[derive(Clone, Copy)]
pub struct I18n(RwSignal<Lang>);

const STORAGE_KEY: &str = "xf.lang";

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
    pub fn t(self, msg: Msg) -> &'static str {
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
