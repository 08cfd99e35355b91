//! Benchmark documents generated from the bundled real documents (`data/documents/seeds`): each one
//! takes a seed's lines in order, drops some, splices in lines of another seed of the same language,
//! and draws every number anew with as many digits (years stay years), so the vocabulary, sentence
//! lengths and paragraph shapes are those of real press releases and articles, while every document
//! has its own bytes, figures and a printed paper number of its own.

use std::path::Path;

use mandat_store::{Clearance, FactId, NewClaim, NewDocument, NewEvidence};
use serde_json::json;

/// Missions a generated document is filed under (the text keeps its seed's mission names), so the
/// mission filter selects about one document in eight.
const MISSIONS: &[&str] = &[
    "KFOR",
    "UNIFIL",
    "EUFOR Althea",
    "Sea Guardian",
    "Atalanta",
    "Irini",
    "UNMISS",
    "NATO Mission Iraq",
];

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Template {
    lang: &'static str,
    lines: Vec<String>,
}

pub struct Corpus {
    templates: Vec<Template>,
}

/// German if German function words outnumber English ones.
fn language(text: &str) -> &'static str {
    let count = |words: &[&str]| {
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| words.contains(w))
            .count()
    };
    if count(&["der", "die", "und", "das"]) > count(&["the", "and", "of", "to"]) {
        "de"
    } else {
        "en"
    }
}

impl Corpus {
    /// Reads the seed documents of the repository's dataset.
    pub fn load() -> Self {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/documents/seeds");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("seed documents at {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let templates: Vec<Template> = paths
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("seed document is UTF-8");
                Template {
                    lang: language(&text),
                    lines: text.lines().map(str::to_owned).collect(),
                }
            })
            .collect();
        assert!(
            templates.iter().any(|t| t.lang == "de") && templates.iter().any(|t| t.lang == "en"),
            "seeds in both languages"
        );
        Self { templates }
    }

    /// Document `n`: about 2-5 KB of real-document text with new figures, and two claims on the
    /// spans of its first two figures.
    pub fn document(&self, n: u64) -> (NewDocument, Vec<NewClaim>) {
        let mut rng = Rng::new(n ^ 0x5EED_0000);
        let t = &self.templates[rng.below(self.templates.len() as u64) as usize];
        let same_lang: Vec<&Template> =
            self.templates.iter().filter(|o| o.lang == t.lang).collect();
        let other = same_lang[rng.below(same_lang.len() as u64) as usize];
        let mut lines: Vec<&str> = Vec::new();
        for (i, line) in t.lines.iter().enumerate() {
            // The title always stays; other lines stay four times in five.
            if i == 0 || rng.below(5) != 0 {
                lines.push(line);
            }
            if !other.lines.is_empty() && rng.below(6) == 0 {
                lines.push(&other.lines[rng.below(other.lines.len() as u64) as usize]);
            }
        }
        let mut text = String::new();
        let mut figures: Vec<(usize, usize)> = Vec::new();
        for line in lines {
            let mut digits = String::new();
            for c in line.chars().chain(std::iter::once('\n')) {
                if c.is_ascii_digit() {
                    digits.push(c);
                    continue;
                }
                if !digits.is_empty() {
                    let start = text.len();
                    text.push_str(&redraw(&digits, &mut rng));
                    figures.push((start, text.len()));
                    digits.clear();
                }
                text.push(c);
            }
        }
        let paper = if t.lang == "de" {
            format!("\nDrucksache 20/{n}\n")
        } else {
            format!("\nPrinted paper 20/{n}\n")
        };
        text.push_str(&paper);
        let year = 2005 + rng.below(21);
        let date = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
        let mission = MISSIONS[rng.below(MISSIONS.len() as u64) as usize];
        let claims = figures
            .iter()
            .take(2)
            .enumerate()
            .map(|(i, &(start, end))| NewClaim {
                fact_id: FactId::new(format!("bench-{n}-{i}")).expect("fact id"),
                kind: "strength_report".into(),
                missions: vec![mission.into()],
                valid_from: Some(date.clone()),
                recorded_at: None,
                payload: json!({"kind": "strength_report", "mission": mission,
                                "value": text[start..end].parse::<u64>().unwrap_or(0)}),
                evidence: NewEvidence::InDocument {
                    start: start as u64,
                    end: end as u64,
                },
                classification: Clearance::PUBLIC,
            })
            .collect();
        let doc = NewDocument {
            source: format!("bench://{n}"),
            content_hash: hex_sha256(text.as_bytes()),
            media_type: "text/plain".into(),
            lang: t.lang.into(),
            title: text.lines().next().map(str::to_owned),
            published: Some(date.parse().expect("valid date")),
            bytes_len: text.len() as u64,
            text,
            classification: Clearance::PUBLIC,
            missions: vec![mission.into()],
        };
        (doc, claims)
    }
}

/// A new number with as many digits; four-digit numbers that look like years stay years.
fn redraw(digits: &str, rng: &mut Rng) -> String {
    let len = digits.len().min(18) as u32;
    if len == 4 && (digits.starts_with("19") || digits.starts_with("20")) {
        return (1990 + rng.below(36)).to_string();
    }
    if len == 1 {
        return rng.below(10).to_string();
    }
    let low = 10u64.pow(len - 1);
    (low + rng.below(9 * low)).to_string()
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
