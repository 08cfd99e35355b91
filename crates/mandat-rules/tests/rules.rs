//! Small data-driven checks of single rules: one YAML fact list, one query, one expectation.

use mandat_core::TimePoint;
use mandat_rules::{
    CheckOutcome, DeadlineKind, MissingItem, Options, Query, Regime, Status, Verdict, WarningCode,
    deadlines, evaluate, parse_scenario, render_verdict, validate,
};

/// Evaluates `on`/`as_of` for mission M against the facts (YAML list items), with options.
fn verdict_with(facts: &str, on: &str, as_of: Option<&str>, options: &[(&str, &str)]) -> Verdict {
    let yaml = format!("name: t\npack: de\nfacts:\n{facts}\nqueries: []\n");
    let s = parse_scenario("t.yaml", &yaml).unwrap_or_else(|e| panic!("{e}"));
    let mut opts = s.options;
    for (k, v) in options {
        opts.set(k, v).unwrap();
    }
    let reg = s.registry().unwrap();
    let q = Query {
        mission: "M".parse().unwrap(),
        on: on.parse().unwrap(),
        as_of: as_of.map(|t| t.parse().unwrap()),
    };
    evaluate(&reg, &q, &opts)
}

fn verdict(facts: &str, on: &str, as_of: Option<&str>) -> Verdict {
    verdict_with(facts, on, as_of, &[])
}

const MANDATE: &str = "  - {id: m, kind: mandate_approved, mission: M, valid: 2020-01-10, ceiling: 100, period: {from: 2020-01-10, until: 2020-12-31}}";

#[test]
fn norm_time_selects_the_regime() {
    let f = "  - {id: m, kind: mandate_approved, mission: M, valid: 2005-03-01, ceiling: 100, period: {from: 2005-03-01, until: open}}";
    assert_eq!(verdict(f, "2005-03-23", None).regime, Regime::Bverfge1994);
    assert_eq!(verdict(f, "2005-03-24", None).regime, Regime::Parlbg2005);
    assert_eq!(
        verdict(f, "2005-03-23", None).explanation.rule.as_str(),
        "BVerfGE 90, 286"
    );
}

#[test]
fn contested_classification_reports_both_outcomes() {
    let f = format!(
        "{MANDATE}\n  - {{id: c1, kind: classification, mission: M, armed: false, by: government, valid: 2021-02-01}}\n  - {{id: c2, kind: classification, mission: M, armed: true, by: opposition, valid: 2021-02-02}}"
    );
    let v = verdict(&f, "2021-03-01", None);
    assert_eq!(v.status, Status::NotRequired);
    let c = v.contest.as_ref().expect("contested");
    assert_eq!(c.alternative, Status::Expired);
    assert!(v.has_warning(WarningCode::Contested));
    let uncontested = verdict(&f, "2021-03-01", Some("2021-02-01"));
    assert_eq!(uncontested.status, Status::NotRequired);
    assert!(uncontested.contest.is_none());
}

#[test]
fn ended_emergency_needs_no_approval_from_2015_09_23() {
    let f = "  - {id: s, kind: emergency_deployment_started, mission: M, valid: 2011-02-26}\n  - {id: e, kind: deployment_ended, mission: M, valid: 2011-02-27}";
    let now = verdict(f, "2011-03-01", None);
    assert_eq!(now.status, Status::EndedNoApprovalNeeded);
    assert!(now.contest.is_none());
    assert_eq!(
        now.explanation.children[1].rule.as_str(),
        "BVerfGE 140, 160"
    );
    let then = verdict(f, "2011-03-01", Some("2013-01-01"));
    assert_eq!(then.status, Status::EndedNoApprovalNeeded);
    assert_eq!(
        then.contest.map(|c| c.alternative),
        Some(Status::NotCovered)
    );
}

