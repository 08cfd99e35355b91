//! Personnel figures: "bis zu 400 deutsche Soldatinnen und Soldaten", "up to 400 German soldiers",
//! "rund 35", "an additional 150 ... soldiers", "the 90 already deployed", "1.400"/"1,400", number
//! words ("zwölf", "twelve"), and ceilings stated as such ("Obergrenze von 400", "ceiling of 1,400").

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Lang, Modifier, Span};
use crate::num::{self, DIGITS, WORDS};
use crate::text::{is_letter_before, is_word_char_at};

/// A figure of soldiers.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonnelMention {
    /// Bytes of the phrase (modifier, figure and unit).
    pub span: Span,
    /// The figure.
    pub value: u64,
    /// Its qualifier.
    pub modifier: Modifier,
    /// Whether the phrase itself says the soldiers are German ("deutsche", "German", "Bundeswehr").
    pub german: bool,
    /// Whether the phrase says they are already deployed ("already deployed", "im Einsatz").
    pub deployed: bool,
    /// Whether the figure was stated as a ceiling ("Obergrenze", "ceiling").
    pub ceiling_word: bool,
    /// Whether the figure is the new value of a change ("von 1.400 auf 800 Soldaten").
    pub change: bool,
}

const MODIFIER: &str = r"(?i:insgesamt bis zu|bis zu|up to|as many as|a maximum of|maximal|höchstens|maximum of|rund|etwa|ca\.|circa|ungefähr|knapp|gut|around|about|some|roughly|approximately|nearly|almost|mehr als|über|more than|over|weniger als|less than|fewer than|weitere|weiteren|zusätzliche|zusätzlichen|zusätzlich|an additional|additional|another|further)";
const FILLER: &str = r"(?i:deutsche|deutschen|german|weitere|weiteren|zusätzliche|zusätzlichen|additional|more|extra|bewaffnete|bewaffneten|armed|bundeswehr|nato|further|new|of its|of the|its|eigene|eigenen|naval|navy|marine|combat|kampf)";
const UNIT: &str = r"(?i:soldatinnen\s+und\s+soldaten|angehörige der bundeswehr|männer und frauen|streitkräfte|soldatinnen|soldaten|bundeswehrsoldatinnen und -soldaten|bundeswehrsoldaten|bundeswehr-soldaten|einsatzkräfte|marinesoldaten|militärbeobachter|militärberater|stabsoffiziere|offiziere|ausbilder|kräfte|mann|soldiers|troops|servicemen|service members|servicemembers|military personnel|personnel|military observers|observers|officers|trainers|instructors|sailors|marines|member crew|-member crew|crew members|(?:already|currently) (?:deployed|stationed)|(?:sind )?(?:bereits|derzeit|aktuell) im einsatz)";

static RE: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?:(?P<mod>{MODIFIER})\s+)?(?P<num>{DIGITS}|{WORDS})(?P<fill>(?:\s+{FILLER})*)(?:\s*|-)(?P<unit>{UNIT})|(?i:von|from|by)\s+{DIGITS}(?:\s+{UNIT})?\s+(?i:auf|to)\s+(?P<tnum>{DIGITS})(?:(?P<tfill>(?:\s+{FILLER})*)\s+(?P<tunit>{UNIT}))?|(?P<cue>(?i:personalobergrenze|obergrenze|höchstgrenze|mandatsobergrenze|ceiling|troop cap|cap)(?:\s+(?:von|of|bei|auf|to|at|liegt bei|wird auf|is|remains))+)\s+(?P<cnum>{DIGITS})"
    );
    crate::text::build_regex(&pattern).expect("personnel pattern compiles")
});

/// What every personnel phrase contains: a unit or a ceiling word. Literal alternatives, so the
/// search runs on a fast prefilter.
static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(&format!(
        r"{UNIT}|(?i:personalobergrenze|obergrenze|höchstgrenze|mandatsobergrenze|ceiling|troop cap|cap)"
    ))
    .expect("personnel trigger compiles")
});

fn modifier_of(m: &str) -> Modifier {
    let m = m.to_lowercase();
    match m.as_str() {
        "insgesamt bis zu" | "bis zu" | "up to" | "as many as" | "a maximum of" | "maximal"
        | "höchstens" | "maximum of" => Modifier::UpTo,
        "mehr als" | "über" | "more than" | "over" => Modifier::MoreThan,
        "weniger als" | "less than" | "fewer than" => Modifier::LessThan,
        "weitere" | "weiteren" | "zusätzliche" | "zusätzlichen" | "zusätzlich"
        | "an additional" | "additional" | "another" | "further" => Modifier::Additional,
        _ => Modifier::Approx,
    }
}

/// Finds the personnel figures in `text`.
pub fn find(text: &str, _lang: Lang) -> Vec<PersonnelMention> {
    let mut out = Vec::new();
    // The full pattern runs only around units and ceiling words: 200 bytes hold a modifier, a
    // figure and adjectives before a unit, 60 the figure after "Obergrenze von".
    let regions = crate::text::trigger_regions(
        text,
        TRIGGER.find_iter(text).map(|m| (m.start(), m.end())),
        200,
        60,
    );
    for region in regions {
        scan(text, region, &mut out);
    }
    out
}

