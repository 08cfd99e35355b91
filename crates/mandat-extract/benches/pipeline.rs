//! Whole-pipeline extraction throughput on realistic text at 1x, 10x and 100x size (the largest
//! above 50 MB): once per document (how ingestion runs) and once as a single text (showing there
//! is no super-linear path). Divan prints MB/s from the byte counter.

use std::sync::LazyLock;

use divan::counter::BytesCount;
use mandat_extract::{ExtractOptions, MissionRegistry, extract};

#[path = "corpus_text.rs"]
mod corpus_text;

/// 1x is 512 KiB; 100x is 50 MiB.
const BASE: usize = 512 * 1024;

static DOCS: LazyLock<Vec<String>> = LazyLock::new(corpus_text::documents);
static REGISTRY: LazyLock<MissionRegistry> = LazyLock::new(MissionRegistry::bundled);
static TEXTS: LazyLock<Vec<(usize, String)>> = LazyLock::new(|| {
    [1, 10, 100]
        .into_iter()
        .map(|k| (k, corpus_text::text_of_size(&DOCS, k * BASE)))
        .collect()
});

fn text(k: usize) -> &'static str {
    TEXTS
        .iter()
        .find(|(n, _)| *n == k)
        .map(|(_, t)| t.as_str())
        .expect("size prepared")
}

fn main() {
    divan::main();
}

#[divan::bench(args = [1, 10, 100], sample_count = 3, sample_size = 1)]
fn per_document(bencher: divan::Bencher, k: usize) {
    let t = text(k);
    let opts = ExtractOptions::new("bench");
    bencher.counter(BytesCount::of_str(t)).bench(|| {
        let mut mentions = 0;
        for doc in t.split('\u{c}') {
            mentions += extract(divan::black_box(doc), &REGISTRY, &opts)
                .mentions
                .len();
        }
        mentions
    });
}

#[divan::bench(args = [1, 10, 100], sample_count = 3, sample_size = 1)]
fn single_text(bencher: divan::Bencher, k: usize) {
    let t = text(k);
    let opts = ExtractOptions::new("bench");
    bencher.counter(BytesCount::of_str(t)).bench(|| {
        extract(divan::black_box(t), &REGISTRY, &opts)
            .mentions
            .len()
    });
}
