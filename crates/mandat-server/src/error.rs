//! The one error type of the HTTP layer, mapped to a status and a stable code.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mandat_app::AppError;
use mandat_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// Every way a request can fail. The message of a 4xx error is shown to the client; a 5xx error is
/// logged and answered with a fixed text, so no internal detail leaks.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    InvalidDate(String),
    #[error("{0}")]
    UnknownField(String),
    #[error("{0}")]
    NotFound(String),
    #[error("sign-in or an api token is required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("too many attempts; try again in a minute")]
    TooManyRequests,
    #[error("{0}")]
    UnsupportedDocument(String),
    /// The message is logged, never sent.
    #[error("{0}")]
    Internal(String),
}

/// The JSON body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code: `bad_request`, `invalid_date`, `unknown_field`, `not_found`,
    /// `unauthorized`, `forbidden`, `conflict`, `payload_too_large`, `rate_limited`,
    /// `unreadable_document`, `internal`.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
}

impl ApiError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::InvalidDate(_) => "invalid_date",
            ApiError::UnknownField(_) => "unknown_field",
            ApiError::NotFound(_) => "not_found",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Conflict(_) => "conflict",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::TooManyRequests => "rate_limited",
            ApiError::UnsupportedDocument(_) => "unreadable_document",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::InvalidDate(_) | ApiError::UnknownField(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ApiError::UnsupportedDocument(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let mut res = (
            self.status(),
            Json(ErrorBody {
                code: self.code(),
                message,
            }),
        )
            .into_response();
        if matches!(self, ApiError::Unauthorized) {
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ClaimNotFound(_)
            | StoreError::DocumentNotFound(_)
            | StoreError::UserNotFound(_) => ApiError::NotFound(e.to_string()),
            StoreError::UserExists(_)
            | StoreError::SourceExists(_)
            | StoreError::InvalidTransition { .. } => ApiError::Conflict(e.to_string()),
            StoreError::Forbidden { .. } => ApiError::Forbidden(e.to_string()),
            StoreError::InvalidSpan { .. }
            | StoreError::NoIngestedDocument
            | StoreError::EmptyQuery
            | StoreError::InvalidSource { .. }
            | StoreError::ImportIntoNonEmpty(_)
            | StoreError::Import { .. } => ApiError::BadRequest(e.to_string()),
            StoreError::InvalidUrl { .. }
            | StoreError::NoDataDir
            | StoreError::CreateDir { .. }
            | StoreError::Database(_)
            | StoreError::Migrate(_)
            | StoreError::Io(_)
            | StoreError::Csv(_)
            | StoreError::Password(_)
            | StoreError::Random(_)
            | StoreError::AlertNotPending(_)
            | StoreError::Corrupt(_) => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Store(s) => s.into(),
            AppError::Load { .. } => ApiError::UnsupportedDocument(e.to_string()),
            AppError::CorrectionChangesId { .. }
            | AppError::InvalidSource { .. }
            | AppError::FactFile(_)
            | AppError::QuotesNotInDocument { .. }
            | AppError::Unreadable { .. } => ApiError::BadRequest(e.to_string()),
            AppError::Registry(_)
            | AppError::Missions(_)
            | AppError::Payload { .. }
            | AppError::Bundle(_) => ApiError::Internal(e.to_string()),
        }
    }
}
