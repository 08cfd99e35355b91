//! Plain-text rendering of verdicts and explanation trees.

use std::fmt::Write;

use std::collections::BTreeSet;

use mandat_core::{Citation, Registry, Source, SourceId};

use crate::verdict::{Explanation, Verdict};

fn citation(c: &Citation) -> String {
    match c {
        Citation::Text(t) => t.clone(),
        Citation::Source {
            source,
            quote,
            note,
        } => {
            let mut s = format!("source {source}");
            if let Some(q) = quote {
                let _ = write!(s, ": \"{q}\"");
            }
            if let Some(n) = note {
                let _ = write!(s, " ({n})");
            }
            s
        }
    }
}

fn node(out: &mut String, e: &Explanation, depth: usize) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(out, "{pad}- [{}] {}", e.rule, e.summary);
    for f in &e.facts {
        let src = f
            .source
            .as_ref()
            .map(|c| format!(" <- {}", citation(c)))
            .unwrap_or_default();
        let _ = writeln!(out, "{pad}    fact {} ({}){src}", f.id, f.kind);
    }
    for c in &e.children {
        node(out, c, depth + 1);
    }
}

/// Renders an explanation tree as an indented list: every node with its rule citation, the
/// facts it used and their sources.
pub fn render_explanation(e: &Explanation) -> String {
    let mut out = String::new();
    node(&mut out, e, 0);
    out
}

/// Renders a verdict: a summary block, warnings, then the explanation tree.
pub fn render_verdict(v: &Verdict) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "mission:  {}", v.query.mission);
    let _ = writeln!(out, "on:       {}", v.query.on);
    if let Some(t) = &v.query.as_of {
        let _ = writeln!(out, "as of:    {t}");
    }
    let _ = writeln!(out, "status:   {}", v.status);
    if let Some(m) = &v.mandate {
        let _ = writeln!(out, "mandate:  {m}");
    }
    if let Some(c) = v.ceiling {
        let _ = writeln!(out, "ceiling:  {c}");
    }
    if let Some(b) = v.basis {
        let _ = writeln!(out, "basis:    {}", b.name());
    }
    if let Some(c) = &v.check {
        let _ = writeln!(
            out,
            "check:    {} ({} of {}, report {})",
            c.outcome.name(),
            c.strength,
            c.ceiling,
            c.report
        );
    }
    if let Some(d) = &v.deadline {
        let _ = writeln!(out, "deadline: {} {} [{}]", d.at, d.kind.name(), d.rule);
    }
    if let Some(c) = &v.contest {
        let _ = writeln!(out, "contested: otherwise {} ({})", c.alternative, c.reason);
    }
    for w in &v.warnings {
        let _ = writeln!(out, "warning:  {}: {}", w.code.name(), w.message);
    }
    out.push_str("why:\n");
    out.push_str(&render_explanation(&v.explanation));
    out
}

/// The sources cited anywhere in an explanation, resolved to publisher, title, date and address,
/// in source-id order.
pub fn cited_sources<'r>(e: &Explanation, reg: &'r Registry) -> Vec<&'r Source> {
    fn walk(e: &Explanation, out: &mut BTreeSet<SourceId>) {
        for f in &e.facts {
            if let Some(Citation::Source { source, .. }) = &f.source {
                out.insert(source.clone());
            }
        }
        for c in &e.children {
            walk(c, out);
        }
    }
    let mut ids = BTreeSet::new();
    walk(e, &mut ids);
    ids.iter().filter_map(|id| reg.source(id)).collect()
}
