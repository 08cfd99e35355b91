//! Store benchmarks on SQLite and PostgreSQL: ingest rate and database size at the ingest size, and
//! search latency (p50/p99) at the ingest size and at the search size, so growth shows.
//!
//! `cargo bench -p mandat-store --bench store`. Documents are generated from the bundled real
//! documents (see `support/corpus.rs`). Sizes via `MANDAT_BENCH_INGEST` (default 10000) and
//! `MANDAT_BENCH_SEARCH` (default 100000); `MANDAT_BENCH_BACKENDS` (default `sqlite,postgres`);
//! PostgreSQL at `MANDAT_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`), in a
//! schema of its own that is dropped afterwards (kept with `MANDAT_BENCH_KEEP=1`, to inspect plans).
//! Per-query medians with `MANDAT_BENCH_DETAIL=1`. Without `--bench` (as under `cargo test
//! --all-targets`) it runs a seconds-long smoke pass.
//!
//! Ingest is one document per transaction, one writer: what `mandat ingest` does on SQLite (on
//! PostgreSQL it runs four writers; `cargo bench -p mandat-app --bench ingest` measures that end to
//! end). Growing the archive from the ingest size to the search size uses 4 concurrent writers on PostgreSQL (SQLite
//! serialises writers anyway) and is reported separately. Before searching, PostgreSQL's planner
//! statistics are refreshed (`ANALYZE`), as autovacuum does within a minute of a bulk load.
//!
//! Every figure is also printed as a `result ...` line of `key=value` pairs for `bench/store/run.sh`.

#[path = "support/corpus.rs"]
mod corpus;

use std::sync::Arc;
use std::time::{Duration, Instant};

use corpus::Corpus;
use mandat_store::scratch::ScratchSchema;
use mandat_store::{Actor, Role, SearchQuery, Store};

/// Words, phrases and filters of everyday use: frequent and rare words, a phrase of frequent words
/// with a rare figure, a single-document phrase, a miss, and filtered searches.
/// (text, mission, language, published from)
type Query = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

