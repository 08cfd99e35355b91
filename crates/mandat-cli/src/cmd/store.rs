//! Commands over the persistent store: `db`, `ingest`, `review`, `user`, `search`, `export`,
//! `import`. Each opens the store (creating and filling it with the bundled dataset on first use).

use std::fs;
use std::io::{self, BufReader, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use mandat_app::{App, Concurrency, IngestInput, Ingested, POSTGRES_WRITERS};
use mandat_load::Limits;
use mandat_store::{
    Actor, ClaimFilter, ClaimId, ClaimStatus, Clearance, CsvTable, ReviewDecision, Role,
    SearchQuery, Store,
};

use crate::args::{
    AlertsCommand, DbCommand, DocumentsCommand, ExportArgs, ImportArgs, IngestArgs, ReviewCommand,
    SearchArgs, UserCommand,
};
use crate::{EXIT_FINDINGS, timearg};

/// Runs a future on a runtime of its own: the CLI is synchronous apart from the store.
pub fn block_on<F: std::future::Future>(f: F) -> Result<F::Output> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(f))
}

/// The database URL: the flag or `MANDAT_DATABASE_URL`, else the default SQLite file.
pub fn database_url(explicit: Option<&str>) -> Result<String> {
    let xdg = std::env::var("XDG_DATA_HOME").ok();
    let home = std::env::var("HOME").ok();
    Ok(mandat_store::resolve_database_url(
        explicit,
        None,
        xdg.as_deref(),
        home.as_deref(),
    )?)
}

