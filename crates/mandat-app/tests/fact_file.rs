//! Facts recorded by hand from a fact file (`mandat fact add`): a quote from a source with a
//! stored document must be in that document and is recorded as its span; a bad file records
//! nothing and names file, line and key.

mod common;

use common::{all_claims, ingest_text};
use mandat_app::{App, AppError};
use mandat_core::{Citation, FileErrorCode, Lang, PartialDate, Source, SourceId};
use mandat_store::{Actor, Clearance, DocumentId, Evidence};

/// A printed paper as a text mirror prints it: hard line breaks and a word broken at a hyphen.
const PAPER: &str = "Deutscher Bundestag Drucksache 18/9999\n18. Wahlperiode 23.06.2014\n\n\
Beschlussempfehlung und Bericht des Auswärtigen Ausschusses\n\nA. Problem\n\
Die Bundesregierung hat am 14. Mai 2014 die Fortsetzung der Beteiligung be-\n\
waffneter deutscher Streitkräfte an der Testmission mit insgesamt bis zu\n\
150 Soldatinnen und Soldaten längstens bis zum 30. Juni 2015 beschlossen.\n";

const SOURCE: &str = "test-bt-drs-18-9999";

/// A store seeded with the bundle, holding `PAPER` as a document linked to source `SOURCE`.
async fn store_with_paper() -> (App, DocumentId) {
    let app = App::open("sqlite::memory:").await.expect("store opens");
    let editor = Actor::system();
    let id = ingest_text(&app, "18-9999.txt", PAPER).await;
    let source = Source {
        id: SourceId::new(SOURCE).expect("valid"),
        publisher: "Deutscher Bundestag".into(),
        title: "Beschlussempfehlung 18/9999".into(),
        date: PartialDate::Day(jiff::civil::date(2014, 6, 23)),
        url: None,
        lang: Lang::De,
        printed_paper: Some("18/9999".parse().expect("valid")),
        document: None,
    };
    app.add_source(&source, Some(id), Vec::new(), &editor)
        .await
        .expect("source recorded");
    (app, id)
}

fn application(id: &str, quote: &str) -> String {
    format!(
        "  - id: {id}\n    kind: application_distributed\n    mission: MINUSMA\n    \
         valid: 2014-05-14\n    recorded: 2014-06-23\n    ceiling: 150\n    \
         period: {{from: 2014-07-01, until: 2015-06-30}}\n    \
         source:\n      ref: {SOURCE}\n      quote: \"{quote}\"\n"
    )
}

async fn claims_of(app: &App, fact: &str) -> Vec<mandat_store::Claim> {
    all_claims(app)
        .await
        .into_iter()
        .filter(|c| c.fact_id.as_str() == fact)
        .collect()
}

#[tokio::test]
async fn a_quote_over_line_breaks_is_recorded_as_the_documents_span() {
    let (app, doc) = store_with_paper().await;
    let quote = "Beteiligung be- waffneter deutscher Streitkräfte an der Testmission mit insgesamt bis zu 150 Soldatinnen";
    // A vote on it refers to the new fact; another to a fact of the bundle.
    let yaml = format!(
        "facts:\n{}  - id: test-2014-vote\n    kind: vote\n    application: test-2014-application\n    \
         valid: 2014-06-26\n    result: approved\n    source: {{ref: {SOURCE}, quote: \"am 14. Mai 2014\"}}\n\
         \x20 - id: test-unmis-vote\n    kind: vote\n    application: unmis-2005-09-application\n    \
         valid: 2005-09-28\n    result: approved\n    source: {{ref: das-parlament-2005-10-unmis}}\n",
        application("test-2014-application", quote)
    );
    let added = app
        .add_fact_file("new.yaml", &yaml, &Actor::system())
        .await
        .expect("the file is recorded");
    assert_eq!((added.facts, added.spans, added.sources), (3, 2, 0));

    let claims = claims_of(&app, "test-2014-application").await;
    let [claim] = claims.as_slice() else {
        panic!("one claim: {claims:?}")
    };
    let Evidence::Span {
        document,
        start,
        end,
        quote: span,
    } = &claim.evidence
    else {
        panic!("a span: {:?}", claim.evidence)
    };
    assert_eq!(*document, doc);
    assert_eq!(&PAPER[*start as usize..*end as usize], span.as_str());
    assert!(span.contains("be-\nwaffneter"), "{span}");
    assert_eq!(claim.missions, ["MINUSMA"]);
    let vote = claims_of(&app, "test-2014-vote").await;
    assert_eq!(
        vote[0].missions,
        ["MINUSMA"],
        "a vote is about its application's mission"
    );
    let cited = claims_of(&app, "test-unmis-vote").await;
    assert!(
        matches!(&cited[0].evidence, Evidence::Citation { text } if text == "das-parlament-2005-10-unmis"),
        "{:?}",
        cited[0].evidence
    );

    // The bundle writes the quote as the dataset writes quotes: whitespace normalised.
    let bundle = app.bundle().await.expect("the bundle generates");
    let file = bundle
        .files
        .iter()
        .find(|f| f.path == "facts/minusma.yaml")
        .expect("written");
    let parsed = mandat_core::parse_fact_file(
        "minusma.yaml",
        std::str::from_utf8(&file.bytes).expect("UTF-8"),
    )
    .expect("parses");
    let fact = parsed
        .facts
        .iter()
        .find(|f| f.id.as_str() == "test-2014-application")
        .expect("in the file");
    assert_eq!(
        fact.source,
        Some(Citation::Source {
            source: SourceId::new(SOURCE).expect("valid"),
            quote: Some(quote.to_owned()),
            note: None,
        })
    );
}

