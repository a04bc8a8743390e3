//! Money in integer fen and area in integer tenths of a mu.
//!
//! Why: totals are summed on phones and on the server and must agree to the
//! last digit, so no floats. A yuan is 100 fen; a mu (亩, about 667 m²) is
//! stored as tenths (`Mu::from_tenths(5)` is 0.5 亩), the finest figure
//! village reports use. Both are non-negative by construction. The city's
//! paragraph writes large sums as `49.6万元` and `2.1万亩`; [`Fen::display`]
//! and [`Mu::display`] do the same.
//!
//! JSON: a bare integer (`49600000` fen, `210000` tenths of a mu).

use core::iter::Sum;
use core::ops::Add;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Lang};

/// An amount of money in fen (分). Never negative.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Fen(i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// An amount in fen; refuses negative amounts.
    pub fn new(fen: i64) -> Result<Self, DomainError> {
        if fen < 0 {
            Err(DomainError::NegativeAmount {
                field: "amount",
                value: fen,
            })
        } else {
            Ok(Fen(fen))
        }
    }

    /// Whole yuan.
    pub fn from_yuan(yuan: i64) -> Result<Self, DomainError> {
        let fen = yuan.checked_mul(100).ok_or(DomainError::OutOfRange {
            field: "amount",
            value: yuan,
            min: 0,
            max: i64::MAX / 100,
        })?;
        Self::new(fen)
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// Reads what a person types in yuan: `500`, `500.5`, `500.50`,
    /// `1,200`, `500元` (full-width digits too). Refuses more than two
    /// decimals, signs and anything else, with the field named `amount`.
    pub fn parse_yuan(text: &str) -> Result<Self, DomainError> {
        let fen = parse_decimal(text, 2, "元").ok_or_else(|| unreadable("amount", text))?;
        Fen::new(fen)
    }

    /// `496000.00`: plain yuan with two decimals, for forms and exports.
    pub fn yuan_string(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    /// `49.6万元` / `5000元` in zh-CN; `496,000 yuan` in English.
    pub fn display(self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => zh_magnitude(self.0 as i128, 100, "元"),
            Lang::En => format!("{} yuan", en_number(self.0 as i128, 100)),
        }
    }
}

impl Add for Fen {
    type Output = Fen;
    /// Saturating: a city cannot reach 9.2e16 yuan; never wraps to negative.
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0.saturating_add(rhs.0))
    }
}

impl Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, Add::add)
    }
}

impl TryFrom<i64> for Fen {
    type Error = DomainError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Fen::new(value)
    }
}

impl From<Fen> for i64 {
    fn from(value: Fen) -> Self {
        value.0
    }
}

/// An area in tenths of a mu (亩). Never negative.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Mu(i64);

impl Mu {
    pub const ZERO: Mu = Mu(0);

    /// An area in tenths of a mu; refuses negative areas.
    pub fn from_tenths(tenths: i64) -> Result<Self, DomainError> {
        if tenths < 0 {
            Err(DomainError::NegativeAmount {
                field: "area",
                value: tenths,
            })
        } else {
            Ok(Mu(tenths))
        }
    }

    /// Whole mu.
    pub fn from_mu(mu: i64) -> Result<Self, DomainError> {
        let tenths = mu.checked_mul(10).ok_or(DomainError::OutOfRange {
            field: "area",
            value: mu,
            min: 0,
            max: i64::MAX / 10,
        })?;
        Self::from_tenths(tenths)
    }

    pub fn tenths(self) -> i64 {
        self.0
    }

    /// Reads what a person types in mu: `12`, `12.5`, `12.5亩`. Refuses
    /// more than one decimal, signs and anything else (field `area`).
    pub fn parse_mu(text: &str) -> Result<Self, DomainError> {
        let tenths = parse_decimal(text, 1, "亩").ok_or_else(|| unreadable("area", text))?;
        Mu::from_tenths(tenths)
    }

