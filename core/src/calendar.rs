//! Calendar periods the rules count in: ISO weeks and half-years.
//!
//! Why: rankings and the supervision quota are weekly (每周 …排名,
//! 每周至少…2次), public review is half-yearly (原则上每半年一次). Rules
//! never read the clock: callers pass dates and instants in. A timestamp
//! belongs to the week of its own local date (records made in China carry
//! `+08:00`), so a check at 23:30 on Sunday stays in that week.
//!
//! JSON: `IsoWeek` is `"2005-W09"`, `HalfYear` is `"2010-H2"`, dates are
//! `"2005-03-10"`, instants are RFC 3339 (`"2005-03-10T09:00:00+08:00"`).

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime, Weekday};

use crate::error::DomainError;

// serde for `time::Date` as `"YYYY-MM-DD"`: `with = "crate::calendar::iso_date"`
// (and `iso_date::option` for `Option<Date>`).
pub mod iso_date;

/// Earliest year a campaign record may carry (the party was founded in 1921).
pub const MIN_YEAR: i32 = 1921;
/// Latest year a campaign record may carry.
pub const MAX_YEAR: i32 = 2100;

/// Parses `YYYY-MM-DD`, refusing impossible dates like `2005-02-30`.
pub fn parse_date(field: &'static str, text: &str) -> Result<Date, DomainError> {
    let date = iso_date::parse(text.trim()).ok_or_else(|| DomainError::InvalidDate {
        field,
        value: text.to_string(),
    })?;
    check_date(field, date)?;
    Ok(date)
}

/// Refuses dates outside [`MIN_YEAR`]..=[`MAX_YEAR`] (typos like 0205 or 20005).
pub fn check_date(field: &'static str, date: Date) -> Result<(), DomainError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(())
    } else {
        Err(DomainError::InvalidDate {
            field,
            value: date.to_string(),
        })
    }
}

/// An ISO 8601 week: Monday to Sunday, week 1 holds the year's first Thursday.
///
/// Ordered by year then week. Always valid: built only through [`IsoWeek::new`]
/// or [`IsoWeek::of`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IsoWeek {
    year: i32,
    week: u8,
}

impl IsoWeek {
    /// A week, checked against the number of weeks in that ISO year (52 or 53).
    pub fn new(year: i32, week: u8) -> Result<Self, DomainError> {
        if (MIN_YEAR..=MAX_YEAR).contains(&year)
            && week >= 1
            && week <= time::util::weeks_in_year(year)
        {
            Ok(Self { year, week })
        } else {
            Err(DomainError::InvalidWeek {
                value: format!("{year}-W{week:02}"),
            })
        }
    }

    /// The week a date falls in (its ISO year may differ from the calendar year).
    pub fn of(date: Date) -> Self {
        let (year, week, _) = date.to_iso_week_date();
        Self { year, week }
    }

    /// The week of an instant's own local date.
    pub fn of_instant(at: OffsetDateTime) -> Self {
        Self::of(at.date())
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn week(self) -> u8 {
        self.week
    }

    /// The following week (W52/W53 roll over into W01 of the next year).
    pub fn next(self) -> Self {
        if self.week < time::util::weeks_in_year(self.year) {
            Self {
                year: self.year,
                week: self.week + 1,
            }
        } else {
            Self {
                year: self.year + 1,
                week: 1,
            }
        }
    }

    /// The preceding week.
    pub fn prev(self) -> Self {
        if self.week > 1 {
            Self {
                year: self.year,
                week: self.week - 1,
            }
        } else {
            Self {
                year: self.year - 1,
                week: time::util::weeks_in_year(self.year - 1),
            }
        }
    }

    /// The Monday that starts the week.
    pub fn monday(self) -> Date {
        Date::from_iso_week_date(self.year, self.week, Weekday::Monday)
            .expect("IsoWeek is valid by construction")
    }

    /// The Sunday that ends the week.
    pub fn sunday(self) -> Date {
        Date::from_iso_week_date(self.year, self.week, Weekday::Sunday)
            .expect("IsoWeek is valid by construction")
    }

    pub fn contains(self, date: Date) -> bool {
        Self::of(date) == self
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

impl FromStr for IsoWeek {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DomainError::InvalidWeek {
            value: s.to_string(),
        };
        let (year, week) = s.trim().split_once("-W").ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let week: u8 = week.parse().map_err(|_| bad())?;
        Self::new(year, week).map_err(|_| bad())
    }
}

impl TryFrom<String> for IsoWeek {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<IsoWeek> for String {
    fn from(value: IsoWeek) -> Self {
        value.to_string()
    }
}

/// First or second half of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Half {
    /// January to June (上半年).
    H1,
    /// July to December (下半年).
    H2,
}

/// A half-year review period (群众评议 原则上每半年一次).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HalfYear {
    year: i32,
    half: Half,
}

impl HalfYear {
    pub fn new(year: i32, half: Half) -> Result<Self, DomainError> {
        if (MIN_YEAR..=MAX_YEAR).contains(&year) {
            Ok(Self { year, half })
        } else {
            Err(DomainError::InvalidHalfYear {
                value: format!("{year}"),
            })
        }
    }

