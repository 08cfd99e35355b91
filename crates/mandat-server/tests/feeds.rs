//! The Atom and iCalendar feeds, in-process on an in-memory store with the bundled dataset: both
//! read back with real parsers, checked against the JSON API they summarise, and checked to hide
//! classified facts from readers without clearance.

use std::collections::BTreeSet;

use atom_syndication::Feed;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use icalendar::parser::{read_calendar, unfold};
use mandat_app::{App, Ingested};
use mandat_core::{
    Ceiling, Fact, FactId, FactKind, MandateTerms, MissionId, Period, PeriodEnd, Procedure,
    TimePoint,
};
use mandat_server::{AppState, Config};
use mandat_store::{Actor, ClaimFilter, ClaimStatus, Clearance, NewEvidence, ReviewDecision, Role};
use serde_json::Value;
use tower::ServiceExt;

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("utf-8 body")
    }

    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    fn atom(&self) -> Feed {
        assert_eq!(self.status, StatusCode::OK, "{}", self.text());
        Feed::read_from(&self.body[..])
            .unwrap_or_else(|e| panic!("not an Atom feed ({e}): {}", self.text()))
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

async fn get_with(router: &Router, uri: &str, headers: &[(&str, &str)]) -> Resp {
    let mut req = Request::builder().method(Method::GET).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

async fn get(router: &Router, uri: &str) -> Resp {
    get_with(router, uri, &[]).await
}

async fn state() -> AppState {
    let app = App::open("sqlite::memory:").await.expect("open store");
    AppState::new(app, Config::default())
}

/// A user with `role` and `clearance`, and a bearer header for them.
async fn bearer(state: &AppState, name: &str, role: Role, clearance: Clearance) -> String {
    let user = state
        .app
        .store
        .create_user(&Actor::system(), name, role, clearance, None)
        .await
        .expect("create user");
    let token = state
        .app
        .store
        .create_token(user.id, "feeds")
        .await
        .expect("token");
    format!("Bearer {}", token.secret)
}

/// Ingests `text` with `classification` and accepts every fact proposed from it; returns the
/// document id and how many facts were accepted.
async fn ingest_and_accept(
    state: &AppState,
    name: &str,
    text: &str,
    classification: Clearance,
) -> (i64, usize) {
    let bytes = text.as_bytes();
    let doc = mandat_load::load_auto(bytes, Some(name), &mandat_load::Limits::new(1 << 20))
        .expect("load");
    let admin = Actor::system();
    let id = match state
        .app
        .ingest_classified(name, bytes, &doc, classification, &admin)
        .await
        .expect("ingest")
    {
        Ingested::Stored { document, .. } => document,
        Ingested::AlreadyPresent(d) => panic!("document {d} was stored before"),
    };
    let filter = ClaimFilter {
        document: Some(id),
        status: Some(ClaimStatus::Proposed),
        clearance: Clearance::ALL,
        ..ClaimFilter::default()
    };
    let claims = state.app.store.claims(&filter, None).await.expect("claims");
    for c in &claims {
        state
            .app
            .store
            .review(c.id, ReviewDecision::Accept, &admin, Some("checked"))
            .await
            .expect("accept");
    }
    (id.0, claims.len())
}

// ---------------------------------------------------------------------------------------------
// Atom

#[tokio::test]
async fn atom_feed_is_valid_newest_first_with_stable_unique_ids() {
    let router = mandat_server::router(state().await);
    let r = get(&router, "/feeds/changes.atom").await;
    assert_eq!(r.header("content-type"), "application/atom+xml");
    let feed = r.atom();
    assert!(feed.id().starts_with("tag:"), "{}", feed.id());
    assert!(
        feed.links()
            .iter()
            .any(|l| l.rel() == "self" && l.href() == "/feeds/changes.atom")
    );
    let entries = feed.entries();
    assert!(
        entries.len() > 100,
        "the bundled facts and status changes: {}",
        entries.len()
    );

    let ids: BTreeSet<&str> = entries.iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), entries.len(), "entry ids repeat");
    for pair in entries.windows(2) {
        assert!(
            pair[0].updated() >= pair[1].updated(),
            "not newest first: {} then {}",
            pair[0].id(),
            pair[1].id()
        );
    }
    assert_eq!(feed.updated(), entries[0].updated());
    for e in entries {
        assert!(e.id().starts_with("tag:mandat,"), "{}", e.id());
        assert!(
            !e.title().as_str().is_empty() && !e.authors().is_empty() && !e.links().is_empty(),
            "{e:?}"
        );
        assert!(e.summary().is_some_and(|s| !s.as_str().is_empty()), "{e:?}");
    }
    // Links are URI references: mission ids with spaces are encoded.
    for l in feed
        .links()
        .iter()
        .chain(entries.iter().flat_map(|e| e.links()))
    {
        assert!(!l.href().contains(char::is_whitespace), "{}", l.href());
    }
    // The bundled facts were accepted when the store was first opened.
    let accepted = entries
        .iter()
        .find(|e| e.id().contains(":change/") && e.title().as_str().ends_with(" accepted"))
        .expect("an accepted fact");
    assert!(
        accepted.title().as_str().contains(": "),
        "{}",
        accepted.title().as_str()
    );
    // Status changes are entries too (the newest of all missions here; KFOR's own feed is
    // checked against the status endpoint below).
    assert!(
        entries
            .iter()
            .any(|e| e.id().contains(":status/") && e.title().as_str().contains(": covered from ")),
        "no status change"
    );

    // The same store gives the same feed, and the ETag lets a poller skip it.
    let again = get(&router, "/feeds/changes.atom").await;
    assert_eq!(again.body, r.body, "the feed is not deterministic");
    let etag = r.header("etag");
    assert!(etag.starts_with('"') && etag.len() > 2, "{etag}");
    assert!(!r.header("last-modified").is_empty());
    let cached = get_with(&router, "/feeds/changes.atom", &[("if-none-match", &etag)]).await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    assert!(cached.body.is_empty());
    let stale = get_with(
        &router,
        "/feeds/changes.atom",
        &[("if-none-match", "\"0000\"")],
    )
    .await;
    assert_eq!(stale.status, StatusCode::OK);
}