const QUERIES: &[Query] = &[
    ("Bundeswehr", None, None, None),
    ("Soldatinnen", None, None, None),
    ("Kosovo", None, None, None),
    ("\"bis zu 400\"", None, None, None),
    ("Sicherheitslage", None, None, None),
    ("\"Federal Cabinet\"", None, None, None),
    ("security presence", None, None, None),
    ("Pristina", None, None, None),
    ("Pistorius", None, None, None),
    ("Terrorismus Allianz", None, None, None),
    ("\"Drucksache 20/4711\"", None, None, None),
    ("nichtvorhanden", None, None, None),
    ("Soldaten", Some("UNIFIL"), None, None),
    ("mandate", None, Some("en"), Some("2020-01-01")),
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pg_url() -> String {
    mandat_store::scratch::test_server_url()
}

/// Ingests documents `from..to` with `writers` concurrent writers; returns the elapsed time.
async fn ingest(store: &Store, corpus: &Arc<Corpus>, from: u64, to: u64, writers: u64) -> Duration {
    let t = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..writers {
        let (store, corpus) = (store.clone(), Arc::clone(corpus));
        tasks.push(tokio::spawn(async move {
            let actor = Actor::new("bench", Role::Editor);
            let mut n = from + w;
            while n < to {
                let (doc, claims) = corpus.document(n);
                store
                    .ingest_document(doc, claims, &actor)
                    .await
                    .expect("ingest");
                n += writers;
            }
        }));
    }
    for task in tasks {
        task.await.expect("writer");
    }
    t.elapsed()
}

/// One backend under test: the store, and how to measure its size.
struct Bench {
    name: &'static str,
    store: Store,
    sqlite_path: Option<std::path::PathBuf>,
    pg: Option<ScratchSchema>,
}

impl Bench {
    async fn sqlite(dir: &std::path::Path) -> Self {
        let path = dir.join("bench.sqlite");
        let store = Store::open(&format!("sqlite://{}", path.display()))
            .await
            .expect("open sqlite");
        Self {
            name: "sqlite",
            store,
            sqlite_path: Some(path),
            pg: None,
        }
    }

    async fn postgres() -> Option<Self> {
        let url = pg_url();
        let schema = match ScratchSchema::create(&url, "mandat_bench").await {
            Ok(s) => s,
            Err(e) => {
                println!("postgres: NOT RUN, server unreachable at {url}: {e}");
                return None;
            }
        };
        let store = Store::open(schema.url()).await.expect("open postgres");
        Some(Self {
            name: "postgres",
            store,
            sqlite_path: None,
            pg: Some(schema),
        })
    }

    /// Bytes on disk: the SQLite file with its WAL, or PostgreSQL's tables with their indexes and
    /// TOAST.
    async fn size(&self) -> u64 {
        if let Some(path) = &self.sqlite_path {
            return ["", "-wal", "-shm"]
                .iter()
                .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
                .map(|m| m.len())
                .sum();
        }
        let schema = self.pg.as_ref().expect("postgres");
        schema.size_bytes().await.expect("size")
    }

    async fn analyze(&self) {
        if let Some(schema) = &self.pg {
            for table in ["documents", "document_missions", "passages", "claims"] {
                let name = schema.name();
                sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {name}.{table}")))
                    .execute(schema.admin())
                    .await
                    .expect("analyze");
            }
        }
    }

    async fn finish(self) {
        self.store.close().await;
        if let Some(schema) = self.pg {
            if std::env::var_os("MANDAT_BENCH_KEEP").is_some() {
                let name = schema.name();
                println!("postgres: schema {name} kept for inspection (MANDAT_BENCH_KEEP)");
                return;
            }
            schema.drop_schema().await.expect("drop schema");
        }
    }
}

/// p50 and p99 over `rounds` passes of all queries (first page of 20), and the mean hits per query.
async fn search_latencies(store: &Store, rounds: usize) -> (Duration, Duration, f64) {
    let mut times = Vec::new();
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
    let mut hits = 0usize;
    for _ in 0..rounds {
        for (i, (text, mission, lang, from)) in QUERIES.iter().enumerate() {
            let q = SearchQuery {
                mission: mission.map(str::to_owned),
                lang: lang.map(str::to_owned),
                from: from.map(|d| d.parse().expect("date")),
                ..SearchQuery::new(*text)
            };
            let t = Instant::now();
            hits += store.search(&q).await.expect("search").len();
            times.push(t.elapsed());
            per_query[i].push(t.elapsed());
        }
    }
    if std::env::var_os("MANDAT_BENCH_DETAIL").is_some() {
        for (q, t) in QUERIES.iter().zip(&mut per_query) {
            t.sort();
            println!("  {:>8.2} ms median  {q:?}", ms(t[t.len() / 2]));
        }
    }
    times.sort();
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (p(0.5), p(0.99), hits as f64 / times.len() as f64)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

async fn search_report(b: &Bench, docs: u64, rounds: usize) {
    b.analyze().await;
    let (p50, p99, hits) = search_latencies(&b.store, rounds).await;
    let bytes = b.size().await;
    println!(
        "search {} over {docs} docs ({:.0} MB): p50 {:.2} ms, p99 {:.2} ms ({} queries x {rounds}, first page of 20, {hits:.1} hits/query)",
        b.name,
        bytes as f64 / 1e6,
        ms(p50),
        ms(p99),
        QUERIES.len()
    );
    println!(
        "result kind=search backend={} docs={docs} db_bytes={bytes} p50_ms={:.3} p99_ms={:.3} hits_per_query={hits:.1}",
        b.name,
        ms(p50),
        ms(p99)
    );
}

async fn run(b: Bench, corpus: &Arc<Corpus>, ingest_n: u64, search_n: u64, rounds: usize) {
    let half = ingest_n / 2;
    let first = ingest(&b.store, corpus, 0, half, 1).await;
    let size_half = b.size().await;
    let second = ingest(&b.store, corpus, half, ingest_n, 1).await;
    let size = b.size().await;
    let total = (first + second).as_secs_f64();
    println!(
        "ingest {}: {ingest_n} docs in {total:.1} s = {:.0} docs/s (first half {:.0}/s, second half {:.0}/s); \
         db {:.1} MB ({:.1} MB at half) = {:.1} KB/doc",
        b.name,
        ingest_n as f64 / total,
        half as f64 / first.as_secs_f64(),
        (ingest_n - half) as f64 / second.as_secs_f64(),
        size as f64 / 1e6,
        size_half as f64 / 1e6,
        size as f64 / ingest_n as f64 / 1e3
    );
    println!(
        "result kind=ingest backend={} docs={ingest_n} seconds={total:.2} docs_per_s={:.1} db_bytes={size} db_bytes_half={size_half}",
        b.name,
        ingest_n as f64 / total
    );
    search_report(&b, ingest_n, rounds).await;
    if search_n > ingest_n {
        let writers = if b.pg.is_some() { 4 } else { 1 };
        let took = ingest(&b.store, corpus, ingest_n, search_n, writers).await;
        let added = search_n - ingest_n;
        println!(
            "grow {} to {search_n} docs: {added} docs at {:.0} docs/s with {writers} writer(s)",
            b.name,
            added as f64 / took.as_secs_f64()
        );
        println!(
            "result kind=grow backend={} docs={search_n} writers={writers} docs_per_s={:.1}",
            b.name,
            added as f64 / took.as_secs_f64()
        );
        search_report(&b, search_n, rounds).await;
    }
    b.finish().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (ingest_n, search_n, rounds) = if full {
        (
            env_usize("MANDAT_BENCH_INGEST", 10_000) as u64,
            env_usize("MANDAT_BENCH_SEARCH", 100_000) as u64,
            20,
        )
    } else {
        (40, 100, 1)
    };
    let backends =
        std::env::var("MANDAT_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let corpus = Arc::new(Corpus::load());
    for backend in backends.split(',').map(str::trim) {
        match backend {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temp dir");
                let b = Bench::sqlite(dir.path()).await;
                run(b, &corpus, ingest_n, search_n, rounds).await;
            }
            "postgres" => {
                if let Some(b) = Bench::postgres().await {
                    run(b, &corpus, ingest_n, search_n, rounds).await;
                }
            }
            other => println!("unknown backend {other:?} (sqlite, postgres)"),
        }
    }
}
