//! Small checks shared by every record's `validate()`.
//!
//! Why: the same rules for names and texts everywhere, so a phone and the
//! server refuse exactly the same input with the same code.
//!
//! Text (issue 12): a record's text is what people read on other phones
//! and in exported files, so it never holds control characters (C0, DEL,
//! C1: NUL bytes, ANSI escape sequences…); only multi-line notes may hold
//! newlines and tabs. Constructors store text [`clean`]: trimmed and in
//! Unicode NFC (so equal-looking names compare equal); text arriving over
//! sync must already be clean ([`is_clean`], checked by
//! `sync::check_change`), so what is stored is exactly what was sent.
//! Every string has a length limit, and lists a count limit.

use crate::error::DomainError;
use crate::nfc::{is_nfc, nfc};

/// Longest name (person, unit, post, village): generous for Chinese names.
pub const NAME_MAX: usize = 100;
/// Longest short text (note, reason, comment, item, description).
pub const NOTE_MAX: usize = 2_000;
/// Longest long text (a situation report).
pub const REPORT_MAX: usize = 20_000;
/// Most entries in a list (a commitment's items, a group's units).
pub const LIST_MAX: usize = 200;

/// A required name: one line, not blank, at most [`NAME_MAX`] characters.
pub fn name(field: &'static str, value: &str) -> Result<(), DomainError> {
    line(field, value, NAME_MAX).map_err(|e| match e {
        DomainError::EmptyText { field } => DomainError::EmptyName { field },
        e => e,
    })
}

/// A required one-line text: not blank, at most `max` characters.
pub fn line(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    controls(field, value, false)?;
    required(field, value, max)
}

/// An optional one-line text that, when present, must not be blank.
pub fn opt_line(field: &'static str, value: Option<&str>, max: usize) -> Result<(), DomainError> {
    value.map_or(Ok(()), |v| line(field, v, max))
}

/// A required multi-line text: not blank, at most `max` characters.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    controls(field, value, true)?;
    required(field, value, max)
}

/// An optional multi-line text: blank is fine, at most `max` characters.
pub fn max_len(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    controls(field, value, true)?;
    length(field, value, max)
}

/// An optional multi-line text that, when present, must not be blank.
pub fn opt_text(field: &'static str, value: Option<&str>, max: usize) -> Result<(), DomainError> {
    value.map_or(Ok(()), |v| text(field, v, max))
}

/// A list of at most `max` entries.
pub fn list_len(field: &'static str, len: usize, max: usize) -> Result<(), DomainError> {
    if len > max {
        Err(DomainError::TooMany { field, max })
    } else {
        Ok(())
    }
}

fn required(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::EmptyText { field });
    }
    length(field, value, max)
}

fn length(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    // Bytes bound characters from above: most texts never need the count.
    if value.len() > max && value.chars().count() > max {
        Err(DomainError::TooLong { field, max })
    } else {
        Ok(())
    }
}

/// Refuses C0 and C1 control characters and DEL (Unicode `Cc`); a
/// multi-line text may hold newlines and tabs.
fn controls(field: &'static str, value: &str, multi_line: bool) -> Result<(), DomainError> {
    let allowed = |c: char| multi_line && (c == '\n' || c == '\t');
    if value.chars().any(|c| c.is_control() && !allowed(c)) {
        Err(DomainError::ControlCharacter { field })
    } else {
        Ok(())
    }
}

/// Whether text is stored as [`clean`] leaves it: trimmed, and in NFC.
pub fn is_clean(value: &str) -> bool {
    value.trim().len() == value.len() && is_nfc(value)
}

/// Trims a name or text and normalises it to NFC, as constructors store it.
pub fn clean(value: impl Into<String>) -> String {
    let value = value.into();
    if is_clean(&value) {
        value
    } else {
        nfc(value.trim())
    }
}

/// Cleans an optional text; blank becomes `None`.
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

    #[test]
    fn control_characters_table() {
        // (text, allowed in a name, allowed in a multi-line note)
        let cases = [
            ("王秀茗", true, true),
            ("\0", false, false),
            ("\0\0\0", false, false),
            ("王\0秀", false, false),
            ("\u{1b}[31m红\u{1b}[0m", false, false), // ANSI colour
            ("a\u{7f}", false, false),               // DEL
            ("a\u{85}b", false, false),              // C1 next line
            ("a\u{9b}31m", false, false),            // C1 CSI
            ("第一行\n第二行", false, true),
            ("项目\t数量", false, true),
            ("a\r\nb", false, false),
            ("a\u{2028}b", true, true), // a separator, not a control
        ];
        for (value, in_name, in_note) in cases {
            let code = |r: Result<(), DomainError>| r.map_err(|e| e.code());
            let want = |ok| if ok { Ok(()) } else { Err("control_character") };
            assert_eq!(code(name("name", value)), want(in_name), "{value:?}");
            assert_eq!(
                code(max_len("note", value, 100)),
                want(in_note),
                "{value:?}"
            );
            assert_eq!(code(line("place", value, 100)), want(in_name), "{value:?}");
        }
    }

    #[test]
    fn clean_trims_and_composes() {
        let cases = [
            ("教育局", "教育局", true),
            (" 教育局\n", "教育局", false),
            ("e\u{301}", "\u{e9}", false),   // e + combining acute → é
            ("\u{f900}", "\u{8c48}", false), // a CJK compatibility ideograph
            ("\u{3000}支部\u{3000}", "支部", false), // ideographic spaces
            ("", "", true),
        ];
        for (raw, cleaned, already) in cases {
            assert_eq!(clean(raw), cleaned, "{raw:?}");
            assert_eq!(is_clean(raw), already, "{raw:?}");
            assert!(is_clean(&clean(raw)), "{raw:?}");
        }
    }

    #[test]
    fn lists_have_a_limit() {
        assert!(list_len("items", LIST_MAX, LIST_MAX).is_ok());
        assert_eq!(
            list_len("items", LIST_MAX + 1, LIST_MAX)
                .unwrap_err()
                .code(),
            "too_many"
        );
    }
}
