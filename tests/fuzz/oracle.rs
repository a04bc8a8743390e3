//! The properties every answer and every stored value must have, shared by
//! the server and phone targets.

use serde_json::Value;
use xianfeng_core::validate::is_clean;

/// Every stable error code the API and core may answer with. A code not
/// listed here is a failure: clients match on codes, so none may appear
/// by accident (or leak an internal message).
pub const CODES: &[&str] = &[
    // core: DomainError
    "empty_name",
    "empty_text",
    "too_long",
    "negative_amount",
    "out_of_range",
    "invalid_date",
    "date_order",
    "unknown_value",
    "invalid_id",
    "invalid_week",
    "invalid_half_year",
    "empty_list",
    "duplicate",
    "weights_sum",
    "threshold_order",
    "unsupported_schema",
    "kind_mismatch",
    "invalid_json",
    "missing_column",
    "invalid_csv",
    "control_character",
    "not_normalized",
    "unknown_field",
    "too_many",
    "record_too_large",
    "not_applicable",
    // core: SyncError
    "invalid_seq",
    "sequence_gap",
    "not_consecutive",
    "batch_too_large",
    "fact_conflict",
    "wrong_op",
    "not_syncable",
    "id_mismatch",
    "unknown_parent",
    "forbidden",
    // server
    "bad_request",
    "unauthorized",
    "not_found",
    "method_not_allowed",
    "conflict",
    "payload_too_large",
    "rate_limited",
    "invalid_code",
    "invalid_scope",
];

pub fn known_code(code: &str) -> Result<(), String> {
    if CODES.contains(&code) {
        Ok(())
    } else {
        Err(format!("unknown error code {code:?}"))
    }
}

/// An `/api` answer: never 5xx, always JSON and `no-store`; a refusal is
/// `{"error":{"code","message"}}` with a known code and a message.
pub fn api_answer(status: u16, content_type: &str, cache: &str, body: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(body);
    if status >= 500 {
        return Err(format!("{status}: {}", truncate(&text)));
    }
    if content_type != "application/json" || cache != "no-store" {
        return Err(format!("{status} as {content_type:?} / {cache:?}"));
    }
    let json: Value =
        serde_json::from_slice(body).map_err(|e| format!("{status}: not JSON ({e})"))?;
    if status >= 400 {
        let code = json["error"]["code"]
            .as_str()
            .ok_or_else(|| format!("{status}: no error code in {}", truncate(&text)))?;
        known_code(code)?;
        if !json["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
        {
            return Err(format!("{status} {code}: no message"));
        }
    } else if !(200..300).contains(&status) {
        return Err(format!("unexpected status {status}"));
    }
    Ok(())
}

/// Every string in a stored value is clean (trimmed, NFC) and free of
/// control characters other than newline and tab.
pub fn clean_text(value: &Value) -> Result<(), String> {
    match value {
        Value::String(s) => {
            let controls = s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
            if controls || !is_clean(s) {
                Err(format!("stored text {s:?} is not clean"))
            } else {
                Ok(())
            }
        }
        Value::Array(items) => items.iter().try_for_each(clean_text),
        Value::Object(map) => map.values().try_for_each(clean_text),
        _ => Ok(()),
    }
}

pub fn truncate(text: &str) -> String {
    text.chars().take(300).collect()
}
