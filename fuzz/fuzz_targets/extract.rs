//! Fuzz target: extraction over arbitrary UTF-8 never panics, and every mention's text is the slice
//! of its span.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mandat_extract::{ExtractOptions, MissionRegistry, extract};

static REGISTRY: LazyLock<MissionRegistry> = LazyLock::new(MissionRegistry::bundled);

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let x = extract(text, &REGISTRY, &ExtractOptions::new("fuzz"));
        for m in &x.mentions {
            assert_eq!(text.get(m.span.start..m.span.end), Some(m.text.as_str()));
        }
    }
});