#[tokio::test]
async fn atom_status_changes_agree_with_the_status_endpoint() {
    let router = mandat_server::router(state().await);
    let feed = get(&router, "/feeds/changes.atom?mission=kosovo%20force")
        .await
        .atom();
    assert!(feed.id().ends_with("/KFOR"), "{}", feed.id());
    let changes: Vec<(String, String)> = feed
        .entries()
        .iter()
        .filter_map(|e| {
            let rest = e.id().split(":status/KFOR/").nth(1)?;
            let title = e.title().as_str();
            let status = title.strip_prefix("KFOR: ")?.split(" from ").next()?;
            assert_eq!(title, format!("KFOR: {status} from {rest}"));
            Some((rest.to_owned(), status.to_owned()))
        })
        .collect();
    assert!(!changes.is_empty(), "no status changes of KFOR");
    for (day, status) in &changes {
        let on = get(&router, &format!("/api/v1/missions/KFOR/status?on={day}"))
            .await
            .json();
        assert_eq!(on["verdict"]["status"], status.as_str(), "on {day}");
        let d: jiff::civil::Date = day.parse().expect("date");
        let before = d.yesterday().expect("a day before");
        let prev = get(
            &router,
            &format!("/api/v1/missions/KFOR/status?on={before}"),
        )
        .await
        .json();
        assert_ne!(
            prev["verdict"]["status"],
            status.as_str(),
            "{day} is no change"
        );
    }
    // Every entry of the mission feed is about KFOR.
    for e in feed.entries() {
        assert!(
            e.title().as_str().contains("KFOR"),
            "{}",
            e.title().as_str()
        );
    }
}

