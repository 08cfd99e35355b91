//! Time arguments: `today`, dates, instants and day counts.

use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use mandat_core::TimePoint;

/// Today in Europe/Berlin, the time zone of the rules.
pub fn today() -> Date {
    mandat_core::berlin_date(jiff::Timestamp::now())
}

/// Parses `today`, `YYYY-MM-DD` or an instant with offset.
pub fn time_point(flag: &str, s: &str) -> Result<TimePoint> {
    if s.eq_ignore_ascii_case("today") {
        return Ok(TimePoint::Day(today()));
    }
    s.parse::<TimePoint>()
        .with_context(|| format!("--{flag} {s}"))
}

/// Parses a window length: `90d`, `90`, `12w`.
pub fn days(flag: &str, s: &str) -> Result<u32> {
    let t = s.trim();
    let (num, factor) = if let Some(n) = t.strip_suffix('d') {
        (n, 1)
    } else if let Some(n) = t.strip_suffix('w') {
        (n, 7)
    } else {
        (t, 1)
    };
    let n: u32 = num.parse().with_context(|| {
        format!("--{flag} {s}: expected a number of days such as 90d or weeks such as 12w")
    })?;
    if n == 0 || n > 36_600 {
        bail!("--{flag} {s}: the window must be between 1 day and 100 years");
    }
    Ok(n * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_lengths() {
        assert_eq!(days("within", "90d").unwrap(), 90);
        assert_eq!(days("within", "12w").unwrap(), 84);
        assert_eq!(days("within", "30").unwrap(), 30);
        assert!(days("within", "0d").is_err());
        assert!(days("within", "soon").is_err());
    }

    #[test]
    fn impossible_dates_are_rejected() {
        let e = time_point("on", "2025-06-31").unwrap_err();
        assert!(format!("{e:#}").contains("--on 2025-06-31"), "{e:#}");
        assert!(matches!(
            time_point("on", "2025-06-30").unwrap(),
            TimePoint::Day(_)
        ));
        assert!(matches!(
            time_point("on", "2025-12-29T17:30+01:00").unwrap(),
            TimePoint::At(_)
        ));
    }
}
