//! Dates in running text, German and English: "21. Mai 2025", "21 May 2025", "13.05.2020",
//! "February 5, 2024", "Ende März 2023" (last day), "im Mai 2024" (month precision), bare years, and
//! range ends ("bis zum 30. Juni 2026"). A day or month without a year takes the year of a date it is
//! coordinated with ("6. Mai und 20. Mai 2012"), else the reference date (dateline), else the last
//! year the narrative stated.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{DateValue, Lang, Span};
use crate::text::{is_letter_before, is_word_char_at, window_before};

/// What the recogniser knows besides the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    /// The document's own date (dateline), used to complete dates without a year.
    pub reference: Option<jiff::civil::Date>,
    /// The year the surrounding narrative last stated (text before this one), used last.
    pub narrative_year: Option<i16>,
}

/// Which end of a range a date is, read from the words before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRole {
    /// No range word.
    Plain,
    /// "bis (zum)", "until", "through": the end of a period.
    Until,
    /// "vom", "ab", "seit", "from", "since": the start of a period.
    From,
}

/// Why a date has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    /// The year is neither in the text nor in the dateline.
    NoYear,
    /// The date does not exist (31 June).
    Impossible,
}

/// A date found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    /// Bytes of the date expression.
    pub span: Span,
    /// The value, or why there is none.
    pub value: Result<DateValue, Unresolved>,
    /// Range role.
    pub role: DateRole,
    /// Whether the year was written in the expression itself.
    pub explicit_year: bool,
}

const MON: &str = r"(?i:jan(?:uary|uar)?|jän(?:ner)?|feb(?:ruary|ruar)?|märz|mär|maerz|mrz|mar(?:ch)?|apr(?:il)?|mai|may|jun[ie]?|jul[iy]?|aug(?:ust)?|sep(?:tember|t)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|dez(?:ember)?|dec(?:ember)?)";
const YEAR: &str = r"(?:1[0-9]|20)[0-9]{2}";

const WEEKDAY: &str = r"(?:Mo|Di|Mi|Do|Fr|Sa|So|(?i:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun))\.?,?\s+(?:(?i:den|the)\s+)?";

/// The forms of a date, in priority order; the recogniser's pattern is an optional weekday followed
/// by their alternation.
static FORMS: LazyLock<[String; 10]> = LazyLock::new(|| {
    let q = r"(?P<q>(?i:anfang|mitte|ende|beginn|early|mid-|mid|late|the end of|end of|the beginning of|beginning of|the middle of|middle of)\s+)?";
    [
        format!(r"(?P<iy>{YEAR})-(?P<im>[01][0-9])-(?P<id>[0-3][0-9])"),
        format!(r"(?P<nd>[0-3]?[0-9])\.(?P<nm>[01]?[0-9])\.(?P<ny>{YEAR})"),
        format!(r"{q}(?P<ym>{MON})\.?,?\s+(?P<yy>{YEAR})"),
        format!(
            r"(?P<dd>[0-3]?[0-9])(?:\.|st|nd|rd|th)?\s*(?:of\s+)?(?P<dm>{MON})\.?(?:(?:\s*,\s*|\s+(?:of|in)\s+|\s*)(?P<dy>{YEAR}))?"
        ),
        format!(
            r"(?P<md>{MON})\.?,?\s+(?P<mdd>[0-3]?[0-9])(?:st|nd|rd|th)?(?:(?:\s*,\s*|\s+(?:of|in)\s+|\s+)(?P<mdy>{YEAR}))?"
        ),
        format!(r"(?P<sy>{YEAR})[-/](?P<sm>{MON})[-/](?P<sd>[0-3]?[0-9])"),
        format!(r"(?P<sd2>[0-3]?[0-9])[-/](?P<sm2>{MON})(?:[-/](?P<sy2>{YEAR}))?"),
        format!(r"(?P<sm3>{MON})[-/](?P<sd3>[0-3]?[0-9])(?:[-/](?P<sy3>{YEAR}))?"),
        format!(
            r"(?P<pp>(?i:im|in|seit|bis|ab|since|until|by|anfang|mitte|ende|early|late|mid-|end of)\s+)(?P<om>{MON})(?:\.?,?\s+(?P<oy>{YEAR}))?"
        ),
        r"(?P<by>(?:1[5-9]|20)[0-9]{2})".to_string(),
    ]
});

