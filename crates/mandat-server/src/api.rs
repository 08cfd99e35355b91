//! Read endpoints of the JSON API. Every answer is filtered by the caller's clearance: the registry
//! a verdict is computed from, documents, claims, search hits and changes.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use mandat_core::{Fact, FactKind, MandateTerms, MissionId, Registry, TimePoint};
use mandat_rules::{Deadline, Options, Query, evaluate};
use mandat_store::{ClaimFilter, ClaimStatus, Clearance, DocumentId, SearchQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::cache::StatusKey;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiQuery, Caller};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_missions))
        .routes(routes!(get_mission))
        .routes(routes!(mission_status))
        .routes(routes!(mission_mandates))
        .routes(routes!(mission_strength))
        .routes(routes!(mission_gaps))
        .routes(routes!(list_deadlines))
        .routes(routes!(list_documents))
        .routes(routes!(get_document))
        .routes(routes!(search))
        .routes(routes!(changes))
}

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by the web UI and the feeds)

/// Today in Europe/Berlin, the time zone of the rules.
pub fn today() -> TimePoint {
    TimePoint::Day(mandat_core::berlin_date(jiff::Timestamp::now()))
}

/// Parses a date parameter: `today`, `YYYY-MM-DD` or an instant with offset.
pub fn time_param(name: &str, value: Option<&str>) -> Result<Option<TimePoint>, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("today") => Ok(Some(today())),
        Some(v) => v
            .parse::<TimePoint>()
            .map(Some)
            .map_err(|e| ApiError::InvalidDate(format!("{name}={v}: {e}"))),
    }
}

/// Rule options from `name=value` pairs separated by commas, on top of the defaults.
pub fn options_param(value: Option<&str>) -> Result<Options, ApiError> {
    let mut o = Options::default();
    for pair in value
        .unwrap_or("")
        .split(',')
        .filter(|p| !p.trim().is_empty())
    {
        o.set_pair(pair)
            .map_err(|e| ApiError::BadRequest(format!("options: {e}")))?;
    }
    Ok(o)
}

/// The registry the caller may see.
pub async fn registry_for(
    state: &AppState,
    clearance: Clearance,
) -> Result<Arc<Registry>, ApiError> {
    state.cache.get(&state.app, clearance).await
}

/// Resolves a mission id, name or alias; 404 with the nearest names otherwise.
pub fn mission_id(state: &AppState, reg: &Registry, input: &str) -> Result<MissionId, ApiError> {
    mandat_app::resolve_mission(input, state.app.missions(), reg)
        .map_err(|e| ApiError::NotFound(e.to_string()))
}

/// A mission's mandates (approved mandates naming it), in order of their start.
pub fn mandates_of<'r>(
    reg: &'r Registry,
    mission: &MissionId,
) -> Vec<(&'r Fact, &'r MandateTerms)> {
    let mut out: Vec<(&Fact, &MandateTerms)> = reg
        .mission_facts(mission)
        .filter_map(|f| match &f.kind {
            FactKind::MandateApproved { terms, .. } => Some((f, terms)),
            _ => None,
        })
        .collect();
    out.sort_by_key(|(f, t)| (t.period.map(|p| p.from()), f.valid.start()));
    out
}

// ---------------------------------------------------------------------------------------------
// Missions

/// A mission with its status today.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissionSummary {
    /// Canonical id (`KFOR`).
    pub id: String,
    /// German name.
    pub name_de: String,
    /// English name.
    pub name_en: String,
    /// Leading organisation (`NATO`, `EU`, `UN`, ...).
    pub organisation: Option<String>,
    /// Area of operations.
    pub area: Option<String>,
    /// Status today (`covered`, `expired`, ...).
    pub status: String,
    /// Ceiling in force today.
    pub ceiling: Option<u32>,
    /// Covering (or last) mandate's fact id.
    pub mandate: Option<String>,
    /// Latest reported strength on or before today.
    pub strength: Option<u32>,
    /// Number of facts about the mission.
    pub facts: usize,
}

