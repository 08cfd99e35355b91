//! Time points: a calendar date meaning the whole day in Europe/Berlin, or an exact instant.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use jiff::civil::{Date, Time};
use jiff::tz::{TimeZone, TimeZoneDatabase};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ValueError;

/// The time zone of the Bundestag's procedural deadlines, from jiff's bundled database so that
/// every machine computes the same instants whatever its system zoneinfo says.
pub fn berlin() -> &'static TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    TZ.get_or_init(|| {
        TimeZoneDatabase::bundled()
            .get("Europe/Berlin")
            .expect("the bundled tzdb contains Europe/Berlin")
    })
}

/// The instant a wall-clock time on a date happens in Berlin (gaps resolve forward, folds to the
/// earlier instant, jiff's "compatible" strategy).
pub fn berlin_instant(date: Date, time: Time) -> Timestamp {
    date.to_datetime(time)
        .to_zoned_datetime(berlin().clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX)
}

/// The first instant of a Berlin calendar day.
///
/// Every comparison of a day with an instant needs this conversion, and a verdict makes
/// hundreds of them; a small direct-mapped per-thread cache of exact results makes it a few
/// nanoseconds instead of a time-zone lookup (about 60 ns).
pub fn berlin_day_start(d: Date) -> Timestamp {
    use std::cell::RefCell;
    const SLOTS: usize = 1024;
    thread_local! {
        static CACHE: RefCell<Vec<Option<(Date, Timestamp)>>> = RefCell::new(vec![None; SLOTS]);
    }
    let slot = (i64::from(d.year()) * 372 + i64::from(d.month()) * 31 + i64::from(d.day()))
        .rem_euclid(SLOTS as i64) as usize;
    CACHE.with(|c| {
        if let Some((key, ts)) = c.borrow()[slot]
            && key == d
        {
            return ts;
        }
        let ts = berlin_instant(d, Time::midnight());
        c.borrow_mut()[slot] = Some((d, ts));
        ts
    })
}

/// The civil date of an instant in Berlin.
pub fn berlin_date(at: Timestamp) -> Date {
    at.to_zoned_datetime(berlin().clone()).date()
}

/// A point on the valid-time or knowledge-time axis.
///
/// A `Day` means the whole calendar day in Europe/Berlin. When a fact carries a `Day`, it is taken
/// to have happened at some moment of that day, so it counts from the day's first instant
/// ([`TimePoint::start`]). When a question is asked `on` or `as_of` a `Day`, it sees everything of
/// that day: its reference instant is the day's last instant ([`TimePoint::end`]). So a query
/// `on: 2025-12-29` sees a deadline that closed at 18:00 on that day as closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimePoint {
    /// A whole calendar day in Europe/Berlin.
    Day(Date),
    /// An exact instant.
    At(Timestamp),
}

impl TimePoint {
    /// The first instant this time point covers.
    pub fn start(&self) -> Timestamp {
        match self {
            TimePoint::Day(d) => berlin_day_start(*d),
            TimePoint::At(t) => *t,
        }
    }

    /// The last instant this time point covers (for a day: one nanosecond before the next day).
    pub fn end(&self) -> Timestamp {
        match self {
            TimePoint::Day(d) => match d.tomorrow() {
                Ok(next) => berlin_day_start(next)
                    .checked_sub(SignedDuration::from_nanos(1))
                    .unwrap_or(Timestamp::MAX),
                Err(_) => Timestamp::MAX,
            },
            TimePoint::At(t) => *t,
        }
    }

    /// The Berlin calendar date of this time point.
    pub fn date(&self) -> Date {
        match self {
            TimePoint::Day(d) => *d,
            TimePoint::At(t) => berlin_date(*t),
        }
    }

    /// True when something that happened at `self` is visible to a question asked at `query`
    /// (the fact's first instant is not after the query's last instant).
    pub fn visible_at(&self, query: &TimePoint) -> bool {
        self.start() <= query.end()
    }
}

impl Ord for TimePoint {
    fn cmp(&self, other: &Self) -> Ordering {
        // Order by first instant, then by last instant: a day sorts after an instant at its
        // midnight, and the order is total and consistent with equality.
        self.start()
            .cmp(&other.start())
            .then_with(|| self.end().cmp(&other.end()))
    }
}

impl PartialOrd for TimePoint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<Date> for TimePoint {
    fn from(d: Date) -> Self {
        TimePoint::Day(d)
    }
}

impl From<Timestamp> for TimePoint {
    fn from(t: Timestamp) -> Self {
        TimePoint::At(t)
    }
}

impl fmt::Display for TimePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimePoint::Day(d) => write!(f, "{d}"),
            TimePoint::At(t) => {
                let z = t.to_zoned_datetime(berlin().clone());
                write!(f, "{}", z.strftime("%Y-%m-%dT%H:%M:%S%:z"))
            }
        }
    }
}

/// Parses a date `YYYY-MM-DD` strictly (no clamping: `2025-06-31` is an error).
pub fn parse_date(s: &str) -> Result<Date, ValueError> {
    let s = s.trim();
    if s.len() != 10 {
        return Err(ValueError::new(format!(
            "invalid date `{s}`: expected YYYY-MM-DD"
        )));
    }
    Date::from_str(s).map_err(|e| ValueError::new(format!("invalid date `{s}`: {e}")))
}

impl FromStr for TimePoint {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.len() == 10 {
            return parse_date(s).map(TimePoint::Day);
        }
        Timestamp::from_str(s).map(TimePoint::At).map_err(|e| {
            ValueError::new(format!(
                "invalid time point `{s}`: expected YYYY-MM-DD or an instant with offset such as 2025-12-29T17:30+01:00 ({e})"
            ))
        })
    }
}

impl Serialize for TimePoint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimePoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_covers_the_whole_berlin_day() {
        let d = TimePoint::Day(date(2025, 12, 29));
        let at_18: TimePoint = "2025-12-29T18:00+01:00".parse().unwrap();
        assert!(at_18.visible_at(&d));
        assert!(d.start() < at_18.start() && at_18.start() < d.end());
        assert_eq!(d.start().to_string(), "2025-12-28T23:00:00Z");
    }

    #[test]
    fn cached_day_start_equals_the_time_zone_conversion() {
        for n in 0..3000 {
            let d = date(1999, 1, 1)
                .checked_add(jiff::Span::new().days(n))
                .unwrap();
            assert_eq!(berlin_day_start(d), berlin_instant(d, Time::midnight()));
            assert_eq!(berlin_day_start(d), berlin_instant(d, Time::midnight()));
        }
    }

    #[test]
    fn bad_dates_are_rejected_without_clamping() {
        assert!(parse_date("2025-06-31").is_err());
        assert!("2025-02-29".parse::<TimePoint>().is_err());
        assert!("2024-02-29".parse::<TimePoint>().is_ok());
    }

    #[test]
    fn ordering_is_by_start_then_end() {
        let day = TimePoint::Day(date(2026, 3, 29));
        let midnight = TimePoint::At(day.start());
        assert!(midnight < day);
        assert!(day < TimePoint::Day(date(2026, 3, 30)));
    }

    #[test]
    fn display_round_trips() {
        let t: TimePoint = "2025-12-29T17:30+01:00".parse().unwrap();
        assert_eq!(t.to_string(), "2025-12-29T17:30:00+01:00");
        assert_eq!(t.to_string().parse::<TimePoint>().unwrap(), t);
    }
}