#[test]
fn rejected_retroactive_application_must_terminate() {
    let f = "  - {id: s, kind: emergency_deployment_started, mission: M, valid: 2022-05-01}\n  - {id: a, kind: application_distributed, mission: M, procedure: retroactive, valid: 2022-05-03, ceiling: 10, period: {from: 2022-05-01, until: 2022-06-30}}\n  - {id: v, kind: vote, application: a, result: rejected, valid: 2022-05-10}";
    assert_eq!(verdict(f, "2022-05-05", None).status, Status::Provisional);
    let v = verdict(f, "2022-05-11", None);
    assert_eq!(v.status, Status::MustTerminate);
    assert_eq!(v.mandate.map(|m| m.to_string()).as_deref(), Some("a"));
}

#[test]
fn ceiling_check_uses_the_latest_report_and_permitted_overruns() {
    let reports = "\n  - {id: r1, kind: strength_report, mission: M, count: 90, valid: 2020-02-01}\n  - {id: r2, kind: strength_report, mission: M, count: 120, valid: 2020-03-01}";
    let v = verdict(&format!("{MANDATE}{reports}"), "2020-02-15", None);
    assert_eq!(
        v.check.as_ref().map(|c| (c.outcome, c.report.to_string())),
        Some((CheckOutcome::Ok, "r1".into()))
    );
    let v = verdict(&format!("{MANDATE}{reports}"), "2020-03-15", None);
    assert_eq!(
        v.check.as_ref().map(|c| c.outcome),
        Some(CheckOutcome::Exceeded)
    );
    let permitted = MANDATE.replace("ceiling: 100,", "ceiling: 100, overrun_permitted: true,");
    let v = verdict(&format!("{permitted}{reports}"), "2020-03-15", None);
    assert_eq!(
        v.check.map(|c| c.outcome),
        Some(CheckOutcome::ExceededPermitted)
    );
}

const BRIDGE: &str = "  - {id: m, kind: mandate_approved, mission: M, valid: 2025-06-26, ceiling: 300, period: {from: 2025-07-01, until: 2026-06-30}}\n  - {id: ext, kind: application_distributed, mission: M, procedure: extension, extends: m, valid: 2026-06-29, ceiling: 300, period: {from: 2026-07-01, until: 2027-06-30}}\n  - {id: sd, kind: sitting_days, valid: 2026-01-01, dates: [2026-07-01, 2026-07-02, 2026-07-03]}";

#[test]
fn rejection_ends_the_bridge_at_the_vote_unless_configured() {
    let f = format!(
        "{BRIDGE}\n  - {{id: v, kind: vote, application: ext, result: rejected, valid: 2026-07-01}}"
    );
    assert_eq!(verdict(&f, "2026-07-02", None).status, Status::Expired);
    let v = verdict_with(
        &f,
        "2026-07-02",
        None,
        &[("rejection-ends-bridge", "false")],
    );
    assert_eq!(v.status, Status::Covered);
}

#[test]
fn bridge_does_not_revive_an_expired_mandate_by_default() {
    let late = BRIDGE
        .replace("valid: 2026-06-29", "valid: 2026-07-01")
        .replace(
            "[2026-07-01, 2026-07-02, 2026-07-03]",
            "[2026-07-02, 2026-07-03, 2026-07-06]",
        );
    assert_eq!(verdict(&late, "2026-07-02", None).status, Status::Expired);
    let v = verdict_with(
        &late,
        "2026-07-02",
        None,
        &[("bridge-revives-expired", "true")],
    );
    assert_eq!(
        (v.status, v.basis.map(|b| b.name())),
        (Status::Covered, Some("bridge"))
    );
}

#[test]
fn revocation_effect_option() {
    let f = format!("{MANDATE}\n  - {{id: r, kind: revocation, mandate: m, valid: 2020-06-10}}");
    assert_eq!(verdict(&f, "2020-06-10", None).status, Status::Revoked);
    assert_eq!(
        verdict_with(&f, "2020-06-10", None, &[("revocation-effect", "next-day")]).status,
        Status::Covered
    );
}