/// Summaries of every mission with facts, sorted by id.
pub fn mission_summaries(state: &AppState, reg: &Registry) -> Vec<MissionSummary> {
    // `Registry::missions` is sorted by id.
    reg.missions()
        .into_iter()
        .map(|m| mission_summary(state, reg, m))
        .collect()
}

/// The summary of one mission, with its status today.
pub fn mission_summary(state: &AppState, reg: &Registry, m: &MissionId) -> MissionSummary {
    let on = today();
    let v = evaluate(
        reg,
        &Query {
            mission: m.clone(),
            on,
            as_of: None,
        },
        &Options::default(),
    );
    let entry = state.app.missions().get(m.as_str());
    MissionSummary {
        id: m.to_string(),
        name_de: entry.map_or_else(|| m.to_string(), |e| e.name.de.clone()),
        name_en: entry.map_or_else(|| m.to_string(), |e| e.name.en.clone()),
        organisation: entry.map(|e| organisation_name(e.organisation).to_owned()),
        area: entry.map(|e| e.area.clone()),
        status: v.status.name().to_owned(),
        ceiling: v.ceiling.map(|c| c.get()),
        mandate: v.mandate.map(|f| f.to_string()),
        strength: latest_strength(reg, m, on),
        facts: reg.mission_facts(m).count() + reg.strength_reports(m).count(),
    }
}

/// The organisation as the mission registry spells it.
pub fn organisation_name(o: mandat_extract::missions::Organisation) -> &'static str {
    match o {
        mandat_extract::missions::Organisation::Nato => "NATO",
        mandat_extract::missions::Organisation::Eu => "EU",
        mandat_extract::missions::Organisation::Un => "UN",
        mandat_extract::missions::Organisation::Coalition => "coalition",
        mandat_extract::missions::Organisation::National => "national",
    }
}

fn latest_strength(reg: &Registry, m: &MissionId, on: TimePoint) -> Option<u32> {
    match reg.latest_strength(m, &on, None).map(|f| &f.kind) {
        Some(FactKind::StrengthReport { count, .. }) => Some(*count),
        _ => None,
    }
}

/// Lists missions with their status today.
#[utoipa::path(
    get, path = "/api/v1/missions", tag = "missions",
    responses((status = 200, description = "Missions", body = Vec<MissionSummary>))
)]
async fn list_missions(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<MissionSummary>>, ApiError> {
    let reg = registry_for(&state, caller.clearance()).await?;
    Ok(Json(mission_summaries(&state, &reg)))
}

/// One mission: names, aliases, status today and its mandates.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissionDetail {
    /// The summary.
    #[serde(flatten)]
    pub summary: MissionSummary,
    /// Other names it is known by.
    pub aliases: Vec<String>,
    /// The mission it followed.
    pub predecessor: Option<String>,
    /// The mission that followed it.
    pub successor: Option<String>,
    /// Its mandates, oldest first.
    pub mandates: Vec<MandateView>,
}

/// Path parameter: a mission id, name or alias.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MissionPath {
    /// Mission id, name or alias (`KFOR`, `Kosovo Force`).
    pub id: String,
}

/// A mission with its mandates.
#[utoipa::path(
    get, path = "/api/v1/missions/{id}", tag = "missions",
    params(MissionPath),
    responses(
        (status = 200, description = "The mission", body = MissionDetail),
        (status = 404, description = "Unknown mission", body = ErrorBody),
    )
)]
async fn get_mission(
    State(state): State<AppState>,
    caller: Caller,
    Path(p): Path<MissionPath>,
) -> Result<Json<MissionDetail>, ApiError> {
    let reg = registry_for(&state, caller.clearance()).await?;
    let id = mission_id(&state, &reg, &p.id)?;
    if !reg.missions().contains(&&id) {
        return Err(ApiError::NotFound(format!("no facts about mission `{id}`")));
    }
    let summary = mission_summary(&state, &reg, &id);
    let entry = state.app.missions().get(id.as_str());
    Ok(Json(MissionDetail {
        summary,
        aliases: entry.map(|e| e.aliases.clone()).unwrap_or_default(),
        predecessor: entry.and_then(|e| e.predecessor.clone()),
        successor: entry.and_then(|e| e.successor.clone()),
        mandates: mandate_views(&reg, &id),
    }))
}

