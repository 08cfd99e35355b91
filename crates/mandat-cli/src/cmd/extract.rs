//! `mandat extract FILE... [--json | --text]`: facts with exact spans from documents.
//!
//! Every file is handled on its own: one that cannot be read or loaded gives one diagnostic on
//! standard error and the others go on; the exit status says whether any failed.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use mandat_extract::Extraction;
use mandat_load::{Document, Limits, load_auto};

use crate::args::ExtractArgs;
use crate::{EXIT_FINDINGS, missions};

/// Expands directories (recursively, sorted, hidden entries skipped) into files.
pub fn walk(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = match fs::read_dir(p) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(_) => {
                    out.push(p.clone());
                    continue;
                }
            };
            entries.retain(|e| {
                !e.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            });
            entries.sort();
            out.extend(walk(&entries));
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Reads at most `limits.max_bytes` (checked on the metadata first, and again while reading, so a
/// growing or special file cannot exhaust memory) and loads it.
pub fn load_file(path: &Path, limits: &Limits) -> Result<(Vec<u8>, Document)> {
    let bytes = read_file(path, limits)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let doc =
        load_auto(&bytes, name.as_deref(), limits).with_context(|| path.display().to_string())?;
    Ok((bytes, doc))
}

/// The bytes of a file of at most `limits.max_bytes` (checked as [`load_file`] does).
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let file = fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("{}: cannot read metadata", path.display()))?;
    if meta.is_dir() {
        bail!("{}: is a directory", path.display());
    }
    limits
        .check_size(meta.len())
        .with_context(|| path.display().to_string())?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limits.max_bytes + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(bytes)
}

pub fn run(a: &ExtractArgs) -> Result<ExitCode> {
    let registry = missions::mission_registry()?;
    let limits = Limits::new(a.max_bytes);
    let files = walk(&a.paths);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0usize;
    for path in &files {
        let source = path.display().to_string();
        let doc = match load_file(path, &limits) {
            Ok((_, doc)) => doc,
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
                continue;
            }
        };
        for d in &doc.diagnostics {
            eprintln!("warning: {source}: {d}");
        }
        if a.text {
            out.write_all(doc.text.as_bytes())?;
            if !doc.text.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            continue;
        }
        let x = mandat_app::extract_document(&source, &doc, &registry);
        if a.json {
            serde_json::to_writer(&mut out, &x)?;
            out.write_all(b"\n")?;
        } else {
            write!(out, "{}", summary(&x))?;
        }
    }
    out.flush()?;
    if failed > 0 {
        eprintln!("{failed} of {} documents failed", files.len());
        return Ok(ExitCode::from(EXIT_FINDINGS));
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(x: &Extraction) -> String {
    let json = serde_json::to_value(x).unwrap_or_default();
    let mut s = format!(
        "== {} [{}] {}\n",
        x.source,
        json["lang"].as_str().unwrap_or("?"),
        x.title
    );
    if !x.missions.is_empty() {
        s.push_str(&format!("   missions: {}\n", x.missions.join(", ")));
    }
    if let Some(m) = json["mandate"].as_object() {
        for (k, v) in m {
            if v.is_null() || v.as_array().is_some_and(Vec::is_empty) {
                continue;
            }
            s.push_str(&format!("   {k}: {}\n", brief(v)));
        }
    }
    s.push_str(&format!(
        "   {} mentions, {} diagnostics\n",
        x.mentions.len(),
        x.diagnostics.len()
    ));
    for d in &x.diagnostics {
        s.push_str(&format!(
            "   ! {}\n",
            serde_json::to_string(d).unwrap_or_default()
        ));
    }
    s
}

/// A one-line rendering of a contract value: its value/date/id and quoted text, without spans.
fn brief(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Array(items) => items.iter().map(brief).collect::<Vec<_>>().join("; "),
        serde_json::Value::Object(o) => {
            let main = ["value", "date", "id", "kind", "count"]
                .iter()
                .filter_map(|k| {
                    o.get(*k)
                        .filter(|x| !x.is_null())
                        .map(|x| x.to_string().trim_matches('"').to_owned())
                })
                .next()
                .unwrap_or_default();
            match o.get("text").and_then(|t| t.as_str()) {
                Some(t) => format!("{main} \"{}\"", t.replace('\n', " ")),
                None => main,
            }
        }
        other => other.to_string(),
    }
}
