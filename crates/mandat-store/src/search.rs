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

/// Matching passages below a rowid cursor (`$7`; `$8` and `$10` are unused here), newest first.
const SQLITE_SEARCH: &str = "SELECT p.document_id, p.start_byte, passages_fts.rowid FROM passages_fts \
     JOIN passages p ON p.id = passages_fts.rowid JOIN documents d ON d.id = p.document_id \
     WHERE passages_fts MATCH $1 AND passages_fts.rowid < $7 AND $8 IS NOT NULL AND $10 IS NOT NULL \
       AND d.classification <= $2 AND ($3 IS NULL OR d.lang = $3) \
       AND ($4 IS NULL OR d.published >= $4) AND ($5 IS NULL OR d.published <= $5) \
       AND ($6 IS NULL OR EXISTS (SELECT 1 FROM document_missions dm WHERE dm.document_id = d.id AND dm.mission = $6)) \
     ORDER BY passages_fts.rowid DESC LIMIT $9";

/// PostgreSQL, first way: walk the newest `$10` passages below a (document, start) cursor (none
/// when `$7` is NULL) backwards along the (document_id, start_byte) index, testing each, and stop
/// once the batch is full. Frequent words fill it after `batch / share of passages matching`
/// passages; the window bounds the walk for the others.
const PG_SEARCH_WALK: &str = "SELECT p.document_id, p.start_byte, p.id FROM \
       (SELECT w.id, w.document_id, w.start_byte, w.tsv FROM passages w \
        WHERE ($7::bigint IS NULL OR (w.document_id, w.start_byte) < ($7, $8)) \
        ORDER BY w.document_id DESC, w.start_byte DESC LIMIT $10) AS p \
     JOIN documents d ON d.id = p.document_id \
     WHERE p.tsv @@ $1::tsquery \
       AND d.classification <= $2 AND ($3::text IS NULL OR d.lang = $3) \
       AND ($4::text IS NULL OR d.published >= $4) AND ($5::text IS NULL OR d.published <= $5) \
       AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM document_missions dm WHERE dm.document_id = d.id AND dm.mission = $6)) \
     ORDER BY p.document_id DESC, p.start_byte DESC LIMIT $9";

/// PostgreSQL, first way with a mission filter: the same walk, over the newest `$10` passages of
/// the mission's documents only, driven by the (mission, document_id) index of `document_missions`
/// backwards and each document's passages along (document_id, start_byte). A word frequent in the
/// mission's documents then fills the batch after `batch / its share there` passages, however rare
/// the mission is in the archive; the unfiltered walk saw only the mission's share of its window.
const PG_SEARCH_WALK_MISSION: &str = "SELECT p.document_id, p.start_byte, p.id FROM \
       (SELECT w.id, w.document_id, w.start_byte, w.tsv FROM document_missions dm \
        JOIN passages w ON w.document_id = dm.document_id \
        WHERE dm.mission = $6 AND ($7::bigint IS NULL OR dm.document_id <= $7) \
          AND ($7::bigint IS NULL OR (w.document_id, w.start_byte) < ($7, $8)) \
        ORDER BY dm.document_id DESC, w.start_byte DESC LIMIT $10) AS p \
     JOIN documents d ON d.id = p.document_id \
     WHERE p.tsv @@ $1::tsquery \
       AND d.classification <= $2 AND ($3::text IS NULL OR d.lang = $3) \
       AND ($4::text IS NULL OR d.published >= $4) AND ($5::text IS NULL OR d.published <= $5) \
     ORDER BY p.document_id DESC, p.start_byte DESC LIMIT $9";

/// The last passage of a mission walk window (`$3` passages of mission `$4`'s documents below the
/// cursor), if the mission has that many.
const PG_WINDOW_END_MISSION: &str = "SELECT dm.document_id, w.start_byte FROM document_missions dm \
     JOIN passages w ON w.document_id = dm.document_id \
     WHERE dm.mission = $4 AND ($1::bigint IS NULL OR dm.document_id <= $1) \
       AND ($1::bigint IS NULL OR (w.document_id, w.start_byte) < ($1, $2)) \
     ORDER BY dm.document_id DESC, w.start_byte DESC OFFSET $3 - 1 LIMIT 1";

/// The last passage of a walk window (`$3` passages below the cursor), if the archive has that many.
const PG_WINDOW_END: &str = "SELECT w.document_id, w.start_byte FROM passages w \
     WHERE ($1::bigint IS NULL OR (w.document_id, w.start_byte) < ($1, $2)) AND $4::text IS NULL \
     ORDER BY w.document_id DESC, w.start_byte DESC OFFSET $3 - 1 LIMIT 1";

