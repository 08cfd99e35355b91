//! `mandat status MISSION --on DATE [--as-of DATE] [--json]`

use std::process::ExitCode;

use anyhow::Result;
use mandat_rules::{Query, Verdict, evaluate, render_verdict};
use serde::Serialize;

use crate::args::StatusArgs;
use crate::{missions, timearg};

#[derive(Serialize)]
struct StatusJson<'a> {
    #[serde(flatten)]
    verdict: &'a Verdict,
    sources: Vec<&'a mandat_core::Source>,
}

pub fn run(src: super::Source<'_>, a: &StatusArgs) -> Result<ExitCode> {
    let reg = super::registry(src)?;
    let mission = missions::resolve(&a.mission, &missions::mission_registry()?, &reg)?;
    let on = timearg::time_point("on", &a.on)?;
    let as_of = a
        .as_of
        .as_deref()
        .map(|s| timearg::time_point("as-of", s))
        .transpose()?;
    let options = super::options(&a.options)?;
    let verdict = evaluate(&reg, &Query { mission, on, as_of }, &options);
    let sources = mandat_rules::cited_sources(&verdict.explanation, &reg);
    if a.json {
        let out = StatusJson {
            verdict: &verdict,
            sources,
        };
        crate::emit(&(serde_json::to_string_pretty(&out)? + "\n"))?;
    } else {
        crate::emit(&(render_verdict(&verdict) + &super::render_sources(&sources)))?;
    }
    Ok(ExitCode::SUCCESS)
}