/// Query of a status request.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatusParams {
    /// Valid time: `YYYY-MM-DD`, an instant with offset, or `today` (default).
    pub on: Option<String>,
    /// Knowledge time: only facts recorded by then count (default: everything recorded).
    pub as_of: Option<String>,
    /// Interpretation options, `name=value` pairs separated by commas.
    pub options: Option<String>,
}

/// A verdict with the sources its explanation cites.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusBody {
    /// The verdict: status, covering mandate, ceiling, ceiling check, next deadline, warnings and
    /// the explanation tree (every node with its rule and facts).
    #[schema(value_type = Object)]
    pub verdict: mandat_rules::Verdict,
    /// The sources cited anywhere in the explanation.
    #[schema(value_type = Vec<Object>)]
    pub sources: Vec<mandat_core::Source>,
}

/// The verdict for a mission on a date, as known at a date, with its explanation and citations.
#[utoipa::path(
    get, path = "/api/v1/missions/{id}/status", tag = "missions",
    params(MissionPath, StatusParams),
    responses(
        (status = 200, description = "The verdict", body = StatusBody),
        (status = 400, description = "Bad date or option", body = ErrorBody),
        (status = 404, description = "Unknown mission", body = ErrorBody),
    )
)]
async fn mission_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(p): Path<MissionPath>,
    ApiQuery(q): ApiQuery<StatusParams>,
) -> Result<Response, ApiError> {
    let on = time_param("on", q.on.as_deref())?.unwrap_or_else(today);
    let as_of = time_param("as_of", q.as_of.as_deref())?;
    let options = options_param(q.options.as_deref())?;
    let clearance = caller.clearance();
    let snapshot = state.cache.snapshot(&state.app, clearance).await?;
    let key = StatusKey {
        clearance,
        mission: p.id,
        on,
        as_of,
        options,
    };
    if let Some(body) = state.cache.status_body(snapshot.generation, &key) {
        return Ok(json_response(body));
    }
    let reg = &snapshot.registry;
    let mission = mission_id(&state, reg, &key.mission)?;
    let verdict = evaluate(reg, &Query { mission, on, as_of }, &options);
    let sources = mandat_rules::cited_sources(&verdict.explanation, reg)
        .into_iter()
        .cloned()
        .collect();
    let body = Bytes::from(
        serde_json::to_vec(&StatusBody { verdict, sources })
            .map_err(|e| ApiError::Internal(format!("encoding a verdict: {e}")))?,
    );
    state
        .cache
        .keep_status_body(snapshot.generation, key, body.clone());
    Ok(json_response(body))
}

/// A JSON answer from bytes serialised before (what [`Json`] would send).
fn json_response(body: Bytes) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// A mandate with what changed from the previous one.
#[derive(Debug, Serialize, ToSchema)]
pub struct MandateView {
    /// The approval's fact id.
    pub fact_id: String,
    /// When it was approved (valid time of the approval).
    pub approved: String,
    /// Its terms: missions, ceiling, period, legal bases, dependency, conditions, overrun
    /// permission, area, costs, printed paper.
    #[schema(value_type = Object)]
    pub terms: MandateTerms,
    /// The mandates it supersedes.
    pub supersedes: Vec<String>,
    /// The mandate it follows (explicitly superseded, or the one before it).
    pub previous: Option<String>,
    /// What changed from `previous`.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<mandat_core::MandateChange>,
    /// The source citation.
    #[schema(value_type = Option<Object>)]
    pub source: Option<mandat_core::Citation>,
}

