//! `mandat`: the command-line interface. Arguments are parsed by clap, validated once, and
//! handed to the library crates; this binary is the only place that reads files, prints, and
//! uses `anyhow`.

mod args;
mod cmd;
mod missions;
mod timearg;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::args::{Cli, Command, ScenarioCommand};

/// Exit status of a run that worked but found something the user asked to be told about (an
/// unmet scenario expectation, a document that failed to load).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status of a run that could not do its job (bad arguments, unknown mission, bad file).
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let url = cli.database_url.as_deref();
    let src = cmd::Source {
        database_url: url,
        bundled: cli.bundled,
    };
    let result = match &cli.command {
        Command::Status(a) => cmd::status::run(src, a),
        Command::Missions(a) => cmd::missions::run(src, a),
        Command::Deadlines(a) => cmd::deadlines::run(src, a),
        Command::Scenario(ScenarioCommand::Check { files }) => cmd::scenario::check(files),
        Command::Scenario(ScenarioCommand::Explain { file }) => cmd::scenario::explain(file),
        Command::Extract(a) => cmd::extract::run(a),
        Command::Db(c) => cmd::store::db(url, c),
        Command::Ingest(a) => cmd::store::ingest(url, a),
        Command::Review(c) => cmd::store::review(url, c),
        Command::User(c) => cmd::store::user(url, c),
        Command::Search(a) => cmd::store::search(url, a),
        Command::Export(a) => cmd::store::export(url, a),
        Command::Import(a) => cmd::store::import(url, a),
        Command::Serve(a) => cmd::serve::run(url, a),
        Command::Documents(c) => cmd::store::documents(url, c),
        Command::Alerts(c) => cmd::store::alerts(url, c),
        Command::Source(c) => cmd::bundle::source(url, c),
        Command::Bundle(c) => cmd::bundle::bundle(url, c),
        Command::Fact(c) => cmd::bundle::fact(url, c),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Writes to standard output, returning an error (rather than panicking like `print!`) when the
/// reader has gone away.
pub fn emit(s: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// A reader that stopped reading (`mandat extract ... | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