/// Opens the store, migrating and seeding it on first use.
pub async fn open(url: Option<&str>) -> Result<App> {
    let url = database_url(url)?;
    App::open(&url)
        .await
        .with_context(|| format!("opening {}", redact(&url)))
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub(crate) async fn user_actor(store: &Store, name: &str, needed: Role) -> Result<Actor> {
    let u = store
        .user(name)
        .await?
        .ok_or_else(|| anyhow!("unknown user `{name}`; add one with `mandat user add`"))?;
    if u.role < needed {
        bail!(
            "user `{name}` is a {}; this needs a {} or above",
            u.role,
            needed
        );
    }
    Ok(u.actor())
}

pub fn db(url: Option<&str>, c: &DbCommand) -> Result<ExitCode> {
    block_on(async {
        let url = database_url(url)?;
        match c {
            DbCommand::Migrate => {
                let store = Store::connect(&url).await?;
                let before = store.status().await?.pending.len();
                store.migrate().await?;
                println!(
                    "{}: {before} migration(s) applied, schema up to date",
                    redact(&url)
                );
            }
            DbCommand::Status { json } => {
                let store = Store::connect(&url).await?;
                let st = store.status().await?;
                if *json {
                    println!("{}", serde_json::to_string_pretty(&st)?);
                } else {
                    println!("database:  {}", redact(&url));
                    println!("backend:   {:?}", st.backend);
                    for m in &st.applied {
                        println!("applied:   {} {}", m.version, m.description);
                    }
                    for m in &st.pending {
                        println!("pending:   {} {}", m.version, m.description);
                    }
                    let n = |x: Option<i64>| x.map_or_else(|| "-".to_owned(), |v| v.to_string());
                    println!("documents: {}", n(st.documents));
                    println!("facts:     {}", n(st.claims));
                    println!("users:     {}", n(st.users));
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn ingest(url: Option<&str>, a: &IngestArgs) -> Result<ExitCode> {
    let jobs = a.jobs.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    // Loading and extraction run on blocking threads; the runtime's own threads build and send the
    // writers' statements.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(jobs.clamp(1, POSTGRES_WRITERS))
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let app = open(url).await?;
        let actor = match &a.user {
            Some(u) => user_actor(&app.store, u, Role::Editor).await?,
            None => Actor::system(),
        };
        let files = super::extract::walk(&a.paths);
        let limits = Limits::new(a.max_bytes);
        let bar = ProgressBar::new(files.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents, {per_sec} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let inputs = files.iter().map(|path| {
            let source = path.display().to_string();
            match super::extract::read_file(path, &limits) {
                Ok(bytes) => IngestInput::Bytes {
                    source,
                    name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
                    bytes,
                },
                Err(e) => IngestInput::Unreadable {
                    source,
                    message: format!("{e:#}"),
                },
            }
        });
        let concurrency = Concurrency::for_backend(jobs, app.store.backend());
        let mut report = IngestReport::new(files.len());
        app.ingest_many(inputs, limits, concurrency, &actor, |i, source, outcome| {
            // The bar counts documents whose outcome is final (committed or failed); the lines
            // come in input order.
            bar.inc(1);
            for line in report.record(i, source, outcome) {
                if bar.is_hidden() {
                    // Not a terminal: the bar draws nothing, and neither would its `println`.
                    eprintln!("{line}");
                } else {
                    bar.println(line);
                }
            }
        })
        .await;
        bar.finish_and_clear();
        for f in &report.failed {
            eprintln!("failed: {f}");
        }
        println!(
            "{} documents: {} stored, {} already present, {} failed; {} facts proposed for review",
            files.len(),
            report.stored,
            report.skipped,
            report.failed.len(),
            report.facts
        );
        Ok(if report.failed.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(EXIT_FINDINGS)
        })
    })
}

/// Outcomes of `mandat ingest`, arriving in completion order and reported in input order.
struct IngestReport {
    outcomes: Vec<Option<(String, Result<Ingested, mandat_app::AppError>)>>,
    next: usize,
    stored: usize,
    skipped: usize,
    facts: usize,
    failed: Vec<String>,
}

impl IngestReport {
    fn new(n: usize) -> Self {
        Self {
            outcomes: (0..n).map(|_| None).collect(),
            next: 0,
            stored: 0,
            skipped: 0,
            facts: 0,
            failed: Vec::new(),
        }
    }

    /// Records input `i`'s outcome; returns the lines now due, those of every input up to the
    /// first one still running.
    fn record(
        &mut self,
        i: usize,
        source: &str,
        outcome: Result<Ingested, mandat_app::AppError>,
    ) -> Vec<String> {
        if let Some(slot) = self.outcomes.get_mut(i) {
            *slot = Some((source.to_owned(), outcome));
        }
        let mut lines = Vec::new();
        while let Some(Some((source, outcome))) = self.outcomes.get_mut(self.next).map(Option::take)
        {
            self.next += 1;
            match outcome {
                Ok(Ingested::Stored { proposals, .. }) => {
                    self.stored += 1;
                    self.facts += proposals;
                }
                Ok(Ingested::AlreadyPresent(id)) => {
                    self.skipped += 1;
                    lines.push(format!(
                        "{source}: already stored as document {}, nothing written",
                        id.0
                    ));
                }
                // These name the document themselves.
                Err(
                    e @ (mandat_app::AppError::Load { .. }
                    | mandat_app::AppError::Unreadable { .. }),
                ) => self.failed.push(e.to_string()),
                Err(e) => self.failed.push(format!("{source}: {e}")),
            }
        }
        lines
    }
}

pub fn review(url: Option<&str>, c: &ReviewCommand) -> Result<ExitCode> {
    block_on(async {
        let app = open(url).await?;
        let (claim, decision, user, note) = match c {
            ReviewCommand::List { mission, json } => {
                let filter = ClaimFilter {
                    mission: mission.clone(),
                    status: Some(ClaimStatus::Proposed),
                    clearance: Clearance::ALL,
                    ..ClaimFilter::default()
                };
                let list = app.store.claims(&filter, None).await?;
                if *json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else if list.is_empty() {
                    println!("no proposals waiting for review");
                } else {
                    for c in &list {
                        let quote = match &c.evidence {
                            mandat_store::Evidence::Span { quote, .. } => quote.replace('\n', " "),
                            mandat_store::Evidence::Citation { text } => text.clone(),
                            mandat_store::Evidence::Unsourced => String::new(),
                        };
                        println!(
                            "{:>6}  {:<18} {:<20} valid {:<12} \"{}\"",
                            c.id.0,
                            c.kind,
                            c.missions.join(","),
                            c.valid_from.as_deref().unwrap_or("-"),
                            quote
                        );
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            ReviewCommand::Accept { claim, user, note } => {
                (claim, ReviewDecision::Accept, user, note)
            }
            ReviewCommand::Reject { claim, user, note } => {
                (claim, ReviewDecision::Reject, user, note)
            }
            ReviewCommand::Correct {
                claim,
                fact,
                user,
                note,
            } => {
                let parsed: mandat_core::Fact =
                    serde_json::from_str(fact).context("--fact: not a valid fact in JSON")?;
                let valid_from = Some(parsed.valid.to_string());
                let payload = serde_json::to_value(&parsed)?;
                (
                    claim,
                    ReviewDecision::Correct {
                        payload,
                        valid_from,
                    },
                    user,
                    note,
                )
            }
        };
        let actor = user_actor(&app.store, user, Role::Reviewer).await?;
        let outcome = app
            .review(
                ClaimId(*claim),
                decision,
                &actor,
                Clearance::ALL,
                note.as_deref(),
            )
            .await
            .with_context(|| format!("review of fact claim {claim}"))?;
        match outcome {
            mandat_store::ReviewOutcome::StatusChanged { claim, status } => {
                println!("fact claim {} is now {status} (by {})", claim.0, actor.name);
            }
            mandat_store::ReviewOutcome::Corrected { old, new } => {
                println!(
                    "fact claim {} corrected as claim {} and accepted (by {})",
                    old.0, new.0, actor.name
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn user(url: Option<&str>, c: &UserCommand) -> Result<ExitCode> {
    block_on(async {
        let app = open(url).await?;
        match c {
            UserCommand::Add {
                name,
                role,
                clearance,
                password_stdin,
            } => {
                let role = Role::parse(role).ok_or_else(|| {
                    anyhow!("--role {role}: expected reader, reviewer, editor or admin")
                })?;
                let password = if *password_stdin {
                    let mut s = String::new();
                    io::stdin().read_to_string(&mut s)?;
                    Some(s.trim_end_matches(['\r', '\n']).to_owned())
                } else {
                    None
                };
                let u = app
                    .store
                    .create_user(
                        &Actor::system(),
                        name,
                        role,
                        Clearance::new(*clearance),
                        password.as_deref(),
                    )
                    .await?;
                println!("user {} added as {}", u.name, u.role);
            }
            UserCommand::List => {
                for u in app.store.users().await? {
                    println!(
                        "{:<20} {:<10} clearance {}",
                        u.name,
                        u.role,
                        u.clearance.level()
                    );
                }
            }
            UserCommand::Token { name, label } => {
                let u = app
                    .store
                    .user(name)
                    .await?
                    .ok_or_else(|| anyhow!("unknown user `{name}`"))?;
                let t = app.store.create_token(u.id, label).await?;
                println!("{}", t.secret);
                eprintln!("token {} for {name}: shown once, stored hashed", t.id);
            }
        }
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn search(url: Option<&str>, a: &SearchArgs) -> Result<ExitCode> {
    block_on(async {
        let app = open(url).await?;
        let mut q = SearchQuery::new(a.query.clone());
        q.mission = a.mission.clone();
        q.lang = a.lang.clone();
        q.from = a
            .from
            .as_deref()
            .map(|s| timearg::time_point("from", s).map(|t| t.date()))
            .transpose()?;
        q.until = a
            .until
            .as_deref()
            .map(|s| timearg::time_point("until", s).map(|t| t.date()))
            .transpose()?;
        q.limit = a.limit;
        let hits = app.store.search(&q).await?;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&hits)?);
            return Ok(ExitCode::SUCCESS);
        }
        if hits.is_empty() {
            println!("no documents match `{}`", a.query);
        }
        for h in &hits {
            println!(
                "== {} [{}] {}",
                h.source,
                h.lang,
                h.title.as_deref().unwrap_or("")
            );
            println!("   {}", h.passage.replace('\n', " "));
            for c in &h.claims {
                println!("   fact {} ({}) {}", c.fact_id, c.kind, c.status);
            }
        }
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn export(url: Option<&str>, a: &ExportArgs) -> Result<ExitCode> {
    block_on(async {
        let app = open(url).await?;
        let mut out: Box<dyn Write> = match &a.out {
            Some(p) => Box::new(io::BufWriter::new(
                fs::File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
            )),
            None => Box::new(io::BufWriter::new(io::stdout().lock())),
        };
        match a.csv.as_deref() {
            None => app.store.export_jsonl(&mut out, Clearance::ALL).await?,
            Some(t) => {
                let table = match t {
                    "missions" => CsvTable::Missions,
                    "mandates" => CsvTable::Mandates,
                    "strength" => CsvTable::Strength,
                    other => bail!("--csv {other}: expected missions, mandates or strength"),
                };
                app.store
                    .export_csv(table, None, Clearance::PUBLIC, &mut out)
                    .await?;
            }
        }
        out.flush()?;
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn import(url: Option<&str>, a: &ImportArgs) -> Result<ExitCode> {
    block_on(async {
        // Not `open`: an import goes into an empty store, which first use would otherwise fill
        // with the bundled dataset.
        let store = Store::open(&database_url(url)?).await?;
        let f = fs::File::open(&a.file)
            .with_context(|| format!("{}: cannot open", a.file.display()))?;
        let s = store
            .import_jsonl(BufReader::new(f), &Actor::system())
            .await
            .with_context(|| a.file.display().to_string())?;
        println!(
            "imported {} documents, {} sources, {} facts, {} review events, {} users, {} links",
            s.documents, s.sources, s.claims, s.events, s.users, s.links
        );
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn documents(url: Option<&str>, c: &DocumentsCommand) -> Result<ExitCode> {
    block_on(async {
        let app = open(url).await?;
        match c {
            DocumentsCommand::List { after, limit, json } => {
                let after = (*after > 0).then_some(mandat_store::DocumentId(*after));
                let docs = app.store.documents(after, *limit, Clearance::ALL).await?;
                let mut out = String::new();
                for d in &docs {
                    let versions = app.store.translations(d.id).await?;
                    if *json {
                        out.push_str(&serde_json::to_string(&serde_json::json!({
                            "id": d.id.0,
                            "source": d.source,
                            "title": d.title,
                            "lang": d.lang,
                            "media_type": d.media_type,
                            "missions": d.missions,
                            "translations": versions.iter().map(|v| v.0).collect::<Vec<_>>(),
                        }))?);
                        out.push('\n');
                    } else {
                        let linked = if versions.is_empty() {
                            String::new()
                        } else {
                            let ids: Vec<String> =
                                versions.iter().map(|v| v.0.to_string()).collect();
                            format!("  (also as {})", ids.join(", "))
                        };
                        out.push_str(&format!(
                            "{:>6}  {:<3} {}{linked}\n",
                            d.id.0,
                            d.lang,
                            d.title.as_deref().unwrap_or(&d.source)
                        ));
                    }
                }
                if docs.is_empty() && !*json {
                    out.push_str("no documents\n");
                }
                crate::emit(&out)?;
            }
            DocumentsCommand::Link { a, b, user } => {
                if a == b {
                    bail!("a document cannot be a language version of itself");
                }
                let actor = match user {
                    Some(u) => user_actor(&app.store, u, Role::Editor).await?,
                    None => Actor::system(),
                };
                app.store
                    .link_translations(
                        mandat_store::DocumentId(*a),
                        mandat_store::DocumentId(*b),
                        &actor,
                    )
                    .await?;
                println!(
                    "documents {a} and {b} linked as language versions (by {})",
                    actor.name
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })?
}

/// `mandat alerts list [--user NAME]`.
pub fn alerts(url: Option<&str>, c: &AlertsCommand) -> Result<ExitCode> {
    block_on(async {
        let app = open(url).await?;
        let AlertsCommand::List { user } = c;
        let users = match user {
            Some(name) => vec![
                app.store
                    .user(name)
                    .await?
                    .ok_or_else(|| anyhow!("no user {name:?}"))?,
            ],
            None => app.store.users().await?,
        };
        for u in users {
            for s in app.store.subscriptions(u.id).await? {
                let outbox = app.store.outbox(s.id).await?;
                let delivered = outbox.iter().filter(|e| e.delivered_at.is_some()).count();
                let dead = outbox.iter().filter(|e| e.dead).count();
                let pending = outbox.len() - delivered - dead;
                let kinds: Vec<&str> = s.kinds.iter().map(|k| k.as_str()).collect();
                crate::emit(&format!(
                    "{:>4} {:<12} {:<7} {} mission={} kinds={} within={}d pending={pending} delivered={delivered} dead={dead}\n",
                    s.id,
                    u.name,
                    s.channel,
                    s.target,
                    s.mission.as_deref().unwrap_or("all"),
                    kinds.join(","),
                    s.within_days,
                ))?;
            }
        }
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}
