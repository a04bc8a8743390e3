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
    EnrollTitle => "登记本机", "Enrol this phone";
    EnrollHint => "输入办公室发给您的登记码。登记后，本机记录会自动与服务器同步。", "Enter the code the office gave you. Once enrolled, this phone syncs with the server by itself.";
    EnrollCode => "登记码", "Enrolment code";
    DeviceName => "设备名称", "Device name";
    DefaultDeviceName => "我的手机", "My phone";
    EnrollButton => "登记", "Enrol";
    Enrolling => "正在登记…", "Enrolling…";
    ThisPhone => "本机", "This phone";
    FieldName => "姓名", "Name";
    FieldRole => "角色", "Role";
    FieldScope => "范围", "Scope";
    RoleOffice => "办公室", "Office";
    RoleInspector => "督导组", "Inspector";
    RoleCadre => "村干部", "Cadre";
    ScopeCity => "全市", "Whole city";
    ScopeSystem => "系统", "System";
    ScopeUnit => "单位", "Unit";
    ScopeBranch => "支部", "Branch";
    ScopeVillage => "村", "Village";
    Unsent => "未同步", "Unsent";
    UnsentCount => "{n} 条", "{n}";
    LastSync => "上次同步", "Last sync";
    NeverSynced => "尚未同步", "Not yet";
    DateTime => "{M}月{D}日 {h}:{m}", "{D}/{M} {h}:{m}";
    SyncNow => "立即同步", "Sync now";
    Syncing => "正在同步…", "Syncing…";
    PersistTitle => "本机存储", "Storage on this phone";
    PersistGranted => "已获得持久存储", "Persistent storage granted";
    PersistDenied => "未获得持久存储（浏览器可能清理数据）", "Persistent storage not granted (the browser may clear data)";
    BackupTitle => "备份", "Backup";
    BackupHint => "把本机全部记录导出为文件；换手机或清理浏览器前请先导出。", "Export everything on this phone to a file; do it before changing phones or clearing the browser.";
    ExportBackup => "导出备份", "Export backup";
    ExportDone => "备份文件已导出", "Backup file exported";
    ImportBackup => "导入备份", "Import backup";
    ImportDone => "导入 {imported} 条，跳过 {skipped} 条，待上传 {queued} 条", "Imported {imported}, skipped {skipped}, {queued} queued to send";
    ErrUnauthorized => "登记已失效，请重新登记", "This phone's enrolment is no longer valid; please enrol again";
    ErrNetwork => "网络不可用，稍后自动重试", "No network; will retry automatically";
    ErrServer => "服务器暂时出错，稍后自动重试", "The server had a problem; will retry automatically";
    ErrRateLimited => "请求过于频繁，稍后自动重试", "Too many requests; will retry automatically";
    ErrForbidden => "无权进行此操作", "Not allowed";
    ErrInvalidCode => "登记码无效、已使用或已过期", "The code is invalid, already used or expired";
    ErrRejected => "服务器拒收：", "Refused by the server: ";
    ErrNotEnrolled => "本机尚未登记，请先在“同步”页登记", "This phone is not enrolled yet; enrol it on the Sync tab";
    ErrBadBackup => "备份文件无法读取：", "Cannot read the backup file: ";
    ErrStorage => "本机存储出错：", "Storage error on this phone: ";
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
