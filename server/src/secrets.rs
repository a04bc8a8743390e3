//! Enrollment codes, device tokens, their hashes, and timestamps.
//!
//! Codes are what a person types: 12 characters of Crockford base32 (no
//! I, L, O or U), 60 random bits, shown as `XXXX-XXXX-XXXX`. Input is read
//! case-insensitively with dashes and spaces ignored, and Crockford's
//! look-alikes (`I`/`L` → `1`, `O` → `0`) are accepted. Tokens are what a
//! phone keeps: 32 random bytes, base64url without padding. The server
//! stores only the SHA-256 of either, so its database holds no secret.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

/// Crockford's base32 alphabet.
pub const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code, without its dashes.
pub const CODE_LEN: usize = 12;
/// Random bytes in a device token.
pub const TOKEN_BYTES: usize = 32;

/// Timestamps in the database and in JSON: UTC, fixed width (so text order is
/// time order), the same shape as `server_meta.created_at`.
const TIMESTAMP: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS generator failing is not something a server can work around.
    getrandom::fill(&mut bytes).expect("the operating system's random generator failed");
    bytes
}

/// A fresh code in its display form, `XXXX-XXXX-XXXX`.
pub fn new_code() -> String {
    let bits = u64::from_le_bytes(random_bytes::<8>());
    let chars: Vec<u8> = (0..CODE_LEN)
        .map(|i| CODE_ALPHABET[((bits >> (5 * i)) & 31) as usize])
        .collect();
    let text = String::from_utf8(chars).expect("alphabet is ASCII");
    format!("{}-{}-{}", &text[0..4], &text[4..8], &text[8..12])
}

/// Reads a code as typed: uppercase, without dashes or spaces, look-alikes
/// mapped. `None` if it is not 12 characters of the alphabet.
pub fn normalize_code(input: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_LEN);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '\u{2010}'..='\u{2015}' => continue,
            'I' | 'L' => '1',
            'O' => '0',
            c if c.is_ascii() && CODE_ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
        if out.len() > CODE_LEN {
            return None;
        }
    }
    (out.len() == CODE_LEN).then_some(out)
}

/// The stored hash of a code (of its normalized form).
pub fn code_hash(normalized: &str) -> [u8; 32] {
    sha256(normalized.as_bytes())
}

/// A fresh device token.
pub fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<TOKEN_BYTES>())
}

/// The stored hash of a token.
pub fn token_hash(token: &str) -> [u8; 32] {
    sha256(token.as_bytes())
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// `time` as a stored timestamp.
pub fn format_time(time: OffsetDateTime) -> String {
    time.to_offset(time::UtcOffset::UTC)
        .format(TIMESTAMP)
        .expect("a UTC time in the years 0..9999 formats")
}

/// Now, as a stored timestamp.
pub fn now_text() -> String {
    format_time(OffsetDateTime::now_utc())
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    u64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_display_shape_and_normalize() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        assert_eq!(&code[4..5], "-");
        assert_eq!(&code[9..10], "-");
        let plain = normalize_code(&code).unwrap();
        assert_eq!(plain, code.replace('-', ""));
        assert_eq!(normalize_code(&code.to_lowercase()).unwrap(), plain);
        assert_eq!(normalize_code(&format!(" {plain} ")).unwrap(), plain);
        assert!(plain
            .bytes()
            .all(|b| CODE_ALPHABET.contains(&b) && !b"ILOU".contains(&b)));
        assert_ne!(new_code(), new_code());
    }

    #[test]
    fn normalization_cases() {
        let cases = [
            ("ABCD-EFGH-JKMN", Some("ABCDEFGHJKMN")),
            ("abcdefghjkmn", Some("ABCDEFGHJKMN")),
            ("abcd efgh jkmn", Some("ABCDEFGHJKMN")),
            ("ABCD-EFGH-JKMo", Some("ABCDEFGHJKM0")),
            ("ilIL-0000-0000", Some("111100000000")),
            ("ABCD-EFGH-JKMU", None),
            ("ABCD-EFGH-JKM", None),
            ("ABCD-EFGH-JKMNP", None),
            ("ABCD-EFGH-JKM!", None),
            ("", None),
            ("ＡBCD-EFGH-JKMN", None),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_code(input).as_deref(), expected, "{input:?}");
        }
    }

    #[test]
    fn tokens_are_256_bits_base64url() {
        let token = new_token();
        assert_eq!(token.len(), 43);
        assert!(token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), TOKEN_BYTES);
        assert_ne!(token_hash(&token), token_hash(&new_token()));
    }

    #[test]
    fn timestamps_are_fixed_width_utc() {
        let t = format_time(time::macros::datetime!(2005-01-02 03:04:05.006 +08:00));
        assert_eq!(t, "2005-01-01T19:04:05.006Z");
        assert_eq!(now_text().len(), 24);
        assert!(now_ms() > 1_700_000_000_000);
    }
}
