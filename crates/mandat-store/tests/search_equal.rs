//! Search gives the same hits on SQLite and PostgreSQL, and export/import round-trips any store.

mod common;

use common::synthetic;
use common::*;
use mandat_store::*;
use proptest::prelude::*;

const QUERIES: &[&str] = &[
    "Bundeswehr",
    "Einsatz",
    "Einsätze",
    "soldier",
    "Soldaten",
    "\"bis zu 400 Soldatinnen\"",
    "\"up to 400 soldiers\"",
    "Kosovo",
    "Mittelmeer Sicherheit",
    "\"Federal Cabinet\" Lebanon",
    "Horn Afrika",
    "Ausbildung Sicherheitskräfte",
    "\"printed paper 20/17\"",
    "Drucksache",
    "deployments",
    "März",
    "Maerz",
    "Unterstützung",
    "stabilisation region",
    "nichtvorhanden",
];

async fn fill(store: Store, n: u64) {
    for i in 0..n {
        let (doc, claims) = synthetic::document(7, i);
        store.ingest_document(doc, claims, &editor()).await.unwrap();
    }
}

async fn all_hits(store: &Store) -> Vec<Vec<(DocumentId, u64, u64, usize)>> {
    let mut out = Vec::new();
    for q in QUERIES {
        for (mission, lang) in [(None, None), (Some("KFOR"), None), (None, Some("en"))] {
            let query = SearchQuery {
                mission: mission.map(str::to_owned),
                lang: lang.map(str::to_owned),
                from: Some("2008-01-01".parse().unwrap()),
                limit: 1000,
                ..SearchQuery::new(*q)
            };
            let hits = store.search(&query).await.unwrap();
            out.push(
                hits.iter()
                    .map(|h| (h.document, h.start, h.end, h.claims.len()))
                    .collect(),
            );
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_hits_equal_on_sqlite_and_postgres() {
    let (tx, rx) = tokio::sync::oneshot::channel();
    with_sqlite(|s| async move {
        fill(s.clone(), 150).await;
        tx.send(all_hits(&s).await).unwrap();
    })
    .await;
    let on_sqlite = rx.await.unwrap();
    assert!(
        on_sqlite.iter().filter(|h| !h.is_empty()).count() > QUERIES.len(),
        "the corpus must produce hits"
    );
    assert!(on_sqlite.iter().any(|h| h.is_empty()), "and misses");
    with_postgres(move |s| async move {
        fill(s.clone(), 150).await;
        let on_pg = all_hits(&s).await;
        for (i, (a, b)) in on_sqlite.iter().zip(&on_pg).enumerate() {
            assert_eq!(a, b, "query {:?} variant {}", QUERIES[i / 3], i % 3);
        }
        // PostgreSQL walks a window of the newest passages, then reads the rest from its
        // full-text index; the default window covers this archive, small ones switch early.
        for window in [1, 7] {
            let on_pg_window = all_hits(&s.clone().with_pg_search_window(window)).await;
            for (i, (a, b)) in on_sqlite.iter().zip(&on_pg_window).enumerate() {
                let query = QUERIES[i / 3];
                assert_eq!(a, b, "window {window}: query {query:?} variant {}", i % 3);
            }
        }
    })
    .await;
}

#[derive(Debug, Clone)]
enum Step {
    Ingest(u64),
    Review {
        claim: usize,
        action: u8,
    },
    Link(usize, usize),
    /// A source, linked to a stored document when `doc` is given (and that document has none yet).
    Source {
        n: u16,
        doc: Option<usize>,
    },
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        prop_oneof![
            (0u64..40).prop_map(Step::Ingest),
            (0usize..100, 0u8..4).prop_map(|(claim, action)| Step::Review { claim, action }),
            (0usize..20, 0usize..20).prop_map(|(a, b)| Step::Link(a, b)),
            (0u16..500, prop::option::of(0usize..20)).prop_map(|(n, doc)| Step::Source { n, doc }),
        ],
        1..25,
    )
}

async fn apply(store: &Store, steps: &[Step]) {
    let mut claims = Vec::new();
    let mut docs = Vec::new();
    for s in steps {
        match s {
            Step::Ingest(n) => {
                let (doc, c) = synthetic::document(11, *n);
                if let IngestOutcome::Stored {
                    document,
                    claims: ids,
                } = store.ingest_document(doc, c, &editor()).await.unwrap()
                {
                    docs.push(document);
                    claims.extend(ids);
                }
            }
            Step::Review { claim, action } => {
                if claims.is_empty() {
                    continue;
                }
                let id = claims[claim % claims.len()];
                let decision = match action {
                    0 => ReviewDecision::Accept,
                    1 => ReviewDecision::Reject,
                    2 => ReviewDecision::Retract,
                    _ => ReviewDecision::Correct {
                        payload: serde_json::json!({"corrected": *claim, "text": "ä\"\n"}),
                        valid_from: None,
                    },
                };
                match store.review(id, decision, &reviewer(), Some("note")).await {
                    Ok(ReviewOutcome::Corrected { new, .. }) => claims.push(new),
                    Ok(ReviewOutcome::StatusChanged { .. }) => {}
                    Err(StoreError::InvalidTransition { .. }) => {}
                    Err(e) => panic!("{e}"),
                }
            }
            Step::Source { n, doc } => {
                let document = doc
                    .filter(|_| !docs.is_empty())
                    .map(|d| docs[d % docs.len()]);
                let src = NewSource {
                    id: format!("src-{n}"),
                    publisher: format!("Publisher \"{n}\" ä"),
                    title: "Title\nwith a line break".into(),
                    date: ["2025-06-01", "2025-06", "2025"][usize::from(*n) % 3].into(),
                    url: (n % 2 == 0).then(|| format!("https://example.org/{n}")),
                    lang: if n % 2 == 0 { "de".into() } else { "en".into() },
                    printed_paper: (n % 5 == 0).then(|| "21/3206".into()),
                    document,
                    missions: vec!["KFOR".into(); usize::from(n % 3)],
                };
                match store.add_sources(vec![src], &editor()).await {
                    Ok(())
                    | Err(StoreError::SourceExists(_))
                    | Err(StoreError::InvalidSource { .. }) => {}
                    Err(e) => panic!("{e}"),
                }
            }
            Step::Link(a, b) => {
                if docs.len() > 1 && docs[a % docs.len()] != docs[b % docs.len()] {
                    store
                        .link_translations(docs[a % docs.len()], docs[b % docs.len()], &editor())
                        .await
                        .unwrap();
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Law: import(export(S)) exports byte-identically and answers claim queries identically.
    #[test]
    fn export_import_round_trip(steps in steps()) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let (tx, rx) = tokio::sync::oneshot::channel();
            with_sqlite(|s| async move {
                apply(&s, &steps).await;
                let mut out = Vec::new();
                s.export_jsonl(&mut out, Clearance::ALL).await.unwrap();
                let all = ClaimFilter { clearance: Clearance::ALL, ..Default::default() };
                let mut states = Vec::new();
                for status in [None, Some(ClaimStatus::Proposed), Some(ClaimStatus::Rejected), Some(ClaimStatus::Superseded)] {
                    states.push(s.claims(&ClaimFilter { status, ..all.clone() }, None).await.unwrap());
                }
                tx.send((out, states)).unwrap();
            })
            .await;
            let (exported, states) = rx.await.unwrap();
            with_sqlite(|s| async move {
                s.import_jsonl(exported.as_slice(), &Actor::system()).await.unwrap();
                let mut again = Vec::new();
                s.export_jsonl(&mut again, Clearance::ALL).await.unwrap();
                assert_eq!(String::from_utf8(again).unwrap(), String::from_utf8(exported).unwrap());
                let all = ClaimFilter { clearance: Clearance::ALL, ..Default::default() };
                for (i, status) in [None, Some(ClaimStatus::Proposed), Some(ClaimStatus::Rejected), Some(ClaimStatus::Superseded)].into_iter().enumerate() {
                    assert_eq!(s.claims(&ClaimFilter { status, ..all.clone() }, None).await.unwrap(), states[i]);
                }
            })
            .await;
        });
    }
}
