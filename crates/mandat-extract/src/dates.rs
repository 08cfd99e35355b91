//! Dates in running text, German and English: "21. Mai 2025", "21 May 2025", "13.05.2020",
//! "February 5, 2024", "Ende März 2023" (last day), "im Mai 2024" (month precision), bare years, and
//! range ends ("bis zum 30. Juni 2026"), other orders with a month name ("2020/23/Sep"), English
//! years in words ("13 Sept nineteen seventy two") and distances from a day ("3 days after January
//! 12th"). A day or month without a year takes the year of a date it is coordinated with ("6. Mai
//! und 20. Mai 2012"), else the reference date (dateline), else the last year the narrative stated
//! ([`moves_narrative`]).

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

const WEEKDAY: &str = r"(?:(?i:this|coming)\s+)?(?:Mo|Di|Mi|Do|Fr|Sa|So|(?i:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun))\.?(?:,?\s+(?:(?i:den|the)\s+)?|\s*-\s*|\s*\(\s*)";

/// A year written in English words: "nineteen seventy two", "nineteen zero one", "seventeen hundred
/// thirty three" (read by [`year_words`]).
const YEAR_WORDS: &str = r"(?i:(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)\s+(?:hundred(?:\s+and)?\s+)?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:zero|oh)\s+(?:one|two|three|four|five|six|seven|eight|nine)))";

/// "3 days after", "2 weeks before", "drei Tage nach dem": a distance from the date that follows.
const OFFSET: &str = r"(?P<offn>[0-9]{1,2})\s+(?P<offu>(?i:days?|weeks?|months?|years?)|Tagen?|Wochen?|Monaten?|Monate|Jahren?|Jahre)\s+(?P<offd>after|before|from|After|Before|From|nach|vor)\s+(?:dem\s+)?";

/// The forms of a date, in priority order; the recogniser's pattern is an optional weekday followed
/// by their alternation.
static FORMS: LazyLock<[String; 13]> = LazyLock::new(|| {
    let q = r"(?P<q>(?i:anfang|mitte|ende|beginn|early|mid-|mid|late|the end of|end of|the beginning of|beginning of|the middle of|middle of)\s+)?";
    [
        format!(r"(?P<iy>{YEAR})-(?P<im>[01][0-9])-(?P<id>[0-3][0-9])"),
        format!(r"(?P<nd>[0-3]?[0-9])\.(?P<nm>[01]?[0-9])\.(?P<ny>{YEAR})"),
        format!(r"{q}(?P<ym>{MON})\.?,?\s+(?P<yy>{YEAR})"),
        format!(
            r"(?P<dd>[0-3]?[0-9])(?:\.|st|nd|rd|th)?\s*(?:of\s+)?(?P<dm>{MON})\.?(?:(?:\s*,\s*|\s+(?:of|in)\s+|\s*)(?P<dy>{YEAR}|{YEAR_WORDS}))?"
        ),
        format!(
            r"(?P<md>{MON})\.?,?\s+(?P<mdd>[0-3]?[0-9])(?:st|nd|rd|th)?(?:(?:\s*,\s*|\s+(?:of|in)\s+|\s+)(?P<mdy>{YEAR}|{YEAR_WORDS}))?"
        ),
        format!(r"(?P<sy>{YEAR})[-/](?P<sm>{MON})[-/](?P<sd>[0-3]?[0-9])"),
        // Day, month name and year in the other orders ("September-2020-23", "2020/23/Sep",
        // "23-2020-September"): the month name and the four-digit year tell the parts apart.
        format!(r"(?P<sm4>{MON})[-/](?P<sy4>{YEAR})[-/](?P<sd4>[0-3]?[0-9])"),
        format!(r"(?P<sy5>{YEAR})[-/](?P<sd5>[0-3]?[0-9])[-/](?P<sm5>{MON})"),
        format!(r"(?P<sd6>[0-3]?[0-9])[-/](?P<sy6>{YEAR})[-/](?P<sm6>{MON})"),
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
    let pattern = format!(
        r"(?P<wd>{WEEKDAY})?(?P<off>{OFFSET})?(?:{})",
        FORMS.join("|")
    );
    crate::text::build_regex(&pattern).expect("date pattern compiles")
});

/// Each form anchored, first with a weekday and then without: the first of these that matches a
/// date found by [`RE`] is the alternative `RE` took (the weekday is preferred, then the forms in
/// order, and no weekday word can also begin a form), so its groups are `RE`'s groups. Resolving
/// groups on these small patterns instead of the whole alternation keeps the capture step cheap.
/// A date with a distance before it ("3 days after ...") matches none of them whole; those are rare
/// and read on the whole pattern.
static FORM_PATTERNS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let with_weekday = FORMS.iter().map(|f| format!(r"^(?P<wd>{WEEKDAY})(?:{f})"));
    let bare = FORMS.iter().map(|f| format!(r"^(?:{f})"));
    with_weekday.chain(bare).collect()
});
static FORM_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    FORM_PATTERNS
        .iter()
        .map(|p| crate::text::build_regex(p).expect("date form pattern compiles"))
        .collect()
});
/// The first form of [`FORM_RES`] that matches `slice`. A weekday never begins with a digit, so a
/// date that does skips the forms with a weekday.
fn form_of(slice: &str) -> Option<&'static Regex> {
    let skip = if slice.starts_with(|c: char| c.is_ascii_digit()) {
        FORMS.len()
    } else {
        0
    };
    FORM_RES.iter().skip(skip).find(|re| re.is_match(slice))
}

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
    /// The distance written before the day ("3 days after").
    offset: Option<Offset>,
}

