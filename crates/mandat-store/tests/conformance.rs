//! One behaviour suite, run against SQLite and PostgreSQL (each test in a fresh database/schema).

mod common;

use common::synthetic;
use common::*;
use jiff::{Timestamp, ToSpan};
use mandat_store::*;
use serde_json::json;

conformance!(
    migrate_is_idempotent_and_status_counts,
    ingest_stores_once_and_dedupes_by_hash,
    concurrent_ingest_of_the_same_bytes_stores_once,
    bad_span_leaves_no_partial_rows,
    as_of_sees_the_past_after_review,
    correction_supersedes_and_keeps_history,
    retraction_hides_from_later_knowledge_only,
    invalid_transitions_are_refused,
    roles_are_enforced,
    classification_hides_claims_and_documents,
    curated_facts_with_past_recorded_time,
    users_passwords_and_tokens,
    search_stems_phrases_and_filters,
    search_hits_carry_overlapping_claims,
    translations_link_both_ways,
    export_import_round_trip_on_both_backends,
    bad_import_line_leaves_store_empty,
    csv_exports,
    search_pages_match_the_full_list,
    sources_are_recorded_once_and_never_changed,
    linking_a_sources_text_re_records_its_claims_as_spans,
);

async fn migrate_is_idempotent_and_status_counts(store: Store) {
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    let st = store.status().await.unwrap();
    // PostgreSQL has a second migration (the search index's storage); SQLite has none to match,
    // so its versions skip 2.
    let expected: &[i64] = match store.backend() {
        BackendKind::Sqlite => &[1, 3, 4],
        BackendKind::Postgres => &[1, 2, 3, 4],
    };
    let applied: Vec<i64> = st.applied.iter().map(|m| m.version).collect();
    assert_eq!(applied, expected);
    assert!(st.pending.is_empty());
    assert_eq!(st.documents, Some(0));
    let text = german_text(1, 400);
    store
        .ingest_document(
            new_document(text, "de", "2025-06-01", &["KFOR"]),
            vec![],
            &editor(),
        )
        .await
        .unwrap();
    store
        .create_user(
            &Actor::system(),
            "ada",
            Role::Admin,
            Clearance::SECRET,
            None,
        )
        .await
        .unwrap();
    let st = store.status().await.unwrap();
    assert_eq!(
        (st.documents, st.claims, st.users),
        (Some(1), Some(0), Some(1))
    );
}

