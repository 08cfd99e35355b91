//! Small text helpers shared by the recognisers: char-boundary-safe windows, word boundaries and a
//! linear sentence splitter.

use crate::model::Span;

/// Compiles a pattern with room for its lazy DFA: the recognisers' patterns are large alternations
/// over Unicode text, and with the default cache the DFA is rebuilt so often that matching falls
/// back to the much slower NFA simulation.
pub(crate) fn build_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
}

/// Merges windows of `before` bytes before and `after` bytes after each trigger (sorted by start)
/// into disjoint regions on char boundaries. A recogniser whose matches always contain a trigger runs
/// its full pattern only over these regions, each byte at most once.
pub(crate) fn trigger_regions(
    text: &str,
    triggers: impl Iterator<Item = (usize, usize)>,
    before: usize,
    after: usize,
) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (a, b) in triggers {
        let mut start = a.saturating_sub(before);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        let mut end = (b + after).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => out.push(Span::new(start, end)),
        }
    }
    out
}

/// The at most `max` bytes before `pos`, starting on a char boundary.
pub(crate) fn window_before(text: &str, pos: usize, max: usize) -> &str {
    let mut start = pos.saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..pos]
}

/// Whether the char before `pos` is a letter (so a match there would start inside a word).
pub(crate) fn is_letter_before(text: &str, pos: usize) -> bool {
    text[..pos]
        .chars()
        .next_back()
        .is_some_and(char::is_alphabetic)
}

/// Whether the char at `pos` is a letter or digit (so a match ending there would end inside a word).
pub(crate) fn is_word_char_at(text: &str, pos: usize) -> bool {
    text[pos..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

/// Whether any of the eight bytes of `w` is one at which [`sentences`] may cut (`\n . ! ? ;`), by
/// the classic zero-byte test on `w` xor each byte repeated.
fn has_break_byte(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    [b'\n', b'.', b'!', b'?', b';']
        .iter()
        .fold(0, |acc, &b| acc | zero(w ^ (LO * u64::from(b))))
        != 0
}

/// Splits `text` into sentence spans in one pass: a sentence ends at `.`, `!`, `?` or `;` followed by
/// whitespace and a capital letter, digit or quote, or at a blank line or a line break before a short
/// heading. Abbreviations before a capital ("Abs. 2", "Nr. 5") do not end a sentence because the next
/// char is a digit only when followed by a lower-case word, which we accept as a small error.
pub(crate) fn sentences(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    // Room for one sentence per 64 bytes; running text has about one per 100.
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let mut start = 0;
    // Where the current line starts: after the last line break seen (every `\n` is a break
    // candidate, so the loop below visits each one).
    let mut line_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time past text without a break candidate.
        while let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if has_break_byte(u64::from_le_bytes(word)) {
                break;
            }
            i += 8;
        }
        let Some(&b) = bytes.get(i) else { break };
        let mut cut = None;
        if b == b'\n' {
            let blank_line = bytes.get(i + 1) == Some(&b'\n') || bytes.get(i + 1) == Some(&b'\r');
            let after_stop = i > start && matches!(bytes[i - 1], b'.' | b'!' | b'?' | b':');
            if blank_line || after_stop {
                cut = Some(i + 1);
            } else {
                // Hard-wrapped paragraphs (printed papers) keep going on the next line; a heading is
                // short, has no trailing comma or hyphen, and is followed by a capital.
                let line_start = line_start.max(start);
                let prev = if i > 0 { bytes[i - 1] } else { b' ' };
                let next_upper = bytes
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_uppercase() || *c >= 0xC3);
                if i - line_start < 50 && !matches!(prev, b'-' | b',' | b';') && next_upper {
                    cut = Some(i + 1);
                }
            }
        } else if matches!(b, b'.' | b'!' | b'?' | b';')
            && bytes.get(i + 1) == Some(&b' ')
            && bytes
                .get(i + 2)
                .is_some_and(|c| c.is_ascii_uppercase() || *c >= 0xC3 || *c == b'"')
        {
            // "Abs." "Nr." "Art." "z." before a capital are rare; a one-letter or known
            // abbreviation does not end the sentence.
            let word_start = text[..i].rfind([' ', '\n', '(']).map_or(0, |p| p + 1);
            let word = &text[word_start..i];
            // "am 5. Februar": a number before the dot is a German ordinal, not a sentence end.
            let abbrev = word.len() <= 1
                || word.bytes().all(|c| c.is_ascii_digit())
                || matches!(
                    word,
                    "Abs"
                        | "Nr"
                        | "Art"
                        | "Dr"
                        | "Mr"
                        | "Mrs"
                        | "St"
                        | "bzw"
                        | "vgl"
                        | "ca"
                        | "Sept"
                        | "Oct"
                        | "Nov"
                        | "Dec"
                        | "Jan"
                        | "Feb"
                        | "Aug"
                        | "Gen"
                        | "Lt"
                        | "Col"
                );
            if !abbrev {
                cut = Some(i + 1);
            }
        }
        if b == b'\n' {
            line_start = i + 1;
        }
        if let Some(c) = cut {
            if c > start {
                out.push(Span::new(start, c));
            }
            start = c;
        }
        i += 1;
    }
    if start < text.len() {
        out.push(Span::new(start, text.len()));
    }
    out
}

