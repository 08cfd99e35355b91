//! Arbitrary bytes through `load_auto` (and each loader directly): never a panic, never a hang, and any
//! text returned is well-formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mandat_load::{Limits, MediaType, load, load_auto};

fuzz_target!(|data: &[u8]| {
    // Inputs stay small under libFuzzer; a small limit also exercises the size check.
    let limits = Limits::new(1 << 20);
    let results = [
        load_auto(data, None, &limits),
        load(data, MediaType::Text, &limits),
        load(data, MediaType::Html, &limits),
        load(data, MediaType::Pdf, &limits),
    ];
    for doc in results.iter().flatten() {
        assert!(!doc.text.contains('\r'), "line ends are normalised");
        assert!(!doc.text.trim().is_empty(), "a loaded document has text");
    }
});