#[test]
fn members_rounding_option_changes_the_threshold() {
    let f = "  - {id: a, kind: application_distributed, mission: M, procedure: simplified, valid: 2025-12-19, ceiling: 5, period: {from: 2025-12-19, until: 2026-12-31}}\n  - {id: d, kind: debate_requested, application: a, members: 31, valid: 2025-12-22}";
    assert_eq!(verdict(f, "2025-12-30", None).status, Status::Covered);
    assert_eq!(
        verdict_with(f, "2025-12-30", None, &[("members-rounding", "down")]).status,
        Status::Pending
    );
    let overridden = format!("{f}\n  - {{id: n, kind: members, valid: 2025-12-01, count: 600}}");
    assert_eq!(
        verdict(&overridden, "2025-12-30", None).status,
        Status::Pending
    );
}

#[test]
fn advisory_dependency_only_warns() {
    let f = "  - {id: m, kind: mandate_approved, mission: M, valid: 2020-01-10, ceiling: 100, legal_bases: [UNSC 2000], period: {from: 2020-01-10, until: open}}\n  - {id: e, kind: legal_basis_ended, ref: UNSC 2000, valid: 2021-01-01}";
    let v = verdict(f, "2021-02-01", None);
    assert_eq!(v.status, Status::Covered);
    assert!(v.has_warning(WarningCode::LegalBasisEnded));
    let strict = f.replace(
        "legal_bases: [UNSC 2000],",
        "legal_bases: [UNSC 2000], dependency: strict,",
    );
    assert_eq!(
        verdict(&strict, "2021-02-01", None).status,
        Status::NotCovered
    );
}

#[test]
fn deadlines_are_listed_in_time_order() {
    let yaml = format!(
        "name: t\npack: de\nfacts:\n{BRIDGE}\n  - {{id: a, kind: application_distributed, mission: Nord, procedure: simplified, valid: 2026-06-19, ceiling: 5, period: {{from: 2026-06-19, until: 2026-12-31}}}}\nqueries: []\n"
    );
    let s = parse_scenario("t.yaml", &yaml).unwrap();
    let reg = s.registry().unwrap();
    let from: TimePoint = "2026-06-20".parse().unwrap();
    let list = deadlines(&reg, from, 30, None, &Options::default());
    let kinds: Vec<DeadlineKind> = list.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        vec![
            DeadlineKind::DebateDemandWindow,
            DeadlineKind::MandateLapse,
            DeadlineKind::BridgeEnd
        ]
    );
    assert_eq!(list[0].at.to_string(), "2026-06-26T18:00:00+02:00");
    assert!(list.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(deadlines(&reg, from, 5, None, &Options::default()).is_empty());
}

#[test]
fn an_application_followed_by_an_approval_has_no_bridge_deadline() {
    // The dataset often records only the approval, not the vote on the application: the
    // application is decided all the same, and no § 7(2) bridge end is derived from it.
    let pending = format!("{BRIDGE}\nqueries: []\n");
    let decided = format!(
        "{BRIDGE}\n  - {{id: m2, kind: mandate_approved, mission: M, valid: 2026-07-02, ceiling: 300, period: {{from: 2026-07-02, until: 2027-06-30}}, supersedes: [m]}}\nqueries: []\n"
    );
    let kinds = |facts: &str| -> Vec<DeadlineKind> {
        let s = parse_scenario("t.yaml", &format!("name: t\npack: de\nfacts:\n{facts}")).unwrap();
        let reg = s.registry().unwrap();
        deadlines(
            &reg,
            "2026-06-30".parse().unwrap(),
            60,
            None,
            &Options::default(),
        )
        .iter()
        .map(|d| d.kind)
        .collect()
    };
    assert!(kinds(&pending).contains(&DeadlineKind::BridgeEnd));
    assert!(!kinds(&decided).contains(&DeadlineKind::BridgeEnd));
}

