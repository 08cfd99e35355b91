//! Integration tests: PDFs generated with `lopdf`, the development documents passed through unchanged, and
//! property tests that loading never panics.

use std::path::PathBuf;

use lopdf::content::{Content, Operation};
use lopdf::{
    Dictionary, EncryptionState, EncryptionVersion, Object, Permissions, Stream, dictionary,
};
use mandat_load::{
    Document, Lang, Limits, LoadError, MediaType, PdfError, content_hash, load, load_auto,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------------------
// PDF fixtures, built in the test rather than committed as binaries.

/// One line of a page: the text as WinAnsiEncoding bytes (so umlauts are single bytes such as 0xE4).
type Line = &'static [u8];

struct PdfSpec<'a> {
    pages: &'a [&'a [Line]],
    title: Option<&'a str>,
}

/// A PDF with one Helvetica (WinAnsiEncoding) text line per entry, top to bottom, one page per entry.
fn pdf(spec: &PdfSpec<'_>) -> lopdf::Document {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for lines in spec.pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 770.into()]),
        ];
        for line in *lines {
            operations.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
            operations.push(Operation::new("Td", vec![0.into(), (-18).into()]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }.encode().expect("content encodes");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    if let Some(title) = spec.title {
        let info_id = doc.add_object(dictionary! { "Title" => Object::string_literal(title) });
        doc.trailer.set("Info", info_id);
    }
    doc
}

fn save(doc: &mut lopdf::Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("pdf saves");
    bytes
}

const GERMAN_PAGES: &[&[Line]] = &[
    &[
        b"Antrag der Bundesregierung",
        b"Fortsetzung der Beteiligung bewaffneter deutscher Streitkr\xe4fte",
        b"an der internationalen Sicherheitspr\xe4senz im Kosovo (KFOR)",
    ],
    &[
        b"Es k\xf6nnen bis zu 400 Soldatinnen und Soldaten eingesetzt werden.",
        b"Rechtsgrundlage ist \xa7 2 des Parlamentsbeteiligungsgesetzes.",
    ],
];

fn german_pdf() -> Vec<u8> {
    save(&mut pdf(&PdfSpec {
        pages: GERMAN_PAGES,
        title: Some("KFOR-Mandat"),
    }))
}

fn load_pdf(bytes: &[u8]) -> Result<Document, LoadError> {
    load(bytes, MediaType::Pdf, &Limits::default())
}

fn pdf_error(bytes: &[u8]) -> PdfError {
    match load_pdf(bytes) {
        Err(LoadError::Pdf(error)) => error,
        other => panic!("expected a pdf error, got {other:?}"),
    }
}

#[test]
fn pdf_text_layer_two_pages_in_reading_order() {
    let bytes = german_pdf();
    let doc = load_pdf(&bytes).unwrap();
    assert_eq!(doc.media_type, MediaType::Pdf);
    assert_eq!(doc.title.as_deref(), Some("KFOR-Mandat"));
    assert_eq!(doc.lang, Some(Lang::De));
    let lines: Vec<&str> = doc.text.lines().collect();
    assert_eq!(
        lines,
        [
            "Antrag der Bundesregierung",
            "Fortsetzung der Beteiligung bewaffneter deutscher Streitkräfte",
            "an der internationalen Sicherheitspräsenz im Kosovo (KFOR)",
            "",
            "Es können bis zu 400 Soldatinnen und Soldaten eingesetzt werden.",
            "Rechtsgrundlage ist § 2 des Parlamentsbeteiligungsgesetzes.",
        ],
        "{:?}",
        doc.text
    );
    // Sniffing finds it by its magic bytes, whatever the name says.
    assert_eq!(
        load_auto(&bytes, Some("mandat.txt"), &Limits::default()).unwrap(),
        doc
    );
}

#[test]
fn pdf_truncated_is_refused_precisely() {
    let bytes = german_pdf();
    let cut = &bytes[..bytes.len() / 2];
    let error = pdf_error(cut);
    assert!(matches!(error, PdfError::Truncated { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("truncated: no %%EOF end marker")
    );
}

#[test]
fn pdf_garbage_is_malformed_or_headerless() {
    let mut garbage = b"%PDF-1.7\n".to_vec();
    garbage.extend((0u32..4000).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    garbage.extend_from_slice(b"\n%%EOF\n");
    assert!(matches!(pdf_error(&garbage), PdfError::Malformed { .. }));

    assert_eq!(pdf_error(b"Kein PDF, nur Text."), PdfError::NoHeader);
    assert_eq!(
        load_pdf(b"Kein PDF").unwrap_err().to_string(),
        "pdf: no %PDF- header in the first 1024 bytes"
    );
}

fn encrypted(user_password: &str) -> Vec<u8> {
    let mut doc = pdf(&PdfSpec {
        pages: GERMAN_PAGES,
        title: None,
    });
    // Encryption keys are derived from the file identifier, which a fresh document lacks.
    let id = Object::string_literal(b"0123456789abcdef".to_vec());
    doc.trailer.set("ID", vec![id.clone(), id]);
    let version = EncryptionVersion::V2 {
        document: &doc,
        owner_password: "eigentuemer",
        user_password,
        key_length: 128,
        permissions: Permissions::all(),
    };
    let state = EncryptionState::try_from(version).expect("encryption state");
    doc.encrypt(&state).expect("encrypts");
    save(&mut doc)
}

#[test]
fn pdf_encrypted_with_password_is_refused_and_empty_password_reads() {
    assert_eq!(pdf_error(&encrypted("geheim")), PdfError::Encrypted);
    let doc = load_pdf(&encrypted("")).unwrap();
    assert!(doc.text.contains("Streitkräfte"), "{:?}", doc.text);
}

#[test]
fn pdf_without_text_layer() {
    let mut doc = pdf(&PdfSpec {
        pages: &[&[]],
        title: None,
    });
    // Replace the page content with a filled rectangle: a scan is images and paths, no text.
    let content = Content {
        operations: vec![
            Operation::new("re", vec![10.into(), 10.into(), 100.into(), 100.into()]),
            Operation::new("f", vec![]),
        ],
    }
    .encode()
    .unwrap();
    let stream_id = first_content_id(&doc);
    doc.objects.insert(
        stream_id,
        Object::Stream(Stream::new(dictionary! {}, content)),
    );
    assert_eq!(pdf_error(&save(&mut doc)), PdfError::NoTextLayer);
}

fn first_content_id(doc: &lopdf::Document) -> lopdf::ObjectId {
    let page_id = *doc.get_pages().values().next().unwrap();
    doc.get_dictionary(page_id)
        .unwrap()
        .get(b"Contents")
        .unwrap()
        .as_reference()
        .unwrap()
}

/// A page whose content invokes form `/X0`; `forms` gives each form's content, and every form sees the
/// names `/X0`..`/Xn` for all forms (so a form may invoke itself or another).
fn pdf_with_forms(forms: &[&str]) -> Vec<u8> {
    let mut doc = pdf(&PdfSpec {
        pages: &[&[b"Seite"]],
        title: None,
    });
    let ids: Vec<_> = forms.iter().map(|_| doc.new_object_id()).collect();
    let mut names = Dictionary::new();
    for (i, id) in ids.iter().enumerate() {
        names.set(format!("X{i}"), *id);
    }
    let xobjects_id = doc.add_object(Object::Dictionary(names));
    for (id, content) in ids.iter().zip(forms) {
        let dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()],
            "Resources" => dictionary! { "XObject" => xobjects_id },
        };
        doc.objects.insert(
            *id,
            Object::Stream(Stream::new(dict, content.as_bytes().to_vec())),
        );
    }
    let stream_id = first_content_id(&doc);
    doc.objects.insert(
        stream_id,
        Object::Stream(Stream::new(dictionary! {}, b"/X0 Do".to_vec())),
    );
    let page_id = *doc.get_pages().values().next().unwrap();
    let font_resources = doc
        .get_dictionary(page_id)
        .unwrap()
        .get(b"Parent")
        .unwrap()
        .as_reference()
        .unwrap();
    let pages = doc.get_dictionary(font_resources).unwrap().clone();
    let resources_id = pages.get(b"Resources").unwrap().as_reference().unwrap();
    doc.get_dictionary_mut(resources_id)
        .unwrap()
        .set("XObject", xobjects_id);
    save(&mut doc)
}

#[test]
fn pdf_self_invoking_form_is_refused_instead_of_overflowing_the_stack() {
    let error = pdf_error(&pdf_with_forms(&["/X0 Do"]));
    let message = error.to_string();
    assert!(
        message.starts_with("refused as unsafe to read: form XObject ")
            && message.ends_with(" invokes itself"),
        "{message}"
    );
    // A cycle through two forms as well.
    assert!(matches!(
        pdf_error(&pdf_with_forms(&["/X1 Do", "/X0 Do"])),
        PdfError::TooComplex { .. }
    ));
}

#[test]
fn pdf_exponential_form_expansion_is_refused() {
    // Each form invokes the next one 16 times: 16^8 invocations of the last, far over any budget, while
    // the file itself is tiny.
    let mut forms: Vec<String> = (1..=8)
        .map(|next| format!("/X{next} Do ").repeat(16))
        .collect();
    forms.push("BT ET".to_owned());
    let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
    let error = pdf_error(&pdf_with_forms(&forms));
    assert!(error.to_string().contains("expand to more than"), "{error}");
}

#[test]
fn pdf_nested_forms_within_bounds_still_read() {
    let doc = load_pdf(&pdf_with_forms(&["/X1 Do", "/X2 Do", "BT ET"]));
    // The page's own text was replaced by the form invocation, so no text remains: the structure check
    // passed and extraction ran to the end.
    assert_eq!(doc.unwrap_err(), LoadError::Pdf(PdfError::NoTextLayer));
}

#[test]
fn pdf_parent_loop_is_refused() {
    let mut doc = pdf(&PdfSpec {
        pages: GERMAN_PAGES,
        title: None,
    });
    let page_id = *doc.get_pages().values().next().unwrap();
    let pages_id = doc
        .get_dictionary(page_id)
        .unwrap()
        .get(b"Parent")
        .unwrap()
        .as_reference()
        .unwrap();
    // The page tree root names itself as its parent and loses its MediaBox, so the reader would climb
    // the /Parent chain forever looking for one.
    let root = doc.get_dictionary_mut(pages_id).unwrap();
    root.set("Parent", pages_id);
    root.remove(b"MediaBox");
    let error = pdf_error(&save(&mut doc));
    assert_eq!(
        error.to_string(),
        "refused as unsafe to read: the page tree's /Parent chain loops"
    );
}

// ---------------------------------------------------------------------------------------------------------
// Bad input through `load_auto`, as the CLI meets it.

#[test]
fn bad_input_gives_one_precise_error() {
    let limits = Limits::default();
    let check = |bytes: &[u8], name: &str, message: &str| {
        let error = load_auto(bytes, Some(name), &limits).unwrap_err();
        assert_eq!(error.to_string(), message, "{name}");
    };
    check(
        b"",
        "leer.txt",
        "the document is empty (0 bytes of content)",
    );
    check(
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        "bild.pdf",
        "unsupported format: PNG image (mandat reads plain text, HTML and PDF)",
    );
    check(
        b"\x7f\x01\x02\x03\x04\x05\x06\x07garbage",
        "daten.bin",
        "binary data, not text: 7 of 15 bytes are control characters",
    );
    check(
        b"<p>Text</p>\0",
        "seite.html",
        "binary data, not html: NUL byte at offset 11 (UTF-16 without a byte-order mark is not supported)",
    );
    let big = Limits::new(1024);
    assert_eq!(
        load_auto(&[b'a'; 2048], None, &big).unwrap_err(),
        LoadError::TooLarge {
            size: 2048,
            limit: 1024
        }
    );
    // A 200 MB file is refused from its size alone, before it is read.
    assert_eq!(
        limits.check_size(200_000_000).unwrap_err().to_string(),
        "the document is 200000000 bytes, over the limit of 52428800 bytes"
    );
}

#[test]
fn content_hash_separates_documents() {
    let a = german_pdf();
    assert_eq!(content_hash(&a), content_hash(&a.clone()));
    assert_ne!(content_hash(&a), content_hash(&a[1..]));
}

// ---------------------------------------------------------------------------------------------------------
// The development documents: their text must pass through unchanged.

fn shared() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    assert!(
        dir.is_dir(),
        "the shared development data is missing at {}: these tests need the seeds and the corpus",
        dir.display()
    );
    dir
}

fn text_files(dir: PathBuf) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files
}

