//! Export and import as JSON Lines (lossless), and CSV exports for spreadsheets.
//!
//! An export is the primary data only: users (without password hashes or tokens: secrets never leave
//! the store), documents, translation links, sources, claims and review events, each line tagged with its
//! `type`. Search passages are derived and rebuilt on import.

use std::io::{BufRead, Write};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use crate::error::{Result, StoreError};
use crate::sources::{NewSource, SourceRecord, insert_source};
use crate::store::{
    PreparedClaim, RawClaim, Store, event_from_parts, insert_claim, insert_passages, raw_claim,
    slice, to_i64, with_pool, write_tx,
};
use crate::types::*;

const PAGE: i64 = 500;

/// A translation link between two documents (stored in both directions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLink {
    pub document: DocumentId,
    pub other: DocumentId,
    pub kind: String,
    pub actor: String,
    pub at: Timestamp,
}

/// A claim as exported: everything but the status, which the review events determine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRecord {
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
}

/// One line of an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportRecord {
    User(User),
    Document(Document),
    DocumentLink(DocumentLink),
    Source(SourceRecord),
    Claim(ClaimRecord),
    ReviewEvent(ReviewEvent),
}

/// Counts of what an import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportSummary {
    pub users: u64,
    pub documents: u64,
    pub links: u64,
    pub sources: u64,
    pub claims: u64,
    pub events: u64,
}

/// The CSV tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvTable {
    /// One row per mission with counts and the valid-time range of its effective claims.
    Missions,
    /// One row per effective `mandate_approved` claim.
    Mandates,
    /// One row per effective `strength_report` claim: the deployed-strength series.
    Strength,
}

fn write_line(w: &mut impl Write, rec: &ExportRecord) -> Result<()> {
    serde_json::to_writer(&mut *w, rec).map_err(|e| StoreError::Io(e.into()))?;
    w.write_all(b"\n")?;
    Ok(())
}