/// The mandates of a mission, each with its diff to the previous one.
pub fn mandate_views(reg: &Registry, mission: &MissionId) -> Vec<MandateView> {
    let list = mandates_of(reg, mission);
    let mut out = Vec::with_capacity(list.len());
    for (i, (f, terms)) in list.iter().enumerate() {
        let supersedes = match &f.kind {
            FactKind::MandateApproved { supersedes, .. } => supersedes.clone(),
            _ => Vec::new(),
        };
        let prev = supersedes
            .first()
            .and_then(|id| list.iter().find(|(g, _)| &g.id == id))
            .or_else(|| i.checked_sub(1).and_then(|j| list.get(j)));
        out.push(MandateView {
            fact_id: f.id.to_string(),
            approved: f.valid.to_string(),
            terms: (*terms).clone(),
            supersedes: supersedes.iter().map(ToString::to_string).collect(),
            previous: prev.map(|(g, _)| g.id.to_string()),
            changes: prev
                .map(|(_, t)| mandat_core::mandate_diff(t, terms))
                .unwrap_or_default(),
            source: f.source.clone(),
        });
    }
    out
}

/// A mission's mandates, oldest first, with the changes from each predecessor.
#[utoipa::path(
    get, path = "/api/v1/missions/{id}/mandates", tag = "missions",
    params(MissionPath),
    responses(
        (status = 200, description = "Mandates", body = Vec<MandateView>),
        (status = 404, description = "Unknown mission", body = ErrorBody),
    )
)]
async fn mission_mandates(
    State(state): State<AppState>,
    caller: Caller,
    Path(p): Path<MissionPath>,
) -> Result<Json<Vec<MandateView>>, ApiError> {
    let reg = registry_for(&state, caller.clearance()).await?;
    let id = mission_id(&state, &reg, &p.id)?;
    Ok(Json(mandate_views(&reg, &id)))
}

/// A reported strength.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StrengthPoint {
    /// When (valid time).
    pub on: String,
    /// Soldiers deployed.
    pub count: u32,
    /// The fact.
    pub fact_id: String,
}

/// A ceiling in force over a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CeilingSpan {
    /// First day.
    pub from: String,
    /// Last day, absent when open-ended.
    pub until: Option<String>,
    /// The ceiling; absent when the mandate sets none.
    pub ceiling: Option<u32>,
    /// The mandate.
    pub mandate: String,
}

/// Strength reports and ceilings over time.
#[derive(Debug, Serialize, ToSchema)]
pub struct StrengthSeries {
    /// The mission.
    pub mission: String,
    /// Reported strength, oldest first.
    pub strength: Vec<StrengthPoint>,
    /// Ceilings of the mandates, oldest first.
    pub ceilings: Vec<CeilingSpan>,
}

/// The strength series and ceilings of a mission.
pub fn strength_series(reg: &Registry, mission: &MissionId) -> StrengthSeries {
    let strength: Vec<StrengthPoint> = reg
        .strength_reports(mission)
        .filter_map(|f| match &f.kind {
            FactKind::StrengthReport { count, .. } => Some(StrengthPoint {
                on: f.valid.to_string(),
                count: *count,
                fact_id: f.id.to_string(),
            }),
            _ => None,
        })
        .collect();
    let ceilings = mandates_of(reg, mission)
        .into_iter()
        .filter_map(|(f, t)| {
            let p = t.period?;
            Some(CeilingSpan {
                from: p.from().to_string(),
                until: p.last().map(|d| d.to_string()),
                ceiling: t.ceiling.map(|c| c.get()),
                mandate: f.id.to_string(),
            })
        })
        .collect();
    StrengthSeries {
        mission: mission.to_string(),
        strength,
        ceilings,
    }
}

