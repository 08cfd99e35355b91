//! The data page of the repository (`data/README.md`, "What is covered") stays true: its coverage
//! table has one row per dataset file, with that file's number of facts, and names the day (`valid`)
//! of every approved mandate in the file. The web UI's data page is computed from the registry; this
//! page is written by hand, so this test is what keeps it from drifting when facts are added.

use std::collections::BTreeMap;
use std::path::Path;

use mandat_core::{FactKind, parse_fact_file};

/// One row of the coverage table: facts count and the free text of the last column.
struct Row {
    facts: usize,
    text: String,
}

/// The rows of the table whose first cell is a dataset file name in backticks.
fn coverage_rows(readme: &str) -> BTreeMap<String, Row> {
    let mut rows = BTreeMap::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // `| file | missions | facts | approvals |` splits into 6 cells (empty at both ends).
        if cells.len() != 6 {
            continue;
        }
        let Some(file) = cells[1]
            .strip_prefix('`')
            .and_then(|c| c.strip_suffix(".yaml`"))
        else {
            continue;
        };
        let Ok(facts) = cells[3].parse() else {
            continue;
        };
        rows.insert(
            format!("facts/{file}.yaml"),
            Row {
                facts,
                text: cells[4].to_owned(),
            },
        );
    }
    rows
}

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/README.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Everything wrong with the table for the given dataset files.
fn table_problems(readme: &str, files: &[(&str, &str)]) -> Vec<String> {
    let rows = coverage_rows(readme);
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for (name, yaml) in files {
        if !name.starts_with("facts/") {
            continue;
        }
        seen.push((*name).to_owned());
        let parsed = parse_fact_file(name, yaml).unwrap_or_else(|e| panic!("{e}"));
        let Some(row) = rows.get(*name) else {
            problems.push(format!("{name}: no row in the coverage table"));
            continue;
        };
        if row.facts != parsed.facts.len() {
            problems.push(format!(
                "{name}: the table says {} facts, the file has {}",
                row.facts,
                parsed.facts.len()
            ));
        }
        for f in &parsed.facts {
            if matches!(f.kind, FactKind::MandateApproved { .. }) {
                let day = f.valid.to_string();
                if !row.text.contains(&day) {
                    problems.push(format!(
                        "{name}: approval {} of {day} is not named in its row",
                        f.id
                    ));
                }
            }
        }
    }
    for name in rows.keys() {
        if !seen.contains(name) {
            problems.push(format!("{name}: a row for a file that does not exist"));
        }
    }
    problems
}

#[test]
fn the_coverage_table_matches_the_dataset_files() {
    let problems = table_problems(&readme(), mandat_data::DATASET_FILES);
    assert!(
        problems.is_empty(),
        "data/README.md, \"What is covered\", is out of date:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_stale_row_is_reported() {
    let file = "sources:\n  - {id: s, publisher: P, title: T, date: 2020-01-01, lang: de}\nfacts:\n  - id: x-approved\n    kind: mandate_approved\n    mission: KFOR\n    valid: 2020-06-18\n    ceiling: 400\n    period: {from: 2020-06-18, until: open}\n    source: {ref: s, quote: q}\n";
    let files = [("facts/x.yaml", file)];
    let good = "| `x.yaml` | KFOR | 1 | 2020-06-18 |\n";
    assert!(table_problems(good, &files).is_empty());
    let stale = "| `x.yaml` | KFOR | 2 | 2020-06-17 |\n| `y.yaml` | Y | 0 | |\n";
    let problems = table_problems(stale, &files);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("says 2 facts, the file has 1"));
    assert!(problems[1].contains("x-approved of 2020-06-18"));
    assert!(problems[2].contains("facts/y.yaml: a row for a file"));
    assert_eq!(
        table_problems("", &files),
        vec!["facts/x.yaml: no row in the coverage table".to_owned()]
    );
}
