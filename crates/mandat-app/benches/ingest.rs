//! End-to-end ingest, as `mandat ingest` does it: load the bytes, detect the language, extract,
//! turn the extraction into proposals, and store document, passages and proposals once per content
//! hash, on a fresh SQLite file. Documents are generated from the bundled real documents (the
//! store benchmark's generator). Prints documents/s for the first tenth and for the whole run, so
//! growth shows, and the database size.
//!
//! `cargo bench -p mandat-app --bench ingest` (size via `MANDAT_BENCH_INGEST`, default 10000).
//! Without `--bench` it runs a smoke pass of 40 documents.

#[path = "../../mandat-store/benches/support/corpus.rs"]
mod corpus;

use std::time::Instant;

use mandat_app::{App, Ingested};
use mandat_load::Limits;
use mandat_store::Actor;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let n: u64 = if full {
        std::env::var("MANDAT_BENCH_INGEST")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000)
    } else {
        40
    };
    let corpus = corpus::Corpus::load();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ingest.sqlite");
    let app = App::open(&format!("sqlite://{}", path.display()))
        .await
        .expect("open store");
    let actor = Actor::system();
    let tenth = (n / 10).max(1);
    let start = Instant::now();
    let mut first_tenth = None;
    let (mut stored, mut proposals, mut bytes) = (0u64, 0u64, 0u64);
    for i in 0..n {
        let (doc, _) = corpus.document(i);
        let raw = doc.text.into_bytes();
        bytes += raw.len() as u64;
        let source = format!("bench-{i}.txt");
        let loaded =
            mandat_load::load_auto(&raw, Some(&source), &Limits::default()).expect("loads");
        match app
            .ingest(&source, &raw, &loaded, &actor)
            .await
            .expect("ingest")
        {
            Ingested::Stored { proposals: p, .. } => {
                stored += 1;
                proposals += p as u64;
            }
            Ingested::AlreadyPresent(_) => {}
        }
        if i + 1 == tenth {
            first_tenth = Some(start.elapsed());
        }
    }
    let total = start.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.path().join("ingest.sqlite-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    let t1 = first_tenth.unwrap_or(total).as_secs_f64();
    println!(
        "ingest (load, extract, store) of {n} documents ({:.1} MB) on SQLite: {:.1} s, {:.0} documents/s \
         (first {tenth}: {:.0}/s), {stored} stored, {proposals} proposals, database {:.1} MB",
        bytes as f64 / 1e6,
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64(),
        tenth as f64 / t1,
        size as f64 / 1e6
    );
    assert_eq!(stored, n, "every generated document is new");
}