/// The whole date pattern, searched without captures: it only finds where dates are.
static RE: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(r"(?P<wd>{WEEKDAY})?(?:{})", FORMS.join("|"));
    crate::text::build_regex(&pattern).expect("date pattern compiles")
});

/// Each form anchored, first with a weekday and then without: the first of these that matches a
/// date found by [`RE`] is the alternative `RE` took (the weekday is preferred, then the forms in
/// order, and no weekday word can also begin a form), so its groups are `RE`'s groups. Resolving
/// groups on these small patterns instead of the whole alternation keeps the capture step cheap.
static FORM_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let with_weekday = FORMS.iter().map(|f| format!(r"^(?P<wd>{WEEKDAY})(?:{f})"));
    let bare = FORMS.iter().map(|f| format!(r"^(?:{f})"));
    with_weekday
        .chain(bare)
        .map(|p| crate::text::build_regex(&p).expect("date form pattern compiles"))
        .collect()
});

static UNTIL: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"(?i)(?:bis|until|till|through|thru|to|zum|zur|spätestens|längstens|at least|einschließlich)\s+(?:(?:the\s+)?end\s+of\s+|ende\s+|zum\s+|zur\s+)?$")
        .expect("until pattern compiles")
});
static FROM: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(
        r"(?i)(?:vom|von|ab|seit|from|since|beginning|starting|effective)\s+(?:dem\s+)?$",
    )
    .expect("from pattern compiles")
});
static CONNECT: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(
        r"^(?i:\s*(?:,|und|and|bis|to|or|oder|-|–|/|bis zum)\s*(?:zum\s+|dem\s+)?)$",
    )
    .expect("connector pattern compiles")
});

/// Month number of a month name or abbreviation.
pub(crate) fn month_number(name: &str) -> Option<i8> {
    let lower = name.to_lowercase();
    let l = lower.trim_end_matches('.');
    let m = if l.starts_with("jan") || l.starts_with("jän") {
        1
    } else if l.starts_with("feb") {
        2
    } else if l.starts_with("mär") || l.starts_with("mae") || l == "mrz" || l.starts_with("mar") {
        3
    } else if l.starts_with("apr") {
        4
    } else if l == "mai" || l == "may" {
        5
    } else if l.starts_with("jun") {
        6
    } else if l.starts_with("jul") {
        7
    } else if l.starts_with("aug") {
        8
    } else if l.starts_with("sep") {
        9
    } else if l.starts_with("okt") || l.starts_with("oct") {
        10
    } else if l.starts_with("nov") {
        11
    } else if l.starts_with("dez") || l.starts_with("dec") {
        12
    } else {
        return None;
    };
    Some(m)
}

/// Last day of a month.
fn last_day(year: i16, month: i8) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(year, month, 1)
        .ok()
        .map(|d| d.last_of_month())
}

enum Raw {
    Full(Result<DateValue, Unresolved>),
    /// Day and month, year to be found.
    DayMonth(i8, i8),
    /// Month, year to be found.
    MonthOnly(i8, bool),
}

fn day(year: i16, month: i8, d: i8) -> Result<DateValue, Unresolved> {
    jiff::civil::Date::new(year, month, d)
        .map(DateValue::Day)
        .map_err(|_| Unresolved::Impossible)
}

fn month_value(year: i16, month: i8, end: bool) -> Result<DateValue, Unresolved> {
    if end {
        last_day(year, month)
            .map(DateValue::Day)
            .ok_or(Unresolved::Impossible)
    } else {
        Ok(DateValue::Month { year, month })
    }
}

fn is_end_qualifier(q: &str) -> bool {
    let q = q.trim().to_lowercase();
    q == "ende" || q.ends_with("end of")
}

/// Finds the dates in `text`. `lang` does not restrict the month names (documents mix languages) but
/// is kept for the API's symmetry with the other recognisers.
pub fn find(text: &str, _lang: Lang, ctx: &DateContext) -> Vec<DateMention> {
    resolve(text, &scan(text), ctx)
}

/// A date expression as written: its span, its value or what is missing, and whether the year
/// was written in it. It does not depend on the context, so one scan serves every resolution.
pub(crate) struct RawDate {
    span: Span,
    entry: Raw,
}