    /// `12.5`: plain mu with the tenth when there is one, for exports.
    pub fn mu_string(self) -> String {
        exact(self.0 as i128, 10)
    }

    /// `2.1万亩` / `12.5亩` in zh-CN; `21,000 mu` in English.
    pub fn display(self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => zh_magnitude(self.0 as i128, 10, "亩"),
            Lang::En => format!("{} mu", en_number(self.0 as i128, 10)),
        }
    }
}

impl Add for Mu {
    type Output = Mu;
    fn add(self, rhs: Mu) -> Mu {
        Mu(self.0.saturating_add(rhs.0))
    }
}

impl Sum for Mu {
    fn sum<I: Iterator<Item = Mu>>(iter: I) -> Mu {
        iter.fold(Mu::ZERO, Add::add)
    }
}

impl TryFrom<i64> for Mu {
    type Error = DomainError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Mu::from_tenths(value)
    }
}

impl From<Mu> for i64 {
    fn from(value: Mu) -> Self {
        value.0
    }
}

fn unreadable(field: &'static str, text: &str) -> DomainError {
    DomainError::UnknownValue {
        field,
        value: text.trim().to_string(),
    }
}

/// A non-negative decimal with at most `places` decimals, scaled by
/// `10^places`: `"500.5"` with 2 places is `50050`. Full-width digits and
/// separators are read as ASCII; `,` groups thousands; one trailing `unit`
/// is allowed. `None` for anything else (empty, signs, letters, overflow).
pub(crate) fn parse_decimal(text: &str, places: u32, unit: &str) -> Option<i64> {
    let ascii: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '，' => ',',
            c => c,
        })
        .collect();
    let body = ascii.strip_suffix(unit).unwrap_or(&ascii).trim_end();
    let (whole, frac) = match body.split_once('.') {
        Some((w, f)) => (w, f),
        None => (body, ""),
    };
    let whole: String = whole.chars().filter(|&c| c != ',').collect();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !digits(&whole)
        || !digits(frac)
        || frac.len() > places as usize
        || (body.contains('.') && frac.is_empty())
    {
        return None;
    }
    let scale = 10i64.pow(places);
    let whole: i64 = whole.parse().ok()?;
    let frac_scaled = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().ok()? * 10i64.pow(places - frac.len() as u32)
    };
    whole.checked_mul(scale)?.checked_add(frac_scaled)
}

/// `scaled / scale` units written the Chinese way: below 万 exactly (trailing
/// zeros trimmed), from 万 and 亿 up with one decimal, rounded half up.
fn zh_magnitude(scaled: i128, scale: i128, unit: &str) -> String {
    let wan = 10_000 * scale;
    let yi = 100_000_000 * scale;
    if scaled >= yi {
        format!("{}亿{unit}", one_decimal(scaled, yi))
    } else if scaled >= wan {
        format!("{}万{unit}", one_decimal(scaled, wan))
    } else {
        format!("{}{unit}", exact(scaled, scale))
    }
}

