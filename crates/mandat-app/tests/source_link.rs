//! `mandat source link`: a source recorded without its text is linked to the stored document that
//! is its text once every quote citing it is found there; the facts then cite spans of it, and the
//! bundle they generate does not change.

mod common;

use common::{all_claims, ingest_text, source_document};
use mandat_app::{App, AppError};
use mandat_core::{Citation, SourceId};
use mandat_store::{Actor, Evidence};

/// The accepted claims whose fact cites `source`, with their quotes.
async fn citing(app: &App, source: &str) -> Vec<(mandat_store::Claim, String)> {
    all_claims(app)
        .await
        .into_iter()
        .filter_map(|c| {
            let fact = App::fact_of(&c).expect("a fact");
            match fact.source {
                Some(Citation::Source {
                    source: s,
                    quote: Some(q),
                    ..
                }) if s == SourceId::new(source).expect("valid") => Some((c, q)),
                _ => None,
            }
        })
        .collect()
}

/// A text that holds `quotes`, each broken over a line after its second word, between other lines.
fn text_with(quotes: &[String]) -> String {
    let mut t = String::from("Das Parlament\n\nAus dem Plenum\n\n");
    for q in quotes {
        let mut words = q.split(' ');
        let head: Vec<&str> = words.by_ref().take(2).collect();
        let rest: Vec<&str> = words.collect();
        t.push_str(&format!(
            "Vorher. {}\n{} Nachher.\n\n",
            head.join(" "),
            rest.join(" ")
        ));
    }
    t
}

#[tokio::test]
async fn linking_a_sources_text_attests_its_quotes_and_leaves_the_bundle_as_it_was() {
    let app = App::open("sqlite::memory:").await.expect("store opens");
    let source = "das-parlament-2007-11-unmis";
    let before = citing(&app, source).await;
    assert!(!before.is_empty(), "the bundle cites {source}");
    let quotes: Vec<String> = before.iter().map(|(_, q)| q.clone()).collect();
    let doc = ingest_text(&app, "das-parlament.txt", &text_with(&quotes)).await;
    let bundle_before = app.bundle().await.expect("generates");

    let linked = app
        .link_source(source, doc, &Actor::system())
        .await
        .expect("every quote is in the text");
    assert_eq!(linked.attested, before.len());
    let after = citing(&app, source).await;
    assert_eq!(after.len(), before.len(), "one effective claim per fact");
    for (c, q) in &after {
        let Evidence::Span {
            document, quote, ..
        } = &c.evidence
        else {
            panic!("{} cites a span now: {:?}", c.fact_id, c.evidence)
        };
        assert_eq!(*document, doc);
        assert_eq!(mandat_core::normalise_space(quote), *q);
        assert!(
            quote.contains('\n'),
            "the span is the text's, line break included"
        );
    }
    assert_eq!(source_document(&app, source).await, Some(doc));

    // The generated bundle is the same, byte for byte: only the evidence behind it changed.
    let bundle_after = app.bundle().await.expect("generates");
    assert_eq!(bundle_before.files.len(), bundle_after.files.len());
    for (a, b) in bundle_before.files.iter().zip(&bundle_after.files) {
        assert_eq!(a.path, b.path);
        assert!(a.bytes == b.bytes, "{} changed", a.path);
    }

    // A source is linked once.
    let other = ingest_text(
        &app,
        "again.txt",
        &format!("{}\nNoch einmal.", text_with(&quotes)),
    )
    .await;
    let err = app
        .link_source(source, other, &Actor::system())
        .await
        .expect_err("linked already");
    assert!(err.to_string().contains("already"), "{err}");
}

#[tokio::test]
async fn a_text_without_one_of_the_quotes_is_not_linked_and_nothing_changes() {
    let app = App::open("sqlite::memory:").await.expect("store opens");
    let source = "das-parlament-2007-11-unmis";
    let before = citing(&app, source).await;
    let mut quotes: Vec<String> = before.iter().map(|(_, q)| q.clone()).collect();
    // One quote reads differently in this text (a misquote in the data would show the same way).
    let (first, _) = &before[0];
    quotes[0] = quotes[0].replacen(' ', "  nicht ", 1);
    let doc = ingest_text(&app, "other.txt", &text_with(&quotes)).await;

    let err = app
        .link_source(source, doc, &Actor::system())
        .await
        .expect_err("a quote is missing");
    let AppError::QuotesNotInDocument { facts, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(facts.len(), 1, "{facts:?}");
    assert!(facts[0].starts_with(first.fact_id.as_str()), "{facts:?}");
    assert!(err.to_string().contains("is not linked"), "{err}");

    assert_eq!(
        source_document(&app, source).await,
        None,
        "the source stays without text"
    );
    let after = citing(&app, source).await;
    assert_eq!(
        after.iter().map(|(c, _)| c.id).collect::<Vec<_>>(),
        before.iter().map(|(c, _)| c.id).collect::<Vec<_>>(),
        "no claim was re-recorded"
    );
    assert!(
        after
            .iter()
            .all(|(c, _)| !matches!(c.evidence, Evidence::Span { .. }))
    );
}
