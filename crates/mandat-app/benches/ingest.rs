//! End-to-end ingest, as `mandat ingest` does it: load the bytes, detect the language, extract,
//! turn the extraction into proposals, and store document, passages and proposals once per content
//! hash. Documents are generated from the bundled real documents (the store benchmark's
//! generator). Each backend is measured twice on a fresh store: one document at a time
//! (`sequential`, what `mandat ingest` did before it ran concurrently) and through
//! `App::ingest_many` as `mandat ingest` runs it now (`concurrent`: loading and extraction on one
//! thread per processor, one writer on SQLite, four on PostgreSQL). Prints documents/s for the
//! first tenth and for the whole run, so growth shows, and the database size.
//!
//! `cargo bench -p mandat-app --bench ingest`. Size via `MANDAT_BENCH_INGEST` (default 10000);
//! `MANDAT_BENCH_BACKENDS` (default `sqlite,postgres`); `MANDAT_BENCH_MODES` (default
//! `sequential,concurrent`); PostgreSQL at `MANDAT_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), in a fresh schema dropped afterwards. Without
//! `--bench` (as under `cargo test --all-targets`) it runs a smoke pass of 40 documents.

#[path = "../../mandat-store/benches/support/corpus.rs"]
mod corpus;

use std::time::{Duration, Instant};

use mandat_app::{App, Concurrency, IngestInput, Ingested};
use mandat_load::Limits;
use mandat_store::scratch::ScratchSchema;
use mandat_store::{Actor, BackendKind};

/// Where a run stores: a SQLite file or a PostgreSQL schema, and how to measure and drop it.
enum Target {
    Sqlite(tempfile::TempDir),
    Postgres(ScratchSchema),
}

impl Target {
    async fn new(backend: &str, run: &str) -> Option<(Self, String)> {
        match backend {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("ingest.sqlite").display());
                Some((Target::Sqlite(dir), url))
            }
            "postgres" => {
                let url = mandat_store::scratch::test_server_url();
                let schema = match ScratchSchema::create(
                    &url,
                    &format!("mandat_bench_ingest_{run}"),
                )
                .await
                {
                    Ok(s) => s,
                    Err(e) => {
                        println!("postgres: NOT RUN, server unreachable at {url}: {e}");
                        return None;
                    }
                };
                let store_url = schema.url().to_owned();
                Some((Target::Postgres(schema), store_url))
            }
            other => {
                println!("unknown backend {other:?} (sqlite, postgres)");
                None
            }
        }
    }

    /// Bytes on disk: the SQLite file with its WAL, or the schema's tables with indexes and TOAST.
    async fn size(&self) -> u64 {
        match self {
            Target::Sqlite(dir) => ["ingest.sqlite", "ingest.sqlite-wal"]
                .iter()
                .filter_map(|f| std::fs::metadata(dir.path().join(f)).ok())
                .map(|m| m.len())
                .sum(),
            Target::Postgres(schema) => schema.size_bytes().await.expect("size"),
        }
    }

    async fn drop(self) {
        if let Target::Postgres(schema) = self {
            schema.drop_schema().await.expect("drop schema");
        }
    }
}

/// Counts of one run, and when the first tenth was done.
#[derive(Default)]
struct Tally {
    done: u64,
    stored: u64,
    proposals: u64,
    first_tenth: Option<Duration>,
}

impl Tally {
    fn add(&mut self, outcome: Ingested, tenth: u64, start: Instant) {
        if let Ingested::Stored { proposals, .. } = outcome {
            self.stored += 1;
            self.proposals += proposals as u64;
        }
        self.done += 1;
        if self.done == tenth {
            self.first_tenth = Some(start.elapsed());
        }
    }
}

async fn run(corpus: &corpus::Corpus, backend: &str, mode: &str, n: u64) {
    let Some((target, url)) = Target::new(backend, mode).await else {
        return;
    };
    let app = App::open(&url).await.expect("open store");
    let actor = Actor::system();
    let tenth = (n / 10).max(1);
    let bytes: u64 = (0..n).map(|i| corpus.document(i).0.text.len() as u64).sum();
    let input = |i: u64| {
        let (doc, _) = corpus.document(i);
        let source = format!("bench-{i}.txt");
        (source, doc.text.into_bytes())
    };
    let start = Instant::now();
    let mut tally = Tally::default();
    let concurrency = Concurrency::for_backend(
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        app.store.backend(),
    );
    if mode == "sequential" {
        for i in 0..n {
            let (source, raw) = input(i);
            let loaded =
                mandat_load::load_auto(&raw, Some(&source), &Limits::default()).expect("loads");
            let outcome = app
                .ingest(&source, &raw, &loaded, &actor)
                .await
                .expect("ingest");
            tally.add(outcome, tenth, start);
        }
    } else {
        let inputs = (0..n).map(|i| {
            let (source, bytes) = input(i);
            IngestInput::Bytes {
                name: Some(source.clone()),
                source,
                bytes,
            }
        });
        app.ingest_many(
            inputs,
            Limits::default(),
            concurrency,
            &actor,
            |_, _, outcome| tally.add(outcome.expect("ingest"), tenth, start),
        )
        .await;
    }
    let total = start.elapsed();
    let size = target.size().await;
    app.store.close().await;
    target.drop().await;
    let t1 = tally.first_tenth.unwrap_or(total).as_secs_f64();
    let (backend_name, how) = match (app.store.backend(), mode) {
        (BackendKind::Sqlite, "sequential") => ("SQLite", "one document at a time".to_owned()),
        (BackendKind::Postgres, "sequential") => {
            ("PostgreSQL", "one document at a time".to_owned())
        }
        (BackendKind::Sqlite, _) => (
            "SQLite",
            format!("{} extracting, 1 writer", concurrency.jobs),
        ),
        (BackendKind::Postgres, _) => (
            "PostgreSQL",
            format!(
                "{} extracting, {} writers",
                concurrency.jobs, concurrency.writers
            ),
        ),
    };
    println!(
        "ingest (load, extract, store) of {n} documents ({:.1} MB) on {backend_name}, {how}: {:.1} s, \
         {:.0} documents/s (first {tenth}: {:.0}/s), {} stored, {} proposals, database {:.1} MB",
        bytes as f64 / 1e6,
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64(),
        tenth as f64 / t1,
        tally.stored,
        tally.proposals,
        size as f64 / 1e6
    );
    println!(
        "result kind=ingest_e2e backend={backend} mode={mode} docs={n} seconds={:.2} docs_per_s={:.1} db_bytes={size}",
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64()
    );
    assert_eq!(tally.stored, n, "every generated document is new");
}

#[tokio::main(flavor = "multi_thread")]
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
    let backends =
        std::env::var("MANDAT_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let modes =
        std::env::var("MANDAT_BENCH_MODES").unwrap_or_else(|_| "sequential,concurrent".into());
    let corpus = corpus::Corpus::load();
    for backend in backends.split(',').map(str::trim) {
        for mode in modes.split(',').map(str::trim) {
            if !matches!(mode, "sequential" | "concurrent") {
                println!("unknown mode {mode:?} (sequential, concurrent)");
                continue;
            }
            run(&corpus, backend, mode, n).await;
        }
    }
}
