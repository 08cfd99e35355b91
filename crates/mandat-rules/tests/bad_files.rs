//! Negative scenario files: each error names the file, the line and the key.

use std::path::Path;

use mandat_core::FileErrorCode;
use mandat_rules::parse_scenario;

fn parse_bad(name: &str) -> mandat_core::FileError {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad")
        .join(name);
    let yaml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match parse_scenario(name, &yaml) {
        Ok(_) => panic!("{name} parsed without error"),
        Err(e) => e,
    }
}

fn check(name: &str, line: u64, key: Option<&str>, code: FileErrorCode, text: &str) {
    let e = parse_bad(name);
    let msg = e.to_string();
    assert_eq!(
        (e.line, e.key.as_deref(), e.code),
        (line, key, code),
        "{msg}"
    );
    assert!(msg.starts_with(&format!("{name}:{line}:")), "{msg}");
    if let Some(k) = key {
        assert!(msg.contains(&format!("`{k}`")), "{msg}");
    }
    assert!(msg.contains(text), "{msg}");
}

#[test]
fn unknown_key() {
    check(
        "unknown-key.yaml",
        8,
        Some("ceilling"),
        FileErrorCode::UnknownKey,
        "unknown key",
    );
}

#[test]
fn impossible_date() {
    check(
        "bad-date.yaml",
        7,
        Some("valid"),
        FileErrorCode::InvalidValue,
        "2025-06-31",
    );
}

#[test]
fn undefined_fact_id() {
    check(
        "undefined-id.yaml",
        11,
        Some("mandate"),
        FileErrorCode::UndefinedId,
        "m-missing",
    );
}

#[test]
fn yaml_syntax_error() {
    let e = parse_bad("syntax-error.yaml");
    assert_eq!(e.code, FileErrorCode::Syntax, "{e}");
    assert!(e.line >= 5, "{e}");
    assert!(e.to_string().starts_with("syntax-error.yaml:"), "{e}");
}

#[test]
fn unknown_status_value() {
    check(
        "unknown-status.yaml",
        9,
        Some("status"),
        FileErrorCode::InvalidValue,
        "coverd",
    );
}

#[test]
fn unknown_option() {
    check(
        "unknown-option.yaml",
        4,
        Some("bridge-revives"),
        FileErrorCode::InvalidValue,
        "unknown option",
    );
}
