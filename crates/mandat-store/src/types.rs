//! Values that cross the store's API boundary. Ids are newtypes over the database keys.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Result, StoreError};

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A stored document.
    DocumentId
);
id_type!(
    /// One claim (one version of a fact) in the append-only log.
    ClaimId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// One appended review event.
    EventId
);

/// The stable id of a fact across its corrections (e.g. `m2018`): every claim that corrects another
/// keeps its fact id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FactId(String);

impl FactId {
    /// A fact id; any non-empty string.
    pub fn new(id: impl Into<String>) -> Option<Self> {
        let id = id.into();
        (!id.trim().is_empty()).then_some(Self(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Classification level of a source, and a user's clearance: a user sees evidence whose level is at
/// most their clearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Clearance(u8);

impl Clearance {
    pub const PUBLIC: Self = Self(0);
    pub const RESTRICTED: Self = Self(1);
    pub const CONFIDENTIAL: Self = Self(2);
    pub const SECRET: Self = Self(3);
    /// Sees everything (exports for backup, maintenance).
    pub const ALL: Self = Self(u8::MAX);

    pub const fn new(level: u8) -> Self {
        Self(level)
    }

    pub const fn level(self) -> u8 {
        self.0
    }

    pub(crate) fn from_db(v: i64) -> Result<Self> {
        u8::try_from(v)
            .map(Self)
            .map_err(|_| StoreError::Corrupt(format!("classification {v}")))
    }
}

/// Roles, ordered: each role can do what the lower ones can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Reader,
    Reviewer,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Reviewer => "reviewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "reader" => Some(Role::Reader),
            "reviewer" => Some(Role::Reviewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who performs a write: recorded with every document, claim and review event. The store checks the
/// role; authenticating the actor is the caller's job (see [`crate::Store::authenticate_token`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub role: Role,
}

impl Actor {
    pub fn new(name: impl Into<String>, role: Role) -> Self {
        Self {
            name: name.into(),
            role,
        }
    }

    /// The actor for loading bundled data and maintenance commands run by the operator.
    pub fn system() -> Self {
        Self::new("system", Role::Admin)
    }

    pub(crate) fn require(&self, needed: Role) -> Result<()> {
        if self.role >= needed {
            Ok(())
        } else {
            Err(StoreError::Forbidden {
                actor: self.name.clone(),
                role: self.role,
                needed,
            })
        }
    }
}

/// A claim's review status at some knowledge time. Derived from the last review event at or before
/// that time; never stored in the claim row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    Proposed,
    Accepted,
    Rejected,
    Retracted,
    /// A later claim (a correction) replaced this one.
    Superseded,
}

impl ClaimStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Proposed => "proposed",
            ClaimStatus::Accepted => "accepted",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Retracted => "retracted",
            ClaimStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "proposed" => Some(ClaimStatus::Proposed),
            "accepted" => Some(ClaimStatus::Accepted),
            "rejected" => Some(ClaimStatus::Rejected),
            "retracted" => Some(ClaimStatus::Retracted),
            "superseded" => Some(ClaimStatus::Superseded),
            _ => None,
        }
    }
}

impl fmt::Display for ClaimStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document to store. `text` is the extracted UTF-8 text that claim spans index into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDocument {
    /// Where it came from: a path, URL or id.
    pub source: String,
    /// Hex SHA-256 of the original bytes (`mandat_load::content_hash`): the dedupe key.
    pub content_hash: String,
    pub media_type: String,
    /// `de`, `en`, or another code (then search does not stem).
    pub lang: String,
    pub title: Option<String>,
    /// The document's own date (publication, distribution), for search filters and ordering.
    pub published: Option<jiff::civil::Date>,
    pub text: String,
    /// Size of the original bytes.
    pub bytes_len: u64,
    pub classification: Clearance,
    /// Canonical mission ids the document is about.
    pub missions: Vec<String>,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocumentId,
    pub source: String,
    pub content_hash: String,
    pub media_type: String,
    pub lang: String,
    pub title: Option<String>,
    pub published: Option<jiff::civil::Date>,
    pub text: String,
    pub bytes_len: u64,
    pub classification: Clearance,
    pub missions: Vec<String>,
    pub actor: String,
    pub ingested_at: Timestamp,
}