/// Reported strength and mandated ceilings of a mission over time.
#[utoipa::path(
    get, path = "/api/v1/missions/{id}/strength", tag = "missions",
    params(MissionPath),
    responses(
        (status = 200, description = "Series", body = StrengthSeries),
        (status = 404, description = "Unknown mission", body = ErrorBody),
    )
)]
async fn mission_strength(
    State(state): State<AppState>,
    caller: Caller,
    Path(p): Path<MissionPath>,
) -> Result<Json<StrengthSeries>, ApiError> {
    let reg = registry_for(&state, caller.clearance()).await?;
    let id = mission_id(&state, &reg, &p.id)?;
    Ok(Json(strength_series(&reg, &id)))
}

/// Days between two approved mandates of a mission that no approved mandate covers.
#[derive(Debug, Serialize, ToSchema)]
pub struct GapView {
    /// The first day without a mandate.
    pub from: String,
    /// The last day without a mandate.
    pub until: String,
    /// Number of days.
    pub days: i64,
    /// The mandate whose coverage ended the day before `from`.
    pub after: String,
    /// The mandate whose period starts the day after `until`.
    pub before: String,
}

impl From<&mandat_rules::CoverageGap> for GapView {
    fn from(g: &mandat_rules::CoverageGap) -> Self {
        GapView {
            from: g.from.to_string(),
            until: g.until.to_string(),
            days: g.days(),
            after: g.after.to_string(),
            before: g.before.to_string(),
        }
    }
}

/// The gaps between the approved mandates of a mission, in order: days no approved mandate covers
/// (a pause of the mission, a late extension, or a renewal missing from the data).
#[utoipa::path(
    get, path = "/api/v1/missions/{id}/gaps", tag = "missions",
    params(MissionPath),
    responses(
        (status = 200, description = "Gaps, oldest first", body = Vec<GapView>),
        (status = 404, description = "Unknown mission", body = ErrorBody),
    )
)]
async fn mission_gaps(
    State(state): State<AppState>,
    caller: Caller,
    Path(p): Path<MissionPath>,
) -> Result<Json<Vec<GapView>>, ApiError> {
    let reg = registry_for(&state, caller.clearance()).await?;
    let id = mission_id(&state, &reg, &p.id)?;
    let gaps = mandat_rules::coverage_gaps(&reg, &id);
    Ok(Json(gaps.iter().map(GapView::from).collect()))
}

// ---------------------------------------------------------------------------------------------
// Deadlines

/// Query of a deadlines request.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeadlineParams {
    /// From when (default today).
    pub from: Option<String>,
    /// How many days ahead (default 90, at most 36500).
    #[param(maximum = 36500)]
    pub within_days: Option<u32>,
    /// Knowledge time.
    pub as_of: Option<String>,
    /// Only this mission.
    pub mission: Option<String>,
}

/// A deadline or lapse.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineView {
    /// The mission.
    pub mission: String,
    /// What ends (`mandate_lapse`, `debate_demand_window`, `legal_basis_end`, ...).
    pub kind: String,
    /// When: a day (through its end) or an instant.
    pub at: String,
    /// The rule that sets it.
    pub rule: String,
    /// The facts it derives from.
    pub facts: Vec<String>,
}

impl From<&Deadline> for DeadlineView {
    fn from(d: &Deadline) -> Self {
        DeadlineView {
            mission: d.mission.to_string(),
            kind: d.kind.name().to_owned(),
            at: d.at.to_string(),
            rule: d.rule.as_str().to_owned(),
            facts: d.facts.iter().map(ToString::to_string).collect(),
        }
    }
}

/// Deadlines within `within_days` of `from`, as the caller may see them.
pub fn deadline_list(
    state: &AppState,
    reg: &Registry,
    from: TimePoint,
    within_days: u32,
    as_of: Option<TimePoint>,
    mission: Option<&str>,
) -> Result<Vec<Deadline>, ApiError> {
    let mission = mission
        .filter(|m| !m.trim().is_empty())
        .map(|m| mission_id(state, reg, m))
        .transpose()?;
    let mut list = mandat_rules::deadlines(reg, from, within_days, as_of, &Options::default());
    if let Some(m) = mission {
        list.retain(|d| d.mission == m);
    }
    Ok(list)
}

