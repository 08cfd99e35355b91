//! Helpers shared by the tests of hand-recorded facts and linked sources.

#![allow(dead_code)]

use mandat_app::App;
use mandat_store::{Actor, ClaimFilter, Clearance, DocumentId};

/// Every effective (accepted, not superseded) claim of the store.
pub async fn all_claims(app: &App) -> Vec<mandat_store::Claim> {
    app.store
        .claims(
            &ClaimFilter {
                clearance: Clearance::ALL,
                ..ClaimFilter::default()
            },
            None,
        )
        .await
        .expect("reads")
}

/// Ingests `text` as the file `name` and returns the new document.
pub async fn ingest_text(app: &App, name: &str, text: &str) -> DocumentId {
    let doc =
        mandat_load::load_auto(text.as_bytes(), Some(name), &Default::default()).expect("loads");
    match app
        .ingest(name, text.as_bytes(), &doc, &Actor::system())
        .await
        .expect("ingests")
    {
        mandat_app::Ingested::Stored { document, .. } => document,
        other => panic!("{other:?}"),
    }
}

/// The document source `id` is linked to (the source must exist).
pub async fn source_document(app: &App, id: &str) -> Option<DocumentId> {
    app.store
        .source(id, Clearance::ALL)
        .await
        .expect("reads")
        .expect("the source exists")
        .document
}
