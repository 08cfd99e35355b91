//! Number parsing shared by the recognisers: digit groups in German and English notation and number
//! words ("zwölf", "twelve", "dreihundert", "two hundred and fifty").

/// Regex fragment for a figure written in digits: thousands groups separated by `.`, `,`, a space,
/// a no-break or thin space, and an optional decimal part.
pub(crate) const DIGITS: &str =
    r"(?:[0-9]{1,3}(?:[ \u{a0}\u{202f}][0-9]{3})+(?:[.,][0-9]+)?|[0-9]+(?:[.,][0-9]+)*)";

/// Regex fragment for a number word in either language (validated afterwards by [`parse_words`]).
pub(crate) const WORDS: &str = r"(?i:(?:anderthalb|einundhalb|dreiviertel|[a-zäöüß]{2}[a-zäöüß]*einhalb|[a-zäöüß]{2}[a-zäöüß]*(?:zehn|zig|ßig|hundert|tausend|eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun)|zwölf|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|eins|ein(?:e[nms]?)?|hundert|tausend|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|eleven|twelve|one|two|three|four|five|six|seven|eight|nine|ten|zero|nought|naught|half|a dozen|dozens)(?:\s+(?:hundred|thousand)(?:\s+and\s+[a-z]+)?)?)";

/// Parses a digit figure: `1.400`, `1,400`, `1 850` are 1400/1850; `3,1` and `46.5` are decimals.
/// A single separator followed by exactly three digits is a thousands separator (the common reading
/// in both languages for troop and vote figures).
pub fn parse_digits(s: &str) -> Option<f64> {
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let dots = cleaned.matches('.').count();
    let commas = cleaned.matches(',').count();
    let normal: String = if dots > 0 && commas > 0 {
        // The later separator is the decimal mark.
        let last_dot = cleaned.rfind('.').unwrap_or(0);
        let last_comma = cleaned.rfind(',').unwrap_or(0);
        if last_comma > last_dot {
            cleaned.replace('.', "").replace(',', ".")
        } else {
            cleaned.replace(',', "")
        }
    } else if dots + commas == 0 {
        cleaned
    } else {
        let sep = if dots > 0 { '.' } else { ',' };
        let count = dots + commas;
        let after = cleaned.rsplit(sep).next().unwrap_or("");
        if count > 1 || after.len() == 3 {
            cleaned.replace(sep, "")
        } else {
            cleaned.replace(sep, ".")
        }
    };
    if normal.len() > 18 {
        return None;
    }
    normal.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn de_unit(s: &str) -> Option<u64> {
    Some(match s {
        "ein" | "eins" | "eine" | "einen" | "einem" | "einer" => 1,
        "zwei" => 2,
        "drei" => 3,
        "vier" => 4,
        "fünf" => 5,
        "sechs" => 6,
        "sieben" => 7,
        "acht" => 8,
        "neun" => 9,
        _ => return None,
    })
}

fn de_below_100(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    if let Some(u) = de_unit(s) {
        return Some(u);
    }
    let teens = [
        ("zehn", 10),
        ("elf", 11),
        ("zwölf", 12),
        ("dreizehn", 13),
        ("vierzehn", 14),
        ("fünfzehn", 15),
        ("sechzehn", 16),
        ("siebzehn", 17),
        ("achtzehn", 18),
        ("neunzehn", 19),
        ("zwanzig", 20),
        ("dreißig", 30),
        ("vierzig", 40),
        ("fünfzig", 50),
        ("sechzig", 60),
        ("siebzig", 70),
        ("achtzig", 80),
        ("neunzig", 90),
    ];
    for (w, v) in teens {
        if s == w {
            return Some(v);
        }
    }
    // "fünfundzwanzig" = unit + "und" + tens.
    let (unit, tens) = s.split_once("und")?;
    let u = de_unit(unit)?;
    let t = de_below_100(tens)?;
    (t >= 20 && t % 10 == 0).then_some(t + u)
}

fn de_below_1000(s: &str) -> Option<u64> {
    match s.split_once("hundert") {
        Some((h, rest)) => {
            let hv = if h.is_empty() { 1 } else { de_unit(h)? };
            let rest = rest.strip_prefix("und").unwrap_or(rest);
            let rv = if rest.is_empty() {
                0
            } else {
                de_below_100(rest)?
            };
            Some(hv * 100 + rv)
        }
        None => de_below_100(s),
    }
}

fn de_words(s: &str) -> Option<u64> {
    match s.split_once("tausend") {
        Some((t, rest)) => {
            let tv = if t.is_empty() { 1 } else { de_below_1000(t)? };
            let rv = if rest.is_empty() {
                0
            } else {
                de_below_1000(rest)?
            };
            Some(tv * 1000 + rv)
        }
        None => de_below_1000(s),
    }
}

fn en_word(s: &str) -> Option<u64> {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = SMALL.iter().position(|w| *w == s) {
        return Some(i as u64);
    }
    if let Some(i) = TENS.iter().position(|w| *w == s) {
        return Some(20 + 10 * i as u64);
    }
    if let Some((t, u)) = s.split_once('-') {
        let tv = en_word(t)?;
        let uv = en_word(u)?;
        return (tv >= 20 && tv % 10 == 0 && (1..10).contains(&uv)).then_some(tv + uv);
    }
    None
}

fn en_words(s: &str) -> Option<u64> {
    if s == "a dozen" {
        return Some(12);
    }
    let mut total = 0u64;
    let mut current = 0u64;
    let mut seen = false;
    for tok in s.split_whitespace() {
        match tok {
            "and" => continue,
            "hundred" => current = current.max(1) * 100,
            "thousand" => {
                total += current.max(1) * 1000;
                current = 0;
            }
            w => current += en_word(w)?,
        }
        seen = true;
    }
    seen.then_some(total + current)
}

/// Fractions written as words: "anderthalb" (1.5), "zweieinhalb" (2.5), "dreiviertel", "half".
fn parse_fraction_words(s: &str) -> Option<f64> {
    let l = s.to_lowercase();
    match l.as_str() {
        "anderthalb" | "einundhalb" => Some(1.5),
        "dreiviertel" => Some(0.75),
        "half" => Some(0.5),
        _ => {
            let whole = l.strip_suffix("einhalb")?;
            de_words(whole).map(|w| w as f64 + 0.5)
        }
    }
}

/// Parses a number word or phrase in German or English; `None` when it is not one.
pub fn parse_words(s: &str) -> Option<u64> {
    let lower = s.to_lowercase();
    if lower.contains("ue") {
        // "fuenf" is "fünf" written without umlauts.
        if let Some(v) = parse_words(&lower.replace("ue", "ü")) {
            return Some(v);
        }
    }
    let lower = lower.trim();
    if lower == "nought" || lower == "naught" || lower == "null" {
        return Some(0);
    }
    if lower.contains(' ') || lower.contains('-') {
        return en_words(lower);
    }
    if let Some(v) = en_words(lower).filter(|_| lower.is_ascii()) {
        return Some(v);
    }
    de_words(lower)
}

/// A number found in running text.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMention {
    /// Bytes of the number.
    pub span: crate::model::Span,
    /// Its value.
    pub value: f64,
}

static NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    crate::text::build_regex(&format!("{DIGITS}|{WORDS}|(?i:null)"))
        .expect("number pattern compiles")
});

/// The pieces of a digit figure that is a list rather than one number: "22,24,26,31" and
/// "192.168.1.2" repeat one separator without three-digit groups after it, which neither thousands
/// grouping nor a decimal part allows. Returns the byte ranges of the pieces within `s`, or `None`
/// when `s` is one number.
fn list_pieces(s: &str) -> Option<Vec<(usize, usize)>> {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    for sep in [b'.', b','] {
        if b.iter().filter(|&&c| c == sep).count() < 2 {
            continue;
        }
        let mut pieces = Vec::new();
        let mut start = 0;
        for (i, &c) in b.iter().enumerate() {
            if c == sep {
                pieces.push((start, i));
                start = i + 1;
            }
        }
        pieces.push((start, b.len()));
        let grouped = pieces[1..]
            .iter()
            .all(|&(a, z)| z - a == 3 && b[a..z].iter().all(u8::is_ascii_digit));
        let pure = pieces
            .iter()
            .all(|&(a, z)| z > a && b[a..z].iter().all(u8::is_ascii_digit));
        return (!grouped && pure).then_some(pieces);
    }
    None
}

/// Finds the numbers (digits in German or English notation, number words) in `text`.
pub fn find(text: &str) -> Vec<NumberMention> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(m) = NUMBER.find_at(text, pos) {
        pos = m.end().max(m.start() + 1);
        if crate::text::is_letter_before(text, m.start()) {
            continue;
        }
        if crate::text::is_word_char_at(text, m.end()) {
            // "423 0000": space grouping needs groups of three, so the figure ends before the
            // space and the next one starts after it.
            let digits = m.as_str().starts_with(|c: char| c.is_ascii_digit());
            if let Some(sp) = m.as_str().find([' ', '\u{a0}', '\u{202f}'])
                && digits
            {
                pos = m.start() + sp;
                push_number(text, m.start(), pos, &mut out);
            }
            continue;
        }
        if let Some(pieces) = list_pieces(m.as_str()) {
            for (a, z) in pieces {
                push_number(text, m.start() + a, m.start() + z, &mut out);
            }
            continue;
        }
        push_number(text, m.start(), m.end(), &mut out);
    }
    out
}

