//! Language detection restricted to German and English.

use whatlang::Detector;

use crate::Lang;

/// Detection reads at most this many bytes from the start: a page of text decides the language, and the
/// cost stays constant for a 50 MiB document.
const SAMPLE_BYTES: usize = 16 * 1024;

/// Fewer letters than this cannot tell German from English reliably (a title, a date line).
const MIN_LETTERS: usize = 20;

/// Below this whatlang confidence the two candidates are too close to call.
const MIN_CONFIDENCE: f64 = 0.5;

pub(crate) fn detect(text: &str) -> Option<Lang> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let detector = Detector::with_allowlist(vec![whatlang::Lang::Deu, whatlang::Lang::Eng]);
    let info = detector.detect(sample)?;
    if info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    match info.lang() {
        whatlang::Lang::Deu => Some(Lang::De),
        whatlang::Lang::Eng => Some(Lang::En),
        // The allowlist holds only the two; any other answer means "undecided".
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: Option<Lang>) {
        assert_eq!(detect(text), expect, "{text}");
    }

    #[test]
    fn german_and_english_are_told_apart() {
        check(
            "Der Deutsche Bundestag hat am Donnerstag der Verlängerung des Einsatzes zugestimmt.",
            Some(Lang::De),
        );
        check(
            "The German parliament on Thursday approved the extension of the deployment.",
            Some(Lang::En),
        );
    }

    #[test]
    fn short_text_is_undecided() {
        check("KFOR 2024", None);
        check("", None);
        check("12.05.1999 – 400", None);
    }
}
