//! `time::Date` as `"YYYY-MM-DD"`: serde (`#[serde(with =
//! "crate::calendar::iso_date")]`, [`option`] for `Option<Date>`) and the
//! one parser of that text ([`parse`]).
//!
//! Why by hand: time's format-description parser is general machinery
//! (~17 KB of wasm in every phone's first download, issue 15) for one fixed
//! shape of ten ASCII characters. The tests hold this parser and formatter
//! to time's own on every day of the years the rules accept and on
//! malformed text.

use core::fmt;

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::Serializer;
use time::{Date, Month};

/// Reads exactly `YYYY-MM-DD` (ASCII digits), refusing impossible dates
/// such as `2005-02-30`.
pub fn parse(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u16, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u16::from(c - b'0'))
        })
    };
    let year = i32::from(number(&b[0..4])?);
    let month = Month::try_from(u8::try_from(number(&b[5..7])?).ok()?).ok()?;
    let day = u8::try_from(number(&b[8..10])?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// `date` as `YYYY-MM-DD` (a year before 1 as `-YYYY`, as time writes it).
pub struct Text(pub Date);

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let sign = if d.year() < 0 { "-" } else { "" };
        write!(
            f,
            "{sign}{:04}-{:02}-{:02}",
            d.year().unsigned_abs(),
            u8::from(d.month()),
            d.day()
        )
    }
}

pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&Text(*date))
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    deserializer.deserialize_str(DateVisitor)
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date as YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
        parse(text).ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
    }
}

/// `Option<Date>`: `null` (or the field left out, with `#[serde(default)]`)
/// is `None`.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.collect_str(&Text(*date)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        deserializer.deserialize_option(OptionVisitor)
    }

    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Date>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date as YYYY-MM-DD, or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            super::deserialize(deserializer).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{MAX_YEAR, MIN_YEAR};
    use proptest::prelude::*;
    use serde::{Deserialize, Serialize};

    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");

    fn time_parse(text: &str) -> Option<Date> {
        Date::parse(text, FORMAT).ok()
    }

    #[test]
    fn every_day_the_rules_accept_reads_and_writes_as_time_does() {
        let mut day = Date::from_calendar_date(MIN_YEAR - 1, Month::January, 1).unwrap();
        let end = Date::from_calendar_date(MAX_YEAR + 1, Month::December, 31).unwrap();
        while day <= end {
            let text = day.format(FORMAT).unwrap();
            assert_eq!(Text(day).to_string(), text);
            assert_eq!(parse(&text), Some(day), "{text}");
            day = day.next_day().unwrap();
        }
    }

    #[test]
    fn far_years_write_as_time_does() {
        for year in [-9999, -1, 0, 1, 999, 9999] {
            let day = Date::from_calendar_date(year, Month::March, 9).unwrap();
            assert_eq!(Text(day).to_string(), day.format(FORMAT).unwrap(), "{year}");
        }
    }

    #[test]
    fn malformed_or_impossible_text_is_refused_as_time_refuses_it() {
        for text in [
            "",
            "2005",
            "2005-03",
            "2005-3-10",
            "2005-03-1",
            "05-03-10",
            "2005/03/10",
            "2005-03-10T09:00:00+08:00",
            " 2005-03-10",
            "2005-03-10 ",
            "20050310",
            "2005-02-30",
            "2005-02-29",
            "2005-13-01",
            "2005-00-10",
            "2005-04-31",
            "2005-04-00",
            "２００５-03-10",
            "2005-0a-10",
            "2005--3-10",
            "2005-03-+1",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
            assert_eq!(time_parse(text), None, "time reads {text:?}");
        }
        assert_eq!(parse("2004-02-29"), time_parse("2004-02-29"));
    }

    proptest! {
        #[test]
        fn any_short_text_reads_as_time_reads_it(text in "[0-9+\\- ]{8,11}") {
            // time's `[year]` also takes a sign ("+2005-03-10"); no record
            // is written so, and the rules refuse such years anyway.
            prop_assume!(!text.starts_with(['+', '-']));
            prop_assert_eq!(parse(&text), time_parse(&text), "{:?}", text);
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dated {
        #[serde(with = "super")]
        on: Date,
        #[serde(
            default,
            with = "super::option",
            skip_serializing_if = "Option::is_none"
        )]
        until: Option<Date>,
    }

    #[test]
    fn serde_round_trips_and_refuses_what_parse_refuses() {
        let on = Date::from_calendar_date(2005, Month::March, 10).unwrap();
        let dated = Dated { on, until: None };
        let json = serde_json::to_string(&dated).unwrap();
        assert_eq!(json, r#"{"on":"2005-03-10"}"#);
        assert_eq!(serde_json::from_str::<Dated>(&json).unwrap(), dated);
        let value = serde_json::json!({"on": "2005-03-10", "until": "2005-12-31"});
        let read = Dated::deserialize(&value).unwrap();
        assert_eq!(
            read.until,
            Date::from_calendar_date(2005, Month::December, 31).ok()
        );
        assert_eq!(
            Dated::deserialize(&serde_json::json!({"on": "2005-03-10", "until": null}))
                .unwrap()
                .until,
            None
        );
        for bad in [
            serde_json::json!({"on": "2005-02-30"}),
            serde_json::json!({"on": 20050310}),
            serde_json::json!({"on": "2005-03-10", "until": "x"}),
        ] {
            assert!(Dated::deserialize(&bad).is_err(), "{bad}");
        }
    }
}
