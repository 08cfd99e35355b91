//! Periods of calendar days: closed on paper ("bis zum 30. Juni"), half-open internally.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ValueError;

/// How a period ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeriodEnd {
    /// Open-ended (possibly with conditions elsewhere).
    Open,
    /// The last covered day.
    Last(Date),
}

/// A run of whole calendar days from `from` to the end.
///
/// Internally the period is the half-open range `[from, last + 1 day)`; every operation is
/// written on that form, so "until 2026-06-30" covers 30 June and nothing after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    from: Date,
    end: PeriodEnd,
}

impl Period {
    /// A period; `last` must not be before `from`.
    pub fn new(from: Date, end: PeriodEnd) -> Result<Self, ValueError> {
        if let PeriodEnd::Last(last) = end
            && last < from
        {
            return Err(ValueError::new(format!(
                "invalid period: last day {last} is before first day {from}"
            )));
        }
        Ok(Period { from, end })
    }

    /// An open-ended period.
    pub fn open(from: Date) -> Self {
        Period {
            from,
            end: PeriodEnd::Open,
        }
    }

    /// The first covered day.
    pub fn from(&self) -> Date {
        self.from
    }

    /// How the period ends.
    pub fn end(&self) -> PeriodEnd {
        self.end
    }

    /// The last covered day, if any.
    pub fn last(&self) -> Option<Date> {
        match self.end {
            PeriodEnd::Open => None,
            PeriodEnd::Last(d) => Some(d),
        }
    }

    /// The first day no longer covered (the exclusive bound), if the period ends.
    pub fn end_exclusive(&self) -> Option<Date> {
        self.last().and_then(|d| d.tomorrow().ok())
    }

    /// True when the day lies in the period.
    pub fn contains(&self, day: Date) -> bool {
        day >= self.from && self.end_exclusive().is_none_or(|e| day < e) && self.last_ok(day)
    }

    // `end_exclusive` is None both for open periods and for a last day of Date::MAX.
    fn last_ok(&self, day: Date) -> bool {
        match self.end {
            PeriodEnd::Open => true,
            PeriodEnd::Last(l) => day <= l,
        }
    }

    /// True when the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.intersect(other).is_some()
    }

    /// The days both periods cover.
    pub fn intersect(&self, other: &Period) -> Option<Period> {
        let from = self.from.max(other.from);
        let end = match (self.end, other.end) {
            (PeriodEnd::Open, e) | (e, PeriodEnd::Open) => e,
            (PeriodEnd::Last(a), PeriodEnd::Last(b)) => PeriodEnd::Last(a.min(b)),
        };
        Period::new(from, end).ok()
    }

    /// True when the whole period lies before the day.
    pub fn ended_before(&self, day: Date) -> bool {
        self.last().is_some_and(|l| l < day)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.end {
            PeriodEnd::Open => write!(f, "{} .. open", self.from),
            PeriodEnd::Last(l) => write!(f, "{} .. {}", self.from, l),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodRepr {
    from: Date,
    until: String,
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PeriodRepr {
            from: self.from,
            until: match self.end {
                PeriodEnd::Open => "open".to_owned(),
                PeriodEnd::Last(d) => d.to_string(),
            },
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = PeriodRepr::deserialize(d)?;
        let end = parse_until(&r.until).map_err(serde::de::Error::custom)?;
        Period::new(r.from, end).map_err(serde::de::Error::custom)
    }
}

/// Parses the `until` of a period: `open` or the last covered day.
pub fn parse_until(s: &str) -> Result<PeriodEnd, ValueError> {
    if s.trim() == "open" {
        Ok(PeriodEnd::Open)
    } else {
        crate::time::parse_date(s).map(PeriodEnd::Last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn p(a: Date, b: Option<Date>) -> Option<Period> {
        Period::new(a, b.map_or(PeriodEnd::Open, PeriodEnd::Last)).ok()
    }

    #[test]
    fn until_is_the_last_covered_day() {
        let p = Period::new(date(2025, 7, 1), PeriodEnd::Last(date(2026, 6, 30))).unwrap();
        assert!(p.contains(date(2026, 6, 30)));
        assert!(!p.contains(date(2026, 7, 1)));
        assert!(!p.contains(date(2025, 6, 30)));
        assert!(Period::new(date(2026, 1, 2), PeriodEnd::Last(date(2026, 1, 1))).is_err());
    }

    fn arb_date() -> impl Strategy<Value = Date> {
        (0i32..2000).prop_map(|n| {
            date(2020, 1, 1)
                .checked_add(jiff::Span::new().days(n))
                .unwrap()
        })
    }

    fn arb_period() -> impl Strategy<Value = Period> {
        (arb_date(), proptest::option::of(0i32..400)).prop_map(|(from, len)| {
            let end = match len {
                None => PeriodEnd::Open,
                Some(n) => PeriodEnd::Last(from.checked_add(jiff::Span::new().days(n)).unwrap()),
            };
            Period::new(from, end).unwrap()
        })
    }

    proptest! {
        #[test]
        fn intersection_contains_exactly_the_common_days(a in arb_period(), b in arb_period(), d in arb_date()) {
            let both = a.contains(d) && b.contains(d);
            let i = a.intersect(&b);
            prop_assert_eq!(i.is_some_and(|i| i.contains(d)), both);
        }

        #[test]
        fn intersection_is_commutative_and_overlap_symmetric(a in arb_period(), b in arb_period()) {
            prop_assert_eq!(a.intersect(&b), b.intersect(&a));
            prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
            prop_assert_eq!(a.intersect(&a), Some(a));
        }

        #[test]
        fn ended_before_means_not_contained_from_then_on(a in arb_period(), d in arb_date()) {
            if a.ended_before(d) {
                prop_assert!(!a.contains(d));
            }
        }

        #[test]
        fn construction_matches_bounds(a in arb_date(), b in proptest::option::of(arb_date())) {
            prop_assert_eq!(p(a, b).is_some(), b.is_none_or(|b| b >= a));
        }
    }
}
