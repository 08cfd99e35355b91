//! The `Store`: connection, migrations, documents and the claim log.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, SqlSafeStr};

use crate::error::{Result, StoreError};
use crate::types::*;

/// How long a SQLite writer waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Knowledge time meaning "everything recorded so far".
pub(crate) const NOW_AND_EVER: i64 = i64::MAX;

const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite/0001_init.sql"),
    ),
    (
        3,
        "alerts",
        include_str!("../migrations/sqlite/0003_alerts.sql"),
    ),
    (
        4,
        "sources",
        include_str!("../migrations/sqlite/0004_sources.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "search gin direct",
        include_str!("../migrations/postgres/0002_search_gin_direct.sql"),
    ),
    (
        3,
        "alerts",
        include_str!("../migrations/postgres/0003_alerts.sql"),
    ),
    (
        4,
        "sources",
        include_str!("../migrations/postgres/0004_sources.sql"),
    ),
];

#[derive(Debug, Clone)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The registry: one type over SQLite and PostgreSQL. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    /// PostgreSQL search: passages walked before reading the GIN index instead.
    pub(crate) pg_walk_window: i64,
}

/// Runs `$body` with `$pool` bound to the backend's pool and `$pg` telling whether it is PostgreSQL.
/// The body is compiled once per backend, so the same query code serves both.
macro_rules! with_pool {
    ($store:expr, |$pool:ident, $pg:ident| $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite($pool) => {
                #[allow(unused_variables)]
                let $pg = false;
                $body
            }
            $crate::store::Backend::Postgres($pool) => {
                #[allow(unused_variables)]
                let $pg = true;
                $body
            }
        }
    };
}
pub(crate) use with_pool;

/// Runs `$body` in a write transaction and commits it; an early return (`?`) drops the transaction,
/// which rolls it back. SQLite write transactions start with `BEGIN IMMEDIATE`: a deferred one that
/// later upgrades its read lock fails at once with "database is locked" instead of waiting.
macro_rules! write_tx {
    ($store:expr, |$tx:ident, $pg:ident| $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                #[allow(unused_variables)]
                let $pg = false;
                let value = $body;
                $tx.commit().await?;
                value
            }
            $crate::store::Backend::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                #[allow(unused_variables)]
                let $pg = true;
                let value = $body;
                $tx.commit().await?;
                value
            }
        }
    };
}
pub(crate) use write_tx;

/// Fetches `(text, classification)` of a document inside a transaction.
macro_rules! doc_text_class {
    ($tx:expr, $id:expr) => {{
        let id: i64 = $id;
        let row = sqlx::query("SELECT text, classification FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or($crate::error::StoreError::DocumentNotFound(
                $crate::types::DocumentId(id),
            ))?;
        let text: String = row.try_get(0)?;
        let class: i64 = row.try_get(1)?;
        (text, class)
    }};
}

/// A claim ready for insertion: evidence resolved and checked.
#[derive(Debug, Clone)]
pub(crate) struct PreparedClaim {
    pub fact_id: String,
    pub kind: String,
    pub missions: Vec<String>,
    pub valid_from: Option<String>,
    pub recorded_at: i64,
    pub payload: Value,
    pub document: Option<i64>,
    pub span: Option<(i64, i64, String)>,
    pub citation: Option<String>,
    pub supersedes: Option<i64>,
    pub classification: i64,
}

