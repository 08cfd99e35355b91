//! Tokenising, stemming and cutting documents into passages for search.
//!
//! Both backends index the *same* stems produced here, so a query finds the same passages on SQLite
//! (FTS5 over space-separated stems) and PostgreSQL (a `tsvector` built from the stems with their
//! positions, no text-search configuration involved).

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Longest passage in tokens. Keeps PostgreSQL's tsvector limits (256 positions per lexeme, 16383
/// positions) out of reach, so phrase matching behaves the same on both backends.
pub(crate) const MAX_PASSAGE_TOKENS: usize = 200;

static GERMAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::German));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Which stemmer a document's language selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StemLang {
    German,
    English,
    /// Unknown language: lower-cased tokens only.
    Plain,
}

impl StemLang {
    pub(crate) const ALL: [StemLang; 3] = [StemLang::German, StemLang::English, StemLang::Plain];

    pub(crate) fn for_lang(lang: &str) -> Self {
        match lang {
            "de" => StemLang::German,
            "en" => StemLang::English,
            _ => StemLang::Plain,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            StemLang::German => "de",
            StemLang::English => "en",
            StemLang::Plain => "none",
        }
    }

    /// The FTS5 column holding passages stemmed this way.
    pub(crate) fn fts_column(self) -> &'static str {
        match self {
            StemLang::German => "de",
            StemLang::English => "en",
            StemLang::Plain => "plain",
        }
    }

    fn stem(self, lower: &str) -> String {
        match self {
            StemLang::German => GERMAN.stem(&german_umlauts(lower)).into_owned(),
            StemLang::English => ENGLISH.stem(lower).into_owned(),
            StemLang::Plain => lower.to_owned(),
        }
    }
}

/// Reads the transliterations `ae`, `oe`, `ue` (not after `q`) as umlauts, as Snowball's "german2"
/// variant does, so that "Einsaetze" and "Einsätze" stem alike. Applied to documents and queries
/// alike, a rare wrong reading ("Feuer") still matches itself.
fn german_umlauts(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    let mut prev: Option<char> = None;
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        let umlaut = match (c, chars.peek()) {
            ('a', Some('e')) => Some('ä'),
            ('o', Some('e')) => Some('ö'),
            ('u', Some('e')) if prev != Some('q') => Some('ü'),
            _ => None,
        };
        match umlaut {
            Some(u) => {
                chars.next();
                out.push(u);
                prev = Some(u);
            }
            None => {
                out.push(c);
                prev = Some(c);
            }
        }
    }
    out
}

/// A token: byte range in the text and its lower-cased form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    start: usize,
    end: usize,
    lower: String,
}

/// Tokens are maximal runs of alphanumeric characters; everything else separates ("20/6655" is two
/// tokens, matched again as a phrase).
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(token(text, s, i));
                start = None;
            }
            (true, Some(_)) | (false, None) => {}
        }
    }
    if let Some(s) = start {
        out.push(token(text, s, text.len()));
    }
    out
}

fn token(text: &str, start: usize, end: usize) -> Token {
    // Lower-casing can yield non-alphanumeric marks (e.g. combining dots); drop them so that the
    // FTS5 tokenizer sees exactly the characters we index.
    let lower = text[start..end]
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    Token { start, end, lower }
}

/// A passage of a document with its stems in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Passage {
    pub start: usize,
    pub end: usize,
    pub stems: Vec<String>,
}

impl Passage {
    /// FTS5 input: stems separated by spaces.
    pub(crate) fn fts_text(&self) -> String {
        self.stems.join(" ")
    }

    /// A PostgreSQL `tsvector` literal: each stem, prefixed with the stemming language so that a
    /// query stemmed for German only meets German passages (as FTS5's per-language columns do),
    /// with its 1-based positions.
    pub(crate) fn tsvector_literal(&self, prefix: &str) -> String {
        let mut by_stem: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        for (i, s) in self.stems.iter().enumerate() {
            by_stem.entry(s).or_default().push(i + 1);
        }
        let mut out = String::new();
        for (stem, positions) in by_stem {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push('\'');
            out.push_str(prefix);
            out.push('_');
            out.push_str(stem);
            out.push_str("':");
            let pos: Vec<String> = positions.iter().map(|p| p.to_string()).collect();
            out.push_str(&pos.join(","));
        }
        out
    }
}

/// Cuts text into passages at blank lines, and every [`MAX_PASSAGE_TOKENS`] tokens.
pub(crate) fn passages(text: &str, lang: StemLang) -> Vec<Passage> {
    let toks = tokens(text);
    let mut out: Vec<Passage> = Vec::new();
    let mut current: Option<Passage> = None;
    let mut prev_end = 0;
    for t in toks {
        let gap = &text[prev_end..t.start];
        let paragraph_break = gap.matches('\n').count() >= 2;
        if let Some(p) = current.take() {
            if paragraph_break || p.stems.len() >= MAX_PASSAGE_TOKENS {
                out.push(p);
            } else {
                current = Some(p);
            }
        }
        let p = current.get_or_insert_with(|| Passage {
            start: t.start,
            end: t.end,
            stems: Vec::new(),
        });
        p.end = t.end;
        p.stems.push(lang.stem(&t.lower));
        prev_end = t.end;
    }
    out.extend(current);
    out
}

