//! `mandat deadlines --within 90d`: procedural deadlines, mandate lapses and legal-basis ends.

use std::process::ExitCode;

use anyhow::Result;
use mandat_rules::deadlines;

use crate::args::DeadlinesArgs;
use crate::timearg;

pub fn run(src: super::Source<'_>, a: &DeadlinesArgs) -> Result<ExitCode> {
    let reg = super::registry(src)?;
    let from = timearg::time_point("from", &a.from)?;
    let within = timearg::days("within", &a.within)?;
    let as_of = a.as_of.as_deref().map(|s| timearg::time_point("as-of", s)).transpose()?;
    let options = super::options(&[])?;
    let list = deadlines(&reg, from, within, as_of, &options);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(ExitCode::SUCCESS);
    }
    if list.is_empty() {
        println!("no deadlines or lapses from {from} within {within} days");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{:<26} {:<24} {:<22} {:<20} facts", "when", "mission", "what", "rule");
    for d in &list {
        let facts: Vec<String> = d.facts.iter().map(ToString::to_string).collect();
        println!(
            "{:<26} {:<24} {:<22} {:<20} {}",
            d.at.to_string(),
            d.mission.as_str(),
            d.kind.name(),
            d.rule.to_string(),
            facts.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
