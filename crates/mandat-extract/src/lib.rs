//! Extraction of facts about parliamentary mandates from document text, with exact spans.
//!
//! Text in (German or English), an [`Extraction`] out: the mandate the document is about (ceiling,
//! cabinet decision, vote, end, legal bases, costs, deployed strength, expiry conditions, area), every
//! recognised mention (dates, personnel figures, money, legal references, missions, procedure events)
//! and diagnostics for what is ambiguous. Spans are `[start, end)` UTF-8 byte offsets into the text and
//! every `text` field is exactly the slice of its span. The crate is pure: no I/O, no global state
//! besides compiled patterns, and no input makes it fail or slow (all patterns run in linear time).
//!
//! ```
//! use mandat_extract::{extract, ExtractOptions, MissionRegistry};
//!
//! let text = "KFOR-Mandat\nDas Kabinett hat am 21. Mai 2025 beschlossen, dass bis zu 400 deutsche \
//!             Soldatinnen und Soldaten an KFOR teilnehmen.";
//! let registry = MissionRegistry::bundled();
//! let x = extract(text, &registry, &ExtractOptions::new("doc.txt"));
//! assert_eq!(x.mandate.mission.as_deref(), Some("KFOR"));
//! assert_eq!(x.mandate.ceiling.as_ref().map(|c| c.value), Some(400));
//! assert_eq!(x.mandate.cabinet_decision.as_ref().map(|c| c.date.to_string()), Some("2025-05-21".into()));
//! ```

mod assemble;
pub mod dates;
pub mod keywords;
pub mod lang;
pub mod legal;
pub mod missions;
mod model;
pub mod money;
pub mod num;
pub mod personnel;
mod text;
pub mod timex;

use std::sync::LazyLock;

use regex::Regex;

pub use missions::{MissionEntry, MissionRegistry, RegistryError, slug};
pub use model::*;

/// Options of one extraction.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Path or id of the document, copied to the output.
    pub source: String,
    /// Language; detected from stopwords when `None`.
    pub lang: Option<Lang>,
    /// Title; the first non-empty line when `None`.
    pub title: Option<String>,
    /// The document's date (dateline) if known; otherwise read from the text's top when stated there.
    pub reference_date: Option<jiff::civil::Date>,
}

impl ExtractOptions {
    /// Options with a source and everything else detected.
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            ..Self::default()
        }
    }
}

static CRAWL_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::build_regex(
        r"^\s*date\s+(?P<y>(?:19|20)[0-9]{2})-(?P<m>[01][0-9])(?:-(?P<d>[0-3][0-9]))?",
    )
    .expect("crawl prefix pattern compiles")
});

/// The document date stated at the top: a crawl prefix (` date 2021-08`) or a dateline, i.e. a full
/// date on a short line among the first lines.
fn find_doc_date(text: &str, dates: &[dates::DateMention]) -> Option<DateValue> {
    if let Some(c) = CRAWL_PREFIX.captures(text) {
        let y = c.name("y")?.as_str().parse::<i16>().ok()?;
        let m = c.name("m")?.as_str().parse::<i8>().ok()?;
        return match c.name("d").and_then(|d| d.as_str().parse::<i8>().ok()) {
            Some(d) => jiff::civil::Date::new(y, m, d).ok().map(DateValue::Day),
            None => (1..=12)
                .contains(&m)
                .then_some(DateValue::Month { year: y, month: m }),
        };
    }
    for d in dates {
        let Ok(v @ DateValue::Day(_)) = d.value else {
            continue;
        };
        if !d.explicit_year {
            continue;
        }
        let line_start = text[..d.span.start].rfind('\n').map_or(0, |p| p + 1);
        let line_end = text[d.span.end..]
            .find('\n')
            .map_or(text.len(), |p| d.span.end + p);
        let line = text[line_start..line_end].trim();
        if line.len() <= d.span.end - d.span.start + 16 {
            return Some(v);
        }
    }
    None
}

/// Extracts the mandate facts and mentions from one document's text.
///
/// Words hyphenated across a line break ("Dezem-\nber 2016", "be-\nschlossen" in printed papers)
/// are joined for matching; every span and `text` of the result still refers to the original text.
pub fn extract(text: &str, registry: &MissionRegistry, opts: &ExtractOptions) -> Extraction {
    let Some(joined) = text::Joined::new(text) else {
        return extract_plain(text, registry, opts);
    };
    let opts = ExtractOptions {
        lang: Some(opts.lang.unwrap_or_else(|| lang::detect(text))),
        title: Some(opts.title.clone().unwrap_or_else(|| title_of(text))),
        ..opts.clone()
    };
    let mut x = extract_plain(&joined.text, registry, &opts);
    remap(&mut x, text, &joined);
    x
}

