//! One module per subcommand, and what they share: the registry and the rule options.

pub mod bundle;
pub mod deadlines;
pub mod extract;
pub mod missions;
pub mod scenario;
pub mod serve;
pub mod status;
pub mod store;

use std::fmt::Write as _;

use anyhow::{Context, Result};
use mandat_core::Registry;
use mandat_rules::Options;

/// Where questions are answered from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The database URL given (flag or environment), if any.
    pub database_url: Option<&'a str>,
    /// Use the bundled dataset alone.
    pub bundled: bool,
}

/// The registry the questions are answered from: what the store holds (the bundled dataset on
/// first use, plus accepted facts), or the bundled dataset alone with `--bundled`.
pub fn registry(src: Source<'_>) -> Result<Registry> {
    if src.bundled {
        return mandat_data::registry().context("the bundled dataset is invalid");
    }
    store::block_on(async {
        let app = store::open(src.database_url).await?;
        Ok(app.registry(mandat_store::Clearance::PUBLIC).await?)
    })?
}

/// Rule options from `NAME=VALUE` pairs, on top of the documented defaults.
pub fn options(pairs: &[String]) -> Result<Options> {
    let mut o = Options::default();
    for p in pairs {
        o.set_pair(p).with_context(|| format!("--option {p}"))?;
    }
    Ok(o)
}

/// A human-readable list of sources, one per line.
pub fn render_sources(sources: &[&mandat_core::Source]) -> String {
    let mut out = String::new();
    if sources.is_empty() {
        return out;
    }
    out.push_str("sources:\n");
    for s in sources {
        let date = match s.date {
            mandat_core::fact::PartialDate::Day(d) => d.to_string(),
            mandat_core::fact::PartialDate::Month { year, month } => {
                format!("{year:04}-{month:02}")
            }
            mandat_core::fact::PartialDate::Year(y) => format!("{y:04}"),
        };
        let _ = write!(out, "  [{}] {}: {} ({date})", s.id, s.publisher, s.title);
        if let Some(pp) = &s.printed_paper {
            let _ = write!(out, ", BT-Drs. {pp}");
        }
        if let Some(u) = &s.url {
            let _ = write!(out, " {u}");
        }
        out.push('\n');
    }
    out
}
