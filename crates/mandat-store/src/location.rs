//! Where the database lives: a pure function of the environment, so the CLI and tests agree.

use std::path::{Path, PathBuf};

use crate::error::{Result, StoreError};

/// Name of the environment variable that overrides the database location.
pub const DATABASE_URL_ENV: &str = "MANDAT_DATABASE_URL";

/// The default SQLite file: `$XDG_DATA_HOME/mandat/mandat.sqlite`, else
/// `$HOME/.local/share/mandat/mandat.sqlite`. Empty variables count as unset (XDG base-directory spec).
pub fn default_sqlite_path(xdg_data_home: Option<&str>, home: Option<&str>) -> Option<PathBuf> {
    let non_empty = |v: Option<&str>| v.filter(|s| !s.is_empty()).map(PathBuf::from);
    let base =
        non_empty(xdg_data_home).or_else(|| non_empty(home).map(|h| h.join(".local/share")))?;
    Some(base.join("mandat").join("mandat.sqlite"))
}

/// The `sqlite:` URL for a file path (created on first open).
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Picks the database URL: an explicit `--database-url` wins, then `MANDAT_DATABASE_URL`, then the
/// default SQLite file. Pass the environment values in; this function reads nothing itself.
pub fn resolve_database_url(
    explicit: Option<&str>,
    env_url: Option<&str>,
    xdg_data_home: Option<&str>,
    home: Option<&str>,
) -> Result<String> {
    if let Some(url) = explicit.or(env_url).filter(|s| !s.is_empty()) {
        return Ok(url.to_owned());
    }
    default_sqlite_path(xdg_data_home, home)
        .map(|p| sqlite_url(&p))
        .ok_or(StoreError::NoDataDir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdg_wins_over_home() {
        assert_eq!(
            default_sqlite_path(Some("/x"), Some("/h")),
            Some(PathBuf::from("/x/mandat/mandat.sqlite"))
        );
    }

    #[test]
    fn home_fallback_and_empty_xdg() {
        assert_eq!(
            default_sqlite_path(Some(""), Some("/h")),
            Some(PathBuf::from("/h/.local/share/mandat/mandat.sqlite"))
        );
        assert_eq!(default_sqlite_path(None, None), None);
    }

    #[test]
    fn explicit_then_env_then_default() {
        assert_eq!(
            resolve_database_url(Some("postgres://a"), Some("sqlite://b"), None, Some("/h"))
                .unwrap(),
            "postgres://a"
        );
        assert_eq!(
            resolve_database_url(None, Some("sqlite://b"), None, Some("/h")).unwrap(),
            "sqlite://b"
        );
        assert_eq!(
            resolve_database_url(None, None, None, Some("/h")).unwrap(),
            "sqlite:///h/.local/share/mandat/mandat.sqlite"
        );
        assert!(matches!(
            resolve_database_url(None, None, None, None),
            Err(StoreError::NoDataDir)
        ));
    }
}
