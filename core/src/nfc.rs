//! Unicode NFC (canonical composition), built from unicode-normalization's
//! canonical primitives only.
//!
//! Why not the crate's `nfc()` iterator: its decomposer chooses canonical or
//! compatibility decomposition at run time, so every build that calls it
//! links the compatibility tables too (54 KB of data the phone never uses,
//! ~20 KB brotli of its first load, issue 15). NFC needs only canonical
//! decomposition, canonical ordering and canonical composition, which the
//! crate exposes per character (`char::decompose_canonical`,
//! `canonical_combining_class`, `compose`); this module strings them
//! together as UAX #15 describes. The tests check it against the crate's
//! own `nfc()` for every code point and for random runs of the characters
//! that compose, reorder or block.

use unicode_normalization::char::{canonical_combining_class, compose, decompose_canonical};
use unicode_normalization::{is_nfc_quick, IsNormalized};

/// Whether `text` is in NFC (the quick check; the full test only when that
/// says "maybe").
pub fn is_nfc(text: &str) -> bool {
    // Most text is ASCII (ids, dates, field names), which is NFC: checked a
    // word at a time, not through the tables. Every pulled record's text is
    // checked, ~1.5 million strings in a city's first sync.
    if text.is_ascii() {
        return true;
    }
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => true,
        IsNormalized::No => false,
        IsNormalized::Maybe => nfc(text) == text,
    }
}

/// `text` in NFC.
pub fn nfc(text: &str) -> String {
    let mut chars = Vec::with_capacity(text.len());
    for c in text.chars() {
        decompose_canonical(c, |d| chars.push(d));
    }
    reorder(&mut chars);
    compose_all(&chars)
}

/// Canonical ordering: each run of non-starters sorted (stably) by their
/// combining class.
fn reorder(chars: &mut [char]) {
    let mut i = 0;
    while i < chars.len() {
        if canonical_combining_class(chars[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && canonical_combining_class(chars[i]) != 0 {
            i += 1;
        }
        crate::order::sort_by_key(&mut chars[start..i], |&c| canonical_combining_class(c));
    }
}

/// Canonical composition: each character joins the last starter when
/// nothing between them blocks it (a starter, or a mark of the same or a
/// higher class) and the pair has a primary composite.
fn compose_all(chars: &[char]) -> String {
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut starter: Option<usize> = None;
    // The class of the last character kept after the starter, if any.
    let mut last_class: Option<u8> = None;
    for &c in chars {
        let class = canonical_combining_class(c);
        if let Some(at) = starter {
            let unblocked = last_class.is_none_or(|last| last < class);
            if let Some(joined) = compose(out[at], c).filter(|_| unblocked) {
                out[at] = joined;
                continue;
            }
        }
        if class == 0 {
            starter = Some(out.len());
            last_class = None;
        } else {
            last_class = Some(class);
        }
        out.push(c);
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    fn reference(text: &str) -> String {
        text.nfc().collect()
    }

    #[test]
    fn every_code_point_alone_and_after_a_base() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let alone = c.to_string();
            assert_eq!(nfc(&alone), reference(&alone), "U+{:04X}", c as u32);
            assert_eq!(is_nfc(&alone), unicode_normalization::is_nfc(&alone));
            if canonical_combining_class(c) != 0 || compose('a', c).is_some() {
                let after = format!("a{c}");
                assert_eq!(nfc(&after), reference(&after), "a + U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn known_cases() {
        assert_eq!(nfc("e\u{301}"), "é");
        assert_eq!(nfc("\u{F900}"), "\u{8C48}", "CJK compatibility ideograph");
        assert_eq!(nfc("\u{1100}\u{1161}\u{11A8}"), "각", "Hangul jamo");
        assert_eq!(nfc("a\u{323}\u{302}"), "ậ", "marks reordered then joined");
        assert_eq!(nfc("ﬁ"), "ﬁ", "compatibility forms stay");
        assert!(!is_nfc("e\u{301}"));
        assert!(is_nfc("王秀茗 é"));
    }

    /// Characters that decompose, compose, reorder or block one another.
    fn tricky() -> impl Strategy<Value = char> {
        prop::sample::select(vec![
            'a', 'e', 'o', 'u', 'A', 'Å', 'é', 'ậ', 'ṩ', '\u{0300}', '\u{0301}', '\u{0302}',
            '\u{0308}', '\u{0323}', '\u{0327}', '\u{0328}', '\u{031B}', '\u{0345}', '\u{0344}',
            '\u{0F73}', '\u{0F71}', '\u{0F72}', '\u{1100}', '\u{1161}', '\u{11A8}', '가', '각',
            '\u{AC00}', '\u{0915}', '\u{093C}', '\u{0958}', '\u{05B8}', '\u{05C1}', '\u{FB2C}',
            '\u{F900}', '\u{2126}', '\u{212B}', '\u{1E9B}', 'ſ', '\u{3099}', 'か', '\u{309A}', 'ﬁ',
            '党',
        ])
    }

    proptest! {
        #[test]
        fn matches_the_crates_nfc(chars in prop::collection::vec(tricky(), 0..12)) {
            let text: String = chars.into_iter().collect();
            prop_assert_eq!(nfc(&text), reference(&text));
            prop_assert_eq!(is_nfc(&text), unicode_normalization::is_nfc(&text));
        }
    }
}