async fn ingest_stores_once_and_dedupes_by_hash(store: Store) {
    let text = german_text(2, 400);
    let claim = ceiling_claim("c1", &text, "bis zu 400", 400);
    let doc = new_document(text.clone(), "de", "2025-06-01", &["KFOR"]);
    let first = store
        .ingest_document(doc.clone(), vec![claim.clone()], &editor())
        .await
        .unwrap();
    let IngestOutcome::Stored { document, claims } = first else {
        panic!("first ingest must store, got {first:?}");
    };
    assert_eq!(claims.len(), 1);
    let again = store
        .ingest_document(doc, vec![claim], &editor())
        .await
        .unwrap();
    assert_eq!(again, IngestOutcome::AlreadyPresent(document));
    let stored = store
        .document(document, Clearance::PUBLIC)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.text, text);
    assert_eq!(stored.missions, ["KFOR"]);
    assert_eq!(stored.published.unwrap().to_string(), "2025-06-01");
    assert_eq!(store.status().await.unwrap().claims, Some(1));
    // Proposals do not count until accepted.
    assert!(
        store
            .claims(&ClaimFilter::default(), None)
            .await
            .unwrap()
            .is_empty()
    );
    let proposed = store
        .claims(
            &ClaimFilter {
                status: Some(ClaimStatus::Proposed),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(proposed.len(), 1);
    match &proposed[0].evidence {
        Evidence::Span {
            document: d,
            quote,
            start,
            end,
        } => {
            assert_eq!(*d, document);
            assert_eq!(quote, "bis zu 400");
            assert_eq!(&text[*start as usize..*end as usize], quote);
        }
        other => panic!("expected a span, got {other:?}"),
    }
}

async fn concurrent_ingest_of_the_same_bytes_stores_once(store: Store) {
    // Several writers at once, each with the same bytes and with documents of their own.
    let (same, same_claims) = synthetic::document(21, 0);
    let mut tasks = Vec::new();
    for w in 0..6u64 {
        let (store, same, same_claims) = (store.clone(), same.clone(), same_claims.clone());
        tasks.push(tokio::spawn(async move {
            let (own, own_claims) = synthetic::document(21, 1 + w);
            let own = store
                .ingest_document(own, own_claims, &editor())
                .await
                .unwrap();
            let shared = store
                .ingest_document(same, same_claims, &editor())
                .await
                .unwrap();
            (own, shared)
        }));
    }
    let mut stored = Vec::new();
    let mut present = Vec::new();
    for t in tasks {
        let (own, shared) = t.await.unwrap();
        assert!(matches!(own, IngestOutcome::Stored { .. }), "{own:?}");
        match shared {
            IngestOutcome::Stored { document, claims } => stored.push((document, claims.len())),
            IngestOutcome::AlreadyPresent(document) => present.push(document),
        }
    }
    assert_eq!(stored.len(), 1, "stored once: {stored:?}");
    let (document, claims) = stored[0];
    assert_eq!(claims, same_claims.len());
    assert_eq!(present, vec![document; 5]);
    let st = store.status().await.unwrap();
    assert_eq!(st.documents, Some(7));
    assert_eq!(st.claims, Some(7 * same_claims.len() as i64));
}

async fn bad_span_leaves_no_partial_rows(store: Store) {
    let text = "Einsätze".to_owned();
    let mut claim = ceiling_claim("c1", &text, "Einsätze", 1);
    // Byte 5 is inside "ä": not a character boundary.
    claim.evidence = NewEvidence::InDocument { start: 0, end: 5 };
    let doc = new_document(text, "de", "2025-01-01", &["KFOR"]);
    let err = store
        .ingest_document(doc.clone(), vec![claim], &editor())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidSpan { .. }), "{err}");
    let st = store.status().await.unwrap();
    assert_eq!((st.documents, st.claims), (Some(0), Some(0)));
    assert_eq!(
        store.document_id_by_hash(&doc.content_hash).await.unwrap(),
        None
    );
    // A span into a missing document fails the whole ingest as well, after the document insert.
    let mut claim = ceiling_claim("c2", &doc.text, "Einsätze", 1);
    claim.evidence = NewEvidence::Span {
        document: DocumentId(999),
        start: 0,
        end: 1,
    };
    let err = store
        .ingest_document(doc.clone(), vec![claim], &editor())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::DocumentNotFound(_)), "{err}");
    let st = store.status().await.unwrap();
    assert_eq!((st.documents, st.claims), (Some(0), Some(0)));
    assert!(
        store
            .search(&SearchQuery::new("Einsatz"))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn ingest_one(store: &Store, n: u64, ceiling: u32) -> (DocumentId, ClaimId) {
    let text = german_text(n, ceiling);
    let needle = format!("bis zu {ceiling}");
    let claim = ceiling_claim(&format!("f{n}"), &text, &needle, ceiling);
    match store
        .ingest_document(
            new_document(text, "de", "2025-06-01", &["KFOR"]),
            vec![claim],
            &editor(),
        )
        .await
        .unwrap()
    {
        IngestOutcome::Stored { document, claims } => (document, claims[0]),
        other => panic!("expected stored, got {other:?}"),
    }
}

async fn pause() {
    // Knowledge times are microseconds; make sure consecutive steps get distinct ones.
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
}

async fn as_of_sees_the_past_after_review(store: Store) {
    let before = Timestamp::now();
    pause().await;
    let (_, claim) = ingest_one(&store, 3, 400).await;
    pause().await;
    let proposed_only = Timestamp::now();
    pause().await;
    store
        .review(claim, ReviewDecision::Accept, &reviewer(), Some("checked"))
        .await
        .unwrap();
    let f = ClaimFilter {
        mission: Some("KFOR".into()),
        ..Default::default()
    };
    assert_eq!(store.claims(&f, None).await.unwrap().len(), 1);
    assert!(
        store
            .claims(&f, Some(proposed_only))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.claims(&f, Some(before)).await.unwrap().is_empty());
    let at_proposal = store
        .claims(
            &ClaimFilter {
                status: Some(ClaimStatus::Proposed),
                ..f.clone()
            },
            Some(proposed_only),
        )
        .await
        .unwrap();
    assert_eq!(at_proposal.len(), 1);
    assert!(
        store
            .claims(
                &ClaimFilter {
                    status: Some(ClaimStatus::Proposed),
                    ..f.clone()
                },
                Some(before)
            )
            .await
            .unwrap()
            .is_empty()
    );
    let events = store.review_events(claim).await.unwrap();
    assert_eq!(
        events
            .iter()
            .map(|e| (e.status, e.actor.as_str()))
            .collect::<Vec<_>>(),
        [
            (ClaimStatus::Proposed, "erika"),
            (ClaimStatus::Accepted, "rita")
        ]
    );
    assert_eq!(events[1].note.as_deref(), Some("checked"));
    // Other filters.
    assert!(
        store
            .claims(
                &ClaimFilter {
                    mission: Some("UNIFIL".into()),
                    ..Default::default()
                },
                None
            )
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .claims(
                &ClaimFilter {
                    kind: Some("mandate_approved".into()),
                    ..Default::default()
                },
                None
            )
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn correction_supersedes_and_keeps_history(store: Store) {
    let (_, claim) = ingest_one(&store, 4, 400).await;
    store
        .review(claim, ReviewDecision::Accept, &reviewer(), None)
        .await
        .unwrap();
    pause().await;
    let accepted_at = Timestamp::now();
    pause().await;
    let outcome = store
        .review(
            claim,
            ReviewDecision::Correct {
                payload: json!({"ceiling": 350}),
                valid_from: None,
            },
            &reviewer(),
            Some("typo"),
        )
        .await
        .unwrap();
    let ReviewOutcome::Corrected { old, new } = outcome else {
        panic!("expected a correction, got {outcome:?}");
    };
    assert_eq!(old, claim);
    let now = store.claims(&ClaimFilter::default(), None).await.unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].id, new);
    assert_eq!(now[0].supersedes, Some(claim));
    assert_eq!(now[0].payload, json!({"ceiling": 350}));
    assert_eq!(now[0].fact_id.as_str(), "f4");
    assert_eq!(now[0].valid_from.as_deref(), Some("2025-06-01"));
    // The old version is still there, and still what was known before the correction.
    let then = store
        .claims(&ClaimFilter::default(), Some(accepted_at))
        .await
        .unwrap();
    assert_eq!(then.len(), 1);
    assert_eq!(then[0].id, claim);
    assert_eq!(then[0].payload["ceiling"], json!(400));
    let old_now = store
        .claim(claim, None, Clearance::PUBLIC)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old_now.status, ClaimStatus::Superseded);
    assert_eq!(old_now.payload["ceiling"], json!(400));
    // A superseded claim cannot be corrected again.
    let err = store
        .review(
            claim,
            ReviewDecision::Correct {
                payload: json!({}),
                valid_from: None,
            },
            &reviewer(),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::InvalidTransition {
            status: ClaimStatus::Superseded,
            ..
        }
    ));
}

