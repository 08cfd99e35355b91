//! Alert subscriptions and their delivery outbox.
//!
//! A subscription says who wants which alerts (a mission or all, the kinds, how many days ahead)
//! and where they go (a webhook URL or an e-mail address). An alert is first queued in the outbox
//! ([`Store::enqueue_alerts`]), keyed by its event so the same event is never queued twice for
//! one subscription, and then delivered by a worker that reads [`Store::due_alerts`] and records
//! the outcome ([`Store::mark_delivered`], [`Store::mark_failed`]). Because the queue is in the
//! store, a restart loses nothing that was queued.

use std::collections::BTreeSet;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use crate::error::{Result, StoreError};
use crate::store::{Store, with_pool, write_tx};
use crate::types::{Clearance, UserId, ts_from_db, ts_to_db};

/// One alert subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SubscriptionId(pub i64);

/// One queued alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OutboxId(pub i64);

impl fmt::Display for SubscriptionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for OutboxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a subscriber wants to hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A mandate's period ends within the subscription's `within_days`.
    MandateLapse,
    /// A legal basis ends within the subscription's `within_days`.
    LegalBasisEnd,
    /// The latest strength report exceeds the ceiling in force today.
    CeilingExceeded,
    /// A fact was accepted into the registry.
    NewFact,
}

impl AlertKind {
    /// Every kind, in order.
    pub const ALL: [AlertKind; 4] = [
        AlertKind::MandateLapse,
        AlertKind::LegalBasisEnd,
        AlertKind::CeilingExceeded,
        AlertKind::NewFact,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::MandateLapse => "mandate_lapse",
            AlertKind::LegalBasisEnd => "legal_basis_end",
            AlertKind::CeilingExceeded => "ceiling_exceeded",
            AlertKind::NewFact => "new_fact",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for AlertKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How alerts reach the subscriber.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// An HTTP POST of the alert as JSON, signed with the subscription's secret.
    Webhook,
    /// An e-mail over SMTP.
    Email,
}

impl Channel {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Webhook => "webhook",
            Channel::Email => "email",
        }
    }

    /// The channel named `s`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "webhook" => Some(Channel::Webhook),
            "email" => Some(Channel::Email),
            _ => None,
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A subscription to create. The caller validates the target (URL or address) and the mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    /// A canonical mission id, or `None` for all missions.
    pub mission: Option<String>,
    /// At least one kind.
    pub kinds: BTreeSet<AlertKind>,
    /// How many days ahead lapses and legal-basis ends are announced.
    pub within_days: u32,
    pub channel: Channel,
    /// The webhook URL or the e-mail address.
    pub target: String,
}

/// A stored subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub owner: UserId,
    pub mission: Option<String>,
    pub kinds: BTreeSet<AlertKind>,
    pub within_days: u32,
    pub channel: Channel,
    pub target: String,
    /// The webhook signing secret (hex); `None` for e-mail. Shown to the owner once, at creation.
    #[serde(skip)]
    pub secret: Option<String>,
    /// New facts are announced from the change after this cursor on.
    pub fact_cursor: i64,
    pub created_at: Timestamp,
    pub active: bool,
}

/// An active subscription with the clearance of its owner: what the owner may be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub subscription: Subscription,
    pub clearance: Clearance,
}

/// An alert to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    /// Identifies the event; an alert with a key already queued for the subscription is ignored.
    pub event_key: String,
    /// What is sent (the webhook body; e-mails are rendered from it).
    pub payload: Value,
}

/// A queued alert and its delivery state.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub id: OutboxId,
    pub subscription: SubscriptionId,
    pub event_key: String,
    pub payload: Value,
    pub created_at: Timestamp,
    /// Failed attempts so far.
    pub attempts: u32,
    pub next_attempt_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
    pub last_error: Option<String>,
    /// Given up after too many failed attempts.
    pub dead: bool,
}

/// What became of a failed delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureOutcome {
    /// It will be tried again at the given time.
    Retry,
    /// The maximum of attempts is reached: it is not tried again.
    Dead,
}

