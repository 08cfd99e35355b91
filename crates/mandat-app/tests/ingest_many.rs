//! `App::ingest_many` on both backends: concurrent loading, extraction and storage keep the
//! guarantees of one-at-a-time ingestion.

use std::collections::BTreeMap;

use mandat_app::{App, AppError, Concurrency, IngestInput, Ingested};
use mandat_load::Limits;
use mandat_store::scratch::ScratchSchema;
use mandat_store::{Actor, Clearance, DocumentId};

fn pg_url() -> String {
    mandat_store::scratch::test_server_url()
}

fn text(n: usize) -> String {
    format!(
        "Bundestag verlängert Einsatz {n}\nDer Deutsche Bundestag hat am 3. Juli 2030 der Fortsetzung der \
         Beteiligung bewaffneter deutscher Streitkräfte an der UNIFIL zugestimmt. Es können bis zu {} \
         Soldatinnen und Soldaten eingesetzt werden. Das Mandat gilt bis zum 30. Juni 2031.\n",
        100 + n
    )
}

fn bytes(source: &str, body: &str) -> IngestInput {
    IngestInput::Bytes {
        source: source.to_owned(),
        name: Some(source.to_owned()),
        bytes: body.as_bytes().to_vec(),
    }
}

/// Twelve documents, a copy of the third (later in the input), an empty file and an unreadable one.
fn inputs() -> Vec<IngestInput> {
    let mut out: Vec<IngestInput> = (0..12)
        .map(|n| bytes(&format!("d{n:02}.txt"), &text(n)))
        .collect();
    out.insert(7, bytes("copy-of-d02.txt", &text(2)));
    out.insert(9, bytes("empty.txt", ""));
    out.push(IngestInput::Unreadable {
        source: "gone.txt".into(),
        message: "gone.txt: cannot open".into(),
    });
    out
}

type Outcomes = BTreeMap<usize, (String, Result<Ingested, String>)>;

async fn run(app: &App, jobs: usize) -> Outcomes {
    let mut outcomes = BTreeMap::new();
    let concurrency = Concurrency::for_backend(jobs, app.store.backend());
    app.ingest_many(
        inputs(),
        Limits::default(),
        concurrency,
        &Actor::system(),
        |i, source, outcome| {
            let outcome = outcome.map_err(|e| match e {
                AppError::Load { .. } => format!("load: {e}"),
                AppError::Unreadable { .. } => format!("unreadable: {e}"),
                other => panic!("{source}: unexpected {other}"),
            });
            assert!(
                outcomes.insert(i, (source.to_owned(), outcome)).is_none(),
                "one outcome per input"
            );
        },
    )
    .await;
    outcomes
}

async fn check(url: &str) {
    let app = App::open(url).await.unwrap();
    let before = app.store.status().await.unwrap().documents.unwrap();
    let first = run(&app, 3).await;
    assert_eq!(first.len(), 15);
    let mut ids: BTreeMap<String, DocumentId> = BTreeMap::new();
    for (i, (source, outcome)) in &first {
        match (source.as_str(), outcome) {
            ("copy-of-d02.txt", Ok(Ingested::AlreadyPresent(id))) => {
                assert_eq!(Some(id), ids.get("d02.txt"), "the earlier input stored it");
            }
            ("empty.txt", Err(e)) => assert!(e.starts_with("load: empty.txt"), "{e}"),
            ("gone.txt", Err(e)) => assert_eq!(e, "unreadable: gone.txt: cannot open"),
            (
                s,
                Ok(Ingested::Stored {
                    document,
                    proposals,
                }),
            ) if s.starts_with('d') => {
                assert!(*proposals > 0, "{s}: the ceiling is proposed");
                ids.insert(s.to_owned(), *document);
            }
            other => panic!("input {i}: {other:?}"),
        }
    }
    assert_eq!(ids.len(), 12);
    let st = app.store.status().await.unwrap();
    assert_eq!(st.documents.unwrap(), before + 12);
    let kept = app
        .store
        .document(ids["d02.txt"], Clearance::PUBLIC)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.source, "d02.txt", "the earlier copy's source is kept");
    let empty = mandat_load::content_hash(b"");
    assert_eq!(app.store.document_id_by_hash(&empty).await.unwrap(), None);

    // Again, one job: every readable document is already present; nothing is written.
    let claims = st.claims;
    let second = run(&app, 1).await;
    for (i, (source, outcome)) in &second {
        match outcome {
            Ok(Ingested::AlreadyPresent(id)) => {
                let name = if source == "copy-of-d02.txt" {
                    "d02.txt"
                } else {
                    source
                };
                assert_eq!(Some(id), ids.get(name), "{source}");
            }
            Err(_) => assert_eq!(first[i].1.as_ref().err(), outcome.as_ref().err()),
            Ok(other) => panic!("{source}: re-ingest wrote {other:?}"),
        }
    }
    let st = app.store.status().await.unwrap();
    assert_eq!(st.documents.unwrap(), before + 12);
    assert_eq!(st.claims, claims);
    app.store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_ingest_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    check(&format!(
        "sqlite://{}",
        dir.path().join("many.sqlite").display()
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_ingest_on_postgres() {
    let url = pg_url();
    let schema = ScratchSchema::create(&url, "mandat_app_test")
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is not reachable at {url} ({e})"));
    let store_url = schema.url().to_owned();
    let result = tokio::spawn(async move { check(&store_url).await }).await;
    schema.drop_schema().await.unwrap();
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