async fn retraction_hides_from_later_knowledge_only(store: Store) {
    let (_, claim) = ingest_one(&store, 5, 400).await;
    store
        .review(claim, ReviewDecision::Accept, &reviewer(), None)
        .await
        .unwrap();
    pause().await;
    let t = Timestamp::now();
    pause().await;
    store
        .review(claim, ReviewDecision::Retract, &reviewer(), None)
        .await
        .unwrap();
    assert!(
        store
            .claims(&ClaimFilter::default(), None)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .claims(&ClaimFilter::default(), Some(t))
            .await
            .unwrap()
            .len(),
        1
    );
    let retracted = store
        .claims(
            &ClaimFilter {
                status: Some(ClaimStatus::Retracted),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(retracted.len(), 1);
}

async fn invalid_transitions_are_refused(store: Store) {
    let (_, claim) = ingest_one(&store, 6, 400).await;
    let err = store
        .review(claim, ReviewDecision::Retract, &reviewer(), None)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::InvalidTransition {
            action: "retract",
            status: ClaimStatus::Proposed
        }
    ));
    store
        .review(claim, ReviewDecision::Reject, &reviewer(), None)
        .await
        .unwrap();
    let err = store
        .review(claim, ReviewDecision::Accept, &reviewer(), None)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::InvalidTransition {
            status: ClaimStatus::Rejected,
            ..
        }
    ));
    let err = store
        .review(ClaimId(4242), ReviewDecision::Accept, &reviewer(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::ClaimNotFound(ClaimId(4242))));
    assert_eq!(store.review_events(claim).await.unwrap().len(), 2);
}

async fn roles_are_enforced(store: Store) {
    let reader = Actor::new("rea", Role::Reader);
    let text = german_text(7, 400);
    let err = store
        .ingest_document(new_document(text, "de", "2025-06-01", &[]), vec![], &reader)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Forbidden {
            needed: Role::Editor,
            ..
        }
    ));
    let (_, claim) = ingest_one(&store, 8, 400).await;
    let err = store
        .review(claim, ReviewDecision::Accept, &reader, None)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Forbidden {
            needed: Role::Reviewer,
            ..
        }
    ));
    let err = store
        .create_user(&editor(), "x", Role::Admin, Clearance::PUBLIC, None)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Forbidden {
            needed: Role::Admin,
            ..
        }
    ));
}

async fn classification_hides_claims_and_documents(store: Store) {
    let text = german_text(9, 400);
    let mut doc = new_document(text.clone(), "de", "2025-06-01", &["KFOR"]);
    doc.classification = Clearance::CONFIDENTIAL;
    let claim = ceiling_claim("secret", &text, "bis zu 400", 400);
    let IngestOutcome::Stored { document, claims } = store
        .ingest_document(doc, vec![claim], &editor())
        .await
        .unwrap()
    else {
        panic!("stored");
    };
    store
        .review(claims[0], ReviewDecision::Accept, &reviewer(), None)
        .await
        .unwrap();
    // The claim inherits its evidence's classification.
    assert!(
        store
            .claims(&ClaimFilter::default(), None)
            .await
            .unwrap()
            .is_empty()
    );
    let cleared = ClaimFilter {
        clearance: Clearance::CONFIDENTIAL,
        ..Default::default()
    };
    let visible = store.claims(&cleared, None).await.unwrap();
    assert_eq!(visible.len(), 1);
    assert_eq!(visible[0].classification, Clearance::CONFIDENTIAL);
    assert!(
        store
            .document(document, Clearance::RESTRICTED)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .document(document, Clearance::SECRET)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .search(&SearchQuery::new("Kosovo"))
            .await
            .unwrap()
            .is_empty()
    );
    let q = SearchQuery {
        clearance: Clearance::CONFIDENTIAL,
        ..SearchQuery::new("Kosovo")
    };
    assert_eq!(store.search(&q).await.unwrap().len(), 1);
}

