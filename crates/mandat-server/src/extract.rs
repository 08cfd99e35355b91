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

/// Who is asking: a user authenticated by an API token, or nobody. A token that is present but
/// invalid is rejected (401) rather than treated as anonymous, so a client learns its token is bad.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<User>);

impl Caller {
    /// What this caller may see.
    pub fn clearance(&self) -> Clearance {
        self.0.as_ref().map_or(Clearance::PUBLIC, |u| u.clearance)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
            return Ok(Caller(None));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        match state.app.store.authenticate_token(token).await? {
            Some(user) => Ok(Caller(Some(user))),
            None => Err(ApiError::Unauthorized),
        }
    }
}

/// A signed-in user; every write handler takes this first, so an anonymous write is answered 401
/// before its body is read.
#[derive(Debug, Clone)]
pub struct SignedIn(pub User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Caller::from_request_parts(parts, state).await? {
            Caller(Some(u)) => Ok(SignedIn(u)),
            Caller(None) => Err(ApiError::Unauthorized),
        }
    }
}
