//! The persistent registry of mandat: the only crate that knows SQL.
//!
//! One [`Store`] runs on an embedded SQLite file (the default, see [`default_sqlite_path`]) or on
//! PostgreSQL, with the same behaviour, proven by one conformance suite run against both.
//!
//! - **Documents** are stored once per content hash, with their extracted text, and cut into
//!   passages for search (German and English stemming done in Rust, so both backends index the same
//!   terms).
//! - **Claims** form a bitemporal, append-only log: each claim is one version of a fact (its JSON
//!   payload is opaque here) with a source span, valid time and recorded time. Review decisions are
//!   appended events; a correction is a new claim that supersedes the old one. Every read takes a
//!   knowledge time (`as_of`) and sees exactly what was accepted, and not yet superseded or
//!   retracted, at that time.
//! - **Users** with roles and clearances; passwords hashed with Argon2, API tokens hashed with
//!   SHA-256 (they are random 256-bit secrets, so a slow hash adds nothing).
//! - **Alerts**: subscriptions (a mission or all, the kinds of alert, webhook or e-mail) and an
//!   outbox of queued alerts with their delivery attempts, so nothing queued is lost on restart.
//! - **Sources** (publisher, title, date, address), each optionally linked to the stored document it
//!   is; recorded once, never changed.
//! - **Export/import** as JSON Lines (lossless), CSV exports of missions, mandates and strength.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mandat_store::StoreError> {
//! use mandat_store::{Actor, ClaimFilter, Store};
//! let store = Store::open("sqlite::memory:").await?;
//! let accepted = store.claims(&ClaimFilter::default(), None).await?;
//! assert!(accepted.is_empty());
//! # let _ = Actor::system();
//! # Ok(()) }
//! ```

mod alerts;
mod changes;
mod error;
mod export;
mod location;
pub mod scratch;
mod search;
mod sources;
mod store;
mod text;
mod types;
mod users;

pub use alerts::{
    AlertKind, Channel, FailureOutcome, NewAlert, NewSubscription, OutboxEntry, OutboxId,
    Subscriber, Subscription, SubscriptionId,
};
pub use changes::Change;
pub use error::{Result, StoreError};
pub use export::{ClaimRecord, CsvTable, DocumentLink, ExportRecord, ImportSummary};
pub use location::{DATABASE_URL_ENV, default_sqlite_path, resolve_database_url, sqlite_url};
pub use search::{SearchHit, SearchQuery};
pub use sources::{NewSource, SourceRecord};
pub use store::{PreparedIngest, Store};
pub use types::*;
