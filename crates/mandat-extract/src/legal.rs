//! Legal references: UN Security Council resolutions (several per phrase), Basic Law articles,
//! German statutes (`§ 3 Abs. 2 ParlBG`), EU Council decisions and joint actions, NATO decisions
//! with their dates, and UNCLOS. Each gets a canonical id (see the extraction contract).

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

use crate::dates::DateMention;
use crate::keywords::Keywords;
use crate::model::{DateValue, Lang, Span};
use crate::text::{is_letter_before, is_word_char_at, window_before};

/// The instrument a reference points to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LegalId {
    /// UN Security Council resolution number.
    Unsc(u32),
    /// Basic Law article with optional paragraph.
    BasicLaw {
        /// Article ("24", "87a").
        article: String,
        /// Paragraph ("2").
        paragraph: Option<String>,
    },
    /// Another statute: `§ 3(2) ParlBG`, `Art. 5(1) EMRK`.
    Statute {
        /// `§` or `Art.`.
        unit: StatuteUnit,
        /// Number.
        number: String,
        /// Paragraph (Absatz).
        paragraph: Option<String>,
        /// Abbreviation of the law.
        law: String,
    },
    /// EU Council Decision (CFSP) yyyy/nnn.
    EuDecision(String),
    /// EU Council Joint Action yyyy/nnn/CFSP.
    EuJointAction(String),
    /// NATO decision of a date.
    NatoDecision(DateValue),
    /// UN Convention on the Law of the Sea.
    Unclos,
}

/// How a statute divides: sections (§) or articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatuteUnit {
    /// "§".
    Section,
    /// "Art.".
    Article,
}

impl LegalId {
    /// Whether the instrument can be a legal basis of a deployment (statutes of procedure and
    /// Basic Law articles other than 24 and 87a cannot).
    pub fn is_deployment_basis(&self) -> bool {
        match self {
            LegalId::Unsc(_)
            | LegalId::EuDecision(_)
            | LegalId::EuJointAction(_)
            | LegalId::NatoDecision(_)
            | LegalId::Unclos => true,
            LegalId::BasicLaw { article, .. } => article == "24" || article == "87a",
            LegalId::Statute { .. } => false,
        }
    }
}

impl fmt::Display for LegalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LegalId::Unsc(n) => write!(f, "UNSC {n}"),
            LegalId::BasicLaw {
                article,
                paragraph: Some(p),
            } => write!(f, "Art. {article}({p}) GG"),
            LegalId::BasicLaw {
                article,
                paragraph: None,
            } => write!(f, "Art. {article} GG"),
            LegalId::Statute {
                unit,
                number,
                paragraph,
                law,
            } => {
                match unit {
                    StatuteUnit::Section => write!(f, "§ {number}")?,
                    StatuteUnit::Article => write!(f, "Art. {number}")?,
                }
                if let Some(p) = paragraph {
                    write!(f, "({p})")?;
                }
                write!(f, " {law}")
            }
            LegalId::EuDecision(n) => write!(f, "EU Council Decision (CFSP) {n}"),
            LegalId::EuJointAction(n) => write!(f, "EU Council Joint Action {n}/CFSP"),
            LegalId::NatoDecision(d) => write!(f, "NATO decision {d}"),
            LegalId::Unclos => write!(f, "UNCLOS"),
        }
    }
}

/// A legal reference found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct LegalRef {
    /// Bytes of the reference.
    pub span: Span,
    /// Canonical instrument.
    pub id: LegalId,
    /// The date the text gives the instrument ("vom 10. Juni 1999").
    pub date: Option<DateValue>,
}

