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
const UNIT: &str = r"(?i:soldatinnen\s+und\s+soldaten|angehörige der bundeswehr|members of the (?:german )?(?:armed forces|bundeswehr)|männer und frauen|streitkräfte|soldatinnen|soldaten|bundeswehrsoldatinnen und -soldaten|bundeswehrsoldaten|bundeswehr-soldaten|einsatzkräfte|marinesoldaten|militärbeobachter|militärberater|stabsoffiziere|offiziere|ausbilder|kräfte|mann|soldiers|troops|servicemen|service members|servicemembers|military personnel|personnel|military observers|observers|officers|trainers|instructors|sailors|marines|member crew|-member crew|crew members|(?:already|currently) (?:deployed|stationed)|(?:sind )?(?:bereits|derzeit|aktuell) im einsatz)";

/// A figure with its modifier, before the fillers and the unit.
static HEAD: LazyLock<String> =
    LazyLock::new(|| format!(r"(?:(?P<mod>{MODIFIER})\s+)?(?P<num>{DIGITS}|{WORDS})"));
/// Fillers and the unit after a figure.
static TAIL: LazyLock<String> =
    LazyLock::new(|| format!(r"(?P<fill>(?:\s+{FILLER})*)(?:\s*|-)(?P<unit>{UNIT})"));
/// "von 1.400 auf 800 Soldaten".
static CHANGE: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"(?:(?i:von|from|by)\s+{DIGITS}(?:\s+{UNIT})?\s+(?i:auf|to)|(?i:statt|anstatt|instead of)(?:\s+(?i:bislang|bisher|zuvor|the previous|previously))?\s+{DIGITS}(?:\s+(?i:nur noch|nur|nun|jetzt|künftig|only))?)\s+(?P<tnum>{DIGITS})(?:(?P<tfill>(?:\s+{FILLER})*)\s+(?P<tunit>{UNIT}))?"
    )
});
/// "Obergrenze von 400".
static CUE: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"(?P<cue>(?i:personalobergrenze|obergrenze|höchstgrenze|mandatsobergrenze|ceiling|troop cap|cap)(?:\s+(?:von|of|from|bei|auf|to|at|liegt bei|wird auf|is|remains))+|(?i:limit|ceiling|cap)\s+on\s+the\s+number\s+of[^.;:!?0-9]{{0,100}}?\s(?i:at|to|of))\s+(?:{DIGITS}(?:\s+{UNIT})?\s+(?i:auf|to)\s+)?(?P<cnum>{DIGITS})"
    )
});

/// The whole pattern: a figure with its unit, a change, or a ceiling word with its figure.
static RE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(&format!("{}{}|{}|{}", *HEAD, *TAIL, *CHANGE, *CUE))
        .expect("personnel pattern compiles")
});

/// The parts of [`RE`] anchored, to read the groups of a match found by `RE`: capturing on the
/// whole alternation costs its size times the match length per match, on these only their own.
static PARTS: LazyLock<[Regex; 4]> = LazyLock::new(|| {
    [&*HEAD, &*TAIL, &*CHANGE, &*CUE]
        .map(|p| crate::text::build_regex(&format!("^(?:{p})")).expect("personnel part compiles"))
});

/// The groups of one match of [`RE`].
#[derive(Default)]
struct Groups<'a> {
    modifier: Option<&'a str>,
    num: Option<&'a str>,
    fill: Option<&'a str>,
    unit: Option<&'a str>,
    tnum: Option<&'a str>,
    tfill: Option<&'a str>,
    tunit: Option<&'a str>,
    cnum: Option<&'a str>,
}

impl<'a> Groups<'a> {
    /// The groups of `c` among `names` (looking a name up hashes it, so only the groups a part
    /// has are read).
    fn of(c: &regex::Captures<'a>, names: &[&str]) -> Self {
        let mut g = Groups::default();
        for &name in names {
            let v = c.name(name).map(|m| m.as_str());
            match name {
                "mod" => g.modifier = v,
                "num" => g.num = v,
                "fill" => g.fill = v,
                "unit" => g.unit = v,
                "tnum" => g.tnum = v,
                "tfill" => g.tfill = v,
                "tunit" => g.tunit = v,
                _ => g.cnum = v,
            }
        }
        g
    }
}

/// Group names of [`RE`], and of its parts in [`PARTS`] order.
const ALL_GROUPS: &[&str] = &[
    "mod", "num", "fill", "unit", "tnum", "tfill", "tunit", "cnum",
];
const PART_GROUPS: [&[&str]; 4] = [
    &["mod", "num"],
    &["fill", "unit"],
    &["tnum", "tfill", "tunit"],
    &["cnum"],
];

