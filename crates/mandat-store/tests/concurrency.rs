//! Readers and writers in parallel on one SQLite file, in-process and from a second process: no
//! "database is locked" (or any other) error.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::synthetic;
use mandat_store::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_readers_and_writers_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("busy.sqlite").display());
    let store = Store::open(&url).await.unwrap();
    // A second pool on the same file behaves like another process in the same program.
    let other = Store::open(&url).await.unwrap();

    let worker = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(|d| d.parent())
        .unwrap()
        .join("examples/ingest_worker");
    assert!(
        worker.exists(),
        "{} missing: run the crate's tests with `cargo test -p mandat-store`",
        worker.display()
    );
    let process = Command::new(&worker)
        .args([url.as_str(), "9", "0", "60"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let mut tasks = Vec::new();
    for w in 0..4u64 {
        let s = if w % 2 == 0 {
            store.clone()
        } else {
            other.clone()
        };
        tasks.push(tokio::spawn(async move {
            for i in 0..25 {
                let (doc, claims) = synthetic::document(100 + w, i);
                let out = s
                    .ingest_document(doc, claims, &common::editor())
                    .await
                    .unwrap();
                if let IngestOutcome::Stored { claims, .. } = out {
                    s.review(claims[0], ReviewDecision::Accept, &common::reviewer(), None)
                        .await
                        .unwrap();
                }
            }
        }));
    }
    for r in 0..4usize {
        let s = if r % 2 == 0 {
            store.clone()
        } else {
            other.clone()
        };
        tasks.push(tokio::spawn(async move {
            let deadline = Instant::now() + Duration::from_secs(2);
            while Instant::now() < deadline {
                s.search(&SearchQuery::new(
                    ["Bundeswehr", "soldiers", "Mittelmeer"][r % 3],
                ))
                .await
                .unwrap();
                s.claims(&ClaimFilter::default(), None).await.unwrap();
                s.status().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let status = tokio::task::spawn_blocking(move || process.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        status.status.success(),
        "worker failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let st = store.status().await.unwrap();
    assert_eq!(st.documents, Some(160));
    assert_eq!(
        store
            .claims(&ClaimFilter::default(), None)
            .await
            .unwrap()
            .len(),
        100
    );
}
