//! Temporal expressions beyond calendar dates, in German running text: seasons ("Sommer 1940"),
//! parts of the year ("Ende des Jahres 1939"), holidays ("Weihnachten 1966"), centuries and decades,
//! relative dates ("zwei Tage später", "nach zwei Tagen"), references ("heute", "bald"), times
//! ("4:45 Uhr", "Nacht vom 16.", "Morgen des 22. Juni 1941"), durations ("zwei Wochen") and sets
//! ("täglich"). Values follow TIMEX2 (`1940-SU`, `PRESENT_REF`, `P2W`, `BC0490`);
//! anchors come from the calendar dates found before each expression. Mandate assembly does not use
//! these; they serve narrative texts and the temporal peer suites.

use std::sync::LazyLock;

use jiff::ToSpan;
use regex::Regex;

use crate::dates::DateMention;
use crate::model::{DateValue, Span};
use crate::num::{self, WORDS};
use crate::text::{is_letter_before, is_word_char_at};

/// TIMEX2 classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimexKind {
    /// A point or period of the calendar.
    Date,
    /// A time of day.
    Time,
    /// A length of time.
    Duration,
    /// A recurrence.
    Set,
    /// A vague reference to present, past or future.
    Ref,
}

/// A temporal expression.
#[derive(Debug, Clone, PartialEq)]
pub struct TimexMention {
    /// Bytes of the expression.
    pub span: Span,
    /// Class.
    pub kind: TimexKind,
    /// TIMEX2 value.
    pub value: String,
}

static RE: LazyLock<Regex> = LazyLock::new(|| {
    let vague = r"Einen|einen|Ein|ein|Eine|eine|einem|einer|Wenige|wenige|wenigen|weniger|Mehrere|mehrere|mehreren|einige|einigen|Einige";
    let pattern = format!(
        r"(?P<bc>[0-9]{{1,4}})\s+v\.\s*Chr\.|(?P<cent>[0-9]{{1,2}})\.\s+Jahrhunderts?|(?P<dec>1[0-9]|20)(?P<decd>[0-9])0er(?:-Jahren|-Jahre|\s+Jahren|\s+Jahre)?|(?P<season>(?:Spät|Früh)(?:sommer|herbst|winter|jahr)|Sommer|Herbst|Winter|Frühjahr|Frühling)(?:es|s)?(?:\s+(?P<sy>(?:1[0-9]|20)[0-9]{{2}}))?|(?P<ypart>(?:Ende|Beginn|Anfang|Mitte|Laufe|Verlauf|ende|beginn|anfang|mitte|laufe)\s+des\s+(?:(?:selben|gleichen|folgenden)\s+)?Jahres|Jahresende|Jahresbeginn|Jahresanfang|Jahresmitte)(?:\s+(?P<ypy>(?:1[0-9]|20)[0-9]{{2}}))?|(?P<hol>(?:[Ee]rsten\s+|[Zz]weiten\s+)?Weihnachtstag(?:es|s)?|Weihnachten|Heiligabend|Neujahrstag(?:es|s)?|Neujahr|Silvester)(?:\s+(?P<hy>(?:1[0-9]|20)[0-9]{{2}}))?|(?P<yrel>(?:dieses|diesen|diesem|neuen|nächsten|folgenden|kommenden)\s+Jahr(?:es)?|Vorjahr(?:es)?)|(?P<rn>[0-9]+|{WORDS}|{vague})\s+(?P<ru>Tagen|Tage|Tag|Wochen|Woche|Monaten|Monate|Monat|Jahren|Jahre|Jahr)\s+(?P<rd>später|danach|darauf|zuvor|vorher)|(?P<ref>(?:[Ww]enig|[Kk]urz|[Kk]urze\s+Zeit)\s+(?:später|danach|darauf|zuvor)|[Hh]eute|[Hh]eutigen|[Hh]eutiger|[Hh]eutiges|[Hh]eutige|[Jj]etzt|[Gg]egenwärtig|[Bb]ald|[Ss]päter|[Kk]ürzlich|[Zz]ukünftig|[Ii]n\s+Zukunft|[Bb]innen\s+kurzem|Folgezeit)|(?P<time>[0-2]?[0-9]:[0-5][0-9](?:\s*Uhr)?|[0-2]?[0-9]\.[0-5][0-9]\s*Uhr|[0-2]?[0-9]\s+Uhr(?:\s+[0-5][0-9])?)|(?P<part>(?:(?:frühen|späten)\s+)?(?:Morgengrauen|Morgenstunden|Morgen|Vormittag|Mittag|Nachmittag|Abendstunden|Abend|Nacht|Mitternacht))(?:\s+vom\s+(?P<pday>[0-3]?[0-9])\.|\s+(?P<same>(?:desselben|dieses|des\s+selben|des\s+gleichen)\s+Tages))?|(?P<after>[Nn]ach\s+)?(?P<dmod>(?:[Mm]ehr\s+als|[Ww]eniger\s+als|knapp|rund|etwa|über)\s+)?(?P<dn>[0-9]+|{WORDS}|{vague})\s+(?P<du>Tagen|Tage|Tag|Wochen|Woche|Monaten|Monate|Monat|Jahren|Jahre|Jahr|Stunden|Stunde|Minuten|Nächte)|(?P<set>täglich|pro\s+Tag)|(?P<mon>Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
    );
    crate::text::build_regex(&pattern).expect("timex pattern compiles")
});