static UNSC: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"(?i:resolution(?:en|s)?|S/RES/)(?:\s*\([A-Z]{2,8}\))?(?:\s+des\s+(?:VN-|UN-)?Sicherheitsrate?s(?:\s+der\s+Vereinten\s+Nationen)?|\s+of\s+the\s+(?:UN\s+|United\s+Nations\s+)?Security\s+Council)?(?:\s+(?:Nr\.|No\.|Nummer|number))?\s*(?P<list>[0-9]{3,4}(?:\s*\([0-9]{4}\))?(?:(?:\s+(?:vom|of|dated)\s+[0-9A-Za-zÄÖÜäöü. ]{3,20}?(?:19|20)[0-9]{2})?(?:\s*,\s*|\s+(?:und|and|sowie|as well as|bzw\.|or|oder)\s+)(?:(?:zuletzt|most recently|later|jüngst|latest)\s+)?(?:(?:Resolution|resolution|Nr\.|No\.)\s+)?[0-9]{3,4}(?:\s*\([0-9]{4}\))?)*)").expect("unsc pattern compiles")
});
static UNSC_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"(?P<n>[0-9]{3,4})(?:\s*\((?P<y>[0-9]{4})\))?")
        .expect("unsc item pattern compiles")
});
static UNSC_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"^(?:\s*des\s+(?:VN-|UN-)?Sicherheitsrat(?:e)?s(?:\s+der\s+Vereinten\s+Nationen)?|\s*of\s+the\s+(?:UN\s+|United\s+Nations\s+)?Security\s+Council)?\s*(?:vom|of|dated|from)\s+")
        .expect("unsc tail pattern compiles")
});
/// Whitespace with at most one line break: a citation may wrap, but not across paragraphs.
const SP: &str = r"(?:[ \t\u{a0}]+\n?[ \t\u{a0}]*|\n[ \t\u{a0}]*)";
/// A section or article number with its subdivisions ("24 Abs. 2", "74 a Abs. 1 Satz 1",
/// "4 Nr. 9 und 10", "24(2)", "24, paragraph 2").
static ITEM_PATTERN: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"[0-9]{{1,4}}(?:{SP}?[a-z](?-u:\b))?(?:\((?P<pp>[0-9]{{1,2}}[a-z]?)\))?(?:,?{SP}(?:Abs\.?|Absatz|Absätze|paragraph|para\.)(?:{SP})?(?P<abs>[0-9]{{1,2}}[a-z]?|[IVX]{{1,4}}(?-u:\b)))?(?:{SP}(?:Satz|S\.?|Nr\.?|Nrn\.?|Nummer|Ziffer|Ziff\.|lit\.?|Buchst\.?|Halbsatz|Hs\.?|Alt\.?|Var\.?|sentence|no\.|Abs\.?|Absatz)(?:{SP})?[0-9]{{1,3}}[a-z]?(?:(?:{SP}(?:und|bis|oder){SP}|,{SP}?)[0-9]{{1,3}}[a-z]?(?-u:\b))*)*"
    )
});
const LAW: &str = r"(?:GG|Grundgesetz(?:es)?|des\s+Grundgesetzes|of\s+the\s+(?:German\s+)?Basic\s+Law|(?:German\s+)?Basic\s+Law|(?:des|der)\s+[A-ZÄÖÜ][a-zäöüß]+(?:gesetzes|gesetzbuch(?:e?s)?|ordnung|verordnung)|[A-ZÄÖÜ][a-zäöüß]+(?:gesetz|gesetzes|gesetzbuch(?:e?s)?|ordnung)|[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{0,10}[A-Z][A-Za-z]{0,4}(?:[ ][IVX]{1,4}(?-u:\b))?)";
static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    let item = ITEM_PATTERN
        .replace("?P<pp>", "?:")
        .replace("?P<abs>", "?:");
    crate::text::build_regex(&format!(
        r"(?P<book>[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{{0,10}}[A-Z][A-Za-z]{{0,4}}|GG){SP}(?P<bunit>§§?|Art\.?){SP}?(?P<bitem>{item})|(?P<unit>§§?|Art\.|Artikels?|Articles?|Art)(?:{SP})?(?P<items>{item}(?:(?:\s*,\s*|{SP}(?:und|bis|oder|sowie){SP})(?:§{SP}?)?{item})*)(?P<ff>{SP}?ff\.?)?(?:,)?{SP}?(?P<law>{LAW})(?:{SP}(?P<ver>(?:19|20)[0-9]{{2}})(?-u:\b))?"
    ))
    .expect("article pattern compiles")
});
static ITEM_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"^([0-9]{1,4})(?:\s?([a-z])(?-u:\b))?")
        .expect("item number pattern compiles")
});
static ITEM: LazyLock<Regex> =
    LazyLock::new(|| crate::text::build_regex(&ITEM_PATTERN).expect("item pattern compiles"));

