//! The web UI in-process (`oneshot`, no socket) over the bundled dataset in SQLite: pages,
//! languages, escaping of stored documents, sign-in, CSRF on forms and the review flow.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use mandat_app::{App, Ingested};
use mandat_server::{AppState, Config};
use mandat_store::{Actor, Clearance, Role};
use tower::ServiceExt;

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Resp {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn call(
    router: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Resp {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body.to_owned())).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(router: &Router, uri: &str, headers: &[(&str, &str)]) -> Resp {
    call(router, Method::GET, uri, headers, "").await
}

async fn post_form(router: &Router, uri: &str, cookie: &str, body: &str) -> Resp {
    let mut headers = vec![("content-type", "application/x-www-form-urlencoded")];
    if !cookie.is_empty() {
        headers.push(("cookie", cookie));
    }
    call(router, Method::POST, uri, &headers, body).await
}

async fn setup() -> (AppState, Router) {
    let app = App::open("sqlite::memory:").await.expect("open store");
    let state = AppState::new(app, Config::default());
    let router = mandat_server::router(state.clone());
    (state, router)
}

async fn user(state: &AppState, name: &str, role: Role) {
    state
        .app
        .store
        .create_user(
            &Actor::system(),
            name,
            role,
            Clearance::PUBLIC,
            Some("correct horse battery"),
        )
        .await
        .expect("create user");
}

/// Signs in through the form; the session cookie as `name=value`.
async fn sign_in(router: &Router, name: &str) -> String {
    let r = post_form(
        router,
        "/signin",
        "",
        &format!("name={name}&password=correct+horse+battery&next=%2Freview"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let set = r.header(header::SET_COOKIE);
    set.split(';').next().unwrap_or("").to_owned()
}

/// The CSRF token of the first form on a page.
fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').expect("end of value")].to_owned()
}

/// Stores a text document through the application (as an ingestion would).
async fn ingest(state: &AppState, source: &str, text: &str) -> i64 {
    let bytes = text.as_bytes();
    // Plain text, whatever it looks like: a text file may well contain markup.
    let doc = mandat_load::load(
        bytes,
        mandat_load::MediaType::Text,
        &mandat_load::Limits::default(),
    )
    .expect("load");
    match state
        .app
        .ingest(source, bytes, &doc, &Actor::system())
        .await
        .expect("ingest")
    {
        Ingested::Stored { document, .. } => document.0,
        Ingested::AlreadyPresent(id) => id.0,
    }
}

/// Whether `raw` appears in the page as escaped text, with named or numeric character references.
fn shown_as_text(html: &str, raw: &str) -> bool {
    let esc = |named: bool| {
        raw.chars()
            .map(|c| match (c, named) {
                ('&', true) => "&amp;".to_owned(),
                ('<', true) => "&lt;".to_owned(),
                ('>', true) => "&gt;".to_owned(),
                ('"', true) => "&quot;".to_owned(),
                ('&' | '<' | '>' | '"' | '\'', false) => format!("&#{};", u32::from(c)),
                (c, _) => c.to_string(),
            })
            .collect::<String>()
    };
    html.contains(&esc(true)) || html.contains(&esc(false))
}

#[tokio::test]
async fn mission_list_shows_kfor_with_status_and_ceiling() {
    let (_, router) = setup().await;
    let r = get(&router, "/", &[("accept-language", "en")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert!(
        r.header(header::CONTENT_SECURITY_POLICY)
            .contains("default-src 'none'")
    );
    assert!(
        r.body.contains("<a href=\"/missions/KFOR\">KFOR</a>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Kosovo"), "the mission's name");
    // Every mission row shows a translated status, never the bare code.
    assert!(r.body.contains("class=\"status status-"), "{}", r.body);
}

#[tokio::test]
async fn mission_page_draws_the_ceiling_series_as_svg() {
    let (_, router) = setup().await;
    let api = get(&router, "/api/v1/missions/KFOR/strength", &[]).await;
    let series: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    let ceilings = series["ceilings"].as_array().expect("ceilings");
    assert!(!ceilings.is_empty());

    let r = get(
        &router,
        "/missions/KFOR?on=2024-06-01",
        &[("accept-language", "en")],
    )
    .await;
    assert!(
        r.body.contains("<dd>NATO</dd>"),
        "the organisation as the registry spells it"
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let svg_at = r.body.find("<svg").expect("an inline svg");
    let svg = &r.body[svg_at..r.body.find("</svg>").expect("svg end")];
    assert!(
        svg.contains("<title id=\"chart-title\">Timeline: "),
        "{svg}"
    );
    assert!(svg.contains("class=\"ceiling\" d=\"M"), "a step line");
    for c in ceilings {
        let Some(n) = c["ceiling"].as_u64() else {
            continue;
        };
        let from = c["from"].as_str().expect("from");
        assert!(
            svg.contains(&format!("<title>ceiling: {n} ({from} .. ")),
            "ceiling {n} from {from} is drawn"
        );
    }
    // Years on the axis, the mandates as linked bands, the verdict and its explanation.
    assert!(
        svg.contains(">2000</text>") || svg.contains(">2010</text>"),
        "year labels"
    );
    assert!(svg.contains("<a href=\"/mandates/"));
    assert!(
        r.body.contains("status-covered"),
        "KFOR was covered on 2024-06-01"
    );
    assert!(r.body.contains("<ul class=\"tree\">"));
    assert!(r.body.contains("ParlBG"), "rules are cited");
    // The mandates table says what changed from the previous mandate.
    assert!(r.body.contains("first mandate"));
    assert!(r.body.contains("Ceiling: "), "a ceiling change is listed");
}

#[tokio::test]
async fn status_form_answers_for_a_chosen_date_and_knowledge_time() {
    let (_, router) = setup().await;
    let known = get(&router, "/missions/KFOR?on=2024-06-01&as_of=", &[]).await;
    assert!(known.body.contains("status-covered"));
    let before = get(
        &router,
        "/missions/KFOR?on=2024-06-01&as_of=1999-01-01",
        &[],
    )
    .await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(
        !before
            .body
            .contains("<span class=\"status status-covered\">"),
        "{}",
        before.body
    );
    assert!(
        before.body.contains("value=\"1999-01-01\""),
        "the form keeps its input"
    );
}

#[tokio::test]
async fn language_follows_accept_language_and_the_switch() {
    let (_, router) = setup().await;
    let de = get(
        &router,
        "/missions/KFOR",
        &[("accept-language", "de-DE,de;q=0.9,en;q=0.5")],
    )
    .await;
    assert!(de.body.contains("<html lang=\"de\">"));
    assert!(de.body.contains("Zeitleiste") && de.body.contains("Mandate"));
    assert!(!de.body.contains(">Timeline<"));
    let en = get(
        &router,
        "/missions/KFOR",
        &[("accept-language", "en-GB,en;q=0.9")],
    )
    .await;
    assert!(en.body.contains("<html lang=\"en\">"));
    assert!(en.body.contains(">Timeline<"));
    assert!(!en.body.contains("Zeitleiste"));

    // The switch sets a cookie and returns to the page; the cookie beats Accept-Language.
    let sw = get(&router, "/lang?lang=de&next=/missions/KFOR", &[]).await;
    assert_eq!(sw.status, StatusCode::SEE_OTHER);
    assert_eq!(sw.header(header::LOCATION), "/missions/KFOR");
    assert!(sw.header(header::SET_COOKIE).starts_with("mandat_lang=de;"));
    let r = get(
        &router,
        "/",
        &[("accept-language", "en"), ("cookie", "mandat_lang=de")],
    )
    .await;
    assert!(r.body.contains("<html lang=\"de\">"));
    assert!(
        r.body.contains("href=\"/lang?lang=en&amp;next=/\"")
            || r.body.contains("href=\"/lang?lang=en&#38;next=/\""),
        "the switch offers English"
    );
    // The switch never redirects off the site.
    let off = get(&router, "/lang?lang=en&next=//evil.example/", &[]).await;
    assert_eq!(off.header(header::LOCATION), "/");
}

#[tokio::test]
async fn a_document_with_a_script_is_shown_as_text_with_facts_highlighted() {
    let (state, router) = setup().await;
    let text = "<script>alert(\"x\")</script>\nDie Bundesregierung hat am 21. Mai 2025 beschlossen, \
                die Beteiligung bewaffneter deutscher Streitkräfte an der NATO-geführten Operation \
                KFOR fortzusetzen. Es können bis zu 400 Soldatinnen und Soldaten eingesetzt werden. \
                <b>fett</b> &amp;\n";
    let id = ingest(&state, "evil.txt", text).await;
    let r = get(
        &router,
        &format!("/documents/{id}"),
        &[("accept-language", "de")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("<script"), "{}", r.body);
    assert!(
        shown_as_text(&r.body, "<script>alert(\"x\")</script>"),
        "{}",
        r.body
    );
    assert!(shown_as_text(&r.body, "<b>fett</b> &amp;"));
    // The extracted ceiling is highlighted with an id the citations link to.
    assert!(r.body.contains("<mark id=\"span-"), "{}", r.body);
    let api = get(&router, &format!("/api/v1/documents/{id}"), &[]).await;
    let doc: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    for c in doc["claims"].as_array().expect("claims") {
        let span = c["span"].as_array().expect("span");
        let anchor = format!("id=\"span-{}-{}\"", span[0], span[1]);
        assert!(r.body.contains(&anchor), "{anchor}");
    }
}

#[tokio::test]
async fn errors_are_html_pages_with_the_right_status() {
    let (_, router) = setup().await;
    let cases = [
        ("/missions/NO-SUCH-MISSION", StatusCode::NOT_FOUND),
        ("/missions/KFOR?on=2025-02-30", StatusCode::BAD_REQUEST),
        ("/missions/KFOR?as_of=someday", StatusCode::BAD_REQUEST),
        ("/documents/999999", StatusCode::NOT_FOUND),
        ("/documents/abc", StatusCode::BAD_REQUEST),
        ("/mandates/no-such-mandate", StatusCode::NOT_FOUND),
        ("/search?q=kfor&from=2025-13-01", StatusCode::BAD_REQUEST),
        ("/deadlines?within_days=lots", StatusCode::BAD_REQUEST),
        ("/lang?lang=fr", StatusCode::BAD_REQUEST),
    ];
    for (uri, status) in cases {
        let r = get(&router, uri, &[("accept-language", "en")]).await;
        assert_eq!(r.status, status, "{uri}: {}", r.body);
        assert!(
            r.header(header::CONTENT_TYPE).starts_with("text/html"),
            "{uri}"
        );
        assert!(
            r.body.contains(&format!("({})", status.as_u16())),
            "{uri}: {}",
            r.body
        );
        assert!(r.body.contains("href=\"/\""), "{uri}: a way back");
    }
}

#[tokio::test]
async fn mandate_page_explains_and_cites() {
    let (_, router) = setup().await;
    let api = get(&router, "/api/v1/missions/KFOR/mandates", &[]).await;
    let mandates: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    let second = &mandates[1];
    let id = second["fact_id"].as_str().expect("fact id");
    let r = get(
        &router,
        &format!("/mandates/{id}"),
        &[("accept-language", "en")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&format!("Mandate {id}")));
    assert!(r.body.contains("<ul class=\"tree\">"));
    assert!(r.body.contains("Status on its first day"));
    let prev = second["previous"].as_str().expect("a previous mandate");
    assert!(
        r.body
            .contains(&format!("<a href=\"/mandates/{prev}\">{prev}</a>"))
    );
    assert!(r.body.contains("<h2 id=\"cite-h\">Citations</h2>"));
}

#[tokio::test]
async fn search_and_deadlines_pages_answer() {
    let (state, router) = setup().await;
    let r = get(&router, "/search?q=KFOR", &[("accept-language", "en")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<ol class=\"hits\">"));
    assert!(
        r.body.contains("href=\"/documents/"),
        "hits link to the passage"
    );
    let empty = get(&router, "/search", &[]).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(!empty.body.contains("<ol class=\"hits\">"));
    let d = get(
        &router,
        "/deadlines?from=2025-01-01&within_days=3650",
        &[("accept-language", "en")],
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert!(d.body.contains("mandate lapses"), "{}", d.body);
    let data = get(&router, "/data", &[]).await;
    assert_eq!(data.status, StatusCode::OK);
    assert!(data.body.contains("<a href=\"/missions/KFOR\">KFOR</a>"));
    // The gap columns: KFOR's row ends with its mandates without ceiling, votes with counts and
    // strength reports, counted from the same registry the API serves.
    let reg = state
        .app
        .registry(mandat_store::Clearance::PUBLIC)
        .await
        .unwrap();
    let kfor: mandat_core::MissionId = "KFOR".parse().unwrap();
    let count = |pred: &dyn Fn(&mandat_core::FactKind) -> bool| {
        reg.mission_facts(&kfor).filter(|f| pred(&f.kind)).count()
    };
    use mandat_core::FactKind as K;
    let no_ceiling =
        count(&|k| matches!(k, K::MandateApproved { terms, .. } if terms.ceiling.is_none()));
    let tallies = count(&|k| matches!(k, K::Vote { tally, .. } if tally.yes.is_some()));
    let strength = reg.strength_reports(&kfor).count();
    assert!(strength > 0, "KFOR has strength reports");
    let row = data
        .body
        .split("<a href=\"/missions/KFOR\">KFOR</a>")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("KFOR row");
    assert!(
        row.ends_with(&format!(
            "<td class=\"num\">{no_ceiling}</td>\n<td class=\"num\">{tallies}</td>\n<td class=\"num\">{strength}</td>\n"
        )),
        "{row}"
    );
    // The gaps between mandates, computed from the same registry: every gap has its row, with
    // its days; KFOR has none.
    let gaps = data
        .body
        .split("<h2 id=\"gaps\">")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .expect("a gap table");
    let computed = mandat_rules::all_coverage_gaps(&reg);
    assert!(!computed.is_empty());
    for g in &computed {
        assert!(
            gaps.contains(&format!(
                "<td><time datetime=\"{}\">{}</time></td>\n<td><time datetime=\"{}\">{}</time></td>\n<td class=\"num\">{}</td>",
                g.from, g.from, g.until, g.until, g.days()
            )),
            "{g:?} not on the data page"
        );
    }
    assert_eq!(gaps.matches("<tr>").count(), computed.len() + 1);
    assert!(!gaps.contains("/missions/KFOR\""), "{gaps}");
}

#[tokio::test]
async fn review_needs_a_signed_in_reviewer() {
    let (state, router) = setup().await;
    let anon = get(&router, "/review", &[]).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.header(header::LOCATION), "/signin?next=/review");

    user(&state, "rita", Role::Reader).await;
    let cookie = sign_in(&router, "rita").await;
    let r = get(&router, "/review", &[("cookie", &cookie)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/html"));
}

#[tokio::test]
async fn sign_in_sets_a_session_cookie_and_wrong_passwords_do_not() {
    let (state, router) = setup().await;
    user(&state, "vera", Role::Reviewer).await;
    let r = post_form(
        &router,
        "/signin",
        "",
        "name=vera&password=correct+horse+battery&next=%2Fdata",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header(header::LOCATION), "/data");
    let set = r.header(header::SET_COOKIE);
    assert!(set.starts_with("mandat_session=mdt_"), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap_or("");
    let page = get(
        &router,
        "/",
        &[("cookie", cookie), ("accept-language", "en")],
    )
    .await;
    assert!(page.body.contains("Signed in as <strong>vera</strong>"));
    assert!(
        page.body.contains("href=\"/review\""),
        "reviewers see the review queue"
    );

    let bad = post_form(&router, "/signin", "", "name=vera&password=wrong&next=%2F").await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.headers.get(header::SET_COOKIE).is_none());
    assert!(bad.body.contains("role=\"alert\""));
    // An off-site `next` is never followed.
    let off = post_form(
        &router,
        "/signin",
        "",
        "name=vera&password=correct+horse+battery&next=%2F%2Fevil.example",
    )
    .await;
    assert_eq!(off.header(header::LOCATION), "/");
}

#[tokio::test]
async fn review_forms_need_the_csrf_token() {
    let (state, router) = setup().await;
    let doc = ingest(
        &state,
        "proposal.txt",
        "Die Bundesregierung hat am 21. Mai 2025 beschlossen, die Beteiligung bewaffneter deutscher \
         Streitkräfte an der NATO-geführten Operation KFOR fortzusetzen. Es können bis zu 400 \
         Soldatinnen und Soldaten eingesetzt werden.",
    )
    .await;
    user(&state, "vera", Role::Reviewer).await;
    let cookie = sign_in(&router, "vera").await;
    let page = get(&router, "/review", &[("cookie", &cookie)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(&format!("/documents/{doc}#span-")),
        "proposals link to their span"
    );
    let token = csrf_of(&page.body);
    let at = page
        .body
        .find("action=\"/review/")
        .expect("a proposal form");
    let rest = &page.body[at + "action=\"/review/".len()..];
    let claim: i64 = rest[..rest.find('/').expect("id end")]
        .parse()
        .expect("claim id");

    // Without the token, or with another one, nothing happens.
    let none = post_form(&router, &format!("/review/{claim}/reject"), &cookie, "").await;
    assert_eq!(none.status, StatusCode::FORBIDDEN, "{}", none.body);
    let wrong = post_form(
        &router,
        &format!("/review/{claim}/reject"),
        &cookie,
        "csrf=0123456789abcdef0123456789abcdef",
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // Anonymous: no session, no decision.
    let anon = post_form(
        &router,
        &format!("/review/{claim}/reject"),
        "",
        &format!("csrf={token}"),
    )
    .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let still = get(&router, "/review", &[("cookie", &cookie)]).await;
    assert!(still.body.contains(&format!("id=\"claim-{claim}\"")));

    // With the token the decision is made and the proposal leaves the queue.
    let ok = post_form(
        &router,
        &format!("/review/{claim}/reject"),
        &cookie,
        &format!("csrf={token}"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert!(ok.header(header::LOCATION).starts_with("/review?done="));
    let after = get(&router, ok.header(header::LOCATION), &[("cookie", &cookie)]).await;
    assert!(!after.body.contains(&format!("id=\"claim-{claim}\"")));
    assert!(after.body.contains("role=\"status\""));

    // Sign-out is a form too: without the token it is refused, with it the session ends.
    let out = post_form(&router, "/signout", &cookie, "").await;
    assert_eq!(out.status, StatusCode::FORBIDDEN);
    let out = post_form(&router, "/signout", &cookie, &format!("csrf={token}")).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.header(header::SET_COOKIE).contains("Max-Age=0"));
    let gone = get(&router, "/review", &[("cookie", &cookie)]).await;
    assert_eq!(
        gone.status,
        StatusCode::SEE_OTHER,
        "the revoked session is anonymous"
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_and_say_so_in_the_page_language() {
    let app = App::open("sqlite::memory:").await.expect("open store");
    let config = Config {
        sign_in_per_minute: 2,
        ..Config::default()
    };
    let state = AppState::new(app, config);
    let router = mandat_server::router(state.clone());
    user(&state, "vera", Role::Reviewer).await;
    let headers = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("accept-language", "de"),
    ];
    let attempt = || {
        call(
            &router,
            Method::POST,
            "/signin",
            &headers,
            "name=vera&password=nope",
        )
    };
    assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    let limited = attempt().await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited.body.contains("Zu viele Versuche"),
        "{}",
        limited.body
    );
    // Even the right password waits for the window to pass.
    let right = call(
        &router,
        Method::POST,
        "/signin",
        &headers,
        "name=vera&password=correct+horse+battery",
    )
    .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(right.headers.get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn classified_documents_stay_hidden_from_pages() {
    let (state, router) = setup().await;
    let text = "Geheimvermerk Zebrafink: KFOR wird verlegt.\n";
    let doc = mandat_load::load(
        text.as_bytes(),
        mandat_load::MediaType::Text,
        &mandat_load::Limits::default(),
    )
    .expect("load");
    let id = match state
        .app
        .ingest_classified(
            "secret.txt",
            text.as_bytes(),
            &doc,
            Clearance::SECRET,
            &Actor::system(),
        )
        .await
        .expect("ingest")
    {
        Ingested::Stored { document, .. } => document.0,
        Ingested::AlreadyPresent(d) => d.0,
    };
    let r = get(&router, &format!("/documents/{id}"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("Zebrafink"));
    let s = get(&router, "/search?q=Zebrafink", &[]).await;
    assert_eq!(s.status, StatusCode::OK);
    assert!(!s.body.contains("Zebrafink</"), "{}", s.body);
    assert!(!s.body.contains(&format!("/documents/{id}#")));
}

#[tokio::test]
async fn sign_in_from_another_site_is_refused() {
    let (state, router) = setup().await;
    user(&state, "vera", Role::Reviewer).await;
    let body = "name=vera&password=correct+horse+battery&next=%2F";
    let form = ("content-type", "application/x-www-form-urlencoded");
    for extra in [
        [
            ("origin", "https://evil.example"),
            ("host", "mandat.example"),
        ],
        [("sec-fetch-site", "cross-site"), ("host", "mandat.example")],
        [("origin", "null"), ("host", "mandat.example")],
    ] {
        let headers = [form, extra[0], extra[1]];
        let r = call(&router, Method::POST, "/signin", &headers, body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{extra:?}");
        assert!(r.headers.get(header::SET_COOKIE).is_none());
    }
    // The same site signs in.
    let headers = [
        form,
        ("origin", "http://mandat.example"),
        ("host", "mandat.example"),
        ("sec-fetch-site", "same-origin"),
    ];
    let r = call(&router, Method::POST, "/signin", &headers, body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}
