//! The JSON API, in-process (`oneshot`, no socket) on SQLite, the access rules checked against
//! every route of the OpenAPI document, one run over a real socket, and the read/write flow on
//! PostgreSQL.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use mandat_app::App;
use mandat_server::{AppState, Config};
use mandat_store::{Clearance, Role};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(400)])
            )
        })
    }
}

async fn call(
    router: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Resp {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

async fn get(router: &Router, uri: &str) -> Resp {
    call(router, Method::GET, uri, &[], Vec::new()).await
}

async fn state_on(url: &str) -> AppState {
    let app = App::open(url).await.expect("open store");
    AppState::new(app, Config::default())
}

async fn sqlite_state() -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    (state_on(&url).await, dir)
}

/// A user with `role` and a bearer token for them.
async fn token(state: &AppState, name: &str, role: Role, clearance: Clearance) -> String {
    let admin = mandat_store::Actor::system();
    let user = state
        .app
        .store
        .create_user(&admin, name, role, clearance, Some("correct horse battery"))
        .await
        .expect("create user");
    state
        .app
        .store
        .create_token(user.id, "test")
        .await
        .expect("token")
        .secret
}

fn error_code(r: &Resp) -> String {
    r.json()["code"].as_str().unwrap_or("").to_owned()
}

#[tokio::test]
async fn status_answers_with_verdict_explanation_and_sources() {
    let (state, _dir) = sqlite_state().await;
    let router = mandat_server::router(state);
    let r = get(&router, "/api/v1/missions/KFOR/status?on=2024-06-01").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let v = r.json();
    assert_eq!(v["verdict"]["status"], "covered", "{v:#}");
    assert!(v["verdict"]["ceiling"].as_u64().is_some(), "{v:#}");
    assert!(v["verdict"]["explanation"]["rule"].is_string(), "{v:#}");
    assert!(!v["sources"].as_array().unwrap().is_empty(), "{v:#}");
    assert!(r.headers.contains_key("x-request-id"));

    // Names and aliases resolve like in the CLI.
    let r = get(
        &router,
        "/api/v1/missions/kosovo%20force/status?on=2024-06-01",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["verdict"]["query"]["mission"], "KFOR");

    // As known before the 1999 approval was recorded, there was no mandate.
    let r = get(
        &router,
        "/api/v1/missions/KFOR/status?on=2024-06-01&as_of=1999-01-01",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_ne!(r.json()["verdict"]["status"], "covered");
}

#[tokio::test]
async fn gaps_lists_the_days_between_mandates() {
    let (state, _dir) = sqlite_state().await;
    let router = mandat_server::router(state);
    let r = get(&router, "/api/v1/missions/UNIFIL/gaps").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let gaps = r.json();
    let gaps = gaps.as_array().expect("a list");
    // The 2007 mandate ran to 15 September 2008; the next approval came on the 17th.
    let g = gaps
        .iter()
        .find(|g| g["from"] == "2008-09-16")
        .expect("the gap of 16 September 2008");
    assert_eq!(g["until"], "2008-09-16");
    assert_eq!(g["days"], 1);
    assert_eq!(g["before"], "unifil-2008-approved");
    // Oldest first.
    let froms: Vec<&str> = gaps.iter().map(|g| g["from"].as_str().unwrap()).collect();
    assert!(froms.windows(2).all(|w| w[0] < w[1]), "{froms:?}");
    // KFOR has none; an unknown mission is 404 with its code.
    let r = get(&router, "/api/v1/missions/KFOR/gaps").await;
    assert_eq!(r.json(), serde_json::json!([]));
    let r = get(&router, "/api/v1/missions/NOPE/gaps").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Posts a strength report for KFOR through the API.
async fn post_strength(router: &Router, auth: &str, id: &str, count: u32, valid: &str) {
    let fact = json!({"fact": {"id": id, "kind": "strength_report", "missions": ["KFOR"],
        "count": count, "valid": valid},
        "evidence": {"type": "citation", "text": "Bundeswehr, Einsatzzahlen"}});
    let r = call(
        router,
        Method::POST,
        "/api/v1/facts",
        &[
            ("authorization", auth),
            ("content-type", "application/json"),
        ],
        serde_json::to_vec(&fact).unwrap(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
}

#[tokio::test]
async fn a_cached_status_answer_gives_way_to_the_next_write() {
    const URI: &str = "/api/v1/missions/KFOR/status?on=2024-06-01";
    let (state, _dir) = sqlite_state().await;
    let editor = token(&state, "erich", Role::Editor, Clearance::PUBLIC).await;
    let auth = format!("Bearer {editor}");
    // A check interval longer than the test: only the invalidation can make a write visible.
    let state = AppState::new(
        state.app.clone(),
        Config {
            registry_check_interval: std::time::Duration::from_secs(3600),
            ..Config::default()
        },
    );
    let router = mandat_server::router(state.clone());

    // The second identical question is answered from the cache, byte for byte.
    let first = get(&router, URI).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(state.cache.kept_bodies(), 1);
    let again = get(&router, URI).await;
    assert_eq!(again.body, first.body);
    assert_eq!(
        again.headers["content-type"], "application/json",
        "{:?}",
        again.headers
    );
    assert_eq!(state.cache.kept_bodies(), 1);
    // `today` is resolved before the cache is asked, so it is its own entry.
    let today = get(&router, "/api/v1/missions/KFOR/status").await;
    assert_eq!(today.status, StatusCode::OK);
    assert_eq!(state.cache.kept_bodies(), 2);

    // A write through the server: the very next read uses it.
    post_strength(&router, &auth, "cache-test-strength-1", 4321, "2024-05-30").await;
    let after = get(&router, URI).await;
    let check = &after.json()["verdict"]["check"];
    assert_eq!(check["report"], "cache-test-strength-1", "{check:#}");
    assert_eq!(check["strength"], 4321, "{check:#}");
    assert_ne!(after.body, first.body);

    // A write by another process (straight into the store, as the CLI does) is seen once the
    // cache asks the store again; with no check interval that is the next read.
    let app = state.app.clone();
    let state = AppState::new(
        app,
        Config {
            registry_check_interval: std::time::Duration::ZERO,
            ..Config::default()
        },
    );
    let router = mandat_server::router(state.clone());
    let before = get(&router, URI).await;
    assert_eq!(before.json()["verdict"]["check"]["strength"], 4321);
    let fact: mandat_core::Fact = serde_json::from_value(json!({"id": "cache-test-strength-2",
        "kind": "strength_report", "missions": ["KFOR"], "count": 1234, "valid": "2024-05-31",
        "recorded": jiff::Timestamp::now().to_string()}))
    .unwrap();
    state
        .app
        .record_fact(
            &fact,
            mandat_store::NewEvidence::Citation {
                text: "Bundeswehr, Einsatzzahlen".into(),
            },
            Clearance::PUBLIC,
            &mandat_store::Actor::system(),
        )
        .await
        .expect("record a fact");
    let after = get(&router, URI).await;
    let check = &after.json()["verdict"]["check"];
    assert_eq!(check["strength"], 1234, "{check:#}");
}

#[tokio::test]
async fn bad_input_is_4xx_with_a_stable_code() {
    let (state, _dir) = sqlite_state().await;
    let router = mandat_server::router(state);
    let cases: &[(&str, StatusCode, &str)] = &[
        (
            "/api/v1/missions/KFRO/status",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/v1/missions/KFOR/status?on=2025-06-31",
            StatusCode::BAD_REQUEST,
            "invalid_date",
        ),
        (
            "/api/v1/missions/KFOR/status?as_of=yesterday",
            StatusCode::BAD_REQUEST,
            "invalid_date",
        ),
        (
            "/api/v1/missions/KFOR/status?colour=red",
            StatusCode::BAD_REQUEST,
            "unknown_field",
        ),
        (
            "/api/v1/missions/KFOR/status?options=nonsense",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/v1/deadlines?within_days=-3",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/v1/deadlines?within_days=99999999",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/v1/documents/abc",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/v1/documents/999999",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/v1/documents?limit=0",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        ("/api/v1/search", StatusCode::BAD_REQUEST, "bad_request"),
        (
            "/api/v1/search?q=%20",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/v1/search?q=kfor&from=2025-02-30",
            StatusCode::BAD_REQUEST,
            "invalid_date",
        ),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND, "not_found"),
    ];
    for (uri, status, code) in cases {
        let r = get(&router, uri).await;
        assert_eq!(
            r.status,
            *status,
            "{uri}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(error_code(&r), *code, "{uri}");
        assert!(r.json()["message"].is_string(), "{uri}");
    }
    // The unknown mission's message suggests the nearest name.
    let r = get(&router, "/api/v1/missions/KFRO").await;
    assert!(r.json()["message"].as_str().unwrap().contains("KFOR"));
}

#[tokio::test]
async fn every_write_route_refuses_anonymous_callers() {
    let (state, _dir) = sqlite_state().await;
    let router = mandat_server::router(state);
    let doc = serde_json::to_value(mandat_server::openapi()).unwrap();
    let mut writes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let m: Method = method.to_uppercase().parse().unwrap();
            let uri = path.replace("{id}", "1");
            let needs_auth = op.get("security").is_some();
            if m == Method::GET && !needs_auth {
                continue;
            }
            if path == "/api/v1/session" && m == Method::POST {
                // Sign-in itself: anonymous by nature, and answers 401 to wrong credentials.
                let r = call(
                    &router,
                    m,
                    &uri,
                    &[("content-type", "application/json")],
                    br#"{"name":"nobody","password":"x"}"#.to_vec(),
                )
                .await;
                assert_eq!(r.status, StatusCode::UNAUTHORIZED);
                continue;
            }
            writes += 1;
            let r = call(
                &router,
                m.clone(),
                &uri,
                &[("content-type", "application/json")],
                b"{}".to_vec(),
            )
            .await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} is open to anonymous callers: {}",
                String::from_utf8_lossy(&r.body)
            );
            assert_eq!(error_code(&r), "unauthorized");
            // A wrong token is no better than none.
            let r = call(
                &router,
                m,
                &uri,
                &[("authorization", "Bearer mdt_x_y")],
                Vec::new(),
            )
            .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        }
    }
    assert!(
        writes >= 7,
        "the OpenAPI document lists only {writes} protected operations"
    );
}

#[tokio::test]
async fn openapi_document_lists_the_api() {
    let doc = serde_json::to_value(mandat_server::openapi()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for p in [
        "/api/v1/missions",
        "/api/v1/missions/{id}/status",
        "/api/v1/missions/{id}/mandates",
        "/api/v1/missions/{id}/strength",
        "/api/v1/missions/{id}/gaps",
        "/api/v1/deadlines",
        "/api/v1/documents/{id}",
        "/api/v1/search",
        "/api/v1/changes",
        "/api/v1/proposals",
        "/api/v1/facts",
        "/api/v1/subscriptions",
        "/api/v1/subscriptions/{id}",
    ] {
        assert!(
            doc["paths"].get(p).is_some(),
            "{p} missing from the OpenAPI document"
        );
    }
    let (state, _dir) = sqlite_state().await;
    let router = mandat_server::router(state);
    let r = get(&router, "/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), doc);
}

#[tokio::test]
async fn roles_decide_who_writes() {
    let (state, _dir) = sqlite_state().await;
    let reader = token(&state, "rita", Role::Reader, Clearance::PUBLIC).await;
    let reviewer = token(&state, "rolf", Role::Reviewer, Clearance::PUBLIC).await;
    let router = mandat_server::router(state);
    let fact = json!({"fact": {"id": "x-1", "kind": "strength_report", "missions": ["KFOR"],
        "count": 12, "valid": "2024-01-01"}, "evidence": {"type": "citation", "text": "test"}});
    for t in [&reader, &reviewer] {
        let auth = format!("Bearer {t}");
        let r = call(
            &router,
            Method::POST,
            "/api/v1/facts",
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            serde_json::to_vec(&fact).unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(error_code(&r), "forbidden");
    }
    let auth = format!("Bearer {reader}");
    let r = call(
        &router,
        Method::GET,
        "/api/v1/proposals",
        &[("authorization", &auth)],
        Vec::new(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let auth = format!("Bearer {reviewer}");
    let r = call(
        &router,
        Method::GET,
        "/api/v1/proposals",
        &[("authorization", &auth)],
        Vec::new(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

/// Upload, review and verdict over one backend.
async fn editor_flow(state: AppState) {
    let editor = token(&state, "erika", Role::Editor, Clearance::PUBLIC).await;
    let auth = format!("Bearer {editor}");
    let router = mandat_server::router(state.clone());

    // A fact entered by hand moves the strength series.
    let fact = json!({"fact": {"id": "api-test-strength", "kind": "strength_report",
        "missions": ["KFOR"], "count": 321, "valid": "2024-07-01"},
        "evidence": {"type": "citation", "text": "Bundeswehr, Einsatzzahlen, 2024-07-01"}});
    let r = call(
        &router,
        Method::POST,
        "/api/v1/facts",
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        serde_json::to_vec(&fact).unwrap(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let r = get(&router, "/api/v1/missions/KFOR/strength").await;
    assert!(
        r.json()["strength"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["count"] == 321)
    );
    // The same id again is a conflict; an unknown field and an impossible date are 400.
    let r = call(
        &router,
        Method::POST,
        "/api/v1/facts",
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        serde_json::to_vec(&fact).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let bad = json!({"fact": {"id": "y", "kind": "strength_report", "missions": ["KFOR"],
        "count": 1, "valid": "2024-06-31"}, "evidence": {"type": "citation", "text": "t"}});
    let r = call(
        &router,
        Method::POST,
        "/api/v1/facts",
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        serde_json::to_vec(&bad).unwrap(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let r = call(
        &router,
        Method::POST,
        "/api/v1/facts",
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        br#"{"fact": {}, "evidence": {"type": "citation", "text": "t"}, "extra": 1}"#.to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&r), "unknown_field");
    let r = call(
        &router,
        Method::POST,
        "/api/v1/facts",
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        b"{not json".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // A document upload proposes facts; accepting one makes it count.
    let text = "Die Bundesregierung hat am 21. Mai 2025 beschlossen, die Beteiligung bewaffneter \
        deutscher Streitkräfte an der NATO-geführten Operation KFOR fortzusetzen. Es können bis zu \
        400 Soldatinnen und Soldaten eingesetzt werden.";
    let r = call(
        &router,
        Method::POST,
        "/api/v1/documents?source=kfor-test.txt",
        &[
            ("authorization", &auth),
            ("content-type", "application/octet-stream"),
        ],
        text.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let up = r.json();
    assert!(up["proposals"].as_u64().unwrap() >= 1, "{up}");
    let doc_id = up["document"].as_i64().unwrap();
    // Re-uploading is a no-op that says so.
    let r = call(
        &router,
        Method::POST,
        "/api/v1/documents?source=again.txt",
        &[("authorization", &auth)],
        text.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["already_present"], true);
    // Binary garbage is refused with a code, and stores nothing.
    let r = call(
        &router,
        Method::POST,
        "/api/v1/documents?source=x.bin",
        &[("authorization", &auth)],
        vec![0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0],
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(error_code(&r), "unreadable_document");

    let r = get(&router, &format!("/api/v1/documents/{doc_id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let d = r.json();
    let claims = d["claims"].as_array().unwrap();
    assert!(!claims.is_empty());
    let text_back = d["text"].as_str().unwrap();
    for c in claims {
        let [s, e] = [
            c["span"][0].as_u64().unwrap() as usize,
            c["span"][1].as_u64().unwrap() as usize,
        ];
        assert_eq!(
            &text_back[s..e],
            c["evidence"].as_str().unwrap(),
            "spans slice the text"
        );
        assert_eq!(c["status"], "proposed");
    }
    let ceiling = claims
        .iter()
        .find(|c| c["payload"].to_string().contains("400"))
        .unwrap_or(&claims[0]);
    let id = ceiling["id"].as_i64().unwrap();
    let r = call(
        &router,
        Method::POST,
        &format!("/api/v1/proposals/{id}/accept"),
        &[("authorization", &auth)],
        Vec::new(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["status"], "accepted");
    // Twice is a conflict, not a second acceptance.
    let r = call(
        &router,
        Method::POST,
        &format!("/api/v1/proposals/{id}/accept"),
        &[("authorization", &auth)],
        Vec::new(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "{}",
        String::from_utf8_lossy(&r.body)
    );

    // The changes feed shows the acceptance after a cursor, and pages onwards (the seeded dataset
    // alone fills several pages) until a page comes back empty.
    let mut seen: Vec<Value> = Vec::new();
    let mut since = 0;
    loop {
        let r = get(&router, &format!("/api/v1/changes?since={since}&limit=500")).await;
        let page = r.json();
        let changes = page["changes"].as_array().unwrap().clone();
        if changes.is_empty() {
            break;
        }
        let next = page["next"].as_i64().unwrap();
        assert!(next > since, "the cursor moves on: {since} -> {next}");
        since = next;
        seen.extend(changes);
    }
    assert!(
        seen.iter()
            .any(|c| c["claim"]["id"] == id && c["status"] == "accepted")
    );
    let r = get(&router, "/api/v1/search?q=Soldatinnen&mission=KFOR").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert!(
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["document"] == doc_id)
    );
}

#[tokio::test]
async fn editors_upload_and_reviewers_accept_on_sqlite() {
    let (state, _dir) = sqlite_state().await;
    editor_flow(state).await;
}

#[tokio::test]
async fn editors_upload_and_reviewers_accept_on_postgres() {
    let url = mandat_store::scratch::test_server_url();
    let schema = mandat_store::scratch::ScratchSchema::create(&url, "mandat_srv")
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is not reachable at {url} ({e}); start it (CI does) or set MANDAT_TEST_PG_URL")
        });
    let state = state_on(schema.url()).await;
    let result = tokio::spawn(editor_flow(state.clone())).await;
    state.app.store.close().await;
    schema.drop_schema().await.unwrap();
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test]
async fn classified_evidence_is_invisible_below_clearance() {
    let (state, _dir) = sqlite_state().await;
    let editor = token(&state, "eva", Role::Editor, Clearance::SECRET).await;
    let auth = format!("Bearer {editor}");
    let router = mandat_server::router(state.clone());
    let text =
        "Geheim: Das Kontingent KFOR umfasst derzeit 777 Soldatinnen und Soldaten im Kosovo.";
    let r = call(
        &router,
        Method::POST,
        "/api/v1/documents?source=secret.txt&classification=3",
        &[("authorization", &auth)],
        text.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let doc = r.json()["document"].as_i64().unwrap();
    let props = call(
        &router,
        Method::GET,
        &format!("/api/v1/proposals?document={doc}"),
        &[("authorization", &auth)],
        Vec::new(),
    )
    .await
    .json();
    for p in props.as_array().unwrap() {
        let id = p["id"].as_i64().unwrap();
        let r = call(
            &router,
            Method::POST,
            &format!("/api/v1/proposals/{id}/accept"),
            &[("authorization", &auth)],
            Vec::new(),
        )
        .await;
        assert!(
            r.status.is_success()
                || r.status == StatusCode::CONFLICT
                || r.status == StatusCode::BAD_REQUEST
        );
    }
    // The cleared editor sees it everywhere; the public nowhere.
    let r = call(
        &router,
        Method::GET,
        &format!("/api/v1/documents/{doc}"),
        &[("authorization", &auth)],
        Vec::new(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = get(&router, &format!("/api/v1/documents/{doc}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = get(&router, "/api/v1/search?q=Kontingent").await;
    assert!(!String::from_utf8_lossy(&r.body).contains("777"));
    let r = get(&router, "/api/v1/changes?limit=500").await;
    assert!(!String::from_utf8_lossy(&r.body).contains(&format!("\"document\":{doc}")));
    let r = get(&router, "/api/v1/documents?limit=500").await;
    assert!(!r.json().as_array().unwrap().iter().any(|d| d["id"] == doc));
    let r = get(&router, "/api/v1/missions/KFOR/strength").await;
    assert!(!String::from_utf8_lossy(&r.body).contains("777"));
}

#[tokio::test]
async fn sessions_need_csrf_for_writes_and_sign_in_is_rate_limited() {
    let (state, _dir) = sqlite_state().await;
    token(&state, "sina", Role::Editor, Clearance::PUBLIC).await;
    let router = mandat_server::router(state);
    let r = call(
        &router,
        Method::POST,
        "/api/v1/session",
        &[("content-type", "application/json")],
        br#"{"name":"sina","password":"correct horse battery"}"#.to_vec(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let cookie = r.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();
    let csrf = r.json()["csrf_token"].as_str().unwrap().to_owned();
    let fact = br#"{"fact": {"id": "s-1", "kind": "strength_report", "missions": ["KFOR"],
        "count": 5, "valid": "2024-01-02"}, "evidence": {"type": "citation", "text": "t"}}"#;
    let r = call(
        &router,
        Method::POST,
        "/api/v1/facts",
        &[("cookie", &pair), ("content-type", "application/json")],
        fact.to_vec(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a cookie alone must not write"
    );
    let r = call(
        &router,
        Method::POST,
        "/api/v1/facts",
        &[
            ("cookie", &pair),
            ("content-type", "application/json"),
            ("x-csrf-token", "0000"),
        ],
        fact.to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = call(
        &router,
        Method::POST,
        "/api/v1/facts",
        &[
            ("cookie", &pair),
            ("content-type", "application/json"),
            ("x-csrf-token", &csrf),
        ],
        fact.to_vec(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    // Sign-out revokes the session.
    let r = call(
        &router,
        Method::DELETE,
        "/api/v1/session",
        &[("cookie", &pair), ("x-csrf-token", &csrf)],
        Vec::new(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = call(
        &router,
        Method::GET,
        "/api/v1/session",
        &[("cookie", &pair)],
        Vec::new(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Guessing passwords hits the limit.
    let mut limited = false;
    for _ in 0..30 {
        let r = call(
            &router,
            Method::POST,
            "/api/v1/session",
            &[("content-type", "application/json")],
            br#"{"name":"sina","password":"wrong"}"#.to_vec(),
        )
        .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(error_code(&r), "rate_limited");
            limited = true;
            break;
        }
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    assert!(limited, "30 wrong passwords in a row were never limited");
}

#[tokio::test]
async fn serves_over_a_real_socket_and_shuts_down_gracefully() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (state, _dir) = sqlite_state().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(mandat_server::serve_on(listener, state, async {
        let _ = rx.await;
    }));
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /api/v1/missions/KFOR/status?on=2024-06-01 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    assert!(
        out.starts_with("HTTP/1.1 200"),
        "{}",
        &out[..out.len().min(300)]
    );
    assert!(out.contains("\"covered\""));
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_correction_keeps_the_fact_id_and_a_refused_one_changes_nothing() {
    let (state, _dir) = sqlite_state().await;
    let editor = token(&state, "elke", Role::Editor, Clearance::PUBLIC).await;
    let auth = format!("Bearer {editor}");
    let router = mandat_server::router(state);
    let text = "Das Bundeskabinett hat am 21. Mai 2025 beschlossen, die Beteiligung an KFOR \
        fortzusetzen. Es können bis zu 400 Soldatinnen und Soldaten eingesetzt werden.";
    let r = call(
        &router,
        Method::POST,
        "/api/v1/documents?source=c.txt",
        &[("authorization", &auth)],
        text.as_bytes().to_vec(),
    )
    .await;
    let doc = r.json()["document"].as_i64().unwrap();
    let props = call(
        &router,
        Method::GET,
        &format!("/api/v1/proposals?document={doc}"),
        &[("authorization", &auth)],
        Vec::new(),
    )
    .await
    .json();
    let first = &props.as_array().unwrap()[0];
    let id = first["id"].as_i64().unwrap();
    let mut fact = first["payload"].clone();
    fact["id"] = json!("a-different-id");
    let r = call(
        &router,
        Method::POST,
        &format!("/api/v1/proposals/{id}/correct"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        serde_json::to_vec(&json!({"fact": fact})).unwrap(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("keeps the fact id")
    );
    let again = call(
        &router,
        Method::GET,
        &format!("/api/v1/proposals?document={doc}"),
        &[("authorization", &auth)],
        Vec::new(),
    )
    .await
    .json();
    assert!(
        again.as_array().unwrap().iter().any(|p| p["id"] == id),
        "still proposed"
    );
}
