//! The `mandat` binary as a user runs it: exit codes, output, errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `mandat` with a data directory of its own, so the default SQLite file is fresh.
fn mandat(args: &[&str]) -> Output {
    let data = tempfile::tempdir().expect("temp dir");
    mandat_in(data.path(), args)
}

/// Runs `mandat` with `data` as its data directory (the default database lives there).
fn mandat_in(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mandat"))
        .args(args)
        .current_dir(root())
        .env("XDG_DATA_HOME", data)
        .env_remove("MANDAT_DATABASE_URL")
        .output()
        .expect("the binary runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn shared() -> PathBuf {
    let p = root().join("../shared");
    assert!(
        p.is_dir(),
        "the shared/ folder beside the project is needed by this test: {}",
        p.display()
    );
    p
}

#[test]
fn status_of_kfor_2025_is_covered_with_citations() {
    let o = mandat(&["status", "KFOR", "--on", "2025-06-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("status:   covered"), "{out}");
    assert!(out.contains("ceiling:  400"), "{out}");
    assert!(
        out.contains("ParlBG"),
        "the explanation cites the law: {out}"
    );
    assert!(out.contains("sources:"), "sources are listed: {out}");
}

#[test]
fn status_json_is_machine_readable() {
    let o = mandat(&["status", "kosovo force", "--on", "1999-06-12", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["status"], "covered");
    assert_eq!(v["ceiling"], 8500);
    assert!(
        v["explanation"]["children"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    assert!(
        v["sources"].as_array().is_some_and(|s| !s.is_empty()),
        "cited sources included"
    );
}

#[test]
fn knowledge_time_changes_the_answer() {
    let then = mandat(&[
        "status",
        "KFOR",
        "--on",
        "2019-07-01",
        "--as-of",
        "2019-06-01",
        "--json",
    ]);
    let now = mandat(&["status", "KFOR", "--on", "2019-07-01", "--json"]);
    let then: serde_json::Value = serde_json::from_slice(&then.stdout).unwrap();
    let now: serde_json::Value = serde_json::from_slice(&now.stdout).unwrap();
    assert_eq!(then["ceiling"], 800);
    assert_eq!(now["ceiling"], 400);
}

#[test]
fn unknown_mission_suggests_names_and_fails() {
    let o = mandat(&["status", "KFRO", "--on", "2025-06-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean: KFOR"), "{}", stderr(&o));
}

#[test]
fn impossible_date_is_a_precise_error() {
    let o = mandat(&["status", "KFOR", "--on", "2025-06-31"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--on 2025-06-31"), "{}", stderr(&o));
}

#[test]
fn unknown_rule_option_is_rejected() {
    let o = mandat(&[
        "status",
        "KFOR",
        "--on",
        "2025-06-01",
        "--option",
        "no-such-option=true",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-option"), "{}", stderr(&o));
}

#[test]
fn missions_lists_the_registry() {
    let o = mandat(&["missions", "--on", "2025-06-01", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let kfor = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "KFOR")
        .expect("KFOR listed");
    assert_eq!(kfor["status"], "covered");
}

#[test]
fn missions_gaps_lists_the_days_without_an_approved_mandate() {
    let o = mandat(&["missions", "--gaps", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let gaps = v.as_array().expect("a list");
    // UNIFIL: the 2007 mandate ran to 15 September 2008, the next approval was voted on the 17th.
    let unifil = gaps
        .iter()
        .find(|g| g["mission"] == "UNIFIL" && g["from"] == "2008-09-16")
        .expect("the UNIFIL gap of 16 September 2008 is listed");
    assert_eq!(unifil["until"], "2008-09-16");
    assert_eq!(unifil["before"], "unifil-2008-approved");
    // KFOR has been covered without a break since 1999.
    assert!(gaps.iter().all(|g| g["mission"] != "KFOR"), "{gaps:?}");
    // The text form names the same gap.
    let o = mandat(&["missions", "--gaps"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("UNIFIL") && l.contains("2008-09-16")),
        "{text}"
    );
    // Gaps are not a status on a day: `--on` with `--gaps` is refused, naming both flags.
    let o = mandat(&["missions", "--gaps", "--on", "2020-01-01"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("--gaps") && err.contains("--on"), "{err}");
}

#[test]
fn deadlines_lists_lapses_in_the_window() {
    let o = mandat(&[
        "deadlines",
        "--from",
        "2026-06-01",
        "--within",
        "60d",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert!(!list.is_empty(), "mandates lapse on 2026-06-30");
    assert!(
        list.iter()
            .all(|d| d["at"].as_str().unwrap() >= "2026-06-01")
    );
    let o = mandat(&["deadlines", "--within", "soon"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn public_scenarios_all_pass() {
    let mut args = vec!["scenario".to_owned(), "check".to_owned()];
    let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    args.extend(files);
    let o = Command::new(env!("CARGO_BIN_EXE_mandat"))
        .args(&args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(" 0 failed"), "{}", stdout(&o));
}

#[test]
fn unmet_scenario_expectation_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("wrong.yaml");
    std::fs::write(
        &f,
        "name: wrong\npack: de\nfacts:\n  - {id: m, kind: mandate_approved, mission: X, valid: 2020-01-01, ceiling: 10, period: {from: 2020-01-01, until: open}}\nqueries:\n  - {mission: X, on: 2020-02-01, expect: {status: covered, ceiling: 11}}\n",
    )
    .unwrap();
    let o = mandat(&["scenario", "check", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("NO"), "{}", stdout(&o));
}

#[test]
fn bad_scenario_file_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.yaml");
    std::fs::write(&f, "name: bad\npack: de\nfacts: []\nqueries:\n  - {mission: X, on: 2025-06-31, expect: {status: covered}}\n").unwrap();
    let o = mandat(&["scenario", "check", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("bad.yaml") && e.contains('5') && e.contains("on"),
        "{e}"
    );
}

#[test]
fn scenario_explain_prints_trees() {
    let o = mandat(&[
        "scenario",
        "explain",
        "scenarios/05a-section4-christmas.yaml",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("§ 4"), "{}", stdout(&o));
}

#[test]
fn extract_walks_a_directory_and_prints_json_lines() {
    let o = mandat(&[
        "extract",
        shared().join("seeds").to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let files = std::fs::read_dir(shared().join("seeds")).unwrap().count();
    assert_eq!(
        lines.len(),
        files,
        "one line per file: the five seeds and their README"
    );
    let kfor = lines
        .iter()
        .find(|l| l["source"].as_str().unwrap().contains("000_"))
        .unwrap();
    assert_eq!(kfor["mandate"]["ceiling"]["value"], 400);
    assert_eq!(kfor["mandate"]["cabinet_decision"]["date"], "2025-05-21");
}

#[test]
fn extract_text_prints_what_spans_refer_to() {
    let seed = shared().join("seeds/000_98a190c03681c1cb.txt");
    let text = mandat(&["extract", "--text", seed.to_str().unwrap()]);
    let json = mandat(&["extract", "--json", seed.to_str().unwrap()]);
    let t = stdout(&text);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let c = &v["mandate"]["ceiling"];
    let (s, e) = (
        c["span"][0].as_u64().unwrap() as usize,
        c["span"][1].as_u64().unwrap() as usize,
    );
    assert_eq!(&t[s..e], c["text"].as_str().unwrap());
}

#[test]
fn bad_files_give_one_diagnostic_each_and_do_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-empty.txt"), b"").unwrap();
    std::fs::write(
        dir.path().join("b-binary.bin"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0].repeat(50),
    )
    .unwrap();
    std::fs::write(dir.path().join("c-big.txt"), "x".repeat(2048)).unwrap();
    std::fs::write(dir.path().join("d-good.txt"), "Das Kabinett hat am 21. Mai 2025 beschlossen, bis zu 400 Soldaten in das KFOR-Mandat zu entsenden.").unwrap();
    std::fs::write(
        dir.path().join("e-truncated.pdf"),
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog",
    )
    .unwrap();
    let o = mandat(&[
        "extract",
        dir.path().to_str().unwrap(),
        "--json",
        "--max-bytes",
        "1024",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    for name in [
        "a-empty.txt",
        "b-binary.bin",
        "c-big.txt",
        "e-truncated.pdf",
    ] {
        assert_eq!(
            e.lines()
                .filter(|l| l.starts_with("error:") && l.contains(name))
                .count(),
            1,
            "{name}: {e}"
        );
    }
    assert!(!e.contains("d-good.txt"), "{e}");
    assert_eq!(
        stdout(&o).lines().count(),
        1,
        "the good file is still extracted"
    );
    assert!(e.contains("4 of 5 documents failed"), "{e}");
}

#[test]
fn the_store_answers_like_the_bundled_dataset() {
    let data = tempfile::tempdir().unwrap();
    let queries: &[&[&str]] = &[
        &["status", "KFOR", "--on", "1999-06-12"],
        &[
            "status",
            "KFOR",
            "--on",
            "2019-07-01",
            "--as-of",
            "2019-06-01",
        ],
        &["status", "KFOR", "--on", "2025-06-01"],
        &["status", "UNIFIL", "--on", "2024-01-01"],
        &["status", "Sudan evacuation 2023", "--on", "2023-04-24"],
        &["status", "Counter Daesh", "--on", "2026-03-01"],
    ];
    for q in queries {
        let mut args: Vec<&str> = q.to_vec();
        args.push("--json");
        let from_store = mandat_in(data.path(), &args);
        args.push("--bundled");
        let from_bundle = mandat_in(data.path(), &args);
        assert!(from_store.status.success(), "{}", stderr(&from_store));
        let a: serde_json::Value = serde_json::from_slice(&from_store.stdout).unwrap();
        let b: serde_json::Value = serde_json::from_slice(&from_bundle.stdout).unwrap();
        assert_eq!(a, b, "{q:?}");
    }
    assert!(
        data.path().join("mandat/mandat.sqlite").is_file(),
        "the default database was created"
    );
}

#[test]
fn ingest_review_and_the_verdict_changes() {
    let data = tempfile::tempdir().unwrap();
    let doc = data.path().join("unifil-2030.txt");
    std::fs::write(
        &doc,
        "Bundestag verlängert UNIFIL-Einsatz\nDer Deutsche Bundestag hat am 3. Juli 2030 der Fortsetzung der \
         Beteiligung bewaffneter deutscher Streitkräfte an der UNIFIL zugestimmt. Es können bis zu 900 \
         Soldatinnen und Soldaten eingesetzt werden. Das Mandat gilt bis zum 30. Juni 2031.\n",
    )
    .unwrap();
    let d = doc.to_str().unwrap();
    let before = mandat_in(
        data.path(),
        &["status", "UNIFIL", "--on", "2030-08-01", "--json"],
    );
    let before: serde_json::Value = serde_json::from_slice(&before.stdout).unwrap();
    assert_ne!(before["status"], "covered", "nothing covers 2030 yet");

    let o = mandat_in(data.path(), &["ingest", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 stored"), "{}", stdout(&o));
    let again = mandat_in(data.path(), &["ingest", d]);
    assert!(
        stdout(&again).contains("1 already present"),
        "re-ingest is a no-op: {}",
        stdout(&again)
    );

    let list = mandat_in(data.path(), &["review", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let proposal = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "mandate_approved")
        .expect("the approval is proposed");
    let id = proposal["id"].to_string();

    // Proposals do not count until accepted, and only a reviewer may accept.
    let pending = mandat_in(
        data.path(),
        &["status", "UNIFIL", "--on", "2030-08-01", "--json"],
    );
    let pending: serde_json::Value = serde_json::from_slice(&pending.stdout).unwrap();
    assert_eq!(pending["status"], before["status"]);
    let o = mandat_in(data.path(), &["user", "add", "rea", "--role", "reader"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mandat_in(data.path(), &["review", "accept", &id, "--user", "rea"]);
    assert_eq!(o.status.code(), Some(2), "a reader cannot review");
    assert!(
        mandat_in(data.path(), &["user", "add", "rita", "--role", "reviewer"])
            .status
            .success()
    );
    let o = mandat_in(data.path(), &["review", "accept", &id, "--user", "rita"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let after = mandat_in(
        data.path(),
        &["status", "UNIFIL", "--on", "2030-08-01", "--json"],
    );
    let after: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(after["status"], "covered");
    assert_eq!(after["ceiling"], 900);

    let hits = mandat_in(data.path(), &["search", "Soldatinnen", "--json"]);
    let hits: serde_json::Value = serde_json::from_slice(&hits.stdout).unwrap();
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["source"].as_str().unwrap().ends_with("unifil-2030.txt"))
    );
}

#[test]
fn export_import_round_trip_and_db_status() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let dump = a.path().join("dump.jsonl");
    let o = mandat_in(a.path(), &["export", "--out", dump.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let url = format!("sqlite://{}", b.path().join("other.sqlite").display());
    let o = mandat_in(b.path(), &["db", "migrate", "--database-url", &url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mandat_in(
        b.path(),
        &["import", dump.to_str().unwrap(), "--database-url", &url],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let sa = mandat_in(a.path(), &["db", "status", "--json"]);
    let sb = mandat_in(
        b.path(),
        &["db", "status", "--json", "--database-url", &url],
    );
    let sa: serde_json::Value = serde_json::from_slice(&sa.stdout).unwrap();
    let sb: serde_json::Value = serde_json::from_slice(&sb.stdout).unwrap();
    assert_eq!(sa["documents"], sb["documents"]);
    assert_eq!(sa["claims"], sb["claims"]);
    let csv = mandat_in(a.path(), &["export", "--csv", "mandates"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    assert!(stdout(&csv).lines().count() > 10, "{}", stdout(&csv));
    let bad = mandat_in(a.path(), &["export", "--csv", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn alerts_list_shows_subscriptions_and_their_queue() {
    use mandat_store::{AlertKind, Channel, Clearance, NewAlert, NewSubscription, Role, Store};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("a.sqlite").display());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = Store::open(&url).await.unwrap();
            let system = mandat_store::Actor::system();
            let ann = store
                .create_user(&system, "ann", Role::Reader, Clearance::PUBLIC, None)
                .await
                .unwrap();
            store
                .create_user(&system, "bob", Role::Reader, Clearance::PUBLIC, None)
                .await
                .unwrap();
            let sub = store
                .create_subscription(
                    ann.id,
                    &NewSubscription {
                        mission: Some("KFOR".into()),
                        kinds: [AlertKind::MandateLapse, AlertKind::NewFact].into(),
                        within_days: 45,
                        channel: Channel::Webhook,
                        target: "https://example.org/hook".into(),
                    },
                )
                .await
                .unwrap();
            let alert = |k: &str| NewAlert {
                event_key: k.into(),
                payload: serde_json::json!({}),
            };
            store
                .enqueue_alerts(sub.id, &[alert("a"), alert("b")], None)
                .await
                .unwrap();
            let first = store.outbox(sub.id).await.unwrap()[0].id;
            store
                .mark_delivered(first, jiff::Timestamp::now())
                .await
                .unwrap();
            store.close().await;
        });
    let o = mandat(&["--database-url", &url, "alerts", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    for part in [
        "ann",
        "webhook",
        "https://example.org/hook",
        "mission=KFOR",
        "kinds=mandate_lapse,new_fact",
        "within=45d",
        "pending=1 delivered=1 dead=0",
    ] {
        assert!(out.contains(part), "{part} missing: {out}");
    }
    let o = mandat(&["--database-url", &url, "alerts", "list", "--user", "bob"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let o = mandat(&["--database-url", &url, "alerts", "list", "--user", "nobody"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn source_add_refuses_changes_and_bundle_write_regenerates_the_dataset() {
    let data = tempfile::tempdir().expect("temp dir");
    let add = [
        "source",
        "add",
        "--id",
        "test-src",
        "--publisher",
        "Auswärtiges Amt",
        "--title",
        "KFOR: \"Verlängerung\"",
        "--date",
        "2026-03",
        "--lang",
        "de",
        "--printed-paper",
        "21/100",
        "--mission",
        "KFOR",
    ];
    let o = mandat_in(data.path(), &add);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mandat_in(data.path(), &add);
    assert_eq!(o.status.code(), Some(2), "a source is never changed");
    assert!(stderr(&o).contains("exists already"), "{}", stderr(&o));
    let o = mandat_in(
        data.path(),
        &[
            "source",
            "add",
            "--id",
            "x",
            "--publisher",
            "P",
            "--title",
            "T",
            "--date",
            "2026-13",
            "--lang",
            "de",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--date"), "{}", stderr(&o));
    let o = mandat_in(data.path(), &["source", "list"]);
    assert!(
        stdout(&o).contains("test-src  Auswärtiges Amt"),
        "{}",
        stdout(&o)
    );

    let out = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(out.path().join("facts")).expect("facts dir");
    std::fs::write(out.path().join("facts/stale.yaml"), "facts: []\n").expect("write");
    let dir = out.path().to_str().expect("UTF-8 path");
    let o = mandat_in(data.path(), &["bundle", "write", dir]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !out.path().join("facts/stale.yaml").exists(),
        "files the store does not generate go"
    );
    // The seeded dataset comes back as it is in data/, plus the new source in its mission's file.
    for name in ["unifil.yaml", "counter-daesh-nmi.yaml"] {
        let written = std::fs::read(out.path().join("facts").join(name)).expect("written");
        let repo = std::fs::read(root().join("data/facts").join(name)).expect("in the repository");
        assert!(written == repo, "{name} differs from data/facts");
    }
    let kfor = std::fs::read_to_string(out.path().join("facts/kfor.yaml")).expect("written");
    assert!(
        kfor.contains("  - id: test-src\n    publisher: Auswärtiges Amt\n    title: \"KFOR: \\\"Verlängerung\\\"\"\n    date: \"2026-03\"\n"),
        "{kfor}"
    );
    assert!(
        out.path()
            .join("documents/seeds/000_98a190c03681c1cb.txt")
            .is_file()
    );
}

/// A German mandate text that extraction turns into proposals; `n` makes each one different.
fn mandate_text(n: usize) -> String {
    format!(
        "Bundestag verlängert UNIFIL-Einsatz {n}\nDer Deutsche Bundestag hat am 3. Juli 2030 der Fortsetzung \
         der Beteiligung bewaffneter deutscher Streitkräfte an der UNIFIL zugestimmt. Es können bis zu {} \
         Soldatinnen und Soldaten eingesetzt werden. Das Mandat gilt bis zum 30. Juni 2031.\n",
        100 + n
    )
}

#[test]
fn parallel_ingest_reports_in_input_order() {
    let data = tempfile::tempdir().unwrap();
    let docs = data.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for n in 0..12 {
        std::fs::write(docs.join(format!("d{n:02}.txt")), mandate_text(n)).unwrap();
    }
    // Copies of two documents, sorting after them and before the next; an empty file fails.
    std::fs::write(docs.join("d03z-copy.txt"), mandate_text(3)).unwrap();
    std::fs::write(docs.join("d05z-copy.txt"), mandate_text(5)).unwrap();
    std::fs::write(docs.join("d07-empty.txt"), "").unwrap();
    let d = docs.to_str().unwrap();

    let o = mandat_in(data.path(), &["ingest", d, "--jobs", "4"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed document: {}",
        stderr(&o)
    );
    assert!(
        stdout(&o).starts_with("15 documents: 12 stored, 2 already present, 1 failed;"),
        "{}",
        stdout(&o)
    );
    let lines: Vec<(String, &str)> = stderr(&o)
        .lines()
        .filter_map(|l| {
            let kind = if l.contains(": already stored as document ") {
                "present"
            } else if l.starts_with("failed: ") {
                "failed"
            } else {
                return None;
            };
            // The file name, without the directory or the rest.
            let name = l.split(": ").find(|p| p.contains(".txt"))?;
            Some((name.rsplit('/').next()?.to_owned(), kind))
        })
        .collect();
    let expected = [
        ("d03z-copy.txt", "present"),
        ("d05z-copy.txt", "present"),
        ("d07-empty.txt", "failed"),
    ];
    assert_eq!(
        lines,
        expected.map(|(n, k)| (n.to_owned(), k)),
        "{}",
        stderr(&o)
    );
    // The copy names the document its original was stored as.
    let list = mandat_in(
        data.path(),
        &["documents", "list", "--json", "--limit", "1000"],
    );
    let original: serde_json::Value = stdout(&list)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|doc| doc["source"].as_str().unwrap().ends_with("/d03.txt"))
        .expect("the original is stored under its own name");
    assert!(
        stderr(&o).contains(&format!(
            "d03z-copy.txt: already stored as document {},",
            original["id"]
        )),
        "{}",
        stderr(&o)
    );

    // Again, in one job: nothing is written, and the same document fails.
    let again = mandat_in(data.path(), &["ingest", d, "--jobs", "1"]);
    assert!(
        stdout(&again).starts_with("15 documents: 0 stored, 14 already present, 1 failed;"),
        "{}",
        stdout(&again)
    );
}

/// Per document source: the number of claims whose span lies in it, and whether every claim has a
/// review event, from `mandat export`.
fn claims_per_source(data: &Path) -> (BTreeMap<String, usize>, bool) {
    let dump = data.join("dump.jsonl");
    let o = mandat_in(data, &["export", "--out", dump.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut sources = BTreeMap::new();
    let mut per_doc: BTreeMap<i64, usize> = BTreeMap::new();
    let mut claims = std::collections::BTreeSet::new();
    let mut reviewed = std::collections::BTreeSet::new();
    for line in std::fs::read_to_string(&dump).unwrap().lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        match r["type"].as_str().unwrap() {
            "document" => {
                let name = r["source"].as_str().unwrap();
                let name = name.rsplit('/').next().unwrap().to_owned();
                sources.insert(r["id"].as_i64().unwrap(), name);
            }
            "claim" => {
                claims.insert(r["id"].as_i64().unwrap());
                if let Some(d) = r["evidence"]["document"].as_i64() {
                    *per_doc.entry(d).or_default() += 1;
                }
            }
            "review_event" => {
                reviewed.insert(r["claim_id"].as_i64().unwrap());
            }
            _ => {}
        }
    }
    let out = sources
        .iter()
        .map(|(id, name)| (name.clone(), per_doc.get(id).copied().unwrap_or(0)))
        .collect();
    (out, claims == reviewed)
}

#[test]
fn sigkill_during_parallel_ingest_leaves_whole_documents() {
    let work = tempfile::tempdir().unwrap();
    let docs = work.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for n in 0..300 {
        std::fs::write(docs.join(format!("d{n:03}.txt")), mandate_text(n)).unwrap();
    }
    let d = docs.to_str().unwrap();
    let killed = work.path().join("killed");
    let clean = work.path().join("clean");
    for data in [&killed, &clean] {
        // Creates the store and loads the bundled dataset, so the runs below only ingest.
        assert!(mandat_in(data, &["missions"]).status.success());
    }
    for round in 0..4u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mandat"))
            .args(["ingest", d, "--jobs", "2"])
            .current_dir(root())
            .env("XDG_DATA_HOME", &killed)
            .env_remove("MANDAT_DATABASE_URL")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(250 + 200 * round));
        child.kill().unwrap();
        child.wait().unwrap();
    }
    // The run after the crashes stores what is missing and finds the rest.
    let o = mandat_in(&killed, &["ingest", d, "--jobs", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = stdout(&o);
    let counts: Vec<usize> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(counts[0], 300, "{summary}");
    assert_eq!(
        counts[1] + counts[2],
        300,
        "stored + already present: {summary}"
    );
    assert_eq!(counts[3], 0, "none failed: {summary}");
    let o = mandat_in(&clean, &["ingest", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Every document has all its claims, each with its review event: no partial rows.
    let (after_kills, whole) = claims_per_source(&killed);
    assert!(whole, "a claim without its review event");
    assert_eq!(after_kills, claims_per_source(&clean).0);
}

#[test]
fn fact_add_checks_quotes_against_the_stored_document_and_records_all_or_nothing() {
    let data = tempfile::tempdir().expect("temp dir");
    let work = tempfile::tempdir().expect("temp dir");
    let paper = work.path().join("drs-18-9998.txt");
    std::fs::write(
        &paper,
        "Deutscher Bundestag Drucksache 18/9998\nDie Bundesregierung hat am 14. Mai 2014 die Fortsetzung mit bis zu\n150 Soldatinnen und Soldaten beschlossen.\n",
    )
    .expect("write");
    let o = mandat_in(data.path(), &["ingest", paper.to_str().expect("UTF-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mandat_in(data.path(), &["documents", "list"]);
    let doc = stdout(&o)
        .lines()
        .find(|l| l.contains("Drucksache 18/9998"))
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| panic!("listed: {}", stdout(&o)));
    let o = mandat_in(
        data.path(),
        &[
            "source",
            "add",
            "--id",
            "test-drs-18-9998",
            "--publisher",
            "Deutscher Bundestag",
            "--title",
            "Antrag",
            "--date",
            "2014-05-14",
            "--lang",
            "de",
            "--document",
            &doc,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let fact = |id: &str, quote: &str| {
        format!(
            "  - id: {id}\n    kind: cabinet_decision\n    mission: MINUSMA\n    valid: 2014-05-14\n    \
             proposes: {{ceiling: 150}}\n    source: {{ref: test-drs-18-9998, quote: \"{quote}\"}}\n"
        )
    };
    let file = work.path().join("new.yaml");
    std::fs::write(
        &file,
        format!(
            "facts:\n{}{}",
            fact("test-cabinet", "mit bis zu 150 Soldatinnen"),
            fact("test-cabinet-2", "mit bis zu 160 Soldatinnen")
        ),
    )
    .expect("write");
    let path = file.to_str().expect("UTF-8");
    let o = mandat_in(data.path(), &["fact", "add", path]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("new.yaml:13:")
            && err.contains("key `quote`")
            && err.contains("test-cabinet-2"),
        "{err}"
    );

    std::fs::write(
        &file,
        format!(
            "facts:\n{}",
            fact("test-cabinet", "mit bis zu 150 Soldatinnen")
        ),
    )
    .expect("write");
    let o = mandat_in(data.path(), &["fact", "add", path]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1 facts recorded (1 quoting a stored document, checked)"),
        "{}",
        stdout(&o)
    );
    let out = tempfile::tempdir().expect("temp dir");
    let o = mandat_in(
        data.path(),
        &["bundle", "write", out.path().to_str().expect("UTF-8")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let minusma = std::fs::read_to_string(out.path().join("facts/minusma.yaml")).expect("written");
    assert!(
        minusma
            .contains("      ref: test-drs-18-9998\n      quote: \"mit bis zu 150 Soldatinnen\""),
        "the span's line break is written as a space"
    );
    assert_eq!(
        minusma.matches("- id: test-cabinet\n").count(),
        1,
        "recorded once"
    );
}

#[test]
fn source_link_attests_the_quotes_of_a_source_or_names_the_missing_ones() {
    let data = tempfile::tempdir().expect("temp dir");
    let work = tempfile::tempdir().expect("temp dir");
    // The quotes citing das-parlament-2007-11-unmis in data/facts/ (UNMIS and UNAMID). Each text
    // ingested is the newest document, listed last.
    let mut yaml = String::new();
    for f in std::fs::read_dir(root().join("data/facts")).expect("readable") {
        yaml.push_str(&std::fs::read_to_string(f.expect("entry").path()).expect("readable"));
    }
    let quotes: Vec<String> = yaml
        .split("\n  - id: ")
        .filter(|b| b.contains("      ref: das-parlament-2007-11-unmis\n"))
        .filter_map(|b| {
            let q = b.split("      quote: \"").nth(1)?;
            Some(q.split("\"\n").next()?.replace("\\\"", "\""))
        })
        .collect();
    assert!(quotes.len() >= 2, "{quotes:?}");
    let ingest = |name: &str, text: String| {
        let path = work.path().join(name);
        std::fs::write(&path, text).expect("write");
        let o = mandat_in(data.path(), &["ingest", path.to_str().expect("UTF-8")]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = mandat_in(data.path(), &["documents", "list"]);
        stdout(&o)
            .lines()
            .rfind(|l| !l.trim().is_empty())
            .and_then(|l| l.split_whitespace().next().map(str::to_owned))
            .unwrap_or_else(|| panic!("listed: {}", stdout(&o)))
    };
    let partial = ingest(
        "partial.txt",
        format!("Das Parlament (partial.txt)\n\n{}\n", quotes[0]),
    );
    let o = mandat_in(
        data.path(),
        &[
            "source",
            "link",
            "das-parlament-2007-11-unmis",
            "--document",
            &partial,
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not linked") && stderr(&o).contains(&quotes[1][..20]),
        "{}",
        stderr(&o)
    );
    let whole = ingest(
        "whole.txt",
        format!("Das Parlament\n\n{}\n", quotes.join("\n\n")),
    );
    let o = mandat_in(
        data.path(),
        &[
            "source",
            "link",
            "das-parlament-2007-11-unmis",
            "--document",
            &whole,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("{} quotes found there", quotes.len())),
        "{}",
        stdout(&o)
    );
}
