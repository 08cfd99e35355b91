//! The one error type of the store.

use crate::alerts::OutboxId;
use crate::types::{ClaimId, ClaimStatus, DocumentId, Role};

/// Everything that can go wrong in the store. Bad input keeps the offending value.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is neither `sqlite:` nor `postgres:`/`postgresql:`, or does not parse.
    #[error("invalid database url {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// Neither `XDG_DATA_HOME` nor `HOME` is set, and no URL was given.
    #[error("no data directory: set XDG_DATA_HOME or HOME, or give a database url")]
    NoDataDir,
    /// The directory for the SQLite file could not be created.
    #[error("could not create directory {path}: {source}")]
    CreateDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// A query or connection failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("claim {0} not found")]
    ClaimNotFound(ClaimId),
    #[error("document {0} not found")]
    DocumentNotFound(DocumentId),
    /// A delivery outcome for an alert that is delivered already or does not exist.
    #[error("alert {0} is delivered or does not exist")]
    AlertNotPending(OutboxId),
    /// A source with this id is recorded already; sources are never changed.
    #[error(
        "source `{0}` exists already (a source is never changed: record the corrected one under a new id)"
    )]
    SourceExists(String),
    /// A source that cannot be recorded.
    #[error("source `{id}`: {reason}")]
    InvalidSource { id: String, reason: String },
    #[error("user {0:?} not found")]
    UserNotFound(String),
    #[error("user {0:?} already exists")]
    UserExists(String),
    /// A claim's span is not a slice of its document's text.
    #[error(
        "span {start}..{end} is not a slice of the document text ({len} bytes) on character boundaries"
    )]
    InvalidSpan { start: u64, end: u64, len: u64 },
    /// A span refers to "the document being ingested" outside of ingestion.
    #[error("a claim outside ingestion cannot refer to the ingested document")]
    NoIngestedDocument,
    /// A review decision that does not apply to the claim's current status.
    #[error("cannot {action} a claim whose status is {status}")]
    InvalidTransition {
        action: &'static str,
        status: ClaimStatus,
    },
    /// The acting user's role is too low for the operation.
    #[error("{actor:?} has role {role}, needs {needed}")]
    Forbidden {
        actor: String,
        role: Role,
        needed: Role,
    },
    #[error("search query is empty")]
    EmptyQuery,
    #[error("import needs an empty store, this one holds {0} documents or claims")]
    ImportIntoNonEmpty(i64),
    #[error("import line {line}: {reason}")]
    Import { line: usize, reason: String },
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("csv write failed: {0}")]
    Csv(#[from] csv::Error),
    #[error("password hashing failed: {0}")]
    Password(String),
    #[error("no randomness available: {0}")]
    Random(String),
    /// A stored value does not decode (a row written by something other than this crate).
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
}

/// Result alias of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
