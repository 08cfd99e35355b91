//! PostgreSQL with concurrent writers: the change log never shows a later event while an earlier
//! one is uncommitted, so a sync cursor or a cache can never move past an event it has not seen.

mod common;

use std::time::{Duration, Instant};

use common::synthetic;
use mandat_store::*;
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_wait_for_earlier_uncommitted_events() {
    let url = common::pg_url();
    let schema = scratch::ScratchSchema::create(&url, "mandat_order")
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is not reachable at {url} ({e}); set MANDAT_TEST_PG_URL")
        });
    let result = tokio::spawn(check(schema.url().to_owned())).await;
    schema.drop_schema().await.unwrap();
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn check(url: String) {
    let store = Store::open(&url).await.unwrap();
    let raw = sqlx::PgPool::connect(&url).await.unwrap();
    let (doc, claims) = synthetic::document(31, 0);
    store
        .ingest_document(doc, claims, &common::editor())
        .await
        .unwrap();
    // Another writer appends an event and has not committed yet ...
    let mut slow = raw.begin().await.unwrap();
    let claim: i64 = sqlx::query(
        "INSERT INTO claims (fact_id, kind, missions, recorded_at, payload, actor) \
         VALUES ('slow', 'note', '[]', 0, '{}', 'slow') RETURNING id",
    )
    .fetch_one(&mut *slow)
    .await
    .unwrap()
    .get(0);
    let early: i64 = sqlx::query(
        "INSERT INTO review_events (claim_id, status, actor, at) VALUES ($1, 'proposed', 'slow', 0) RETURNING id",
    )
    .bind(claim)
    .fetch_one(&mut *slow)
    .await
    .unwrap()
    .get(0);
    // ... while a later one commits.
    let (doc, claims) = synthetic::document(31, 1);
    store
        .ingest_document(doc, claims, &common::editor())
        .await
        .unwrap();
    let reader = {
        let store = store.clone();
        tokio::spawn(async move {
            let changes = store.changes(0, 1000, Clearance::ALL).await.unwrap();
            let last = store.last_change().await.unwrap();
            (changes, last)
        })
    };
    // The reader waits for the uncommitted writer.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let waiting: i64 = sqlx::query(
            "SELECT COUNT(*) FROM pg_locks WHERE NOT granted AND relation = 'review_events'::regclass",
        )
        .fetch_one(&raw)
        .await
        .unwrap()
        .get(0);
        if waiting > 0 || reader.is_finished() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the reader neither waited nor finished"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    slow.commit().await.unwrap();
    let (changes, last) = reader.await.unwrap();
    let ids: Vec<i64> = changes.iter().map(|c| c.event.id.0).collect();
    assert!(
        ids.contains(&early),
        "event {early} was skipped while later ones were read: {ids:?}"
    );
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert_eq!(last, *ids.last().unwrap());
    store.close().await;
}
