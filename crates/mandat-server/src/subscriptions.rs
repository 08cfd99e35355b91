//! Alert subscriptions of the signed-in user: create, list, delete. Any signed-in user may
//! subscribe; alerts tell them only what their clearance lets them see.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use mandat_store::{AlertKind, Channel, NewSubscription, Subscription, SubscriptionId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{mission_id, registry_for};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, Caller, SignedIn};

/// Most subscriptions one user may hold.
const MAX_PER_USER: usize = 100;
/// Longest webhook URL or e-mail address accepted.
const MAX_TARGET: usize = 2048;
/// Largest `within_days`: ten years.
const MAX_WITHIN_DAYS: u32 = 3650;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_subscription, list_subscriptions))
        .routes(routes!(delete_subscription))
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKindName {
    /// A mandate lapses within `within_days`.
    MandateLapse,
    /// A legal basis ends within `within_days`.
    LegalBasisEnd,
    /// The latest strength report exceeds the ceiling in force.
    CeilingExceeded,
    /// A fact is accepted into the registry.
    NewFact,
}

impl From<AlertKindName> for AlertKind {
    fn from(k: AlertKindName) -> Self {
        match k {
            AlertKindName::MandateLapse => AlertKind::MandateLapse,
            AlertKindName::LegalBasisEnd => AlertKind::LegalBasisEnd,
            AlertKindName::CeilingExceeded => AlertKind::CeilingExceeded,
            AlertKindName::NewFact => AlertKind::NewFact,
        }
    }
}

impl From<AlertKind> for AlertKindName {
    fn from(k: AlertKind) -> Self {
        match k {
            AlertKind::MandateLapse => AlertKindName::MandateLapse,
            AlertKind::LegalBasisEnd => AlertKindName::LegalBasisEnd,
            AlertKind::CeilingExceeded => AlertKindName::CeilingExceeded,
            AlertKind::NewFact => AlertKindName::NewFact,
        }
    }
}

/// How alerts are delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelName {
    /// HTTP POST of the alert as JSON to `target`, signed with HMAC-SHA256
    /// (`X-Mandat-Signature: sha256=<hex of HMAC(secret, "<X-Mandat-Timestamp>.<body>")>`).
    Webhook,
    /// E-mail to the address `target`.
    Email,
}

/// A subscription to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscriptionRequest {
    /// A mission (id, name or alias); absent for all missions.
    pub mission: Option<String>,
    /// What to be told about (at least one).
    #[schema(min_items = 1)]
    pub kinds: Vec<AlertKindName>,
    /// Days ahead that lapses and legal-basis ends are announced (1 to 3650, default 30).
    #[schema(minimum = 1, maximum = 3650)]
    pub within_days: Option<u32>,
    /// How to deliver.
    pub channel: ChannelName,
    /// The webhook URL (`http` or `https`) or the e-mail address.
    #[schema(min_length = 1, max_length = 2048)]
    pub target: String,
}

/// A subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    /// Id.
    pub id: i64,
    /// The mission, or null for all.
    pub mission: Option<String>,
    /// What it is told about.
    pub kinds: Vec<AlertKindName>,
    /// Days ahead for lapses and legal-basis ends.
    pub within_days: u32,
    /// How alerts are delivered.
    pub channel: ChannelName,
    /// Webhook URL or e-mail address.
    pub target: String,
    /// When it was created.
    pub created_at: String,
}

impl From<&Subscription> for SubscriptionView {
    fn from(s: &Subscription) -> Self {
        SubscriptionView {
            id: s.id.0,
            mission: s.mission.clone(),
            kinds: s.kinds.iter().map(|k| AlertKindName::from(*k)).collect(),
            within_days: s.within_days,
            channel: match s.channel {
                Channel::Webhook => ChannelName::Webhook,
                Channel::Email => ChannelName::Email,
            },
            target: s.target.clone(),
            created_at: s.created_at.to_string(),
        }
    }
}

/// A created subscription, with its webhook secret (shown this once).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedSubscription {
    /// The subscription.
    #[serde(flatten)]
    pub subscription: SubscriptionView,
    /// The webhook signing secret; null for e-mail. Not shown again.
    pub secret: Option<String>,
}

/// Path parameter: a subscription id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SubscriptionPath {
    /// Subscription id.
    pub id: i64,
}

/// Checks a webhook URL: absolute `http`/`https` with a host, no credentials, no fragment, and
/// (unless the server allows private targets) no loopback, private or link-local address.
fn check_webhook(target: &str, allow_private: bool) -> Result<(), ApiError> {
    let url = check_url(target)?;
    crate::egress::check_target(&url, allow_private)
        .map_err(|why| ApiError::BadRequest(format!("target: {why}")))
}