/// Reads the figure at `start..end` of `text` (a minus sign before it included) into `out`.
fn push_number(text: &str, start: usize, end: usize, out: &mut Vec<NumberMention>) {
    let Some(mut value) = parse_figure(&text[start..end]) else {
        return;
    };
    let mut start = start;
    // A minus sign belongs to the number when it does not join two words ("-9", not "A-9").
    if text[..start].ends_with('-') {
        let before = text[..start - 1].chars().next_back();
        if !before.is_some_and(char::is_alphanumeric) {
            start -= 1;
            value = -value;
        }
    }
    out.push(NumberMention {
        span: crate::model::Span::new(start, end),
        value,
    });
}

/// Parses a figure in digits or words.
pub fn parse_figure(s: &str) -> Option<f64> {
    if s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        parse_digits(s)
    } else {
        parse_words(s)
            .map(|v| v as f64)
            .or_else(|| parse_fraction_words(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits() {
        assert_eq!(parse_digits("1.400"), Some(1400.0));
        assert_eq!(parse_digits("1,400"), Some(1400.0));
        assert_eq!(parse_digits("1 850"), Some(1850.0));
        assert_eq!(parse_digits("3,1"), Some(3.1));
        assert_eq!(parse_digits("46.5"), Some(46.5));
        assert_eq!(parse_digits("1.400,5"), Some(1400.5));
        assert_eq!(parse_digits("12,000,000"), Some(12_000_000.0));
    }

    #[test]
    fn words() {
        assert_eq!(parse_words("zwölf"), Some(12));
        assert_eq!(parse_words("vier"), Some(4));
        assert_eq!(parse_words("Neun"), Some(9));
        assert_eq!(parse_words("fünfundzwanzig"), Some(25));
        assert_eq!(parse_words("dreihundertzwanzig"), Some(320));
        assert_eq!(parse_words("zweitausend"), Some(2000));
        assert_eq!(parse_words("twelve"), Some(12));
        assert_eq!(parse_words("twenty-five"), Some(25));
        assert_eq!(parse_words("two hundred and fifty"), Some(250));
        assert_eq!(parse_words("Verhandlung"), None);
        assert_eq!(parse_words("keine"), None);
        assert_eq!(parse_words("einhunderteinunddreißig"), Some(131));
        assert_eq!(parse_words("eintausendeinhundertfünfzig"), Some(1150));
        assert_eq!(parse_words("sixteen"), Some(16));
        assert_eq!(parse_words("zweihundertsechsundfuenfzig"), Some(256));
        assert_eq!(parse_figure("zweieinhalb"), Some(2.5));
        assert_eq!(parse_words("null"), Some(0));
    }

    fn spans(text: &str) -> Vec<(&str, f64)> {
        find(text)
            .into_iter()
            .map(|n| (n.span.slice(text), n.value))
            .collect()
    }

    #[test]
    fn found_in_text() {
        assert_eq!(
            spans("von null bis 1.400,5 und -9"),
            [("null", 0.0), ("1.400,5", 1400.5), ("-9", -9.0)]
        );
        // A space groups only three digits: two figures.
        assert_eq!(spans("423 0000 Stück"), [("423", 423.0), ("0000", 0.0)]);
        assert_eq!(spans("1 850 Soldaten"), [("1 850", 1850.0)]);
        // One separator repeated without three-digit groups: a list, not one number.
        assert_eq!(
            spans("nrs. 22,24,26,31."),
            [("22", 22.0), ("24", 24.0), ("26", 26.0), ("31", 31.0)]
        );
        assert_eq!(
            spans("192.168.1.2"),
            [("192", 192.0), ("168", 168.0), ("1", 1.0), ("2", 2.0)]
        );
        assert_eq!(spans("12,000,000 USD"), [("12,000,000", 12_000_000.0)]);
    }
}
