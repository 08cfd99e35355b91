//! Snapshot of the contract JSON for each seed document (reviewed by hand: each holds the facts a
//! careful reader sees in the seed).

mod common;

use mandat_extract::{ExtractOptions, MissionRegistry, extract};

fn snapshot(stem: &str) {
    let dir = common::shared_dir().join("seeds");
    let entry = std::fs::read_dir(&dir)
        .expect("seeds directory is readable")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(stem))
        .unwrap_or_else(|| panic!("seed {stem} not found in {}", dir.display()));
    let text = std::fs::read_to_string(entry.path()).expect("seed is UTF-8 text");
    let name = entry.file_name().to_string_lossy().into_owned();
    let x = extract(
        &text,
        &MissionRegistry::bundled(),
        &ExtractOptions::new(name),
    );
    for m in &x.mentions {
        assert_eq!(&text[m.span.start..m.span.end], m.text);
    }
    let json = serde_json::to_value(&x).expect("extraction serialises");
    // Keys sorted: whether serde_json keeps insertion order depends on features other crates of the
    // workspace enable, and the snapshot must not.
    insta::with_settings!({ sort_maps => true }, {
        insta::assert_json_snapshot!(format!("seed_{stem}"), json["mandate"]);
    });
}

#[test]
fn seed_000() {
    snapshot("000");
}

#[test]
fn seed_001() {
    snapshot("001");
}

#[test]
fn seed_002() {
    snapshot("002");
}

#[test]
fn seed_003() {
    snapshot("003");
}

#[test]
fn seed_004() {
    snapshot("004");
}
