//! One keyword scan per document that tells the legal and money recognisers which of their patterns
//! can match at all. Each pattern is tied to literals that every one of its matches contains (read off
//! the pattern: a literal on every path through it); a pattern whose literals the text lacks is not
//! run, so what the patterns find is unchanged and only the scans that cannot find anything are left
//! out. The resolution pattern is not gated: its literal is case-insensitive under Unicode case
//! folding, which a fast case-sensitive scan cannot stand for.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// A set of patterns that may match in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keywords(u8);

impl Keywords {
    /// Sections and articles: "§" or "Art".
    pub const ARTICLE: Keywords = Keywords(1);
    /// EU Council decisions and joint actions: "(GASP)", "(CFSP)", "(PESC)", "/GASP", "/CFSP" or
    /// "/PESC".
    pub const EU: Keywords = Keywords(1 << 1);
    /// NATO decisions: "NATO", "NAC", "Nordatlant" or "North".
    pub const NATO: Keywords = Keywords(1 << 2);
    /// The Convention on the Law of the Sea: "Seerechts", "UNCLOS" or "nvention" (of "Convention").
    pub const UNCLOS: Keywords = Keywords(1 << 3);
    /// Euro amounts: "€", "EUR", "Euro" or "euro".
    pub const MONEY: Keywords = Keywords(1 << 4);
    /// Every pattern: what a recogniser runs without a scan.
    pub const ALL: Keywords = Keywords((1 << 5) - 1);
    /// No pattern.
    pub const NONE: Keywords = Keywords(0);

    /// Whether every pattern of `other` is in the set.
    pub fn contains(self, other: Keywords) -> bool {
        self.0 & other.0 == other.0
    }

    /// The patterns whose keywords `text` holds.
    pub fn scan(text: &str) -> Keywords {
        let mut found = 0u8;
        for m in SCANNER.find_iter(text) {
            found |= KEYWORDS[m.pattern().as_usize()].1.0;
            if found == Keywords::ALL.0 {
                break;
            }
        }
        Keywords(found)
    }
}

/// Each keyword with the patterns it opens. The keywords are case-sensitive, like the literals of
/// the patterns they stand for, and the search is leftmost-first: a keyword can only hide another
/// that overlaps it, and no two keywords of different patterns can overlap (a test checks this), so
/// every pattern with a keyword in the text is seen.
pub(crate) const KEYWORDS: &[(&str, Keywords)] = &[
    ("§", Keywords::ARTICLE),
    ("Art", Keywords::ARTICLE),
    ("(GASP)", Keywords::EU),
    ("(CFSP)", Keywords::EU),
    ("(PESC)", Keywords::EU),
    ("/GASP", Keywords::EU),
    ("/CFSP", Keywords::EU),
    ("/PESC", Keywords::EU),
    ("NATO", Keywords::NATO),
    ("NAC", Keywords::NATO),
    ("Nordatlant", Keywords::NATO),
    ("North", Keywords::NATO),
    ("Seerechts", Keywords::UNCLOS),
    ("UNCLOS", Keywords::UNCLOS),
    ("nvention", Keywords::UNCLOS),
    ("€", Keywords::MONEY),
    ("EUR", Keywords::MONEY),
    ("Euro", Keywords::MONEY),
    ("euro", Keywords::MONEY),
];

static SCANNER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(KEYWORDS.iter().map(|k| k.0))
        .expect("keywords build")
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether an occurrence of `b` can start inside an occurrence of `a` (at its start or later):
    /// a non-empty suffix of `a` is a prefix of `b`, or `b` lies within `a`.
    fn can_overlap(a: &str, b: &str) -> bool {
        a.contains(b) || (0..a.len()).any(|i| b.as_bytes().starts_with(&a.as_bytes()[i..]))
    }

    #[test]
    fn keywords_of_different_patterns_never_overlap() {
        for (a, sa) in KEYWORDS {
            for (b, sb) in KEYWORDS {
                if sa != sb {
                    assert!(!can_overlap(a, b), "{a:?} can hide {b:?}");
                }
            }
        }
    }

    #[test]
    fn scan_finds_each_keyword_in_its_case_only() {
        for (word, set) in KEYWORDS {
            for t in [
                word.to_string(),
                format!("vor {word} nach"),
                format!("NAC{word}Euro"),
            ] {
                assert!(Keywords::scan(&t).contains(*set), "{t:?}");
            }
        }
        assert_eq!(Keywords::scan("nach der Sitzung"), Keywords::NONE);
        assert_eq!(
            Keywords::scan("nato nac north art eUr gasp"),
            Keywords::NONE
        );
        assert_eq!(Keywords::scan(""), Keywords::NONE);
        let k = Keywords::scan("NATO-Art. 5; 3 Mio. EUR");
        assert!(k.contains(Keywords::NATO) && k.contains(Keywords::ARTICLE));
        assert!(k.contains(Keywords::MONEY) && !k.contains(Keywords::EU));
    }
}