/// The groups of `found`, a whole match of [`RE`]. The first alternative is read in two steps:
/// the preferred figure (with its modifier) and, after it, the preferred fillers and unit; when
/// these end exactly where the match does, they are the path `RE` took, since `RE` prefers the
/// figure first. The other alternatives are read whole. Anything else (a figure that needs a
/// less preferred reading) falls back to capturing on `RE` itself.
fn groups(found: &str) -> Option<Groups<'_>> {
    let [head, tail, change, cue] = &*PARTS;
    let whole = |c: &regex::Captures<'_>| c.get(0).is_some_and(|m| m.end() == found.len());
    if let Some(h) = head.captures(found) {
        let end = h.get(0).map_or(0, |m| m.end());
        if let Some(t) = tail.captures(&found[end..])
            && t.get(0).is_some_and(|m| end + m.end() == found.len())
        {
            let h = Groups::of(&h, PART_GROUPS[0]);
            let t = Groups::of(&t, PART_GROUPS[1]);
            return Some(Groups {
                fill: t.fill,
                unit: t.unit,
                ..h
            });
        }
    } else {
        for (part, names) in [(change, PART_GROUPS[2]), (cue, PART_GROUPS[3])] {
            if let Some(c) = part.captures(found) {
                if whole(&c) {
                    return Some(Groups::of(&c, names));
                }
                break;
            }
        }
    }
    RE.captures(found).map(|c| Groups::of(&c, ALL_GROUPS))
}

/// What every personnel phrase contains: a unit or a ceiling word. Literal alternatives, so the
/// search runs on a fast prefilter.
static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(&format!(
        r"{UNIT}|(?i:personalobergrenze|obergrenze|höchstgrenze|mandatsobergrenze|ceiling|troop cap|cap|limit on the number)"
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
    // figure and adjectives before a unit, 140 the figure after "Obergrenze von 1.400 auf" or
    // "limit on the number of soldiers who may be sent to the region at", or a change after a
    // unit ("soldiers deployed there will increase from 1,100 to 1,400").
    let regions = crate::text::trigger_regions(
        text,
        TRIGGER.find_iter(text).map(|m| (m.start(), m.end())),
        200,
        140,
    );
    for region in regions {
        scan(text, region, &mut out);
    }
    out
}

fn scan(text: &str, region: Span, out: &mut Vec<PersonnelMention>) {
    for found in RE.find_iter(region.slice(text)) {
        let m = Span::new(region.start + found.start(), region.start + found.end());
        if is_letter_before(text, m.start) || is_word_char_at(text, m.end) {
            continue;
        }
        let prev = text[..m.start].chars().next_back();
        if prev.is_some_and(|p| p.is_ascii_digit() || p == '.' || p == ',') {
            continue;
        }
        let Some(c) = groups(found.as_str()) else {
            continue;
        };
        let (num_text, modifier, ceiling_word) = match (c.num, c.cnum, c.tnum) {
            (Some(n), _, _) => {
                let modifier = c.modifier.map_or(Modifier::Exact, modifier_of);
                (n, modifier, false)
            }
            (None, Some(n), _) => (n, Modifier::UpTo, true),
            // "von 1.400 auf 800 Soldaten": the new figure, a ceiling only when the sentence says so.
            (None, None, Some(n)) => (n, Modifier::Exact, false),
            (None, None, None) => continue,
        };
        let Some(value) = num::parse_figure(num_text) else {
            continue;
        };
        if value < 1.0 || value.fract() != 0.0 || value > 1_000_000.0 {
            continue;
        }
        let fill = c.fill.or(c.tfill).unwrap_or("").to_lowercase();
        let unit = c.unit.or(c.tunit).unwrap_or("").to_lowercase();
        let change = c.tnum.is_some();
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
            "künftig statt bisher 900 nur noch 650 Soldatinnen und Soldaten",
            &[(
                "statt bisher 900 nur noch 650 Soldatinnen und Soldaten",
                650,
                Modifier::Exact,
            )],
        );
        check(
            "Personalobergrenze von 1.200 auf 700 Soldaten",
            &[("Personalobergrenze von 1.200 auf 700", 700, Modifier::UpTo)],
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

    /// Reading the groups part by part gives exactly the groups of capturing on the whole pattern.
    #[test]
    fn parts_read_the_same_groups_as_the_whole_pattern() {
        let text = "bis zu 400 deutsche Soldatinnen und Soldaten, up to 1,400 troops, rund 35 Mann, \
                    weitere zwölf Soldaten, von 1.400 auf 800 Soldaten, from 500 to 300, \
                    Obergrenze von 1 850, ceiling of 2,400, its 240-member crew, mehr als \
                    zweihundertfünfzig Soldaten, an additional 150 Bundeswehr soldiers, \
                    the 90 already deployed, über 3.000 Soldaten im Einsatz, 12soldiers";
        let mut n = 0;
        for m in RE.find_iter(text) {
            let whole = RE.captures(m.as_str()).map(|c| Groups::of(&c, ALL_GROUPS));
            let parts = groups(m.as_str());
            fn key<'a>(g: Option<Groups<'a>>) -> Option<[Option<&'a str>; 8]> {
                g.map(|g| {
                    [
                        g.modifier, g.num, g.fill, g.unit, g.tnum, g.tfill, g.tunit, g.cnum,
                    ]
                })
            }
            assert_eq!(key(parts), key(whole), "match {:?}", m.as_str());
            n += 1;
        }
        assert!(n >= 14, "only {n} matches");
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
            "lifting the troop cap from 1,200 to 1,500",
            &[("troop cap from 1,200 to 1,500", 1500, Modifier::UpTo)],
        );
        check(
            "nearly 60 members of the German armed forces",
            &[(
                "nearly 60 members of the German armed forces",
                60,
                Modifier::Approx,
            )],
        );
        check(
            "it keeps the limit on the number of sailors who may serve off the coast at 2,250.",
            &[(
                "limit on the number of sailors who may serve off the coast at 2,250",
                2250,
                Modifier::UpTo,
            )],
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
