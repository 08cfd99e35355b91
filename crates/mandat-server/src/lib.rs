//! The HTTP face of mandat: a JSON API under `/api/v1` (with its OpenAPI document generated from
//! the handlers), the server-rendered web UI, and the feeds. The only crate that knows HTTP and
//! HTML; everything it answers comes from [`mandat_app::App`] (store, registry, extraction) and the
//! pure rules engine.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let app = mandat_app::App::open("sqlite::memory:").await?;
//! let state = mandat_server::AppState::new(app, mandat_server::Config::default());
//! let router = mandat_server::router(state);
//! # let _ = router;
//! # Ok(()) }
//! ```

mod alerts;
mod api;
mod auth;
mod cache;
pub mod egress;
mod error;
mod extract;
mod feeds;
mod subscriptions;
mod web;
mod write;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use mandat_app::App;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use alerts::{AlertConfig, SmtpConfig, signature, smtp_transport};
pub use auth::SESSION_COOKIE;
pub use cache::RegistryCache;
pub use error::{ApiError, ErrorBody};

/// How the server runs. Defaults: `127.0.0.1:8080`, 30 s per request, 16 MiB per body.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Longest time a request may take before it is answered 408/503.
    pub request_timeout: Duration,
    /// Largest accepted request body in bytes (document uploads included).
    pub body_limit: usize,
    /// Mark session cookies `Secure` (set when served behind HTTPS).
    pub secure_cookies: bool,
    /// How long a cached registry is trusted before the store is asked whether it changed.
    pub registry_check_interval: Duration,
    /// Sign-in attempts allowed per user name and per client address within a minute.
    pub sign_in_per_minute: u32,
    /// Alert evaluation and delivery.
    pub alerts: AlertConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            request_timeout: Duration::from_secs(30),
            body_limit: 16 * 1024 * 1024,
            secure_cookies: false,
            registry_check_interval: Duration::from_millis(500),
            sign_in_per_minute: 10,
            alerts: AlertConfig::default(),
        }
    }
}

/// What every handler shares. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The application services over the store.
    pub app: App,
    /// Registries built from the store, one per clearance, refreshed when the store changes.
    pub cache: Arc<RegistryCache>,
    /// The configuration.
    pub config: Arc<Config>,
    /// Sign-in attempt limiter.
    pub(crate) limiter: Arc<auth::Limiter>,
    /// Per-process secret for CSRF tokens (forms of one run are valid during that run).
    pub(crate) secret: Arc<[u8; 32]>,
}

impl AppState {
    /// State over `app` with `config`.
    pub fn new(app: App, config: Config) -> Self {
        let mut secret = [0u8; 32];
        // Without randomness CSRF tokens would be predictable; failing here is a broken host.
        getrandom::fill(&mut secret).expect("the operating system's random source is unavailable");
        AppState {
            app,
            cache: Arc::new(RegistryCache::new(config.registry_check_interval)),
            limiter: Arc::new(auth::Limiter::new(config.sign_in_per_minute)),
            config: Arc::new(config),
            secret: Arc::new(secret),
        }
    }
}

/// The OpenAPI document's static part; the paths are collected from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "mandat",
        description = "Parliamentary mandates of armed-forces deployments abroad: verdicts with \
            explanations and citations, mandates, strength series, documents with extracted facts, \
            search, deadlines, review. Reading public data needs no sign-in; writes need a bearer \
            token (`mandat user token NAME`) or a session cookie with the right role.",
        license(name = "MIT OR Apache-2.0")
    ),
    components(schemas(ErrorBody)),
    tags(
        (name = "missions", description = "Missions, verdicts, mandates, strength"),
        (name = "documents", description = "Source documents and their extracted facts"),
        (name = "review", description = "Proposals and review decisions"),
        (name = "sync", description = "Changes since a cursor"),
        (name = "session", description = "Sign-in for programs and the web UI"),
        (name = "alerts", description = "Alert subscriptions: webhooks and e-mail")
    ),
    modifiers(&SecurityAddon)
)]
struct ApiDoc;

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            utoipa::openapi::security::SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build(),
            ),
        );
        components.add_security_scheme(
            "session",
            utoipa::openapi::security::SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                SESSION_COOKIE,
            ))),
        );
    }
}

/// The API routes with their OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(api::routes())
        .merge(write::routes())
        .merge(auth::routes())
        .merge(subscriptions::routes())
        .split_for_parts();
    (router, doc)
}

/// The OpenAPI 3.1 document of the API, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}

/// The whole application: API, OpenAPI document, with request ids, tracing, body and time limits.
pub fn router(state: AppState) -> Router {
    let (api, doc) = api();
    let doc = Arc::new(doc);
    let request_id = HeaderName::from_static("x-request-id");
    let config = state.config.clone();
    Router::new()
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .merge(web::routes())
        .merge(feeds::routes())
        .fallback(web::fallback)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(config.body_limit))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), id)
            }),
        )
        .layer(SetRequestIdLayer::new(request_id, RequestIds::new()))
}

/// Request ids: a per-process random prefix and a counter, so ids are unique across restarts and
/// cheap to make.
#[derive(Debug, Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> Self {
        let mut b = [0u8; 4];
        let _ = getrandom::fill(&mut b);
        RequestIds {
            prefix: b
                .iter()
                .map(|x| format!("{x:02x}"))
                .collect::<String>()
                .into(),
            next: Arc::new(std::sync::atomic::AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        axum::http::HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Serves `state` on its configured address until Ctrl-C or SIGTERM, then finishes the requests
/// in flight.
pub async fn serve(state: AppState) -> std::io::Result<()> {
    let bind = state.config.bind;
    let listener = tokio::net::TcpListener::bind(bind).await?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    serve_on(listener, state, shutdown_signal()).await
}

/// Serves on a bound listener until `shutdown` completes (tests use a random port), with the
/// alert worker running beside it (unless `config.alerts.enabled` is off); the worker stops with
/// the server.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = state
        .config
        .alerts
        .enabled
        .then(|| tokio::spawn(alerts::run(state.clone(), stop_rx)));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        })
        .await;
    // The shutdown future is dropped with the server in any case, which stops the worker too.
    if let Some(w) = worker
        && let Err(e) = w.await
    {
        tracing::error!(error = %e, "alert worker failed");
    }
    served
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
