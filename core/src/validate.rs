//! Small checks shared by every record's `validate()`.
//!
//! Why: the same rules for names and texts everywhere, so a phone and the
//! server refuse exactly the same input with the same code.

use crate::error::DomainError;

/// Longest name (person, unit, post, village): generous for Chinese names.
pub const NAME_MAX: usize = 100;
/// Longest short text (note, reason, comment, item, description).
pub const NOTE_MAX: usize = 2_000;
/// Longest long text (a situation report).
pub const REPORT_MAX: usize = 20_000;

/// A required name: not blank, at most [`NAME_MAX`] characters.
pub fn name(field: &'static str, value: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::EmptyName { field });
    }
    max_len(field, value, NAME_MAX)
}

/// A required text: not blank, at most `max` characters.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::EmptyText { field });
    }
    max_len(field, value, max)
}

/// An optional text: blank is fine, at most `max` characters.
pub fn max_len(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    if value.chars().count() > max {
        Err(DomainError::TooLong { field, max })
    } else {
        Ok(())
    }
}

/// An optional text that, when present, must not be blank.
pub fn opt_text(field: &'static str, value: Option<&str>, max: usize) -> Result<(), DomainError> {
    match value {
        Some(v) => text(field, v, max),
        None => Ok(()),
    }
}

/// Trims a name or text the way constructors store it.
pub fn clean(value: impl Into<String>) -> String {
    let value = value.into();
    let trimmed = value.trim();
    if trimmed.len() == value.len() {
        value
    } else {
        trimmed.to_string()
    }
}

/// Trims an optional text; blank becomes `None`.
pub fn clean_opt(value: Option<String>) -> Option<String> {
    value.map(clean).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules() {
        assert!(name("name", "王秀茗").is_ok());
        assert_eq!(name("name", "  ").unwrap_err().code(), "empty_name");
        let long: String = "党".repeat(NAME_MAX + 1);
        assert_eq!(name("name", &long).unwrap_err().code(), "too_long");
        assert!(
            name("name", &"党".repeat(NAME_MAX)).is_ok(),
            "characters, not bytes"
        );
        assert_eq!(text("note", "", 10).unwrap_err().code(), "empty_text");
        assert!(opt_text("contact", None, 10).is_ok());
        assert_eq!(clean(" 教育局 "), "教育局");
        assert_eq!(clean_opt(Some("  ".into())), None);
    }
}