/// PostgreSQL, second way, once a window held too few hits: every match below the cursor from the
/// GIN index (materialised, so the planner cannot turn it back into a walk over the whole index),
/// sorted, joined to their documents in that order until the batch is full. Cost grows with the
/// matches, which are few where the newest window held few.
const PG_SEARCH_FEW: &str = "WITH m AS MATERIALIZED (SELECT p.id, p.document_id, p.start_byte FROM passages p \
       WHERE p.tsv @@ $1::tsquery AND ($7::bigint IS NULL OR (p.document_id, p.start_byte) < ($7, $8)) \
       AND $10::bigint IS NOT NULL) \
     SELECT s.document_id, s.start_byte, s.id \
     FROM (SELECT * FROM m ORDER BY m.document_id DESC, m.start_byte DESC) AS s \
     JOIN documents d ON d.id = s.document_id \
     WHERE d.classification <= $2 AND ($3::text IS NULL OR d.lang = $3) \
       AND ($4::text IS NULL OR d.published >= $4) AND ($5::text IS NULL OR d.published <= $5) \
       AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM document_missions dm WHERE dm.document_id = d.id AND dm.mission = $6)) \
     ORDER BY s.document_id DESC, s.start_byte DESC LIMIT $9";

/// Passages a PostgreSQL search walks before it reads the remaining matches from the GIN index.
/// GIN returns matches unordered, so reading it costs all matches of a word; the walk costs
/// `batch / share matching`, at most the window. A word that fills no batch within the newest
/// window matches (if spread evenly over time) less than `batch / window` of the passages, which
/// bounds the GIN read: for a first page (batch 84) under 4 % of the passages. Frequent words cost
/// only their hits, rare ones the window plus their few matches. Leaving the choice to the planner
/// was unsafe: a word it has no statistics for (a miss, a new name) was estimated common and
/// walked the whole index (1.4 s at 100,000 documents); correlated words were estimated rare and
/// read in full.
pub(crate) const PG_WALK_WINDOW: i64 = 2048;

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
    /// the cost grows with the hits read, not with all matches of a frequent word (on PostgreSQL up
    /// to a bound, see `PG_WALK_WINDOW`).
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
            // PostgreSQL: the (document_id, start_byte) index walked backwards, then the GIN
            // index for what a bounded walk did not find (see `PG_WALK_WINDOW`).
            let expr = if pg { parsed.tsquery() } else { parsed.fts5() };
            const NO_CURSOR: (i64, i64) = (i64::MAX, i64::MAX);
            let mut cursor = NO_CURSOR;
            let mut batch = (wanted as i64 + 1).saturating_mul(4).clamp(16, 4096);
            let mut docs: Vec<(i64, i64)> = Vec::new();
            // PostgreSQL walks the newest passages first and reads the rest from the GIN index
            // once a window of them held too few hits (see `PG_WALK_WINDOW`).
            let mut walk = pg;
            loop {
                let sql = match (pg, walk) {
                    (false, _) => SQLITE_SEARCH,
                    (true, true) if q.mission.is_some() => PG_SEARCH_WALK_MISSION,
                    (true, true) => PG_SEARCH_WALK,
                    (true, false) => PG_SEARCH_FEW,
                };
                // No cursor yet: NULL on PostgreSQL, so the planner drops the condition instead
                // of weighing a range over the whole index.
                let cursor_doc = (!pg || cursor != NO_CURSOR).then_some(cursor.0);
                let rows = sqlx::query(sql)
                    .bind(&expr)
                    .bind(clearance)
                    .bind(&q.lang)
                    .bind(&from)
                    .bind(&until)
                    .bind(&q.mission)
                    .bind(cursor_doc)
                    .bind(cursor.1)
                    .bind(batch)
                    .bind(self.pg_walk_window)
                    // PostgreSQL plans this per call, with the query's lexemes and filters: a
                    // cached generic plan cannot know how selective they are.
                    .persistent(!pg)
                    .fetch_all(pool)
                    .await?;
                let mut hits = Vec::with_capacity(rows.len());
                for row in &rows {
                    hits.push((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?));
                }
                let mut window_end = None;
                if walk && (hits.len() as i64) < batch {
                    // The window ran out (or the archive did): the rest come from the GIN index.
                    let sql = if q.mission.is_some() {
                        PG_WINDOW_END_MISSION
                    } else {
                        PG_WINDOW_END
                    };
                    window_end = sqlx::query(sql)
                        .bind(cursor_doc)
                        .bind(cursor.1)
                        .bind(self.pg_walk_window)
                        .bind(&q.mission)
                        .persistent(false)
                        .fetch_optional(pool)
                        .await?
                        .map(|r| Ok::<_, sqlx::Error>((r.try_get(0)?, r.try_get(1)?)))
                        .transpose()?;
                    walk = false;
                }
                let exhausted = (hits.len() as i64) < batch && window_end.is_none();
                for (doc, start, key) in hits {
                    cursor = if pg { (doc, start) } else { (key, 0) };
                    match docs.last_mut() {
                        Some((d, s)) if *d == doc => *s = (*s).min(start),
                        Some(_) | None => docs.push((doc, start)),
                    }
                }
                if let Some(end) = window_end {
                    // Continue below the walked window, whose last passage was tested.
                    cursor = end;
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
