//! The summary report's other shapes: month by month (for the chart) and
//! CSV (for the office's spreadsheet).
//!
//! Why: the city's paragraph ([`Totals::summary`]) is one way to report;
//! the office also files tables. Both come from the same [`totals`], so the
//! sentence, the table, the chart and the file always agree.

use core::fmt;

use time::{Date, Month as CalendarMonth};

use crate::calendar::DateRange;
use crate::directory::Directory;
use crate::error::Lang;
use crate::ids::{SystemId, VillageId};
use crate::scope::Scope;

use super::totals::{totals, PairingFacts, Totals};

/// The most months [`by_month`] returns (the latest ones).
pub const MONTHS_MAX: usize = 24;

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1..=12.
    pub month: u8,
}

impl Month {
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month() as u8,
        }
    }

    fn calendar(self) -> CalendarMonth {
        CalendarMonth::try_from(self.month).unwrap_or(CalendarMonth::January)
    }

    /// The month as an inclusive date range.
    pub fn range(self) -> Option<DateRange> {
        let first = Date::from_calendar_date(self.year, self.calendar(), 1).ok()?;
        let days = self.calendar().length(self.year);
        let last = Date::from_calendar_date(self.year, self.calendar(), days).ok()?;
        DateRange::new(first, last).ok()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }

    /// `2026年11月` / `2026-11`.
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!("{}年{}月", self.year, self.month),
            Lang::En => self.to_string(),
        }
    }
}