#[tokio::test]
async fn a_bad_file_records_nothing_and_says_where() {
    let (app, _) = store_with_paper().await;
    let before = all_claims(&app).await.len();

    // The second fact's quote is not in the document (160, not 150): neither is recorded.
    let yaml = format!(
        "facts:\n{}{}",
        application("test-good", "am 14. Mai 2014"),
        application("test-bad", "mit insgesamt bis zu 160 Soldatinnen")
    );
    let err = app
        .add_fact_file("new.yaml", &yaml, &Actor::system())
        .await
        .expect_err("a quote that is not in its document");
    let AppError::FactFile(e) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (e.file.as_str(), e.key.as_deref()),
        ("new.yaml", Some("quote"))
    );
    assert_eq!(e.code, FileErrorCode::InvalidValue);
    assert!(e.line >= 19, "the second fact's citation: line {}", e.line);
    assert!(e.message.contains("test-bad"), "{}", e.message);

    // A fact without a source; a reference to no fact; a source changed under its id.
    let unsourced = "facts:\n  - {id: t, kind: vote, application: unmis-2005-09-application, valid: 2005-09-28, result: approved}\n";
    let dangling = "facts:\n  - {id: t, kind: vote, application: no-such-application, valid: 2005-09-28, result: approved, source: {ref: das-parlament-2005-10-unmis}}\n";
    let changed = format!(
        "sources:\n  - {{id: {SOURCE}, publisher: Someone else, title: T, date: 2014-06-23, lang: de}}\nfacts:\n{}",
        application("test-changed", "am 14. Mai 2014")
    );
    for (yaml, key) in [
        (unsourced, Some("source")),
        (dangling, Some("application")),
        (changed.as_str(), None),
    ] {
        let err = app
            .add_fact_file("new.yaml", yaml, &Actor::system())
            .await
            .expect_err(yaml);
        match (&err, key) {
            (AppError::FactFile(e), Some(k)) => assert_eq!(e.key.as_deref(), Some(k), "{err}"),
            (AppError::InvalidSource { id, .. }, None) => assert_eq!(id, SOURCE),
            _ => panic!("unexpected for {yaml}: {err}"),
        }
    }
    let after = all_claims(&app).await.len();
    assert_eq!(before, after, "nothing was recorded");
}

#[tokio::test]
async fn a_new_source_of_the_file_is_about_its_facts_missions() {
    let app = App::open("sqlite::memory:").await.expect("store opens");
    // The legal basis names no mission; its source is about the file's mission, so the bundle
    // has a file for it.
    let yaml = "sources:
  - {id: test-new-paper, publisher: Deutscher Bundestag, title: Antrag, date: 2019-04-10, lang: de}
facts:
  - id: test-lb
    kind: legal_basis
    ref: UNSC 2480
    valid: 2019-06-28
    period: {from: 2019-06-28, until: open}
    source: {ref: test-new-paper, quote: Resolution 2480}
  - id: test-cab
    kind: cabinet_decision
    mission: MINUSMA
    valid: 2019-04-10
    proposes: {ceiling: 1100}
    source: {ref: test-new-paper, quote: bis zu 1100}
";
    let added = app
        .add_fact_file("new.yaml", yaml, &Actor::system())
        .await
        .expect("recorded");
    assert_eq!((added.facts, added.spans, added.sources), (2, 0, 1));
    let record = app
        .store
        .source("test-new-paper", Clearance::ALL)
        .await
        .expect("reads")
        .expect("recorded");
    assert_eq!(record.missions, ["MINUSMA"]);
    let bundle = app.bundle().await.expect("the bundle generates");
    let minusma = bundle
        .files
        .iter()
        .find(|f| f.path == "facts/minusma.yaml")
        .expect("written");
    let text = std::str::from_utf8(&minusma.bytes).expect("UTF-8");
    assert!(
        text.contains("  - id: test-lb\n"),
        "the legal basis is in the mission's file"
    );
}
