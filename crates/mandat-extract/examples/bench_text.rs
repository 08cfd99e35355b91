//! Writes the benchmark's realistic text of a given size in bytes (documents separated by form
//! feeds) to a file, so that other tools can run on exactly the same text.
//!
//! usage: bench_text BYTES OUT

#[path = "../benches/corpus_text.rs"]
mod corpus_text;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let bytes: usize = args.next().ok_or("usage: bench_text BYTES OUT")?.parse()?;
    let out = args.next().ok_or("usage: bench_text BYTES OUT")?;
    let docs = corpus_text::documents();
    std::fs::write(out, corpus_text::text_of_size(&docs, bytes))?;
    Ok(())
}
