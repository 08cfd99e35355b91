//! Alerts end to end over real sockets: a webhook receiver that checks the signature and fails
//! first, a restart with an alert still queued, e-mail through a small SMTP sink, and the
//! subscription API's checks.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use mandat_app::App;
use mandat_server::{AlertConfig, AppState, Config, SmtpConfig};
use mandat_store::{
    AlertKind, Channel, Clearance, NewAlert, NewSubscription, OutboxEntry, Role, Store,
    SubscriptionId,
};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// Longest wait for something that should happen within a few ticks; only a bound against a hang.
const PATIENCE: Duration = Duration::from_secs(120);

fn fast_alerts() -> AlertConfig {
    AlertConfig {
        tick: Duration::from_millis(50),
        retry_base: Duration::from_millis(20),
        retry_cap: Duration::from_millis(200),
        max_attempts: 1000,
        timeout: Duration::from_secs(10),
        // The receivers of these tests listen on 127.0.0.1.
        allow_private_targets: true,
        ..AlertConfig::default()
    }
}

async fn state_on(url: &str, alerts: AlertConfig) -> AppState {
    let app = App::open(url).await.expect("open store");
    AppState::new(
        app,
        Config {
            alerts,
            ..Config::default()
        },
    )
}

/// A running server; stopped (and awaited) by `stop`.
struct Server {
    base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(state: AppState) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(mandat_server::serve_on(listener, state, async {
            let _ = rx.await;
        }));
        Server { base, stop, task }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
    }
}

async fn token(store: &Store, name: &str, role: Role) -> (String, mandat_store::User) {
    let user = store
        .create_user(
            &mandat_store::Actor::system(),
            name,
            role,
            Clearance::PUBLIC,
            None,
        )
        .await
        .unwrap();
    let t = store.create_token(user.id, "test").await.unwrap().secret;
    (t, user)
}

async fn post(base: &str, path: &str, token: &str, body: &Value) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Records a strength report about KFOR as an editor: a new fact.
async fn record_fact(base: &str, editor: &str, id: &str) -> i64 {
    let fact = json!({"fact": {"id": id, "kind": "strength_report", "missions": ["KFOR"],
        "count": 321, "valid": "2024-07-01"},
        "evidence": {"type": "citation", "text": "Bundeswehr, Einsatzzahlen, 2024-07-01"}});
    let (status, body) = post(base, "/api/v1/facts", editor, &fact).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["claim"].as_i64().unwrap()
}

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Hook {
    headers: HeaderMap,
    body: Vec<u8>,
    answered: StatusCode,
}

#[derive(Clone)]
struct Receiver {
    /// Requests answered 500 before the receiver accepts.
    fail_first: Arc<AtomicU32>,
    /// While false, every request is answered 503.
    accept: Arc<AtomicBool>,
    seen: mpsc::UnboundedSender<Hook>,
}

async fn hook(
    State(r): State<Receiver>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let answered = if !r.accept.load(Ordering::SeqCst) {
        StatusCode::SERVICE_UNAVAILABLE
    } else if r
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    };
    let _ = r.seen.send(Hook {
        headers,
        body: body.to_vec(),
        answered,
    });
    answered
}

/// Starts a webhook receiver on a random port; returns its URL and what it sees.
async fn receiver(
    fail_first: u32,
    accept: bool,
) -> (String, Receiver, mpsc::UnboundedReceiver<Hook>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let r = Receiver {
        fail_first: Arc::new(AtomicU32::new(fail_first)),
        accept: Arc::new(AtomicBool::new(accept)),
        seen: tx,
    };
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, r, rx)
}

async fn next<T>(rx: &mut mpsc::UnboundedReceiver<T>) -> T {
    tokio::time::timeout(PATIENCE, rx.recv())
        .await
        .expect("nothing arrived in time")
        .expect("channel open")
}

fn header<'a>(h: &'a Hook, name: &str) -> &'a str {
    h.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Checks the signature of a webhook request as a receiver would.
fn verify(h: &Hook, secret: &str) {
    let ts: i64 = header(h, "x-mandat-timestamp")
        .parse()
        .expect("timestamp header");
    let sent = header(h, "x-mandat-signature");
    assert!(sent.starts_with("sha256="), "{sent}");
    assert_eq!(sent, mandat_server::signature(secret, ts, &h.body));
    assert_ne!(
        sent,
        mandat_server::signature("another secret", ts, &h.body),
        "the signature depends on the secret"
    );
}