async fn curated_facts_with_past_recorded_time(store: Store) {
    let recorded: Timestamp = "2018-06-07T00:00:00Z".parse().unwrap();
    let fact = NewClaim {
        fact_id: FactId::new("m2018").unwrap(),
        kind: "mandate_approved".into(),
        missions: vec!["KFOR".into()],
        valid_from: Some("2018-06-07".into()),
        recorded_at: Some(recorded),
        payload: json!({"id": "m2018", "ceiling": 800}),
        evidence: NewEvidence::Citation {
            text: "bundestag.de, Textarchiv 2018".into(),
        },
        classification: Clearance::PUBLIC,
    };
    let ids = store
        .record_claims(vec![fact], ClaimStatus::Accepted, &Actor::system())
        .await
        .unwrap();
    assert_eq!(ids.len(), 1);
    let f = ClaimFilter::default();
    assert_eq!(
        store
            .claims(&f, Some(recorded + 24.hours()))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .claims(&f, Some(recorded - 24.hours()))
            .await
            .unwrap()
            .is_empty()
    );
    let c = &store.claims(&f, None).await.unwrap()[0];
    assert_eq!(c.recorded_at, recorded);
    assert_eq!(
        c.evidence,
        Evidence::Citation {
            text: "bundestag.de, Textarchiv 2018".into()
        }
    );
    // A span into a stored document is checked against its text.
    let (doc, _) = ingest_one(&store, 10, 400).await;
    let bad = NewClaim {
        evidence: NewEvidence::Span {
            document: doc,
            start: 0,
            end: 100_000,
        },
        ..ceiling_claim("x", "bis zu 1", "bis zu 1", 1)
    };
    let err = store
        .record_claims(vec![bad], ClaimStatus::Proposed, &editor())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidSpan { .. }));
    let in_doc = ceiling_claim("y", "bis zu 1", "bis zu 1", 1);
    let err = store
        .record_claims(vec![in_doc], ClaimStatus::Proposed, &editor())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NoIngestedDocument));
    assert_eq!(store.status().await.unwrap().claims, Some(2));
}

async fn users_passwords_and_tokens(store: Store) {
    let admin = Actor::system();
    let u = store
        .create_user(
            &admin,
            "rita",
            Role::Reviewer,
            Clearance::RESTRICTED,
            Some("correct horse"),
        )
        .await
        .unwrap();
    assert_eq!(u.role, Role::Reviewer);
    let err = store
        .create_user(&admin, "rita", Role::Reader, Clearance::PUBLIC, None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UserExists(_)));
    assert_eq!(
        store
            .verify_password("rita", "correct horse")
            .await
            .unwrap(),
        Some(u.clone())
    );
    assert_eq!(store.verify_password("rita", "wrong").await.unwrap(), None);
    assert_eq!(store.verify_password("nobody", "x").await.unwrap(), None);
    let token = store.create_token(u.id, "laptop").await.unwrap();
    assert!(token.secret.contains(&token.id));
    assert_eq!(
        store.authenticate_token(&token.secret).await.unwrap(),
        Some(u.clone())
    );
    let mut forged = token.secret.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    assert_eq!(store.authenticate_token(&forged).await.unwrap(), None);
    assert_eq!(store.authenticate_token("garbage").await.unwrap(), None);
    assert!(store.revoke_token(&token.id).await.unwrap());
    assert!(!store.revoke_token(&token.id).await.unwrap());
    assert_eq!(store.authenticate_token(&token.secret).await.unwrap(), None);
    store
        .set_role(&admin, "rita", Role::Editor, Clearance::SECRET)
        .await
        .unwrap();
    let again = store.user("rita").await.unwrap().unwrap();
    assert_eq!(
        (again.role, again.clearance),
        (Role::Editor, Clearance::SECRET)
    );
    store
        .set_password(&again.actor(), "rita", "new one")
        .await
        .unwrap();
    assert!(
        store
            .verify_password("rita", "new one")
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.users().await.unwrap().len(), 1);
}

/// A small mixed corpus; returns the ids in insertion order.
async fn search_corpus(store: &Store) -> Vec<DocumentId> {
    let docs = vec![
        new_document(german_text(11, 400), "de", "2025-06-01", &["KFOR"]),
        new_document(german_text(12, 800), "de", "2019-06-28", &["KFOR"]),
        new_document(english_text(13, 400), "en", "2025-06-02", &["KFOR"]),
        new_document(
            "Die Bundeswehr beteiligt sich an UNIFIL vor der Küste des Libanon.".into(),
            "de",
            "2024-06-01",
            &["UNIFIL"],
        ),
        new_document("Soldaten soldiers Soldaten".into(), "fr", "2020-01-01", &[]),
    ];
    let mut ids = Vec::new();
    for d in docs {
        match store.ingest_document(d, vec![], &editor()).await.unwrap() {
            IngestOutcome::Stored { document, .. } => ids.push(document),
            other => panic!("{other:?}"),
        }
    }
    ids
}

async fn hits(store: &Store, q: SearchQuery) -> Vec<DocumentId> {
    store
        .search(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.document)
        .collect()
}