/// A parsed search query: every term must occur in the same passage; a term of several tokens is a
/// phrase (tokens adjacent, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedQuery {
    terms: Vec<Vec<String>>,
}

impl ParsedQuery {
    /// `"bis zu 400" Soldaten` gives the phrase `bis zu 400` and the term `soldaten`.
    pub(crate) fn parse(q: &str) -> Option<Self> {
        let mut terms = Vec::new();
        for (i, part) in q.split('"').enumerate() {
            let quoted = i % 2 == 1;
            if quoted {
                let t: Vec<String> = tokens(part).into_iter().map(|t| t.lower).collect();
                if !t.is_empty() {
                    terms.push(t);
                }
            } else {
                for word in part.split_whitespace() {
                    let t: Vec<String> = tokens(word).into_iter().map(|t| t.lower).collect();
                    if !t.is_empty() {
                        terms.push(t);
                    }
                }
            }
        }
        (!terms.is_empty()).then_some(Self { terms })
    }

    fn stemmed(&self, lang: StemLang) -> Vec<Vec<String>> {
        self.terms
            .iter()
            .map(|t| t.iter().map(|w| lang.stem(w)).collect())
            .collect()
    }

    /// FTS5 MATCH expression: for each stemming language, all terms in that language's column:
    /// `(de : "a b" AND de : "c") OR (en : ...) OR (plain : ...)`. Stems are alphanumeric only, so
    /// quoting cannot be broken out of.
    pub(crate) fn fts5(&self) -> String {
        StemLang::ALL
            .iter()
            .map(|&lang| {
                let col = lang.fts_column();
                let parts: Vec<String> = self
                    .stemmed(lang)
                    .iter()
                    .map(|t| format!("{col} : \"{}\"", t.join(" ")))
                    .collect();
                format!("({})", parts.join(" AND "))
            })
            .collect::<Vec<_>>()
            .join(" OR ")
    }

    /// PostgreSQL `tsquery` literal over language-prefixed lexemes:
    /// `(('de_a' <-> 'de_b') & ('de_c')) | ((...en...)) | ((...none...))`.
    pub(crate) fn tsquery(&self) -> String {
        StemLang::ALL
            .iter()
            .map(|&lang| {
                let parts: Vec<String> = self
                    .stemmed(lang)
                    .iter()
                    .map(|t| {
                        let inner: Vec<String> =
                            t.iter().map(|s| format!("'{}_{s}'", lang.code())).collect();
                        format!("({})", inner.join(" <-> "))
                    })
                    .collect();
                format!("({})", parts.join(" & "))
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_on_punctuation_and_keep_offsets() {
        let text = "Drucksache 20/6655: Einsätze";
        let t = tokens(text);
        let words: Vec<&str> = t.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Drucksache", "20", "6655", "Einsätze"]);
        assert_eq!(t[3].lower, "einsätze");
    }

    #[test]
    fn german_stems_fold_plural_and_umlaut() {
        let a = passages("Einsätze der Bundeswehr", StemLang::German);
        let b = passages("Einsatz", StemLang::German);
        assert_eq!(a[0].stems[0], b[0].stems[0]);
    }

    #[test]
    fn german_transliterated_umlauts_match() {
        let a = passages("Einsaetze", StemLang::German);
        let b = passages("Einsätze", StemLang::German);
        assert_eq!(a[0].stems, b[0].stems);
        assert_eq!(german_umlauts("quelle"), "quelle");
    }

    #[test]
    fn english_stems_plural() {
        let a = passages("soldiers deployed", StemLang::English);
        assert_eq!(a[0].stems, ["soldier", "deploy"]);
    }

    #[test]
    fn blank_line_starts_a_new_passage() {
        let text = "Erster Absatz hier.\n\nZweiter Absatz.";
        let p = passages(text, StemLang::Plain);
        assert_eq!(p.len(), 2);
        assert_eq!(&text[p[0].start..p[0].end], "Erster Absatz hier");
        assert_eq!(&text[p[1].start..p[1].end], "Zweiter Absatz");
    }

    #[test]
    fn long_paragraphs_are_cut() {
        let text = "wort ".repeat(MAX_PASSAGE_TOKENS * 2 + 1);
        let p = passages(&text, StemLang::Plain);
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|p| p.stems.len() <= MAX_PASSAGE_TOKENS));
    }

    #[test]
    fn query_parses_phrases_and_words() {
        let q = ParsedQuery::parse("\"bis zu 400\" Soldaten 20/6655").unwrap();
        assert_eq!(
            q.fts5(),
            "(de : \"bis zu 400\" AND de : \"soldat\" AND de : \"20 6655\") OR \
             (en : \"bis zu 400\" AND en : \"soldaten\" AND en : \"20 6655\") OR \
             (plain : \"bis zu 400\" AND plain : \"soldaten\" AND plain : \"20 6655\")"
        );
        assert!(q.tsquery().starts_with(
            "(('de_bis' <-> 'de_zu' <-> 'de_400') & ('de_soldat') & ('de_20' <-> 'de_6655')) | "
        ));
        assert!(ParsedQuery::parse(" \"\" ,; ").is_none());
    }

    #[test]
    fn tsvector_lists_positions() {
        let p = passages("a b a", StemLang::Plain);
        assert_eq!(p[0].tsvector_literal("none"), "'none_a':1,3 'none_b':2");
    }
}