static EU_DECISION: LazyLock<Regex> = LazyLock::new(|| {
    // "Beschluss (GASP) 2020/472" and the older order "Beschluss 2009/907/GASP".
    crate::text::build_regex(r"(?:Council\s+)?(?:(?:Rats)?[Bb]eschlusses|(?:Rats)?[Bb]eschluss|Beschlüsse|Decision|decision)(?:\s*\((?:GASP|CFSP|PESC)\)\s*(?:Nr\.\s*|No\.?\s*)?(?P<n>(?:19|20)[0-9]{2}/[0-9]{1,4})|\s+(?:Nr\.\s*|No\.?\s*)?(?P<m>(?:19|20)[0-9]{2}/[0-9]{1,4})/(?:GASP|CFSP|PESC))").expect("eu pattern compiles")
});
static EU_JOINT_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"(?:Gemeinsame[nr]?\s+Aktion|Joint\s+Action)\s*(?:Nr\.\s*|No\.?\s*)?(?P<n>(?:19|20)[0-9]{2}/[0-9]{1,4})/(?:GASP|CFSP|PESC)").expect("joint action pattern compiles")
});
static NATO: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"(?i:einsatzbeschlusses|einsatzbeschluss|beschlusses|beschluss|beschlüsse|entscheidung|decision|decisions)\s+(?:der\s+NATO|des\s+NATO-Rat(?:e)?s|des\s+Nordatlantikrat(?:e)?s|des\s+Nordatlantischen\s+Rates|of\s+the\s+North\s+Atlantic\s+Council|by\s+the\s+North\s+Atlantic\s+Council|by\s+NATO|of\s+NATO)\s+(?:vom|of|on|from|dated)\s+").expect("nato pattern compiles")
});
static NATO_EN: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"(?:NATO|North Atlantic Council|NAC)(?:'s)?\s+(?:deployment\s+|operational\s+|operation\s+)?decision\s+(?:of|on|from|dated)\s+").expect("nato en pattern compiles")
});
static UNCLOS: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"Seerechtsübereinkommens?(?:\s+der\s+Vereinten\s+Nationen)?(?:\s+(?:von|vom)\s+(?:10\.\s+Dezember\s+)?1982)?|UNCLOS|(?:United\s+Nations\s+|UN\s+)?Convention\s+on\s+the\s+Law\s+of\s+the\s+Sea(?:\s+of\s+1982)?").expect("unclos pattern compiles")
});

/// The date mention that starts exactly at `pos`, by binary search over the sorted dates.
fn date_at(dates: &[DateMention], pos: usize) -> Option<&DateMention> {
    let i = dates.partition_point(|d| d.span.start < pos);
    dates.get(i).filter(|d| d.span.start == pos)
}

/// A list of resolutions followed by a list of as many dates ("2100 (2013) und 2164 (2014) des
/// Sicherheitsrates vom 25. April 2013 und 25. Juni 2014") dates them in order. The last reference
/// took the first of those dates; when only it is dated and the dates after it (joined by a comma,
/// "und", "and" or "sowie") number as many as the references that end the list, each of these gets
/// its own, and the last one's span runs to the end of the last date.
fn spread_date_list(text: &str, dates: &[DateMention], refs: &mut [LegalRef]) {
    let Some((last, earlier)) = refs.split_last_mut() else {
        return;
    };
    if last.date.is_none() || earlier.iter().any(|r| r.date.is_some()) {
        return;
    }
    let i = dates.partition_point(|d| d.span.end < last.span.end);
    let Some(head) = dates.get(i).filter(|d| d.span.end == last.span.end) else {
        return;
    };
    let mut list = vec![head];
    while let Some(next) = dates.get(i + list.len()) {
        let between = text
            .get(list[list.len() - 1].span.end..next.span.start)
            .unwrap_or("x")
            .trim();
        if !matches!(between, "," | "und" | "and" | "sowie" | ", und" | ", and") {
            break;
        }
        list.push(next);
    }
    if list.len() < 2 || list.len() > refs.len() {
        return;
    }
    let k = refs.len() - list.len();
    for (r, d) in refs[k..].iter_mut().zip(&list) {
        r.date = d.value.ok();
    }
    if let Some(last) = refs.last_mut()
        && let Some(end) = list.last().map(|d| d.span.end)
    {
        last.span = Span::new(last.span.start, end);
    }
}

