//! The change log: every review event (a claim proposed, accepted, rejected, superseded or
//! retracted) in the order it was appended, readable from a cursor. Review events are append-only
//! and their ids only grow, so an event id is a stable cursor for incremental sync.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::error::{Result, StoreError};
use crate::store::{Store, raw_claim, with_pool};
use crate::types::{Claim, Clearance, ReviewEvent};

/// One change: the event and the claim it is about, as the claim was at that event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The event; its id is the cursor of this change.
    pub event: ReviewEvent,
    /// The claim, with `status` set to the event's status.
    pub claim: Claim,
}

const CHANGES: &str = "SELECT c.id, c.fact_id, c.kind, c.missions, c.valid_from, c.recorded_at, \
     c.payload, c.document_id, c.span_start, c.span_end, c.quote, c.citation, c.supersedes, \
     c.classification, c.actor, e.status AS status, \
     e.id AS event_id, e.actor AS event_actor, e.at AS event_at, e.note AS event_note \
     FROM review_events e JOIN claims c ON c.id = e.claim_id \
     WHERE e.id > $1 AND c.classification <= $2 \
     ORDER BY e.id LIMIT $3";

/// PostgreSQL: waits for the transactions that are appending events to commit (or roll back) and
/// holds new ones back while the change log is read. Event ids come from a sequence when a row is
/// inserted, not when its transaction commits, so with concurrent writers a reader could otherwise
/// see event 101 while event 100 is still uncommitted, and a cursor or cache would move past 100
/// for good. Writers serialise only against this read, never against each other. SQLite needs
/// nothing: its writers are serialised, so ids are committed in order.
const PG_SETTLE: &str = "LOCK TABLE review_events IN SHARE MODE";

impl Store {
    /// Changes after cursor `since` (0: from the start), oldest first, at most `limit`, without
    /// claims above `clearance`. O(limit) rows read through the primary key.
    pub async fn changes(
        &self,
        since: i64,
        limit: u32,
        clearance: Clearance,
    ) -> Result<Vec<Change>> {
        let rows = with_pool!(self, |pool, pg| {
            let mut tx = pool.begin().await?;
            if pg {
                sqlx::query(PG_SETTLE).execute(&mut *tx).await?;
            }
            let rows = sqlx::query(CHANGES)
                .bind(since)
                .bind(i64::from(clearance.level()))
                .bind(i64::from(limit))
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                let event = (
                    row.try_get::<i64, _>("event_id")?,
                    row.try_get::<i64, _>("id")?,
                    row.try_get::<String, _>("status")?,
                    row.try_get::<String, _>("event_actor")?,
                    row.try_get::<i64, _>("event_at")?,
                    row.try_get::<Option<String>, _>("event_note")?,
                );
                out.push((event, raw_claim!(row)));
            }
            out
        });
        let mut out = Vec::with_capacity(rows.len());
        for (event, raw) in rows {
            let event = crate::store::event_from_parts(event)?;
            let claim = raw
                .into_claim()?
                .ok_or_else(|| StoreError::Corrupt("change without status".into()))?;
            out.push(Change { event, claim });
        }
        Ok(out)
    }

    /// The cursor of the latest change (0 when there is none). Anything derived from the accepted
    /// claims (a cached registry) is current as long as this number has not moved.
    pub async fn last_change(&self) -> Result<i64> {
        let v: Option<i64> = with_pool!(self, |pool, pg| {
            if pg {
                let mut tx = pool.begin().await?;
                sqlx::query(PG_SETTLE).execute(&mut *tx).await?;
                let v = sqlx::query_scalar("SELECT MAX(id) FROM review_events")
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                v
            } else {
                sqlx::query_scalar("SELECT MAX(id) FROM review_events")
                    .fetch_one(pool)
                    .await?
            }
        });
        Ok(v.unwrap_or(0))
    }
}
