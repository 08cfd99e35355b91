//! Nothing lost: SIGKILL a writer process many times mid-ingest, then check the database.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::synthetic::Rng;
use mandat_store::{Clearance, DocumentId, Store};
use sqlx::Row;

/// The example binary `cargo test` builds next to this test's `deps` directory.
fn worker_path() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let path = dir
        .join("examples")
        .join(format!("ingest_worker{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: `cargo test -p mandat-store` builds it (run the crate's tests, not only this file)",
        path.display()
    );
    path
}

fn spawn(url: &str, seed: u64, start: u64) -> Child {
    Command::new(worker_path())
        .args([url, &seed.to_string(), &start.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn worker")
}

/// Reads acknowledged hashes from a worker's stdout until it ends.
fn collect_acks(child: &mut Child) -> std::thread::JoinHandle<Vec<String>> {
    let out = child.stdout.take().expect("piped stdout");
    std::thread::spawn(move || {
        BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| {
                l.strip_prefix("ack ")
                    .map(|r| r.split(' ').next().unwrap_or("").to_owned())
            })
            .collect()
    })
}

#[test]
fn sigkill_during_ingest_loses_no_acknowledged_document() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.sqlite").display());
    let mut rng = Rng::new(42);
    let mut acked = Vec::new();
    for round in 0..20u64 {
        // Overlapping ranges: some documents are re-ingested (dedupe path) after a crash.
        let mut child = spawn(&url, 5, round * 40);
        let reader = collect_acks(&mut child);
        std::thread::sleep(Duration::from_millis(150 + rng.below(350)));
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        acked.extend(reader.join().unwrap());
    }
    assert!(
        acked.len() >= 20,
        "workers acknowledged only {} documents",
        acked.len()
    );

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let check: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(check, "ok");
        // No partial rows: every document has its passages, its two claims and their events.
        let bad: i64 = sqlx::query(
            "SELECT COUNT(*) FROM documents d WHERE \
             (SELECT COUNT(*) FROM claims c WHERE c.document_id = d.id) <> 2 \
             OR NOT EXISTS (SELECT 1 FROM passages p WHERE p.document_id = d.id) \
             OR EXISTS (SELECT 1 FROM claims c WHERE c.document_id = d.id \
                        AND NOT EXISTS (SELECT 1 FROM review_events e WHERE e.claim_id = c.id))",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
        assert_eq!(bad, 0, "documents with partial rows");
        pool.close().await;

        let store = Store::open(&url).await.unwrap();
        for hash in &acked {
            let id: DocumentId = store
                .document_id_by_hash(hash)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("acknowledged document {hash} is missing"));
            assert!(
                store
                    .document(id, Clearance::PUBLIC)
                    .await
                    .unwrap()
                    .is_some()
            );
        }
        // The store still takes writes after all the crashes.
        let (doc, claims) = common::synthetic::document(5, 1_000_000);
        store
            .ingest_document(doc, claims, &common::editor())
            .await
            .unwrap();
        store.close().await;
    });
}
