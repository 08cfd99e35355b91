//! Temporal expressions beyond calendar dates, in German running text: seasons ("Sommer 1940"),
//! parts of the year ("Ende des Jahres"), centuries and decades, relative dates ("zwei Tage
//! später"), references ("heute", "bald"), times ("4:45 Uhr", "Nacht vom 16."), durations ("zwei
//! Wochen") and sets ("täglich"). Values follow TIMEX2 (`1940-SU`, `PRESENT_REF`, `P2W`, `BC0490`);
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
        r"(?P<bc>[0-9]{{1,4}})\s+v\.\s*Chr\.|(?P<cent>[0-9]{{1,2}})\.\s+Jahrhunderts?|(?P<dec>1[0-9]|20)(?P<decd>[0-9])0er(?:-Jahren|-Jahre|\s+Jahren|\s+Jahre)?|(?P<season>(?:Spät|Früh)(?:sommer|herbst|winter|jahr)|Sommer|Herbst|Winter|Frühjahr|Frühling)s?(?:\s+(?P<sy>(?:1[0-9]|20)[0-9]{{2}}))?|(?P<ypart>(?:Ende|Beginn|Anfang|Mitte|Laufe|Verlauf|ende|beginn|anfang|mitte|laufe)\s+des\s+(?:(?:selben|gleichen|folgenden)\s+)?Jahres|Jahresende|Jahresbeginn|Jahresanfang|Jahresmitte)|(?P<yrel>(?:dieses|diesen|diesem|neuen|nächsten|folgenden|kommenden)\s+Jahr(?:es)?|Vorjahr(?:es)?)|(?P<rn>[0-9]+|{WORDS}|{vague})\s+(?P<ru>Tagen|Tage|Tag|Wochen|Woche|Monaten|Monate|Monat|Jahren|Jahre|Jahr)\s+(?P<rd>später|danach|darauf|zuvor|vorher)|(?P<ref>(?:[Ww]enig|[Kk]urz|[Kk]urze\s+Zeit)\s+(?:später|danach|darauf|zuvor)|[Hh]eute|[Hh]eutigen|[Hh]eutiger|[Hh]eutiges|[Hh]eutige|[Jj]etzt|[Gg]egenwärtig|[Bb]ald|[Ss]päter|[Kk]ürzlich|[Zz]ukünftig|[Ii]n\s+Zukunft|[Bb]innen\s+kurzem|Folgezeit)|(?P<time>[0-2]?[0-9]:[0-5][0-9](?:\s*Uhr)?|[0-2]?[0-9]\.[0-5][0-9]\s*Uhr|[0-2]?[0-9]\s+Uhr(?:\s+[0-5][0-9])?)|(?P<part>(?:frühen\s+)?(?:Morgengrauen|Morgenstunden|Morgen|Vormittag|Mittag|Nachmittag|Abendstunden|Abend|Nacht|Mitternacht))(?:\s+vom\s+(?P<pday>[0-3]?[0-9])\.)?|(?P<dmod>(?:[Mm]ehr\s+als|[Ww]eniger\s+als|knapp|rund|etwa|über)\s+)?(?P<dn>[0-9]+|{WORDS}|{vague})\s+(?P<du>Tagen|Tage|Tag|Wochen|Woche|Monaten|Monate|Monat|Jahren|Jahre|Jahr|Stunden|Stunde|Minuten|Nächte)|(?P<set>täglich|pro\s+Tag)|(?P<mon>Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
    );
    crate::text::build_regex(&pattern).expect("timex pattern compiles")
});

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

/// Finds temporal expressions; `dates` are the calendar dates of the same text (sorted), which
/// anchor relative values, and `year` is the narrative year before the text starts. Expressions that
/// overlap a calendar date without containing it are left to the date.
pub fn find(text: &str, dates: &[DateMention], mut year: Option<i16>) -> Vec<TimexMention> {
    let mut out = Vec::new();
    let mut day: Option<jiff::civil::Date> = None;
    let mut di = 0;
    for c in RE.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        while di < dates.len() && dates[di].span.start < m.start() {
            match dates[di].value {
                Ok(DateValue::Day(d)) => {
                    day = Some(d);
                    year = Some(d.year());
                }
                Ok(DateValue::Month { year: y, .. } | DateValue::Year(y)) => year = Some(y),
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
            (TimexKind::Date, y(0))
        } else if let Some(r) = c.name("yrel") {
            let l = r.as_str().to_lowercase();
            let off = if l.starts_with("vorjahr") {
                -1
            } else if l.starts_with("nächst")
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
            match (amount(n.as_str()), day) {
                (Some(k), Some(anchor)) => {
                    let k = if back { -k } else { k };
                    let shifted = match unit_code(u.as_str()) {
                        "D" => anchor.checked_add(k.days()),
                        "W" => anchor.checked_add((7 * k).days()),
                        "M" => anchor.checked_add(k.months()),
                        _ => anchor.checked_add(k.years()),
                    };
                    match shifted {
                        Ok(v) => (TimexKind::Date, v.to_string()),
                        Err(_) => continue,
                    }
                }
                _ => (
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
            let base = match (
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
            span: Span::new(m.start(), m.end()),
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
            "am 1. September 1939 um 4:45 Uhr",
            &[("4:45 Uhr", "1939-09-01T04:45")],
        );
    }
}