/// What supports a new claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum NewEvidence {
    /// A byte span `[start, end)` of the document being ingested (only in `ingest_document`).
    InDocument { start: u64, end: u64 },
    /// A byte span of a stored document.
    Span {
        document: DocumentId,
        start: u64,
        end: u64,
    },
    /// A free citation (bundled data: "bundestag.de, Textarchiv 2018").
    Citation { text: String },
    /// No source yet.
    Unsourced,
}

/// What supports a stored claim. Spans carry the quoted text, checked against the document at insert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Evidence {
    Span {
        document: DocumentId,
        start: u64,
        end: u64,
        quote: String,
    },
    Citation {
        text: String,
    },
    Unsourced,
}

/// A fact to record as a claim. `payload` is the fact itself (the domain crate's serde form), opaque
/// to the store apart from the indexed columns given alongside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewClaim {
    pub fact_id: FactId,
    pub kind: String,
    pub missions: Vec<String>,
    /// Valid time as given (`2019-06-28` or an instant); kept as text, interpreted by the rules.
    pub valid_from: Option<String>,
    /// Knowledge time; `None` means now. Bundled historical facts give their own.
    pub recorded_at: Option<Timestamp>,
    pub payload: Value,
    pub evidence: NewEvidence,
    /// At least the evidence document's classification is applied in any case.
    pub classification: Clearance,
}

/// A claim with its status at the asked knowledge time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub id: ClaimId,
    pub fact_id: FactId,
    pub kind: String,
    pub missions: Vec<String>,
    pub valid_from: Option<String>,
    pub recorded_at: Timestamp,
    pub payload: Value,
    pub evidence: Evidence,
    pub supersedes: Option<ClaimId>,
    pub classification: Clearance,
    pub actor: String,
    pub status: ClaimStatus,
}

/// An appended review event: a claim's status changed at `at`, by `actor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewEvent {
    pub id: EventId,
    pub claim_id: ClaimId,
    pub status: ClaimStatus,
    pub actor: String,
    pub at: Timestamp,
    pub note: Option<String>,
}

/// Result of ingesting one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Stored now, with the ids of its proposed claims.
    Stored {
        document: DocumentId,
        claims: Vec<ClaimId>,
    },
    /// The same bytes (content hash) were stored before; nothing was written.
    AlreadyPresent(DocumentId),
}

/// A review decision on one claim.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewDecision {
    /// A proposed claim becomes accepted.
    Accept,
    /// A proposed or accepted claim is replaced by a corrected claim (same fact id and evidence),
    /// which is accepted; the old one becomes superseded.
    Correct {
        payload: Value,
        valid_from: Option<String>,
    },
    /// A proposed claim is rejected.
    Reject,
    /// An accepted claim is withdrawn.
    Retract,
}

/// What a review did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewOutcome {
    StatusChanged { claim: ClaimId, status: ClaimStatus },
    Corrected { old: ClaimId, new: ClaimId },
}

/// Which claims to read. Defaults: every claim the public may see.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClaimFilter {
    pub mission: Option<String>,
    pub kind: Option<String>,
    pub fact_id: Option<FactId>,
    pub document: Option<DocumentId>,
    /// `None`: only effective claims (accepted, not superseded or retracted at the knowledge time).
    pub status: Option<ClaimStatus>,
    /// The reader's clearance; claims above it are invisible.
    pub clearance: Clearance,
}

impl Default for Clearance {
    fn default() -> Self {
        Clearance::PUBLIC
    }
}

/// A user account (never carries secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub clearance: Clearance,
    pub created_at: Timestamp,
}

impl User {
    /// The actor for writes done by this user.
    pub fn actor(&self) -> Actor {
        Actor::new(self.name.clone(), self.role)
    }
}

/// A freshly created API token: `secret` is shown once and never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// Public id (the token's prefix), used to list and revoke.
    pub id: String,
    /// The whole token to hand to the user: `mdt_<id>_<secret>`.
    pub secret: String,
}

/// Which backend a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

/// One migration, applied or pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationInfo {
    pub version: i64,
    pub description: String,
}

/// What `mandat db status` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStatus {
    pub backend: BackendKind,
    pub applied: Vec<MigrationInfo>,
    pub pending: Vec<MigrationInfo>,
    /// Counts, when the schema exists.
    pub documents: Option<i64>,
    pub claims: Option<i64>,
    pub users: Option<i64>,
}

pub(crate) fn ts_from_db(us: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(us).map_err(|e| StoreError::Corrupt(format!("timestamp {us}: {e}")))
}

pub(crate) fn ts_to_db(ts: Timestamp) -> i64 {
    ts.as_microsecond()
}
