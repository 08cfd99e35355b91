//! Times each recogniser and the whole pipeline over a text file and prints MB/s; with `--split`,
//! the file is split into documents at form feeds and each is extracted on its own.
//!
//! usage: throughput FILE [--split]

use std::time::Instant;

use mandat_extract::dates::{self, DateContext};
use mandat_extract::{
    ExtractOptions, Lang, MissionRegistry, extract, lang, legal, money, personnel, timex,
};

/// CPU time of this thread where Linux reports it (so other load on the machine does not count),
/// else wall time.
fn cpu_seconds(since: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| since.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

fn rate(label: &str, bytes: usize, f: impl Fn() -> usize) {
    // The first run compiles the patterns and warms their caches; then runs are repeated until
    // they took at least 0.2 s, and the mean is reported. Under `REPEAT` (bench/extract/run.sh)
    // the caller has warmed up on other text and exactly one run, the first over this text, is
    // measured.
    let once = std::env::var_os("REPEAT").is_some();
    let min = if once { 0.0 } else { 0.2 };
    if !once {
        f();
    }
    let wall = Instant::now();
    let t0 = cpu_seconds(wall);
    let mut runs = 0;
    let mut n = 0;
    let mut s = 0.0;
    while runs == 0 || s < min {
        n = f();
        runs += 1;
        s = cpu_seconds(wall) - t0;
    }
    let s = s / runs as f64;
    println!(
        "{label:<12} {:>8.1} MB/s  ({n} items, {s:.4} s)",
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
    // Each recogniser over the same units the pipeline sees: the documents, or the whole text.
    let docs: Vec<&str> = if split {
        text.split('\u{c}').collect()
    } else {
        vec![text.as_str()]
    };
    let each = |f: &dyn Fn(&str) -> usize| docs.iter().map(|d| f(d)).sum::<usize>();
    if std::env::var_os("REPEAT").is_none() {
        rate("lang", n, || {
            each(&|d| usize::from(lang::detect(d) == Lang::De))
        });
        rate("dates", n, || {
            each(&|d| dates::find(d, Lang::De, &ctx).len())
        });
        rate("dates+timex", n, || {
            each(&|d| timex::find(d, &dates::find(d, Lang::De, &ctx), None).len())
        });
        rate("personnel", n, || {
            each(&|d| personnel::find(d, Lang::De).len())
        });
        rate("money", n, || each(&|d| money::find(d, Lang::De).len()));
        rate("dates+legal", n, || {
            each(&|d| legal::find(d, Lang::De, &dates::find(d, Lang::De, &ctx)).len())
        });
        rate("missions", n, || each(&|d| registry.find(d).len()));
    }
    let opts = ExtractOptions::new("throughput");
    let repeat: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    // Under `REPEAT`, compile the patterns and warm their caches on other text (`WARM`, a file
    // of documents like the measured ones), then pass over the measured text `REPEAT` times.
    if let Some(warm) = std::env::var_os("WARM") {
        let warm = std::fs::read_to_string(warm)?;
        warm.split('\u{c}')
            .for_each(|d| drop(extract(d, &registry, &opts)));
    }
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