/// What the loader must return for UTF-8 input: the same text without a byte-order mark, with LF line ends.
fn expected_passthrough(bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes).expect("development documents are UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[test]
fn seeds_and_corpus_pass_through_unchanged() {
    let shared = shared();
    let seeds = text_files(shared.join("seeds"));
    let corpus = text_files(shared.join("corpus/docs"));
    assert_eq!(seeds.len(), 5, "seed documents");
    assert_eq!(corpus.len(), 40, "corpus documents");
    for path in seeds.iter().chain(&corpus) {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().and_then(|n| n.to_str());
        let doc = load_auto(&bytes, name, &Limits::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(doc.media_type, MediaType::Text, "{}", path.display());
        assert_eq!(doc.encoding, "UTF-8", "{}", path.display());
        assert!(
            doc.diagnostics.is_empty(),
            "{}: {:?}",
            path.display(),
            doc.diagnostics
        );
        assert!(
            doc.text == expected_passthrough(&bytes),
            "{}: text changed",
            path.display()
        );
    }
}

#[test]
fn corpus_language_matches_the_labels() {
    let shared = shared();
    let gold = std::fs::read_to_string(shared.join("corpus/gold.jsonl")).unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = record["id"].as_str().unwrap();
        let expected = match record["lang"].as_str().unwrap() {
            "de" => Lang::De,
            "en" => Lang::En,
            other => panic!("unexpected label {other}"),
        };
        let bytes = std::fs::read(shared.join(format!("corpus/docs/{id}.txt"))).unwrap();
        let doc = load(&bytes, MediaType::Text, &Limits::default()).unwrap();
        checked += 1;
        if doc.lang != Some(expected) {
            wrong.push((id.to_owned(), doc.lang));
        }
    }
    assert_eq!(checked, 40);
    assert!(wrong.is_empty(), "language detected wrongly: {wrong:?}");
}

// ---------------------------------------------------------------------------------------------------------
// Properties: loading never panics, and what it returns is well-formed.

fn well_formed(result: &Result<Document, LoadError>) {
    if let Ok(doc) = result {
        assert!(!doc.text.contains('\r'), "line ends are normalised");
        assert!(!doc.text.trim().is_empty(), "a document always has text");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn load_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let limits = Limits::default();
        for media in [MediaType::Text, MediaType::Html, MediaType::Pdf] {
            well_formed(&load(&bytes, media, &limits));
        }
        well_formed(&load_auto(&bytes, None, &limits));
    }

    #[test]
    fn utf8_text_passes_through(text in "[^\u{0}-\u{8}\u{b}\u{e}-\u{1f}\u{feff}]*[a-zA-ZäöüÄÖÜß§]+[^\u{0}-\u{8}\u{b}\u{e}-\u{1f}]*") {
        let doc = load(text.as_bytes(), MediaType::Text, &Limits::default()).unwrap();
        prop_assert_eq!(doc.text, expected_passthrough(text.as_bytes()));
    }

    #[test]
    fn html_never_panics(body in "(<(p|div|br|li|td|tr|table|pre|main|article|nav|script|b)>|</(p|div|li|td|tr|table|pre|main|article|nav|script|b)>|[a-zä &;<>#0-9])*") {
        well_formed(&load(body.as_bytes(), MediaType::Html, &Limits::default()));
    }
}

proptest! {
    // Each case parses a PDF; few cases keep the suite fast, the fuzz target goes further.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn damaged_pdfs_never_panic(cut in 0.0f64..1.0, flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..8)) {
        let mut bytes = german_pdf();
        for (at, byte) in flips {
            let at = (at * bytes.len() as f64) as usize;
            bytes[at] = byte;
        }
        bytes.truncate(((cut * bytes.len() as f64) as usize).max(1));
        well_formed(&load_pdf(&bytes));
        well_formed(&load_auto(&bytes, Some("x.pdf"), &Limits::default()));
    }
}
