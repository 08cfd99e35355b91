//! Cheap language detection by stopword counts; enough to tell German from English.

use crate::model::Lang;

const DE: &[&str] = &[
    "der", "die", "das", "und", "ist", "nicht", "mit", "den", "dem", "des", "ein", "eine", "zu",
    "auf", "sich", "für", "von", "im", "wird", "werden", "hat", "auch", "bis",
];
const EN: &[&str] = &[
    "the", "and", "is", "of", "to", "in", "that", "with", "for", "on", "are", "was", "has", "by",
    "its", "be", "will", "from", "as", "it",
];

/// Detects German or English from the first 1,500 bytes; ties go to German. ("Für" compares
/// ASCII-case-insensitively only, which is enough: stopwords are written in lower case.)
pub fn detect(text: &str) -> Lang {
    let mut end = text.len().min(1_500);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let (mut de, mut en) = (0usize, 0usize);
    for w in text[..end].split(|c: char| !c.is_alphabetic()) {
        if w.is_empty() || w.len() > 6 {
            continue;
        }
        if DE.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            de += 1;
        }
        if EN.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            en += 1;
        }
    }
    if en > de { Lang::En } else { Lang::De }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects() {
        assert_eq!(
            detect("Das Kabinett hat den Einsatz der Bundeswehr beschlossen."),
            Lang::De
        );
        assert_eq!(
            detect("The cabinet has approved the deployment of the troops."),
            Lang::En
        );
        assert_eq!(detect(""), Lang::De);
    }
}
