//! Loads the bundled dataset (`data/facts/*.yaml`, `data/calendar.yaml`) when present and
//! evaluates every mission in it.

use std::path::{Path, PathBuf};

use mandat_core::{FactKind, Registry, TimePoint};
use mandat_rules::{Options, Pack, Query, evaluate};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

fn dataset_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let facts = data_dir().join("facts");
    if let Ok(rd) = std::fs::read_dir(&facts) {
        let mut paths: Vec<PathBuf> = rd
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        paths.sort();
        for p in paths {
            let name = format!("data/facts/{}", p.file_name().unwrap().to_string_lossy());
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    let cal = data_dir().join("calendar.yaml");
    if cal.exists() {
        out.push((
            "data/calendar.yaml".to_owned(),
            std::fs::read_to_string(cal).unwrap(),
        ));
    }
    out
}

#[test]
fn bundled_dataset_loads_and_evaluates() {
    let files = dataset_files();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, y)| (n.as_str(), y.as_str()))
        .collect();
    let reg = Registry::from_files(&borrowed).unwrap_or_else(|e| panic!("{e}"));
    let fact_files = files
        .iter()
        .filter(|(n, _)| n.starts_with("data/facts/"))
        .count();
    if fact_files == 0 {
        assert!(
            reg.is_empty(),
            "no fact files, yet the registry holds facts"
        );
        return;
    }
    assert!(!reg.is_empty(), "{fact_files} fact files gave no facts");
    // Every mandate is found under each mission it names, and every mission can be evaluated
    // on the day after each of its mandate decisions without panicking.
    for m in reg.missions() {
        let facts: Vec<_> = reg.mission_facts(m).collect();
        for f in facts
            .iter()
            .filter(|f| matches!(f.kind, FactKind::MandateApproved { .. }))
        {
            assert!(f.kind.missions().contains(m));
            let q = Query {
                mission: m.clone(),
                on: TimePoint::Day(f.valid.date()),
                as_of: None,
            };
            let v = evaluate(
                &reg,
                &q,
                &Options {
                    pack: Pack::De,
                    ..Options::default()
                },
            );
            assert_eq!(v.query, q);
            assert!(!v.explanation.children.is_empty());
        }
    }
}

#[test]
fn a_broken_dataset_file_is_reported_with_its_name() {
    let files = [(
        "data/facts/x.yaml",
        "facts:\n  - {id: a, kind: members, valid: 2025-02-30, count: 1}\n",
    )];
    let err = Registry::from_files(&files).unwrap_err().to_string();
    assert!(err.starts_with("data/facts/x.yaml:2:"), "{err}");
    let dup = [
        (
            "data/facts/a.yaml",
            "facts:\n  - {id: a, kind: members, valid: 2025-01-01, count: 1}\n",
        ),
        (
            "data/facts/b.yaml",
            "facts:\n  - {id: a, kind: members, valid: 2025-01-01, count: 1}\n",
        ),
    ];
    let err = Registry::from_files(&dup).unwrap_err().to_string();
    assert!(
        err.contains("duplicate fact id `a`") && err.contains("b.yaml"),
        "{err}"
    );
}
