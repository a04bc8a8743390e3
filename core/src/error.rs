//! Typed domain errors with a stable code and a message in zh-CN and English.
//!
//! Why: the server answers with `code()` (machines match on it, so codes
//! never change once published), the app shows `message(Lang::ZhCn)` to a
//! cadre on a phone, and logs use the English `Display`. One enum keeps the
//! three in step.

use serde::{Deserialize, Serialize};

/// The user's language. The app's i18n reuses this; zh-CN is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese, the first language of the UI.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The BCP 47 tag: `zh-CN` or `en`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a BCP 47 tag loosely (`zh`, `zh-Hans-CN`, `en-GB`, …).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let lower = tag.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("");
        match primary {
            "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Every way a record or a value can be refused.
///
/// `field` names are the English snake_case field names of the JSON shapes;
/// [`DomainError::message`] translates them for zh-CN.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A required name is empty or only whitespace.
    #[error("{field} must not be empty")]
    EmptyName { field: &'static str },
    /// A required text (note, report, reason) is empty.
    #[error("{field} must not be empty")]
    EmptyText { field: &'static str },
    /// A text is longer than allowed (counted in characters).
    #[error("{field} is too long (at most {max} characters)")]
    TooLong { field: &'static str, max: usize },
    /// A money amount or an area is below zero.
    #[error("{field} must not be negative (got {value})")]
    NegativeAmount { field: &'static str, value: i64 },
    /// A number outside its allowed range.
    #[error("{field} must be between {min} and {max} (got {value})")]
    OutOfRange {
        field: &'static str,
        value: i64,
        min: i64,
        max: i64,
    },
    /// A date that does not exist or is implausible for a campaign.
    #[error("{field} is not a valid date: {value}")]
    InvalidDate { field: &'static str, value: String },
    /// An end date before its start date.
    #[error("{field} is before the start date")]
    DateOrder { field: &'static str },
    /// A value outside a closed list (post type, cause of difficulty, …).
    #[error("{field}: unknown value {value:?}")]
    UnknownValue { field: &'static str, value: String },
    /// An id that is not a UUID.
    #[error("not a valid id: {value:?}")]
    InvalidId { value: String },
    /// An ISO week that does not exist (e.g. week 53 of a 52-week year).
    #[error("not a valid ISO week: {value:?}")]
    InvalidWeek { value: String },
    /// A half-year that is not `YYYY-H1` or `YYYY-H2`.
    #[error("not a valid half-year: {value:?}")]
    InvalidHalfYear { value: String },
    /// A list that must have at least one element is empty.
    #[error("{field} must have at least one entry")]
    EmptyList { field: &'static str },
    /// A list holds the same value twice.
    #[error("{field} lists {value:?} twice")]
    Duplicate { field: &'static str, value: String },
    /// Rubric weights do not add up to 100.
    #[error("rubric weights must add up to 100 (got {sum})")]
    WeightsSum { sum: u32 },
    /// Rubric grade thresholds are not strictly descending within 0..=100.
    #[error("rubric thresholds must satisfy 100 >= excellent > qualified > basic >= 0")]
    ThresholdOrder,
    /// A JSON record carries a schema version this build cannot read.
    #[error("unsupported schema version {found} (this build reads {supported})")]
    UnsupportedSchema { found: u32, supported: u32 },
    /// A JSON envelope holds another kind of record than asked for.
    #[error("expected a {expected} record, got {found}")]
    KindMismatch {
        expected: &'static str,
        found: String,
    },
    /// JSON that does not parse into the record's shape.
    #[error("invalid JSON: {detail}")]
    InvalidJson { detail: String },
    /// A CSV file without a needed column.
    #[error("the CSV file has no {column} column")]
    MissingColumn { column: &'static str },
    /// A CSV file that cannot be read at all.
    #[error("invalid CSV: {detail}")]
    InvalidCsv { detail: String },
    /// A text holds a control character (NUL, an escape sequence…);
    /// multi-line notes may hold newlines and tabs only.
    #[error("{field} contains a control character")]
    ControlCharacter { field: &'static str },
    /// A synced text that is not as the app stores it: trimmed, in NFC.
    #[error("{field} must be trimmed and in Unicode NFC form")]
    NotNormalized { field: &'static str },
    /// A field the record does not have.
    #[error("unknown field {field:?}")]
    UnknownField { field: String },
    /// A list longer than allowed.
    #[error("{field} has too many entries (at most {max})")]
    TooMany { field: &'static str, max: usize },
    /// A whole record larger than allowed (its JSON, in bytes).
    #[error("the record is too large (at most {max} bytes)")]
    RecordTooLarge { max: usize },
    /// A field given where it does not apply (a session made up by a
    /// session that is not a 补课, a topic number on a lecture).
    #[error("{field} does not apply here")]
    NotApplicable { field: &'static str },
}

impl DomainError {
    /// The record field the error is about, where there is one: a form
    /// shows the message next to that field. (Rubric errors name the part
    /// of the rubric: `weights`, `thresholds`.)
    pub fn field(&self) -> Option<&'static str> {
        use DomainError::*;
        match self {
            EmptyName { field }
            | EmptyText { field }
            | TooLong { field, .. }
            | NegativeAmount { field, .. }
            | OutOfRange { field, .. }
            | InvalidDate { field, .. }
            | DateOrder { field }
            | UnknownValue { field, .. }
            | EmptyList { field }
            | Duplicate { field, .. }
            | ControlCharacter { field }
            | NotNormalized { field }
            | TooMany { field, .. }
            | NotApplicable { field } => Some(field),
            WeightsSum { .. } => Some("weights"),
            ThresholdOrder => Some("thresholds"),
            _ => None,
        }
    }

    /// The stable machine code, snake_case. Never renamed once published.
    pub fn code(&self) -> &'static str {
        use DomainError::*;
        match self {
            EmptyName { .. } => "empty_name",
            EmptyText { .. } => "empty_text",
            TooLong { .. } => "too_long",
            NegativeAmount { .. } => "negative_amount",
            OutOfRange { .. } => "out_of_range",
            InvalidDate { .. } => "invalid_date",
            DateOrder { .. } => "date_order",
            UnknownValue { .. } => "unknown_value",
            InvalidId { .. } => "invalid_id",
            InvalidWeek { .. } => "invalid_week",
            InvalidHalfYear { .. } => "invalid_half_year",
            EmptyList { .. } => "empty_list",
            Duplicate { .. } => "duplicate",
            WeightsSum { .. } => "weights_sum",
            ThresholdOrder => "threshold_order",
            UnsupportedSchema { .. } => "unsupported_schema",
            KindMismatch { .. } => "kind_mismatch",
            InvalidJson { .. } => "invalid_json",
            MissingColumn { .. } => "missing_column",
            InvalidCsv { .. } => "invalid_csv",
            ControlCharacter { .. } => "control_character",
            NotNormalized { .. } => "not_normalized",
            UnknownField { .. } => "unknown_field",
            TooMany { .. } => "too_many",
            RecordTooLarge { .. } => "record_too_large",
            NotApplicable { .. } => "not_applicable",
        }
    }

    /// The message for a person, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhCn => self.message_zh(),
        }
    }

    fn message_zh(&self) -> String {
        use DomainError::*;
        match self {
            EmptyName { field } | EmptyText { field } => format!("{}不能为空", field_zh(field)),
            TooLong { field, max } => format!("{}过长（最多{}个字）", field_zh(field), max),
            NegativeAmount { field, value } => {
                format!("{}不能为负数（收到{}）", field_zh(field), value)
            }
            OutOfRange {
                field,
                value,
                min,
                max,
            } => format!(
                "{}应在{}到{}之间（收到{}）",
                field_zh(field),
                min,
                max,
                value
            ),
            InvalidDate { field, value } => format!("{}不是有效日期：{}", field_zh(field), value),
            DateOrder { field } => format!("{}早于开始日期", field_zh(field)),
            UnknownValue { field, value } => {
                format!("{}的取值“{}”无法识别", field_zh(field), value)
            }
            InvalidId { value } => format!("编号无效：{value}"),
            InvalidWeek { value } => format!("周次无效：{value}"),
            InvalidHalfYear { value } => format!("半年度无效：{value}"),
            EmptyList { field } => format!("{}至少要有一项", field_zh(field)),
            Duplicate { field, value } => format!("{}中“{}”重复", field_zh(field), value),
            WeightsSum { sum } => format!("评分权重之和应为100（现为{sum}）"),
            ThresholdOrder => "等次分数线应满足：100 ≥ 优秀 > 合格 > 基本合格 ≥ 0".to_string(),
            UnsupportedSchema { found, supported } => {
                format!("数据版本{found}无法读取（本程序支持版本{supported}）")
            }
            KindMismatch { expected, found } => {
                format!("记录类型不符：应为{expected}，实为{found}")
            }
            InvalidJson { detail } => format!("数据格式错误：{detail}"),
            MissingColumn { column } => format!("表格缺少“{}”列", field_zh(column)),
            InvalidCsv { detail } => format!("表格无法读取：{detail}"),
            ControlCharacter { field } => {
                format!("{}含有不允许的控制字符", field_zh(field))
            }
            NotNormalized { field } => {
                format!("{}须去掉首尾空白并使用规范（NFC）字符", field_zh(field))
            }
            UnknownField { field } => format!("无法识别的字段“{field}”"),
            TooMany { field, max } => format!("{}过多（最多{}项）", field_zh(field), max),
            RecordTooLarge { max } => format!("记录过大（最多{max}字节）"),
            NotApplicable { field } => format!("{}不适用于此记录", field_zh(field)),
        }
    }

    /// A serialisable body for APIs and logs: code plus both messages.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code().to_string(),
            message_zh: self.message(Lang::ZhCn),
            message_en: self.message(Lang::En),
        }
    }
}

/// What the server sends back for a refused record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

/// The zh-CN label of a JSON field name; unknown names are shown as they are.
pub fn field_zh(field: &str) -> &str {
    match field {
        "name" => "名称",
        "member_name" => "姓名",
        "branch" => "支部",
        "post_name" => "岗位名称",
        "head" => "户主",
        "size" => "家庭人口",
        "contact" => "联系方式",
        "causes" => "致贫原因",
        "attribute" => "户属性",
        "post_type" => "岗位类型",
        "status" => "党员状态",
        "reason" => "原因",
        "note" => "备注",
        "text" => "内容",
        "comment" => "评语",
        "reviewer" => "评议人",
        "items" => "承诺事项",
        "item" => "承诺事项",
        "description" => "说明",
        "summary" => "情况摘要",
        "rating" => "评分",
        "amount" => "金额",
        "value" => "折价",
        "area" => "面积",
        "since" => "开始日期",
        "until" => "结束日期",
        "on" => "日期",
        "date" => "日期",
        "at" => "时间",
        "deadline" => "截止日期",
        "filed_on" => "提交日期",
        "submitted_on" => "提交日期",
        "resolved_on" => "解决日期",
        "outcome" => "检查结果",
        "mode" => "检查方式",
        "place" => "地点",
        "kind" => "类型",
        "week" => "周次",
        "period" => "评议周期",
        "units" => "督导单位",
        "weights" => "评分权重",
        "min_reviews" => "最少评议人数",
        "min_checks" => "最少检查次数",
        "version" => "版本",
        "promise" => "服务承诺",
        "created_on" => "制定日期",
        "partly_kept_percent" => "部分兑现得分比例",
        "check_points" => "检查评分",
        "service_fair" => "服务一般得分",
        "township" => "乡镇",
        "problems" => "反映的问题",
        "record" => "记录",
        "device_name" => "设备名称",
        "topic" => "学习主题",
        "hours" => "学时",
        "makes_up" => "所补课次",
        "discussion_topic" => "讨论题目",
        "discussion_topics" => "讨论题目",
        "session" => "学习课次",
        "method" => "送学方式",
        "notes_chars" => "笔记字数",
        "reflection_chars" => "心得体会字数",
        "reflection_on" => "心得体会日期",
        "count" => "建议条数",
        "points" => "检查要点",
        "results" => "评估结果",
        "hours_target" => "学时目标",
        "notes_target" => "笔记字数目标",
        "reflection_target" => "心得体会字数目标",
        "suggestions_target" => "建议条数目标",
        "excused" => "免于参学的党员状态",
        "hours_excused" => "不计学时目标的党员状态",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_names_the_field_a_form_shows_it_at() {
        let cases = [
            (DomainError::EmptyName { field: "head" }, Some("head")),
            (
                DomainError::TooLong {
                    field: "note",
                    max: 2000,
                },
                Some("note"),
            ),
            (DomainError::DateOrder { field: "until" }, Some("until")),
            (DomainError::WeightsSum { sum: 90 }, Some("weights")),
            (DomainError::ThresholdOrder, Some("thresholds")),
            (DomainError::InvalidId { value: "x".into() }, None),
        ];
        for (error, field) in cases {
            assert_eq!(error.field(), field, "{error:?}");
        }
    }

    #[test]
    fn codes_are_stable_and_messages_exist_in_both_languages() {
        let cases: Vec<(DomainError, &str, &str)> = vec![
            (
                DomainError::EmptyName { field: "head" },
                "empty_name",
                "户主不能为空",
            ),
            (
                DomainError::EmptyText { field: "reason" },
                "empty_text",
                "原因不能为空",
            ),
            (
                DomainError::TooLong {
                    field: "name",
                    max: 5,
                },
                "too_long",
                "名称过长",
            ),
            (
                DomainError::NegativeAmount {
                    field: "amount",
                    value: -1,
                },
                "negative_amount",
                "金额不能为负数",
            ),
            (
                DomainError::OutOfRange {
                    field: "rating",
                    value: 9,
                    min: 1,
                    max: 5,
                },
                "out_of_range",
                "评分应在1到5之间",
            ),
            (
                DomainError::InvalidDate {
                    field: "on",
                    value: "2005-02-30".into(),
                },
                "invalid_date",
                "日期不是有效日期",
            ),
            (
                DomainError::DateOrder { field: "until" },
                "date_order",
                "结束日期早于",
            ),
            (
                DomainError::UnknownValue {
                    field: "causes",
                    value: "x".into(),
                },
                "unknown_value",
                "致贫原因的取值",
            ),
            (
                DomainError::InvalidId { value: "x".into() },
                "invalid_id",
                "编号无效",
            ),
            (
                DomainError::InvalidWeek { value: "x".into() },
                "invalid_week",
                "周次无效",
            ),
            (
                DomainError::InvalidHalfYear { value: "x".into() },
                "invalid_half_year",
                "半年度",
            ),
            (
                DomainError::EmptyList { field: "items" },
                "empty_list",
                "承诺事项至少",
            ),
            (
                DomainError::Duplicate {
                    field: "causes",
                    value: "因病".into(),
                },
                "duplicate",
                "重复",
            ),
            (
                DomainError::WeightsSum { sum: 90 },
                "weights_sum",
                "权重之和",
            ),
            (DomainError::ThresholdOrder, "threshold_order", "分数线"),
            (
                DomainError::UnsupportedSchema {
                    found: 9,
                    supported: 1,
                },
                "unsupported_schema",
                "版本9",
            ),
            (
                DomainError::KindMismatch {
                    expected: "member",
                    found: "unit".into(),
                },
                "kind_mismatch",
                "类型不符",
            ),
            (
                DomainError::InvalidJson {
                    detail: "eof".into(),
                },
                "invalid_json",
                "格式错误",
            ),
            (
                DomainError::ControlCharacter { field: "head" },
                "control_character",
                "户主含有不允许的控制字符",
            ),
            (
                DomainError::NotNormalized { field: "note" },
                "not_normalized",
                "备注须去掉首尾空白",
            ),
            (
                DomainError::UnknownField {
                    field: "pad".into(),
                },
                "unknown_field",
                "无法识别的字段“pad”",
            ),
            (
                DomainError::TooMany {
                    field: "items",
                    max: 200,
                },
                "too_many",
                "承诺事项过多（最多200项）",
            ),
            (
                DomainError::RecordTooLarge { max: 65536 },
                "record_too_large",
                "记录过大",
            ),
            (
                DomainError::NotApplicable { field: "makes_up" },
                "not_applicable",
                "所补课次不适用于此记录",
            ),
        ];
        for (err, code, zh) in cases {
            assert_eq!(err.code(), code);
            assert!(
                err.message(Lang::ZhCn).contains(zh),
                "{}",
                err.message(Lang::ZhCn)
            );
            assert!(!err.message(Lang::En).is_empty());
            let body = err.body();
            assert_eq!(body.code, code);
        }
    }

    #[test]
    fn lang_tags() {
        for (tag, lang) in [
            ("zh-CN", Some(Lang::ZhCn)),
            ("zh", Some(Lang::ZhCn)),
            ("zh-Hans-CN", Some(Lang::ZhCn)),
            ("en-GB", Some(Lang::En)),
            ("fr", None),
        ] {
            assert_eq!(Lang::from_tag(tag), lang, "{tag}");
        }
        assert_eq!(Lang::default(), Lang::ZhCn);
        assert_eq!(serde_json::to_string(&Lang::ZhCn).unwrap(), "\"zh-CN\"");
    }
}
