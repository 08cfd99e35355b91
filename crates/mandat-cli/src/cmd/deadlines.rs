//! `mandat deadlines --within 90d`: procedural deadlines, mandate lapses and legal-basis ends.

use std::process::ExitCode;

use std::fmt::Write as _;

use anyhow::Result;
use mandat_rules::deadlines;

use crate::args::DeadlinesArgs;
use crate::timearg;

pub fn run(src: super::Source<'_>, a: &DeadlinesArgs) -> Result<ExitCode> {
    let reg = super::registry(src)?;
    let from = timearg::time_point("from", &a.from)?;
    let within = timearg::days("within", &a.within)?;
    let as_of = a
        .as_of
        .as_deref()
        .map(|s| timearg::time_point("as-of", s))
        .transpose()?;
    let options = super::options(&[])?;
    let list = deadlines(&reg, from, within, as_of, &options);
    if a.json {
        crate::emit(&(serde_json::to_string_pretty(&list)? + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut o = String::new();
    if list.is_empty() {
        writeln!(o, "no deadlines or lapses from {from} within {within} days")?;
        crate::emit(&o)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        o,
        "{:<26} {:<24} {:<22} {:<20} facts",
        "when", "mission", "what", "rule"
    )?;
    for d in &list {
        let facts: Vec<String> = d.facts.iter().map(ToString::to_string).collect();
        writeln!(
            o,
            "{:<26} {:<24} {:<22} {:<20} {}",
            d.at.to_string(),
            d.mission.as_str(),
            d.kind.name(),
            d.rule.to_string(),
            facts.join(", ")
        )?;
    }
    crate::emit(&o)?;
    Ok(ExitCode::SUCCESS)
}
