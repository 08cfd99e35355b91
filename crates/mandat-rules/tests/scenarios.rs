//! Runs every scenario file of the repository and requires every expectation to hold.

use std::path::{Path, PathBuf};

use mandat_rules::{check_findings, check_scenario, parse_scenario, render_verdict};

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_scenario_file_passes() {
    let files = files(&scenario_dir());
    assert!(
        files.len() >= 10,
        "expected the ten public scenarios, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut queries = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let yaml = std::fs::read_to_string(path).unwrap();
        let s = parse_scenario(&name, &yaml).unwrap_or_else(|e| panic!("{e}"));
        for o in check_scenario(&s).unwrap_or_else(|e| panic!("{name}: {e}")) {
            queries += 1;
            if !o.pass() {
                let bad: Vec<String> = o
                    .checks
                    .iter()
                    .filter(|c| !c.pass)
                    .map(|c| format!("{}: expected {}, got {}", c.key, c.expected, c.got))
                    .collect();
                failures.push(format!(
                    "{name}:{}: {} on {}: {}\n{}",
                    o.query.line,
                    o.query.query.mission,
                    o.query.query.on,
                    bad.join("; "),
                    render_verdict(&o.verdict)
                ));
            }
        }
        for f in check_findings(&s) {
            if !f.pass {
                failures.push(format!(
                    "{name}:{}: expected finding {:?} on {}",
                    f.expected.line, f.expected.item, f.expected.fact
                ));
            }
        }
    }
    assert!(queries >= 25, "only {queries} queries ran");
    assert!(
        failures.is_empty(),
        "{} failing expectations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_wrong_expectation_is_reported_as_failing() {
    let yaml = "name: x\npack: de\nfacts:\n  - {id: m, kind: mandate_approved, mission: K, valid: 2020-01-01, ceiling: 5, period: {from: 2020-01-01, until: open}}\nqueries:\n  - {mission: K, on: 2020-02-01, expect: {status: expired, ceiling: 6}}\n";
    let s = parse_scenario("x.yaml", yaml).unwrap();
    let out = check_scenario(&s).unwrap();
    assert!(!out[0].pass());
    assert_eq!(out[0].checks.iter().filter(|c| !c.pass).count(), 2);
    assert_eq!(out[0].checks[0].got, "covered");
}

#[test]
fn scenario_facts_round_trip_through_json() {
    for path in files(&scenario_dir()) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let s = parse_scenario(&name, &std::fs::read_to_string(&path).unwrap()).unwrap();
        let json = serde_json::to_string(&s.facts).unwrap();
        let back: Vec<mandat_core::Fact> =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}\n{json}"));
        assert_eq!(back, s.facts, "{name}");
    }
}