/// Inserts a claim, its mission index rows and its first review event; evaluates to the claim id.
macro_rules! insert_claim {
    ($tx:expr, $c:expr, $id:expr, $status:expr, $actor:expr, $at:expr) => {{
        let c: &$crate::store::PreparedClaim = $c;
        let id: Option<i64> = $id;
        let (s, e, q) = match &c.span {
            Some((s, e, q)) => (Some(*s), Some(*e), Some(q.clone())),
            None => (None, None, None),
        };
        let missions = serde_json::to_string(&c.missions).expect("strings serialise");
        // An explicit id only on import, which then resets PostgreSQL's identity sequence.
        let sql: &'static str = if id.is_some() {
            "INSERT INTO claims (id, fact_id, kind, missions, valid_from, recorded_at, payload, document_id, \
             span_start, span_end, quote, citation, supersedes, classification, actor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"
        } else {
            "INSERT INTO claims (fact_id, kind, missions, valid_from, recorded_at, payload, document_id, \
             span_start, span_end, quote, citation, supersedes, classification, actor) \
             VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"
        };
        let claim_id: i64 = sqlx::query(sql)
        .bind(id)
        .bind(&c.fact_id)
        .bind(&c.kind)
        .bind(missions)
        .bind(&c.valid_from)
        .bind(c.recorded_at)
        .bind(sqlx::types::Json(&c.payload))
        .bind(c.document)
        .bind(s)
        .bind(e)
        .bind(q)
        .bind(&c.citation)
        .bind(c.supersedes)
        .bind(c.classification)
        .bind($actor)
        .fetch_one(&mut *$tx)
        .await?
        .try_get(0)?;
        let mut seen = std::collections::BTreeSet::new();
        for m in &c.missions {
            if seen.insert(m) {
                sqlx::query("INSERT INTO claim_missions (claim_id, mission) VALUES ($1, $2)")
                    .bind(claim_id)
                    .bind(m)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        if let Some(status) = $status {
            let status: $crate::types::ClaimStatus = status;
            sqlx::query("INSERT INTO review_events (claim_id, status, actor, at, note) VALUES ($1, $2, $3, $4, NULL)")
                .bind(claim_id)
                .bind(status.as_str())
                .bind($actor)
                .bind($at)
                .execute(&mut *$tx)
                .await?;
        }
        claim_id
    }};
}
pub(crate) use insert_claim;

/// Inserts a document's search passages (derived data, rebuilt on import; cut and stemmed by
/// [`crate::text::passages`] before the transaction) in one statement per table, whatever the
/// number of passages: per-row statements made ingest cost a round trip per
/// passage, which dominated ingest on PostgreSQL.
///
/// SQLite: passage ids are allocated here as `MAX(id) + 1 ...` (writers are serialised by `BEGIN
/// IMMEDIATE`), so the FTS rows get the same rowids and rowid order stays document order, which
/// search relies on. On both backends the rows travel as one JSON array (a type both drivers bind),
/// so the SQL is static.
macro_rules! insert_passages {
    ($tx:expr, $pg:expr, $doc_id:expr, $passages:expr, $lang:expr) => {{
        let lang: $crate::text::StemLang = $lang;
        let passages: &[$crate::text::Passage] = $passages;
        if !passages.is_empty() {
            let bounds: Vec<(i64, i64)> = passages
                .iter()
                .map(|p| {
                    Ok((
                        $crate::store::to_i64(p.start as u64)?,
                        $crate::store::to_i64(p.end as u64)?,
                    ))
                })
                .collect::<$crate::error::Result<_>>()?;
            if $pg {
                let rows: Vec<(i64, i64, String)> = bounds
                    .iter()
                    .zip(passages)
                    .map(|(&(s, e), p)| (s, e, p.tsvector_literal(lang.code())))
                    .collect();
                sqlx::query(
                    "INSERT INTO passages (document_id, stem_lang, start_byte, end_byte, tsv) \
                     SELECT $1, $2, CAST(r.v ->> 0 AS BIGINT), CAST(r.v ->> 1 AS BIGINT), CAST(r.v ->> 2 AS TSVECTOR) \
                     FROM json_array_elements(CAST($3 AS JSON)) WITH ORDINALITY AS r (v, n) ORDER BY r.n",
                )
                .bind($doc_id)
                .bind(lang.code())
                .bind(serde_json::to_string(&rows).expect("passages serialise"))
                .execute(&mut *$tx)
                .await?;
            } else {
                let first: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM passages")
                    .fetch_one(&mut *$tx)
                    .await?
                    .try_get(0)?;
                let rows = serde_json::to_string(&bounds).expect("integers serialise");
                sqlx::query(
                    "INSERT INTO passages (id, document_id, stem_lang, start_byte, end_byte) \
                     SELECT $1 + j.key, $2, $3, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]') \
                     FROM json_each($4) AS j ORDER BY j.key",
                )
                .bind(first)
                .bind($doc_id)
                .bind(lang.code())
                .bind(rows)
                .execute(&mut *$tx)
                .await?;
                let stems: Vec<String> = passages.iter().map(|p| p.fts_text()).collect();
                let stems = serde_json::to_string(&stems).expect("strings serialise");
                let sql: &'static str = match lang {
                    $crate::text::StemLang::German => {
                        "INSERT INTO passages_fts (rowid, de) SELECT $1 + key, value FROM json_each($2) ORDER BY key"
                    }
                    $crate::text::StemLang::English => {
                        "INSERT INTO passages_fts (rowid, en) SELECT $1 + key, value FROM json_each($2) ORDER BY key"
                    }
                    $crate::text::StemLang::Plain => {
                        "INSERT INTO passages_fts (rowid, plain) SELECT $1 + key, value FROM json_each($2) ORDER BY key"
                    }
                };
                sqlx::query(sql)
                    .bind(first)
                    .bind(stems)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    }};
}
pub(crate) use insert_passages;

/// A checked span in a document: start and end byte, and the quote they slice.
type Span = (i64, i64, String);

/// A document with its proposals, checked (every span slices the text) and cut into stemmed search
/// passages: the CPU work of an ingest, done before and outside the write transaction, on any
/// thread, so that writers hold their transaction only for the writes.
#[derive(Debug, Clone)]
pub struct PreparedIngest {
    doc: NewDocument,
    /// Each proposal with its span `(start, end, quote)` when it lies in this document.
    proposals: Vec<(NewClaim, Option<Span>)>,
    lang: crate::text::StemLang,
    passages: Vec<crate::text::Passage>,
}

impl PreparedIngest {
    /// Checks the proposals' spans against the text and cuts the text into passages. Fails, before
    /// any write, on a span that does not slice the text on character boundaries.
    pub fn new(doc: NewDocument, proposals: Vec<NewClaim>) -> Result<Self> {
        let mut checked = Vec::with_capacity(proposals.len());
        for c in proposals {
            let span = match &c.evidence {
                NewEvidence::InDocument { start, end } => Some((
                    to_i64(*start)?,
                    to_i64(*end)?,
                    slice(&doc.text, *start, *end)?,
                )),
                NewEvidence::Span { .. }
                | NewEvidence::Citation { .. }
                | NewEvidence::Unsourced => None,
            };
            checked.push((c, span));
        }
        let lang = crate::text::StemLang::for_lang(&doc.lang);
        let passages = crate::text::passages(&doc.text, lang);
        Ok(Self {
            doc,
            proposals: checked,
            lang,
            passages,
        })
    }

    /// The dedupe key: the hex SHA-256 of the original bytes.
    pub fn content_hash(&self) -> &str {
        &self.doc.content_hash
    }
}

/// A claim row in primitive types, decoded the same way on both backends.
#[derive(Debug, Clone)]
pub(crate) struct RawClaim {
    pub id: i64,
    pub fact_id: String,
    pub kind: String,
    pub missions: String,
    pub valid_from: Option<String>,
    pub recorded_at: i64,
    pub payload: Value,
    pub document_id: Option<i64>,
    pub span_start: Option<i64>,
    pub span_end: Option<i64>,
    pub quote: Option<String>,
    pub citation: Option<String>,
    pub supersedes: Option<i64>,
    pub classification: i64,
    pub actor: String,
    pub status: Option<String>,
}

macro_rules! raw_claim {
    ($row:expr) => {{
        let row = $row;
        $crate::store::RawClaim {
            id: row.try_get("id")?,
            fact_id: row.try_get("fact_id")?,
            kind: row.try_get("kind")?,
            missions: row.try_get("missions")?,
            valid_from: row.try_get("valid_from")?,
            recorded_at: row.try_get("recorded_at")?,
            payload: row
                .try_get::<sqlx::types::Json<serde_json::Value>, _>("payload")?
                .0,
            document_id: row.try_get("document_id")?,
            span_start: row.try_get("span_start")?,
            span_end: row.try_get("span_end")?,
            quote: row.try_get("quote")?,
            citation: row.try_get("citation")?,
            supersedes: row.try_get("supersedes")?,
            classification: row.try_get("classification")?,
            actor: row.try_get("actor")?,
            status: row.try_get("status")?,
        }
    }};
}
pub(crate) use raw_claim;

/// The claim `claim` as it stands now, with its current status, read inside a write
/// transaction; on PostgreSQL the row is locked first, which serialises concurrent decisions on
/// one claim (SQLite's IMMEDIATE transaction already serialises all writers).
macro_rules! current_claim {
    ($tx:expr, $pg:expr, $claim:expr) => {{
        let claim: ClaimId = $claim;
        if $pg {
            sqlx::query("SELECT id FROM claims WHERE id = $1 FOR UPDATE")
                .bind(claim.0)
                .execute(&mut *$tx)
                .await?;
        }
        let row = sqlx::query(CLAIM_BY_ID)
            .bind(NOW_AND_EVER)
            .bind(claim.0)
            .bind(i64::from(u8::MAX))
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::ClaimNotFound(claim))?;
        let raw = raw_claim!(&row);
        let status = raw
            .status
            .as_deref()
            .and_then(ClaimStatus::parse)
            .ok_or_else(|| StoreError::Corrupt(format!("claim {claim} has no status")))?;
        (raw, status)
    }};
}

/// Appends a review event (a claim's new status) inside a transaction.
macro_rules! review_event {
    ($tx:expr, $claim:expr, $status:expr, $actor:expr, $at:expr, $note:expr) => {{
        let status: ClaimStatus = $status;
        let note: Option<String> = $note;
        sqlx::query(
            "INSERT INTO review_events (claim_id, status, actor, at, note) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($claim)
        .bind(status.as_str())
        .bind($actor)
        .bind($at)
        .bind(note)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Inserts `p` (a [`RawClaim::successor`]) as the accepted replacement of claim `old`, which
/// becomes superseded, both events at `at` with `note`; evaluates to the new claim's id.
macro_rules! supersede {
    ($tx:expr, $old:expr, $p:expr, $actor:expr, $at:expr, $note:expr) => {{
        let note: Option<String> = $note;
        let new_id = insert_claim!($tx, $p, None, None::<ClaimStatus>, $actor, $at);
        review_event!(
            $tx,
            $old,
            ClaimStatus::Superseded,
            $actor,
            $at,
            note.clone()
        );
        review_event!($tx, new_id, ClaimStatus::Accepted, $actor, $at, note);
        new_id
    }};
}

impl RawClaim {
    /// A copy of this claim that supersedes it, recorded at `now` with the same fact id, payload,
    /// valid time, missions, evidence and classification; the caller changes what differs.
    pub(crate) fn successor(&self, now: i64) -> Result<PreparedClaim> {
        Ok(PreparedClaim {
            fact_id: self.fact_id.clone(),
            kind: self.kind.clone(),
            missions: serde_json::from_str(&self.missions)
                .map_err(|e| StoreError::Corrupt(format!("claim missions: {e}")))?,
            valid_from: self.valid_from.clone(),
            recorded_at: now,
            payload: self.payload.clone(),
            document: self.document_id,
            span: match (self.span_start, self.span_end, self.quote.clone()) {
                (Some(s), Some(e), Some(q)) => Some((s, e, q)),
                _ => None,
            },
            citation: self.citation.clone(),
            supersedes: Some(self.id),
            classification: self.classification,
        })
    }

    /// `None` when the claim had no status yet at the knowledge time (recorded later).
    pub(crate) fn into_claim(self) -> Result<Option<Claim>> {
        let Some(status) = self.status.as_deref() else {
            return Ok(None);
        };
        let status = ClaimStatus::parse(status)
            .ok_or_else(|| StoreError::Corrupt(format!("claim status {status:?}")))?;
        let evidence = match (
            self.document_id,
            self.span_start,
            self.span_end,
            self.quote,
            self.citation,
        ) {
            (Some(d), Some(s), Some(e), Some(q), _) => Evidence::Span {
                document: DocumentId(d),
                start: to_u64(s)?,
                end: to_u64(e)?,
                quote: q,
            },
            (_, _, _, _, Some(text)) => Evidence::Citation { text },
            _ => Evidence::Unsourced,
        };
        Ok(Some(Claim {
            id: ClaimId(self.id),
            fact_id: FactId::new(self.fact_id)
                .ok_or_else(|| StoreError::Corrupt("empty fact id".into()))?,
            kind: self.kind,
            missions: serde_json::from_str(&self.missions)
                .map_err(|e| StoreError::Corrupt(format!("claim missions: {e}")))?,
            valid_from: self.valid_from,
            recorded_at: ts_from_db(self.recorded_at)?,
            payload: self.payload,
            evidence,
            supersedes: self.supersedes.map(ClaimId),
            classification: Clearance::from_db(self.classification)?,
            actor: self.actor,
            status,
        }))
    }
}

pub(crate) fn to_u64(v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("negative value {v}")))
}

pub(crate) fn to_i64(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| StoreError::Corrupt(format!("value {v} too large")))
}

pub(crate) fn as_of_db(as_of: Option<Timestamp>) -> i64 {
    as_of.map(ts_to_db).unwrap_or(NOW_AND_EVER)
}

/// Checks that `[start, end)` is a slice of `text` on character boundaries and returns it.
pub(crate) fn slice(text: &str, start: u64, end: u64) -> Result<String> {
    let err = || StoreError::InvalidSpan {
        start,
        end,
        len: text.len() as u64,
    };
    let (s, e) = (
        usize::try_from(start).map_err(|_| err())?,
        usize::try_from(end).map_err(|_| err())?,
    );
    if s > e {
        return Err(err());
    }
    text.get(s..e).map(str::to_owned).ok_or_else(err)
}

fn migrator(backend: BackendKind) -> Migrator {
    let list = match backend {
        BackendKind::Sqlite => SQLITE_MIGRATIONS,
        BackendKind::Postgres => POSTGRES_MIGRATIONS,
    };
    Migrator::with_migrations(
        list.iter()
            .map(|(v, d, sql)| {
                Migration::new(
                    *v,
                    Cow::Borrowed(*d),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

impl Store {
    /// Connects and applies pending migrations (idempotent). `url` is `sqlite://PATH` (the file and
    /// its directory are created on first use), `sqlite::memory:`, or `postgres://...`.
    pub async fn open(url: &str) -> Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating (for `mandat db status`).
    pub async fn connect(url: &str) -> Result<Self> {
        let invalid = |reason: String| StoreError::InvalidUrl {
            url: url.to_owned(),
            reason,
        };
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| invalid(e.to_string()))?
                .create_if_missing(true)
                .foreign_keys(true)
                // WAL + NORMAL: a committed transaction is in the WAL file before commit returns, so it
                // survives the process being killed; only an OS crash or power loss can lose the
                // last transactions (FULL would fsync every commit).
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT);
            let in_memory = url.contains(":memory:") || url.contains("mode=memory");
            if !in_memory
                && let Some(dir) = opts
                    .get_filename()
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                    path: dir.to_owned(),
                    source,
                })?;
            }
            let pool = SqlitePoolOptions::new()
                // An in-memory database exists per connection: keep exactly one.
                .max_connections(if in_memory { 1 } else { 8 })
                .min_connections(if in_memory { 1 } else { 0 })
                .idle_timeout(if in_memory {
                    None
                } else {
                    Some(Duration::from_secs(600))
                })
                .max_lifetime(if in_memory {
                    None
                } else {
                    Some(Duration::from_secs(1800))
                })
                .connect_with(opts)
                .await?;
            Ok(Self {
                backend: Backend::Sqlite(pool),
                pg_walk_window: crate::search::PG_WALK_WINDOW,
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = sqlx::postgres::PgConnectOptions::from_str(url)
                .map_err(|e| invalid(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?;
            Ok(Self {
                backend: Backend::Postgres(pool),
                pg_walk_window: crate::search::PG_WALK_WINDOW,
            })
        } else {
            Err(invalid("expected sqlite:... or postgres://...".into()))
        }
    }

    /// Sets how many of the newest passages PostgreSQL search walks before it reads the remaining
    /// matches from its full-text index. Both ways find the same hits; only the cost differs. For
    /// tests, which need both ways and the switch between them on small archives.
    #[doc(hidden)]
    pub fn with_pg_search_window(mut self, passages: u32) -> Self {
        self.pg_walk_window = i64::from(passages.max(1));
        self
    }

    pub fn backend(&self) -> BackendKind {
        match &self.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Applies pending migrations; a no-op when all are applied.
    pub async fn migrate(&self) -> Result<()> {
        let m = migrator(self.backend());
        match &self.backend {
            Backend::Sqlite(pool) => m.run(pool).await?,
            Backend::Postgres(pool) => m.run(pool).await?,
        }
        Ok(())
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }

    /// Applied and pending migrations, and row counts when the schema exists.
    pub async fn status(&self) -> Result<StoreStatus> {
        let backend = self.backend();
        let applied: Vec<(i64, String)> = with_pool!(self, |pool, pg| {
            let exists: i64 = if pg {
                sqlx::query("SELECT CAST(CASE WHEN to_regclass('_sqlx_migrations') IS NULL THEN 0 ELSE 1 END AS BIGINT)")
                    .fetch_one(pool)
                    .await?
                    .try_get(0)?
            } else {
                sqlx::query("SELECT COUNT(*) FROM sqlite_master WHERE name = '_sqlx_migrations'")
                    .fetch_one(pool)
                    .await?
                    .try_get(0)?
            };
            let mut out = Vec::new();
            if exists > 0 {
                for row in sqlx::query(
                    "SELECT version, description FROM _sqlx_migrations WHERE success ORDER BY version",
                )
                .fetch_all(pool)
                .await?
                {
                    out.push((row.try_get(0)?, row.try_get(1)?));
                }
            }
            out
        });
        let pending: Vec<MigrationInfo> = migrator(backend)
            .iter()
            .filter(|m| !applied.iter().any(|(v, _)| *v == m.version))
            .map(|m| MigrationInfo {
                version: m.version,
                description: m.description.to_string(),
            })
            .collect();
        let schema = !applied.is_empty();
        let count = |table: &'static str| async move {
            if !schema {
                return Ok::<_, StoreError>(None);
            }
            let sql: &'static str = match table {
                "documents" => "SELECT COUNT(*) FROM documents",
                "claims" => "SELECT COUNT(*) FROM claims",
                _ => "SELECT COUNT(*) FROM users",
            };
            let n: i64 = with_pool!(self, |pool, pg| sqlx::query(sql)
                .fetch_one(pool)
                .await?
                .try_get(0)?);
            Ok(Some(n))
        };
        Ok(StoreStatus {
            backend,
            applied: applied
                .into_iter()
                .map(|(version, description)| MigrationInfo {
                    version,
                    description,
                })
                .collect(),
            pending,
            documents: count("documents").await?,
            claims: count("claims").await?,
            users: count("users").await?,
        })
    }

    /// Stores a document once (by content hash) with its extracted proposals as `proposed` claims,
    /// all in one transaction: on any error nothing is written. Re-ingesting the same bytes writes
    /// nothing and says so. [`PreparedIngest::new`] and [`Store::ingest_prepared`] in one call.
    pub async fn ingest_document(
        &self,
        doc: NewDocument,
        proposals: Vec<NewClaim>,
        actor: &Actor,
    ) -> Result<IngestOutcome> {
        actor.require(Role::Editor)?;
        self.ingest_prepared(PreparedIngest::new(doc, proposals)?, actor)
            .await
    }

    /// Stores a prepared document as [`Store::ingest_document`] does. Concurrent calls are safe:
    /// on PostgreSQL a second writer of the same content hash waits for the first to commit and
    /// then reports [`IngestOutcome::AlreadyPresent`]; SQLite serialises writers.
    pub async fn ingest_prepared(
        &self,
        prepared: PreparedIngest,
        actor: &Actor,
    ) -> Result<IngestOutcome> {
        actor.require(Role::Editor)?;
        let now = ts_to_db(Timestamp::now());
        let PreparedIngest {
            doc,
            proposals: prepared,
            lang,
            passages,
        } = prepared;
        let published = doc.published.map(|d| d.to_string());
        let classification = i64::from(doc.classification.level());
        let outcome = write_tx!(self, |tx, pg| {
            let inserted: Option<i64> = sqlx::query(
                "INSERT INTO documents (content_hash, source, media_type, lang, title, published, text, \
                 bytes_len, classification, actor, ingested_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (content_hash) DO NOTHING RETURNING id",
            )
            .bind(&doc.content_hash)
            .bind(&doc.source)
            .bind(&doc.media_type)
            .bind(&doc.lang)
            .bind(&doc.title)
            .bind(&published)
            .bind(&doc.text)
            .bind(to_i64(doc.bytes_len)?)
            .bind(classification)
            .bind(&actor.name)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
            match inserted {
                None => {
                    let id: i64 = sqlx::query("SELECT id FROM documents WHERE content_hash = $1")
                        .bind(&doc.content_hash)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get(0)?;
                    IngestOutcome::AlreadyPresent(DocumentId(id))
                }
                Some(doc_id) => {
                    let mut seen = std::collections::BTreeSet::new();
                    for m in &doc.missions {
                        if seen.insert(m) {
                            sqlx::query("INSERT INTO document_missions (document_id, mission) VALUES ($1, $2)")
                                .bind(doc_id)
                                .bind(m)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                    insert_passages!(tx, pg, doc_id, &passages, lang);
                    let mut ids = Vec::with_capacity(prepared.len());
                    for (c, span) in &prepared {
                        let mut p = PreparedClaim {
                            fact_id: c.fact_id.as_str().to_owned(),
                            kind: c.kind.clone(),
                            missions: c.missions.clone(),
                            valid_from: c.valid_from.clone(),
                            recorded_at: c.recorded_at.map(ts_to_db).unwrap_or(now),
                            payload: c.payload.clone(),
                            document: None,
                            span: None,
                            citation: None,
                            supersedes: None,
                            classification: i64::from(c.classification.level()),
                        };
                        match &c.evidence {
                            NewEvidence::InDocument { .. } => {
                                p.document = Some(doc_id);
                                p.span = span.clone();
                                p.classification = p.classification.max(classification);
                            }
                            NewEvidence::Span {
                                document,
                                start,
                                end,
                            } => {
                                let (text, class) = doc_text_class!(tx, document.0);
                                p.document = Some(document.0);
                                p.span = Some((
                                    to_i64(*start)?,
                                    to_i64(*end)?,
                                    slice(&text, *start, *end)?,
                                ));
                                p.classification = p.classification.max(class);
                            }
                            NewEvidence::Citation { text } => p.citation = Some(text.clone()),
                            NewEvidence::Unsourced => {}
                        }
                        let at = p.recorded_at;
                        let id = insert_claim!(
                            tx,
                            &p,
                            None,
                            Some(ClaimStatus::Proposed),
                            &actor.name,
                            at
                        );
                        ids.push(ClaimId(id));
                    }
                    IngestOutcome::Stored {
                        document: DocumentId(doc_id),
                        claims: ids,
                    }
                }
            }
        });
        Ok(outcome)
    }

    /// Records claims outside ingestion (bundled data, manual entry), all in one transaction, with
    /// the given initial status (`Proposed` or `Accepted`) effective at each claim's recorded time.
    pub async fn record_claims(
        &self,
        claims: Vec<NewClaim>,
        status: ClaimStatus,
        actor: &Actor,
    ) -> Result<Vec<ClaimId>> {
        actor.require(Role::Editor)?;
        match status {
            ClaimStatus::Proposed | ClaimStatus::Accepted => {}
            ClaimStatus::Rejected | ClaimStatus::Retracted | ClaimStatus::Superseded => {
                return Err(StoreError::InvalidTransition {
                    action: "record",
                    status,
                });
            }
        }
        let now = ts_to_db(Timestamp::now());
        let ids = write_tx!(self, |tx, pg| {
            let mut ids = Vec::with_capacity(claims.len());
            for c in &claims {
                let mut p = PreparedClaim {
                    fact_id: c.fact_id.as_str().to_owned(),
                    kind: c.kind.clone(),
                    missions: c.missions.clone(),
                    valid_from: c.valid_from.clone(),
                    recorded_at: c.recorded_at.map(ts_to_db).unwrap_or(now),
                    payload: c.payload.clone(),
                    document: None,
                    span: None,
                    citation: None,
                    supersedes: None,
                    classification: i64::from(c.classification.level()),
                };
                match &c.evidence {
                    NewEvidence::InDocument { .. } => return Err(StoreError::NoIngestedDocument),
                    NewEvidence::Span {
                        document,
                        start,
                        end,
                    } => {
                        let (text, class) = doc_text_class!(tx, document.0);
                        p.document = Some(document.0);
                        p.span =
                            Some((to_i64(*start)?, to_i64(*end)?, slice(&text, *start, *end)?));
                        p.classification = p.classification.max(class);
                    }
                    NewEvidence::Citation { text } => p.citation = Some(text.clone()),
                    NewEvidence::Unsourced => {}
                }
                let at = p.recorded_at;
                ids.push(ClaimId(insert_claim!(
                    tx,
                    &p,
                    None,
                    Some(status),
                    &actor.name,
                    at
                )));
            }
            ids
        });
        Ok(ids)
    }

    /// Claims matching `filter` with their status as known at `as_of` (`None`: now). With
    /// `filter.status == None` only effective claims are returned: accepted and, at that time, not
    /// superseded or retracted. Ordered by claim id (insertion order).
    pub async fn claims(
        &self,
        filter: &ClaimFilter,
        as_of: Option<Timestamp>,
    ) -> Result<Vec<Claim>> {
        let status = filter.status.unwrap_or(ClaimStatus::Accepted);
        let sql: &'static str = CLAIMS_QUERY;
        let rows: Vec<RawClaim> = with_pool!(self, |pool, pg| {
            let rows = sqlx::query(sql)
                .bind(as_of_db(as_of))
                .bind(i64::from(filter.clearance.level()))
                .bind(&filter.kind)
                .bind(filter.fact_id.as_ref().map(FactId::as_str))
                .bind(filter.document.map(|d| d.0))
                .bind(&filter.mission)
                .bind(status.as_str())
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(raw_claim!(row));
            }
            out
        });
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.extend(r.into_claim()?);
        }
        Ok(out)
    }

    /// One claim with its status at `as_of`; `None` if it does not exist, was not yet recorded then,
    /// or is above `clearance`.
    pub async fn claim(
        &self,
        id: ClaimId,
        as_of: Option<Timestamp>,
        clearance: Clearance,
    ) -> Result<Option<Claim>> {
        let raw: Option<RawClaim> = with_pool!(self, |pool, pg| {
            match sqlx::query(CLAIM_BY_ID)
                .bind(as_of_db(as_of))
                .bind(id.0)
                .bind(i64::from(clearance.level()))
                .fetch_optional(pool)
                .await?
            {
                Some(row) => Some(raw_claim!(&row)),
                None => None,
            }
        });
        match raw {
            Some(r) => r.into_claim(),
            None => Ok(None),
        }
    }

    /// The review history of a claim, oldest first.
    pub async fn review_events(&self, claim: ClaimId) -> Result<Vec<ReviewEvent>> {
        let rows: Vec<(i64, i64, String, String, i64, Option<String>)> = with_pool!(
            self,
            |pool, pg| {
                let mut out = Vec::new();
                for row in sqlx::query(
                "SELECT id, claim_id, status, actor, at, note FROM review_events WHERE claim_id = $1 ORDER BY at, id",
            )
            .bind(claim.0)
            .fetch_all(pool)
            .await?
            {
                out.push((
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                    row.try_get(4)?,
                    row.try_get(5)?,
                ));
            }
                out
            }
        );
        rows.into_iter().map(event_from_parts).collect()
    }

    /// Applies a review decision now, as `actor` (reviewer or above). Appends events (and for a
    /// correction a new claim); never changes an existing row.
    pub async fn review(
        &self,
        claim: ClaimId,
        decision: ReviewDecision,
        actor: &Actor,
        note: Option<&str>,
    ) -> Result<ReviewOutcome> {
        actor.require(Role::Reviewer)?;
        let outcome = write_tx!(self, |tx, pg| {
            let (raw, current) = current_claim!(tx, pg, claim);
            // Knowledge time of a review is the wall clock; a later event on the same microsecond
            // still sorts after by id.
            let now = ts_to_db(Timestamp::now());
            let (action, allowed, new_status): (&'static str, &[ClaimStatus], ClaimStatus) =
                match &decision {
                    ReviewDecision::Accept => {
                        ("accept", &[ClaimStatus::Proposed], ClaimStatus::Accepted)
                    }
                    ReviewDecision::Reject => {
                        ("reject", &[ClaimStatus::Proposed], ClaimStatus::Rejected)
                    }
                    ReviewDecision::Retract => {
                        ("retract", &[ClaimStatus::Accepted], ClaimStatus::Retracted)
                    }
                    ReviewDecision::Correct { .. } => (
                        "correct",
                        &[ClaimStatus::Proposed, ClaimStatus::Accepted],
                        ClaimStatus::Superseded,
                    ),
                };
            if !allowed.contains(&current) {
                return Err(StoreError::InvalidTransition {
                    action,
                    status: current,
                });
            }
            let note = note.map(str::to_owned);
            match decision {
                ReviewDecision::Accept | ReviewDecision::Reject | ReviewDecision::Retract => {
                    review_event!(tx, claim.0, new_status, &actor.name, now, note);
                    ReviewOutcome::StatusChanged {
                        claim,
                        status: new_status,
                    }
                }
                ReviewDecision::Correct {
                    payload,
                    valid_from,
                } => {
                    let mut p = raw.successor(now)?;
                    p.valid_from = valid_from.or(p.valid_from);
                    p.payload = payload;
                    let new_id = supersede!(tx, claim.0, &p, &actor.name, now, note);
                    ReviewOutcome::Corrected {
                        old: claim,
                        new: ClaimId(new_id),
                    }
                }
            }
        });
        Ok(outcome)
    }

    /// Links a source that has no text yet to the stored document that is its text, and re-records
    /// each of `attest` (an accepted claim citing that source, with the byte span of its quote in
    /// the document) with that span as its evidence: the new claim keeps the fact id, payload, valid
    /// time and missions, is accepted, and supersedes the old one, as a correction does. One
    /// transaction (editors and above): an unknown source or one with a text already, a document
    /// that is another source's text, a claim that is not accepted or a span that is not in the
    /// document writes nothing. Returns the (old, new) claim ids.
    pub async fn link_source_document(
        &self,
        source: &str,
        document: DocumentId,
        attest: &[(ClaimId, u64, u64)],
        actor: &Actor,
    ) -> Result<Vec<(ClaimId, ClaimId)>> {
        actor.require(Role::Editor)?;
        let invalid = |reason: String| StoreError::InvalidSource {
            id: source.to_owned(),
            reason,
        };
        let pairs = write_tx!(self, |tx, pg| {
            let now = ts_to_db(Timestamp::now());
            if pg {
                sqlx::query("SELECT id FROM sources WHERE id = $1 FOR UPDATE")
                    .bind(source)
                    .execute(&mut *tx)
                    .await?;
            }
            let linked: Option<Option<i64>> =
                sqlx::query("SELECT document_id FROM sources WHERE id = $1")
                    .bind(source)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?;
            match linked {
                None => return Err(invalid("no such source".into())),
                Some(Some(d)) => {
                    return Err(invalid(format!("its text is document {d} already")));
                }
                Some(None) => {}
            }
            let other: Option<String> =
                sqlx::query("SELECT id FROM sources WHERE document_id = $1")
                    .bind(document.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?;
            if let Some(other) = other {
                return Err(invalid(format!(
                    "document {document} is already the source `{other}`"
                )));
            }
            let (text, class) = doc_text_class!(tx, document.0);
            sqlx::query("UPDATE sources SET document_id = $1 WHERE id = $2")
                .bind(document.0)
                .bind(source)
                .execute(&mut *tx)
                .await?;
            let note = format!("quote found in document {document}, the text of source `{source}`");
            let mut pairs = Vec::with_capacity(attest.len());
            for &(claim, start, end) in attest {
                let (raw, status) = current_claim!(tx, pg, claim);
                if status != ClaimStatus::Accepted {
                    return Err(StoreError::InvalidTransition {
                        action: "attest",
                        status,
                    });
                }
                let mut p = raw.successor(now)?;
                p.document = Some(document.0);
                p.span = Some((to_i64(start)?, to_i64(end)?, slice(&text, start, end)?));
                p.citation = None;
                p.classification = p.classification.max(class);
                let new_id = supersede!(tx, claim.0, &p, &actor.name, now, Some(note.clone()));
                pairs.push((claim, ClaimId(new_id)));
            }
            pairs
        });
        Ok(pairs)
    }

    /// A stored document, unless above `clearance`.
    pub async fn document(&self, id: DocumentId, clearance: Clearance) -> Result<Option<Document>> {
        let docs = self.documents_where(Some(id), None, clearance).await?;
        Ok(docs.into_iter().next())
    }

    /// The document stored with this content hash, if any (classification is not checked: the hash
    /// only confirms what the caller already holds).
    pub async fn document_id_by_hash(&self, content_hash: &str) -> Result<Option<DocumentId>> {
        let id: Option<i64> = with_pool!(self, |pool, pg| sqlx::query(
            "SELECT id FROM documents WHERE content_hash = $1"
        )
        .bind(content_hash)
        .fetch_optional(pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?);
        Ok(id.map(DocumentId))
    }

    /// Documents in id order, starting after `after` (keyset paging), at most `limit`.
    pub async fn documents(
        &self,
        after: Option<DocumentId>,
        limit: u32,
        clearance: Clearance,
    ) -> Result<Vec<Document>> {
        self.documents_where(
            None,
            Some((after.map(|d| d.0).unwrap_or(0), i64::from(limit))),
            clearance,
        )
        .await
    }

    pub(crate) async fn documents_where(
        &self,
        id: Option<DocumentId>,
        page: Option<(i64, i64)>,
        clearance: Clearance,
    ) -> Result<Vec<Document>> {
        let (after, limit) = page.unwrap_or((0, 1));
        let rows = with_pool!(self, |pool, pg| {
            let rows = sqlx::query(
                "SELECT d.id, d.content_hash, d.source, d.media_type, d.lang, d.title, d.published, d.text, \
                 d.bytes_len, d.classification, d.actor, d.ingested_at FROM documents d \
                 WHERE ($1 IS NULL OR d.id = $1) AND d.id > $2 AND d.classification <= $3 \
                 ORDER BY d.id LIMIT $4",
            )
            .bind(id.map(|d| d.0))
            .bind(after)
            .bind(i64::from(clearance.level()))
            .bind(limit)
            .fetch_all(pool)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                let doc_id: i64 = row.try_get(0)?;
                let mut missions = Vec::new();
                for m in sqlx::query(
                    "SELECT mission FROM document_missions WHERE document_id = $1 ORDER BY mission",
                )
                .bind(doc_id)
                .fetch_all(pool)
                .await?
                {
                    missions.push(m.try_get::<String, _>(0)?);
                }
                out.push(RawDocument {
                    id: doc_id,
                    content_hash: row.try_get(1)?,
                    source: row.try_get(2)?,
                    media_type: row.try_get(3)?,
                    lang: row.try_get(4)?,
                    title: row.try_get(5)?,
                    published: row.try_get(6)?,
                    text: row.try_get(7)?,
                    bytes_len: row.try_get(8)?,
                    classification: row.try_get(9)?,
                    actor: row.try_get(10)?,
                    ingested_at: row.try_get(11)?,
                    missions,
                });
            }
            out
        });
        rows.into_iter().map(RawDocument::into_document).collect()
    }

    /// Links two stored documents as language versions of the same release (both directions).
    pub async fn link_translations(
        &self,
        a: DocumentId,
        b: DocumentId,
        actor: &Actor,
    ) -> Result<()> {
        actor.require(Role::Editor)?;
        let now = ts_to_db(Timestamp::now());
        write_tx!(self, |tx, pg| {
            for id in [a, b] {
                let n: i64 = sqlx::query("SELECT COUNT(*) FROM documents WHERE id = $1")
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?;
                if n == 0 {
                    return Err(StoreError::DocumentNotFound(id));
                }
            }
            for (x, y) in [(a, b), (b, a)] {
                sqlx::query(
                    "INSERT INTO document_links (document_id, other_id, kind, actor, at) \
                     VALUES ($1, $2, 'translation', $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind(x.0)
                .bind(y.0)
                .bind(&actor.name)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }

    /// Documents linked to `id` as other-language versions.
    pub async fn translations(&self, id: DocumentId) -> Result<Vec<DocumentId>> {
        let ids: Vec<i64> = with_pool!(self, |pool, pg| {
            let mut out = Vec::new();
            for row in sqlx::query(
                "SELECT other_id FROM document_links WHERE document_id = $1 AND kind = 'translation' ORDER BY other_id",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await?
            {
                out.push(row.try_get(0)?);
            }
            out
        });
        Ok(ids.into_iter().map(DocumentId).collect())
    }
}

const CLAIM_BY_ID: &str = "SELECT c.id, c.fact_id, c.kind, c.missions, c.valid_from, c.recorded_at, \
     c.payload, c.document_id, c.span_start, c.span_end, c.quote, c.citation, c.supersedes, \
     c.classification, c.actor, \
     (SELECT e.status FROM review_events e WHERE e.claim_id = c.id AND e.at <= $1 \
      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS status \
     FROM claims c WHERE c.id = $2 AND c.classification <= $3";

const CLAIMS_QUERY: &str = "SELECT * FROM (SELECT c.id, c.fact_id, c.kind, c.missions, c.valid_from, c.recorded_at, \
     c.payload, c.document_id, c.span_start, c.span_end, c.quote, c.citation, c.supersedes, \
     c.classification, c.actor, \
     (SELECT e.status FROM review_events e WHERE e.claim_id = c.id AND e.at <= $1 \
      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS status \
     FROM claims c WHERE c.classification <= $2 \
       AND ($3 IS NULL OR c.kind = $3) \
       AND ($4 IS NULL OR c.fact_id = $4) \
       AND ($5 IS NULL OR c.document_id = $5) \
       AND ($6 IS NULL OR EXISTS (SELECT 1 FROM claim_missions m WHERE m.claim_id = c.id AND m.mission = $6)) \
     ) x WHERE x.status = $7 ORDER BY x.id";

pub(crate) fn event_from_parts(
    (id, claim_id, status, actor, at, note): (i64, i64, String, String, i64, Option<String>),
) -> Result<ReviewEvent> {
    Ok(ReviewEvent {
        id: EventId(id),
        claim_id: ClaimId(claim_id),
        status: ClaimStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("event status {status:?}")))?,
        actor,
        at: ts_from_db(at)?,
        note,
    })
}

#[derive(Debug)]
pub(crate) struct RawDocument {
    pub id: i64,
    pub content_hash: String,
    pub source: String,
    pub media_type: String,
    pub lang: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub text: String,
    pub bytes_len: i64,
    pub classification: i64,
    pub actor: String,
    pub ingested_at: i64,
    pub missions: Vec<String>,
}

impl RawDocument {
    pub(crate) fn into_document(self) -> Result<Document> {
        Ok(Document {
            id: DocumentId(self.id),
            source: self.source,
            content_hash: self.content_hash,
            media_type: self.media_type,
            lang: self.lang,
            title: self.title,
            published: self
                .published
                .map(|p| {
                    p.parse::<jiff::civil::Date>()
                        .map_err(|e| StoreError::Corrupt(format!("published {p:?}: {e}")))
                })
                .transpose()?,
            text: self.text,
            bytes_len: to_u64(self.bytes_len)?,
            classification: Clearance::from_db(self.classification)?,
            missions: self.missions,
            actor: self.actor,
            ingested_at: ts_from_db(self.ingested_at)?,
        })
    }
}
