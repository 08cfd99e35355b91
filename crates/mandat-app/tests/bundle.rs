//! The bundled dataset is generated from the store: a store seeded with the bundle writes
//! `data/` back byte for byte, and a reviewed fact from an ingested document lands in its
//! mission's file citing the document's source with the quoted span.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use mandat_app::{App, AppError, BundleError};
use mandat_core::{Citation, FactKind, Lang, PartialDate, Registry, Source, SourceId};
use mandat_store::{
    Actor, ClaimFilter, ClaimStatus, Clearance, DocumentId, Evidence, ReviewDecision,
};

const REGENERATE: &str = "run `cargo run -p mandat-cli -- --database-url sqlite::memory: bundle write data` \
     to regenerate data/ from a store seeded with the bundle (see data/README.md)";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// Every file below `dir`, as paths relative to `base` with `/` separators.
fn files_below(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd {
        let p = e.expect("readable directory").path();
        if p.is_dir() {
            files_below(base, &p, out);
        } else {
            let rel = p.strip_prefix(base).expect("below base");
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(parts.join("/"));
        }
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  in data/:   {x}\n  generated:  {y}", i + 1);
        }
    }
    format!(
        "one is a prefix of the other ({} vs {} lines)",
        a.lines().count(),
        b.lines().count()
    )
}

#[tokio::test]
async fn the_repository_dataset_is_what_a_seeded_store_generates() {
    let app = App::open("sqlite::memory:").await.expect("store opens");
    let bundle = app.bundle().await.expect("the bundle generates");
    assert!(
        bundle.unplaced_sources.is_empty(),
        "{:?}",
        bundle.unplaced_sources
    );
    let data = data_dir();
    let mut generated = BTreeSet::new();
    for f in &bundle.files {
        generated.insert(f.path.clone());
        let on_disk = fs::read(data.join(&f.path))
            .unwrap_or_else(|e| panic!("data/{} is missing ({e}): {REGENERATE}", f.path));
        assert!(
            on_disk == f.bytes,
            "data/{} differs from what the store generates, first at {}\n{REGENERATE}",
            f.path,
            first_difference(&on_disk, &f.bytes)
        );
    }
    let mut present = BTreeSet::new();
    files_below(&data, &data.join("facts"), &mut present);
    files_below(&data, &data.join("documents"), &mut present);
    let extra: Vec<&String> = present.difference(&generated).collect();
    assert!(
        extra.is_empty(),
        "data/ holds files the store does not generate: {extra:?}\n{REGENERATE}"
    );
    assert!(
        generated.contains("facts/kfor.yaml") && generated.contains("facts/counter-daesh-nmi.yaml")
    );
    assert_eq!(
        generated
            .iter()
            .filter(|p| p.starts_with("documents/"))
            .count(),
        mandat_data::DOCUMENTS.len()
    );
}