/// Moves every span of `x`, found in the joined text, back to the original `text`, and takes every
/// `text` field anew from there.
fn remap(x: &mut Extraction, text: &str, joined: &text::Joined) {
    let fix = |span: &mut Span, t: &mut String| {
        *span = joined.original(*span);
        *t = span.slice(text).to_string();
    };
    let m = &mut x.mandate;
    if let Some(f) = m.ceiling.as_mut() {
        fix(&mut f.span, &mut f.text);
    }
    for f in m
        .cabinet_decision
        .iter_mut()
        .chain(m.mandate_start.iter_mut())
    {
        fix(&mut f.span, &mut f.text);
    }
    if let Some(f) = m.parliament_vote.as_mut() {
        fix(&mut f.span, &mut f.text);
    }
    if let Some(f) = m.mandate_end.as_mut() {
        fix(&mut f.span, &mut f.text);
    }
    for f in &mut m.legal_bases {
        fix(&mut f.span, &mut f.text);
    }
    if let Some(f) = m.costs_eur.as_mut() {
        fix(&mut f.span, &mut f.text);
    }
    for f in &mut m.deployed_strength {
        fix(&mut f.span, &mut f.text);
    }
    for f in &mut m.expiry_conditions {
        fix(&mut f.span, &mut f.text);
    }
    if let Some(f) = m.area.as_mut() {
        fix(&mut f.span, &mut f.text);
    }
    for f in &mut x.mentions {
        fix(&mut f.span, &mut f.text);
    }
    for d in &mut x.diagnostics {
        d.span = joined.original(d.span);
    }
}

/// The first non-empty line, without a crawl prefix, at most 200 chars.
fn title_of(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let line = CRAWL_PREFIX
        .find(line)
        .map_or(line, |m| line[m.end()..].trim());
    line.chars().take(200).collect()
}

/// [`extract`] on text taken as it is.
fn extract_plain(text: &str, registry: &MissionRegistry, opts: &ExtractOptions) -> Extraction {
    let lang = opts.lang.unwrap_or_else(|| lang::detect(text));
    let title = opts.title.clone().unwrap_or_else(|| title_of(text));

    // Dates are scanned once; a first resolution of those at the top, without a reference, finds
    // the dateline, and the real one resolves every date with it.
    let raw_dates = dates::scan(text);
    let doc_date = match opts.reference_date {
        Some(d) => Some(DateValue::Day(d)),
        None => {
            let head_end = {
                // Datelines stand at the top; 600 bytes hold the page furniture before them.
                let mut e = text.len().min(600);
                while !text.is_char_boundary(e) {
                    e -= 1;
                }
                e
            };
            let head = &text[..head_end];
            let in_head = raw_dates.partition_point(|d| d.span().end <= head_end);
            let head_dates =
                dates::resolve(head, &raw_dates[..in_head], &dates::DateContext::default());
            find_doc_date(head, &head_dates)
        }
    };
    let reference = match doc_date {
        Some(DateValue::Day(d)) => Some(d),
        Some(DateValue::Month { year, month }) => jiff::civil::Date::new(year, month, 1).ok(),
        Some(DateValue::Year(_)) | None => None,
    };
    let date_mentions = dates::resolve(
        text,
        &raw_dates,
        &dates::DateContext {
            reference,
            narrative_year: None,
        },
    );
    let personnel = personnel::find(text, lang);
    // One keyword scan tells the money and legal recognisers which of their patterns can match.
    let keywords = keywords::Keywords::scan(text);
    let money = money::find_with(text, lang, keywords);
    let legal = legal::find_with(text, lang, &date_mentions, keywords);
    let mission_mentions = registry.find(text);

    let found = assemble::Found {
        dates: &date_mentions,
        personnel: &personnel,
        money: &money,
        legal: &legal,
        missions: &mission_mentions,
    };
    let assembled = assemble::assemble(text, &found, registry, doc_date);
    let mut diagnostics = assembled.diagnostics;

    let mut mentions: Vec<Mention> = Vec::with_capacity(
        date_mentions.len() + personnel.len() + money.len() + legal.len() + mission_mentions.len(),
    );
    let mk = |kind: MentionKind, span: Span| Mention {
        kind,
        text: span.slice(text).to_string(),
        span,
    };
    for d in &date_mentions {
        match d.value {
            Ok(v) => mentions.push(mk(MentionKind::Date { value: Some(v) }, d.span)),
            Err(dates::Unresolved::NoYear) => {
                mentions.push(mk(MentionKind::Date { value: None }, d.span));
                diagnostics.push(Diagnostic {
                    code: DiagnosticCode::AmbiguousDate,
                    message: format!(
                        "no year for {:?} in the text or the dateline",
                        d.span.slice(text)
                    ),
                    span: d.span,
                });
            }
            Err(dates::Unresolved::Impossible) => diagnostics.push(Diagnostic {
                code: DiagnosticCode::ImpossibleDate,
                message: format!("{:?} is not a calendar date", d.span.slice(text)),
                span: d.span,
            }),
        }
    }
    for p in &personnel {
        mentions.push(mk(
            MentionKind::Personnel {
                value: p.value,
                modifier: p.modifier,
            },
            p.span,
        ));
    }
    for m in &money {
        mentions.push(mk(
            MentionKind::Money {
                value: m.value,
                modifier: m.modifier,
            },
            m.span,
        ));
    }
    for r in &legal {
        mentions.push(mk(
            MentionKind::LegalRef {
                value: r.id.to_string(),
                date: r.date,
            },
            r.span,
        ));
    }
    for m in &mission_mentions {
        mentions.push(mk(
            MentionKind::Mission {
                value: m.id.clone(),
            },
            m.span,
        ));
    }
    for (kind, span, date) in assembled.events {
        mentions.push(mk(MentionKind::Event { value: kind, date }, span));
    }
    mentions.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    diagnostics.sort_by_key(|d| d.span);

    let mut missions: Vec<String> = Vec::new();
    for m in &mission_mentions {
        if !missions.contains(&m.id) {
            missions.push(m.id.clone());
        }
    }
    Extraction {
        source: opts.source.clone(),
        lang,
        title,
        missions,
        mandate: assembled.mandate,
        mentions,
        diagnostics,
    }
}