async fn search_stems_phrases_and_filters(store: Store) {
    let ids = search_corpus(&store).await;
    // German stemming: "Einsatz" finds "Einsätze"; English: "soldier" finds "soldiers".
    assert_eq!(
        hits(&store, SearchQuery::new("Einsatz")).await,
        [ids[1], ids[0]]
    );
    assert_eq!(
        hits(&store, SearchQuery::new("einsaetze")).await,
        [ids[1], ids[0]]
    );
    assert_eq!(hits(&store, SearchQuery::new("soldier")).await, [ids[2]]);
    // Latest stored first; an unknown language is matched unstemmed.
    assert_eq!(
        hits(&store, SearchQuery::new("Soldaten")).await,
        [ids[4], ids[1], ids[0]]
    );
    // Phrases need adjacency in order.
    assert_eq!(
        hits(&store, SearchQuery::new("\"bis zu 800\"")).await,
        [ids[1]]
    );
    assert!(
        hits(&store, SearchQuery::new("\"zu bis 800\""))
            .await
            .is_empty()
    );
    assert_eq!(
        hits(&store, SearchQuery::new("\"Drucksache 20/12\"")).await,
        [ids[1]]
    );
    // All words must occur in one passage.
    assert!(
        hits(&store, SearchQuery::new("Kosovo Grundgesetzes"))
            .await
            .is_empty()
    );
    assert_eq!(
        hits(&store, SearchQuery::new("Bundeswehr Kosovo")).await,
        [ids[2], ids[1], ids[0]]
    );
    // Filters.
    let q = |f: fn(&mut SearchQuery)| {
        let mut q = SearchQuery::new("Bundeswehr");
        f(&mut q);
        q
    };
    assert_eq!(
        hits(&store, q(|_| {})).await,
        [ids[3], ids[2], ids[1], ids[0]]
    );
    assert_eq!(
        hits(&store, q(|q| q.mission = Some("UNIFIL".into()))).await,
        [ids[3]]
    );
    assert_eq!(
        hits(&store, q(|q| q.lang = Some("en".into()))).await,
        [ids[2]]
    );
    assert_eq!(
        hits(&store, q(|q| q.from = Some("2024-06-01".parse().unwrap()))).await,
        [ids[3], ids[2], ids[0]]
    );
    assert_eq!(
        hits(&store, q(|q| q.until = Some("2024-06-01".parse().unwrap()))).await,
        [ids[3], ids[1]]
    );
    assert_eq!(
        hits(
            &store,
            q(|q| {
                q.limit = 2;
                q.offset = 1
            })
        )
        .await,
        [ids[2], ids[1]]
    );
    assert!(matches!(
        store.search(&SearchQuery::new(" ;; ")).await,
        Err(StoreError::EmptyQuery)
    ));
}

async fn search_hits_carry_overlapping_claims(store: Store) {
    let (doc, claim) = ingest_one(&store, 14, 400).await;
    let found = store
        .search(&SearchQuery::new("\"bis zu 400\""))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let hit = &found[0];
    assert_eq!(hit.document, doc);
    assert!(
        hit.passage.contains("bis zu 400 Soldatinnen"),
        "{}",
        hit.passage
    );
    let text = store
        .document(doc, Clearance::PUBLIC)
        .await
        .unwrap()
        .unwrap()
        .text;
    assert_eq!(&text[hit.start as usize..hit.end as usize], hit.passage);
    assert_eq!(hit.claims.iter().map(|c| c.id).collect::<Vec<_>>(), [claim]);
    assert_eq!(hit.claims[0].status, ClaimStatus::Proposed);
    // The title passage holds no claim.
    let found = store
        .search(&SearchQuery::new("Fortsetzung Beteiligung"))
        .await
        .unwrap();
    assert!(found[0].claims.is_empty());
}

async fn translations_link_both_ways(store: Store) {
    let ids = search_corpus(&store).await;
    store
        .link_translations(ids[0], ids[2], &editor())
        .await
        .unwrap();
    store
        .link_translations(ids[0], ids[2], &editor())
        .await
        .unwrap();
    assert_eq!(store.translations(ids[0]).await.unwrap(), [ids[2]]);
    assert_eq!(store.translations(ids[2]).await.unwrap(), [ids[0]]);
    let err = store
        .link_translations(ids[0], DocumentId(999), &editor())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::DocumentNotFound(DocumentId(999))));
}

/// Fills a store with every kind of record: users, documents (one classified), a link, claims in
/// every status, a correction and a curated fact.
async fn populate(store: &Store) {
    let ids = search_corpus(store).await;
    store
        .link_translations(ids[0], ids[2], &editor())
        .await
        .unwrap();
    store
        .create_user(
            &Actor::system(),
            "rita",
            Role::Reviewer,
            Clearance::RESTRICTED,
            Some("pw"),
        )
        .await
        .unwrap();
    let (_, a) = ingest_one(store, 20, 400).await;
    let (_, b) = ingest_one(store, 21, 500).await;
    let (_, c) = ingest_one(store, 22, 600).await;
    let (_, d) = ingest_one(store, 23, 700).await;
    store
        .review(a, ReviewDecision::Accept, &reviewer(), Some("ok"))
        .await
        .unwrap();
    store
        .review(b, ReviewDecision::Reject, &reviewer(), None)
        .await
        .unwrap();
    store
        .review(
            c,
            ReviewDecision::Correct {
                payload: json!({"ceiling": 650, "ü": [1.5, null]}),
                valid_from: Some("2025-07-01".into()),
            },
            &reviewer(),
            None,
        )
        .await
        .unwrap();
    store
        .review(d, ReviewDecision::Accept, &reviewer(), None)
        .await
        .unwrap();
    store
        .review(d, ReviewDecision::Retract, &reviewer(), None)
        .await
        .unwrap();
    let text = german_text(24, 900);
    let mut doc = new_document(text.clone(), "de", "2026-01-01", &["KFOR", "EUFOR Althea"]);
    doc.classification = Clearance::SECRET;
    let secret = match store
        .ingest_document(
            doc,
            vec![ceiling_claim("s", &text, "bis zu 900", 900)],
            &editor(),
        )
        .await
        .unwrap()
    {
        IngestOutcome::Stored { document, .. } => document,
        other => panic!("{other:?}"),
    };
    store
        .add_sources(
            vec![
                source("public-src", Some(ids[0])),
                source("secret-src", Some(secret)),
                source("free-src", None),
            ],
            &editor(),
        )
        .await
        .unwrap();
    let strength = NewClaim {
        fact_id: FactId::new("st1").unwrap(),
        kind: "strength_report".into(),
        missions: vec!["KFOR".into()],
        valid_from: Some("2024-02-05".into()),
        recorded_at: Some("2024-02-06T10:00:00Z".parse().unwrap()),
        payload: json!({"count": 90, "qualifier": "approx"}),
        evidence: NewEvidence::Citation {
            text: "bmvg.de, \"Einsatzzahlen\", 2024".into(),
        },
        classification: Clearance::PUBLIC,
    };
    store
        .record_claims(vec![strength], ClaimStatus::Accepted, &Actor::system())
        .await
        .unwrap();
}

