//! The sync module's pure parts: how answers become errors people can read,
//! and the retry schedule (sessions themselves run in the e2e tests).

use std::time::Duration;

use wasm_bindgen_test::*;
use xianfeng_app::sync::{backoff, failure_from, refused_for_good, SyncFailure};
use xianfeng_core::Lang;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn answers_become_chinese_errors() {
    let zh = |status: u16, body: &str| failure_from(status, body).text(Lang::ZhCn);
    let unauthorized =
        r#"{"error":{"code":"unauthorized","message":"unknown or revoked device token"}}"#;
    assert_eq!(failure_from(401, unauthorized), SyncFailure::Unauthorized);
    assert_eq!(zh(401, unauthorized), "登记已失效，请重新登记");
    assert_eq!(zh(401, ""), "登记已失效，请重新登记");
    assert_eq!(
        zh(
            401,
            r#"{"error":{"code":"invalid_code","message":"no such code"}}"#
        ),
        "登记码无效、已使用或已过期"
    );
    assert_eq!(zh(502, "Bad gateway"), "服务器暂时出错，稍后自动重试");
    assert_eq!(
        zh(
            429,
            r#"{"error":{"code":"rate_limited","message":"slow down"}}"#
        ),
        "请求过于频繁，稍后自动重试"
    );
    assert_eq!(
        SyncFailure::Network.text(Lang::ZhCn),
        "网络不可用，稍后自动重试"
    );
    // Codes core knows are worded by core, exactly as on the server.
    let gap = r#"{"error":{"code":"sequence_gap","message":"change numbers have a gap","details":{"expected":4,"got":6}}}"#;
    assert_eq!(zh(409, gap), "同步编号不连续：应为 4，收到 6");
    assert_eq!(
        zh(
            409,
            r#"{"error":{"code":"unknown_parent","message":"post x is not known yet"}}"#
        ),
        "所属的上级记录尚未同步，请稍后再试"
    );
    // Other codes: the server's Chinese message when it sends one.
    let domain = r#"{"error":{"code":"empty_name","message":"head must not be empty","details":{"message_zh":"户主不能为空"}}}"#;
    assert_eq!(zh(422, domain), "服务器拒收：户主不能为空");
    assert_eq!(
        failure_from(422, domain).text(Lang::En),
        "Refused by the server: head must not be empty"
    );
    // Every failure has words in both languages.
    for f in [
        SyncFailure::NotEnrolled,
        SyncFailure::Unauthorized,
        SyncFailure::Network,
        SyncFailure::RateLimited,
        SyncFailure::Forbidden,
        SyncFailure::Server { status: 500 },
    ] {
        assert!(!f.text(Lang::ZhCn).is_empty() && !f.text(Lang::En).is_empty());
    }
}

#[wasm_bindgen_test]
fn failures_survive_a_restart_as_json() {
    let f = failure_from(409, r#"{"error":{"code":"fact_conflict","message":"x"}}"#);
    let text = serde_json::to_string(&f).unwrap();
    assert_eq!(serde_json::from_str::<SyncFailure>(&text).unwrap(), f);
}

#[wasm_bindgen_test]
fn retries_back_off_from_five_seconds_to_five_minutes() {
    let secs: Vec<u64> = (0..9).map(|n| backoff(n).as_secs()).collect();
    assert_eq!(secs, [60, 5, 10, 20, 40, 80, 160, 300, 300]);
    assert_eq!(backoff(1000), Duration::from_secs(300));
}

/// A change is set aside only when the server (core's `is_retryable`)
/// says sending it again cannot help; anything else stays in the outbox.
#[wasm_bindgen_test]
fn only_a_refusal_marked_final_sets_a_change_aside() {
    let refusal = |code: &str, status: u16, retryable: &str| {
        let details = match retryable {
            "" => r#"{"seq":7,"message_zh":"拒收"}"#.to_string(),
            r => format!(r#"{{"seq":7,"message_zh":"拒收","retryable":{r}}}"#),
        };
        let body = format!(r#"{{"error":{{"code":"{code}","message":"no","details":{details}}}}}"#);
        refused_for_good(&failure_from(status, &body))
    };
    assert_eq!(
        refusal("forbidden", 403, "false"),
        Some((7, "forbidden".to_string(), "拒收".to_string()))
    );
    assert_eq!(refusal("unknown_parent", 409, "true"), None);
    // A code this version has never heard of, without the server's word:
    // kept and retried, never dropped from the queue.
    assert_eq!(refusal("something_new", 400, ""), None);
    assert_eq!(refusal("sequence_gap", 409, ""), None);
    assert_eq!(refused_for_good(&SyncFailure::Network), None);
}