/// `value / denom` rounded half up to one decimal, `.0` dropped.
fn one_decimal(value: i128, denom: i128) -> String {
    let tenths = (value * 10 + denom / 2) / denom;
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// `value / scale` exactly, trailing fractional zeros trimmed.
fn exact(value: i128, scale: i128) -> String {
    let whole = value / scale;
    let frac = value % scale;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = scale.to_string().len() - 1;
    let frac = format!("{frac:0digits$}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// `496,000` / `12.5`: thousands separators, exact fraction.
fn en_number(value: i128, scale: i128) -> String {
    let text = exact(value, scale);
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_display_table() {
        // The city's own figure: 慰问金、物资折币49.6万元 = 496,000 yuan.
        let cases = [
            (49_600_000, "49.6万元", "496,000 yuan"),
            (500_000, "5000元", "5,000 yuan"),
            (1_250, "12.5元", "12.5 yuan"),
            (1_205, "12.05元", "12.05 yuan"),
            (0, "0元", "0 yuan"),
            (2_000_000, "2万元", "20,000 yuan"),
            (49_550_000, "49.6万元", "495,500 yuan"),
            (49_549_999, "49.5万元", "495,499.99 yuan"),
            (12_000_000_000, "1.2亿元", "120,000,000 yuan"),
        ];
        for (fen, zh, en) in cases {
            let f = Fen::new(fen).unwrap();
            assert_eq!(f.display(Lang::ZhCn), zh, "{fen}");
            assert_eq!(f.display(Lang::En), en, "{fen}");
        }
        assert_eq!(Fen::new(1_205).unwrap().yuan_string(), "12.05");
    }

    #[test]
    fn area_display_table() {
        // 落实产业结构调整面积2.1万亩 = 21,000 mu.
        let cases = [
            (210_000, "2.1万亩", "21,000 mu"),
            (125, "12.5亩", "12.5 mu"),
            (30, "3亩", "3 mu"),
        ];
        for (tenths, zh, en) in cases {
            let m = Mu::from_tenths(tenths).unwrap();
            assert_eq!(m.display(Lang::ZhCn), zh);
            assert_eq!(m.display(Lang::En), en);
        }
        assert_eq!(
            Mu::from_mu(21_000).unwrap(),
            Mu::from_tenths(210_000).unwrap()
        );
    }

    #[test]
    fn negative_amounts_are_refused_even_from_json() {
        assert_eq!(Fen::new(-1).unwrap_err().code(), "negative_amount");
        assert_eq!(Mu::from_tenths(-5).unwrap_err().code(), "negative_amount");
        assert!(serde_json::from_str::<Fen>("-100").is_err());
        assert_eq!(serde_json::from_str::<Fen>("100").unwrap().fen(), 100);
        assert_eq!(Fen::from_yuan(3).unwrap().fen(), 300);
        assert_eq!(Fen::from_yuan(i64::MAX).unwrap_err().code(), "out_of_range");
    }

    #[test]
    fn parse_yuan_table() {
        let ok = [
            ("500", 50_000),
            ("500.5", 50_050),
            ("500.50", 50_050),
            ("0.05", 5),
            (" 1,200 ", 120_000),
            ("300元", 30_000),
            ("１２.５", 1_250),
            ("0", 0),
        ];
        for (text, fen) in ok {
            assert_eq!(Fen::parse_yuan(text).map(Fen::fen), Ok(fen), "{text:?}");
        }
        let bad = [
            "",
            " ",
            "abc",
            "-5",
            "+5",
            "5.",
            ".5",
            "1.234",
            "1e3",
            "五百",
            "5 00",
            "99999999999999999999",
        ];
        for text in bad {
            let err = Fen::parse_yuan(text).unwrap_err();
            assert_eq!(err.code(), "unknown_value", "{text:?}");
            assert!(err.message(Lang::ZhCn).starts_with("金额"), "{text:?}");
        }
    }

    #[test]
    fn parse_mu_table() {
        let ok = [("12", 120), ("12.5", 125), ("12.5亩", 125), ("0.1", 1)];
        for (text, tenths) in ok {
            assert_eq!(Mu::parse_mu(text).map(Mu::tenths), Ok(tenths), "{text:?}");
        }
        for text in ["", "12.55", "-1", "亩"] {
            assert_eq!(Mu::parse_mu(text).unwrap_err().code(), "unknown_value");
        }
        assert_eq!(Mu::from_tenths(125).unwrap().mu_string(), "12.5");
        assert_eq!(Mu::from_tenths(30).unwrap().mu_string(), "3");
    }

    #[test]
    fn sums_saturate_instead_of_wrapping() {
        let big = Fen::new(i64::MAX).unwrap();
        assert_eq!((big + Fen::new(1).unwrap()).fen(), i64::MAX);
        let total: Fen = [1, 2, 3].iter().map(|&f| Fen::new(f).unwrap()).sum();
        assert_eq!(total.fen(), 6);
    }
}
