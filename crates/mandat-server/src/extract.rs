//! Extractors whose rejections are [`ApiError`]s (JSON with a stable code), and the caller's
//! identity from an API token.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use mandat_store::{Clearance, User};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

/// A JSON body; malformed JSON, wrong types and unknown fields are 4xx with a code.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(r) => Err(json_rejection(r)),
        }
    }
}

fn json_rejection(r: JsonRejection) -> ApiError {
    let text = r.body_text();
    match r {
        JsonRejection::JsonDataError(_) => classify(text),
        JsonRejection::BytesRejection(_) if r.status() == 413 => ApiError::PayloadTooLarge,
        JsonRejection::JsonSyntaxError(_)
        | JsonRejection::MissingJsonContentType(_)
        | JsonRejection::BytesRejection(_) => ApiError::BadRequest(text),
        // `JsonRejection` is axum's non-exhaustive enum, not ours.
        _ => ApiError::BadRequest(text),
    }
}

fn classify(text: String) -> ApiError {
    if text.contains("unknown field") {
        ApiError::UnknownField(text)
    } else {
        ApiError::BadRequest(text)
    }
}

/// Query parameters; unknown and malformed parameters are 4xx with a code.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(classify(e.body_text())),
            Err(e) => Err(ApiError::BadRequest(e.body_text())),
        }
    }
}

/// How a caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthVia {
    /// `Authorization: Bearer` API token: not sent by browsers on their own, so no CSRF check.
    Bearer,
    /// The session cookie set at sign-in (holding a session token); writes must also carry the
    /// CSRF token derived from it.
    Session {
        /// The session token from the cookie.
        token: String,
    },
}

/// Who is asking: a user authenticated by an API token or a session cookie, or nobody. A token
/// that is present but invalid is rejected (401) rather than treated as anonymous, so a client
/// learns its token is bad; a stale session cookie counts as anonymous (the browser keeps sending
/// it after the session was revoked).
#[derive(Debug, Clone)]
pub struct Caller(pub Option<(User, AuthVia)>);

impl Caller {
    /// What this caller may see.
    pub fn clearance(&self) -> Clearance {
        self.0
            .as_ref()
            .map_or(Clearance::PUBLIC, |(u, _)| u.clearance)
    }

    /// The signed-in user, if any.
    #[allow(dead_code)]
    pub fn user(&self) -> Option<&User> {
        self.0.as_ref().map(|(u, _)| u)
    }
}

/// The value of cookie `name` in the request, if any.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or(ApiError::Unauthorized)?;
            return match state.app.store.authenticate_token(token).await? {
                Some(user) => Ok(Caller(Some((user, AuthVia::Bearer)))),
                None => Err(ApiError::Unauthorized),
            };
        }
        if let Some(token) = cookie(parts, crate::auth::SESSION_COOKIE)
            && let Some(user) = state.app.store.authenticate_token(token).await?
        {
            let via = AuthVia::Session {
                token: token.to_owned(),
            };
            return Ok(Caller(Some((user, via))));
        }
        Ok(Caller(None))
    }
}

/// A signed-in user allowed to write through the JSON API: by bearer token, or by session cookie
/// with the CSRF token in the `x-csrf-token` header. Every write handler takes this first, so an
/// anonymous write is answered 401 before its body is read.
#[derive(Debug, Clone)]
pub struct SignedIn(pub User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Caller::from_request_parts(parts, state).await? {
            Caller(Some((u, AuthVia::Bearer))) => Ok(SignedIn(u)),
            Caller(Some((u, AuthVia::Session { token }))) => {
                let sent = parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if crate::auth::csrf_ok(state, &token, sent) {
                    Ok(SignedIn(u))
                } else {
                    Err(ApiError::Forbidden(
                        "a write with a session cookie needs the x-csrf-token header".into(),
                    ))
                }
            }
            Caller(None) => Err(ApiError::Unauthorized),
        }
    }
}

impl SignedIn {
    /// Fails with 403 unless the user has at least `role`.
    pub fn require(&self, role: mandat_store::Role) -> Result<&User, ApiError> {
        if self.0.role >= role {
            Ok(&self.0)
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the {role} role; {} has {}",
                self.0.name, self.0.role
            )))
        }
    }
}

/// The client's address, when the server runs on a socket (absent in in-process tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}
