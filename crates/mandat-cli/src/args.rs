//! Command-line arguments: parsed by clap into raw structs, then validated once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// mandat: parliamentary mandates of armed-forces deployments, with citations.
#[derive(Debug, Parser)]
#[command(name = "mandat", version, about, long_about = None)]
pub struct Cli {
    /// Database: `sqlite://PATH` or `postgres://...`; default: an SQLite file in the user's data
    /// directory (`$XDG_DATA_HOME/mandat/mandat.sqlite`), created and filled with the bundled
    /// dataset on first use.
    #[arg(long, global = true, env = "MANDAT_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Answer from the bundled dataset alone, without opening a database.
    #[arg(long, global = true)]
    pub bundled: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The verdict for a mission on a date: status, ceiling, covering mandate, explanation.
    Status(StatusArgs),
    /// The missions in the registry.
    Missions(MissionsArgs),
    /// Upcoming procedural deadlines, mandate lapses and legal-basis ends.
    Deadlines(DeadlinesArgs),
    /// Run or explain scenario files.
    #[command(subcommand)]
    Scenario(ScenarioCommand),
    /// Extract mandate facts with exact spans from documents.
    Extract(ExtractArgs),
    /// Database maintenance.
    #[command(subcommand)]
    Db(DbCommand),
    /// Store documents once each and their extracted facts as proposals for review.
    Ingest(IngestArgs),
    /// Review proposed facts: list, accept, correct, reject.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Users, roles and API tokens.
    #[command(subcommand)]
    User(UserCommand),
    /// Full-text search over all documents (German and English stemming, "phrases").
    Search(SearchArgs),
    /// Export every document and fact as JSON Lines (lossless), or a table as CSV.
    Export(ExportArgs),
    /// Import a JSON Lines export.
    Import(ImportArgs),
    /// Serve the JSON API, its OpenAPI document, the web UI and the feeds over HTTP.
    Serve(ServeArgs),
    /// Stored documents: list them, link language versions of one release.
    #[command(subcommand)]
    Documents(DocumentsCommand),
    /// Alert subscriptions and the state of their queued alerts.
    #[command(subcommand)]
    Alerts(AlertsCommand),
    /// Sources facts are cited from: record one (optionally linked to a stored document), list them.
    #[command(subcommand)]
    Source(SourceCommand),
    /// The bundled dataset, generated from the store.
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Facts recorded by hand, with quotes checked against the stored documents.
    #[command(subcommand)]
    Fact(FactCommand),
}