/// Words that follow a truncation hyphen ("Verteidigungs- und Sicherheitskräfte"): a hyphen at a
/// line end before them is kept.
const AFTER_TRUNCATION: &[&str] = &["und", "oder", "bzw", "sowie", "als", "and", "or"];

/// The text with words hyphenated across a line break joined ("Dezem-\nber" -> "Dezember"), for
/// matching, and the map back to the bytes of the original text. Only a hyphen between two
/// lower-case letters, followed by a line break (and indentation), is removed; built in one pass.
pub(crate) struct Joined {
    /// The joined text.
    pub text: String,
    /// Per removed stretch: where it was in the joined text, and the bytes removed up to and
    /// including it.
    cuts: Vec<(usize, usize)>,
}

impl Joined {
    /// Joins the hyphenated words of `text`; `None` when there are none.
    pub(crate) fn new(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let mut out = String::new();
        let mut cuts = Vec::new();
        let mut copied = 0;
        let mut removed = 0;
        for (i, _) in text.match_indices("-\n") {
            let before = text[..i].chars().next_back();
            if !before.is_some_and(char::is_lowercase) {
                continue;
            }
            let mut j = i + 2;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r') {
                j += 1;
            }
            let rest = &text[j..];
            if !rest.chars().next().is_some_and(char::is_lowercase) {
                continue;
            }
            let word_end = rest
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len());
            if AFTER_TRUNCATION.contains(&&rest[..word_end]) {
                continue;
            }
            out.push_str(&text[copied..i]);
            removed += j - i;
            cuts.push((out.len(), removed));
            copied = j;
        }
        if cuts.is_empty() {
            return None;
        }
        out.push_str(&text[copied..]);
        Some(Self { text: out, cuts })
    }

    /// The bytes removed before joined position `pos`; `at_cut` says whether a cut exactly at
    /// `pos` counts (for a start it does: the span begins after the removed bytes).
    fn removed_before(&self, pos: usize, at_cut: bool) -> usize {
        let n = if at_cut {
            self.cuts.partition_point(|(c, _)| *c <= pos)
        } else {
            self.cuts.partition_point(|(c, _)| *c < pos)
        };
        n.checked_sub(1).map_or(0, |k| self.cuts[k].1)
    }

    /// The span of the original text that `s`, a span of the joined text, covers.
    pub(crate) fn original(&self, s: Span) -> Span {
        let start = s.start + self.removed_before(s.start, true);
        let end = s.end + self.removed_before(s.end, false);
        Span::new(start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences() {
        let t = "Das Kabinett hat beschlossen. Der Bundestag muss zustimmen.\nÜberschrift\nNach Art. 24 GG gilt.";
        let s: Vec<&str> = sentences(t).iter().map(|s| s.slice(t)).collect();
        assert_eq!(
            s,
            vec![
                "Das Kabinett hat beschlossen.",
                " Der Bundestag muss zustimmen.\n",
                "Überschrift\n",
                "Nach Art. 24 GG gilt."
            ]
        );
    }

    #[test]
    fn windows_respect_char_boundaries() {
        let t = "ääää";
        assert_eq!(window_before(t, 8, 3), "ä");
    }

    #[test]
    fn joins_words_hyphenated_at_line_ends() {
        let t = "bis zum 30. Novem-\n  ber 2031 mit Ver-\nteidigungs- und Marine-\nEinheiten, Land-\nund See";
        let j = Joined::new(t).expect("two words joined");
        assert_eq!(
            j.text,
            "bis zum 30. November 2031 mit Verteidigungs- und Marine-\nEinheiten, Land-\nund See"
        );
        let at = j.text.find("30. November 2031").expect("joined date");
        let s = j.original(Span::new(at, at + "30. November 2031".len()));
        assert_eq!(s.slice(t), "30. Novem-\n  ber 2031");
        let at = j.text.find("Verteidigungs").expect("joined word");
        let s = j.original(Span::new(at, at + 3));
        assert_eq!(s.slice(t), "Ver");
        let s = j.original(Span::new(at + 3, at + 13));
        assert_eq!(s.slice(t), "teidigungs");
        assert!(Joined::new("kein Tren-\nNung und ein Ende-").is_none());
    }
}