async fn export_bytes(store: &Store, clearance: Clearance) -> Vec<u8> {
    let mut out = Vec::new();
    store.export_jsonl(&mut out, clearance).await.unwrap();
    out
}

async fn export_import_round_trip_on_both_backends(store: Store) {
    populate(&store).await;
    let full = export_bytes(&store, Clearance::ALL).await;
    let effective = store
        .claims(
            &ClaimFilter {
                clearance: Clearance::ALL,
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    let lines = String::from_utf8(full.clone()).unwrap();
    assert!(
        !lines.contains("$argon2"),
        "password hashes must not be exported"
    );
    assert!(
        lines
            .lines()
            .any(|l| l.starts_with("{\"type\":\"review_event\""))
    );
    // The public export leaves the secret document and its claim out.
    let public = String::from_utf8(export_bytes(&store, Clearance::PUBLIC).await).unwrap();
    assert_eq!(
        lines.lines().count() - public.lines().count(),
        4,
        "document, its source, claim, its proposed event"
    );
    assert!(public.contains("\"id\":\"public-src\"") && !public.contains("secret-src"));
    for target in ["sqlite", "postgres"] {
        let full = full.clone();
        let effective = effective.clone();
        let check = move |fresh: Store| async move {
            let sum = fresh
                .import_jsonl(full.as_slice(), &Actor::system())
                .await
                .unwrap();
            assert_eq!(sum.documents, 10);
            assert_eq!(sum.sources, 3);
            assert_eq!(
                fresh
                    .source("secret-src", Clearance::ALL)
                    .await
                    .unwrap()
                    .map(|s| s.title),
                Some("Title of secret-src".to_owned())
            );
            assert_eq!(sum.users, 1);
            assert_eq!(
                export_bytes(&fresh, Clearance::ALL).await,
                full,
                "re-export differs"
            );
            let again = fresh
                .claims(
                    &ClaimFilter {
                        clearance: Clearance::ALL,
                        ..Default::default()
                    },
                    None,
                )
                .await
                .unwrap();
            assert_eq!(again, effective);
            // Search works on the rebuilt index, and new rows get fresh ids.
            assert_eq!(
                fresh
                    .search(&SearchQuery::new("UNIFIL"))
                    .await
                    .unwrap()
                    .len(),
                1
            );
            let (doc, _) = ingest_one(&fresh, 99, 100).await;
            assert!(doc.0 > 10);
            // Importing twice is refused.
            let err = fresh
                .import_jsonl(full.as_slice(), &Actor::system())
                .await
                .unwrap_err();
            assert!(matches!(err, StoreError::ImportIntoNonEmpty(_)));
        };
        match target {
            "sqlite" => with_sqlite(check).await,
            _ => with_postgres(check).await,
        }
    }
}

async fn bad_import_line_leaves_store_empty(store: Store) {
    let good = "{\"type\":\"user\",\"id\":1,\"name\":\"a\",\"role\":\"reader\",\"clearance\":0,\"created_at\":\"2025-01-01T00:00:00Z\"}";
    let input = format!("{good}\n{{\"type\":\"nonsense\"}}\n");
    let err = store
        .import_jsonl(input.as_bytes(), &Actor::system())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Import { line: 2, .. }), "{err}");
    // A claim citing a document that is not there fails inside the transaction: nothing stays.
    let claim = "{\"type\":\"claim\",\"id\":1,\"fact_id\":\"f\",\"kind\":\"k\",\"missions\":[],\"valid_from\":null,\
        \"recorded_at\":\"2025-01-01T00:00:00Z\",\"payload\":{},\"evidence\":{\"type\":\"span\",\"document\":7,\"start\":0,\
        \"end\":1,\"quote\":\"x\"},\"supersedes\":null,\"classification\":0,\"actor\":\"a\"}";
    let input = format!("{good}\n{claim}\n");
    let err = store
        .import_jsonl(input.as_bytes(), &Actor::system())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Import { line: 2, .. }), "{err}");
    assert_eq!(store.users().await.unwrap().len(), 0);
}

