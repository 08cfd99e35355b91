//! The server-rendered web UI: German and English, usable without JavaScript.
//!
//! Pages are askama templates (HTML-escaped by default) over the same functions as the JSON API
//! ([`crate::api`], [`crate::write`]), so a page never shows what the API would not: everything is
//! filtered by the caller's clearance. The language comes from the `mandat_lang` cookie set by
//! the switch (`/lang?lang=de`), else from `Accept-Language`. Forms that change something carry a
//! CSRF token derived from the session; errors are HTML pages with the API's status codes.
//!
//! Every response of these routes carries a Content-Security-Policy that allows no script at
//! all, so even a rendering mistake could not run code from a stored document.

mod chart;
mod i18n;
mod pages;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{AuthVia, Caller};
pub(crate) use i18n::{LANG_COOKIE, Lang, Tr};

/// The web UI's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::missions))
        .route("/missions/{id}", get(pages::mission))
        .route("/mandates/{id}", get(pages::mandate))
        .route("/documents/{id}", get(pages::document))
        .route("/search", get(pages::search))
        .route("/deadlines", get(pages::deadlines))
        .route("/data", get(pages::data))
        .route("/review", get(pages::review))
        .route("/review/{id}/{decision}", post(pages::review_decide))
        .route("/signin", get(pages::sign_in_form).post(pages::sign_in))
        .route("/signout", post(pages::sign_out))
        .route("/lang", get(pages::switch_lang))
        .route("/static/mandat.css", get(stylesheet))
        .layer(axum::middleware::map_response(security_headers))
}

/// The stylesheet, compiled into the binary.
async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/mandat.css"),
    )
        .into_response()
}

/// Headers every page gets: no script, no framing, no sniffing; pages vary by language and session.
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::VARY) {
        h.insert(
            header::VARY,
            HeaderValue::from_static("accept-language, cookie"),
        );
    }
    res
}

/// What every page handler knows about its request: the language, who is asking and where they
/// are (for the language switch and the sign-in redirect).
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub lang: Lang,
    pub caller: Caller,
    /// Path and query of the request.
    pub here: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let lang = Lang::negotiate(
            crate::extract::cookie(parts, LANG_COOKIE),
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        );
        let here = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        match Caller::from_request_parts(parts, state).await {
            Ok(caller) => Ok(Ctx { lang, caller, here }),
            Err(e) => {
                let ctx = Ctx {
                    lang,
                    caller: Caller(None),
                    here,
                };
                Err(ctx.error(state, e))
            }
        }
    }
}

/// The frame of every page: language, navigation, who is signed in.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub tr: &'static Tr,
    pub lang: Lang,
    /// Title of the page (without the site name).
    pub title: String,
    /// Link of the language switch.
    pub switch_href: String,
    /// Name of the other language.
    pub switch_name: &'static str,
    /// Code of the other language.
    pub switch_code: &'static str,
    /// The signed-in user's name.
    pub user: Option<String>,
    /// Whether the user may review.
    pub reviewer: bool,
    /// CSRF token for forms (session sign-in only).
    pub csrf: Option<String>,
    /// Which navigation entry is current.
    pub nav: &'static str,
}

impl Ctx {
    pub fn tr(&self) -> &'static Tr {
        self.lang.tr()
    }

    /// The frame of a page titled `title`, with `nav` marked as current.
    pub fn page(&self, state: &AppState, title: impl Into<String>, nav: &'static str) -> Page {
        let other = self.lang.other();
        let (user, reviewer, csrf) = match &self.caller.0 {
            Some((u, via)) => (
                Some(u.name.clone()),
                u.role >= mandat_store::Role::Reviewer,
                match via {
                    AuthVia::Session { token } => Some(crate::auth::csrf_token(state, token)),
                    AuthVia::Bearer => None,
                },
            ),
            None => (None, false, None),
        };
        Page {
            tr: self.tr(),
            lang: self.lang,
            title: title.into(),
            switch_href: format!(
                "/lang?lang={}&next={}",
                other.code(),
                url_encode(&self.here)
            ),
            switch_name: other.tr().lang_name,
            switch_code: other.code(),
            user,
            reviewer,
            csrf,
            nav,
        }
    }

    /// An HTML error page for `e`, with its status. Internal details are logged, never shown.
    pub fn error(&self, state: &AppState, e: ApiError) -> Response {
        let tr = self.tr();
        let status = e.status();
        let heading = match status {
            StatusCode::NOT_FOUND => tr.error_not_found,
            StatusCode::BAD_REQUEST => tr.error_bad_request,
            StatusCode::FORBIDDEN => tr.error_forbidden,
            StatusCode::UNAUTHORIZED => tr.error_sign_in,
            StatusCode::INTERNAL_SERVER_ERROR => tr.error_internal,
            _ => tr.error_other,
        };
        let message = match &e {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                String::new()
            }
            other => other.to_string(),
        };
        let t = pages::ErrorPage {
            page: self.page(state, heading, ""),
            status: status.as_u16(),
            heading,
            message,
        };
        match render(&t) {
            Ok(html) => (status, html).into_response(),
            Err(_) => (status, heading).into_response(),
        }
    }

    /// The response of a handler: the page, or an error page.
    pub fn respond(&self, state: &AppState, r: Result<Response, ApiError>) -> Response {
        r.unwrap_or_else(|e| self.error(state, e))
    }
}

/// The answer to a path nobody serves: JSON under `/api/`, an HTML page elsewhere.
pub(crate) async fn fallback(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
) -> Response {
    let (mut parts, _) = req.into_parts();
    let not_found = ApiError::NotFound("no such page".into());
    if parts.uri.path().starts_with("/api/") {
        return not_found.into_response();
    }
    match Ctx::from_request_parts(&mut parts, &state).await {
        Ok(ctx) => ctx.error(&state, not_found),
        Err(r) => r,
    }
}

/// Renders a template to an HTML response body.
pub(crate) fn render<T: askama::Template>(t: &T) -> Result<Html<String>, ApiError> {
    t.render()
        .map(Html)
        .map_err(|e| ApiError::Internal(format!("rendering a page: {e}")))
}

/// Percent-encodes a string for a query parameter value.
pub(crate) fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `next` when it is a path on this site, else `/`: a redirect target from a query parameter must
/// not send the user elsewhere (`//host`, `/\host` and schemes are refused).
pub(crate) fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n
        }
        _ => "/",
    }
}

/// A 303 redirect to a local path.
pub(crate) fn see_other(to: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_the_site() {
        assert_eq!(local_path(Some("/review")), "/review");
        assert_eq!(
            local_path(Some("/missions/KFOR?on=2020-01-01")),
            "/missions/KFOR?on=2020-01-01"
        );
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            url_encode("/search?q=a b&x=1"),
            "/search%3Fq%3Da%20b%26x%3D1"
        );
        assert_eq!(url_encode("/missions/KFOR"), "/missions/KFOR");
    }
}