impl RawDate {
    /// Where the expression is.
    pub(crate) fn span(&self) -> Span {
        self.span
    }
}

/// Finds the date expressions of `text` without resolving missing years.
pub(crate) fn scan(text: &str) -> Vec<RawDate> {
    let mut raw: Vec<RawDate> = Vec::new();
    for m in RE.find_iter(text) {
        let mut start = m.start();
        let end = m.end();
        // A date never continues a number or a word.
        let first = text[start..].chars().next().unwrap_or(' ');
        if start > 0 {
            let prev = text[..start].chars().next_back().unwrap_or(' ');
            if prev.is_ascii_digit() || (first.is_ascii_digit() && (prev == '.' || prev == ',')) {
                continue;
            }
            // "$12 December 27": an amount, not a day.
            let before = window_before(text, start, 2);
            if first.is_ascii_digit()
                && (before.ends_with(['$', '€', '£'])
                    || before.ends_with("$ ")
                    || before.ends_with("€ "))
            {
                continue;
            }
            if is_letter_before(text, start) {
                continue;
            }
        }
        if is_word_char_at(text, end) {
            continue;
        }
        let slice = m.as_str();
        let Some(c) = FORM_RES
            .iter()
            .find(|re| re.is_match(slice))
            .and_then(|re| re.captures(slice))
            .filter(|c| c.get(0).is_some_and(|g| g.end() == slice.len()))
            .or_else(|| RE.captures(slice))
        else {
            continue;
        };
        let num = |name: &str| c.name(name).and_then(|g| g.as_str().parse::<i16>().ok());
        // A weekday belongs to the date only when a day follows; otherwise the match starts after it.
        if let Some(wd) = c.name("wd") {
            let day_bearing = ["id", "nd", "dd", "mdd", "sd", "sd2", "sd3"]
                .iter()
                .any(|g| c.name(g).is_some());
            if !day_bearing {
                start = m.start() + wd.end();
            }
        }
        let entry = if let (Some(y), Some(mo), Some(d)) = (num("iy"), num("im"), num("id")) {
            Raw::Full(day(y, mo as i8, d as i8))
        } else if let (Some(d), Some(mo), Some(y)) = (num("nd"), num("nm"), num("ny")) {
            Raw::Full(day(y, mo as i8, d as i8))
        } else if let (Some(mname), Some(y)) = (c.name("ym"), num("yy")) {
            let Some(mo) = month_number(mname.as_str()) else {
                continue;
            };
            let end_q = c.name("q").is_some_and(|q| is_end_qualifier(q.as_str()));
            Raw::Full(month_value(y, mo, end_q))
        } else if let (Some(d), Some(mname)) = (num("dd"), c.name("dm")) {
            let Some(mo) = month_number(mname.as_str()) else {
                continue;
            };
            if d == 0 {
                continue;
            }
            match num("dy") {
                Some(y) => Raw::Full(day(y, mo, d as i8)),
                None => Raw::DayMonth(d as i8, mo),
            }
        } else if let (Some(mname), Some(d)) = (c.name("md"), num("mdd")) {
            let Some(mo) = month_number(mname.as_str()) else {
                continue;
            };
            if d == 0 {
                continue;
            }
            match num("mdy") {
                Some(y) => Raw::Full(day(y, mo, d as i8)),
                None => Raw::DayMonth(d as i8, mo),
            }
        } else if let Some((mname, d, y)) = [
            ("sm", "sd", "sy"),
            ("sm2", "sd2", "sy2"),
            ("sm3", "sd3", "sy3"),
        ]
        .iter()
        .find_map(|(mg, dg, yg)| Some((c.name(mg)?, num(dg)?, num(yg))))
        {
            let Some(mo) = month_number(mname.as_str()) else {
                continue;
            };
            if d == 0 {
                continue;
            }
            match y {
                Some(y) => Raw::Full(day(y, mo, d as i8)),
                None => Raw::DayMonth(d as i8, mo),
            }
        } else if let (Some(pp), Some(mname)) = (c.name("pp"), c.name("om")) {
            // A bare month name needs a capital ("May", "Mai") so that "may" the verb is not a date.
            if c.name("oy").is_none() && !mname.as_str().starts_with(|ch: char| ch.is_uppercase()) {
                continue;
            }
            let Some(mo) = month_number(mname.as_str()) else {
                continue;
            };
            let pl = pp.as_str().trim().to_lowercase();
            let qualifier = matches!(
                pl.as_str(),
                "anfang" | "mitte" | "ende" | "early" | "late" | "mid-" | "end of"
            );
            if !qualifier {
                start = m.start() + mname.start();
            }
            match num("oy") {
                Some(y) => Raw::Full(month_value(y, mo, is_end_qualifier(&pl))),
                None => Raw::MonthOnly(mo, is_end_qualifier(&pl)),
            }
        } else if let Some(y) = num("by") {
            // A bare four-digit number is a year unless it is a figure of something.
            let after = &text.as_bytes()[end..text.len().min(end + 2)];
            if after.len() == 2 && matches!(after[0], b'.' | b',') && after[1].is_ascii_digit() {
                continue;
            }
            Raw::Full(Ok(DateValue::Year(y)))
        } else {
            continue;
        };
        raw.push(RawDate {
            span: Span::new(start, end),
            entry,
        });
    }
    raw
}

