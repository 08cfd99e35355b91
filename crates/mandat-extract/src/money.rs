//! Amounts of money in euros: "rund 3,1 Millionen Euro", "EUR 46.5 million", "€56 million",
//! "400.000 Euro". Other currencies are not amounts of the mandate and are not reported.

use std::sync::LazyLock;

use regex::Regex;

use crate::keywords::Keywords;
use crate::model::{Lang, Modifier, Span};
use crate::num::DIGITS;
use crate::text::{is_letter_before, is_word_char_at};

/// An amount in euros.
#[derive(Debug, Clone, PartialEq)]
pub struct MoneyMention {
    /// Bytes of the phrase.
    pub span: Span,
    /// Euros.
    pub value: f64,
    /// Qualifier.
    pub modifier: Modifier,
}

const MODIFIER: &str = r"(?i:rund|etwa|ca\.|circa|ungefähr|knapp|gut|insgesamt|about|around|some|roughly|approximately|nearly|almost|mehr als|über|more than|over|bis zu|up to|weniger als|less than)";
const MULT: &str = r"(?:Millionen|Million|Mio\.?|Milliarden|Milliarde|Mrd\.?|million|billion|bn|m)";

static RE: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?:(?P<mod>{MODIFIER})\s+)?(?:(?:€|EUR|Euro)\s?(?P<n1>{DIGITS})(?:\s*(?P<m1>{MULT}))?|(?P<n2>{DIGITS})\s*(?:(?P<m2>{MULT})\.?\s+)?(?:Euros?|euros?|EUR|€))"
    );
    crate::text::build_regex(&pattern).expect("money pattern compiles")
});

/// Parses a figure, reading the separator by the language of the multiplier word.
fn parse_amount(num: &str, mult: Option<&str>) -> Option<f64> {
    let german_mult = mult.is_some_and(|m| {
        m.starts_with(['M', 'm'])
            && (m.starts_with("Mi") && m.contains("onen")
                || m.starts_with("Mio")
                || m.starts_with("Mrd")
                || m.starts_with("Milliard"))
    });
    let base = if german_mult && num.matches(',').count() == 1 && !num.contains('.') {
        // "1,203 Milliarden" is a decimal comma in German, not a thousands separator.
        num.replace(',', ".").parse::<f64>().ok()?
    } else if mult.is_some() && num.matches('.').count() == 1 && !num.contains(',') && !german_mult
    {
        num.parse::<f64>().ok()?
    } else {
        crate::num::parse_digits(num)?
    };
    let factor = match mult.map(|m| m.trim_end_matches('.')) {
        None => 1.0,
        Some("Milliarden" | "Milliarde" | "Mrd" | "billion" | "bn") => 1e9,
        Some(_) => 1e6,
    };
    Some(base * factor)
}

/// Finds the euro amounts in `text`.
pub fn find(text: &str, lang: Lang) -> Vec<MoneyMention> {
    find_with(text, lang, Keywords::scan(text))
}

/// Finds the euro amounts in `text` whose [`Keywords`] are `keywords`: every amount names the
/// currency ("€", "EUR", "Euro", "euro"), so a text without [`Keywords::MONEY`] is not scanned.
pub fn find_with(text: &str, _lang: Lang, keywords: Keywords) -> Vec<MoneyMention> {
    let mut out = Vec::new();
    if !keywords.contains(Keywords::MONEY) {
        return out;
    }
    for c in RE.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        if is_letter_before(text, m.start()) || is_word_char_at(text, m.end()) {
            continue;
        }
        let (num, mult) = match (c.name("n1"), c.name("n2")) {
            (Some(n), _) => (n.as_str(), c.name("m1").map(|x| x.as_str())),
            (None, Some(n)) => (n.as_str(), c.name("m2").map(|x| x.as_str())),
            (None, None) => continue,
        };
        let Some(value) = parse_amount(num, mult) else {
            continue;
        };
        let modifier = match c.name("mod").map(|x| x.as_str().to_lowercase()) {
            None => Modifier::Exact,
            Some(x) if x == "bis zu" || x == "up to" => Modifier::UpTo,
            Some(x) if x == "mehr als" || x == "über" || x == "more than" || x == "over" => {
                Modifier::MoreThan
            }
            Some(x) if x == "weniger als" || x == "less than" => Modifier::LessThan,
            Some(x) if x == "insgesamt" => Modifier::Exact,
            Some(_) => Modifier::Approx,
        };
        out.push(MoneyMention {
            span: Span::new(m.start(), m.end()),
            value,
            modifier,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &[(&str, f64)]) {
        let got: Vec<(String, f64)> = find(input, Lang::De)
            .iter()
            .map(|p| (p.span.slice(input).to_string(), p.value))
            .collect();
        let want: Vec<(String, f64)> = expect.iter().map(|(a, b)| (a.to_string(), *b)).collect();
        assert_eq!(got, want, "input: {input}");
    }

    #[test]
    fn amounts() {
        check(
            "Kosten von rund 3,1 Millionen Euro",
            &[("rund 3,1 Millionen Euro", 3_100_000.0)],
        );
        check("EUR 46.5 million", &[("EUR 46.5 million", 46_500_000.0)]);
        check(
            "about €56 million ($60.6 million)",
            &[("about €56 million", 56_000_000.0)],
        );
        check("rund 400.000 Euro", &[("rund 400.000 Euro", 400_000.0)]);
        check(
            "aus den 1,203 Milliarden Euro",
            &[("1,203 Milliarden Euro", 1_203_000_000.0)],
        );
        check("56 Millionen Euro", &[("56 Millionen Euro", 56_000_000.0)]);
        check("$60 million", &[]);
        check(
            "an estimated 45 million euros ($64 million)",
            &[("45 million euros", 45_000_000.0)],
        );
    }
}