/// Upcoming deadlines and lapses, soonest first.
#[utoipa::path(
    get, path = "/api/v1/deadlines", tag = "missions",
    params(DeadlineParams),
    responses(
        (status = 200, description = "Deadlines", body = Vec<DeadlineView>),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    )
)]
async fn list_deadlines(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DeadlineParams>,
) -> Result<Json<Vec<DeadlineView>>, ApiError> {
    let from = time_param("from", q.from.as_deref())?.unwrap_or_else(today);
    let as_of = time_param("as_of", q.as_of.as_deref())?;
    let within = q.within_days.unwrap_or(90);
    if within > 36_500 {
        return Err(ApiError::BadRequest(
            "within_days: at most 36500 (100 years)".into(),
        ));
    }
    let reg = registry_for(&state, caller.clearance()).await?;
    let list = deadline_list(&state, &reg, from, within, as_of, q.mission.as_deref())?;
    Ok(Json(list.iter().map(DeadlineView::from).collect()))
}

// ---------------------------------------------------------------------------------------------
// Documents

/// A stored document without its text.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentSummary {
    /// Id.
    pub id: i64,
    /// Where it came from.
    pub source: String,
    /// Title.
    pub title: Option<String>,
    /// Language code.
    pub lang: String,
    /// Media type.
    pub media_type: String,
    /// Its own date.
    pub published: Option<String>,
    /// Missions it is about.
    pub missions: Vec<String>,
    /// Size of the original bytes.
    pub bytes: u64,
    /// When it was stored.
    pub ingested_at: String,
    /// Who stored it.
    pub actor: String,
}

impl From<&mandat_store::Document> for DocumentSummary {
    fn from(d: &mandat_store::Document) -> Self {
        DocumentSummary {
            id: d.id.0,
            source: d.source.clone(),
            title: d.title.clone(),
            lang: d.lang.clone(),
            media_type: d.media_type.clone(),
            published: d.published.map(|p| p.to_string()),
            missions: d.missions.clone(),
            bytes: d.bytes_len,
            ingested_at: d.ingested_at.to_string(),
            actor: d.actor.clone(),
        }
    }
}

/// Paging of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentListParams {
    /// Only documents with an id above this (keyset paging; default 0).
    pub after: Option<i64>,
    /// At most this many (default 50, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// Documents in id order.
#[utoipa::path(
    get, path = "/api/v1/documents", tag = "documents",
    params(DocumentListParams),
    responses(
        (status = 200, description = "Documents", body = Vec<DocumentSummary>),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    )
)]
async fn list_documents(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DocumentListParams>,
) -> Result<Json<Vec<DocumentSummary>>, ApiError> {
    let limit = page_limit(q.limit, 50)?;
    let after = q.after.filter(|a| *a > 0).map(DocumentId);
    let docs = state
        .app
        .store
        .documents(after, limit, caller.clearance())
        .await?;
    Ok(Json(docs.iter().map(DocumentSummary::from).collect()))
}

fn page_limit(limit: Option<u32>, default: u32) -> Result<u32, ApiError> {
    match limit.unwrap_or(default) {
        0 => Err(ApiError::BadRequest("limit: at least 1".into())),
        n if n > 500 => Err(ApiError::BadRequest("limit: at most 500".into())),
        n => Ok(n),
    }
}

/// A claim (a version of a fact) as shown with its document or in the review queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimView {
    /// Claim id.
    pub id: i64,
    /// Fact id.
    pub fact_id: String,
    /// Fact kind.
    pub kind: String,
    /// Missions.
    pub missions: Vec<String>,
    /// Review status: proposed, accepted, rejected, superseded, retracted.
    pub status: String,
    /// Valid time as given.
    pub valid_from: Option<String>,
    /// When it was recorded.
    pub recorded_at: String,
    /// The fact itself.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// Document of the evidence span.
    pub document: Option<i64>,
    /// Byte span `[start, end)` in the document text.
    pub span: Option<[u64; 2]>,
    /// The quoted evidence, or a citation text.
    pub evidence: Option<String>,
    /// Who recorded it.
    pub actor: String,
}

