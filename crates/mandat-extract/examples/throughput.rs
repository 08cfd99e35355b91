//! Times each recogniser and the whole pipeline over a text file and prints MB/s; with `--split`,
//! the file is split into documents at form feeds and each is extracted on its own.
//!
//! usage: throughput FILE [--split]

use std::time::Instant;

use mandat_extract::dates::{self, DateContext};
use mandat_extract::{
    ExtractOptions, Lang, MissionRegistry, extract, legal, money, personnel, timex,
};

fn rate(label: &str, bytes: usize, f: impl Fn() -> usize) {
    // The first run compiles the patterns and warms their caches; the second is measured.
    f();
    let t = Instant::now();
    let n = f();
    let s = t.elapsed().as_secs_f64();
    println!(
        "{label:<12} {:>8.1} MB/s  ({n} items, {s:.3} s)",
        bytes as f64 / s / 1e6
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: throughput FILE [--split]")?;
    let split = std::env::args().any(|a| a == "--split");
    let text = std::fs::read_to_string(path)?;
    let n = text.len();
    let registry = MissionRegistry::bundled();
    let ctx = DateContext::default();
    if !split {
        rate("dates", n, || dates::find(&text, Lang::De, &ctx).len());
        let ds = dates::find(&text, Lang::De, &ctx);
        rate("timex", n, || timex::find(&text, &ds, None).len());
        rate("personnel", n, || personnel::find(&text, Lang::De).len());
        rate("money", n, || money::find(&text, Lang::De).len());
        rate("legal", n, || legal::find(&text, Lang::De, &ds).len());
        rate("missions", n, || registry.find(&text).len());
    }
    let opts = ExtractOptions::new("throughput");
    let repeat: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    for _ in 1..repeat {
        text.split('\u{c}')
            .for_each(|d| drop(extract(d, &registry, &opts)));
    }
    rate("pipeline", n, || {
        if split {
            text.split('\u{c}')
                .map(|d| extract(d, &registry, &opts).mentions.len())
                .sum()
        } else {
            extract(&text, &registry, &opts).mentions.len()
        }
    });
    Ok(())
}
