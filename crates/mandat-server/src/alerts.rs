//! The alert worker: a task started with the server that, every tick, evaluates the triggers of
//! every active subscription (queueing new events in the store's outbox) and then delivers the
//! alerts that are due, by webhook or by e-mail. A failed delivery is tried again after an
//! exponential backoff; after the last attempt it is marked dead. The outbox is in the store, so
//! a restart loses nothing: the next server delivers what the last one had not.
//!
//! Webhooks are signed: `X-Mandat-Signature: sha256=<hex>` is the HMAC-SHA256, keyed with the
//! subscription's secret (the hex string as shown at creation), of `"<timestamp>.<body>"`, where
//! `<timestamp>` is the `X-Mandat-Timestamp` header (Unix seconds). Delivery is at least once:
//! `X-Mandat-Event` carries the event key, by which a receiver drops a repeat.

use std::time::Duration;

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mandat_store::{AlertKind, Channel, FailureOutcome, OutboxEntry, Subscriber, Subscription};
use sha2::Sha256;
use tokio::sync::watch;

use crate::AppState;
use crate::error::ApiError;

/// Where e-mail alerts are sent from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// The relay: `smtp://host:port` (plain), `smtp://host:port?tls=required` (STARTTLS) or
    /// `smtps://host:port`, with optional `user:password@`.
    pub url: String,
    /// The sender address (`From:`).
    pub from: String,
}

/// How alerts are evaluated and delivered.
#[derive(Debug, Clone)]
pub struct AlertConfig {
    /// Run the worker at all (off: subscriptions are stored, nothing is sent).
    pub enabled: bool,
    /// Time between two rounds of evaluation and delivery.
    pub tick: Duration,
    /// Wait before the first retry; doubled for each further failed attempt.
    pub retry_base: Duration,
    /// Longest wait between two attempts.
    pub retry_cap: Duration,
    /// Attempts before an alert is given up (marked dead).
    pub max_attempts: u32,
    /// Time limit of one webhook request or SMTP session.
    pub timeout: Duration,
    /// The SMTP relay; without it, e-mail subscriptions are refused.
    pub smtp: Option<SmtpConfig>,
    /// Let webhooks reach loopback, private and link-local addresses (off: public addresses only,
    /// see [`crate::egress`]).
    pub allow_private_targets: bool,
}

impl Default for AlertConfig {
    fn default() -> Self {
        AlertConfig {
            enabled: true,
            tick: Duration::from_secs(30),
            retry_base: Duration::from_secs(30),
            retry_cap: Duration::from_secs(6 * 3600),
            max_attempts: 10,
            timeout: Duration::from_secs(10),
            smtp: None,
            allow_private_targets: false,
        }
    }
}

impl AlertConfig {
    /// The wait after a delivery failed for the `failed`-th time (1 for the first failure):
    /// `retry_base * 2^(failed-1)`, at most `retry_cap`.
    pub fn backoff(&self, failed: u32) -> Duration {
        let factor = 1u32
            .checked_shl(failed.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.retry_base
            .checked_mul(factor)
            .unwrap_or(self.retry_cap)
            .min(self.retry_cap)
    }
}

/// Changes read per page when looking for new facts, and pages per tick at most.
const CHANGE_PAGE: u32 = 1000;
const CHANGE_PAGES_PER_TICK: usize = 100;
/// Alerts delivered per round at most (the rest wait for the next tick).
const DELIVERIES_PER_TICK: u32 = 200;

/// The signature header value of `body` sent at `timestamp` (Unix seconds) with `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// What delivers: an HTTP client and, when configured, an SMTP transport.
#[derive(Debug)]
struct Senders {
    http: reqwest::Client,
    allow_private: bool,
    smtp: Option<(AsyncSmtpTransport<Tokio1Executor>, lettre::message::Mailbox)>,
}

/// The SMTP transport and sender of `config`; an error names what is wrong.
pub fn smtp_transport(
    config: &SmtpConfig,
    timeout: Duration,
) -> Result<(AsyncSmtpTransport<Tokio1Executor>, lettre::message::Mailbox), String> {
    let from = config
        .from
        .parse::<lettre::message::Mailbox>()
        .map_err(|e| format!("mail sender {:?}: {e}", config.from))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url)
        .map_err(|e| format!("smtp url {:?}: {e}", config.url))?
        .timeout(Some(timeout))
        .build();
    Ok((transport, from))
}

impl Senders {
    fn new(config: &AlertConfig) -> Result<Self, String> {
        let mut http = reqwest::Client::builder()
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("mandat/", env!("CARGO_PKG_VERSION")));
        if !config.allow_private_targets {
            http = http.dns_resolver(crate::egress::PublicOnly);
        }
        let http = http.build().map_err(|e| format!("http client: {e}"))?;
        let smtp = config
            .smtp
            .as_ref()
            .map(|c| smtp_transport(c, config.timeout))
            .transpose()?;
        Ok(Senders {
            http,
            allow_private: config.allow_private_targets,
            smtp,
        })
    }

    async fn send(&self, entry: &OutboxEntry, sub: &Subscription) -> Result<(), String> {
        match sub.channel {
            Channel::Webhook => self.webhook(entry, sub).await,
            Channel::Email => self.email(entry, sub).await,
        }
    }

    async fn webhook(&self, entry: &OutboxEntry, sub: &Subscription) -> Result<(), String> {
        let secret = sub
            .secret
            .as_deref()
            .ok_or("the webhook subscription has no secret")?;
        // Also at delivery: the subscription may be older than the server's current setting.
        let url = reqwest::Url::parse(&sub.target).map_err(|e| format!("webhook URL: {e}"))?;
        crate::egress::check_target(&url, self.allow_private)?;
        let body = serde_json::to_vec(&entry.payload).map_err(|e| e.to_string())?;
        let ts = Timestamp::now().as_second();
        let res = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("x-mandat-timestamp", ts.to_string())
            .header("x-mandat-signature", signature(secret, ts, &body))
            .header("x-mandat-event", &entry.event_key)
            .header("x-mandat-delivery", entry.id.to_string())
            .body(body)
            .send()
            .await
            .map_err(|e| format!("webhook: {e}"))?;
        let status = res.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("webhook answered HTTP {}", status.as_u16()))
        }
    }

    async fn email(&self, entry: &OutboxEntry, sub: &Subscription) -> Result<(), String> {
        let (transport, from) = self
            .smtp
            .as_ref()
            .ok_or("e-mail is not configured on this server")?;
        let to = sub
            .target
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| format!("recipient {:?}: {e}", sub.target))?;
        let p = &entry.payload;
        let subject = p["subject"].as_str().unwrap_or("mandat alert");
        let text = p["text"].as_str().unwrap_or("");
        let details = serde_json::to_string_pretty(&p["data"]).unwrap_or_default();
        let body = format!(
            "{text}\n\nEvent: {}\nSubscription: {}\n\n{details}\n",
            entry.event_key, sub.id
        );
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(format!("[mandat] {subject}"))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("message: {e}"))?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("smtp: {e}"))
    }
}