impl From<&mandat_store::Claim> for ClaimView {
    fn from(c: &mandat_store::Claim) -> Self {
        let (document, span, evidence) = match &c.evidence {
            mandat_store::Evidence::Span {
                document,
                start,
                end,
                quote,
            } => (Some(document.0), Some([*start, *end]), Some(quote.clone())),
            mandat_store::Evidence::Citation { text } => (None, None, Some(text.clone())),
            mandat_store::Evidence::Unsourced => (None, None, None),
        };
        ClaimView {
            id: c.id.0,
            fact_id: c.fact_id.to_string(),
            kind: c.kind.clone(),
            missions: c.missions.clone(),
            status: c.status.to_string(),
            valid_from: c.valid_from.clone(),
            recorded_at: c.recorded_at.to_string(),
            payload: c.payload.clone(),
            document,
            span,
            evidence,
            actor: c.actor.clone(),
        }
    }
}

/// A document with its text and the facts extracted from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    /// Metadata.
    #[serde(flatten)]
    pub meta: DocumentSummary,
    /// The extracted text that spans index (UTF-8 bytes).
    pub text: String,
    /// Accepted and proposed claims whose evidence is a span of this document, by position.
    pub claims: Vec<ClaimView>,
}

/// Path parameter: a document id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DocumentPath {
    /// Document id.
    pub id: i64,
}

/// A document with its claims (accepted and proposed), both visible to the caller.
pub async fn document_view(
    state: &AppState,
    clearance: Clearance,
    id: i64,
) -> Result<DocumentView, ApiError> {
    let doc = state
        .app
        .store
        .document(DocumentId(id), clearance)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no document {id}")))?;
    let mut claims = Vec::new();
    for status in [ClaimStatus::Accepted, ClaimStatus::Proposed] {
        let filter = ClaimFilter {
            document: Some(doc.id),
            status: Some(status),
            clearance,
            ..ClaimFilter::default()
        };
        claims.extend(state.app.store.claims(&filter, None).await?);
    }
    let mut claims: Vec<ClaimView> = claims.iter().map(ClaimView::from).collect();
    claims.sort_by_key(|c| (c.span.map(|s| s[0]), c.id));
    Ok(DocumentView {
        meta: DocumentSummary::from(&doc),
        text: doc.text,
        claims,
    })
}

/// A document with its text and extracted facts.
#[utoipa::path(
    get, path = "/api/v1/documents/{id}", tag = "documents",
    params(DocumentPath),
    responses(
        (status = 200, description = "The document", body = DocumentView),
        (status = 400, description = "Bad id", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody),
    )
)]
async fn get_document(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<DocumentPath>, axum::extract::rejection::PathRejection>,
) -> Result<Json<DocumentView>, ApiError> {
    let Path(p) = path.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    Ok(Json(document_view(&state, caller.clearance(), p.id).await?))
}

// ---------------------------------------------------------------------------------------------
// Search

/// Query of a search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words (stemmed, German and English), `"phrases"`.
    #[param(min_length = 1, pattern = r"\S")]
    pub q: String,
    /// Only documents about this mission.
    pub mission: Option<String>,
    /// Only documents in this language (`de`, `en`).
    pub lang: Option<String>,
    /// Published on or after.
    pub from: Option<String>,
    /// Published on or before.
    pub until: Option<String>,
    /// At most this many hits (default 20, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Skip this many hits.
    pub offset: Option<u32>,
}

/// One matching document with its passage and the facts extracted from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitView {
    /// Document id.
    pub document: i64,
    /// Title.
    pub title: Option<String>,
    /// Source.
    pub source: String,
    /// Language.
    pub lang: String,
    /// Its own date.
    pub published: Option<String>,
    /// Byte span of the passage in the document text.
    pub span: [u64; 2],
    /// The matching passage.
    pub passage: String,
    /// Facts whose evidence lies in the passage.
    pub claims: Vec<ClaimView>,
}

