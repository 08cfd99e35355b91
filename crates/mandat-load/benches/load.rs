//! Throughput of `load` on a large plain text, a large HTML page and a multi-page PDF.
//!
//! Run with `cargo bench -p mandat-load`; divan prints the time per load, and each benchmark reports its
//! input size so the throughput (bytes/s) is printed beside it.

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use lopdf::content::{Content, Operation};
use lopdf::{Object, Stream, dictionary};
use mandat_load::{Limits, MediaType, load};

fn main() {
    divan::main();
}

const SENTENCE: &str = "Der Deutsche Bundestag stimmt der Fortsetzung der Beteiligung bewaffneter deutscher \
Streitkräfte an der internationalen Sicherheitspräsenz im Kosovo zu; es können bis zu 400 Soldatinnen und \
Soldaten eingesetzt werden (§ 2 ParlBG).\n";

fn text(bytes: usize) -> Vec<u8> {
    SENTENCE.repeat(bytes / SENTENCE.len() + 1).into_bytes()
}

fn html(bytes: usize) -> Vec<u8> {
    let mut page = String::from(
        "<!DOCTYPE html><html><head><title>KFOR</title><script>var a = 1 < 2;</script></head><body>\
         <nav><ul><li><a href=\"/\">Start</a></li></ul></nav><main><h1>KFOR</h1>",
    );
    while page.len() < bytes {
        page.push_str("<div class=\"absatz\"><p>");
        page.push_str(SENTENCE);
        page.push_str(
            "</p><ul><li>Obergrenze: <b>400</b></li><li>Ende: 30.&nbsp;Juni 2026</li></ul></div>",
        );
    }
    page.push_str("</main><footer>Impressum</footer></body></html>");
    page.into_bytes()
}

/// A PDF of `pages` pages, each with 40 lines of German text.
fn pdf(pages: usize) -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let line: &[u8] =
        b"Es k\xf6nnen bis zu 400 Soldatinnen und Soldaten eingesetzt werden (\xa7 2 ParlBG).";
    let mut kids = Vec::new();
    for _ in 0..pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
            Operation::new("Td", vec![40.into(), 800.into()]),
        ];
        for _ in 0..40 {
            operations.push(Operation::new("Tj", vec![Object::string_literal(line)]));
            operations.push(Operation::new("Td", vec![0.into(), (-18).into()]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }.encode().expect("content encodes");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("pdf saves");
    bytes
}

fn bench(bencher: Bencher<'_, '_>, bytes: Vec<u8>, media: MediaType) {
    let limits = Limits::default();
    bencher
        .counter(BytesCount::new(bytes.len()))
        .bench(|| load(black_box(&bytes), media, &limits).expect("loads"));
}

/// Plain UTF-8 text, 16 MiB.
#[divan::bench(sample_count = 10)]
fn text_utf8_16mib(bencher: Bencher<'_, '_>) {
    bench(bencher, text(16 << 20), MediaType::Text);
}

/// The same text in windows-1252: detection and decoding.
#[divan::bench(sample_count = 10)]
fn text_windows_1252_16mib(bencher: Bencher<'_, '_>) {
    let utf8 = String::from_utf8(text(16 << 20)).expect("utf-8");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&utf8);
    bench(bencher, bytes.into_owned(), MediaType::Text);
}

/// An HTML page of 4 MiB.
#[divan::bench(sample_count = 10)]
fn html_4mib(bencher: Bencher<'_, '_>) {
    bench(bencher, html(4 << 20), MediaType::Html);
}

/// A PDF of 100 pages with 40 lines each.
#[divan::bench(sample_count = 10)]
fn pdf_100_pages(bencher: Bencher<'_, '_>) {
    bench(bencher, pdf(100), MediaType::Pdf);
}