#[tokio::test]
async fn atom_rejects_unknown_missions_and_parameters() {
    let router = mandat_server::router(state().await);
    let r = get(&router, "/feeds/changes.atom?mission=KFRO").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["code"], "not_found");
    let r = get(&router, "/feeds/changes.atom?since=3").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = get_with(
        &router,
        "/feeds/changes.atom",
        &[("authorization", "Bearer nope")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn atom_hides_classified_facts_below_clearance() {
    let state = state().await;
    let cleared = bearer(&state, "cleo", Role::Reader, Clearance::SECRET).await;
    let router = mandat_server::router(state.clone());
    let secret = "Berlin, 15.05.2025\n\nGeheim: Derzeit sind 777 deutsche Soldatinnen und Soldaten \
        im Rahmen von KFOR im Kosovo eingesetzt.\n";
    let (doc, n) = ingest_and_accept(&state, "secret.txt", secret, Clearance::SECRET).await;
    assert!(n > 0, "nothing was extracted from the classified document");
    let public = "Berlin, 16.05.2025\n\nDerzeit sind 555 deutsche Soldatinnen und Soldaten im Rahmen \
        von KFOR im Kosovo eingesetzt.\n";
    let (open_doc, m) = ingest_and_accept(&state, "public.txt", public, Clearance::PUBLIC).await;
    assert!(m > 0);

    let link = |d: i64| format!("/api/v1/documents/{d}");
    let mentions = |feed: &Feed, d: i64| {
        feed.entries()
            .iter()
            .any(|e| e.links().iter().any(|l| l.href() == link(d)))
    };
    let anon = get(&router, "/feeds/changes.atom").await;
    let anon_feed = anon.atom();
    assert!(mentions(&anon_feed, open_doc), "the public fact is missing");
    assert!(
        !mentions(&anon_feed, doc),
        "a classified fact reached an anonymous reader"
    );
    assert!(
        !anon.text().contains("777 deutsche"),
        "classified evidence leaked"
    );
    // The newest entry for the public is the public fact, accepted.
    let top = &anon_feed.entries()[0];
    assert!(
        top.links().iter().any(|l| l.href() == link(open_doc)),
        "{top:?}"
    );
    assert!(
        top.title().as_str().starts_with("KFOR: ") && top.title().as_str().ends_with(" accepted")
    );
    assert!(top.authors().iter().any(|a| a.name() == "system"));

    let seen = get_with(
        &router,
        "/feeds/changes.atom",
        &[("authorization", &cleared)],
    )
    .await;
    assert!(
        mentions(&seen.atom(), doc),
        "the cleared reader misses the classified fact"
    );
    assert!(seen.text().contains("777 deutsche"));
    assert_eq!(seen.header("cache-control"), "private, no-cache");
    assert_ne!(seen.header("etag"), anon.header("etag"));
    // The mission feed hides it too.
    let anon_kfor = get(&router, "/feeds/changes.atom?mission=KFOR").await;
    assert!(!mentions(&anon_kfor.atom(), doc));
}

// ---------------------------------------------------------------------------------------------
// iCalendar

/// A property of a parsed calendar, owned.
#[derive(Debug)]
struct Prop {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

/// A calendar read back with the icalendar crate's parser: its own properties and its events.
struct Ics {
    props: Vec<Prop>,
    events: Vec<Vec<Prop>>,
}

fn props_of(list: &[icalendar::parser::Property<'_>]) -> Vec<Prop> {
    list.iter()
        .map(|p| Prop {
            name: p.name.as_str().to_owned(),
            params: p
                .params
                .iter()
                .map(|q| {
                    (
                        q.key.as_str().to_owned(),
                        q.val.as_ref().map_or("", |v| v.as_str()).to_owned(),
                    )
                })
                .collect(),
            value: p.val.clone().unescape_text().as_str().to_owned(),
        })
        .collect()
}

fn parse_ics(text: &str) -> Ics {
    let unfolded = unfold(text);
    let cal = read_calendar(&unfolded).unwrap_or_else(|e| panic!("not iCalendar: {e}\n{text}"));
    let events = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|c| props_of(&c.properties))
        .collect();
    Ics {
        props: props_of(&cal.properties),
        events,
    }
}

/// The value of property `name`.
fn prop(props: &[Prop], name: &str) -> Option<String> {
    props
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.value.clone())
}

/// A parameter of property `name`.
fn param(props: &[Prop], name: &str, key: &str) -> Option<String> {
    props
        .iter()
        .find(|p| p.name == name)?
        .params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

#[tokio::test]
async fn ics_feed_is_valid_and_matches_the_deadlines_endpoint() {
    let router = mandat_server::router(state().await);
    let query = "from=2020-01-01&within_days=36500";
    let r = get(&router, &format!("/feeds/deadlines.ics?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("content-type"), "text/calendar; charset=utf-8");
    let text = r.text();
    assert!(text.contains("\r\n"), "lines must end with CRLF");
    assert!(
        text.lines().all(|l| l.trim_end_matches('\r').len() <= 75),
        "lines must be folded"
    );
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    let cal = parse_ics(&text);
    assert_eq!(prop(&cal.props, "VERSION").as_deref(), Some("2.0"));
    assert!(prop(&cal.props, "PRODID").is_some_and(|p| p.contains("mandat")));
    let events = cal.events;

    let expected = get(&router, &format!("/api/v1/deadlines?{query}"))
        .await
        .json();
    let expected = expected.as_array().expect("list");
    assert!(
        !expected.is_empty(),
        "no deadlines in the bundled data since 2020"
    );
    assert_eq!(events.len(), expected.len());

    let mut uids = BTreeSet::new();
    for (e, d) in events.iter().zip(expected) {
        let uid = prop(e, "UID").expect("UID");
        assert!(uids.insert(uid.clone()), "UID {uid} repeats");
        let stamp = prop(e, "DTSTAMP").expect("DTSTAMP");
        assert!(
            stamp.len() == 16 && stamp.ends_with('Z'),
            "DTSTAMP {stamp} is not UTC"
        );
        let mission = d["mission"].as_str().expect("mission");
        let summary = prop(e, "SUMMARY").expect("SUMMARY");
        assert!(summary.starts_with(&format!("{mission}: ")), "{summary}");
        let kind = d["kind"].as_str().expect("kind");
        assert_eq!(prop(e, "CATEGORIES").as_deref(), Some(kind));
        let description = prop(e, "DESCRIPTION").expect("DESCRIPTION");
        assert!(
            description.contains(d["rule"].as_str().expect("rule")),
            "{description}"
        );
        let at = d["at"].as_str().expect("at");
        let start = prop(e, "DTSTART").expect("DTSTART");
        if at.len() == 10 {
            // A day: an all-day event, ending (exclusively) the next day.
            assert_eq!(
                param(e, "DTSTART", "VALUE").as_deref(),
                Some("DATE"),
                "{uid}"
            );
            assert_eq!(start, at.replace('-', ""));
            let day: jiff::civil::Date = at.parse().expect("date");
            let next = day
                .tomorrow()
                .expect("next day")
                .to_string()
                .replace('-', "");
            assert_eq!(prop(e, "DTEND"), Some(next));
        } else {
            let t: jiff::Timestamp = at.parse().expect("instant");
            let utc = t
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .strftime("%Y%m%dT%H%M%SZ")
                .to_string();
            assert_eq!(start, utc, "{uid}");
        }
    }

    // Events link to their mission page when the server knows its address (URL takes only an
    // absolute URI).
    assert!(events.iter().all(|e| prop(e, "URL").is_none()));
    let hosted = get_with(
        &router,
        &format!("/feeds/deadlines.ics?{query}"),
        &[("host", "mandat.example.org:8080")],
    )
    .await;
    let hosted = parse_ics(&hosted.text());
    assert_eq!(hosted.events.len(), events.len());
    for e in &hosted.events {
        let url = prop(e, "URL").expect("URL");
        assert!(
            url.starts_with("http://mandat.example.org:8080/missions/"),
            "{url}"
        );
        assert!(!url.contains(char::is_whitespace), "{url}");
    }

    // Another fetch gives the same calendar: UIDs and stamps do not come from the clock.
    let again = get(&router, &format!("/feeds/deadlines.ics?{query}")).await;
    assert_eq!(again.body, r.body);
    let etag = r.header("etag");
    let cached = get_with(
        &router,
        &format!("/feeds/deadlines.ics?{query}"),
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn ics_debate_window_is_a_utc_instant_and_classified_deadlines_stay_hidden() {
    let state = state().await;
    let editor = bearer(&state, "edda", Role::Reader, Clearance::SECRET).await;
    let router = mandat_server::router(state.clone());
    // A classified application in the simplified procedure (§ 4 ParlBG), distributed Friday
    // 2031-03-07: its debate-demand window closes at 18:00 Berlin time, in winter 17:00 UTC.
    let day = |s: &str| s.parse::<jiff::civil::Date>().expect("date");
    let terms = MandateTerms {
        missions: vec![MissionId::new("KFOR").expect("id")],
        ceiling: Some(Ceiling::new(60).expect("ceiling")),
        period: Some(
            Period::new(day("2031-03-07"), PeriodEnd::Last(day("2031-12-31"))).expect("period"),
        ),
        ..MandateTerms::default()
    };
    let fact = Fact {
        id: FactId::new("feeds-app").expect("id"),
        kind: FactKind::ApplicationDistributed {
            procedure: Procedure::Simplified,
            terms,
            extends: None,
        },
        valid: TimePoint::Day(day("2031-03-07")),
        recorded: TimePoint::At(jiff::Timestamp::now()),
        source: None,
    };
    let evidence = NewEvidence::Citation {
        text: "classified cabinet paper".into(),
    };
    state
        .app
        .record_fact(&fact, evidence, Clearance::SECRET, &Actor::system())
        .await
        .expect("record the application");

    let uri = "/feeds/deadlines.ics?mission=KFOR&from=2031-03-01&within_days=30";
    let seen = get_with(&router, uri, &[("authorization", &editor)]).await;
    let text = seen.text();
    let cal = parse_ics(&text);
    let events = cal.events;
    let window = events
        .iter()
        .find(|e| prop(e, "CATEGORIES").as_deref() == Some("debate_demand_window"))
        .unwrap_or_else(|| panic!("no debate-demand window: {text}"));
    let start = prop(window, "DTSTART").expect("DTSTART");
    assert!(
        start.starts_with("2031031") && start.ends_with("T170000Z"),
        "{start}"
    );
    assert_eq!(param(window, "DTSTART", "VALUE"), None, "a timed event");
    assert!(prop(window, "UID").is_some_and(|u| u.contains("feeds-app")));
    assert!(prop(&cal.props, "X-WR-CALNAME").is_some_and(|n| n.contains("KFOR")));

    let anon = get(&router, uri).await;
    assert_eq!(anon.status, StatusCode::OK);
    assert!(
        !anon.text().contains("feeds-app"),
        "a classified deadline reached an anonymous reader"
    );
    assert!(parse_ics(&anon.text()).events.len() < events.len());
}

#[tokio::test]
async fn ics_rejects_bad_parameters() {
    let router = mandat_server::router(state().await);
    for (uri, status) in [
        (
            "/feeds/deadlines.ics?within_days=40000",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/feeds/deadlines.ics?from=2025-02-30",
            StatusCode::BAD_REQUEST,
        ),
        ("/feeds/deadlines.ics?mission=KFRO", StatusCode::NOT_FOUND),
        ("/feeds/deadlines.ics?colour=red", StatusCode::BAD_REQUEST),
    ] {
        assert_eq!(get(&router, uri).await.status, status, "{uri}");
    }
    // The default window is a year from today; whatever it holds parses.
    let r = get(&router, "/feeds/deadlines.ics").await;
    assert_eq!(r.status, StatusCode::OK);
    parse_ics(&r.text());
}