const SUB_COLUMNS: &str = "s.id, s.owner_id, s.mission, s.kinds, s.within_days, s.channel, \
     s.target, s.secret, s.fact_cursor, s.created_at, s.active";

const OUTBOX_COLUMNS: &str = "o.id, o.subscription_id, o.event_key, o.payload, o.created_at, \
     o.attempts, o.next_attempt_at, o.delivered_at, o.last_error, o.dead";

type RawSub = (
    i64,
    i64,
    Option<String>,
    String,
    i64,
    String,
    String,
    Option<String>,
    i64,
    i64,
    i64,
);

type RawEntry = (
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    i64,
);

macro_rules! raw_sub {
    ($r:expr, $o:expr) => {{
        let r = $r;
        let o: usize = $o;
        (
            r.try_get(o)?,
            r.try_get(o + 1)?,
            r.try_get(o + 2)?,
            r.try_get(o + 3)?,
            r.try_get(o + 4)?,
            r.try_get(o + 5)?,
            r.try_get(o + 6)?,
            r.try_get(o + 7)?,
            r.try_get(o + 8)?,
            r.try_get(o + 9)?,
            r.try_get(o + 10)?,
        )
    }};
}

macro_rules! raw_entry {
    ($r:expr) => {{
        let r = $r;
        (
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
        )
    }};
}

fn sub_from(raw: RawSub) -> Result<Subscription> {
    let (id, owner, mission, kinds, within, channel, target, secret, cursor, created, active) = raw;
    let names: Vec<String> = serde_json::from_str(&kinds)
        .map_err(|e| StoreError::Corrupt(format!("subscription kinds: {e}")))?;
    let kinds = names
        .iter()
        .map(|n| {
            AlertKind::parse(n).ok_or_else(|| StoreError::Corrupt(format!("alert kind {n:?}")))
        })
        .collect::<Result<_>>()?;
    Ok(Subscription {
        id: SubscriptionId(id),
        owner: UserId(owner),
        mission,
        kinds,
        within_days: u32::try_from(within)
            .map_err(|_| StoreError::Corrupt(format!("within_days {within}")))?,
        channel: Channel::parse(&channel)
            .ok_or_else(|| StoreError::Corrupt(format!("channel {channel:?}")))?,
        target,
        secret,
        fact_cursor: cursor,
        created_at: ts_from_db(created)?,
        active: active != 0,
    })
}

fn entry_from(raw: RawEntry) -> Result<OutboxEntry> {
    let (id, sub, key, payload, created, attempts, next, delivered, error, dead) = raw;
    Ok(OutboxEntry {
        id: OutboxId(id),
        subscription: SubscriptionId(sub),
        event_key: key,
        payload: serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("alert payload: {e}")))?,
        created_at: ts_from_db(created)?,
        attempts: u32::try_from(attempts)
            .map_err(|_| StoreError::Corrupt(format!("attempts {attempts}")))?,
        next_attempt_at: ts_from_db(next)?,
        delivered_at: delivered.map(ts_from_db).transpose()?,
        last_error: error,
        dead: dead != 0,
    })
}

fn random_secret() -> Result<String> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

impl Store {
    /// Creates a subscription owned by `owner`. New facts are announced from now on (the cursor
    /// starts at the latest change). A webhook subscription gets a fresh random signing secret,
    /// returned here once.
    pub async fn create_subscription(
        &self,
        owner: UserId,
        new: &NewSubscription,
    ) -> Result<Subscription> {
        let secret = match new.channel {
            Channel::Webhook => Some(random_secret()?),
            Channel::Email => None,
        };
        let kinds: Vec<&str> = new.kinds.iter().map(|k| k.as_str()).collect();
        let kinds = serde_json::to_string(&kinds).expect("strings serialise");
        let now = ts_to_db(Timestamp::now());
        let (id, cursor): (i64, i64) = write_tx!(self, |tx, pg| {
            let cursor: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM review_events")
                .fetch_one(&mut *tx)
                .await?;
            let cursor = cursor.unwrap_or(0);
            let id: i64 = sqlx::query(
                "INSERT INTO subscriptions (owner_id, mission, kinds, within_days, channel, target, \
                 secret, fact_cursor, created_at, active) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING id",
            )
            .bind(owner.0)
            .bind(&new.mission)
            .bind(&kinds)
            .bind(i64::from(new.within_days))
            .bind(new.channel.as_str())
            .bind(&new.target)
            .bind(&secret)
            .bind(cursor)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            (id, cursor)
        });
        Ok(Subscription {
            id: SubscriptionId(id),
            owner,
            mission: new.mission.clone(),
            kinds: new.kinds.clone(),
            within_days: new.within_days,
            channel: new.channel,
            target: new.target.clone(),
            secret,
            fact_cursor: cursor,
            created_at: ts_from_db(now)?,
            active: true,
        })
    }

