//! Procedural time rules shared by verdicts and deadline lists: the § 4 window, the 5 %
//! threshold, the § 7(2) bridge, counted as GO-BT §§ 123, 124 prescribe.

use jiff::civil::{Date, Time};
use jiff::{Span, Timestamp};
use mandat_core::{Fact, Registry, TimePoint, berlin_instant, next_working_day_from};

use crate::options::MembersRounding;

/// The ParlBG is in force from this day; before it, BVerfGE 90, 286 is the rule.
pub fn parlbg_in_force() -> Date {
    jiff::civil::date(2005, 3, 24)
}

/// BVerfGE 140, 160 decided the ended-emergency question on this day.
pub fn bverfge_140_160() -> Date {
    jiff::civil::date(2015, 9, 23)
}

/// The last day of a period of `days` days after `start` (the start day not counted), moved
/// to the next working day when it falls on a Saturday, Sunday or Berlin public holiday.
pub fn last_day_after(start: Date, days: i32) -> Date {
    let last = start.checked_add(Span::new().days(days)).unwrap_or(start);
    next_working_day_from(last)
}

/// When the § 4 window for a debate demand closes: 18:00 Europe/Berlin on the last day of the
/// 7 days after distribution.
pub fn demand_window_close(distributed: &TimePoint) -> Timestamp {
    berlin_instant(
        last_day_after(distributed.date(), 7),
        Time::constant(18, 0, 0, 0),
    )
}

/// Members needed for a debate demand: 5 % of the members, rounded per option.
pub fn demand_threshold(members: u32, rounding: MembersRounding) -> u32 {
    let x = u64::from(members) * 5;
    let n = match rounding {
        MembersRounding::Up => x.div_ceil(100),
        MembersRounding::Down => x / 100,
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The first instant after the end of a day.
pub fn end_of_day_exclusive(d: Date) -> Timestamp {
    match d.tomorrow() {
        Ok(n) => berlin_instant(n, Time::midnight()),
        Err(_) => Timestamp::MAX,
    }
}

/// § 7(2): the second sitting day after distribution, and the facts listing the sitting days.
pub fn second_sitting_day_after<'a>(
    reg: &'a Registry,
    distributed: Date,
    as_of: Option<&TimePoint>,
) -> Option<(Date, Vec<&'a Fact>)> {
    let days = reg.sitting_days_after(distributed, 2, as_of);
    if days.len() < 2 {
        return None;
    }
    let facts = days.iter().filter_map(|(_, f)| *f).collect();
    Some((days[1].0, facts))
}

/// § 7(2) for a § 4 extension with a debate demand: the last sitting day of the sitting week
/// following the demand (the first calendar week with a sitting day after the demand's day).
pub fn end_of_sitting_week_after<'a>(
    reg: &'a Registry,
    demand: Date,
    as_of: Option<&TimePoint>,
) -> Option<(Date, Vec<&'a Fact>)> {
    let days = reg.sitting_days_after(demand, 10, as_of);
    let (first, _) = *days.first()?;
    let week = first.iso_week_date();
    let same_week: Vec<_> = days
        .iter()
        .filter(|(d, _)| {
            let w = d.iso_week_date();
            w.year() == week.year() && w.week() == week.week()
        })
        .collect();
    let last = same_week.last().map(|(d, _)| *d)?;
    Some((last, same_week.iter().filter_map(|(_, f)| *f).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn christmas_window_closes_monday_18_00() {
        let close = demand_window_close(&TimePoint::Day(date(2025, 12, 19)));
        assert_eq!(close.to_string(), "2025-12-29T17:00:00Z");
    }

    #[test]
    fn five_percent_of_630() {
        assert_eq!(demand_threshold(630, MembersRounding::Up), 32);
        assert_eq!(demand_threshold(630, MembersRounding::Down), 31);
        assert_eq!(demand_threshold(600, MembersRounding::Up), 30);
    }
}
