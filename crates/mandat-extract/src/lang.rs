//! Cheap language detection by stopword counts; enough to tell German from English.

use crate::model::Lang;

/// A word of at most six bytes packed into an integer with its length, so that the stopword test
/// is a few integer comparisons rather than string comparisons (it runs once per word of every
/// document's head).
const fn key(word: &[u8]) -> u64 {
    let mut k = word.len() as u64;
    let mut i = 0;
    while i < word.len() {
        k = (k << 8) | word[i].to_ascii_lowercase() as u64;
        i += 1;
    }
    k
}

/// Sorts keys at compile time, for binary search.
const fn sorted<const N: usize>(mut keys: [u64; N]) -> [u64; N] {
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && keys[j - 1] > keys[j] {
            let t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    keys
}

macro_rules! keys {
    ($($w:literal),* $(,)?) => { sorted([$(key($w)),*]) };
}

const DE: [u64; 23] = keys!(
    b"der",
    b"die",
    b"das",
    b"und",
    b"ist",
    b"nicht",
    b"mit",
    b"den",
    b"dem",
    b"des",
    b"ein",
    b"eine",
    b"zu",
    b"auf",
    b"sich",
    b"f\xc3\xbcr",
    b"von",
    b"im",
    b"wird",
    b"werden",
    b"hat",
    b"auch",
    b"bis",
);
const EN: [u64; 20] = keys!(
    b"the", b"and", b"is", b"of", b"to", b"in", b"that", b"with", b"for", b"on", b"are", b"was",
    b"has", b"by", b"its", b"be", b"will", b"from", b"as", b"it",
);

/// Detects German or English from the first 1,500 bytes; ties go to German. ("Für" compares
/// ASCII-case-insensitively only, which is enough: stopwords are written in lower case.)
pub fn detect(text: &str) -> Lang {
    let mut end = text.len().min(1_500);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let (mut de, mut en) = (0usize, 0usize);
    // Words are the maximal runs of alphabetic chars; each is packed into a key as it is read
    // (`key` of its bytes), and only words of at most six bytes are looked up.
    let (mut k, mut len) = (0u64, 0usize);
    let mut count = |k: u64, len: usize| {
        if (1..=6).contains(&len) {
            let k = k | (len as u64) << (8 * len);
            de += usize::from(DE.binary_search(&k).is_ok());
            en += usize::from(EN.binary_search(&k).is_ok());
        }
    };
    // Whether the multi-byte char being read is alphabetic (its continuation bytes follow its lead).
    let mut in_letter = false;
    for (i, &b) in head.as_bytes().iter().enumerate() {
        let letter_byte = if b.is_ascii() {
            let lower = b | 0x20;
            lower.wrapping_sub(b'a') < 26
        } else if b >= 0xC0 {
            in_letter = head[i..].chars().next().is_some_and(char::is_alphabetic);
            in_letter
        } else {
            in_letter
        };
        if letter_byte {
            if len < 7 {
                k = (k << 8) | u64::from(b.to_ascii_lowercase());
            }
            len += 1;
        } else if len > 0 {
            count(k, len);
            (k, len) = (0, 0);
        }
    }
    count(k, len);
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
