//! The web UI in a real browser: headless Chromium driven over WebDriver (chromedriver) against
//! the server on a socket. It checks what a person sees: a mission page with its timeline, a
//! document whose `<script>` is text, sign-in and the review of a proposal.
//!
//! Needs `chromium` and `chromedriver` (Debian: `chromium`, `chromium-driver`). `CHROMEDRIVER`
//! names the driver binary (default `/usr/bin/chromedriver`), `CHROMIUM` the browser.
//! `scripts/ci/browser.sh` installs both (the README's test command runs it). Without a driver the
//! test fails, unless `MANDAT_BROWSER_TESTS=0` says on purpose that this machine has no browser.

use std::net::{SocketAddr, TcpListener as StdListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mandat_app::App;
use mandat_server::{AppState, Config};
use mandat_store::{Actor, Clearance, Role};
use thirtyfour::prelude::*;

/// Kills chromedriver when the test ends, however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_for(addr: SocketAddr) {
    let start = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The server over a fresh store with a reviewer and one ingested document; its base URL and the
/// document's id.
async fn serve() -> (
    String,
    i64,
    tempfile::TempDir,
    tokio::sync::oneshot::Sender<()>,
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("b.sqlite").display());
    let app = App::open(&url).await.expect("open store");
    app.store
        .create_user(
            &Actor::system(),
            "vera",
            Role::Reviewer,
            Clearance::PUBLIC,
            Some("correct horse battery"),
        )
        .await
        .expect("user");
    let text = "<script>window.pwned = true; alert('pwned')</script>\nDie Bundesregierung hat am \
                21. Mai 2025 beschlossen, die Beteiligung bewaffneter deutscher Streitkräfte an der \
                NATO-geführten Operation KFOR fortzusetzen. Es können bis zu 400 Soldatinnen und \
                Soldaten eingesetzt werden.\n";
    let doc = mandat_load::load(
        text.as_bytes(),
        mandat_load::MediaType::Text,
        &mandat_load::Limits::default(),
    )
    .expect("load");
    let id = match app
        .ingest("browser.txt", text.as_bytes(), &doc, &Actor::system())
        .await
        .expect("ingest")
    {
        mandat_app::Ingested::Stored { document, .. } => document.0,
        mandat_app::Ingested::AlreadyPresent(d) => d.0,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = AppState::new(app, Config::default());
    tokio::spawn(mandat_server::serve_on(listener, state, async {
        let _ = stopped.await;
    }));
    (format!("http://{addr}"), id, dir, stop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_in_reviews_and_reads_in_a_browser() {
    let driver_bin =
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
    if !std::path::Path::new(&driver_bin).exists() {
        assert!(
            std::env::var("MANDAT_BROWSER_TESTS").as_deref() == Ok("0"),
            "no chromedriver at {driver_bin}: install Chromium with scripts/ci/browser.sh \
             (or set MANDAT_BROWSER_TESTS=0 to run without the browser test on purpose)"
        );
        eprintln!("MANDAT_BROWSER_TESTS=0: the browser test is switched off on this machine");
        return;
    }
    let port = free_port();
    let _driver = Driver(
        Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    wait_for(SocketAddr::from(([127, 0, 0, 1], port)));

    let (base, doc, _dir, stop) = serve().await;
    let mut caps = DesiredCapabilities::chrome();
    caps.set_headless().expect("caps");
    caps.set_no_sandbox().expect("caps");
    caps.set_disable_dev_shm_usage().expect("caps");
    caps.set_disable_gpu().expect("caps");
    caps.add_arg("--lang=en-GB").expect("caps");
    caps.add_arg("--window-size=1280,1000").expect("caps");
    if let Ok(bin) = std::env::var("CHROMIUM") {
        caps.set_binary(&bin).expect("caps");
    }
    let wd = WebDriver::new(format!("http://127.0.0.1:{port}"), caps)
        .await
        .expect("a browser session");

    let outcome = run(&wd, &base, doc).await;
    let _ = wd.quit().await;
    let _ = stop.send(());
    outcome.expect("browser session");
}

/// Clicks something that loads a new page and waits until the old page is gone, so the next look
/// sees the new page and not the one before it.
async fn click_and_load(wd: &WebDriver, el: WebElement) -> WebDriverResult<()> {
    let old = wd.find(By::Tag("html")).await?;
    el.click().await?;
    old.wait_until()
        .wait(Duration::from_secs(20), Duration::from_millis(50))
        .stale()
        .await?;
    Ok(())
}

async fn run(wd: &WebDriver, base: &str, doc: i64) -> WebDriverResult<()> {
    // The mission page: heading, status, the timeline drawn as SVG with its accessible title.
    wd.goto(format!("{base}/missions/KFOR?on=2024-06-01"))
        .await?;
    let h1 = wd.find(By::Css("h1")).await?.text().await?;
    assert!(h1.starts_with("KFOR"), "{h1}");
    let status = wd.find(By::Css("dl.verdict .status")).await?.text().await?;
    assert_eq!(status, "covered");
    let svg = wd.find(By::Css("figure.chart svg")).await?;
    assert!(svg.is_displayed().await?);
    let title = svg.find(By::Css("title")).await?.inner_html().await?;
    assert!(title.starts_with("Timeline: "), "{title}");
    let steps = wd.find_all(By::Css("svg path.ceiling")).await?;
    assert_eq!(steps.len(), 1, "one ceiling step line");
    let bands = wd.find_all(By::Css("svg g.mandates rect")).await?;
    assert!(bands.len() > 5, "KFOR has many mandates: {}", bands.len());

    // The language switch turns the page German and stays there.
    click_and_load(wd, wd.find(By::Css("a.lang")).await?).await?;
    let h2 = wd.find(By::Css("#timeline-h")).await?.text().await?;
    assert_eq!(h2, "Zeitleiste");
    click_and_load(wd, wd.find(By::Css("a.lang")).await?).await?;
    assert_eq!(
        wd.find(By::Css("#timeline-h")).await?.text().await?,
        "Timeline"
    );

    // A document containing a script shows it as text and runs nothing.
    wd.goto(format!("{base}/documents/{doc}")).await?;
    let text = wd.find(By::Css(".doc-text")).await?.text().await?;
    assert!(
        text.contains("<script>window.pwned = true; alert('pwned')</script>"),
        "{text}"
    );
    assert!(wd.get_alert_text().await.is_err(), "no alert is open");
    let pwned = wd
        .execute("return window.pwned === true;", Vec::new())
        .await?;
    assert_eq!(pwned.json(), &serde_json::Value::Bool(false));
    let marks = wd.find_all(By::Css(".doc-text mark")).await?;
    assert!(!marks.is_empty(), "extracted facts are highlighted");

    // The review queue asks for sign-in, then comes back to the queue.
    wd.goto(format!("{base}/review")).await?;
    assert!(wd.current_url().await?.path().ends_with("/signin"));
    wd.find(By::Id("name")).await?.send_keys("vera").await?;
    wd.find(By::Id("password"))
        .await?
        .send_keys("correct horse battery")
        .await?;
    click_and_load(wd, wd.find(By::Css("form.signin button")).await?).await?;
    assert_eq!(wd.current_url().await?.path(), "/review");
    let who = wd.find(By::Css(".session strong")).await?.text().await?;
    assert_eq!(who, "vera");

    // Accept the first proposal: it leaves the queue and the decision is confirmed.
    let rows = wd.find_all(By::Css("table.review tbody tr")).await?;
    assert!(!rows.is_empty(), "the ingested document proposed facts");
    let first = rows[0].attr("id").await?.unwrap_or_default();
    let accept = rows[0]
        .find(By::Css("form[action$='/accept'] button"))
        .await?;
    click_and_load(wd, accept).await?;
    let notice = wd.find(By::Css("p.notice")).await?.text().await?;
    assert!(notice.contains("accepted"), "{notice}");
    let left = wd.find_all(By::Css(format!("tr#{first}"))).await?;
    assert!(left.is_empty(), "{first} left the queue");

    // Signing out ends the session: the queue asks for sign-in again.
    click_and_load(wd, wd.find(By::Css(".session form button")).await?).await?;
    wd.goto(format!("{base}/review")).await?;
    assert!(wd.current_url().await?.path().ends_with("/signin"));
    Ok(())
}