impl Store {
    /// Writes every user, document, link, source, claim and review event visible at `clearance` as JSON
    /// Lines, in id order. Pages through the tables, so memory stays bounded.
    pub async fn export_jsonl(&self, w: &mut impl Write, clearance: Clearance) -> Result<()> {
        for u in self.users().await? {
            write_line(w, &ExportRecord::User(u))?;
        }
        let mut after = None;
        loop {
            let page = self.documents(after, PAGE as u32, clearance).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            for d in page {
                write_line(w, &ExportRecord::Document(d))?;
            }
        }
        let level = i64::from(clearance.level());
        let links: Vec<(i64, i64, String, String, i64)> = with_pool!(self, |pool, pg| {
            let mut out = Vec::new();
            for r in sqlx::query(
                "SELECT l.document_id, l.other_id, l.kind, l.actor, l.at FROM document_links l \
                 JOIN documents a ON a.id = l.document_id JOIN documents b ON b.id = l.other_id \
                 WHERE a.classification <= $1 AND b.classification <= $1 ORDER BY l.id",
            )
            .bind(level)
            .fetch_all(pool)
            .await?
            {
                out.push((
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                ));
            }
            out
        });
        for (document, other, kind, actor, at) in links {
            write_line(
                w,
                &ExportRecord::DocumentLink(DocumentLink {
                    document: DocumentId(document),
                    other: DocumentId(other),
                    kind,
                    actor,
                    at: ts_from_db(at)?,
                }),
            )?;
        }
        for s in self.sources(clearance).await? {
            write_line(w, &ExportRecord::Source(s))?;
        }
        let mut after = 0i64;
        loop {
            let raws: Vec<RawClaim> = with_pool!(self, |pool, pg| {
                let mut out = Vec::new();
                for r in sqlx::query(
                    "SELECT c.id, c.fact_id, c.kind, c.missions, c.valid_from, c.recorded_at, c.payload, \
                     c.document_id, c.span_start, c.span_end, c.quote, c.citation, c.supersedes, \
                     c.classification, c.actor, 'proposed' AS status FROM claims c \
                     WHERE c.id > $1 AND c.classification <= $2 ORDER BY c.id LIMIT $3",
                )
                .bind(after)
                .bind(level)
                .bind(PAGE)
                .fetch_all(pool)
                .await?
                {
                    out.push(raw_claim!(&r));
                }
                out
            });
            let Some(last) = raws.last() else { break };
            after = last.id;
            for r in raws {
                // The status column is a placeholder here: exported claims carry no status.
                if let Some(c) = r.into_claim()? {
                    write_line(
                        w,
                        &ExportRecord::Claim(ClaimRecord {
                            id: c.id,
                            fact_id: c.fact_id,
                            kind: c.kind,
                            missions: c.missions,
                            valid_from: c.valid_from,
                            recorded_at: c.recorded_at,
                            payload: sorted_keys(c.payload),
                            evidence: c.evidence,
                            supersedes: c.supersedes,
                            classification: c.classification,
                            actor: c.actor,
                        }),
                    )?;
                }
            }
        }
        let mut after = 0i64;
        loop {
            type RawEvent = (i64, i64, String, String, i64, Option<String>);
            let events: Vec<RawEvent> = with_pool!(self, |pool, pg| {
                let mut out = Vec::new();
                for r in sqlx::query(
                    "SELECT e.id, e.claim_id, e.status, e.actor, e.at, e.note FROM review_events e \
                     JOIN claims c ON c.id = e.claim_id WHERE e.id > $1 AND c.classification <= $2 \
                     ORDER BY e.id LIMIT $3",
                )
                .bind(after)
                .bind(level)
                .bind(PAGE)
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
                    ));
                }
                out
            });
            let Some(last) = events.last() else { break };
            after = last.0;
            for e in events {
                write_line(w, &ExportRecord::ReviewEvent(event_from_parts(e)?))?;
            }
        }
        w.flush()?;
        Ok(())
    }

    /// Imports an export into an empty store, keeping every id, in one transaction: a bad line
    /// leaves the store empty. Users come without passwords (set them afterwards).
    pub async fn import_jsonl(&self, r: impl BufRead, actor: &Actor) -> Result<ImportSummary> {
        actor.require(Role::Admin)?;
        let mut records = Vec::new();
        for (i, line) in r.lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let rec: ExportRecord =
                serde_json::from_str(&line).map_err(|e| StoreError::Import {
                    line: i + 1,
                    reason: e.to_string(),
                })?;
            records.push((i + 1, rec));
        }
        // References point backwards (claims to documents, corrections to older claims), and search
        // relies on documents being inserted in id order: restore export order whatever the input.
        let rank = |r: &ExportRecord| match r {
            ExportRecord::User(u) => (0, u.id.0),
            ExportRecord::Document(d) => (1, d.id.0),
            ExportRecord::DocumentLink(_) => (2, 0),
            // Sources keep their line order (the order they were recorded in).
            ExportRecord::Source(_) => (3, 0),
            ExportRecord::Claim(c) => (4, c.id.0),
            ExportRecord::ReviewEvent(e) => (5, e.id.0),
        };
        records.sort_by_key(|(_, r)| rank(r));
        let st = self.status().await?;
        let held = st.documents.unwrap_or(0) + st.claims.unwrap_or(0) + st.users.unwrap_or(0);
        if held > 0 {
            return Err(StoreError::ImportIntoNonEmpty(held));
        }
        let mut sum = ImportSummary::default();
        write_tx!(self, |tx, pg| {
            for (line, rec) in &records {
                let bad = |reason: String| StoreError::Import {
                    line: *line,
                    reason,
                };
                match rec {
                    ExportRecord::User(u) => {
                        sqlx::query(
                            "INSERT INTO users (id, name, role, clearance, password_hash, created_at) \
                             VALUES ($1, $2, $3, $4, NULL, $5)",
                        )
                        .bind(u.id.0)
                        .bind(&u.name)
                        .bind(u.role.as_str())
                        .bind(i64::from(u.clearance.level()))
                        .bind(ts_to_db(u.created_at))
                        .execute(&mut *tx)
                        .await?;
                        sum.users += 1;
                    }
                    ExportRecord::Document(d) => {
                        sqlx::query(
                            "INSERT INTO documents (id, content_hash, source, media_type, lang, title, published, \
                             text, bytes_len, classification, actor, ingested_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                        )
                        .bind(d.id.0)
                        .bind(&d.content_hash)
                        .bind(&d.source)
                        .bind(&d.media_type)
                        .bind(&d.lang)
                        .bind(&d.title)
                        .bind(d.published.map(|p| p.to_string()))
                        .bind(&d.text)
                        .bind(to_i64(d.bytes_len)?)
                        .bind(i64::from(d.classification.level()))
                        .bind(&d.actor)
                        .bind(ts_to_db(d.ingested_at))
                        .execute(&mut *tx)
                        .await?;
                        let mut seen = std::collections::BTreeSet::new();
                        for m in &d.missions {
                            if seen.insert(m) {
                                sqlx::query("INSERT INTO document_missions (document_id, mission) VALUES ($1, $2)")
                                    .bind(d.id.0)
                                    .bind(m)
                                    .execute(&mut *tx)
                                    .await?;
                            }
                        }
                        let lang = crate::text::StemLang::for_lang(&d.lang);
                        let cut = crate::text::passages(&d.text, lang);
                        insert_passages!(tx, pg, d.id.0, &cut, lang);
                        sum.documents += 1;
                    }
                    ExportRecord::DocumentLink(l) => {
                        sqlx::query(
                            "INSERT INTO document_links (document_id, other_id, kind, actor, at) \
                             VALUES ($1, $2, $3, $4, $5)",
                        )
                        .bind(l.document.0)
                        .bind(l.other.0)
                        .bind(&l.kind)
                        .bind(&l.actor)
                        .bind(ts_to_db(l.at))
                        .execute(&mut *tx)
                        .await?;
                        sum.links += 1;
                    }
                    ExportRecord::Source(r) => {
                        let new = NewSource {
                            id: r.id.clone(),
                            publisher: r.publisher.clone(),
                            title: r.title.clone(),
                            date: r.date.clone(),
                            url: r.url.clone(),
                            lang: r.lang.clone(),
                            printed_paper: r.printed_paper.clone(),
                            document: r.document,
                            missions: r.missions.clone(),
                        };
                        insert_source!(tx, &new, &r.actor, ts_to_db(r.created_at));
                        sum.sources += 1;
                    }
                    ExportRecord::Claim(c) => {
                        let (document, span, citation) = match &c.evidence {
                            Evidence::Span {
                                document,
                                start,
                                end,
                                quote,
                            } => {
                                let text: String =
                                    sqlx::query("SELECT text FROM documents WHERE id = $1")
                                        .bind(document.0)
                                        .fetch_optional(&mut *tx)
                                        .await?
                                        .ok_or_else(|| {
                                            bad(format!(
                                                "claim {} cites unknown document {document}",
                                                c.id
                                            ))
                                        })?
                                        .try_get(0)?;
                                if slice(&text, *start, *end)? != *quote {
                                    return Err(bad(format!(
                                        "claim {} quote does not match its span",
                                        c.id
                                    )));
                                }
                                (
                                    Some(document.0),
                                    Some((to_i64(*start)?, to_i64(*end)?, quote.clone())),
                                    None,
                                )
                            }
                            Evidence::Citation { text } => (None, None, Some(text.clone())),
                            Evidence::Unsourced => (None, None, None),
                        };
                        let p = PreparedClaim {
                            fact_id: c.fact_id.as_str().to_owned(),
                            kind: c.kind.clone(),
                            missions: c.missions.clone(),
                            valid_from: c.valid_from.clone(),
                            recorded_at: ts_to_db(c.recorded_at),
                            payload: c.payload.clone(),
                            document,
                            span,
                            citation,
                            supersedes: c.supersedes.map(|s| s.0),
                            classification: i64::from(c.classification.level()),
                        };
                        insert_claim!(tx, &p, Some(c.id.0), None::<ClaimStatus>, &c.actor, 0i64);
                        sum.claims += 1;
                    }
                    ExportRecord::ReviewEvent(e) => {
                        sqlx::query(
                            "INSERT INTO review_events (id, claim_id, status, actor, at, note) \
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(e.id.0)
                        .bind(e.claim_id.0)
                        .bind(e.status.as_str())
                        .bind(&e.actor)
                        .bind(ts_to_db(e.at))
                        .bind(&e.note)
                        .execute(&mut *tx)
                        .await?;
                        sum.events += 1;
                    }
                }
            }
            if pg {
                // Explicit ids do not advance identity sequences; move them past the imported rows.
                for sql in [
                    "SELECT setval(pg_get_serial_sequence('users', 'id'), COALESCE((SELECT MAX(id) FROM users), 0) + 1, false)",
                    "SELECT setval(pg_get_serial_sequence('documents', 'id'), COALESCE((SELECT MAX(id) FROM documents), 0) + 1, false)",
                    "SELECT setval(pg_get_serial_sequence('document_links', 'id'), COALESCE((SELECT MAX(id) FROM document_links), 0) + 1, false)",
                    "SELECT setval(pg_get_serial_sequence('claims', 'id'), COALESCE((SELECT MAX(id) FROM claims), 0) + 1, false)",
                    "SELECT setval(pg_get_serial_sequence('review_events', 'id'), COALESCE((SELECT MAX(id) FROM review_events), 0) + 1, false)",
                ] {
                    sqlx::query(sql).execute(&mut *tx).await?;
                }
            }
        });
        Ok(sum)
    }

    /// Writes one CSV table computed from the effective claims as known at `as_of`.
    pub async fn export_csv(
        &self,
        table: CsvTable,
        as_of: Option<Timestamp>,
        clearance: Clearance,
        w: impl Write,
    ) -> Result<()> {
        let filter = |kind: Option<&str>| ClaimFilter {
            kind: kind.map(str::to_owned),
            clearance,
            ..ClaimFilter::default()
        };
        let mut out = csv::Writer::from_writer(w);
        let field = |v: &Value| match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let source = |e: &Evidence| match e {
            Evidence::Span {
                document,
                start,
                end,
                ..
            } => format!("document {document} [{start}, {end})"),
            Evidence::Citation { text } => text.clone(),
            Evidence::Unsourced => String::new(),
        };
        match table {
            CsvTable::Mandates => {
                out.write_record([
                    "mission",
                    "fact_id",
                    "valid_from",
                    "ceiling",
                    "period_from",
                    "period_until",
                    "source",
                    "claim_id",
                ])?;
                for c in self
                    .claims(&filter(Some("mandate_approved")), as_of)
                    .await?
                {
                    for m in missions_or_blank(&c.missions) {
                        out.write_record([
                            m.as_str(),
                            c.fact_id.as_str(),
                            c.valid_from.as_deref().unwrap_or(""),
                            &field(&c.payload["ceiling"]),
                            &field(&c.payload["period"]["from"]),
                            &field(&c.payload["period"]["until"]),
                            &source(&c.evidence),
                            &c.id.to_string(),
                        ])?;
                    }
                }
            }
            CsvTable::Strength => {
                out.write_record([
                    "mission",
                    "fact_id",
                    "valid_from",
                    "count",
                    "source",
                    "claim_id",
                ])?;
                for c in self.claims(&filter(Some("strength_report")), as_of).await? {
                    for m in missions_or_blank(&c.missions) {
                        out.write_record([
                            m.as_str(),
                            c.fact_id.as_str(),
                            c.valid_from.as_deref().unwrap_or(""),
                            &field(&c.payload["count"]),
                            &source(&c.evidence),
                            &c.id.to_string(),
                        ])?;
                    }
                }
            }
            CsvTable::Missions => {
                #[derive(Default)]
                struct Row {
                    facts: u64,
                    mandates: u64,
                    strength_reports: u64,
                    first: Option<String>,
                    last: Option<String>,
                }
                let mut rows: std::collections::BTreeMap<String, Row> = Default::default();
                for c in self.claims(&filter(None), as_of).await? {
                    for m in &c.missions {
                        let r = rows.entry(m.clone()).or_default();
                        r.facts += 1;
                        r.mandates += u64::from(c.kind == "mandate_approved");
                        r.strength_reports += u64::from(c.kind == "strength_report");
                        if let Some(v) = &c.valid_from {
                            if r.first.as_ref().is_none_or(|f| v < f) {
                                r.first = Some(v.clone());
                            }
                            if r.last.as_ref().is_none_or(|l| v > l) {
                                r.last = Some(v.clone());
                            }
                        }
                    }
                }
                out.write_record([
                    "mission",
                    "facts",
                    "mandates",
                    "strength_reports",
                    "first_valid",
                    "last_valid",
                ])?;
                for (m, r) in rows {
                    out.write_record([
                        m.as_str(),
                        &r.facts.to_string(),
                        &r.mandates.to_string(),
                        &r.strength_reports.to_string(),
                        r.first.as_deref().unwrap_or(""),
                        r.last.as_deref().unwrap_or(""),
                    ])?;
                }
            }
        }
        out.flush()?;
        Ok(())
    }
}

fn missions_or_blank(missions: &[String]) -> Vec<String> {
    if missions.is_empty() {
        vec![String::new()]
    } else {
        missions.to_vec()
    }
}

/// The value with every object's keys in sorted order. An export must be the same bytes whichever
/// backend it comes from (PostgreSQL's JSONB reorders keys) and whichever serde_json features the
/// build enables (`preserve_order` keeps the order a value was read in).
fn sorted_keys(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sorted_keys(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted_keys).collect()),
        other => other,
    }
}
