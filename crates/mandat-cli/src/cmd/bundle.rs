//! `mandat source` and `mandat bundle`: the sources of the store, and the bundled dataset
//! generated from it.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use mandat_core::{Lang, Source, SourceId};
use mandat_store::{Actor, Clearance, DocumentId, Role};

use crate::args::{BundleCommand, FactCommand, SourceAddArgs, SourceCommand};
use crate::cmd::store::{block_on, open, user_actor};

/// The source `a` describes, checked to have the dataset's form.
fn source_of(a: &SourceAddArgs) -> Result<Source> {
    Ok(Source {
        id: SourceId::new(a.id.clone()).map_err(|e| anyhow!("--id: {}", e.message()))?,
        publisher: a.publisher.clone(),
        title: a.title.clone(),
        date: mandat_core::parse_partial_date(&a.date)
            .map_err(|e| anyhow!("--date: {}", e.message()))?,
        url: a.url.clone(),
        lang: Lang::from_code(&a.lang)
            .ok_or_else(|| anyhow!("--lang {}: expected de or en", a.lang))?,
        printed_paper: a
            .printed_paper
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e: mandat_core::ValueError| anyhow!("--printed-paper: {}", e.message()))?,
        document: None,
    })
}

pub fn source(url: Option<&str>, c: &SourceCommand) -> Result<ExitCode> {
    block_on(async {
        let app = open(url).await?;
        match c {
            SourceCommand::Add(a) => {
                let src = source_of(a)?;
                let actor = match &a.user {
                    Some(u) => user_actor(&app.store, u, Role::Editor).await?,
                    None => Actor::system(),
                };
                app.add_source(&src, a.document.map(DocumentId), a.mission.clone(), &actor)
                    .await?;
                match a.document {
                    Some(d) => println!("source {} recorded, linked to document {d}", src.id),
                    None => println!("source {} recorded", src.id),
                }
            }
            SourceCommand::Link { id, document, user } => {
                let actor = match user {
                    Some(u) => user_actor(&app.store, u, Role::Editor).await?,
                    None => Actor::system(),
                };
                let linked = app.link_source(id, DocumentId(*document), &actor).await?;
                println!(
                    "source {id} linked to document {document}; {} quotes found there and recorded as its spans",
                    linked.attested
                );
            }
            SourceCommand::List { json } => {
                let mut out = String::new();
                for s in app.store.sources(Clearance::ALL).await? {
                    if *json {
                        out.push_str(&serde_json::to_string(&s)?);
                        out.push('\n');
                        continue;
                    }
                    out.push_str(&format!(
                        "{}  {}: {} ({})",
                        s.id, s.publisher, s.title, s.date
                    ));
                    if let Some(d) = s.document {
                        out.push_str(&format!(" [document {d}]"));
                    }
                    out.push('\n');
                }
                if out.is_empty() && !*json {
                    out.push_str("no sources\n");
                }
                crate::emit(&out)?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn bundle(url: Option<&str>, c: &BundleCommand) -> Result<ExitCode> {
    let BundleCommand::Write { dir } = c;
    let b = block_on(async {
        let app = open(url).await?;
        app.bundle().await.context("generating the bundle")
    })??;
    write_bundle(dir, &b)?;
    for s in &b.unplaced_sources {
        eprintln!(
            "warning: source {s} is cited by no public fact and names no mission, so it is in no file"
        );
    }
    let facts = b.fact_files().count();
    let documents = b.files.len() - facts;
    println!(
        "wrote {facts} fact files and {documents} bundled documents to {}",
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the files of `b` below `dir`, and removes the `facts/*.yaml` it did not write: the
/// facts folder is exactly what the store generates.
fn write_bundle(dir: &Path, b: &mandat_app::Bundle) -> Result<()> {
    let facts_dir = dir.join("facts");
    fs::create_dir_all(&facts_dir)
        .with_context(|| format!("{}: cannot create", facts_dir.display()))?;
    for f in &b.files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create", parent.display()))?;
        }
        if fs::read(&path).ok().as_deref() != Some(f.bytes.as_slice()) {
            fs::write(&path, &f.bytes)
                .with_context(|| format!("{}: cannot write", path.display()))?;
        }
    }
    let written: Vec<&str> = b.fact_files().collect();
    for e in fs::read_dir(&facts_dir).with_context(|| facts_dir.display().to_string())? {
        let p = e?.path();
        let stale = p.extension().is_some_and(|x| x == "yaml")
            && p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !written.contains(&n));
        if stale {
            fs::remove_file(&p).with_context(|| format!("{}: cannot remove", p.display()))?;
            eprintln!("removed {} (no fact of the store is in it)", p.display());
        }
    }
    Ok(())
}

/// `mandat fact add`: facts recorded by hand, all or none.
pub fn fact(url: Option<&str>, c: &FactCommand) -> Result<ExitCode> {
    let FactCommand::Add { file, user } = c;
    let yaml =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    block_on(async {
        let app = open(url).await?;
        let actor = match user {
            Some(u) => user_actor(&app.store, u, Role::Editor).await?,
            None => Actor::system(),
        };
        let added = app
            .add_fact_file(&file.display().to_string(), &yaml, &actor)
            .await?;
        println!(
            "{} facts recorded ({} quoting a stored document, checked), {} new sources",
            added.facts, added.spans, added.sources
        );
        Ok(ExitCode::SUCCESS)
    })?
}
