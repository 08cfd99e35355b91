//! `mandat scenario check FILE...` and `mandat scenario explain FILE`.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use mandat_rules::{Scenario, check_findings, check_scenario, parse_scenario, render_verdict};

use crate::{EXIT_ERROR, EXIT_FINDINGS};

fn read(path: &Path) -> Result<Scenario> {
    let name = path.display().to_string();
    let yaml = fs::read_to_string(path).with_context(|| format!("{name}: cannot read"))?;
    Ok(parse_scenario(&name, &yaml)?)
}

pub fn check(files: &[std::path::PathBuf]) -> Result<ExitCode> {
    let (mut misses, mut errors, mut total) = (0usize, 0usize, 0usize);
    println!(
        "{:<34} {:<44} {:<10} {:<28} {:<28} ok",
        "scenario", "query", "key", "expected", "got"
    );
    for path in files {
        let s = match read(path) {
            Ok(s) => s,
            Err(e) => {
                errors += 1;
                eprintln!("error: {e:#}");
                continue;
            }
        };
        let outcomes = match check_scenario(&s) {
            Ok(o) => o,
            Err(e) => {
                errors += 1;
                eprintln!("error: {}: {e}", path.display());
                continue;
            }
        };
        for o in &outcomes {
            let q = &o.query.query;
            let label = match &q.as_of {
                Some(t) => format!("{} on {} as of {t}", q.mission, q.on),
                None => format!("{} on {}", q.mission, q.on),
            };
            for c in &o.checks {
                total += 1;
                if !c.pass {
                    misses += 1;
                }
                println!(
                    "{:<34} {:<44} {:<10} {:<28} {:<28} {}",
                    s.name,
                    label,
                    c.key,
                    c.expected,
                    c.got,
                    if c.pass { "yes" } else { "NO" }
                );
            }
        }
        for f in check_findings(&s) {
            total += 1;
            if !f.pass {
                misses += 1;
            }
            println!(
                "{:<34} {:<44} {:<10} {:<28} {:<28} {}",
                s.name,
                format!("finding for {}", f.expected.fact),
                "finding",
                format!("{:?}", f.expected.item),
                if f.pass { "found" } else { "not found" },
                if f.pass { "yes" } else { "NO" }
            );
        }
    }
    println!("{} passed, {} failed", total - misses, misses);
    if errors > 0 {
        eprintln!("{errors} file(s) could not be checked");
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(if misses > 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn explain(path: &Path) -> Result<ExitCode> {
    let s = read(path)?;
    let outcomes = check_scenario(&s).with_context(|| path.display().to_string())?;
    println!("scenario {} (pack {:?})", s.name, s.pack);
    for o in &outcomes {
        println!();
        print!("{}", render_verdict(&o.verdict));
    }
    Ok(ExitCode::SUCCESS)
}