#[derive(Debug, Subcommand)]
pub enum FactCommand {
    /// Record the facts of a fact file (the format of `data/facts/*.yaml`) as accepted: all or
    /// none. A fact citing a source linked to a stored document (`source add --document`) must
    /// quote that document verbatim (whitespace may differ) and is recorded with the quote's span;
    /// facts may cite the store's sources and refer to its facts.
    Add {
        /// The fact file.
        file: PathBuf,
        /// The user doing it (an editor or admin); default: the operator.
        #[arg(long)]
        user: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Every subscription (or one user's) with its alerts pending, delivered and given up.
    List {
        /// Only this user's subscriptions.
        #[arg(long)]
        user: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Record a source. A source is never changed: an id that exists is refused.
    Add(Box<SourceAddArgs>),
    /// Link a source recorded without its text to the stored document that is its text: every
    /// quote of a fact citing the source must be in the document (whitespace may differ), and
    /// those facts then cite the document's spans. Refused, naming each fact, if a quote is not
    /// there.
    Link {
        /// The source id.
        id: String,
        /// The stored document (id from `mandat documents list`).
        #[arg(long)]
        document: i64,
        /// The user doing it (an editor or admin); default: the operator.
        #[arg(long)]
        user: Option<String>,
    },
    /// List the sources in the order recorded.
    List {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct SourceAddArgs {
    /// Unique id, e.g. `bpa-2025-05-21-kfor-de`.
    #[arg(long)]
    pub id: String,
    /// Who published it.
    #[arg(long)]
    pub publisher: String,
    /// Its title.
    #[arg(long)]
    pub title: String,
    /// Publication date: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known.
    #[arg(long)]
    pub date: String,
    /// Where it is published online.
    #[arg(long)]
    pub url: Option<String>,
    /// Its language: de or en.
    #[arg(long)]
    pub lang: String,
    /// The Bundestag printed paper it is (e.g. 21/3206).
    #[arg(long)]
    pub printed_paper: Option<String>,
    /// The stored document (id from `mandat documents list`) that is this source's text; facts
    /// quoting that document cite this source in the bundle.
    #[arg(long)]
    pub document: Option<i64>,
    /// Mission the source is about (repeatable): places a source that no fact cites yet.
    #[arg(long)]
    pub mission: Vec<String>,
    /// The user doing it (an editor or admin); default: the operator.
    #[arg(long)]
    pub user: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write DIR/facts/*.yaml from the accepted, effective, public facts and the sources of the
    /// store, and DIR/documents/ from the documents that came from the bundle
    /// (`mandat bundle write data` regenerates the repository's dataset).
    Write {
        /// The bundle directory (`data` in the repository).
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum DocumentsCommand {
    /// List stored documents with their language versions.
    List {
        /// Only documents with an id above this.
        #[arg(long, default_value_t = 0)]
        after: i64,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Link two stored documents as language versions of the same release (e.g. the German and the
    /// English press release).
    Link {
        /// One document id.
        a: i64,
        /// The other document id.
        b: i64,
        /// The user doing it (an editor or admin); default: the operator.
        #[arg(long)]
        user: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "MANDAT_BIND")]
    pub bind: std::net::SocketAddr,
    /// Mark session cookies `Secure` (when served behind HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Longest time a request may take, in seconds.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout: u64,
    /// Largest accepted request body (document uploads) in MiB.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub body_limit_mib: u64,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// SMTP relay for e-mail alerts: `smtp://host:port`, `smtp://host:port?tls=required`
    /// (STARTTLS) or `smtps://host:port`, with optional `user:password@`. Without it, e-mail
    /// subscriptions are refused.
    #[arg(long, env = "MANDAT_SMTP_URL", requires = "mail_from")]
    pub smtp_url: Option<String>,
    /// Sender address of e-mail alerts.
    #[arg(long, env = "MANDAT_MAIL_FROM", requires = "smtp_url")]
    pub mail_from: Option<String>,
    /// Seconds between two rounds of alert evaluation and delivery.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub alert_tick: u64,
    /// Let webhooks reach loopback, private and link-local addresses (receivers on this host or
    /// its own network). Without it, webhooks go to public addresses only.
    #[arg(long, env = "MANDAT_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Apply pending migrations (idempotent).
    Migrate,
    /// Show the backend, applied and pending migrations, and counts.
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories (walked recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The user the documents are ingested as (an editor or admin); default: the operator.
    #[arg(long)]
    pub user: Option<String>,
    /// Largest file accepted, in bytes.
    #[arg(long, default_value_t = 50 * 1024 * 1024)]
    pub max_bytes: u64,
    /// Documents loaded and extracted at once; default: the number of processors. Storage uses
    /// one writer on SQLite and four on PostgreSQL.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// List proposed facts.
    List {
        #[arg(long)]
        mission: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Accept a proposal.
    Accept {
        claim: i64,
        /// The reviewer (a user with role reviewer or above).
        #[arg(long)]
        user: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Reject a proposal.
    Reject {
        claim: i64,
        #[arg(long)]
        user: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Accept a corrected version of a proposal: the fact as JSON (as `review list --json` shows it).
    Correct {
        claim: i64,
        /// The corrected fact as JSON.
        #[arg(long)]
        fact: String,
        #[arg(long)]
        user: String,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user with a role (reader, reviewer, editor, admin); the password is read from
    /// standard input when --password-stdin is given.
    Add {
        name: String,
        #[arg(long, default_value = "reader")]
        role: String,
        /// Clearance level for classified sources (0 public .. 3 secret).
        #[arg(long, default_value_t = 0)]
        clearance: u8,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Create an API token for a user; it is shown once and stored hashed.
    Token {
        name: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, or "a phrase" in quotes.
    pub query: String,
    #[arg(long)]
    pub mission: Option<String>,
    /// `de` or `en`.
    #[arg(long)]
    pub lang: Option<String>,
    /// Documents published on or after this date.
    #[arg(long)]
    pub from: Option<String>,
    /// Documents published on or before this date.
    #[arg(long)]
    pub until: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Export one table as CSV instead: missions, mandates or strength.
    #[arg(long)]
    pub csv: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A JSON Lines file written by `mandat export`.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Mission id or name (e.g. KFOR, "Sea Guardian").
    pub mission: String,
    /// The date or instant the question is about (valid time); `today` by default.
    #[arg(long, default_value = "today")]
    pub on: String,
    /// Use only what was recorded on or before this date or instant (knowledge time).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Print the verdict as JSON.
    #[arg(long)]
    pub json: bool,
    /// Set an interpretation option of the rule pack (see DESIGN.md), e.g.
    /// `--option bridge-revives-expired=true`; may be repeated.
    #[arg(long = "option", value_name = "NAME=VALUE")]
    pub options: Vec<String>,
}

#[derive(Debug, Args)]
pub struct MissionsArgs {
    /// The date the listed status refers to; `today` by default.
    #[arg(long, default_value = "today")]
    pub on: String,
    /// List the coverage gaps instead: the days between two approved mandates of a mission that
    /// no approved mandate covers (a pause of the mission or a renewal missing from the data).
    #[arg(long, conflicts_with = "on")]
    pub gaps: bool,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DeadlinesArgs {
    /// How far ahead to look, in days (`90d`, `90`) or weeks (`12w`).
    #[arg(long, default_value = "90d")]
    pub within: String,
    /// Start of the window; `today` by default.
    #[arg(long, default_value = "today")]
    pub from: String,
    /// Use only what was recorded on or before this date or instant.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Check every query of each file against its expectations; exits non-zero on any miss.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the explanation tree of every query in a file.
    Explain { file: PathBuf },
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files or directories (walked recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// One JSON object per document and line, as in the extraction contract.
    #[arg(long, conflicts_with = "text")]
    pub json: bool,
    /// Print the extracted text that spans refer to, instead of facts.
    #[arg(long)]
    pub text: bool,
    /// Largest file accepted, in bytes.
    #[arg(long, default_value_t = 50 * 1024 * 1024)]
    pub max_bytes: u64,
}