/// Runs until `stop` turns true (or its sender is dropped).
pub(crate) async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let config = state.config.alerts.clone();
    let senders = match Senders::new(&config) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "alert delivery is off");
            return;
        }
    };
    loop {
        if *stop.borrow() {
            break;
        }
        tokio::select! {
            r = tick(&state, &senders) => {
                if let Err(e) = r {
                    tracing::warn!(error = %e, "alert round failed");
                }
            }
            _ = stop.changed() => break,
        }
        tokio::select! {
            () = tokio::time::sleep(config.tick) => {}
            _ = stop.changed() => break,
        }
    }
    tracing::info!("alert worker stopped");
}

/// One round: evaluate every subscription, then deliver what is due.
async fn tick(state: &AppState, senders: &Senders) -> Result<(), ApiError> {
    let subs = state.app.store.active_subscriptions().await?;
    let today = crate::api::today().date();
    for s in &subs {
        if let Err(e) = evaluate(state, s, today).await {
            tracing::warn!(subscription = %s.subscription.id, error = %e, "alert triggers failed");
        }
    }
    deliver(state, senders).await
}

/// Queues the events of one subscription (and moves its new-fact cursor) in one transaction.
async fn evaluate(
    state: &AppState,
    s: &Subscriber,
    today: jiff::civil::Date,
) -> Result<(), ApiError> {
    let sub = &s.subscription;
    let reg = state.cache.get(&state.app, s.clearance).await?;
    let mut changes = Vec::new();
    let mut cursor = None;
    if sub.kinds.contains(&AlertKind::NewFact) {
        let mut since = sub.fact_cursor;
        for _ in 0..CHANGE_PAGES_PER_TICK {
            let page = state
                .app
                .store
                .changes(since, CHANGE_PAGE, s.clearance)
                .await?;
            let full = page.len() == CHANGE_PAGE as usize;
            if let Some(last) = page.last() {
                since = last.event.id.0;
                cursor = Some(since);
            }
            changes.extend(page);
            if !full {
                break;
            }
        }
    }
    let events = mandat_app::alerts::events(&reg, today, &changes, sub, s.clearance);
    if events.is_empty() && cursor.is_none() {
        return Ok(());
    }
    let alerts: Vec<_> = events.iter().map(|e| e.to_alert(sub.id)).collect();
    let queued = state
        .app
        .store
        .enqueue_alerts(sub.id, &alerts, cursor)
        .await?;
    if queued > 0 {
        tracing::info!(subscription = %sub.id, queued, "alerts queued");
    }
    Ok(())
}

/// Delivers the due alerts, recording each outcome.
async fn deliver(state: &AppState, senders: &Senders) -> Result<(), ApiError> {
    let config = &state.config.alerts;
    let store = &state.app.store;
    for (entry, sub) in store
        .due_alerts(Timestamp::now(), DELIVERIES_PER_TICK)
        .await?
    {
        match senders.send(&entry, &sub).await {
            Ok(()) => {
                store.mark_delivered(entry.id, Timestamp::now()).await?;
                tracing::info!(alert = %entry.id, event = %entry.event_key, "alert delivered");
            }
            Err(error) => {
                let wait = config.backoff(entry.attempts + 1);
                let next = Timestamp::now().checked_add(wait).unwrap_or(Timestamp::MAX);
                let outcome = store
                    .mark_failed(entry.id, next, &error, config.max_attempts)
                    .await?;
                match outcome {
                    FailureOutcome::Retry => tracing::warn!(
                        alert = %entry.id, %error, retry_in_s = wait.as_secs(), "alert delivery failed"
                    ),
                    FailureOutcome::Dead => tracing::error!(
                        alert = %entry.id, %error, "alert delivery failed for the last time"
                    ),
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let c = AlertConfig {
            retry_base: Duration::from_secs(30),
            retry_cap: Duration::from_secs(3600),
            ..AlertConfig::default()
        };
        let waits: Vec<u64> = (1..=9).map(|n| c.backoff(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(c.backoff(200), Duration::from_secs(3600));
    }

    #[test]
    fn signature_is_hmac_sha256_of_timestamp_dot_body() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let s = signature("Jefe", 0, b"what do ya want for nothing?");
        // The data signed here is "0." followed by the body, so compare with a direct HMAC.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"0.what do ya want for nothing?");
        let want: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(s, format!("sha256={want}"));
        // And the primitive itself matches the published vector.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let v: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            v,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