impl fmt::Display for Month {
    /// `2026-11`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Totals for `scope` in each month from the first dated fact to the last
/// (pairings by their start), at most the latest [`MONTHS_MAX`]; empty
/// when there is nothing dated.
pub fn by_month(
    scope: &Scope,
    directory: &Directory,
    facts: &PairingFacts<'_>,
) -> Vec<(Month, Totals)> {
    let dates = facts
        .pairings
        .iter()
        .map(|p| p.since)
        .chain(facts.visits.iter().map(|v| v.on))
        .chain(facts.support.iter().map(|s| s.on))
        .chain(facts.disputes.iter().map(|d| d.resolved_on));
    let (mut first, mut last) = (None::<Date>, None::<Date>);
    for d in dates {
        first = Some(first.map_or(d, |f| f.min(d)));
        last = Some(last.map_or(d, |l| l.max(d)));
    }
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let (first, last) = (Month::of(first), Month::of(last));
    let mut months = vec![first];
    while let Some(&m) = months.last() {
        if m >= last {
            break;
        }
        months.push(m.next());
    }
    let skip = months.len().saturating_sub(MONTHS_MAX);
    months
        .into_iter()
        .skip(skip)
        .filter_map(|m| {
            let range = m.range()?;
            Some((m, totals(scope, directory, facts, Some(&range))))
        })
        .collect()
}

/// The scopes a summary can be asked for by someone acting in `own`: that
/// scope first, then the systems, units and villages inside it (each
/// group in the order given: the directory's by id, `villages` as passed).
pub fn summary_scopes(own: &Scope, directory: &Directory, villages: &[VillageId]) -> Vec<Scope> {
    let systems: Vec<SystemId> = directory.systems().collect();
    let inner = systems
        .into_iter()
        .map(Scope::System)
        .chain(directory.units().into_iter().map(Scope::Unit))
        .chain(villages.iter().copied().map(Scope::Village))
        .filter(|s| s != own && own.contains(s, directory));
    std::iter::once(*own).chain(inner).collect()
}

/// The CSV header, in Chinese (the office's spreadsheets are).
pub const CSV_HEADER: [&str; 9] = [
    "范围",
    "结对帮扶困难户（户）",
    "走访慰问困难户（户）",
    "慰问金（元）",
    "物资折币（元）",
    "慰问金、物资折币合计（元）",
    "落实致富项目（个）",
    "产业结构调整面积（亩）",
    "化解矛盾、解决疑难问题（起）",
];

/// One row per `(label, totals)` under [`CSV_HEADER`]: yuan with two
/// decimals, mu with the tenth. Starts with a byte-order mark so
/// spreadsheet programs read the Chinese as UTF-8; lines end in CRLF.
pub fn summary_csv(rows: &[(String, Totals)]) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut write = |record: &[String]| {
        out.write_record(record)
            .expect("writing CSV to memory cannot fail");
    };
    write(&CSV_HEADER.map(String::from));
    for (label, t) in rows {
        write(&[
            label.clone(),
            t.households_paired.to_string(),
            t.households_visited.to_string(),
            t.money_fen.yuan_string(),
            t.goods_fen.yuan_string(),
            t.money_and_goods().yuan_string(),
            t.projects.to_string(),
            t.mu.mu_string(),
            t.disputes_resolved.to_string(),
        ]);
    }
    let bytes = out.into_inner().expect("flushing to memory cannot fail");
    let mut text = String::from('\u{feff}');
    text.push_str(&String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;
    use crate::money::{Fen, Mu};
    use crate::pairing::{
        Household, HouseholdAttribute, Pairing, PovertyCause, SupportItem, SupportKind, Visit,
    };
    use time::macros::date;

    #[test]
    fn months_cover_the_span_and_sum_to_the_whole() {
        let v = VillageId::from_u128(1);
        let h = HouseholdId::from_u128(2);
        let m = MemberId::from_u128(3);
        let households = vec![Household::new(
            h,
            "户主",
            v,
            2,
            HouseholdAttribute::Dibao,
            vec![PovertyCause::Disaster],
            None,
        )
        .unwrap()];
        let pairings =
            vec![Pairing::new(PairingId::from_u128(4), m, h, date!(2005 - 11 - 20), None).unwrap()];
        let visits = vec![
            Visit::new(VisitId::from_u128(5), h, m, date!(2005 - 11 - 25), "").unwrap(),
            Visit::new(VisitId::from_u128(6), h, m, date!(2006 - 01 - 31), "").unwrap(),
        ];
        let support = vec![
            SupportItem::new(
                SupportId::from_u128(7),
                h,
                m,
                date!(2005 - 12 - 01),
                SupportKind::Funds {
                    amount: Fen::from_yuan(500).unwrap(),
                },
                "慰问金",
            )
            .unwrap(),
            SupportItem::new(
                SupportId::from_u128(8),
                h,
                m,
                date!(2006 - 01 - 01),
                SupportKind::Production {
                    area: Some(Mu::from_tenths(125).unwrap()),
                },
                "改种蔬菜",
            )
            .unwrap(),
        ];
        let facts = PairingFacts {
            households: &households,
            pairings: &pairings,
            visits: &visits,
            support: &support,
            ..PairingFacts::default()
        };
        let dir = Directory::default();
        let months = by_month(&Scope::Village(v), &dir, &facts);
        let labels: Vec<String> = months.iter().map(|(m, _)| m.to_string()).collect();
        assert_eq!(labels, vec!["2005-11", "2005-12", "2006-01"]);
        assert_eq!(months[1].1.money_fen, Fen::from_yuan(500).unwrap());
        assert_eq!(months[2].1.mu, Mu::from_tenths(125).unwrap());
        assert_eq!(months[0].1.households_visited, 1);
        // An open pairing counts in every month it overlaps.
        assert!(months.iter().all(|(_, t)| t.households_paired == 1));
        let whole = totals(&Scope::Village(v), &dir, &facts, None);
        let money: Fen = months.iter().map(|(_, t)| t.money_fen).sum();
        assert_eq!(money, whole.money_fen);
        assert_eq!(months[0].0.label(Lang::ZhCn), "2005年11月");
        assert!(by_month(&Scope::Village(v), &dir, &PairingFacts::default()).is_empty());
    }

    #[test]
    fn at_most_the_latest_months() {
        let h = HouseholdId::from_u128(2);
        let m = MemberId::from_u128(3);
        let visits = vec![
            Visit::new(VisitId::from_u128(5), h, m, date!(2003 - 01 - 15), "").unwrap(),
            Visit::new(VisitId::from_u128(6), h, m, date!(2006 - 03 - 15), "").unwrap(),
        ];
        let facts = PairingFacts {
            visits: &visits,
            ..PairingFacts::default()
        };
        let months = by_month(&Scope::City, &Directory::default(), &facts);
        assert_eq!(months.len(), MONTHS_MAX);
        assert_eq!(months[0].0.to_string(), "2004-04");
        assert_eq!(months[MONTHS_MAX - 1].0.to_string(), "2006-03");
        assert_eq!(months[MONTHS_MAX - 1].1.households_visited, 1);
    }

    #[test]
    fn summary_scopes_table() {
        use crate::org::Unit;
        let (s1, s2) = (SystemId::from_u128(1), SystemId::from_u128(2));
        let (u1, u2) = (UnitId::from_u128(10), UnitId::from_u128(11));
        let units = [
            Unit::new(u1, s1, "市教育局").unwrap(),
            Unit::new(u2, s2, "市卫生局").unwrap(),
        ];
        let dir = Directory::new(&units, &[], &[], &[]);
        let v = VillageId::from_u128(20);
        let b = Scope::Branch(BranchId::from_u128(30));
        let cases = [
            (
                Scope::City,
                vec![
                    Scope::City,
                    Scope::System(s1),
                    Scope::System(s2),
                    Scope::Unit(u1),
                    Scope::Unit(u2),
                    Scope::Village(v),
                ],
            ),
            (Scope::System(s1), vec![Scope::System(s1), Scope::Unit(u1)]),
            (Scope::Unit(u2), vec![Scope::Unit(u2)]),
            (Scope::Village(v), vec![Scope::Village(v)]),
            (b, vec![b]),
        ];
        for (own, want) in cases {
            assert_eq!(summary_scopes(&own, &dir, &[v]), want, "{own:?}");
        }
    }

    #[test]
    fn csv_has_a_chinese_header_and_exact_figures() {
        let t = Totals {
            households_paired: 1,
            households_visited: 1,
            money_fen: Fen::new(50_000).unwrap(),
            goods_fen: Fen::new(30_050).unwrap(),
            projects: 2,
            mu: Mu::from_tenths(125).unwrap(),
            disputes_resolved: 1,
        };
        let text = summary_csv(&[("红旗村, 城关镇".to_string(), t)]);
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], CSV_HEADER.join(","));
        assert_eq!(
            lines[1],
            "\"红旗村, 城关镇\",1,1,500.00,300.50,800.50,2,12.5,1"
        );
        assert_eq!(lines[2], "");
        assert_eq!(lines.len(), 3);
    }
}