    /// The half-year a date falls in.
    pub fn of(date: Date) -> Self {
        let half = if (date.month() as u8) <= 6 {
            Half::H1
        } else {
            Half::H2
        };
        Self {
            year: date.year(),
            half,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn half(self) -> Half {
        self.half
    }

    /// First day (1 January or 1 July).
    pub fn start(self) -> Date {
        let month = match self.half {
            Half::H1 => Month::January,
            Half::H2 => Month::July,
        };
        Date::from_calendar_date(self.year, month, 1).expect("day 1 exists")
    }

    /// Last day (30 June or 31 December).
    pub fn end(self) -> Date {
        match self.half {
            Half::H1 => Date::from_calendar_date(self.year, Month::June, 30),
            Half::H2 => Date::from_calendar_date(self.year, Month::December, 31),
        }
        .expect("last days exist")
    }

    pub fn contains(self, date: Date) -> bool {
        Self::of(date) == self
    }

    pub fn next(self) -> Self {
        match self.half {
            Half::H1 => Self {
                year: self.year,
                half: Half::H2,
            },
            Half::H2 => Self {
                year: self.year + 1,
                half: Half::H1,
            },
        }
    }

    /// `2010年下半年`.
    pub fn label_zh(self) -> String {
        match self.half {
            Half::H1 => format!("{}年上半年", self.year),
            Half::H2 => format!("{}年下半年", self.year),
        }
    }
}

impl fmt::Display for HalfYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = match self.half {
            Half::H1 => 1,
            Half::H2 => 2,
        };
        write!(f, "{:04}-H{}", self.year, h)
    }
}

impl FromStr for HalfYear {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DomainError::InvalidHalfYear {
            value: s.to_string(),
        };
        let (year, half) = s.trim().split_once("-H").ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let half = match half {
            "1" => Half::H1,
            "2" => Half::H2,
            _ => return Err(bad()),
        };
        Self::new(year, half).map_err(|_| bad())
    }
}

impl TryFrom<String> for HalfYear {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<HalfYear> for String {
    fn from(value: HalfYear) -> Self {
        value.to_string()
    }
}

/// An inclusive range of dates, for totals over part of a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateRange {
    #[serde(with = "iso_date")]
    pub from: Date,
    #[serde(with = "iso_date")]
    pub to: Date,
}