/// A distance from a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offset {
    Days(i64),
    Months(i64),
    Years(i64),
}

impl Offset {
    fn negate(self) -> Self {
        match self {
            Offset::Days(k) => Offset::Days(-k),
            Offset::Months(k) => Offset::Months(-k),
            Offset::Years(k) => Offset::Years(-k),
        }
    }

    /// The day this distance from `value`, which must be a day.
    fn apply(self, value: DateValue) -> Result<DateValue, Unresolved> {
        use jiff::ToSpan;
        let DateValue::Day(d) = value else {
            return Ok(value);
        };
        match self {
            Offset::Days(k) => d.checked_add(k.days()),
            Offset::Months(k) => d.checked_add(k.months()),
            Offset::Years(k) => d.checked_add(k.years()),
        }
        .map(DateValue::Day)
        .map_err(|_| Unresolved::Impossible)
    }
}

/// Reads a year written in English words ("nineteen seventy two" is 1972, "nineteen zero one" 1901,
/// "seventeen hundred thirty three" 1733).
fn year_words(s: &str) -> Option<i16> {
    let lower = s.to_lowercase();
    let mut words = lower.split_whitespace();
    let century = crate::num::parse_words(words.next()?)?;
    let rest: Vec<&str> = words
        .filter(|w| !matches!(*w, "hundred" | "and"))
        .map(|w| if w == "oh" { "zero" } else { w })
        .collect();
    let tail = crate::num::parse_words(&rest.join(" "))?;
    if !(11..=20).contains(&century) || tail > 99 {
        return None;
    }
    i16::try_from(century * 100 + tail).ok()
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
    let mut pos = 0;
    while let Some(m) = RE.find_at(text, pos) {
        pos = m.end().max(m.start() + 1);
        let mut start = m.start();
        let mut end = m.end();
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
                // The date may begin after the amount ("$12 December 27").
                let digits = text[start..].bytes().take_while(u8::is_ascii_digit).count();
                pos = start + digits;
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
        let Some(c) = form_of(slice)
            .and_then(|re| re.captures(slice))
            .filter(|c| c.get(0).is_some_and(|g| g.end() == slice.len()))
            .or_else(|| RE.captures(slice))
        else {
            continue;
        };
        let num = |name: &str| {
            c.name(name).and_then(|g| {
                let t = g.as_str();
                t.parse::<i16>().ok().or_else(|| year_words(t))
            })
        };
        // A weekday or a distance ("3 days after") belongs to the date only when it has a day;
        // otherwise the date starts after them. A weekday that opens a parenthesis ("friday
        // (jun-15)") takes the closing one too.
        let (wd, off) = (c.name("wd"), c.name("off"));
        let day_bearing = (wd.is_some() || off.is_some())
            && [
                "id", "nd", "dd", "mdd", "sd", "sd2", "sd3", "sd4", "sd5", "sd6",
            ]
            .iter()
            .any(|g| c.name(g).is_some());
        if !day_bearing {
            start = m.start() + off.or(wd).map_or(0, |g| g.end());
        } else if let Some(w) = wd.filter(|w| w.as_str().contains('(')) {
            if text[end..].starts_with(')') {
                end += 1;
            } else {
                start = m.start() + off.map_or(w.end(), |o| o.start());
            }
        }
        let offset = off.filter(|_| day_bearing).and_then(|_| {
            let k = c.name("offn")?.as_str().parse::<i64>().ok()?;
            let back = matches!(c.name("offd")?.as_str(), "before" | "Before" | "vor");
            let off = match c.name("offu")?.as_str().as_bytes().first()? {
                b'd' | b'D' | b'T' => Offset::Days(k),
                b'w' | b'W' => Offset::Days(7 * k),
                b'm' | b'M' => Offset::Months(k),
                _ => Offset::Years(k),
            };
            Some(if back { off.negate() } else { off })
        });
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
            ("sm4", "sd4", "sy4"),
            ("sm5", "sd5", "sy5"),
            ("sm6", "sd6", "sy6"),
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
            offset,
        });
    }
    raw
}