    /// The subscriptions of `owner`, oldest first.
    pub async fn subscriptions(&self, owner: UserId) -> Result<Vec<Subscription>> {
        let raws: Vec<RawSub> = with_pool!(self, |pool, pg| {
            let mut out = Vec::new();
            for r in sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {SUB_COLUMNS} FROM subscriptions s WHERE s.owner_id = $1 ORDER BY s.id"
            )))
            .bind(owner.0)
            .fetch_all(pool)
            .await?
            {
                out.push(raw_sub!(&r, 0));
            }
            out
        });
        raws.into_iter().map(sub_from).collect()
    }

    /// A subscription by id, if `owner` owns it.
    pub async fn subscription(
        &self,
        owner: UserId,
        id: SubscriptionId,
    ) -> Result<Option<Subscription>> {
        let raw: Option<RawSub> = with_pool!(self, |pool, pg| {
            match sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {SUB_COLUMNS} FROM subscriptions s WHERE s.id = $1 AND s.owner_id = $2"
            )))
            .bind(id.0)
            .bind(owner.0)
            .fetch_optional(pool)
            .await?
            {
                Some(r) => Some(raw_sub!(&r, 0)),
                None => None,
            }
        });
        raw.map(sub_from).transpose()
    }

    /// Every active subscription with its owner's clearance, by id.
    pub async fn active_subscriptions(&self) -> Result<Vec<Subscriber>> {
        let raws: Vec<(RawSub, i64)> = with_pool!(self, |pool, pg| {
            let mut out = Vec::new();
            for r in sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {SUB_COLUMNS}, u.clearance FROM subscriptions s \
                 JOIN users u ON u.id = s.owner_id WHERE s.active = 1 ORDER BY s.id"
            )))
            .fetch_all(pool)
            .await?
            {
                out.push((raw_sub!(&r, 0), r.try_get(11)?));
            }
            out
        });
        raws.into_iter()
            .map(|(raw, c)| {
                Ok(Subscriber {
                    subscription: sub_from(raw)?,
                    clearance: Clearance::from_db(c)?,
                })
            })
            .collect()
    }

    /// Deletes a subscription of `owner` with its queued alerts; false when `owner` has no
    /// subscription `id` (someone else's counts as none).
    pub async fn delete_subscription(&self, owner: UserId, id: SubscriptionId) -> Result<bool> {
        let n = write_tx!(self, |tx, pg| {
            let owned: Option<i64> =
                sqlx::query_scalar("SELECT id FROM subscriptions WHERE id = $1 AND owner_id = $2")
                    .bind(id.0)
                    .bind(owner.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owned.is_some() {
                sqlx::query("DELETE FROM alert_outbox WHERE subscription_id = $1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM subscriptions WHERE id = $1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            } else {
                0
            }
        });
        Ok(n > 0)
    }

    /// Queues `alerts` for subscription `id` (an alert whose event key is already queued for it is
    /// ignored) and, when given, moves its new-fact cursor forward to `fact_cursor`, in one
    /// transaction. Returns how many alerts were queued. Due at once.
    pub async fn enqueue_alerts(
        &self,
        id: SubscriptionId,
        alerts: &[NewAlert],
        fact_cursor: Option<i64>,
    ) -> Result<usize> {
        let now = ts_to_db(Timestamp::now());
        let queued = write_tx!(self, |tx, pg| {
            let mut queued = 0usize;
            for a in alerts {
                let n = sqlx::query(
                    "INSERT INTO alert_outbox (subscription_id, event_key, payload, created_at, \
                     attempts, next_attempt_at, dead) VALUES ($1, $2, $3, $4, 0, $4, 0) \
                     ON CONFLICT (subscription_id, event_key) DO NOTHING",
                )
                .bind(id.0)
                .bind(&a.event_key)
                .bind(a.payload.to_string())
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                queued += usize::try_from(n).unwrap_or(0);
            }
            if let Some(c) = fact_cursor {
                sqlx::query(
                    "UPDATE subscriptions SET fact_cursor = $1 WHERE id = $2 AND fact_cursor < $1",
                )
                .bind(c)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            }
            queued
        });
        Ok(queued)
    }

    /// Alerts due at `now` (not delivered, not dead, next attempt at or before `now`) of active
    /// subscriptions, with their subscription, soonest first, at most `limit`.
    pub async fn due_alerts(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<(OutboxEntry, Subscription)>> {
        let raws: Vec<(RawEntry, RawSub)> = with_pool!(self, |pool, pg| {
            let mut out = Vec::new();
            for r in sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {OUTBOX_COLUMNS}, {SUB_COLUMNS} FROM alert_outbox o \
                 JOIN subscriptions s ON s.id = o.subscription_id \
                 WHERE o.delivered_at IS NULL AND o.dead = 0 AND o.next_attempt_at <= $1 \
                 AND s.active = 1 ORDER BY o.next_attempt_at, o.id LIMIT $2"
            )))
            .bind(ts_to_db(now))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
            {
                out.push((raw_entry!(&r), raw_sub!(&r, 10)));
            }
            out
        });
        raws.into_iter()
            .map(|(e, s)| Ok((entry_from(e)?, sub_from(s)?)))
            .collect()
    }

    /// The queued alerts of subscription `id`, oldest first (delivered and dead ones included).
    pub async fn outbox(&self, id: SubscriptionId) -> Result<Vec<OutboxEntry>> {
        let raws: Vec<RawEntry> = with_pool!(self, |pool, pg| {
            let mut out = Vec::new();
            for r in sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {OUTBOX_COLUMNS} FROM alert_outbox o WHERE o.subscription_id = $1 ORDER BY o.id"
            )))
            .bind(id.0)
            .fetch_all(pool)
            .await?
            {
                out.push(raw_entry!(&r));
            }
            out
        });
        raws.into_iter().map(entry_from).collect()
    }

    /// Records that alert `id` was delivered at `at`; false when it was already delivered.
    pub async fn mark_delivered(&self, id: OutboxId, at: Timestamp) -> Result<bool> {
        let n = write_tx!(self, |tx, pg| sqlx::query(
            "UPDATE alert_outbox SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL"
        )
        .bind(ts_to_db(at))
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected());
        Ok(n > 0)
    }

    /// Records a failed attempt of alert `id`: tried again at `next_at`, unless this was attempt
    /// number `max_attempts`, after which it is dead.
    pub async fn mark_failed(
        &self,
        id: OutboxId,
        next_at: Timestamp,
        error: &str,
        max_attempts: u32,
    ) -> Result<FailureOutcome> {
        let attempts: Option<i64> = write_tx!(self, |tx, pg| {
            sqlx::query_scalar(
            "UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, \
             dead = CASE WHEN attempts + 1 >= $3 THEN 1 ELSE 0 END \
             WHERE id = $4 AND delivered_at IS NULL RETURNING attempts"
        )
        .bind(ts_to_db(next_at))
        .bind(error)
        .bind(i64::from(max_attempts))
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?
        });
        match attempts {
            Some(n) if n >= i64::from(max_attempts) => Ok(FailureOutcome::Dead),
            Some(_) => Ok(FailureOutcome::Retry),
            None => Err(StoreError::AlertNotPending(id)),
        }
    }
}