/// Waits until `pred` holds for the outbox of `sub`.
async fn outbox_until(
    store: &Store,
    sub: SubscriptionId,
    pred: impl Fn(&[OutboxEntry]) -> bool,
) -> Vec<OutboxEntry> {
    let wait = async {
        loop {
            let o = store.outbox(sub).await.unwrap();
            if pred(&o) {
                return o;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(PATIENCE, wait)
        .await
        .expect("the outbox did not reach the expected state in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_fact_reaches_a_signed_webhook_once_after_a_retry() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("a.sqlite").display());
    let state = state_on(&url, fast_alerts()).await;
    let store = state.app.store.clone();
    let (reader, _) = token(&store, "rita", Role::Reader).await;
    let (editor, _) = token(&store, "erika", Role::Editor).await;
    let (hook_url, _, mut seen) = receiver(1, true).await;
    let server = Server::start(state).await;

    let (status, created) = post(
        &server.base,
        "/api/v1/subscriptions",
        &reader,
        &json!({"mission": "kfor", "kinds": ["new_fact"], "channel": "webhook", "target": hook_url}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created["mission"], "KFOR",
        "the mission is resolved to its id"
    );
    let secret = created["secret"]
        .as_str()
        .expect("secret shown once")
        .to_owned();
    let sub = SubscriptionId(created["id"].as_i64().unwrap());

    let claim = record_fact(&server.base, &editor, "alert-test-strength").await;

    let first = next(&mut seen).await;
    assert_eq!(first.answered, StatusCode::INTERNAL_SERVER_ERROR);
    let second = next(&mut seen).await;
    assert_eq!(second.answered, StatusCode::OK);
    for h in [&first, &second] {
        verify(h, &secret);
        assert_eq!(header(h, "x-mandat-event"), format!("new_fact:{claim}"));
        assert_eq!(header(h, "content-type"), "application/json");
    }
    assert_eq!(first.body, second.body, "a retry sends the same alert");
    let payload: Value = serde_json::from_slice(&second.body).unwrap();
    assert_eq!(payload["kind"], "new_fact");
    assert_eq!(payload["mission"], "KFOR");
    assert_eq!(payload["subscription"], sub.0);
    assert_eq!(payload["data"]["fact_id"], "alert-test-strength");
    assert_eq!(payload["data"]["fact"]["count"], 321);

    let o = outbox_until(&store, sub, |o| o.iter().all(|e| e.delivered_at.is_some())).await;
    assert_eq!(o.len(), 1, "one event, queued once: {o:?}");
    assert_eq!(o[0].attempts, 1, "one failed attempt before the delivery");
    assert!(o[0].last_error.as_deref().unwrap_or("").contains("500"));
    server.stop().await;
    // Nothing more was sent: the delivered alert is not due again.
    let mut rest = 0;
    while seen.try_recv().is_ok() {
        rest += 1;
    }
    assert_eq!(rest, 0, "the alert arrived more than once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_alert_survives_a_restart_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    restart(format!(
        "sqlite://{}",
        dir.path().join("r.sqlite").display()
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_alert_survives_a_restart_on_postgres() {
    let url = mandat_store::scratch::test_server_url();
    let schema = mandat_store::scratch::ScratchSchema::create(&url, "mandat_alerts")
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is not reachable at {url} ({e}); start it (CI does) or set MANDAT_TEST_PG_URL")
        });
    let result = tokio::spawn(restart(schema.url().to_owned())).await;
    schema.drop_schema().await.unwrap();
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// An alert queued, tried while the receiver is down, the server stopped, a new server over the
/// same store: delivered once.
async fn restart(url: String) {
    let (hook_url, recv, mut seen) = receiver(0, false).await;

    let state = state_on(&url, fast_alerts()).await;
    let store = state.app.store.clone();
    let (_, user) = token(&store, "rita", Role::Reader).await;
    let sub = store
        .create_subscription(
            user.id,
            &NewSubscription {
                mission: None,
                kinds: [AlertKind::NewFact].into(),
                within_days: 30,
                channel: Channel::Webhook,
                target: hook_url,
            },
        )
        .await
        .unwrap();
    let payload = json!({"event": "restart-test", "kind": "new_fact", "subject": "s", "text": "t"});
    let queued = store
        .enqueue_alerts(
            sub.id,
            &[NewAlert {
                event_key: "restart-test".into(),
                payload: payload.clone(),
            }],
            None,
        )
        .await
        .unwrap();
    assert_eq!(queued, 1);

    // The first server tries while the receiver is down, and stops before any delivery.
    let server = Server::start(state).await;
    let refused = next(&mut seen).await;
    assert_eq!(refused.answered, StatusCode::SERVICE_UNAVAILABLE);
    outbox_until(&store, sub.id, |o| o[0].attempts >= 1).await;
    server.stop().await;
    let o = store.outbox(sub.id).await.unwrap();
    assert_eq!(o[0].delivered_at, None);
    assert!(!o[0].dead);
    store.close().await;
    while seen.try_recv().is_ok() {}

    // A new server over the same store delivers it.
    recv.accept.store(true, Ordering::SeqCst);
    let state = state_on(&url, fast_alerts()).await;
    let store = state.app.store.clone();
    let server = Server::start(state).await;
    let got = loop {
        let h = next(&mut seen).await;
        if h.answered == StatusCode::OK {
            break h;
        }
    };
    verify(&got, sub.secret.as_deref().unwrap());
    assert_eq!(header(&got, "x-mandat-event"), "restart-test");
    assert_eq!(serde_json::from_slice::<Value>(&got.body).unwrap(), payload);
    let o = outbox_until(&store, sub.id, |o| o[0].delivered_at.is_some()).await;
    assert_eq!(o.len(), 1);
    server.stop().await;
    store.close().await;
    assert!(seen.try_recv().is_err(), "delivered once");
}

/// One mail the SMTP sink received.
#[derive(Debug)]
struct Mail {
    from: String,
    to: Vec<String>,
    data: String,
}

/// A minimal SMTP server: answers EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP and QUIT, and hands
/// each message over.
async fn smtp_sink() -> (String, mpsc::UnboundedReceiver<Mail>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.ok()?;
                let (mut from, mut to) = (String::new(), Vec::new());
                while let Some(line) = lines.next_line().await.ok()? {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("MAIL FROM:") {
                        from = line[10..].trim().to_owned();
                        b"250 OK\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        to.push(line[8..].trim().to_owned());
                        b"250 OK\r\n"
                    } else if upper == "DATA" {
                        w.write_all(b"354 end with .\r\n").await.ok()?;
                        let mut data = String::new();
                        while let Some(l) = lines.next_line().await.ok()? {
                            if l == "." {
                                break;
                            }
                            data.push_str(l.strip_prefix('.').unwrap_or(&l));
                            data.push('\n');
                        }
                        let _ = tx.send(Mail {
                            from: std::mem::take(&mut from),
                            to: std::mem::take(&mut to),
                            data,
                        });
                        b"250 queued\r\n"
                    } else if upper == "QUIT" {
                        w.write_all(b"221 bye\r\n").await.ok()?;
                        return Some(());
                    } else if upper == "RSET" || upper == "NOOP" {
                        b"250 OK\r\n"
                    } else {
                        b"502 not implemented\r\n"
                    };
                    w.write_all(reply).await.ok()?;
                }
                Some(())
            });
        }
    });
    (url, rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_fact_arrives_by_e_mail() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.sqlite").display());
    let (smtp_url, mut mails) = smtp_sink().await;
    let alerts = AlertConfig {
        smtp: Some(SmtpConfig {
            url: smtp_url,
            from: "mandat@example.org".into(),
        }),
        ..fast_alerts()
    };
    let state = state_on(&url, alerts).await;
    let store = state.app.store.clone();
    let (reader, _) = token(&store, "rita", Role::Reader).await;
    let (editor, _) = token(&store, "erika", Role::Editor).await;
    let server = Server::start(state).await;
    let (status, created) = post(
        &server.base,
        "/api/v1/subscriptions",
        &reader,
        &json!({"kinds": ["new_fact"], "channel": "email", "target": "rita@example.org"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["secret"], Value::Null);
    let claim = record_fact(&server.base, &editor, "alert-mail-strength").await;

    let mail = tokio::time::timeout(PATIENCE, mails.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mail.from, "<mandat@example.org>");
    assert_eq!(mail.to, ["<rita@example.org>"]);
    assert!(
        mail.data
            .contains("Subject: [mandat] KFOR: new fact alert-mail-strength (strength_report)"),
        "{}",
        mail.data
    );
    assert!(mail.data.contains("To: rita@example.org"), "{}", mail.data);
    assert!(
        mail.data.contains(&format!("Event: new_fact:{claim}")),
        "{}",
        mail.data
    );
    let sub = SubscriptionId(created["id"].as_i64().unwrap());
    outbox_until(&store, sub, |o| o.iter().all(|e| e.delivered_at.is_some())).await;
    server.stop().await;
}

#[tokio::test]
async fn subscriptions_are_checked_and_private() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("s.sqlite").display());
    let state = state_on(
        &url,
        AlertConfig {
            enabled: false,
            ..AlertConfig::default()
        },
    )
    .await;
    let store = state.app.store.clone();
    let (ann, _) = token(&store, "ann", Role::Reader).await;
    let (bob, _) = token(&store, "bob", Role::Reader).await;
    let server = Server::start(state).await;
    let base = server.base.clone();
    let hook = |extra: Value| {
        let mut v = json!({"kinds": ["mandate_lapse"], "channel": "webhook",
            "target": "https://example.org/hook"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    };
    for (body, status, code) in [
        (hook(json!({"kinds": []})), 400, "bad_request"),
        (hook(json!({"kinds": ["everything"]})), 400, "bad_request"),
        (hook(json!({"within_days": 0})), 400, "bad_request"),
        (hook(json!({"within_days": 3651})), 400, "bad_request"),
        (hook(json!({"within_days": -1})), 400, "bad_request"),
        (
            hook(json!({"target": "ftp://example.org/"})),
            400,
            "bad_request",
        ),
        (hook(json!({"target": "not a url"})), 400, "bad_request"),
        // By default webhooks reach public addresses only (no loopback, private, link-local).
        (
            hook(json!({"target": "http://127.0.0.1:9000/hook"})),
            400,
            "bad_request",
        ),
        (
            hook(json!({"target": "http://169.254.169.254/latest/meta-data"})),
            400,
            "bad_request",
        ),
        (
            hook(json!({"target": "http://localhost:8080/"})),
            400,
            "bad_request",
        ),
        (hook(json!({"target": "http://[::1]/"})), 400, "bad_request"),
        (
            hook(json!({"target": "http://192.168.0.10/"})),
            400,
            "bad_request",
        ),
        (hook(json!({"target": ""})), 400, "bad_request"),
        (hook(json!({"mission": "Atlantis"})), 404, "not_found"),
        (hook(json!({"color": "red"})), 400, "unknown_field"),
        // No SMTP relay configured: e-mail is refused, with a reason.
        (
            hook(json!({"channel": "email", "target": "ann@example.org"})),
            400,
            "bad_request",
        ),
    ] {
        let (s, b) = post(&base, "/api/v1/subscriptions", &ann, &body).await;
        assert_eq!(s.as_u16(), status, "{body} -> {b}");
        assert_eq!(b["code"], code, "{body} -> {b}");
    }
    let (s, b) = post(&base, "/api/v1/subscriptions", &ann, &hook(json!({}))).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["within_days"], 30);
    let id = b["id"].as_i64().unwrap();

    let client = reqwest::Client::new();
    let list = |t: String| {
        let client = client.clone();
        let base = base.clone();
        async move {
            client
                .get(format!("{base}/api/v1/subscriptions"))
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let mine = list(ann.clone()).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert!(
        mine[0].get("secret").is_none(),
        "the secret is shown only once"
    );
    assert_eq!(list(bob.clone()).await, json!([]));

    let delete = |t: String, id: i64| {
        let client = client.clone();
        let base = base.clone();
        async move {
            client
                .delete(format!("{base}/api/v1/subscriptions/{id}"))
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(delete(bob.clone(), id).await, StatusCode::NOT_FOUND);
    assert_eq!(delete(ann.clone(), id).await, StatusCode::NO_CONTENT);
    assert_eq!(delete(ann.clone(), id).await, StatusCode::NOT_FOUND);
    assert_eq!(list(ann).await, json!([]));
    server.stop().await;
}
