//! 我的, the role-first tab bar, the sync warning, installing and handing
//! over the phone (issue 16).

use super::messages;

messages! {
    /// 我的, role-first navigation, the sync warning, installing, hand-over.
    MeMsg {
        WhoAmI => "我是谁", "Who I am";
        Person => "姓名", "Name";
        DeviceName => "本机名称", "This device";
        EnrolledSince => "登记时间", "Enrolled since";
        NotEnrolled => "本机尚未登记。", "This phone is not enrolled.";
        GoEnroll => "去登记本机", "Enrol this phone";
        Revoked => "本机的登记已被撤销或失效：不能再同步。未同步的记录仍保存在本机，请先导出备份，交给办公室导入，再重新登记。", "This phone's enrolment was revoked or is no longer valid: it cannot sync. Its unsent records are still kept here: export a backup first, hand it to the office to import, then enrol again.";
        ReadOnlyTab => "只读", "read only";
        ReadOnlySection => "您在本栏目只能查看：这里的记录由其他角色登记。", "You can only read this section: its records are made by other roles.";
        UnsentBadge => "{n} 条未同步", "{n} unsent";
        SyncFailing => "同步已失败 {min} 分钟：{reason}。记录都保存在本机，恢复后会自动同步。", "Sync has failed for {min} minutes: {reason}. Everything is kept on this phone and will sync once it recovers.";
        SyncDetails => "查看同步", "Sync details";
        StorageOk => "浏览器已同意长期保存本机数据。", "The browser keeps this phone's data for good.";
        StorageRefused => "浏览器未同意长期保存：空间不足时可能清除本机数据。请把本应用安装到主屏幕、常用它，并经常同步或导出备份。", "The browser has not agreed to keep the data for good: it may clear it when space runs short. Install the app to the home screen, use it often, and sync or export a backup regularly.";
        StorageUnknown => "正在查看存储状态…", "Checking storage…";
        UpToDate => "已是最新版本", "Up to date";
        HelpTitle => "使用说明", "How to use";
        HelpSpotChecks => "巡察：点“开始巡察”，选单位，逐人点佩戴、未佩戴、免查或不在岗；没有信号也能记录，有信号时自动同步。排名与统计每周自动计算。", "Spot checks: tap Start, choose the unit, then one tap per member (wearing, not wearing, excused, absent); works without signal and syncs when it returns. Rankings are computed every week.";
        HelpPosts => "示范岗：登记示范岗和承诺，督导组检查打分，群众扫码评议；得分由规则自动计算，可查看每一分的来历。", "Posts: register posts and commitments; inspectors check and score, the public reviews by QR code; scores are computed by the rubric and each point is explained.";
        HelpPairing => "结对帮扶：为困难户建登记卡，结对党员后记录走访、帮扶和情况反映；只登记帮扶需要的信息。", "Pairing: make a card for each household in need, pair a member, then record visits, support and reports; record only what the help needs.";
        HelpStudy => "学习：支部记一次学习（时间、学时、形式、主题），再逐人点出席、缺席或请假，缺课的可记补课；学时、参学率和“两个确保”自动计算。督导组逐项评估转段，签字后由办公室批准或要求补课。", "Study: a branch records a session (date, hours, kind, topic), then one tap per member (present, absent, excused), and make-ups for those who missed it; hours, participation and the two guarantees are computed. Inspectors review the stage transition point by point and sign; the office approves it or orders make-ups.";
        OfflineReady => "本应用已完整存到本机：没有信号也能打开每一页。", "The whole app is stored on this phone: every page opens without signal.";
        OfflinePending => "正在把本应用存到本机，联网时自动完成；完成前没有信号时，部分页面可能打不开。", "Storing the app on this phone; it finishes by itself while online. Until then, some pages may not open without signal.";
        OfflineUnsupported => "此浏览器不能离线使用本应用：请用系统浏览器打开，并安装到主屏幕。", "This browser cannot keep the app for offline use: open it in the system browser and install it to the home screen.";
        HelpSync => "同步：记录先存在本机，联网后自动上传；“同步”页显示未同步条数，可随时导出备份。", "Sync: records are kept on the phone first and uploaded when online; the Sync tab shows what is unsent, and a backup can be exported at any time.";
        HandOverTitle => "交接本机", "Hand over this phone";
        HandOverHint => "把手机交给同事前：清除本机的全部记录和登记信息，让对方重新登记。", "Before giving this phone to a colleague: wipe every record and the enrolment, so they can enrol themselves.";
        HandOverUnsent => "还有 {n} 条记录未同步，交接会丢失它们。请先同步，或先导出备份。", "{n} records are not synced yet and would be lost. Sync first, or export a backup first.";
        HandOverExported => "已导出备份。交接后请把备份文件交给办公室导入。", "Backup exported. After the hand-over, give the file to the office to import.";
        HandOverButton => "交接本机", "Hand over this phone";
        HandOverConfirm => "确认清除本机全部数据", "Yes, wipe everything on this phone";
        HandOverCancel => "取消", "Cancel";
        HandOverSure => "确定吗？本机的记录、登记信息和令牌将被清除，无法恢复。", "Are you sure? This phone's records, enrolment and token will be wiped for good.";
        HandOverFailed => "清除失败：{reason}", "Wiping failed: {reason}";
        InstallTitle => "安装到主屏幕", "Install to the home screen";
        InstallButton => "安装到主屏幕", "Install to the home screen";
        InstallDismiss => "不再提示", "Don't show again";
        InstallIos => "在 Safari 中点底部的分享按钮 ⎋，再选“添加到主屏幕”。", "In Safari, tap the Share button ⎋ at the bottom, then “Add to Home Screen”.";
        InstallDone => "已安装：从主屏幕打开本应用。", "Installed: open the app from the home screen.";
        InAppBrowser => "您正在微信或QQ内置浏览器中打开：这里不能安装，离线记录也可能不被保存。请点右上角 ··· → 在浏览器打开。", "You opened this inside WeChat's or QQ's built-in browser: the app cannot be installed here, and records may not be kept offline. Tap ··· at the top right → Open in browser.";
    }
}