/// Checks the form of a webhook URL: absolute `http`/`https` with a host, no credentials, no
/// fragment; the URL parsed.
fn check_url(target: &str) -> Result<reqwest::Url, ApiError> {
    let bad = |why: &str| ApiError::BadRequest(format!("target: {why}"));
    let url = reqwest::Url::parse(target).map_err(|e| bad(&format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("a webhook URL must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("a webhook URL needs a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("a webhook URL must not carry credentials"));
    }
    if url.fragment().is_some() {
        return Err(bad("a webhook URL must not have a fragment"));
    }
    Ok(url)
}

/// Checks an e-mail address (`name@domain`, no display name).
fn check_address(target: &str) -> Result<(), ApiError> {
    target
        .parse::<lettre::Address>()
        .map(|_| ())
        .map_err(|e| ApiError::BadRequest(format!("target: not an e-mail address ({e})")))
}

/// Subscribes the signed-in user to alerts.
#[utoipa::path(
    post, path = "/api/v1/subscriptions", tag = "alerts",
    request_body = NewSubscriptionRequest,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Created; the webhook secret is shown this once", body = CreatedSubscription),
        (status = 400, description = "Bad kinds, days, URL or address, or e-mail not configured", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Session without CSRF token", body = ErrorBody),
        (status = 404, description = "Unknown mission", body = ErrorBody),
        (status = 409, description = "Too many subscriptions", body = ErrorBody),
    )
)]
async fn create_subscription(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(req): ApiJson<NewSubscriptionRequest>,
) -> Result<(StatusCode, Json<CreatedSubscription>), ApiError> {
    let user = who.0;
    let kinds: BTreeSet<AlertKind> = req.kinds.iter().map(|k| AlertKind::from(*k)).collect();
    if kinds.is_empty() {
        return Err(ApiError::BadRequest("kinds: name at least one".into()));
    }
    let within_days = req.within_days.unwrap_or(30);
    if !(1..=MAX_WITHIN_DAYS).contains(&within_days) {
        return Err(ApiError::BadRequest(format!(
            "within_days: 1 to {MAX_WITHIN_DAYS}"
        )));
    }
    let target = req.target.trim().to_owned();
    if target.is_empty() || req.target.chars().count() > MAX_TARGET || target.len() > MAX_TARGET {
        return Err(ApiError::BadRequest(format!(
            "target: 1 to {MAX_TARGET} bytes"
        )));
    }
    let channel = match req.channel {
        ChannelName::Webhook => {
            check_webhook(&target, state.config.alerts.allow_private_targets)?;
            Channel::Webhook
        }
        ChannelName::Email => {
            if state.config.alerts.smtp.is_none() {
                return Err(ApiError::BadRequest(
                    "e-mail alerts are not configured on this server (mandat serve --smtp-url); \
                     use a webhook"
                        .into(),
                ));
            }
            check_address(&target)?;
            Channel::Email
        }
    };
    let mission = match req.mission.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m) => {
            let reg = registry_for(&state, user.clearance).await?;
            Some(mission_id(&state, &reg, m)?.to_string())
        }
    };
    let store = &state.app.store;
    if store.subscriptions(user.id).await?.len() >= MAX_PER_USER {
        return Err(ApiError::Conflict(format!(
            "{} holds {MAX_PER_USER} subscriptions already; delete one first",
            user.name
        )));
    }
    let sub = store
        .create_subscription(
            user.id,
            &NewSubscription {
                mission,
                kinds,
                within_days,
                channel,
                target,
            },
        )
        .await?;
    tracing::info!(user = %user.name, subscription = %sub.id, "subscribed to alerts");
    Ok((
        StatusCode::CREATED,
        Json(CreatedSubscription {
            subscription: SubscriptionView::from(&sub),
            secret: sub.secret.clone(),
        }),
    ))
}

/// The signed-in user's subscriptions (without their secrets).
#[utoipa::path(
    get, path = "/api/v1/subscriptions", tag = "alerts",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Subscriptions, oldest first", body = Vec<SubscriptionView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn list_subscriptions(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<SubscriptionView>>, ApiError> {
    let user = caller.user().ok_or(ApiError::Unauthorized)?;
    let subs = state.app.store.subscriptions(user.id).await?;
    Ok(Json(subs.iter().map(SubscriptionView::from).collect()))
}

/// Deletes one of the signed-in user's subscriptions, with its queued alerts.
#[utoipa::path(
    delete, path = "/api/v1/subscriptions/{id}", tag = "alerts",
    params(SubscriptionPath),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Session without CSRF token", body = ErrorBody),
        (status = 404, description = "No such subscription of this user", body = ErrorBody),
    )
)]
async fn delete_subscription(
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<SubscriptionPath>, axum::extract::rejection::PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(p) = path.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let user = who.0;
    if state
        .app
        .store
        .delete_subscription(user.id, SubscriptionId(p.id))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!(
            "subscription {} not found",
            p.id
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls() {
        assert!(check_url("https://example.org/hook?x=1").is_ok());
        assert!(check_url("http://127.0.0.1:9000/").is_ok());
        for bad in [
            "ftp://example.org/",
            "example.org/hook",
            "https://user:pw@example.org/",
            "https://example.org/#x",
            "mailto:a@example.org",
            "",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn addresses() {
        assert!(check_address("alerts@example.org").is_ok());
        for bad in [
            "alerts",
            "@example.org",
            "a@",
            "Ann <a@example.org>",
            "a b@example.org",
        ] {
            assert!(check_address(bad).is_err(), "{bad}");
        }
    }
}