/// The canonical id of one section or article with its subdivisions under a law.
fn statute_id(unit: &str, item: &str, law: &str) -> Option<LegalId> {
    let c = ITEM.captures(item)?;
    let n = ITEM_NUMBER.captures(item)?;
    let number = format!(
        "{}{}",
        n.get(1)?.as_str(),
        n.get(2).map_or("", |x| x.as_str())
    );
    let paragraph = c
        .name("pp")
        .or(c.name("abs"))
        .map(|p| roman_to_arabic(p.as_str()));
    let law = law_abbrev(law)?;
    let unit_kind = if unit.starts_with('§') {
        StatuteUnit::Section
    } else {
        StatuteUnit::Article
    };
    Some(if law == "GG" && unit_kind == StatuteUnit::Article {
        LegalId::BasicLaw {
            article: number,
            paragraph,
        }
    } else {
        LegalId::Statute {
            unit: unit_kind,
            number,
            paragraph,
            law,
        }
    })
}

fn law_abbrev(law: &str) -> Option<String> {
    let l = law.trim();
    if l.contains("Grundgesetz") || l.contains("Basic Law") || l == "GG" {
        return Some("GG".to_string());
    }
    if l.contains("Parlamentsbeteiligungsgesetz") {
        return Some("ParlBG".to_string());
    }
    if l.contains("Soldatengesetz") {
        return Some("SG".to_string());
    }
    let l = l
        .strip_prefix("des ")
        .or_else(|| l.strip_prefix("der "))
        .unwrap_or(l);
    Some(l.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Finds the legal references in `text`. `dates` are the date mentions of the same text, sorted by
/// start, used to date NATO decisions and resolutions.
/// The end of a reporter citation keyed by a norm: "AP Nr. 7 zu " (Arbeitsrechtliche Praxis).
static REPORTER_KEY: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(r"\bAP\s+Nr\.\s*[0-9]+\s+zu\s+$").expect("reporter pattern compiles")
});

pub fn find(text: &str, lang: Lang, dates: &[DateMention]) -> Vec<LegalRef> {
    find_with(text, lang, dates, Keywords::scan(text))
}