async fn csv_exports(store: Store) {
    populate(&store).await;
    let csv = |table| {
        let store = store.clone();
        async move {
            let mut out = Vec::new();
            store
                .export_csv(table, None, Clearance::PUBLIC, &mut out)
                .await
                .unwrap();
            String::from_utf8(out).unwrap()
        }
    };
    let mandates = csv(CsvTable::Mandates).await;
    let rows: Vec<&str> = mandates.lines().collect();
    assert_eq!(
        rows[0],
        "mission,fact_id,valid_from,ceiling,period_from,period_until,source,claim_id"
    );
    // Accepted f20 and the correction of f22; rejected, retracted, proposed and secret ones are out.
    assert_eq!(rows.len(), 3, "{mandates}");
    assert!(
        rows[1].starts_with("KFOR,f20,2025-06-01,400,2025-06-01,2026-06-30,\"document "),
        "{mandates}"
    );
    assert!(rows[2].starts_with("KFOR,f22,2025-07-01,650,,,\"document "));
    let strength = csv(CsvTable::Strength).await;
    assert!(
        strength
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("KFOR,st1,2024-02-05,90,\"bmvg.de, \"\"Einsatzzahlen\"\", 2024\","),
        "{strength}"
    );
    let missions = csv(CsvTable::Missions).await;
    assert_eq!(
        missions.lines().nth(1),
        Some("KFOR,3,2,1,2024-02-05,2025-07-01")
    );
}

async fn search_pages_match_the_full_list(store: Store) {
    for i in 0..60 {
        let (doc, claims) = synthetic::document(3, i);
        store.ingest_document(doc, claims, &editor()).await.unwrap();
    }
    // The default, and on PostgreSQL small walk windows, so that the switch to the full-text
    // index happens at the first passage or within a page; paging continues its cursor over
    // several batches for the small pages.
    for store in [
        store.clone(),
        store.clone().with_pg_search_window(1),
        store.clone().with_pg_search_window(5),
    ] {
        search_pages_match_on(&store).await;
    }
}

async fn search_pages_match_on(store: &Store) {
    for text in ["Soldaten", "soldiers", "Bundestag", "\"Federal Cabinet\""] {
        search_pages_match_for(store, text, None).await;
        // A mission filter selects exactly the unfiltered hits filed under the mission, in the
        // same order, and pages the same way (PostgreSQL walks the mission's documents).
        let all = hits(
            store,
            SearchQuery {
                limit: 1000,
                ..SearchQuery::new(text)
            },
        )
        .await;
        let mut expected = Vec::new();
        for id in all {
            let doc = store
                .document(id, Clearance::PUBLIC)
                .await
                .unwrap()
                .unwrap();
            if doc.missions.iter().any(|m| m == "KFOR") {
                expected.push(id);
            }
        }
        let filtered = search_pages_match_for(store, text, Some("KFOR")).await;
        assert_eq!(filtered, expected, "{text} filed under KFOR");
    }
}

fn source(id: &str, document: Option<DocumentId>) -> NewSource {
    NewSource {
        id: id.into(),
        publisher: "Presse- und Informationsamt der Bundesregierung".into(),
        title: format!("Title of {id}"),
        date: "2025-05".into(),
        url: Some(format!("https://example.org/{id}")),
        lang: "de".into(),
        printed_paper: Some("21/3206".into()),
        document,
        missions: vec!["KFOR".into(), "Counter Daesh".into()],
    }
}

async fn sources_are_recorded_once_and_never_changed(store: Store) {
    let (doc, _) = ingest_one(&store, 1, 400).await;
    let (other, _) = ingest_one(&store, 2, 500).await;
    store
        .add_sources(vec![source("a", Some(doc)), source("b", None)], &editor())
        .await
        .unwrap();
    let all = store.sources(Clearance::PUBLIC).await.unwrap();
    assert_eq!(
        all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"],
        "in the order recorded"
    );
    assert_eq!(all[0].document, Some(doc));
    assert_eq!(all[0].missions, ["KFOR", "Counter Daesh"]);
    assert_eq!(all[0].actor, "erika");
    assert_eq!(
        store
            .source_of_document(doc, Clearance::PUBLIC)
            .await
            .unwrap()
            .map(|s| s.id),
        Some("a".to_owned())
    );
    assert_eq!(
        store
            .source_of_document(other, Clearance::PUBLIC)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.source("b", Clearance::PUBLIC).await.unwrap(),
        Some(all[1].clone())
    );
    // An existing id is refused, even with other content; nothing of a refused batch is written.
    let mut changed = source("a", None);
    changed.title = "Another title".into();
    let err = store
        .add_sources(vec![source("c", None), changed], &editor())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::SourceExists(ref id) if id == "a"),
        "{err}"
    );
    assert_eq!(store.source("c", Clearance::ALL).await.unwrap(), None);
    assert_eq!(
        store
            .source("a", Clearance::ALL)
            .await
            .unwrap()
            .map(|s| s.title),
        Some("Title of a".to_owned())
    );
    // A document is the text of one source at most, and must exist.
    let err = store
        .add_sources(vec![source("d", Some(doc))], &editor())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidSource { .. }), "{err}");
    let err = store
        .add_sources(vec![source("e", Some(DocumentId(9999)))], &editor())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::DocumentNotFound(_)), "{err}");
    let err = store
        .add_sources(vec![source(" f", None)], &editor())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidSource { .. }), "{err}");
    // Readers cannot record sources.
    let err = store
        .add_sources(vec![source("g", None)], &Actor::new("rea", Role::Reader))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden { .. }), "{err}");
    assert_eq!(store.sources(Clearance::ALL).await.unwrap().len(), 2);
}