/// What joins a part of the day to the date it belongs to: "Morgen des 22. Juni".
static OF_DATE: LazyLock<Regex> =
    LazyLock::new(|| crate::text::build_regex(r"^\s+des\s+$").expect("of-date pattern compiles"));

fn amount(s: &str) -> Option<i64> {
    if s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return s.parse().ok();
    }
    match s.to_lowercase().as_str() {
        "ein" | "eine" | "einen" | "einem" | "einer" => Some(1),
        _ => num::parse_words(s).map(|v| v as i64),
    }
}

fn unit_code(u: &str) -> &'static str {
    if u.starts_with("Tag") || u.starts_with("Näch") {
        "D"
    } else if u.starts_with("Woche") {
        "W"
    } else if u.starts_with("Monat") {
        "M"
    } else if u.starts_with("Stunde") {
        "H"
    } else if u.starts_with("Minute") {
        "MIN"
    } else {
        "Y"
    }
}

/// Where a narrative moves on by a year: "im folgenden Jahr", "des neuen Jahres".
static YEAR_SHIFT: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(
        r"\b(?:neuen|nächsten|folgenden|darauffolgenden|kommenden)\s+Jahr(?:es|e)?\b",
    )
    .expect("year shift pattern compiles")
});

/// The calendar dates and temporal expressions of a narrative text (a paragraph of a story told in
/// order), with the narrative year carried through it: dates without a year take the year the story
/// last stated ([`crate::dates::moves_narrative`]), moved on where the text moves to the next year
/// ("In den Frühjahrsschlachten des neuen Jahres ... am 28. Mai").
#[derive(Debug, Clone, PartialEq)]
pub struct Narrative {
    /// Calendar dates, in text order.
    pub dates: Vec<DateMention>,
    /// Other temporal expressions, in text order.
    pub timexes: Vec<TimexMention>,
    /// The narrative year at the end of the text, for the next paragraph.
    pub year_after: Option<i16>,
}

/// Reads `text` as a paragraph of a narrative whose year so far is `year` (see [`Narrative`]).
pub fn find_narrative(text: &str, year: Option<i16>) -> Narrative {
    let raw = crate::dates::scan(text);
    let shifts: Vec<(usize, i16)> = YEAR_SHIFT.find_iter(text).map(|m| (m.start(), 1)).collect();
    let ctx = crate::dates::DateContext {
        reference: None,
        narrative_year: year,
    };
    let dates = crate::dates::resolve_with_shifts(text, &raw, &ctx, &shifts);
    let timexes = find(text, &dates, year);
    let mut year_after = year;
    let mut next_shift = shifts.iter().peekable();
    for d in &dates {
        while let Some(&&(at, by)) = next_shift.peek() {
            if at > d.span.start {
                break;
            }
            year_after = year_after.map(|y| y + by);
            next_shift.next();
        }
        if crate::dates::moves_narrative(text, d) {
            year_after = d.value.ok().map(|v| v.year());
        }
    }
    for &(_, by) in next_shift {
        year_after = year_after.map(|y| y + by);
    }
    Narrative {
        dates,
        timexes,
        year_after,
    }
}

