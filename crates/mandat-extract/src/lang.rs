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

macro_rules! keys {
    ($($w:literal),* $(,)?) => { [$(key($w)),*] };
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

/// Slots of the stopword table: a power of two with room enough that a multiplier found at compile
/// time sends every stopword to its own slot.
const SLOTS: usize = 256;

/// The slot of a key under multiplier `m`.
const fn slot(k: u64, m: u64) -> usize {
    (k.wrapping_mul(m) >> 56) as usize
}

/// Whether multiplier `m` sends all keys to distinct slots.
const fn perfect(m: u64) -> bool {
    let mut used = [false; SLOTS];
    let mut i = 0;
    while i < DE.len() + EN.len() {
        let k = if i < DE.len() {
            DE[i]
        } else {
            EN[i - DE.len()]
        };
        let s = slot(k, m);
        if used[s] {
            return false;
        }
        used[s] = true;
        i += 1;
    }
    true
}

/// The first odd multiplier of a fixed sequence (a splitmix-style walk) that hashes the stopwords
/// without collision; found when the crate is compiled.
const MULT: u64 = {
    let mut m: u64 = 0x9E37_79B9_7F4A_7C15;
    while !perfect(m) {
        m = m
            .wrapping_add(0x9E37_79B9_7F4A_7C15)
            .wrapping_mul(0xBF58_476D_1CE4_E5B9)
            | 1;
    }
    m
};

/// Per slot, the stopword key that hashes there (0, no word's key, when empty) and its language:
/// 1 German, 2 English.
const TABLE: ([u64; SLOTS], [u8; SLOTS]) = {
    let mut keys = [0u64; SLOTS];
    let mut langs = [0u8; SLOTS];
    let mut i = 0;
    while i < DE.len() + EN.len() {
        let (k, l) = if i < DE.len() {
            (DE[i], 1)
        } else {
            (EN[i - DE.len()], 2)
        };
        keys[slot(k, MULT)] = k;
        langs[slot(k, MULT)] = l;
        i += 1;
    }
    (keys, langs)
};

/// How many of the eight bytes of `w` (in memory order) are ASCII letters before the first one
/// that is not: per byte, the high bit of `t + 0x1F` says `t >= b'a'` and that of `t + 0x05` says
/// `t >= b'{'`, on `t` the byte folded to lower case without its high bit (so no sum carries into
/// the next byte); bytes with the high bit set are not ASCII.
fn ascii_letter_run(w: u64) -> usize {
    const HI: u64 = 0x8080_8080_8080_8080;
    let t = (w | 0x2020_2020_2020_2020) & !HI;
    let at_least_a = t + 0x1F1F_1F1F_1F1F_1F1F;
    let past_z = t + 0x0505_0505_0505_0505;
    let letters = at_least_a & !past_z & !w & HI;
    ((!letters & HI).trailing_zeros() / 8) as usize
}

/// Whether the char starting at byte `i` of `s` (a char boundary) is alphabetic, and its length.
fn letter_at(s: &str, i: usize) -> (bool, usize) {
    s[i..]
        .chars()
        .next()
        .map_or((false, 1), |c| (c.is_alphabetic(), c.len_utf8()))
}

/// Detects German or English from the first 1,500 bytes; ties go to German. ("Für" compares
/// ASCII-case-insensitively only, which is enough: stopwords are written in lower case.)
pub fn detect(text: &str) -> Lang {
    let mut end = text.len().min(1_500);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let bytes = head.as_bytes();
    let (mut de, mut en) = (0usize, 0usize);
    // Words are the maximal runs of alphabetic chars; only words of at most six bytes are looked
    // up, by their `key` in a collision-free hash table.
    let mut i = 0;
    while i < bytes.len() {
        // Skip to the next letter.
        let b = bytes[i];
        let (letter, len) = if b < 0x80 {
            (b.is_ascii_alphabetic(), 1)
        } else {
            letter_at(head, i)
        };
        let start = i;
        i += len;
        if !letter {
            continue;
        }
        // Read the rest of the word, eight ASCII letters at a time where it can.
        while let Some(&b) = bytes.get(i) {
            if let Some(chunk) = bytes.get(i..i + 8) {
                let mut word = [0u8; 8];
                word.copy_from_slice(chunk);
                let run = ascii_letter_run(u64::from_le_bytes(word));
                i += run;
                if run == 8 {
                    continue;
                }
                if bytes[i] < 0x80 {
                    break;
                }
            } else if b < 0x80 {
                if !b.is_ascii_alphabetic() {
                    break;
                }
                i += 1;
                continue;
            }
            // A char beyond ASCII.
            let (letter, len) = letter_at(head, i);
            if !letter {
                break;
            }
            i += len;
        }
        if i - start <= 6 {
            let word = &bytes[start..i];
            let k = key(word);
            let s = slot(k, MULT);
            if TABLE.0[s] == k {
                match TABLE.1[s] {
                    1 => de += 1,
                    _ => en += 1,
                }
            }
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

    /// The plain definition: split the head into maximal runs of alphabetic chars and count the
    /// stopwords of each language among them.
    fn detect_plain(text: &str) -> Lang {
        let mut end = text.len().min(1_500);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let (mut de, mut en) = (0, 0);
        for w in text[..end].split(|c: char| !c.is_alphabetic()) {
            if (1..=6).contains(&w.len()) {
                de += usize::from(DE.contains(&key(w.as_bytes())));
                en += usize::from(EN.contains(&key(w.as_bytes())));
            }
        }
        if en > de { Lang::En } else { Lang::De }
    }

    #[test]
    fn hashed_lookup_counts_like_the_plain_definition() {
        let words = [
            "the",
            "The",
            "der",
            "DIE",
            "für",
            "Für",
            "and",
            "of",
            "Über",
            "ist",
            "is",
            "in",
            "im",
            "werden",
            "will",
            "from",
            "µs",
            "×",
            "ß",
            "e",
            "2024",
            "Bundeswehr",
            "troops",
            "café",
            "naïve",
            "ﬁ",
            "İ",
            "über",
            "it's",
            "zu",
            "to",
            "été",
        ];
        let seps = [" ", ", ", "\n", "-", "'", "·", "\u{a0}", "€", ""];
        // A deterministic walk through word and separator sequences, long enough to cross the
        // 1,500-byte cut inside multi-byte chars.
        let mut state = 7u64;
        for _ in 0..400 {
            let mut text = String::new();
            while text.len() < 1_600 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(words[(state >> 33) as usize % words.len()]);
                text.push_str(seps[(state >> 17) as usize % seps.len()]);
                let cut = (state >> 40) as usize % 2_000;
                if text.len() > cut {
                    assert_eq!(detect(&text), detect_plain(&text), "{text:?}");
                }
            }
            assert_eq!(detect(&text), detect_plain(&text), "{text:?}");
        }
        for key in DE.iter().chain(&EN) {
            assert_eq!(TABLE.0[slot(*key, MULT)], *key);
        }
    }
}