impl DateRange {
    pub fn new(from: Date, to: Date) -> Result<Self, DomainError> {
        check_date("from", from)?;
        check_date("to", to)?;
        if to < from {
            return Err(DomainError::DateOrder { field: "to" });
        }
        Ok(Self { from, to })
    }

    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }

    /// Whether `[start, end]` (an open end when `None`) overlaps this range.
    pub fn overlaps(&self, start: Date, end: Option<Date>) -> bool {
        start <= self.to && end.is_none_or(|end| end >= self.from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn iso_weeks_table() {
        // (date, ISO week) including the year-boundary cases.
        let cases = [
            (date!(2005 - 01 - 01), "2004-W53"),
            (date!(2005 - 01 - 03), "2005-W01"),
            (date!(2005 - 03 - 10), "2005-W10"),
            (date!(2008 - 12 - 29), "2009-W01"),
            (date!(2010 - 09 - 14), "2010-W37"),
            (date!(2010 - 01 - 03), "2009-W53"),
        ];
        for (d, expected) in cases {
            assert_eq!(IsoWeek::of(d).to_string(), expected, "{d}");
            assert!(IsoWeek::of(d).contains(d));
        }
    }

    #[test]
    fn week_next_prev_and_bounds() {
        let w = IsoWeek::new(2004, 53).unwrap();
        assert_eq!(w.next().to_string(), "2005-W01");
        assert_eq!(w.next().prev(), w);
        assert_eq!(
            IsoWeek::new(2005, 52).unwrap().next().to_string(),
            "2006-W01"
        );
        assert_eq!(w.monday(), date!(2004 - 12 - 27));
        assert_eq!(w.sunday(), date!(2005 - 01 - 02));
        assert!(IsoWeek::new(2005, 53).is_err(), "2005 has 52 weeks");
        assert!(IsoWeek::new(2005, 0).is_err());
        assert!("2005-W53".parse::<IsoWeek>().is_err());
        assert!("2005W10".parse::<IsoWeek>().is_err());
        assert_eq!("2005-W10".parse::<IsoWeek>().unwrap().week(), 10);
        assert!(IsoWeek::new(2005, 9).unwrap() < IsoWeek::new(2005, 10).unwrap());
        assert!(IsoWeek::new(2004, 53).unwrap() < IsoWeek::new(2005, 1).unwrap());
    }

    #[test]
    fn instant_belongs_to_its_local_week() {
        // Sunday 23:30 in Beijing is Sunday 15:30 UTC: same week either way,
        // but Monday 01:00 +08:00 is Sunday in UTC. The local date decides.
        let monday_early = datetime!(2005-03-14 01:00 +8);
        assert_eq!(IsoWeek::of_instant(monday_early).to_string(), "2005-W11");
    }

    #[test]
    fn week_json_shape() {
        let w = IsoWeek::new(2005, 9).unwrap();
        assert_eq!(serde_json::to_string(&w).unwrap(), "\"2005-W09\"");
        assert!(serde_json::from_str::<IsoWeek>("\"2005-W60\"").is_err());
    }

    #[test]
    fn half_years_table() {
        let cases = [
            (
                date!(2010 - 06 - 30),
                "2010-H1",
                date!(2010 - 01 - 01),
                date!(2010 - 06 - 30),
            ),
            (
                date!(2010 - 07 - 01),
                "2010-H2",
                date!(2010 - 07 - 01),
                date!(2010 - 12 - 31),
            ),
            (
                date!(2010 - 09 - 14),
                "2010-H2",
                date!(2010 - 07 - 01),
                date!(2010 - 12 - 31),
            ),
        ];
        for (d, label, start, end) in cases {
            let h = HalfYear::of(d);
            assert_eq!(h.to_string(), label);
            assert_eq!(h.start(), start);
            assert_eq!(h.end(), end);
            assert_eq!(label.parse::<HalfYear>().unwrap(), h);
        }
        assert_eq!(
            HalfYear::of(date!(2010 - 09 - 14)).label_zh(),
            "2010年下半年"
        );
        assert_eq!(
            HalfYear::of(date!(2010 - 09 - 14)).next().to_string(),
            "2011-H1"
        );
        assert!("2010-H3".parse::<HalfYear>().is_err());
        assert_eq!(
            serde_json::to_string(&HalfYear::of(date!(2010 - 01 - 05))).unwrap(),
            "\"2010-H1\""
        );
    }

    #[test]
    fn dates_parse_or_are_refused() {
        assert_eq!(
            parse_date("on", "2005-03-10").unwrap(),
            date!(2005 - 03 - 10)
        );
        for bad in ["2005-02-30", "2005-13-01", "yesterday", "0205-03-10", ""] {
            let err = parse_date("on", bad).unwrap_err();
            assert_eq!(err.code(), "invalid_date", "{bad}");
        }
    }

    #[test]
    fn date_ranges() {
        let r = DateRange::new(date!(2005 - 02 - 20), date!(2005 - 03 - 10)).unwrap();
        assert!(r.contains(date!(2005 - 03 - 10)));
        assert!(!r.contains(date!(2005 - 03 - 11)));
        assert!(r.overlaps(date!(2005 - 01 - 01), None));
        assert!(!r.overlaps(date!(2005 - 01 - 01), Some(date!(2005 - 02 - 19))));
        assert_eq!(
            DateRange::new(date!(2005 - 03 - 10), date!(2005 - 02 - 20))
                .unwrap_err()
                .code(),
            "date_order"
        );
    }
}
