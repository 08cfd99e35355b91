//! Test harness: a fresh store per test, on SQLite (a temp file) or PostgreSQL (a fresh schema).
#![allow(dead_code)]

pub mod synthetic;

use mandat_store::scratch::ScratchSchema;
use mandat_store::{Actor, Clearance, FactId, NewClaim, NewDocument, NewEvidence, Role, Store};
use serde_json::json;
use std::future::Future;

/// The PostgreSQL server the suite runs against; CI starts one at this address.
pub fn pg_url() -> String {
    mandat_store::scratch::test_server_url()
}

/// Runs `body` on a store in a fresh SQLite file.
pub async fn with_sqlite<F, Fut>(body: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}",
        dir.path().join("nested/dir/test.sqlite").display()
    );
    let store = Store::open(&url).await.expect("open sqlite store");
    body(store.clone()).await;
    store.close().await;
}

/// Runs `body` on a store in a fresh PostgreSQL schema, dropped afterwards (also when `body` panics).
/// Fails loudly if the server is unreachable: the suite must never be skipped silently.
pub async fn with_postgres<F, Fut>(body: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let url = pg_url();
    let schema = ScratchSchema::create(&url, "mandat_test")
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not reachable at {url} ({e}). The store suite must run against PostgreSQL: \
                 start the server (CI does) or set MANDAT_TEST_PG_URL"
            )
        });
    let store = Store::open(schema.url())
        .await
        .expect("open postgres store");
    let result = tokio::spawn(body(store.clone())).await;
    store.close().await;
    schema.drop_schema().await.expect("drop schema");
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Generates one test per backend for each behaviour fn `async fn name(store: Store)`.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::with_sqlite(super::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::with_postgres(super::$name).await;
                }
            )*
        }
    };
}

pub fn editor() -> Actor {
    Actor::new("erika", Role::Editor)
}

pub fn reviewer() -> Actor {
    Actor::new("rita", Role::Reviewer)
}

/// A synthetic German mandate text; `n` varies it so each one hashes differently.
pub fn german_text(n: u64, ceiling: u32) -> String {
    format!(
        "Fortsetzung der Beteiligung bewaffneter deutscher Streitkräfte an der KFOR-Mission {n}\n\n\
         Der Deutsche Bundestag stimmt der Fortsetzung zu. Es können bis zu {ceiling} Soldatinnen und \
         Soldaten eingesetzt werden. Grundlage sind die Resolution 1244 (1999) des Sicherheitsrates und \
         Artikel 24 Absatz 2 des Grundgesetzes.\n\n\
         Die Einsätze der Bundeswehr im Kosovo dauern an; Drucksache 20/{n}."
    )
}

pub fn english_text(n: u64, ceiling: u32) -> String {
    format!(
        "Continued participation of German armed forces in KFOR {n}\n\n\
         The Bundestag approved the deployment of up to {ceiling} soldiers. The mandate is based on \
         UN Security Council Resolution 1244 and Article 24(2) of the Basic Law.\n\n\
         Deployments of the Bundeswehr in Kosovo continue."
    )
}

pub fn hash_of(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn new_document(text: String, lang: &str, published: &str, missions: &[&str]) -> NewDocument {
    NewDocument {
        source: format!("test://{}", &hash_of(&text)[..12]),
        content_hash: hash_of(&text),
        media_type: "text/plain".into(),
        lang: lang.into(),
        title: text.lines().next().map(str::to_owned),
        published: Some(published.parse().expect("date")),
        bytes_len: text.len() as u64,
        text,
        classification: Clearance::PUBLIC,
        missions: missions.iter().map(|m| (*m).to_owned()).collect(),
    }
}

/// A ceiling proposal pointing at the first occurrence of `needle` in `text`.
pub fn ceiling_claim(fact: &str, text: &str, needle: &str, ceiling: u32) -> NewClaim {
    let start = text.find(needle).expect("needle in text") as u64;
    NewClaim {
        fact_id: FactId::new(fact).expect("fact id"),
        kind: "mandate_approved".into(),
        missions: vec!["KFOR".into()],
        valid_from: Some("2025-06-01".into()),
        recorded_at: None,
        payload: json!({"id": fact, "kind": "mandate_approved", "mission": "KFOR", "ceiling": ceiling,
                        "period": {"from": "2025-06-01", "until": "2026-06-30"}}),
        evidence: NewEvidence::InDocument {
            start,
            end: start + needle.len() as u64,
        },
        classification: Clearance::PUBLIC,
    }
}