/// [`find`] for a text whose [`Keywords`] are `keywords`: each pattern runs only where the text holds
/// a literal that all its matches contain (see [`Keywords`]); resolutions are always searched. With
/// [`Keywords::ALL`] every pattern runs.
pub fn find_with(
    text: &str,
    _lang: Lang,
    dates: &[DateMention],
    keywords: Keywords,
) -> Vec<LegalRef> {
    let mut out = Vec::new();
    for c in UNSC.captures_iter(text) {
        let (Some(m), Some(list)) = (c.get(0), c.name("list")) else {
            continue;
        };
        if is_word_char_at(text, m.end()) {
            continue;
        }
        let before = window_before(text, m.start(), 48).to_lowercase();
        if before.contains("generalversammlung")
            || before.contains("general assembly")
            || before.contains("entschließung")
        {
            continue;
        }
        // "Sicherheitsratsresolution", "VN-Sicherheitsratsresolution": the compound belongs to the
        // reference; walk back over its letters and hyphens.
        let mut ref_start = m.start();
        while let Some(ch) = text[..ref_start].chars().next_back() {
            if (ch.is_alphabetic() || ch == '-') && m.start() - ref_start < 64 {
                ref_start -= ch.len_utf8();
            } else {
                break;
            }
        }
        // A list may give each resolution its date ("1816 (2008) vom 2. Juni 2008, 1838 (2008)
        // vom 7. Oktober 2008"): a number inside a longer date mention is not a resolution (a
        // bare number the date scanner also took for a year still is).
        let in_date = |start: usize, end: usize| {
            let i = dates.partition_point(|d| d.span.end <= start);
            dates.get(i).is_some_and(|d| {
                d.span.start <= start && (d.span.start < start || d.span.end > end)
            })
        };
        let items: Vec<_> = UNSC_ITEM
            .captures_iter(list.as_str())
            .filter(|it| {
                it.name("n")
                    .is_some_and(|g| !in_date(list.start() + g.start(), list.start() + g.end()))
            })
            .collect();
        let first = out.len();
        for (i, it) in items.iter().enumerate() {
            let Some(n) = it.name("n").and_then(|n| n.as_str().parse::<u32>().ok()) else {
                continue;
            };
            let Some(item) = it.get(0) else { continue };
            let start = if i == 0 {
                ref_start
            } else {
                list.start() + item.start()
            };
            let mut end = list.start() + item.end();
            let mut date = None;
            // The last item may be followed by the Council and a date, any other by its own date
            // only (nothing else stands between the items of a list).
            let tail = UNSC_TAIL.find(&text[end..]);
            if let Some(d) = tail.and_then(|t| date_at(dates, end + t.end())) {
                date = d.value.ok();
                end = d.span.end;
            }
            out.push(LegalRef {
                span: Span::new(start, end),
                id: LegalId::Unsc(n),
                date,
            });
        }
        spread_date_list(text, dates, &mut out[first..]);
    }
    let articles = keywords
        .contains(Keywords::ARTICLE)
        .then(|| ARTICLE.captures_iter(text));
    for c in articles.into_iter().flatten() {
        let Some(m) = c.get(0) else { continue };
        if is_letter_before(text, m.start()) || is_word_char_at(text, m.end()) {
            continue;
        }
        // "AP Nr. 7 zu Art. 12 GG" cites a decision in the labour-law reporter, filed under the
        // norm; the norm is not cited there.
        if REPORTER_KEY.is_match(window_before(text, m.start(), 32)) {
            continue;
        }
        // "HGB § 6", "GG Art 80 Abs 1": the book before the norm, one reference.
        if let (Some(book), Some(unit), Some(item)) =
            (c.name("book"), c.name("bunit"), c.name("bitem"))
        {
            if let Some(id) = statute_id(unit.as_str(), item.as_str(), book.as_str()) {
                out.push(LegalRef {
                    span: Span::new(m.start(), m.end()),
                    id,
                    date: None,
                });
            }
            continue;
        }
        let (Some(unit), Some(items), Some(law)) = (c.name("unit"), c.name("items"), c.name("law"))
        else {
            continue;
        };
        // "§§ 184, 185 und 187 SGG": one reference per number, the first with the sign, the last
        // with the law.
        let found: Vec<_> = ITEM.find_iter(items.as_str()).collect();
        let last = found.len().saturating_sub(1);
        for (i, it) in found.iter().enumerate() {
            let start = if i == 0 {
                m.start()
            } else {
                items.start() + it.start()
            };
            let end = if i == last {
                m.end()
            } else {
                items.start() + it.end()
            };
            if let Some(id) = statute_id(unit.as_str(), it.as_str(), law.as_str()) {
                out.push(LegalRef {
                    span: Span::new(start, end),
                    id,
                    date: None,
                });
            }
        }
    }
    let found = keywords
        .contains(Keywords::EU)
        .then(|| EU_DECISION.captures_iter(text));
    for c in found.into_iter().flatten() {
        let (Some(m), Some(n)) = (c.get(0), c.name("n").or_else(|| c.name("m"))) else {
            continue;
        };
        out.push(LegalRef {
            span: Span::new(m.start(), m.end()),
            id: LegalId::EuDecision(n.as_str().to_string()),
            date: None,
        });
    }
    let found = keywords
        .contains(Keywords::EU)
        .then(|| EU_JOINT_ACTION.captures_iter(text));
    for c in found.into_iter().flatten() {
        let (Some(m), Some(n)) = (c.get(0), c.name("n")) else {
            continue;
        };
        out.push(LegalRef {
            span: Span::new(m.start(), m.end()),
            id: LegalId::EuJointAction(n.as_str().to_string()),
            date: None,
        });
    }
    let nato = keywords
        .contains(Keywords::NATO)
        .then(|| NATO.find_iter(text).chain(NATO_EN.find_iter(text)));
    for m in nato.into_iter().flatten() {
        if let Some((d, Ok(v))) = date_at(dates, m.end()).map(|d| (d, d.value)) {
            {
                out.push(LegalRef {
                    span: Span::new(m.start(), d.span.end),
                    id: LegalId::NatoDecision(v),
                    date: Some(v),
                });
            }
        }
    }
    let unclos = keywords
        .contains(Keywords::UNCLOS)
        .then(|| UNCLOS.find_iter(text));
    for m in unclos.into_iter().flatten() {
        out.push(LegalRef {
            span: Span::new(m.start(), m.end()),
            id: LegalId::Unclos,
            date: None,
        });
    }
    out.sort_by_key(|r| (r.span.start, std::cmp::Reverse(r.span.end)));
    out
}

