//! Write endpoints: facts and documents (editors), proposals and review (reviewers). Every handler
//! takes [`SignedIn`] first, so an anonymous write is refused before its body is read, and checks
//! the role before touching the store (which checks it again).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use mandat_core::{Fact, TimePoint};
use mandat_load::Limits;
use mandat_store::{
    ClaimFilter, ClaimId, ClaimStatus, Clearance, DocumentId, NewEvidence, ReviewDecision,
    ReviewOutcome, Role,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::ClaimView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, SignedIn};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(post_fact))
        .routes(routes!(post_document))
        .routes(routes!(list_proposals))
        .routes(routes!(accept_proposal))
        .routes(routes!(reject_proposal))
        .routes(routes!(correct_proposal))
}

/// Evidence for a fact entered by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case", tag = "type")]
pub enum EvidenceInput {
    /// A byte span `[start, end)` of a stored document's text.
    Span {
        /// Document id.
        document: i64,
        /// First byte.
        start: u64,
        /// End byte (exclusive).
        end: u64,
    },
    /// A citation (publisher, title, date, address).
    Citation {
        /// The citation.
        text: String,
    },
}

/// A fact to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFactRequest {
    /// The fact, in the data-file vocabulary (`id`, `kind`, `valid`, kind fields; see
    /// docs/data-format.md). Its recorded time is set to now.
    #[schema(value_type = Object)]
    pub fact: serde_json::Value,
    /// What supports it.
    pub evidence: EvidenceInput,
    /// Classification level (0 = public, default).
    pub classification: Option<u8>,
}

/// The recorded claim.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// Claim id.
    pub claim: i64,
    /// Fact id.
    pub fact_id: String,
}

/// Decodes a fact from JSON; a bad fact is a 400 naming the field.
fn decode_fact(mut v: serde_json::Value) -> Result<Fact, ApiError> {
    let now = jiff::Timestamp::now();
    match v.as_object_mut() {
        // Knowledge time is when the registry learns a fact, never what the client says.
        Some(o) => {
            o.insert(
                "recorded".into(),
                serde_json::Value::String(now.to_string()),
            );
        }
        None => return Err(ApiError::BadRequest("fact: expected an object".into())),
    }
    let mut fact: Fact = serde_json::from_value(v).map_err(|e| {
        let m = e.to_string();
        if m.contains("unknown field") {
            ApiError::UnknownField(format!("fact: {m}"))
        } else if m.contains("date") || m.contains("day") || m.contains("month") {
            ApiError::InvalidDate(format!("fact: {m}"))
        } else {
            ApiError::BadRequest(format!("fact: {m}"))
        }
    })?;
    fact.recorded = TimePoint::At(now);
    Ok(fact)
}

/// A registry check failure is the client's: a duplicate id or a reference to nothing.
fn check_error(e: mandat_app::AppError) -> ApiError {
    match e {
        mandat_app::AppError::Registry(mandat_core::RegistryError::DuplicateId { id, .. }) => {
            ApiError::Conflict(format!("fact `{id}` already exists"))
        }
        mandat_app::AppError::Registry(
            r @ mandat_core::RegistryError::UndefinedReference { .. },
        ) => ApiError::BadRequest(r.to_string()),
        other => other.into(),
    }
}

/// Records a fact (editor): accepted at once, with its evidence.
#[utoipa::path(
    post, path = "/api/v1/facts", tag = "review",
    request_body = NewFactRequest,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Recorded", body = Recorded),
        (status = 400, description = "Malformed fact or evidence", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an editor", body = ErrorBody),
        (status = 404, description = "Evidence document not found", body = ErrorBody),
        (status = 409, description = "Fact id exists", body = ErrorBody),
    )
)]
async fn post_fact(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(req): ApiJson<NewFactRequest>,
) -> Result<(StatusCode, Json<Recorded>), ApiError> {
    let user = who.require(Role::Editor)?;
    let fact = decode_fact(req.fact)?;
    let evidence = match req.evidence {
        EvidenceInput::Span {
            document,
            start,
            end,
        } => NewEvidence::Span {
            document: DocumentId(document),
            start,
            end,
        },
        EvidenceInput::Citation { text } if text.trim().is_empty() => {
            return Err(ApiError::BadRequest("evidence.text: empty citation".into()));
        }
        EvidenceInput::Citation { text } => NewEvidence::Citation { text },
    };
    let classification = Clearance::new(req.classification.unwrap_or(0).min(3));
    let claim = state
        .app
        .record_fact(&fact, evidence, classification, &user.actor())
        .await
        .map_err(check_error)?;
    state.cache.invalidate();
    Ok((
        StatusCode::CREATED,
        Json(Recorded {
            claim: claim.0,
            fact_id: fact.id.to_string(),
        }),
    ))
}

