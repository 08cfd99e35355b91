//! Full-text search over passages: the same stems on both backends, so the same hits.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::error::{Result, StoreError};
use crate::store::{NOW_AND_EVER, RawClaim, Store, raw_claim, to_u64, with_pool};
use crate::text::ParsedQuery;
use crate::types::*;

/// A search. `text` holds words (all must occur in one passage, stemmed by each document's
/// language) and `"quoted phrases"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub text: String,
    pub mission: Option<String>,
    pub lang: Option<String>,
    /// Documents published on or after this day.
    pub from: Option<Date>,
    /// Documents published on or before this day.
    pub until: Option<Date>,
    /// The searcher's clearance: documents above it are never hit.
    pub clearance: Clearance,
    pub limit: u32,
    pub offset: u32,
}

impl SearchQuery {
    /// A query for public documents, first 20 hits.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            mission: None,
            lang: None,
            from: None,
            until: None,
            clearance: Clearance::PUBLIC,
            limit: 20,
            offset: 0,
        }
    }
}

/// One document that matched, with its first matching passage and the claims whose spans overlap it
/// (any status, as known now, within the searcher's clearance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub document: DocumentId,
    pub title: Option<String>,
    pub source: String,
    pub lang: String,
    pub published: Option<Date>,
    /// Byte range of the passage in the document text.
    pub start: u64,
    pub end: u64,
    pub passage: String,
    pub claims: Vec<Claim>,
}

/// Matching passages below a rowid cursor (`$7`; `$8` is unused here), newest first.
const SQLITE_SEARCH: &str = "SELECT p.document_id, p.start_byte, passages_fts.rowid FROM passages_fts \
     JOIN passages p ON p.id = passages_fts.rowid JOIN documents d ON d.id = p.document_id \
     WHERE passages_fts MATCH $1 AND passages_fts.rowid < $7 AND $8 IS NOT NULL \
       AND d.classification <= $2 AND ($3 IS NULL OR d.lang = $3) \
       AND ($4 IS NULL OR d.published >= $4) AND ($5 IS NULL OR d.published <= $5) \
       AND ($6 IS NULL OR EXISTS (SELECT 1 FROM document_missions dm WHERE dm.document_id = d.id AND dm.mission = $6)) \
     ORDER BY passages_fts.rowid DESC LIMIT $9";

/// Matching passages below a (document, start) cursor, newest document first.
const PG_SEARCH: &str = "SELECT p.document_id, p.start_byte, p.id FROM passages p \
     JOIN documents d ON d.id = p.document_id \
     WHERE p.tsv @@ $1::tsquery AND (p.document_id, p.start_byte) < ($7, $8) \
       AND d.classification <= $2 AND ($3::text IS NULL OR d.lang = $3) \
       AND ($4::text IS NULL OR d.published >= $4) AND ($5::text IS NULL OR d.published <= $5) \
       AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM document_missions dm WHERE dm.document_id = d.id AND dm.mission = $6)) \
     ORDER BY p.document_id DESC, p.start_byte DESC LIMIT $9";

/// `(document_id, start_byte) IN (VALUES ($3, $4), ...)` over the hits, built from placeholders
/// only: no value is ever spliced into SQL.
fn hit_pairs(first_param: usize, n: usize) -> String {
    (0..n)
        .map(|i| format!("(${}, ${})", first_param + 2 * i, first_param + 2 * i + 1))
        .collect::<Vec<_>>()
        .join(", ")
}