#[test]
fn an_ended_deployment_under_a_running_mandate_is_a_warning() {
    let open = "  - {id: m, kind: mandate_approved, mission: M, valid: 2020-01-10, ceiling: 100, period: {from: 2020-01-10, until: open}}";
    let ended =
        format!("{open}\n  - {{id: e, kind: deployment_ended, mission: M, valid: 2021-03-31}}");
    let before = verdict(&ended, "2021-03-01", None);
    assert_eq!(before.status, Status::Covered);
    assert!(!before.has_warning(WarningCode::DeploymentEnded));
    let after = verdict(&ended, "2021-06-01", None);
    assert_eq!(after.status, Status::Covered, "the authorisation stands");
    assert!(after.has_warning(WarningCode::DeploymentEnded));
    // Known only later: as of a day before the end was recorded, no warning.
    let recorded = format!(
        "{open}\n  - {{id: e, kind: deployment_ended, mission: M, valid: 2021-03-31, recorded: 2021-05-01}}"
    );
    assert!(
        !verdict(&recorded, "2021-06-01", Some("2021-04-15"))
            .has_warning(WarningCode::DeploymentEnded)
    );
    // A new mandate after the end means a new deployment.
    let again = format!(
        "{ended}\n  - {{id: m2, kind: mandate_approved, mission: M, valid: 2022-01-10, ceiling: 50, period: {{from: 2022-01-10, until: open}}, supersedes: [m]}}"
    );
    assert!(!verdict(&again, "2022-06-01", None).has_warning(WarningCode::DeploymentEnded));
}

#[test]
fn a_lapse_after_the_last_record_is_a_warning() {
    // The newest fact was recorded on 2025-06-20; the mandate runs to 2026-06-30.
    let m = "  - {id: m, kind: mandate_approved, mission: M, valid: 2025-06-20, ceiling: 100, period: {from: 2025-07-01, until: 2026-06-30}}";
    let lapsed = verdict(m, "2026-09-01", None);
    assert_eq!(lapsed.status, Status::Expired);
    assert!(lapsed.has_warning(WarningCode::LapseAfterLastRecord));
    let w = lapsed
        .warnings
        .iter()
        .find(|w| w.code == WarningCode::LapseAfterLastRecord)
        .expect("the warning");
    assert!(
        w.message.contains("2026-06-30") && w.message.contains("2025-06-20"),
        "{}",
        w.message
    );
    // Still running: no warning.
    assert!(!verdict(m, "2026-01-01", None).has_warning(WarningCode::LapseAfterLastRecord));
    // Something recorded after the lapse: the data reaches past it, so `expired` stands.
    let later = format!(
        "{m}\n  - {{id: s, kind: strength_report, mission: M, valid: 2026-08-01, count: 0}}"
    );
    let v = verdict(&later, "2026-09-01", None);
    assert_eq!(v.status, Status::Expired);
    assert!(!v.has_warning(WarningCode::LapseAfterLastRecord));
    // As of a day before the lapse, nothing after that day is known.
    assert!(
        verdict(&later, "2026-09-01", Some("2026-05-01"))
            .has_warning(WarningCode::LapseAfterLastRecord)
    );
}

#[test]
fn validation_cites_section_3_2() {
    let yaml = "name: t\npack: de\nfacts:\n  - {id: a, kind: application_distributed, mission: M, valid: 2026-03-04, legal_bases: [UNCLOS], area: Sea, costs_eur: 5}\nqueries: []\n";
    let s = parse_scenario("t.yaml", yaml).unwrap();
    let found = validate(&s.facts);
    let items: Vec<MissingItem> = found.iter().map(|f| f.item).collect();
    assert_eq!(items, vec![MissingItem::Ceiling, MissingItem::Duration]);
    assert!(found.iter().all(|f| f.rule.as_str() == "§ 3(2) ParlBG"));
}

