//! Sources: who published what, when and where, optionally linked to the stored document it is.
//!
//! A source is recorded once and never changed: adding an id that exists is refused with
//! [`StoreError::SourceExists`], so no citation silently starts to point at other content. A
//! document is the copy of at most one source.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::error::{Result, StoreError};
use crate::store::{Store, with_pool, write_tx};
use crate::types::*;

/// A source to record. The store checks the id, the linked document and uniqueness; the values of
/// `date` (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), `lang` and `printed_paper` are the caller's to
/// validate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSource {
    pub id: String,
    pub publisher: String,
    pub title: String,
    pub date: String,
    pub url: Option<String>,
    pub lang: String,
    pub printed_paper: Option<String>,
    /// The stored document that is this source's text.
    pub document: Option<DocumentId>,
    /// Canonical ids of the missions the source is about (places a source no fact cites yet).
    pub missions: Vec<String>,
}

/// A recorded source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub id: String,
    pub publisher: String,
    pub title: String,
    pub date: String,
    pub url: Option<String>,
    pub lang: String,
    pub printed_paper: Option<String>,
    pub document: Option<DocumentId>,
    pub missions: Vec<String>,
    pub actor: String,
    pub created_at: Timestamp,
}

type RawSource = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<i64>,
    String,
    String,
    i64,
);

fn from_raw(r: RawSource) -> Result<SourceRecord> {
    let missions: Vec<String> = serde_json::from_str(&r.8)
        .map_err(|e| StoreError::Corrupt(format!("source {} missions: {e}", r.0)))?;
    Ok(SourceRecord {
        id: r.0,
        publisher: r.1,
        title: r.2,
        date: r.3,
        url: r.4,
        lang: r.5,
        printed_paper: r.6,
        document: r.7.map(DocumentId),
        missions,
        actor: r.9,
        created_at: ts_from_db(r.10)?,
    })
}

const SELECT: &str = "SELECT s.id, s.publisher, s.title, s.date, s.url, s.lang, s.printed_paper, \
     s.document_id, s.missions, s.actor, s.created_at FROM sources s \
     LEFT JOIN documents d ON d.id = s.document_id \
     WHERE (d.id IS NULL OR d.classification <= $1) \
       AND ($2 IS NULL OR s.id = $2) AND ($3 IS NULL OR s.document_id = $3) \
     ORDER BY s.seq";

/// Inserts one source inside a transaction, with the checks of [`Store::add_sources`].
macro_rules! insert_source {
    ($tx:expr, $s:expr, $actor:expr, $at:expr) => {{
        let s: &$crate::sources::NewSource = $s;
        if s.id.trim().is_empty() || s.id.trim() != s.id {
            return Err($crate::error::StoreError::InvalidSource {
                id: s.id.clone(),
                reason: "an id is non-empty without surrounding spaces".into(),
            });
        }
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM sources WHERE id = $1")
            .bind(&s.id)
            .fetch_one(&mut *$tx)
            .await?
            .try_get(0)?;
        if n > 0 {
            return Err($crate::error::StoreError::SourceExists(s.id.clone()));
        }
        if let Some(doc) = s.document {
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM documents WHERE id = $1")
                .bind(doc.0)
                .fetch_one(&mut *$tx)
                .await?
                .try_get(0)?;
            if n == 0 {
                return Err($crate::error::StoreError::DocumentNotFound(doc));
            }
            let other: Option<String> =
                sqlx::query("SELECT id FROM sources WHERE document_id = $1")
                    .bind(doc.0)
                    .fetch_optional(&mut *$tx)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?;
            if let Some(other) = other {
                return Err($crate::error::StoreError::InvalidSource {
                    id: s.id.clone(),
                    reason: format!("document {doc} is already the source `{other}`"),
                });
            }
        }
        let missions = serde_json::to_string(&s.missions)
            .map_err(|e| $crate::error::StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO sources (id, publisher, title, date, url, lang, printed_paper, \
             document_id, missions, actor, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&s.id)
        .bind(&s.publisher)
        .bind(&s.title)
        .bind(&s.date)
        .bind(&s.url)
        .bind(&s.lang)
        .bind(&s.printed_paper)
        .bind(s.document.map(|d| d.0))
        .bind(missions)
        .bind($actor)
        .bind($at)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use insert_source;

impl Store {
    /// Records sources in one transaction (editors and above): all or none. An id that exists, a
    /// document that does not, or a document that already has a source is refused.
    pub async fn add_sources(&self, sources: Vec<NewSource>, actor: &Actor) -> Result<()> {
        actor.require(Role::Editor)?;
        let now = ts_to_db(Timestamp::now());
        write_tx!(self, |tx, pg| {
            for s in &sources {
                insert_source!(tx, s, &actor.name, now);
            }
        });
        Ok(())
    }

    /// Every source in the order recorded, except those whose linked document is above
    /// `clearance`.
    pub async fn sources(&self, clearance: Clearance) -> Result<Vec<SourceRecord>> {
        self.sources_where(clearance, None, None).await
    }

    /// One source by id, unless its document is above `clearance`.
    pub async fn source(&self, id: &str, clearance: Clearance) -> Result<Option<SourceRecord>> {
        Ok(self
            .sources_where(clearance, Some(id), None)
            .await?
            .into_iter()
            .next())
    }

    /// The source whose text the stored document is, if one is linked.
    pub async fn source_of_document(
        &self,
        document: DocumentId,
        clearance: Clearance,
    ) -> Result<Option<SourceRecord>> {
        Ok(self
            .sources_where(clearance, None, Some(document))
            .await?
            .into_iter()
            .next())
    }

    /// The `source` name a stored document was ingested under (a path, an address, or
    /// `bundled:PATH` for the documents of the bundled dataset), without reading its text.
    pub async fn document_source_name(&self, id: DocumentId) -> Result<Option<String>> {
        Ok(with_pool!(self, |pool, pg| sqlx::query(
            "SELECT source FROM documents WHERE id = $1"
        )
        .bind(id.0)
        .fetch_optional(pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?))
    }

    async fn sources_where(
        &self,
        clearance: Clearance,
        id: Option<&str>,
        document: Option<DocumentId>,
    ) -> Result<Vec<SourceRecord>> {
        let raws: Vec<RawSource> = with_pool!(self, |pool, pg| {
            let mut out = Vec::new();
            for r in sqlx::query(SELECT)
                .bind(i64::from(clearance.level()))
                .bind(id)
                .bind(document.map(|d| d.0))
                .fetch_all(pool)
                .await?
            {
                out.push((
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                    r.try_get(5)?,
                    r.try_get(6)?,
                    r.try_get(7)?,
                    r.try_get(8)?,
                    r.try_get(9)?,
                    r.try_get(10)?,
                ));
            }
            out
        });
        raws.into_iter().map(from_raw).collect()
    }
}