/// Query of a document upload.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The document's name or address (`20-6655.pdf`, a URL); its extension helps detect the type.
    #[param(min_length = 1, pattern = r"\S")]
    pub source: String,
    /// Classification level of the document (0 = public, default).
    pub classification: Option<u8>,
}

/// What an upload did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    /// The document id.
    pub document: i64,
    /// True when the same bytes were stored before (nothing written).
    pub already_present: bool,
    /// Facts proposed by extraction.
    pub proposals: usize,
}

/// Uploads a document (editor): stored once per content, extracted, its facts proposed for review.
#[utoipa::path(
    post, path = "/api/v1/documents", tag = "documents",
    params(UploadParams),
    request_body(content = Vec<u8>, description = "The document's bytes (text, HTML or PDF)",
        content_type = "application/octet-stream"),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Stored", body = Uploaded),
        (status = 200, description = "Already stored", body = Uploaded),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an editor", body = ErrorBody),
        (status = 413, description = "Too large", body = ErrorBody),
        (status = 422, description = "Not a readable document", body = ErrorBody),
    )
)]
async fn post_document(
    State(state): State<AppState>,
    who: SignedIn,
    ApiQuery(q): ApiQuery<UploadParams>,
    _headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    let user = who.require(Role::Editor)?;
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest(r.body_text())
        }
    })?;
    if q.source.trim().is_empty() {
        return Err(ApiError::BadRequest("source: empty".into()));
    }
    let limits = Limits {
        max_bytes: state.config.body_limit as u64,
    };
    let source = q.source.clone();
    let bytes = body.to_vec();
    // Loading and extraction are CPU work: keep them off the async workers.
    let loaded = tokio::task::spawn_blocking(move || {
        mandat_load::load_auto(&bytes, Some(&source), &limits).map(|d| (d, bytes))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("loader task: {e}")))?;
    let (doc, bytes) =
        loaded.map_err(|e| ApiError::UnsupportedDocument(format!("{}: {e}", q.source)))?;
    let classification = Clearance::new(q.classification.unwrap_or(0).min(3));
    let outcome = state
        .app
        .ingest_classified(&q.source, &bytes, &doc, classification, &user.actor())
        .await?;
    state.cache.invalidate();
    Ok(match outcome {
        mandat_app::Ingested::Stored {
            document,
            proposals,
        } => (
            StatusCode::CREATED,
            Json(Uploaded {
                document: document.0,
                already_present: false,
                proposals,
            }),
        ),
        mandat_app::Ingested::AlreadyPresent(id) => (
            StatusCode::OK,
            Json(Uploaded {
                document: id.0,
                already_present: true,
                proposals: 0,
            }),
        ),
    })
}

/// Query of the review queue.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProposalParams {
    /// Only proposals about this mission id.
    pub mission: Option<String>,
    /// Only from this document.
    pub document: Option<i64>,
    /// At most this many (default 100, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// The proposals a reviewer may see, oldest first.
pub async fn proposals(
    state: &AppState,
    clearance: Clearance,
    mission: Option<String>,
    document: Option<i64>,
    limit: usize,
) -> Result<Vec<ClaimView>, ApiError> {
    let filter = ClaimFilter {
        mission: mission.filter(|m| !m.trim().is_empty()),
        document: document.map(DocumentId),
        status: Some(ClaimStatus::Proposed),
        clearance,
        ..ClaimFilter::default()
    };
    let list = state.app.store.claims(&filter, None).await?;
    Ok(list.iter().take(limit).map(ClaimView::from).collect())
}

/// The review queue (reviewer).
#[utoipa::path(
    get, path = "/api/v1/proposals", tag = "review",
    params(ProposalParams),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Proposals", body = Vec<ClaimView>),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a reviewer", body = ErrorBody),
    )
)]
async fn list_proposals(
    State(state): State<AppState>,
    who: SignedIn,
    ApiQuery(q): ApiQuery<ProposalParams>,
) -> Result<Json<Vec<ClaimView>>, ApiError> {
    let user = who.require(Role::Reviewer)?;
    let limit = q.limit.unwrap_or(100);
    if limit == 0 || limit > 500 {
        return Err(ApiError::BadRequest("limit: 1 to 500".into()));
    }
    Ok(Json(
        proposals(
            &state,
            user.clearance,
            q.mission,
            q.document,
            limit as usize,
        )
        .await?,
    ))
}

/// Path parameter: a claim id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ClaimPath {
    /// Claim id.
    pub id: i64,
}

/// A review note.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// Why (kept with the decision).
    pub note: Option<String>,
}

/// A correction: the fact as it should read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectRequest {
    /// The corrected fact (same id as the proposal's).
    #[schema(value_type = Object)]
    pub fact: serde_json::Value,
    /// Why.
    pub note: Option<String>,
}