#[test]
fn explanation_cites_rules_facts_and_sources() {
    let f = "  - {id: m, kind: mandate_approved, mission: M, valid: 2020-01-10, ceiling: 100, period: {from: 2020-01-10, until: open}, source: Plenarprotokoll X}";
    let text = render_verdict(&verdict(f, "2020-02-01", None));
    assert!(text.contains("[§ 1(2) ParlBG]"), "{text}");
    assert!(
        text.contains("fact m (mandate_approved) <- Plenarprotokoll X"),
        "{text}"
    );
}

#[test]
fn missing_sitting_days_are_a_warning() {
    let f = BRIDGE.replace("\n  - {id: sd, kind: sitting_days, valid: 2026-01-01, dates: [2026-07-01, 2026-07-02, 2026-07-03]}", "");
    let v = verdict(&f, "2026-07-01", None);
    assert_eq!(v.status, Status::Expired);
    assert!(v.has_warning(WarningCode::SittingDaysUnknown));
}

fn us_verdict(facts: &str, on: &str) -> Verdict {
    let yaml = format!("name: t\npack: us-wpr\nfacts:\n{facts}\nqueries: []\n");
    let s = parse_scenario("t.yaml", &yaml).unwrap_or_else(|e| panic!("{e}"));
    let q = Query {
        mission: "M".parse().unwrap(),
        on: on.parse().unwrap(),
        as_of: None,
    };
    evaluate(&s.registry().unwrap(), &q, &s.options)
}

#[test]
fn war_powers_clock_with_certification_and_authorization() {
    // No report: the clock runs from the day the report was due (48 hours after introduction).
    let intro = "  - {id: i, kind: introduction, mission: M, category: 4a1, valid: 2020-01-01}";
    assert_eq!(us_verdict(intro, "2020-03-02").status, Status::Within60);
    assert_eq!(
        us_verdict(intro, "2020-03-04").status,
        Status::ExpiredUnauthorized
    );
    let cert =
        format!("{intro}\n  - {{id: c, kind: certification, mission: M, valid: 2020-02-20}}");
    assert_eq!(
        us_verdict(&cert, "2020-03-04").status,
        Status::Within30WithdrawalOnly
    );
    assert_eq!(
        us_verdict(&cert, "2020-04-02").status,
        Status::Within30WithdrawalOnly
    );
    assert_eq!(
        us_verdict(&cert, "2020-04-03").status,
        Status::ExpiredUnauthorized
    );
    let auth =
        format!("{intro}\n  - {{id: a, kind: authorization, mission: M, valid: 2020-01-05}}");
    assert_eq!(us_verdict(&auth, "2020-06-01").status, Status::Authorized);
    let combat = "  - {id: i, kind: introduction, mission: M, category: 4a2, valid: 2020-01-01}";
    assert_eq!(
        us_verdict(combat, "2020-06-01").status,
        Status::ClockNotTriggered
    );
    let disputed = format!(
        "{intro}\n  - {{id: k, kind: classification, mission: M, armed: false, by: executive, valid: 2020-01-02}}"
    );
    let v = us_verdict(&disputed, "2020-01-10");
    assert_eq!(
        (v.status, v.contest.map(|c| c.alternative)),
        (Status::Within60, Some(Status::ClockNotTriggered))
    );
}

#[test]
fn a_strength_report_from_before_the_mandate_is_used_with_a_warning() {
    let f = format!(
        "{MANDATE}\n  - {{id: old, kind: strength_report, mission: M, count: 150, valid: 2019-06-01}}"
    );
    let v = verdict(&f, "2020-06-01", None);
    let check = v.check.as_ref().expect("a ceiling check");
    assert_eq!(check.outcome, CheckOutcome::Exceeded);
    assert!(v.has_warning(WarningCode::StaleStrengthReport));
    let fresh = format!(
        "{f}\n  - {{id: new, kind: strength_report, mission: M, count: 90, valid: 2020-02-01}}"
    );
    let v = verdict(&fresh, "2020-06-01", None);
    assert_eq!(v.check.as_ref().unwrap().outcome, CheckOutcome::Ok);
    assert!(!v.has_warning(WarningCode::StaleStrengthReport));
}