#[tokio::test]
async fn a_reviewed_fact_lands_in_its_missions_file_citing_the_documents_source() {
    let app = App::open("sqlite::memory:").await.expect("store opens");
    // A gathered document: the German KFOR release of the bundle, published again with a line
    // of its own (so it is a new document, not the bundled one).
    let (_, seed) = mandat_data::DOCUMENTS[0];
    let marker = "Diese Fassung wurde für den Test 7f3a neu veröffentlicht.";
    let mut bytes = seed.to_vec();
    bytes.extend_from_slice(format!("\n{marker}\n").as_bytes());
    let doc = mandat_load::load_auto(&bytes, Some("kfor-release.txt"), &Default::default())
        .expect("loads");
    let editor = Actor::system();
    let id: DocumentId = match app
        .ingest("kfor-release.txt", &bytes, &doc, &editor)
        .await
        .expect("ingests")
    {
        mandat_app::Ingested::Stored { document, .. } => document,
        other => panic!("{other:?}"),
    };
    let proposed = app
        .store
        .claims(
            &ClaimFilter {
                document: Some(id),
                status: Some(ClaimStatus::Proposed),
                clearance: Clearance::ALL,
                ..ClaimFilter::default()
            },
            None,
        )
        .await
        .expect("reads");
    // Accept the first proposal about a mission that fits the accepted facts.
    let mut accepted = None;
    for c in &proposed {
        let fact = App::fact_of(c).expect("a fact");
        if fact.kind.missions().is_empty() {
            continue;
        }
        if app
            .review(c.id, ReviewDecision::Accept, &editor, Clearance::ALL, None)
            .await
            .is_ok()
        {
            accepted = Some((c.clone(), fact));
            break;
        }
    }
    let (claim, fact) = accepted.expect("one proposal of the release can be accepted");
    let Evidence::Span { quote, .. } = &claim.evidence else {
        panic!("a proposal quotes its document: {:?}", claim.evidence)
    };

    // Without a source for the document the bundle names the document and the fix.
    let err = app.bundle().await.expect_err("the document has no source");
    match &err {
        AppError::Bundle(BundleError::DocumentWithoutSource {
            document, fact: f, ..
        }) => {
            assert_eq!((*document, f.as_str()), (id, fact.id.as_str()));
        }
        other => panic!("unexpected {other}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("mandat source add") && msg.contains(&format!("--document {id}")),
        "{msg}"
    );

    let source = Source {
        id: SourceId::new("test-bpa-kfor-release").expect("valid"),
        publisher: "Presse- und Informationsamt der Bundesregierung".into(),
        title: "KFOR-Mandat".into(),
        date: PartialDate::Day(jiff::civil::date(2025, 5, 21)),
        url: None,
        lang: Lang::De,
        printed_paper: None,
        document: None,
    };
    app.add_source(&source, Some(id), Vec::new(), &editor)
        .await
        .expect("source recorded");
    let again = app
        .add_source(&source, None, Vec::new(), &editor)
        .await
        .expect_err("a source is never changed");
    assert!(again.to_string().contains("exists already"), "{again}");

    let bundle = app.bundle().await.expect("the bundle generates");
    let mission = fact.kind.missions()[0].as_str();
    let file = format!(
        "facts/{}.yaml",
        app.missions()
            .get(mission)
            .expect("known mission")
            .dataset_file()
    );
    let written = bundle
        .files
        .iter()
        .find(|f| f.path == file)
        .unwrap_or_else(|| panic!("{file} is written"));
    let text = std::str::from_utf8(&written.bytes).expect("UTF-8");
    let parsed = mandat_core::parse_fact_file(&file, text).expect("the written file parses");
    let got = parsed
        .facts
        .iter()
        .find(|f| f.id == fact.id)
        .unwrap_or_else(|| panic!("{} is in {file}", fact.id));
    assert_eq!(
        got.source,
        Some(Citation::Source {
            source: source.id.clone(),
            quote: Some(quote.clone()),
            note: None,
        })
    );
    assert!(doc.text.contains(quote.as_str()));
    assert_eq!(got.kind, fact.kind, "the fact is written as accepted");
    let listed = parsed
        .sources
        .iter()
        .find(|s| s.id == source.id)
        .expect("the source is listed in the file");
    assert_eq!(listed.document, None, "a gathered document is not bundled");
    assert!(!matches!(got.kind, FactKind::Vote { .. }));

    // The whole bundle is a valid dataset, and no gathered text is in it.
    let mut files: Vec<(&str, &str)> = bundle
        .files
        .iter()
        .filter(|f| f.path.starts_with("facts/"))
        .map(|f| {
            (
                f.path.as_str(),
                std::str::from_utf8(&f.bytes).expect("UTF-8"),
            )
        })
        .collect();
    files.extend(
        mandat_data::DATASET_FILES
            .iter()
            .filter(|(n, _)| n.ends_with("calendar.yaml"))
            .copied(),
    );
    let reg = Registry::from_files(&files).expect("the written bundle is a valid dataset");
    assert!(reg.fact(&fact.id).is_some());
    for f in &bundle.files {
        assert!(
            !String::from_utf8_lossy(&f.bytes).contains(marker),
            "{} holds text of the gathered document beyond the quoted span",
            f.path
        );
    }
    assert_eq!(
        bundle
            .files
            .iter()
            .filter(|f| f.path.starts_with("documents/"))
            .count(),
        mandat_data::DOCUMENTS.len(),
        "only the bundle's own documents are written"
    );
}