/// Resolves the years of scanned dates: a coordinated later date, then the dateline, then the
/// narrative.
pub(crate) fn resolve(text: &str, raw: &[RawDate], ctx: &DateContext) -> Vec<DateMention> {
    let mut out: Vec<DateMention> = Vec::with_capacity(raw.len());
    let mut narrative_year: Option<i16> = ctx.narrative_year;
    for i in 0..raw.len() {
        let RawDate { span, ref entry } = raw[i];
        let explicit = matches!(entry, Raw::Full(_));
        let coordinated_year = || {
            let RawDate {
                span: next_span,
                entry: next,
            } = raw.get(i + 1)?;
            let gap = text.get(span.end..next_span.start)?;
            if gap.len() > 24 || !CONNECT.is_match(gap) {
                return None;
            }
            match next {
                Raw::Full(Ok(v)) => Some(v.year()),
                Raw::Full(Err(_)) | Raw::DayMonth(..) | Raw::MonthOnly(..) => None,
            }
        };
        let value = match entry {
            Raw::Full(v) => *v,
            Raw::DayMonth(d, m) => {
                match coordinated_year()
                    .or(ctx.reference.map(|r| r.year()))
                    .or(narrative_year)
                {
                    Some(y) => day(y, *m, *d),
                    None => Err(Unresolved::NoYear),
                }
            }
            Raw::MonthOnly(m, end_q) => {
                match coordinated_year()
                    .or(ctx.reference.map(|r| r.year()))
                    .or(narrative_year)
                {
                    Some(y) => month_value(y, *m, *end_q),
                    None => Err(Unresolved::NoYear),
                }
            }
        };
        // The narrative moves with every year stated in full.
        if let (true, Ok(v)) = (explicit, value) {
            narrative_year = Some(v.year());
        }
        let window = window_before(text, span.start, 32);
        let role = if UNTIL.is_match(window) {
            DateRole::Until
        } else if FROM.is_match(window) {
            DateRole::From
        } else {
            DateRole::Plain
        };
        out.push(DateMention {
            span,
            value,
            role,
            explicit_year: explicit,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, reference: Option<&str>, expect: &[(&str, &str)]) {
        let ctx = DateContext {
            reference: reference.map(|r| r.parse().expect("reference date")),
            narrative_year: None,
        };
        let got: Vec<(String, String)> = find(input, Lang::De, &ctx)
            .iter()
            .map(|d| {
                let v = match d.value {
                    Ok(v) => v.to_string(),
                    Err(Unresolved::NoYear) => "?".to_string(),
                    Err(Unresolved::Impossible) => "!".to_string(),
                };
                (d.span.slice(input).to_string(), v)
            })
            .collect();
        let want: Vec<(String, String)> = expect
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want, "input: {input}");
    }

    #[test]
    fn german_forms() {
        check(
            "Das Kabinett hat am 21. Mai 2025 beschlossen.",
            None,
            &[("21. Mai 2025", "2025-05-21")],
        );
        check(
            "13.05.2020 - Article",
            None,
            &[("13.05.2020", "2020-05-13")],
        );
        check(
            "bis Ende März 2023",
            None,
            &[("Ende März 2023", "2023-03-31")],
        );
        check("im Mai 2024 begann", None, &[("Mai 2024", "2024-05")]);
        check(
            "vom 1. Juli 2025 bis zum 30. Juni 2026",
            None,
            &[
                ("1. Juli 2025", "2025-07-01"),
                ("30. Juni 2026", "2026-06-30"),
            ],
        );
        check(
            "bis Mitte Dezember 2009",
            None,
            &[("Mitte Dezember 2009", "2009-12")],
        );
        check("am 31. Juni 2025", None, &[("31. Juni 2025", "!")]);
        check(
            "am Dienstag, den 12. Januar 2016",
            None,
            &[("Dienstag, den 12. Januar 2016", "2016-01-12")],
        );
    }

    #[test]
    fn english_forms() {
        check(
            "February 5, 2024",
            None,
            &[("February 5, 2024", "2024-02-05")],
        );
        check("on 21 May 2025 the", None, &[("21 May 2025", "2025-05-21")]);
        check(
            "until the end of April 2023",
            None,
            &[("the end of April 2023", "2023-04-30")],
        );
        check("until Oct. 2008", None, &[("Oct. 2008", "2008-10")]);
        check("cabinet Sept. 19 agreed", None, &[("Sept. 19", "?")]);
        check("you may go", None, &[]);
        check(
            "monday january 12th, 2016",
            None,
            &[("monday january 12th, 2016", "2016-01-12")],
        );
        check(
            "on Dec. 31 , 1994",
            None,
            &[("Dec. 31 , 1994", "1994-12-31")],
        );
        check("back 2019/sep/01.", None, &[("2019/sep/01", "2019-09-01")]);
        check("at 05-Aug-2016", None, &[("05-Aug-2016", "2016-08-05")]);
        check(
            "26th june of 2020",
            None,
            &[("26th june of 2020", "2020-06-26")],
        );
    }

    #[test]
    fn year_carried() {
        check(
            "seit dem 16. August",
            Some("2021-08-01"),
            &[("16. August", "2021-08-16")],
        );
        check(
            "die Wahlen vom 6. Mai und 20. Mai 2012",
            None,
            &[("6. Mai", "2012-05-06"), ("20. Mai 2012", "2012-05-20")],
        );
        check("am 8. Mai beschlossen", None, &[("8. Mai", "?")]);
        check(
            "Im Jahr 1999 und im Juni",
            None,
            &[("1999", "1999"), ("Juni", "1999-06")],
        );
    }

    /// The anchored forms read exactly the groups that capturing on the whole pattern reads.
    #[test]
    fn forms_read_the_same_groups_as_the_whole_pattern() {
        let text = "am Dienstag, den 12. Januar 2016; Monday, the end of May 2020; Mi. 5. Mai; \
                    2025-05-21, 13.05.2020, Ende März 2023, February 5, 2024, 26th june of 2020, \
                    2019/sep/01, 05-Aug-2016, Sept. 19, im Mai, bis Mitte Dezember 2009, Fr 1999, \
                    sat 5 may, Oct. 2008, Dec. 31 , 1994, tues. the 4th of July";
        let mut n = 0;
        for m in RE.find_iter(text) {
            let slice = m.as_str();
            let names: Vec<&str> = RE.capture_names().flatten().collect();
            let spans = |c: Option<regex::Captures<'_>>| {
                c.map(|c| {
                    names
                        .iter()
                        .map(|g| c.name(g).map(|x| x.range()))
                        .collect::<Vec<_>>()
                })
            };
            let form = FORM_RES
                .iter()
                .find(|re| re.is_match(slice))
                .and_then(|re| re.captures(slice));
            assert_eq!(spans(form), spans(RE.captures(slice)), "match {slice:?}");
            n += 1;
        }
        assert!(n >= 15, "only {n} matches");
    }

    #[test]
    fn roles() {
        let t = "vom 1. Juli 2025 bis zum 30. Juni 2026";
        let d = find(t, Lang::De, &DateContext::default());
        assert_eq!(d[0].role, DateRole::From);
        assert_eq!(d[1].role, DateRole::Until);
    }

    #[test]
    fn figures_are_not_years() {
        check("1.400 Soldaten", None, &[]);
        check("Resolution 12345", None, &[]);
    }
}
