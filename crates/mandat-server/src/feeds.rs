//! Feeds: an Atom feed of new facts and status changes, and an iCalendar feed of deadlines and
//! lapses, for feed readers and calendar programs that poll.
//!
//! Both are built from what the caller may see: the store's change log read with the caller's
//! clearance, and the registry of that clearance. Both are deterministic for a given store and
//! day: entry ids and event UIDs derive from change cursors, mission ids, fact ids and dates, never
//! from the clock or randomness, so a poller sees an update as an update and not as a new item.
//! Each answer carries an ETag over its body, so an unchanged feed costs a poller a 304.

mod atom;
mod ics;

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LAST_MODIFIED, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::extract::Caller;

/// The prefix of every id the feeds mint (RFC 4151 tag URIs): fixed, so ids survive a change of
/// host name or port.
const TAG: &str = "tag:mandat,2026";

/// The feed routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/feeds/changes.atom", get(atom::changes_atom))
        .route("/feeds/deadlines.ics", get(ics::deadlines_ics))
}

/// A feed body as an HTTP answer: its content type, a strong ETag over the body (304 when the
/// client already has it), and caching that never lets a shared cache hand a cleared reader's feed
/// to someone else.
fn feed_response(
    request: &HeaderMap,
    caller: &Caller,
    content_type: &'static str,
    body: Vec<u8>,
    last_modified: Option<Timestamp>,
) -> Response {
    let digest = Sha256::digest(&body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{hex}\"");
    let fresh = request
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*");
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        r.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(ETAG, v);
    }
    if let Some(t) = last_modified
        && let Ok(v) = HeaderValue::from_str(&http_date(t))
    {
        h.insert(LAST_MODIFIED, v);
    }
    let cache = if caller.0.is_some() {
        "private, no-cache"
    } else {
        "no-cache"
    };
    h.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(VARY, HeaderValue::from_static("authorization, cookie"));
    res
}

/// The server's address from the request's `Host` (`http://host/`), for links that must be
/// absolute (iCalendar URLs) or resolve for readers that ignore the feed's own address (Atom
/// `xml:base`). A host with characters no host name has is ignored.
fn base_of(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let host = headers
        .get(axum::http::header::HOST)?
        .to_str()
        .ok()
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })?;
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}/"))
}

/// An instant as an HTTP date (RFC 9110 IMF-fixdate).
fn http_date(t: Timestamp) -> String {
    t.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// An instant as chrono's UTC time, the type both feed crates take. Whole seconds: feed readers
/// compare these, and sub-second noise would only make equal times look different.
fn chrono_utc(t: Timestamp) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.as_second(), 0).unwrap_or_default()
}

/// A civil date as chrono's date.
fn chrono_date(d: jiff::civil::Date) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(
        i32::from(d.year()),
        u32::try_from(d.month()).ok()?,
        u32::try_from(d.day()).ok()?,
    )
}

/// `s` as one URI path segment or tag-URI part: everything but the unreserved characters
/// (letters, digits, `-`, `.`, `_`, `~`) percent-encoded. Mission ids have spaces (`Sea
/// Guardian`), fact ids may have anything; encoded, distinct ids stay distinct and every link,
/// id and UID is plain ASCII.
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_imf_fixdate_in_gmt() {
        let t: Timestamp = "2025-12-29T17:00:05Z".parse().unwrap();
        assert_eq!(http_date(t), "Mon, 29 Dec 2025 17:00:05 GMT");
    }

    #[test]
    fn chrono_conversion_keeps_the_instant_to_the_second() {
        let t: Timestamp = "2025-12-29T17:00:05.75Z".parse().unwrap();
        assert_eq!(chrono_utc(t).to_rfc3339(), "2025-12-29T17:00:05+00:00");
        let d = jiff::civil::date(2024, 2, 29);
        assert_eq!(
            chrono_date(d).map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
    }

    #[test]
    fn segments_encode_everything_but_unreserved_characters() {
        assert_eq!(segment("Sea Guardian"), "Sea%20Guardian");
        assert_eq!(segment("m2018-a.b_c~d"), "m2018-a.b_c~d");
        assert_eq!(segment("a/b+c"), "a%2Fb%2Bc");
        assert_eq!(segment("Ä"), "%C3%84");
        assert_ne!(segment("a b"), segment("a_b"));
    }

    #[test]
    fn clip_cuts_on_characters_not_bytes() {
        assert_eq!(clip("Größe", 3), "Grö…");
        assert_eq!(clip("Größe", 5), "Größe");
    }
}
