//! `mandat missions`: every mission of the registry with its status today (or `--on`); with
//! `--gaps`, the coverage gaps of every mission instead.

use std::collections::BTreeMap;
use std::process::ExitCode;

use std::fmt::Write as _;

use anyhow::Result;
use mandat_core::MissionId;
use mandat_rules::{Options, Query, all_coverage_gaps, evaluate};
use serde::Serialize;

use crate::args::MissionsArgs;
use crate::{missions, timearg};

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    organisation: String,
    area: String,
    status: Option<String>,
    ceiling: Option<u32>,
    mandate: Option<String>,
    facts: usize,
}

pub fn run(src: super::Source<'_>, a: &MissionsArgs) -> Result<ExitCode> {
    let reg = super::registry(src)?;
    if a.gaps {
        return gaps(&reg, a.json);
    }
    let names = missions::mission_registry()?;
    let on = timearg::time_point("on", &a.on)?;
    let options = Options::default();
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for m in names.missions() {
        rows.insert(
            m.id.clone(),
            Row {
                id: m.id.clone(),
                name: m.name.en.clone(),
                organisation: format!("{:?}", m.organisation),
                area: m.area.clone(),
                status: None,
                ceiling: None,
                mandate: None,
                facts: 0,
            },
        );
    }
    for id in reg.missions() {
        let n = reg.mission_facts(id).count();
        let row = rows.entry(id.as_str().to_owned()).or_insert_with(|| Row {
            id: id.as_str().to_owned(),
            name: id.as_str().to_owned(),
            organisation: String::new(),
            area: String::new(),
            status: None,
            ceiling: None,
            mandate: None,
            facts: 0,
        });
        let v = evaluate(
            &reg,
            &Query {
                mission: MissionId::clone(id),
                on,
                as_of: None,
            },
            &options,
        );
        row.facts = n;
        row.status = Some(v.status.to_string());
        row.ceiling = v.ceiling.map(|c| c.get());
        row.mandate = v.mandate.map(|m| m.to_string());
    }
    if a.json {
        let list: Vec<&Row> = rows.values().collect();
        crate::emit(&(serde_json::to_string_pretty(&list)? + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut o = String::new();
    writeln!(
        o,
        "status on {on}; missions without facts have no mandates in the registry yet"
    )?;
    writeln!(
        o,
        "{:<28} {:<16} {:>8} {:>6}  area",
        "mission", "status", "ceiling", "facts"
    )?;
    for r in rows.values() {
        writeln!(
            o,
            "{:<28} {:<16} {:>8} {:>6}  {}",
            r.id,
            r.status.as_deref().unwrap_or("-"),
            r.ceiling.map_or_else(|| "-".to_owned(), |c| c.to_string()),
            r.facts,
            r.area
        )?;
    }
    crate::emit(&o)?;
    Ok(ExitCode::SUCCESS)
}

/// `mandat missions --gaps`: the coverage gaps of every mission, computed from the facts.
fn gaps(reg: &mandat_core::Registry, json: bool) -> Result<ExitCode> {
    let gaps = all_coverage_gaps(reg);
    if json {
        crate::emit(&(serde_json::to_string_pretty(&gaps)? + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut o = String::new();
    writeln!(
        o,
        "days between two approved mandates of a mission that no approved mandate covers"
    )?;
    writeln!(
        o,
        "{:<20} {:<10} {:<10} {:>5}  between",
        "mission", "from", "until", "days"
    )?;
    for g in &gaps {
        writeln!(
            o,
            "{:<20} {:<10} {:<10} {:>5}  {} .. {}",
            g.mission.as_str(),
            g.from,
            g.until,
            g.days(),
            g.after,
            g.before
        )?;
    }
    if gaps.is_empty() {
        writeln!(o, "(none)")?;
    }
    crate::emit(&o)?;
    Ok(ExitCode::SUCCESS)
}