/// The date `k` units (`unit` as written: "Tage", "Monate", "Jahre", ...) from the last date, at
/// the unit's precision: days and weeks from the last day, months from the last month, years from
/// the last year ("ein Jahr später" is a year, "einen Monat später" a month).
fn shift(
    unit: &str,
    k: i64,
    day: Option<jiff::civil::Date>,
    month: Option<(i16, i8)>,
    year: Option<i16>,
) -> Option<String> {
    match unit_code(unit) {
        "D" => day?.checked_add(k.days()).ok().map(|d| d.to_string()),
        "W" => day?.checked_add((7 * k).days()).ok().map(|d| d.to_string()),
        "M" => {
            let (y, m) = month?;
            let d = jiff::civil::Date::new(y, m, 1)
                .ok()?
                .checked_add(k.months())
                .ok()?;
            Some(format!("{:04}-{:02}", d.year(), d.month()))
        }
        "Y" => {
            let y = i64::from(year?) + k;
            (0..=9999).contains(&y).then(|| format!("{y:04}"))
        }
        _ => None,
    }
}

/// Finds temporal expressions; `dates` are the calendar dates of the same text (sorted), which
/// anchor relative values, and `year` is the narrative year before the text starts. Expressions that
/// overlap a calendar date without containing it are left to the date.
pub fn find(text: &str, dates: &[DateMention], mut year: Option<i16>) -> Vec<TimexMention> {
    let mut out = Vec::new();
    let mut day: Option<jiff::civil::Date> = None;
    let mut month: Option<(i16, i8)> = None;
    let mut di = 0;
    for c in RE.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        while di < dates.len() && dates[di].span.start < m.start() {
            match dates[di].value {
                Ok(DateValue::Day(d)) => {
                    day = Some(d);
                    month = Some((d.year(), d.month()));
                    year = Some(d.year());
                }
                Ok(DateValue::Month { year: y, month: mo }) => {
                    month = Some((y, mo));
                    year = Some(y);
                }
                Ok(DateValue::Year(y)) => year = Some(y),
                Err(_) => {}
            }
            di += 1;
        }
        if is_letter_before(text, m.start()) || is_word_char_at(text, m.end()) {
            continue;
        }
        // Calendar dates are the date recogniser's; an expression here may only contain one whole
        // ("Sommer 1940"), never cut into one.
        let cuts = |d: &DateMention| {
            d.span.start < m.end()
                && m.start() < d.span.end
                && !(m.start() <= d.span.start && d.span.end <= m.end())
        };
        if di
            .checked_sub(1)
            .and_then(|j| dates.get(j))
            .is_some_and(cuts)
            || dates.get(di).is_some_and(cuts)
        {
            continue;
        }
        let mut start = m.start();
        let mut end = m.end();
        let y = |off: i16| year.map_or("XXXX".to_string(), |y| format!("{:04}", y + off));
        let (kind, value) = if let Some(n) = c.name("bc") {
            (TimexKind::Date, format!("BC{:0>4}", n.as_str()))
        } else if let Some(n) = c.name("cent").and_then(|n| n.as_str().parse::<u8>().ok()) {
            (TimexKind::Date, format!("{:02}", n.saturating_sub(1)))
        } else if let (Some(a), Some(b)) = (c.name("dec"), c.name("decd")) {
            (TimexKind::Date, format!("{}{}", a.as_str(), b.as_str()))
        } else if let Some(s) = c.name("season") {
            let l = s.as_str().to_lowercase();
            let code = if l.contains("sommer") {
                "SU"
            } else if l.contains("herbst") {
                "FA"
            } else if l.contains("winter") {
                "WI"
            } else {
                "SP"
            };
            let yy = c
                .name("sy")
                .map_or_else(|| y(0), |v| v.as_str().to_string());
            (TimexKind::Date, format!("{yy}-{code}"))
        } else if c.name("ypart").is_some() {
            let yy = c
                .name("ypy")
                .map_or_else(|| y(0), |v| v.as_str().to_string());
            (TimexKind::Date, yy)
        } else if let Some(h) = c.name("hol") {
            let l = h.as_str().to_lowercase();
            let md = if l.starts_with("zweiten") {
                "12-26"
            } else if l.contains("weihnacht") {
                "12-25"
            } else if l.starts_with("heilig") {
                "12-24"
            } else if l.starts_with("silvester") {
                "12-31"
            } else {
                "01-01"
            };
            let yy = c
                .name("hy")
                .map_or_else(|| y(0), |v| v.as_str().to_string());
            (TimexKind::Date, format!("{yy}-{md}"))
        } else if let Some(r) = c.name("yrel") {
            let l = r.as_str().to_lowercase();
            let off = if l.starts_with("vorjahr") {
                -1
            } else if l.starts_with("nächst")
                || l.starts_with("neu")
                || l.starts_with("folgend")
                || l.starts_with("kommend")
            {
                1
            } else {
                0
            };
            (TimexKind::Date, y(off))
        } else if let (Some(n), Some(u), Some(d)) = (c.name("rn"), c.name("ru"), c.name("rd")) {
            let back = matches!(d.as_str(), "zuvor" | "vorher");
            let k = amount(n.as_str()).map(|k| if back { -k } else { k });
            match k.and_then(|k| shift(u.as_str(), k, day, month, year)) {
                Some(v) => (TimexKind::Date, v),
                None => (
                    TimexKind::Ref,
                    if back { "PAST_REF" } else { "FUTURE_REF" }.to_string(),
                ),
            }
        } else if let Some(r) = c.name("ref") {
            let l = r.as_str().to_lowercase();
            let v = if l.starts_with("heut") || l.starts_with("jetzt") || l.starts_with("gegenw") {
                "PRESENT_REF"
            } else if l.starts_with("kürzlich") || l.ends_with("zuvor") {
                "PAST_REF"
            } else {
                "FUTURE_REF"
            };
            (TimexKind::Ref, v.to_string())
        } else if let Some(t) = c.name("time") {
            let digits: Vec<&str> = t
                .as_str()
                .split(|ch: char| !ch.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .collect();
            let h: u8 = digits.first().and_then(|d| d.parse().ok()).unwrap_or(0);
            let mi: u8 = digits.get(1).and_then(|d| d.parse().ok()).unwrap_or(0);
            if h > 24 {
                continue;
            }
            let d = day.map_or("XXXX-XX-XX".to_string(), |d| d.to_string());
            (TimexKind::Time, format!("{d}T{h:02}:{mi:02}"))
        } else if let Some(p) = c.name("part") {
            let l = p.as_str().to_lowercase();
            // "Morgen des 22. Juni 1941": the part of the day of the date that follows.
            let of_date = dates.get(di).filter(|d| {
                c.name("pday").is_none()
                    && c.name("same").is_none()
                    && text
                        .get(m.end()..d.span.start)
                        .is_some_and(|gap| OF_DATE.is_match(gap))
            });
            if let Some(d) = of_date {
                end = d.span.end;
            }
            let base = match of_date.map(|d| d.value) {
                Some(Ok(DateValue::Day(d))) => Some(d.to_string()),
                _ => None,
            }
            .or_else(|| {
                match (
                    c.name("pday").and_then(|d| d.as_str().parse::<i8>().ok()),
                    day,
                ) {
                    (Some(pd), Some(anchor)) => {
                        jiff::civil::Date::new(anchor.year(), anchor.month(), pd)
                            .ok()
                            .map(|d| d.to_string())
                    }
                    (None, Some(anchor)) => Some(anchor.to_string()),
                    _ => None,
                }
            })
            .unwrap_or_else(|| "XXXX-XX-XX".to_string());
            let code = if l.contains("mitternacht") {
                "24:00"
            } else if l.contains("nachmittag") {
                "AF"
            } else if l.contains("mittag") {
                "MI"
            } else if l.contains("morgen") || l.contains("vormittag") {
                "MO"
            } else if l.contains("abend") {
                "EV"
            } else {
                "NI"
            };
            (TimexKind::Time, format!("{base}T{code}"))
        } else if let (Some(n), Some(u)) = (c.name("dn"), c.name("du")) {
            // "nach zwei Tagen" after a date is the date two days on; a plain length otherwise.
            let exact = c.name("dmod").is_none_or(|d| {
                let d = d.as_str().to_lowercase();
                d.starts_with("knapp") || d.starts_with("etwa") || d.starts_with("rund")
            });
            let later = c
                .name("after")
                .filter(|_| exact)
                .and_then(|_| shift(u.as_str(), amount(n.as_str())?, day, month, year));
            if let Some(v) = later {
                out.push(TimexMention {
                    span: Span::new(m.start(), end),
                    kind: TimexKind::Date,
                    value: v,
                });
                continue;
            }
            if let Some(a) = c.name("after") {
                start = a.end();
            }
            let k = amount(n.as_str()).map_or("X".to_string(), |k| k.to_string());
            let v = match unit_code(u.as_str()) {
                "H" => format!("PT{k}H"),
                "MIN" => format!("PT{k}M"),
                code => format!("P{k}{code}"),
            };
            (TimexKind::Duration, v)
        } else if c.name("set").is_some() {
            (TimexKind::Set, "P1D".to_string())
        } else if let Some(mo) = c
            .name("mon")
            .and_then(|x| crate::dates::month_number(x.as_str()))
        {
            (TimexKind::Date, format!("{}-{mo:02}", y(0)))
        } else {
            continue;
        };
        out.push(TimexMention {
            span: Span::new(start, end),
            kind,
            value,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{self, DateContext};
    use crate::model::Lang;

    fn check(input: &str, expect: &[(&str, &str)]) {
        let d = dates::find(input, Lang::De, &DateContext::default());
        let got: Vec<(String, String)> = find(input, &d, None)
            .into_iter()
            .map(|t| (t.span.slice(input).to_string(), t.value))
            .collect();
        let want: Vec<(String, String)> = expect
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want, "input: {input}");
    }

    #[test]
    fn narrative_moves_to_the_next_year() {
        let text = "Im Dezember 1941 kam der Winter. In den Schlachten des neuen Jahres fiel am 28. Mai Charkow.";
        let n = find_narrative(text, None);
        let got: Vec<(&str, String)> = n
            .dates
            .iter()
            .map(|d| {
                (
                    d.span.slice(text),
                    d.value.map(|v| v.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Dezember 1941", "1941-12".to_string()),
                ("28. Mai", "1942-05-28".to_string())
            ]
        );
        assert_eq!(n.year_after, Some(1942));
        assert!(
            n.timexes
                .iter()
                .any(|t| t.span.slice(text) == "neuen Jahres" && t.value == "1942"),
            "{:?}",
            n.timexes
        );
    }

    #[test]
    fn expressions() {
        check("Im Sommer 1940 kam es", &[("Sommer 1940", "1940-SU")]);
        check(
            "am 10. Mai 1940. Zwei Tage später fiel",
            &[("Zwei Tage später", "1940-05-12")],
        );
        check("Das ist heute so", &[("heute", "PRESENT_REF")]);
        check("im 20. Jahrhundert", &[("20. Jahrhundert", "19")]);
        check("um 490 v. Chr. begann", &[("490 v. Chr.", "BC0490")]);
        check("nach zwei Wochen", &[("zwei Wochen", "P2W")]);
        check(
            "am 26. August 1942 begann er und wurde nach zwei Tagen angehalten",
            &[("nach zwei Tagen", "1942-08-28")],
        );
        check(
            "im Mai 1861. Einen Monat später und ein Jahr später",
            &[
                ("Einen Monat später", "1861-06"),
                ("ein Jahr später", "1862"),
            ],
        );
        check(
            "bis zum Ende des Jahres 1939 und Weihnachten 1966, während des Frühjahres 1918",
            &[
                ("Ende des Jahres 1939", "1939"),
                ("Weihnachten 1966", "1966-12-25"),
                ("Frühjahres 1918", "1918-SP"),
            ],
        );
        check(
            "am frühen Morgen des 21. März 1918 begann",
            &[("frühen Morgen des 21. März 1918", "1918-03-21TMO")],
        );
        check(
            "am 9. November 1918. Am Nachmittag desselben Tages",
            &[("Nachmittag desselben Tages", "1918-11-09TAF")],
        );
        check(
            "am 1. September 1939 um 4:45 Uhr",
            &[("4:45 Uhr", "1939-09-01T04:45")],
        );
    }
}
