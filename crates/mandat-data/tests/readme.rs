//! The data page of the repository (`data/README.md`) stays true:
//!
//! - "What is covered": one row per dataset file, with that file's number of facts, naming the day
//!   (`valid`) of every approved mandate in the file;
//! - "Coverage gaps": exactly the gaps that `mandat_rules::coverage_gaps` computes from the data,
//!   and on none of their days does `status` answer `covered` from an approval.
//!
//! The web UI's data page is computed from the registry; this page is written by hand, so these
//! tests are what keep it from drifting when facts are added.

use std::collections::BTreeMap;
use std::path::Path;

use mandat_core::{FactKind, parse_fact_file};
use mandat_rules::{Basis, Options, Query, Status, all_coverage_gaps, evaluate};

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

/// The rows of the table in the section "Coverage gaps": mission, first day, last day.
fn gap_rows(readme: &str) -> Vec<(String, String, String)> {
    let Some(start) = readme.find("\n## Coverage gaps") else {
        return Vec::new();
    };
    let section = &readme[start + 1..];
    let section = section[3..]
        .find("\n## ")
        .map_or(section, |end| &section[..end + 3]);
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let is_day = |c: &str| c.len() == 10 && c.as_bytes()[4] == b'-';
            (cells.len() == 8 && is_day(cells[2]) && is_day(cells[3])).then(|| {
                (
                    cells[1].to_owned(),
                    cells[2].to_owned(),
                    cells[3].to_owned(),
                )
            })
        })
        .collect()
}

#[test]
fn the_gap_table_lists_exactly_the_computed_gaps() {
    let reg = mandat_data::registry().expect("the bundled dataset is valid");
    let computed: Vec<(String, String, String)> = all_coverage_gaps(&reg)
        .into_iter()
        .map(|g| {
            (
                g.mission.to_string(),
                g.from.to_string(),
                g.until.to_string(),
            )
        })
        .collect();
    assert!(!computed.is_empty(), "the dataset has known gaps");
    let listed = gap_rows(&readme());
    let missing: Vec<_> = computed.iter().filter(|g| !listed.contains(g)).collect();
    let extra: Vec<_> = listed.iter().filter(|g| !computed.contains(g)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "data/README.md, \"Coverage gaps\", is out of date (mission, from, until):\n\
         computed but not listed: {missing:?}\nlisted but not computed: {extra:?}"
    );
}

#[test]
fn no_gap_day_is_covered_by_an_approval() {
    let reg = mandat_data::registry().expect("the bundled dataset is valid");
    for g in all_coverage_gaps(&reg) {
        for day in [g.from, g.until] {
            let q = Query {
                mission: g.mission.clone(),
                on: day.into(),
                as_of: None,
            };
            let v = evaluate(&reg, &q, &Options::default());
            assert!(
                !(v.status == Status::Covered && v.basis == Some(Basis::Approved)),
                "{} on {day} lies in a computed gap but status is covered by {:?}",
                g.mission,
                v.mandate
            );
        }
    }
}

#[test]
fn the_gap_table_is_read_from_its_section_only() {
    let page = "## What is covered\n| KFOR | 2020-01-01 | 2020-01-02 | 2 | a | b |\n\
                ## Coverage gaps\n| mission | from | until | days | between | why |\n\
                | --- | --- | --- | --- | --- | --- |\n| UNIFIL | 2008-09-16 | 2008-09-16 | 1 | a, b | c |\n\
                ## What is missing\n| KFOR | 2021-01-01 | 2021-01-02 | 2 | a | b |\n";
    assert_eq!(
        gap_rows(page),
        vec![("UNIFIL".into(), "2008-09-16".into(), "2008-09-16".into())]
    );
}
