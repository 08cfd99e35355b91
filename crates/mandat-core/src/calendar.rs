//! Berlin public holidays (computed), working days, and the parliamentary calendar (data).

use std::collections::BTreeSet;

use jiff::civil::{Date, Weekday, date};
use serde::{Deserialize, Serialize};

use crate::fact::Citation;

/// A Berlin public holiday.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    /// 1 January
    NewYear,
    /// 8 March, Berlin only, from 2019
    WomensDay,
    /// Easter Sunday - 2
    GoodFriday,
    /// Easter Sunday + 1
    EasterMonday,
    /// 1 May
    LabourDay,
    /// 8 May 2020 and 8 May 2025 (75th and 80th anniversary of the end of the war), one-off
    LiberationDay,
    /// Easter Sunday + 39
    Ascension,
    /// Easter Sunday + 50
    WhitMonday,
    /// 3 October
    GermanUnity,
    /// 25 December
    Christmas,
    /// 26 December
    SecondChristmasDay,
}

/// Easter Sunday (Gregorian computus, anonymous algorithm).
pub fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // month is 3 or 4 and day 1..=31 by construction of the algorithm
    date(year, month as i8, day as i8)
}

/// The Berlin public holiday on this day, if any.
pub fn berlin_holiday(d: Date) -> Option<Holiday> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    match (m, day) {
        (1, 1) => return Some(Holiday::NewYear),
        (3, 8) if y >= 2019 => return Some(Holiday::WomensDay),
        (5, 1) => return Some(Holiday::LabourDay),
        (5, 8) if y == 2020 || y == 2025 => return Some(Holiday::LiberationDay),
        (10, 3) if y >= 1990 => return Some(Holiday::GermanUnity),
        (12, 25) => return Some(Holiday::Christmas),
        (12, 26) => return Some(Holiday::SecondChristmasDay),
        _ => {}
    }
    let easter = easter_sunday(y);
    let offset = easter.until(d).ok()?.get_days();
    match offset {
        -2 => Some(Holiday::GoodFriday),
        1 => Some(Holiday::EasterMonday),
        39 => Some(Holiday::Ascension),
        50 => Some(Holiday::WhitMonday),
        _ => None,
    }
}

/// Monday to Friday and not a Berlin public holiday.
pub fn is_working_day(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && berlin_holiday(d).is_none()
}

/// The day itself if it is a working day, else the next working day.
pub fn next_working_day_from(mut d: Date) -> Date {
    // at most a handful of iterations: weekends plus Christmas/Easter clusters
    while !is_working_day(d) {
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => return d,
        }
    }
    d
}

/// Members of the Bundestag in one electoral term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// Electoral term number.
    pub term: u8,
    /// First day of the term.
    pub from: Date,
    /// Statutory number of members.
    pub count: u32,
    /// Where the figure comes from.
    pub source: Option<Citation>,
}

/// The parliamentary calendar: members per term and sitting days, both data with sources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    terms: Vec<Term>,
    sitting_days: BTreeSet<Date>,
}

impl Calendar {
    /// An empty calendar.
    pub fn new() -> Self {
        Calendar::default()
    }

    /// Adds a term (replacing one with the same number).
    pub fn add_term(&mut self, t: Term) {
        self.terms.retain(|x| x.term != t.term);
        self.terms.push(t);
        self.terms.sort_by_key(|t| t.from);
    }

    /// Adds sitting days.
    pub fn add_sitting_days(&mut self, days: impl IntoIterator<Item = Date>) {
        self.sitting_days.extend(days);
    }

    /// Merges another calendar into this one (its terms win).
    pub fn merge(&mut self, other: &Calendar) {
        for t in &other.terms {
            self.add_term(t.clone());
        }
        self.add_sitting_days(other.sitting_days.iter().copied());
    }

    /// The electoral terms known.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The term in office on a day.
    pub fn term_on(&self, d: Date) -> Option<&Term> {
        self.terms.iter().rev().find(|t| t.from <= d)
    }

    /// Sitting days strictly after a day, ascending.
    pub fn sitting_days_after(&self, d: Date) -> impl Iterator<Item = Date> + '_ {
        self.sitting_days
            .range((std::ops::Bound::Excluded(d), std::ops::Bound::Unbounded))
            .copied()
    }

    /// All sitting days.
    pub fn sitting_days(&self) -> &BTreeSet<Date> {
        &self.sitting_days
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_dates() {
        assert_eq!(easter_sunday(2025), date(2025, 4, 20));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2011), date(2011, 4, 24));
        assert_eq!(easter_sunday(2000), date(2000, 4, 23));
    }

    #[test]
    fn berlin_holidays() {
        assert_eq!(
            berlin_holiday(date(2025, 12, 26)),
            Some(Holiday::SecondChristmasDay)
        );
        assert_eq!(berlin_holiday(date(2026, 4, 3)), Some(Holiday::GoodFriday));
        assert_eq!(berlin_holiday(date(2026, 5, 14)), Some(Holiday::Ascension));
        assert_eq!(berlin_holiday(date(2026, 5, 25)), Some(Holiday::WhitMonday));
        assert_eq!(berlin_holiday(date(2019, 3, 8)), Some(Holiday::WomensDay));
        assert_eq!(berlin_holiday(date(2018, 3, 8)), None);
        assert_eq!(
            berlin_holiday(date(2025, 5, 8)),
            Some(Holiday::LiberationDay)
        );
        assert_eq!(berlin_holiday(date(2026, 5, 8)), None);
        assert_eq!(
            next_working_day_from(date(2025, 12, 25)),
            date(2025, 12, 29)
        );
        assert!(is_working_day(date(2025, 12, 29)));
    }

    #[test]
    fn terms_are_found_by_date() {
        let mut c = Calendar::new();
        c.add_term(Term {
            term: 20,
            from: date(2021, 10, 26),
            count: 736,
            source: None,
        });
        c.add_term(Term {
            term: 21,
            from: date(2025, 3, 25),
            count: 630,
            source: None,
        });
        assert_eq!(c.term_on(date(2025, 12, 19)).map(|t| t.count), Some(630));
        assert_eq!(c.term_on(date(2024, 1, 1)).map(|t| t.term), Some(20));
        assert!(c.term_on(date(2000, 1, 1)).is_none());
    }
}
