//! Sign-in, sessions, CSRF tokens and the sign-in rate limit.
//!
//! A session is an API token created at sign-in (label `session`), sent back in an `HttpOnly`,
//! `SameSite=Strict` cookie, and revoked at sign-out; the store keeps only its hash, like any
//! token. Forms and cookie-authenticated API writes carry a CSRF token: an HMAC of the session
//! token under a per-process secret, so it cannot be computed without the cookie's value.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use hmac::{Hmac, Mac};
use mandat_store::{NewToken, User};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, AuthVia, Caller, ClientAddr};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "mandat_session";

/// Counts sign-in attempts per key (user name, client address) in fixed one-minute windows.
#[derive(Debug)]
pub struct Limiter {
    per_minute: u32,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    /// A limiter allowing `per_minute` attempts per key and minute.
    pub fn new(per_minute: u32) -> Self {
        Limiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one attempt for each key; false when any key is over its limit.
    pub fn allow(&self, keys: &[String]) -> bool {
        let mut w = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        if w.len() > 100_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let mut ok = true;
        for k in keys {
            let e = w.entry(k.clone()).or_insert((now, 0));
            if now.duration_since(e.0) >= Duration::from_secs(60) {
                *e = (now, 0);
            }
            e.1 += 1;
            ok &= e.1 <= self.per_minute;
        }
        ok
    }
}

/// The CSRF token for a session token.
pub fn csrf_token(state: &AppState, session_token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(state.secret.as_ref())
        .expect("HMAC accepts keys of any length");
    mac.update(session_token.as_bytes());
    let bytes = mac.finalize().into_bytes();
    bytes.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Whether `sent` is the CSRF token of `session_token` (compared in constant time).
pub fn csrf_ok(state: &AppState, session_token: &str, sent: &str) -> bool {
    let want = csrf_token(state, session_token);
    want.len() == sent.len()
        && want
            .bytes()
            .zip(sent.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Checks a password sign-in (rate-limited per user name and client address) and opens a session.
pub async fn sign_in(
    state: &AppState,
    name: &str,
    password: &str,
    client: ClientAddr,
) -> Result<(User, NewToken), ApiError> {
    let mut keys = vec![format!("user:{}", name.to_lowercase())];
    if let Some(ip) = client.0 {
        keys.push(format!("ip:{}", ip_key(ip)));
    }
    if !state.limiter.allow(&keys) {
        tracing::warn!(user = name, "sign-in rate limit hit");
        return Err(ApiError::TooManyRequests);
    }
    let Some(user) = state.app.store.verify_password(name, password).await? else {
        return Err(ApiError::Unauthorized);
    };
    let token = state.app.store.create_token(user.id, "session").await?;
    tracing::info!(user = %user.name, "signed in");
    Ok((user, token))
}

/// IPv6 clients are limited per /64, the block one host usually holds.
fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// Revokes the session a caller signed in with (no-op for bearer tokens and anonymous callers).
pub async fn sign_out(state: &AppState, caller: &Caller) -> Result<(), ApiError> {
    if let Some((_, AuthVia::Session { token })) = &caller.0
        && let Some(id) = token_id(token)
    {
        state.app.store.revoke_token(id).await?;
    }
    Ok(())
}

/// The public id part of a token `mdt_<id>_<secret>`.
fn token_id(token: &str) -> Option<&str> {
    token
        .strip_prefix("mdt_")?
        .split_once('_')
        .map(|(id, _)| id)
}

/// `Set-Cookie` opening a session.
pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("mandat_session=; Path=/"))
}

/// `Set-Cookie` ending a session.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("mandat_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// Sign-in with name and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// User name.
    pub name: String,
    /// Password.
    pub password: String,
}

/// The signed-in user and the session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionBody {
    /// User name.
    pub name: String,
    /// Role: reader, reviewer, editor or admin.
    pub role: String,
    /// Clearance level (0 = public).
    pub clearance: u8,
    /// The CSRF token to send as `x-csrf-token` with cookie-authenticated writes.
    pub csrf_token: Option<String>,
    /// The session token (also set as the cookie), usable as a bearer token; only in the answer
    /// to a sign-in.
    pub token: Option<String>,
}

fn session_body(state: &AppState, user: &User, token: Option<&str>, fresh: bool) -> SessionBody {
    SessionBody {
        name: user.name.clone(),
        role: user.role.to_string(),
        clearance: user.clearance.level(),
        csrf_token: token.map(|t| csrf_token(state, t)),
        token: if fresh {
            token.map(str::to_owned)
        } else {
            None
        },
    }
}

/// Signs in with a password; opens a session (cookie) and returns its token.
#[utoipa::path(
    post, path = "/api/v1/session", tag = "session",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in", body = SessionBody),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Wrong name or password", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    )
)]
async fn create_session(
    axum::extract::State(state): axum::extract::State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<SignInRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let (user, token) = sign_in(&state, &req.name, &req.password, client).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, session_cookie(&state, &token.secret));
    Ok((
        headers,
        Json(session_body(&state, &user, Some(&token.secret), true)),
    ))
}

/// The caller's identity.
#[utoipa::path(
    get, path = "/api/v1/session", tag = "session",
    responses(
        (status = 200, description = "Signed in", body = SessionBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn get_session(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
) -> Result<Json<SessionBody>, ApiError> {
    match &caller.0 {
        Some((user, AuthVia::Session { token })) => {
            Ok(Json(session_body(&state, user, Some(token), false)))
        }
        Some((user, AuthVia::Bearer)) => Ok(Json(session_body(&state, user, None, false))),
        None => Err(ApiError::Unauthorized),
    }
}

/// Signs out: revokes the session and clears the cookie.
#[utoipa::path(
    delete, path = "/api/v1/session", tag = "session",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Missing CSRF token", body = ErrorBody),
    )
)]
async fn delete_session(
    axum::extract::State(state): axum::extract::State<AppState>,
    _signed_in: crate::extract::SignedIn,
    caller: Caller,
) -> Result<impl IntoResponse, ApiError> {
    sign_out(&state, &caller).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, clear_cookie());
    Ok((StatusCode::NO_CONTENT, headers))
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_session, get_session, delete_session))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_counts_per_key_and_window() {
        let l = Limiter::new(2);
        let k = vec!["user:a".to_owned()];
        assert!(l.allow(&k));
        assert!(l.allow(&k));
        assert!(!l.allow(&k));
        assert!(l.allow(&["user:b".to_owned()]));
    }

    #[test]
    fn token_ids_are_the_public_part() {
        assert_eq!(token_id("mdt_abc123_secretpart"), Some("abc123"));
        assert_eq!(token_id("nonsense"), None);
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let a: IpAddr = "2001:db8:1:2:3:4:5:6".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::1".parse().unwrap();
        assert_eq!(ip_key(a), ip_key(b));
    }
}
