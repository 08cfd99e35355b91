//! Arbitrary text through `mandat_extract::extract`: it must never panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mandat_extract::{ExtractOptions, MissionRegistry, extract};

static REGISTRY: LazyLock<MissionRegistry> = LazyLock::new(MissionRegistry::bundled);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = extract(text, &REGISTRY, &ExtractOptions::new("fuzz"));
});
