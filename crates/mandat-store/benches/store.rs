//! Store benchmarks: ingest rate and database size on SQLite and PostgreSQL, and search latency
//! (p50/p99) over a large SQLite archive, each at two sizes to show how cost grows.
//!
//! `cargo bench -p mandat-store --bench store`; sizes via `MANDAT_BENCH_INGEST` (default 10000) and
//! `MANDAT_BENCH_SEARCH` (default 100000); PostgreSQL at `MANDAT_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Without `--bench` (as under `cargo test
//! --all-targets`) it runs a seconds-long smoke pass.

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

use std::time::{Duration, Instant};

use mandat_store::{Actor, Role, SearchQuery, Store};
use sqlx::Row;

const QUERIES: &[&str] = &[
    "Bundeswehr",
    "Einsatz",
    "soldiers",
    "\"bis zu 400 Soldatinnen\"",
    "Mittelmeer Sicherheit",
    "\"Federal Cabinet\" Lebanon",
    "Ausbildung Sicherheitskräfte",
    "Kosovo",
    "\"printed paper 20/17\"",
    "Horn Afrika",
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Ingests documents `from..to`; returns the elapsed time.
async fn ingest(store: &Store, from: u64, to: u64) -> Duration {
    let actor = Actor::new("bench", Role::Editor);
    let t = Instant::now();
    for n in from..to {
        let (doc, claims) = synthetic::document(1, n);
        store
            .ingest_document(doc, claims, &actor)
            .await
            .expect("ingest");
    }
    t.elapsed()
}

fn sqlite_size(path: &std::path::Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

async fn bench_ingest_sqlite(n: u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite");
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let half = n / 2;
    let a = ingest(&store, 0, half).await;
    let size_half = sqlite_size(&path);
    let b = ingest(&store, half, n).await;
    let size = sqlite_size(&path);
    println!(
        "ingest sqlite: {n} docs in {:.1} s = {:.0} docs/s (first half {:.0}/s, second half {:.0}/s); \
         db {:.1} MB ({:.1} MB at half) = {:.1} KB/doc",
        (a + b).as_secs_f64(),
        n as f64 / (a + b).as_secs_f64(),
        half as f64 / a.as_secs_f64(),
        (n - half) as f64 / b.as_secs_f64(),
        mb(size),
        mb(size_half),
        size as f64 / n as f64 / 1e3
    );
    store.close().await;
}

async fn bench_ingest_postgres(n: u64) {
    let url = std::env::var("MANDAT_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let admin = match sqlx::PgPool::connect(&url).await {
        Ok(p) => p,
        Err(e) => {
            println!("ingest postgres: NOT RUN, server unreachable at {url}: {e}");
            return;
        }
    };
    let schema = format!("mandat_bench_{}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    let store = Store::open(&format!("{url}{sep}options=-c%20search_path%3D{schema}"))
        .await
        .unwrap();
    let half = n / 2;
    let a = ingest(&store, 0, half).await;
    let b = ingest(&store, half, n).await;
    let size: i64 = sqlx::query(
        "SELECT CAST(COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS BIGINT) FROM pg_class c \
         JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relkind = 'r'",
    )
    .bind(&schema)
    .fetch_one(&admin)
    .await
    .unwrap()
    .get(0);
    println!(
        "ingest postgres: {n} docs in {:.1} s = {:.0} docs/s (first half {:.0}/s, second half {:.0}/s); \
         tables+indexes {:.1} MB = {:.1} KB/doc",
        (a + b).as_secs_f64(),
        n as f64 / (a + b).as_secs_f64(),
        half as f64 / a.as_secs_f64(),
        (n - half) as f64 / b.as_secs_f64(),
        mb(size as u64),
        size as f64 / n as f64 / 1e3
    );
    let (p50, p99, hits) = search_latencies(&store, 20).await;
    println!(
        "search postgres over {n} docs: p50 {:.2} ms, p99 {:.2} ms ({} queries x 20, first page of 20, {hits} hits)",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        QUERIES.len()
    );
    store.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&admin)
        .await
        .unwrap();
}

async fn search_latencies(store: &Store, rounds: usize) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let mut hits = 0;
    for _ in 0..rounds {
        for q in QUERIES {
            let t = Instant::now();
            hits += store.search(&SearchQuery::new(*q)).await.unwrap().len();
            times.push(t.elapsed());
        }
    }
    times.sort();
    let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    (p(0.5), p(0.99), hits)
}

async fn bench_search_sqlite(n: u64, rounds: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.sqlite");
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let mut done = 0;
    for size in [n / 10, n] {
        let added = size - done;
        let took = ingest(&store, done, size).await;
        done = size;
        let (p50, p99, hits) = search_latencies(&store, rounds).await;
        println!(
            "search sqlite over {size} docs ({:.0} MB, built at {:.0} docs/s): p50 {:.2} ms, p99 {:.2} ms \
             ({} queries x {rounds}, first page of 20, {hits} hits)",
            mb(sqlite_size(&path)),
            added as f64 / took.as_secs_f64().max(1e-9),
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            QUERIES.len()
        );
    }
    store.close().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (ingest_n, search_n, rounds) = if full {
        (
            env_usize("MANDAT_BENCH_INGEST", 10_000),
            env_usize("MANDAT_BENCH_SEARCH", 100_000),
            20,
        )
    } else {
        (50, 100, 1)
    };
    bench_ingest_sqlite(ingest_n as u64).await;
    bench_ingest_postgres(ingest_n as u64).await;
    bench_search_sqlite(search_n as u64, rounds).await;
}
