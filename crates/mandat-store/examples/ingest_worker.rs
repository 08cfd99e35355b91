//! Ingests synthetic documents in a loop and prints `ack <content-hash> <n>` after each commit.
//! The crash test SIGKILLs it at random moments and then checks that every acknowledged document
//! survived; the concurrency test runs it beside in-process writers.
//!
//! Usage: `ingest_worker DATABASE_URL SEED START [COUNT]`

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

use std::io::Write;

use mandat_store::{Actor, IngestOutcome, Role, Store};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, seed, start, rest @ ..] = args.as_slice() else {
        eprintln!("usage: ingest_worker DATABASE_URL SEED START [COUNT]");
        std::process::exit(2);
    };
    let seed: u64 = seed.parse().expect("SEED is a number");
    let start: u64 = start.parse().expect("START is a number");
    let count: u64 = rest
        .first()
        .map(|c| c.parse().expect("COUNT is a number"))
        .unwrap_or(u64::MAX);
    let store = match Store::open(url).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("open failed: {e}");
            std::process::exit(1);
        }
    };
    let actor = Actor::new("worker", Role::Editor);
    let mut stdout = std::io::stdout().lock();
    for n in start..start.saturating_add(count) {
        let (doc, claims) = synthetic::document(seed, n);
        let hash = doc.content_hash.clone();
        match store.ingest_document(doc, claims, &actor).await {
            Ok(IngestOutcome::Stored { .. }) => writeln!(stdout, "ack {hash} {n}"),
            Ok(IngestOutcome::AlreadyPresent(_)) => writeln!(stdout, "dup {hash} {n}"),
            Err(e) => {
                eprintln!("ingest {n} failed: {e}");
                std::process::exit(1);
            }
        }
        .and_then(|()| stdout.flush())
        .expect("stdout");
    }
}