fn roman_to_arabic(s: &str) -> String {
    let v = match s {
        "I" => 1,
        "II" => 2,
        "III" => 3,
        "IV" => 4,
        "V" => 5,
        "VI" => 6,
        "VII" => 7,
        "VIII" => 8,
        "IX" => 9,
        "X" => 10,
        other => return other.to_string(),
    };
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{self, DateContext};

    fn check(input: &str, expect: &[(&str, &str)]) {
        let d = dates::find(input, Lang::De, &DateContext::default());
        let got: Vec<(String, String)> = find(input, Lang::De, &d)
            .iter()
            .map(|r| (r.span.slice(input).to_string(), r.id.to_string()))
            .collect();
        let want: Vec<(String, String)> = expect
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want, "input: {input}");
    }

    #[test]
    fn a_list_of_resolutions_takes_a_list_of_dates_in_order() {
        let text = "auf Grundlage der Resolutionen 2100 (2013) und 2164 (2014) des Sicherheitsrates der \
                    Vereinten Nationen vom 25. April 2013 und 25. Juni 2014 im Rahmen";
        let dates = crate::dates::find(text, Lang::De, &crate::dates::DateContext::default());
        let got: Vec<(String, Option<String>, &str)> = find(text, Lang::De, &dates)
            .iter()
            .map(|r| {
                (
                    r.id.to_string(),
                    r.date.map(|d| d.to_string()),
                    &text[r.span.start..r.span.end],
                )
            })
            .collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "UNSC 2100");
        assert_eq!(got[0].1.as_deref(), Some("2013-04-25"));
        assert_eq!(got[1].0, "UNSC 2164");
        assert_eq!(got[1].1.as_deref(), Some("2014-06-25"));
        assert!(got[1].2.ends_with("25. Juni 2014"), "{:?}", got[1].2);

        // Five resolutions, five dates; and one date for two resolutions stays with the last.
        let text = "Resolutionen 2100 (2013), 2164 (2014), 2227 (2015), 2295 (2016) und 2364 (2017) \
                    des Sicherheitsrates vom 25. April 2013, 25. Juni 2014, 29. Juni 2015, 29. Juni \
                    2016 und 29. Juni 2017.";
        let dates = crate::dates::find(text, Lang::De, &crate::dates::DateContext::default());
        let got: Vec<Option<String>> = find(text, Lang::De, &dates)
            .iter()
            .map(|r| r.date.map(|d| d.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                "2013-04-25",
                "2014-06-25",
                "2015-06-29",
                "2016-06-29",
                "2017-06-29"
            ]
            .map(|d| Some(d.to_owned()))
        );
        let text =
            "Resolutionen 1701 (2006) und 2172 (2014) des Sicherheitsrates vom 26. August 2014 und";
        let dates = crate::dates::find(text, Lang::De, &crate::dates::DateContext::default());
        let got: Vec<Option<String>> = find(text, Lang::De, &dates)
            .iter()
            .map(|r| r.date.map(|d| d.to_string()))
            .collect();
        assert_eq!(got, [None, Some("2014-08-26".to_owned())]);
    }

    #[test]
    fn un_resolutions() {
        check(
            "die Resolution 1244 des Sicherheitsrates der Vereinten Nationen vom 10. Juni 1999 und",
            &[(
                "Resolution 1244 des Sicherheitsrates der Vereinten Nationen vom 10. Juni 1999",
                "UNSC 1244",
            )],
        );
        check(
            "Resolutionen 1701 (2006) und zuletzt 2172 (2014)",
            &[
                ("Resolutionen 1701 (2006)", "UNSC 1701"),
                ("2172 (2014)", "UNSC 2172"),
            ],
        );
        check(
            "UN Security Council Resolution 1244",
            &[("Resolution 1244", "UNSC 1244")],
        );
        check("S/RES/1244 (1999)", &[("S/RES/1244 (1999)", "UNSC 1244")]);
        check(
            "auf Grundlage der Resolution des Sicherheitsrates der Vereinten Nationen 1575 (2004) und",
            &[(
                "Resolution des Sicherheitsrates der Vereinten Nationen 1575 (2004)",
                "UNSC 1575",
            )],
        );
        check(
            "der Resolutionen 1814 (2008) vom 15. Mai 2008, 1816 (2008) vom 2. Juni 2008 und \
             nachfolgender Resolutionen",
            &[
                ("Resolutionen 1814 (2008) vom 15. Mai 2008", "UNSC 1814"),
                ("1816 (2008) vom 2. Juni 2008", "UNSC 1816"),
            ],
        );
        check(
            "VN-Sicherheitsratsresolution (VNSRR) 2351 (2017)",
            &[(
                "VN-Sicherheitsratsresolution (VNSRR) 2351 (2017)",
                "UNSC 2351",
            )],
        );
    }

    #[test]
    fn basic_law_and_statutes() {
        check(
            "im Sinne des Artikels 24 Absatz 2 des Grundgesetzes",
            &[("Artikels 24 Absatz 2 des Grundgesetzes", "Art. 24(2) GG")],
        );
        check(
            "Art. 24 Abs. 2 GG",
            &[("Art. 24 Abs. 2 GG", "Art. 24(2) GG")],
        );
        check(
            "Article 24, paragraph 2 of the Basic Law",
            &[("Article 24, paragraph 2 of the Basic Law", "Art. 24(2) GG")],
        );
        check(
            "§ 3 Abs. 2 des Parlamentsbeteiligungsgesetzes",
            &[(
                "§ 3 Abs. 2 des Parlamentsbeteiligungsgesetzes",
                "§ 3(2) ParlBG",
            )],
        );
        check(
            "§ 29 Abs. 1 EGGVG",
            &[("§ 29 Abs. 1 EGGVG", "§ 29(1) EGGVG")],
        );
        check(
            "§§ 184, 185 und 187 SGG",
            &[
                ("§§ 184", "§ 184 SGG"),
                ("185", "§ 185 SGG"),
                ("187 SGG", "§ 187 SGG"),
            ],
        );
        check(
            "nach HGB § 74a Abs 1 S 1",
            &[("HGB § 74a Abs 1 S 1", "§ 74a(1) HGB")],
        );
        check(
            "§ 4 Nr. 9 und 10 UWG",
            &[("§ 4 Nr. 9 und 10 UWG", "§ 4 UWG")],
        );
        check("§ 5 UWG 2004", &[("§ 5 UWG 2004", "§ 5 UWG")]);
    }

    #[test]
    fn reporter_keys_are_not_norm_citations() {
        check(
            "(vgl. AP Nr. 7 zu Art. 12 GG und Art. 12 Abs. 1 GG)",
            &[("Art. 12 Abs. 1 GG", "Art. 12(1) GG")],
        );
    }

    #[test]
    fn eu_nato_unclos() {
        check(
            "Beschluss (GASP) 2020/472 des Rates",
            &[(
                "Beschluss (GASP) 2020/472",
                "EU Council Decision (CFSP) 2020/472",
            )],
        );
        check(
            "Council Decision (CFSP) 2020/472",
            &[(
                "Council Decision (CFSP) 2020/472",
                "EU Council Decision (CFSP) 2020/472",
            )],
        );
        check(
            "dem Beschluss 2009/907/GASP des Rates und Council Decision 2010/766/CFSP of",
            &[
                (
                    "Beschluss 2009/907/GASP",
                    "EU Council Decision (CFSP) 2009/907",
                ),
                (
                    "Council Decision 2010/766/CFSP",
                    "EU Council Decision (CFSP) 2010/766",
                ),
            ],
        );
        check(
            "Gemeinsame Aktion 2008/851/GASP",
            &[(
                "Gemeinsame Aktion 2008/851/GASP",
                "EU Council Joint Action 2008/851/CFSP",
            )],
        );
        check(
            "der Einsatzbeschluss der NATO vom 30. Januar 1999.",
            &[(
                "Einsatzbeschluss der NATO vom 30. Januar 1999",
                "NATO decision 1999-01-30",
            )],
        );
        check(
            "Seerechtsübereinkommen der Vereinten Nationen von 1982",
            &[(
                "Seerechtsübereinkommen der Vereinten Nationen von 1982",
                "UNCLOS",
            )],
        );
    }
}