/// Checks pages of a search against its full list; returns the full list.
async fn search_pages_match_for(
    store: &Store,
    text: &str,
    mission: Option<&str>,
) -> Vec<DocumentId> {
    let mission = mission.map(str::to_owned);
    let all = hits(
        store,
        SearchQuery {
            limit: 1000,
            mission: mission.clone(),
            ..SearchQuery::new(text)
        },
    )
    .await;
    let least = if mission.is_some() { 2 } else { 10 };
    assert!(all.len() > least, "{text} {mission:?}: {}", all.len());
    assert!(all.windows(2).all(|w| w[0] > w[1]), "latest stored first");
    let n = all.len() as u32;
    for (offset, limit) in [(0, 1), (3, 5), (n - 2, 5), (n + 1, 3)] {
        let page = hits(
            store,
            SearchQuery {
                limit,
                offset,
                mission: mission.clone(),
                ..SearchQuery::new(text)
            },
        )
        .await;
        let expected: Vec<DocumentId> = all
            .iter()
            .copied()
            .skip(offset as usize)
            .take(limit as usize)
            .collect();
        assert_eq!(
            page, expected,
            "{text} {mission:?} offset {offset} limit {limit}"
        );
    }
    all
}

async fn linking_a_sources_text_re_records_its_claims_as_spans(store: Store) {
    let (doc, _) = ingest_one(&store, 3, 300).await;
    let (other, _) = ingest_one(&store, 4, 350).await;
    let text = store
        .document(doc, Clearance::ALL)
        .await
        .unwrap()
        .unwrap()
        .text;
    store
        .add_sources(vec![source("s", None), source("t", Some(other))], &editor())
        .await
        .unwrap();
    let cited = |id: &str| NewClaim {
        fact_id: FactId::new(id).unwrap(),
        kind: "strength_report".into(),
        missions: vec!["KFOR".into()],
        valid_from: Some("2025-06-01".into()),
        recorded_at: None,
        payload: json!({"id": id, "source": {"ref": "s", "quote": "bis zu 300"}}),
        evidence: NewEvidence::Citation {
            text: "s: \"bis zu 300\"".into(),
        },
        classification: Clearance::PUBLIC,
    };
    let ids = store
        .record_claims(
            vec![cited("k1"), cited("k2")],
            ClaimStatus::Accepted,
            &editor(),
        )
        .await
        .unwrap();
    let start = text.find("bis zu 300").unwrap() as u64;
    let span = (start, start + 10);

    // A span outside the text, a claim that is not accepted, a document that is another source's
    // text, an unknown source: refused, and nothing is written.
    let proposed = store
        .record_claims(vec![cited("k3")], ClaimStatus::Proposed, &editor())
        .await
        .unwrap()[0];
    for (source, document, attest) in [
        ("s", doc, vec![(ids[0], 0, 1_000_000)]),
        (
            "s",
            doc,
            vec![(ids[0], span.0, span.1), (proposed, span.0, span.1)],
        ),
        ("s", other, vec![]),
        ("nope", doc, vec![]),
    ] {
        store
            .link_source_document(source, document, &attest, &editor())
            .await
            .unwrap_err();
    }
    assert_eq!(
        store
            .source("s", Clearance::ALL)
            .await
            .unwrap()
            .unwrap()
            .document,
        None
    );
    let effective = store.claims(&ClaimFilter::default(), None).await.unwrap();
    assert!(
        effective.iter().any(|c| c.id == ids[0]),
        "k1 is not re-recorded"
    );

    let pairs = store
        .link_source_document(
            "s",
            doc,
            &[(ids[0], span.0, span.1), (ids[1], span.0, span.1)],
            &editor(),
        )
        .await
        .unwrap();
    assert_eq!(pairs.iter().map(|(old, _)| *old).collect::<Vec<_>>(), ids);
    assert_eq!(
        store
            .source("s", Clearance::ALL)
            .await
            .unwrap()
            .unwrap()
            .document,
        Some(doc)
    );
    let effective = store.claims(&ClaimFilter::default(), None).await.unwrap();
    for (old, new) in &pairs {
        assert!(
            !effective.iter().any(|c| c.id == *old),
            "{old} is superseded"
        );
        let c = effective
            .iter()
            .find(|c| c.id == *new)
            .expect("the new claim is effective");
        assert_eq!(
            c.evidence,
            Evidence::Span {
                document: doc,
                start: span.0,
                end: span.1,
                quote: "bis zu 300".into()
            }
        );
        assert_eq!(c.missions, ["KFOR"]);
    }
    // A source is linked once; readers cannot link.
    let err = store
        .link_source_document("s", other, &[], &editor())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidSource { .. }), "{err}");
    let err = store
        .link_source_document("s", doc, &[], &Actor::new("rea", Role::Reader))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden { .. }), "{err}");
}
