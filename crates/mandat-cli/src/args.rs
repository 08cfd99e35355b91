//! Command-line arguments: parsed by clap into raw structs, then validated once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// mandat: parliamentary mandates of armed-forces deployments, with citations.
#[derive(Debug, Parser)]
#[command(name = "mandat", version, about, long_about = None)]
pub struct Cli {
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