/// Runs a search with the caller's clearance.
pub async fn run_search(
    state: &AppState,
    clearance: Clearance,
    p: &SearchParams,
) -> Result<Vec<SearchHitView>, ApiError> {
    if p.q.trim().is_empty() {
        return Err(ApiError::BadRequest("q: the query is empty".into()));
    }
    let date = |name: &str, v: Option<&str>| -> Result<Option<jiff::civil::Date>, ApiError> {
        v.filter(|s| !s.trim().is_empty())
            .map(|s| {
                mandat_core::time::parse_date(s.trim())
                    .map_err(|e| ApiError::InvalidDate(format!("{name}={s}: {e}")))
            })
            .transpose()
    };
    let mut q = SearchQuery::new(p.q.clone());
    q.mission = p.mission.clone().filter(|m| !m.trim().is_empty());
    q.lang = p.lang.clone().filter(|m| !m.trim().is_empty());
    q.from = date("from", p.from.as_deref())?;
    q.until = date("until", p.until.as_deref())?;
    q.clearance = clearance;
    q.limit = page_limit(p.limit, 20)?;
    q.offset = p.offset.unwrap_or(0).min(100_000);
    let hits = state.app.store.search(&q).await?;
    Ok(hits
        .iter()
        .map(|h| SearchHitView {
            document: h.document.0,
            title: h.title.clone(),
            source: h.source.clone(),
            lang: h.lang.clone(),
            published: h.published.map(|d| d.to_string()),
            span: [h.start, h.end],
            passage: h.passage.clone(),
            claims: h.claims.iter().map(ClaimView::from).collect(),
        })
        .collect())
}

/// Full-text search over all documents the caller may see.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "documents",
    params(SearchParams),
    responses(
        (status = 200, description = "Hits, newest first", body = Vec<SearchHitView>),
        (status = 400, description = "Bad query", body = ErrorBody),
    )
)]
async fn search(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> Result<Json<Vec<SearchHitView>>, ApiError> {
    Ok(Json(run_search(&state, caller.clearance(), &q).await?))
}

// ---------------------------------------------------------------------------------------------
// Changes

/// Query of a changes request.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangesParams {
    /// The cursor of the last change already seen (default 0: from the start).
    pub since: Option<i64>,
    /// At most this many (default 100, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// One change: a claim proposed, accepted, rejected, superseded or retracted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView {
    /// Cursor of this change.
    pub cursor: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// The claim's new status.
    pub status: String,
    /// Review note.
    pub note: Option<String>,
    /// The claim.
    pub claim: ClaimView,
}

/// A page of changes and the cursor to continue from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesPage {
    /// Changes, oldest first.
    pub changes: Vec<ChangeView>,
    /// Pass as `since` to get the next page; equals `since` when there is nothing new.
    pub next: i64,
}

/// Changes after a cursor, for incremental sync.
#[utoipa::path(
    get, path = "/api/v1/changes", tag = "sync",
    params(ChangesParams),
    responses(
        (status = 200, description = "Changes", body = ChangesPage),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    )
)]
async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ChangesParams>,
) -> Result<Json<ChangesPage>, ApiError> {
    let since = q.since.unwrap_or(0).max(0);
    let limit = page_limit(q.limit, 100)?;
    let list = state
        .app
        .store
        .changes(since, limit, caller.clearance())
        .await?;
    // A page that ends on an invisible change still advances: the store skips it, so the cursor
    // is the last visible one; invisible changes beyond it are skipped again next time.
    let next = list.last().map_or(since, |c| c.event.id.0);
    Ok(Json(ChangesPage {
        changes: list
            .iter()
            .map(|c| ChangeView {
                cursor: c.event.id.0,
                at: c.event.at.to_string(),
                actor: c.event.actor.clone(),
                status: c.event.status.to_string(),
                note: c.event.note.clone(),
                claim: ClaimView::from(&c.claim),
            })
            .collect(),
        next,
    }))
}