fn scan(text: &str, region: Span, out: &mut Vec<PersonnelMention>) {
    for c in RE.captures_iter(region.slice(text)) {
        let Some(m) = c.get(0) else { continue };
        let m = Span::new(region.start + m.start(), region.start + m.end());
        if is_letter_before(text, m.start) || is_word_char_at(text, m.end) {
            continue;
        }
        let prev = text[..m.start].chars().next_back();
        if prev.is_some_and(|p| p.is_ascii_digit() || p == '.' || p == ',') {
            continue;
        }
        let (num_text, modifier, ceiling_word) =
            match (c.name("num"), c.name("cnum"), c.name("tnum")) {
                (Some(n), _, _) => {
                    let modifier = c
                        .name("mod")
                        .map_or(Modifier::Exact, |x| modifier_of(x.as_str()));
                    (n.as_str(), modifier, false)
                }
                (None, Some(n), _) => (n.as_str(), Modifier::UpTo, true),
                // "von 1.400 auf 800 Soldaten": the new figure, a ceiling only when the sentence says so.
                (None, None, Some(n)) => (n.as_str(), Modifier::Exact, false),
                (None, None, None) => continue,
            };
        let Some(value) = num::parse_figure(num_text) else {
            continue;
        };
        if value < 1.0 || value.fract() != 0.0 || value > 1_000_000.0 {
            continue;
        }
        let fill = c
            .name("fill")
            .or(c.name("tfill"))
            .map_or("", |f| f.as_str())
            .to_lowercase();
        let unit = c
            .name("unit")
            .or(c.name("tunit"))
            .map_or("", |u| u.as_str())
            .to_lowercase();
        let change = c.name("tnum").is_some();
        let mut modifier = modifier;
        if modifier == Modifier::Exact
            && (fill.contains("weitere")
                || fill.contains("zusätzlich")
                || fill.contains("additional")
                || fill.contains("more")
                || fill.contains("extra")
                || fill.contains("further"))
        {
            modifier = Modifier::Additional;
        }
        let german = fill.contains("deutsch")
            || fill.contains("german")
            || fill.contains("bundeswehr")
            || unit.contains("bundeswehr");
        let deployed =
            unit.contains("deployed") || unit.contains("stationed") || unit.contains("einsatz");
        out.push(PersonnelMention {
            span: m,
            value: value as u64,
            modifier,
            german,
            deployed,
            ceiling_word,
            change,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &[(&str, u64, Modifier)]) {
        let got: Vec<(String, u64, Modifier)> = find(input, Lang::De)
            .iter()
            .map(|p| (p.span.slice(input).to_string(), p.value, p.modifier))
            .collect();
        let want: Vec<(String, u64, Modifier)> = expect
            .iter()
            .map(|(a, b, c)| (a.to_string(), *b, *c))
            .collect();
        assert_eq!(got, want, "input: {input}");
    }

    #[test]
    fn german() {
        check(
            "Insgesamt können unverändert bis zu 400 deutsche Soldatinnen und Soldaten eingesetzt",
            &[(
                "bis zu 400 deutsche Soldatinnen und Soldaten",
                400,
                Modifier::UpTo,
            )],
        );
        check(
            "Es können bis zu 1 850 Soldatinnen und Soldaten",
            &[(
                "bis zu 1 850 Soldatinnen und Soldaten",
                1850,
                Modifier::UpTo,
            )],
        );
        check(
            "rund 35 Soldaten",
            &[("rund 35 Soldaten", 35, Modifier::Approx)],
        );
        check(
            "bis zu vier Soldaten",
            &[("bis zu vier Soldaten", 4, Modifier::UpTo)],
        );
        check(
            "von 1.400 auf 800 Soldaten",
            &[("von 1.400 auf 800 Soldaten", 800, Modifier::Exact)],
        );
        check(
            "von 1400 Soldaten auf 1200 reduziert",
            &[("von 1400 Soldaten auf 1200", 1200, Modifier::Exact)],
        );
        check(
            "bis zu 1600 Streitkräfte",
            &[("bis zu 1600 Streitkräfte", 1600, Modifier::UpTo)],
        );
        check(
            "Aktuell sind nur drei Soldaten im Sudan",
            &[("drei Soldaten", 3, Modifier::Exact)],
        );
        check("zwölf Soldaten", &[("zwölf Soldaten", 12, Modifier::Exact)]);
        check(
            "mit aktuell 15 Soldatinnen\nund Soldaten vor Ort",
            &[("15 Soldatinnen\nund Soldaten", 15, Modifier::Exact)],
        );
        check(
            "gut 6.400 Angehörige der Bundeswehr",
            &[(
                "gut 6.400 Angehörige der Bundeswehr",
                6400,
                Modifier::Approx,
            )],
        );
    }

    #[test]
    fn english() {
        check(
            "up to 400 German soldiers",
            &[("up to 400 German soldiers", 400, Modifier::UpTo)],
        );
        check(
            "an additional 150 Bundeswehr soldiers would join the 90 already deployed",
            &[
                (
                    "an additional 150 Bundeswehr soldiers",
                    150,
                    Modifier::Additional,
                ),
                ("90 already deployed", 90, Modifier::Exact),
            ],
        );
        check(
            "up to 1,400 troops",
            &[("up to 1,400 troops", 1400, Modifier::UpTo)],
        );
        check(
            "twelve soldiers",
            &[("twelve soldiers", 12, Modifier::Exact)],
        );
        check(
            "its 240-member crew",
            &[("240-member crew", 240, Modifier::Exact)],
        );
        check(
            "up to 2,400 naval personnel",
            &[("up to 2,400 naval personnel", 2400, Modifier::UpTo)],
        );
        check(
            "a ceiling of 1,400",
            &[("ceiling of 1,400", 1400, Modifier::UpTo)],
        );
        check(
            "in 2019 soldiers",
            &[("2019 soldiers", 2019, Modifier::Exact)],
        );
    }
}