/// What a review did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reviewed {
    /// The claim decided on.
    pub claim: i64,
    /// Its new status.
    pub status: String,
    /// For a correction, the new accepted claim.
    pub replaced_by: Option<i64>,
}

/// Applies a review decision (see [`mandat_app::App::review`]) and drops the cached registries.
pub async fn review(
    state: &AppState,
    user: &mandat_store::User,
    id: i64,
    decision: ReviewDecision,
    note: Option<&str>,
) -> Result<Reviewed, ApiError> {
    let out = state
        .app
        .review(ClaimId(id), decision, &user.actor(), user.clearance, note)
        .await
        .map_err(check_error)?;
    state.cache.invalidate();
    Ok(match out {
        ReviewOutcome::StatusChanged { claim, status } => Reviewed {
            claim: claim.0,
            status: status.to_string(),
            replaced_by: None,
        },
        ReviewOutcome::Corrected { old, new } => Reviewed {
            claim: old.0,
            status: ClaimStatus::Superseded.to_string(),
            replaced_by: Some(new.0),
        },
    })
}

/// The decision of an accept or reject route, with its optional note.
async fn decide(
    state: &AppState,
    who: SignedIn,
    path: Result<Path<ClaimPath>, axum::extract::rejection::PathRejection>,
    body: &[u8],
    decision: ReviewDecision,
) -> Result<Json<Reviewed>, ApiError> {
    let user = who.require(Role::Reviewer)?.clone();
    let Path(p) = path.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let req = optional_json::<ReviewRequest>(body)?;
    Ok(Json(
        review(state, &user, p.id, decision, req.note.as_deref()).await?,
    ))
}

/// Accepts a proposal (reviewer); only accepted facts count in verdicts.
#[utoipa::path(
    post, path = "/api/v1/proposals/{id}/accept", tag = "review",
    params(ClaimPath),
    request_body(content = Option<ReviewRequest>, content_type = "application/json"),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Accepted", body = Reviewed),
        (status = 400, description = "Malformed request, or the fact does not fit", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a reviewer", body = ErrorBody),
        (status = 404, description = "No such claim", body = ErrorBody),
        (status = 409, description = "Not a proposal, or the fact id exists", body = ErrorBody),
    )
)]
async fn accept_proposal(
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<ClaimPath>, axum::extract::rejection::PathRejection>,
    body: Bytes,
) -> Result<Json<Reviewed>, ApiError> {
    decide(&state, who, path, &body, ReviewDecision::Accept).await
}

/// Rejects a proposal (reviewer).
#[utoipa::path(
    post, path = "/api/v1/proposals/{id}/reject", tag = "review",
    params(ClaimPath),
    request_body(content = Option<ReviewRequest>, content_type = "application/json"),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Rejected", body = Reviewed),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a reviewer", body = ErrorBody),
        (status = 404, description = "No such claim", body = ErrorBody),
        (status = 409, description = "Not a proposal", body = ErrorBody),
    )
)]
async fn reject_proposal(
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<ClaimPath>, axum::extract::rejection::PathRejection>,
    body: Bytes,
) -> Result<Json<Reviewed>, ApiError> {
    decide(&state, who, path, &body, ReviewDecision::Reject).await
}

/// Accepts a proposal in corrected form (reviewer): a new claim supersedes it.
#[utoipa::path(
    post, path = "/api/v1/proposals/{id}/correct", tag = "review",
    params(ClaimPath),
    request_body = CorrectRequest,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Corrected", body = Reviewed),
        (status = 400, description = "Malformed fact", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a reviewer", body = ErrorBody),
        (status = 404, description = "No such claim", body = ErrorBody),
        (status = 409, description = "Not correctable", body = ErrorBody),
    )
)]
async fn correct_proposal(
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<ClaimPath>, axum::extract::rejection::PathRejection>,
    ApiJson(req): ApiJson<CorrectRequest>,
) -> Result<Json<Reviewed>, ApiError> {
    let user = who.require(Role::Reviewer)?.clone();
    let Path(p) = path.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let fact = decode_fact(req.fact.clone())?;
    let payload = serde_json::to_value(&fact)
        .map_err(|e| ApiError::Internal(format!("encoding a fact: {e}")))?;
    let decision = ReviewDecision::Correct {
        payload,
        valid_from: Some(fact.valid.to_string()),
    };
    Ok(Json(
        review(&state, &user, p.id, decision, req.note.as_deref()).await?,
    ))
}

/// An optional JSON body: empty means the default.
fn optional_json<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        let m = e.to_string();
        if m.contains("unknown field") {
            ApiError::UnknownField(m)
        } else {
            ApiError::BadRequest(m)
        }
    })
}
