//! The shell's, sync's and settings' messages.

use super::messages;

messages! {
    /// A message of the shell, the 同步 tab or 我的.
    Msg {
        AppName => "先锋", "Xianfeng";
        MainNav => "主要栏目", "Main sections";
        TabSpotChecks => "巡察", "Spot checks";
        TabPosts => "示范岗", "Model posts";
        TabPairing => "结对帮扶", "Pairing";
        TabStudy => "学习", "Study";
        TabSync => "同步", "Sync";
        TabMe => "我的", "Me";
        Online => "在线", "Online";
        Offline => "离线", "Offline";
        OfflineHint => "离线也能记录，联网后自动同步。", "You can record offline; it syncs when you are back online.";
        UpdateReady => "新版本可用", "A new version is available";
        UpdateApply => "点击更新", "Update now";
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
        CatchUp => "正在接收数据：已接收 {n} 条，可继续使用", "Receiving data: {n} received; keep working";
        CatchUpLabel => "接收进度", "Receiving progress";
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
        Loading => "正在读取…", "Loading…";
        ErrNotAllowed => "超出本机角色和范围，不能保存这条记录。", "This phone's role and scope do not allow recording this.";
        ErrInvalidCode => "登记码无效、已使用或已过期", "The code is invalid, already used or expired";
        ErrRejected => "服务器拒收：", "Refused by the server: ";
        ErrNotEnrolled => "本机尚未登记，请先在“同步”页登记", "This phone is not enrolled yet; enrol it on the Sync tab";
        ErrBadBackup => "备份文件无法读取：", "Cannot read the backup file: ";
        ErrStorage => "本机存储出错：", "Storage error on this phone: ";
        ErrStorageFull => "手机存储空间已满，刚才的记录没有保存。请清理手机空间后重试。", "This phone's storage is full: the last entry was not saved. Free up space and try again.";
        MeTitle => "我的", "Me";
        Language => "界面语言", "Language";
        LangZh => "简体中文", "简体中文 (Chinese)";
        LangEn => "English", "English";
        Version => "版本", "Version";
        NotFoundTitle => "页面不存在", "Page not found";
        BackHome => "返回首页", "Back to start";
        PartMissing => "这一页还没有下载到本机。连上网络后点“重试”；其他页面照常可用。", "This page has not been downloaded to this phone yet. Connect and tap Retry; the other pages still work.";
        Retry => "重试", "Retry";

        RejectedTitle => "服务器拒收的记录（{n} 条）", "Records the server refused ({n})";
        RejectedHint => "这些记录超出权限或与已有记录冲突，不会再发送；它们仍保存在本机和备份中，请联系办公室处理。", "These records are out of scope or clash with existing ones and will not be sent again; they stay on this phone and in backups. Please contact the office.";

        DemoData => "演示数据", "Demo data";

        // Punctuation between parts of a text, per language.
        ListSep => "、", ", ";
        ClauseSep => "，", ", ";
        LabelSep => "：", ": ";
    }
}
