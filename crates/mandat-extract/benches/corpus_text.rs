//! Realistic benchmark text: the seed documents and the development corpus (read from `../shared`
//! beside the repository at bench time), repeated with variation until a target size is reached.
//! Documents are separated by a form feed so that per-document runs can split them again.

use std::path::PathBuf;

/// The documents of seeds and corpus.
pub fn documents() -> Vec<String> {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let mut docs = Vec::new();
    for dir in [shared.join("seeds"), shared.join("corpus/docs")] {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("benchmark text needs {}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for p in paths {
            docs.push(std::fs::read_to_string(&p).expect("document is UTF-8"));
        }
    }
    docs
}

/// About `bytes` of text: the documents in rotating order, each copy with its figures and years
/// shifted so that no two copies are identical.
pub fn text_of_size(docs: &[String], bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    let mut round = 0usize;
    while out.len() < bytes {
        for i in 0..docs.len() {
            let d = &docs[(i + round) % docs.len()];
            let shift = (round % 7) as u8;
            out.extend(d.chars().map(|c| match c {
                '0'..='9' if shift > 0 => char::from(b'0' + ((c as u8 - b'0' + shift) % 10)),
                other => other,
            }));
            out.push('\u{c}');
            if out.len() >= bytes {
                break;
            }
        }
        round += 1;
    }
    out
}