fn hit_ids(first_param: usize, n: usize) -> String {
    (0..n)
        .map(|i| format!("${}", first_param + i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Passage ends and byte slices of the hit passages, with their documents' metadata. Only the
/// passage is read from the text, however long the document.
fn hit_detail_sql(pg: bool, n: usize) -> String {
    let slice = if pg {
        "substring(convert_to(d.text, 'UTF8') FROM CAST(p.start_byte + 1 AS INTEGER) \
         FOR CAST(p.end_byte - p.start_byte AS INTEGER))"
    } else {
        "substr(CAST(d.text AS BLOB), p.start_byte + 1, p.end_byte - p.start_byte)"
    };
    format!(
        "SELECT p.document_id, p.start_byte, p.end_byte, d.title, d.source, d.lang, d.published, {slice} \
         FROM passages p JOIN documents d ON d.id = p.document_id \
         WHERE (p.document_id, p.start_byte) IN (VALUES {})",
        hit_pairs(1, n)
    )
}

/// Claims on the hit documents (overlap with the passage is checked in Rust).
fn hit_claims_sql(n: usize) -> String {
    format!(
        "SELECT c.id, c.fact_id, c.kind, c.missions, c.valid_from, c.recorded_at, \
         c.payload, c.document_id, c.span_start, c.span_end, c.quote, c.citation, c.supersedes, \
         c.classification, c.actor, \
         (SELECT e.status FROM review_events e WHERE e.claim_id = c.id AND e.at <= $1 \
          ORDER BY e.at DESC, e.id DESC LIMIT 1) AS status \
         FROM claims c WHERE c.classification <= $2 AND c.document_id IN ({}) \
         ORDER BY c.document_id, c.span_start, c.id",
        hit_ids(3, n)
    )
}

impl Store {
    /// Documents matching `q`, most recently stored first (by document id), one hit per document.
    /// Ordering is by data, not by a backend's relevance score, so both backends page identically;
    /// on SQLite the cost grows with the hits read, not with all matches of a frequent word.
    pub async fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>> {
        let parsed = ParsedQuery::parse(&q.text).ok_or(StoreError::EmptyQuery)?;
        let from = q.from.map(|d| d.to_string());
        let until = q.until.map(|d| d.to_string());
        let clearance = i64::from(q.clearance.level());
        type Detail = (i64, Option<String>, String, String, Option<String>, Vec<u8>);
        type Found = (Vec<(i64, i64)>, Vec<((i64, i64), Detail)>, Vec<RawClaim>);
        let hits: Found = with_pool!(self, |pool, pg| {
            // (document, first matching passage start), newest document first.
            let wanted =
                usize::try_from(u64::from(q.offset) + u64::from(q.limit)).unwrap_or(usize::MAX);
            // Matching passages are read newest document first, in batches, and stop once one
            // document more than needed has started: the order keeps each document's passages
            // together, so every needed document then has all its matching passages. Frequent
            // words thus cost the hits read, not all their matches.
            // SQLite: FTS5 walks its doclist in rowid order, and rowid order is document order
            // (writers are serialised, nothing is deleted, import inserts in id order).
            // PostgreSQL: the (document_id, start_byte) index read backwards.
            let expr = if pg { parsed.tsquery() } else { parsed.fts5() };
            let mut cursor = (i64::MAX, i64::MAX);
            let mut batch = (wanted as i64 + 1).saturating_mul(4).clamp(16, 4096);
            let mut docs: Vec<(i64, i64)> = Vec::new();
            loop {
                let rows = sqlx::query(if pg { PG_SEARCH } else { SQLITE_SEARCH })
                    .bind(&expr)
                    .bind(clearance)
                    .bind(&q.lang)
                    .bind(&from)
                    .bind(&until)
                    .bind(&q.mission)
                    .bind(cursor.0)
                    .bind(cursor.1)
                    .bind(batch)
                    .fetch_all(pool)
                    .await?;
                let exhausted = (rows.len() as i64) < batch;
                for row in &rows {
                    let (doc, start, key): (i64, i64, i64) =
                        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
                    cursor = if pg { (doc, start) } else { (key, 0) };
                    match docs.last_mut() {
                        Some((d, s)) if *d == doc => *s = (*s).min(start),
                        Some(_) | None => docs.push((doc, start)),
                    }
                }
                if exhausted || docs.len() > wanted {
                    break;
                }
                batch = batch.saturating_mul(2).min(65_536);
            }
            let found: Vec<(i64, i64)> = docs
                .into_iter()
                .skip(q.offset as usize)
                .take(q.limit as usize)
                .collect();
            let mut details = Vec::with_capacity(found.len());
            let mut claims = Vec::new();
            if !found.is_empty() {
                let sql = hit_detail_sql(pg, found.len());
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (doc, start) in &found {
                    query = query.bind(*doc).bind(*start);
                }
                for d in query.fetch_all(pool).await? {
                    details.push((
                        (d.try_get::<i64, _>(0)?, d.try_get::<i64, _>(1)?),
                        (
                            d.try_get::<i64, _>(2)?,
                            d.try_get(3)?,
                            d.try_get(4)?,
                            d.try_get(5)?,
                            d.try_get(6)?,
                            d.try_get::<Vec<u8>, _>(7)?,
                        ),
                    ));
                }
                let sql = hit_claims_sql(found.len());
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(NOW_AND_EVER)
                    .bind(clearance);
                for (doc, _) in &found {
                    query = query.bind(*doc);
                }
                for c in query.fetch_all(pool).await? {
                    claims.push(raw_claim!(&c));
                }
            }
            (found, details, claims)
        });
        let (found, details, claims) = hits;
        let mut details: std::collections::HashMap<(i64, i64), Detail> =
            details.into_iter().collect();
        let mut out = Vec::with_capacity(found.len());
        for (doc, start) in found {
            let (end, title, source, lang, published, bytes) =
                details.remove(&(doc, start)).ok_or_else(|| {
                    StoreError::Corrupt(format!("passage at {start} of document {doc}"))
                })?;
            let passage = String::from_utf8(bytes).map_err(|_| {
                StoreError::Corrupt(format!(
                    "passage {start}..{end} of document {doc} splits a character"
                ))
            })?;
            let mut hit_claims = Vec::new();
            for r in claims.iter().filter(|c| {
                c.document_id == Some(doc)
                    && c.span_start.is_some_and(|s| s < end)
                    && c.span_end.is_some_and(|e| e > start)
            }) {
                hit_claims.extend(r.clone().into_claim()?);
            }
            out.push(SearchHit {
                document: DocumentId(doc),
                title,
                source,
                lang,
                published: published
                    .map(|p| {
                        p.parse::<Date>()
                            .map_err(|e| StoreError::Corrupt(format!("published {p:?}: {e}")))
                    })
                    .transpose()?,
                start: to_u64(start)?,
                end: to_u64(end)?,
                passage,
                claims: hit_claims,
            });
        }
        Ok(out)
    }
}
