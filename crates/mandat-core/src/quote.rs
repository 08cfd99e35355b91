//! Quotes: short verbatim spans of a source, written with whitespace normalised.
//!
//! A quote in the dataset reads as the source reads, except that every run of whitespace is one
//! space (line breaks of printed papers become spaces) and a word broken at the end of a line may
//! be written with or without the space after its hyphen ("beschlosse-nen" or "beschlosse- nen"
//! for "beschlosse-\nnen"). [`find_quote`] finds such a quote in a document's text and returns
//! the exact byte span it covers there, so a fact can cite the span rather than a copy.

use std::ops::Range;

/// `s` with every run of whitespace made one space and the ends trimmed: the written form of a
/// quote.
pub fn normalise_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The byte range of the first place in `text` that reads as `quote` under the rules of the
/// module: whitespace in the quote matches one or more whitespace characters of the text, and
/// whitespace of the text right after a hyphen may be left out of the quote. `None` when the
/// quote is empty or not there.
///
/// Runs in O(n · k) for a text of n bytes and a quote of k in the worst case, and in about O(n)
/// for natural-language quotes, where a candidate position fails within a few characters.
pub fn find_quote(text: &str, quote: &str) -> Option<Range<usize>> {
    let quote = quote.trim();
    let first = quote.chars().next()?;
    text.match_indices(first)
        .find_map(|(start, _)| match_at(text, start, quote).map(|end| start..end))
}

/// The end of the match of `quote` (trimmed, not empty) at byte `start` of `text`, if it matches.
fn match_at(text: &str, start: usize, quote: &str) -> Option<usize> {
    let mut t = text[start..].char_indices().peekable();
    let mut q = quote.chars().peekable();
    let mut end = start;
    let mut after_hyphen = false;
    while let Some(&qc) = q.peek() {
        if qc.is_whitespace() {
            while q.peek().is_some_and(|c| c.is_whitespace()) {
                q.next();
            }
            // At least one whitespace character of the text.
            if !t.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                return None;
            }
            while t.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                t.next();
            }
            after_hyphen = false;
            continue;
        }
        let &(i, tc) = t.peek()?;
        if tc == qc {
            t.next();
            q.next();
            end = start + i + tc.len_utf8();
            after_hyphen = tc == '-';
        } else if after_hyphen && tc.is_whitespace() {
            while t.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                t.next();
            }
            after_hyphen = false;
        } else {
            return None;
        }
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<'a>(text: &'a str, quote: &str) -> Option<&'a str> {
        find_quote(text, quote).map(|r| &text[r])
    }

    #[test]
    fn a_quote_matches_across_line_breaks_and_runs_of_spaces() {
        let text = "Die Bundesregierung hat am 14. Mai 2014 die Fortsetzung der Beteiligung be-\nwaffneter deutscher Streitkräfte\n  beschlossen.";
        assert_eq!(
            found(text, "am 14. Mai 2014 die Fortsetzung"),
            Some("am 14. Mai 2014 die Fortsetzung")
        );
        assert_eq!(
            found(
                text,
                "Beteiligung be- waffneter deutscher Streitkräfte beschlossen."
            ),
            Some("Beteiligung be-\nwaffneter deutscher Streitkräfte\n  beschlossen.")
        );
        assert_eq!(
            found(text, "be-waffneter deutscher"),
            Some("be-\nwaffneter deutscher"),
            "the space after a line-break hyphen may be left out"
        );
    }

    #[test]
    fn a_quote_must_be_there_word_for_word() {
        let text = "mit bis zu 150 Soldatinnen und Soldaten";
        assert_eq!(found(text, "bis zu 160 Soldatinnen"), None);
        assert_eq!(
            found(text, "bis zu150"),
            None,
            "a space of the text is not optional"
        );
        assert_eq!(found(text, "Soldaten und"), None);
        assert_eq!(found(text, ""), None);
        assert_eq!(found(text, "   "), None);
        assert_eq!(found(text, " 150 Soldatinnen "), Some("150 Soldatinnen"));
    }

    #[test]
    fn the_first_of_several_places_is_taken_and_a_false_start_is_skipped() {
        let text = "am 2. Mai, am 22. Mai und am 22. Mai";
        assert_eq!(find_quote(text, "am 22. Mai"), Some(11..21));
    }

    #[test]
    fn spans_end_on_character_boundaries() {
        let text = "„Der Deutsche Bundestag stimmt zu.“ Danach";
        let r = find_quote(text, "Bundestag stimmt zu.“").expect("found");
        assert_eq!(&text[r], "Bundestag stimmt zu.“");
    }

    #[test]
    fn normalising_makes_one_space_of_every_run() {
        assert_eq!(normalise_space("  a \n\t b  c\n"), "a b c");
        assert_eq!(normalise_space(""), "");
    }

    proptest::proptest! {
        #[test]
        fn a_normalised_slice_of_a_text_is_found_there(
            words in proptest::collection::vec("[a-zäöü0-9.„“-]{1,8}", 1..30),
            seps in proptest::collection::vec("[ \n\t]{1,3}", 30),
            from in 0usize..30,
            len in 1usize..30,
        ) {
            let mut text = String::new();
            for (i, w) in words.iter().enumerate() {
                text.push_str(w);
                text.push_str(&seps[i]);
            }
            let from = from % words.len();
            let to = (from + len).min(words.len());
            let quote = words[from..to].join(" ");
            let r = find_quote(&text, &quote).expect("a slice of the text is found");
            // An earlier place may differ only by a line-break hyphen's space.
            let loose = |s: &str| normalise_space(s).replace("- ", "-");
            proptest::prop_assert_eq!(loose(&text[r]), loose(&quote));
        }
    }
}