/// Whether a date sets the narrative year for the dates without a year that follow: a year stated
/// in full does, unless it is the end of a period ("bis zum 9. Januar 1916" looks ahead; the story
/// stays where it was) or an aside in parentheses ("(ab 1929 Jugoslawien)").
pub fn moves_narrative(text: &str, date: &DateMention) -> bool {
    if !date.explicit_year || date.value.is_err() || date.role == DateRole::Until {
        return false;
    }
    let before = window_before(text, date.span.start, 96);
    let open = before.rfind('(');
    open.is_none_or(|o| before[o..].find(')').is_some())
}

/// Resolves the years of scanned dates: a coordinated later date, then the dateline, then the
/// narrative.
pub(crate) fn resolve(text: &str, raw: &[RawDate], ctx: &DateContext) -> Vec<DateMention> {
    resolve_with_shifts(text, raw, ctx, &[])
}

/// [`resolve`], with the narrative year moved by `shifts` (byte offset, years, sorted by offset)
/// where the text says so ("im folgenden Jahr": +1).
pub(crate) fn resolve_with_shifts(
    text: &str,
    raw: &[RawDate],
    ctx: &DateContext,
    shifts: &[(usize, i16)],
) -> Vec<DateMention> {
    let mut out: Vec<DateMention> = Vec::with_capacity(raw.len());
    let mut narrative_year: Option<i16> = ctx.narrative_year;
    let mut shifts = shifts.iter().peekable();
    for i in 0..raw.len() {
        let RawDate {
            span,
            ref entry,
            offset,
        } = raw[i];
        while let Some(&&(at, by)) = shifts.peek() {
            if at > span.start {
                break;
            }
            narrative_year = narrative_year.map(|y| y + by);
            shifts.next();
        }
        let explicit = matches!(entry, Raw::Full(_));
        let coordinated_year = || {
            let RawDate {
                span: next_span,
                entry: next,
                ..
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
        let window = window_before(text, span.start, 32);
        let role = if UNTIL.is_match(window) {
            DateRole::Until
        } else if FROM.is_match(window) {
            DateRole::From
        } else {
            DateRole::Plain
        };
        let value = match offset {
            Some(off) => value.and_then(|v| off.apply(v)),
            None => value,
        };
        let mention = DateMention {
            span,
            value,
            role,
            explicit_year: explicit,
        };
        if moves_narrative(text, &mention) {
            narrative_year = mention.value.ok().map(|v| v.year());
        }
        out.push(mention);
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
            let form = form_of(slice).and_then(|re| re.captures(slice));
            assert_eq!(spans(form), spans(RE.captures(slice)), "match {slice:?}");
            n += 1;
        }
        assert!(n >= 15, "only {n} matches");
    }

    #[test]
    fn other_orders_of_day_month_and_year() {
        check(
            "back September-2020-23.",
            None,
            &[("September-2020-23", "2020-09-23")],
        );
        check("am 2020/23/Sep.", None, &[("2020/23/Sep", "2020-09-23")]);
        check(
            "am 23-2020-September",
            None,
            &[("23-2020-September", "2020-09-23")],
        );
    }

    #[test]
    fn years_in_english_words() {
        check(
            "on September 10, nineteen zero one",
            None,
            &[("September 10, nineteen zero one", "1901-09-10")],
        );
        check(
            "arrived 13 Sept nineteen seventy two",
            None,
            &[("13 Sept nineteen seventy two", "1972-09-13")],
        );
        check(
            "on 6 April seventeen hundred thirty three",
            None,
            &[("6 April seventeen hundred thirty three", "1733-04-06")],
        );
        // Not a year: the words stay outside the date.
        check("on 6 April nine men", None, &[("6 April", "?")]);
    }

    #[test]
    fn weekday_before_a_date() {
        check(
            "sometime this friday (jun-15) with Jim",
            Some("2018-06-01"),
            &[("this friday (jun-15)", "2018-06-15")],
        );
        check(
            "sometime this Friday-Jun-15 with Jim",
            Some("2018-06-01"),
            &[("this Friday-Jun-15", "2018-06-15")],
        );
        // Without the closing parenthesis the weekday stays outside.
        check(
            "friday (jun-15 with",
            Some("2018-06-01"),
            &[("jun-15", "2018-06-15")],
        );
    }

    #[test]
    fn amounts_before_dates() {
        check(
            "I bought it for $12 December 27",
            Some("2016-11-01"),
            &[("December 27", "2016-12-27")],
        );
        check(
            "for $ 12 December 27",
            Some("2016-11-01"),
            &[("December 27", "2016-12-27")],
        );
    }

    #[test]
    fn distances_from_a_day() {
        check(
            "It will happen 3 days after January 12th.",
            Some("2017-01-01"),
            &[("3 days after January 12th", "2017-01-15")],
        );
        check(
            "It happened 2 weeks before May 13 1999.",
            None,
            &[("2 weeks before May 13 1999", "1999-04-29")],
        );
        check(
            "endet 3 Monate nach dem 30. Juni 2026",
            None,
            &[("3 Monate nach dem 30. Juni 2026", "2026-09-30")],
        );
        // Only a day can be counted from: the distance stays outside a month.
        check("2 weeks after May 2020", None, &[("May 2020", "2020-05")]);
    }

    #[test]
    fn narrative_year_skips_period_ends_and_asides() {
        check(
            "Am 25. April 1915 begann sie; sie dauerte bis zum 9. Januar 1916. Am 7. Mai geschah",
            None,
            &[
                ("25. April 1915", "1915-04-25"),
                ("9. Januar 1916", "1916-01-09"),
                ("7. Mai", "1915-05-07"),
            ],
        );
        check(
            "im Oktober 1918 (ab 1929 Jugoslawien) und am 30. Oktober",
            None,
            &[
                ("Oktober 1918", "1918-10"),
                ("1929", "1929"),
                ("30. Oktober", "1918-10-30"),
            ],
        );
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
