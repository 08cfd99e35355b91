//! What triggers an alert: pure functions from the registry a subscriber may see, today, and the
//! store's change log to the events a subscription asks for.
//!
//! Every event has a deterministic key (`mandate_lapse:KFOR:2026-06-30`, `new_fact:42`), so
//! evaluating the triggers again (the next tick, a restart) finds the same keys, and the outbox,
//! unique per subscription and key, queues nothing twice.

use jiff::civil::Date;
use mandat_core::{Registry, TimePoint};
use mandat_rules::{CheckOutcome, DeadlineKind, Options, Query};
use mandat_store::{
    AlertKind, Change, ClaimStatus, Clearance, NewAlert, Subscription, SubscriptionId,
};
use serde_json::{Value, json};

/// One event a subscription should hear about.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertEvent {
    /// What happened.
    pub kind: AlertKind,
    /// The deterministic key of the event.
    pub key: String,
    /// The mission it is about (a fact may concern several; the first is named here).
    pub mission: Option<String>,
    /// One line: the e-mail subject.
    pub subject: String,
    /// A few lines of plain text: the e-mail body.
    pub text: String,
    /// The details, as JSON.
    pub data: Value,
}

impl AlertEvent {
    /// The JSON sent for this event to subscription `sub` (the webhook body).
    pub fn payload(&self, sub: SubscriptionId) -> Value {
        json!({
            "event": self.key,
            "kind": self.kind.as_str(),
            "mission": self.mission,
            "subject": self.subject,
            "text": self.text,
            "data": self.data,
            "subscription": sub.0,
        })
    }

    /// The event as an alert to queue for `sub`.
    pub fn to_alert(&self, sub: SubscriptionId) -> NewAlert {
        NewAlert {
            event_key: self.key.clone(),
            payload: self.payload(sub),
        }
    }
}

fn about(sub: &Subscription, mission: &str) -> bool {
    sub.mission.as_deref().is_none_or(|m| m == mission)
}

/// Mandates lapsing and legal bases ending after `today` and at most `sub.within_days` later, as
/// far as the subscription asks for them.
pub fn deadline_events(reg: &Registry, today: Date, sub: &Subscription) -> Vec<AlertEvent> {
    let lapse = sub.kinds.contains(&AlertKind::MandateLapse);
    let basis = sub.kinds.contains(&AlertKind::LegalBasisEnd);
    if !lapse && !basis {
        return Vec::new();
    }
    let list = mandat_rules::deadlines(
        reg,
        TimePoint::Day(today),
        sub.within_days,
        None,
        &Options::default(),
    );
    list.into_iter()
        .filter(|d| about(sub, d.mission.as_str()))
        .filter_map(|d| {
            let (kind, what) = match d.kind {
                DeadlineKind::MandateLapse if lapse => {
                    (AlertKind::MandateLapse, "the mandate lapses")
                }
                DeadlineKind::LegalBasisEnd if basis => {
                    (AlertKind::LegalBasisEnd, "a legal basis ends")
                }
                _ => return None,
            };
            let mission = d.mission.to_string();
            let facts: Vec<String> = d.facts.iter().map(ToString::to_string).collect();
            Some(AlertEvent {
                kind,
                key: format!("{}:{mission}:{}", kind.as_str(), d.at),
                subject: format!("{mission}: {what} on {}", d.at),
                text: format!(
                    "{mission}: {what} on {} ({}). Facts: {}.",
                    d.at,
                    d.rule.as_str(),
                    facts.join(", ")
                ),
                data: json!({
                    "at": d.at.to_string(),
                    "rule": d.rule.as_str(),
                    "facts": facts,
                }),
                mission: Some(mission),
            })
        })
        .collect()
}

/// Missions whose latest strength report on `today` exceeds the ceiling in force (and the
/// mandate does not permit the overrun), if the subscription asks for it. One event per report
/// and ceiling: a new report or a new ceiling that is still exceeded is a new event.
pub fn ceiling_events(reg: &Registry, today: Date, sub: &Subscription) -> Vec<AlertEvent> {
    if !sub.kinds.contains(&AlertKind::CeilingExceeded) {
        return Vec::new();
    }
    let options = Options::default();
    reg.missions()
        .into_iter()
        .filter(|m| about(sub, m.as_str()))
        .filter_map(|m| {
            let v = mandat_rules::evaluate(
                reg,
                &Query {
                    mission: m.clone(),
                    on: TimePoint::Day(today),
                    as_of: None,
                },
                &options,
            );
            let check = v.check.filter(|c| c.outcome == CheckOutcome::Exceeded)?;
            let mission = m.to_string();
            let ceiling = check.ceiling.get();
            Some(AlertEvent {
                kind: AlertKind::CeilingExceeded,
                key: format!("ceiling_exceeded:{mission}:{}:{ceiling}", check.report),
                subject: format!(
                    "{mission}: {} deployed, above the ceiling of {ceiling}",
                    check.strength
                ),
                text: format!(
                    "{mission}: the strength report {} gives {} soldiers, above the ceiling of \
                     {ceiling} in force on {today} (mandate {}).",
                    check.report,
                    check.strength,
                    v.mandate
                        .as_ref()
                        .map_or("-".to_owned(), ToString::to_string),
                ),
                data: json!({
                    "on": today.to_string(),
                    "strength": check.strength,
                    "ceiling": ceiling,
                    "report": check.report.to_string(),
                    "mandate": v.mandate.map(|f| f.to_string()),
                }),
                mission: Some(mission),
            })
        })
        .collect()
}

/// Facts accepted in `changes` (read from the change log with the subscriber's clearance) about
/// the subscription's mission, if it asks for them. A claim above `clearance` is never announced,
/// even if the caller passed it.
pub fn fact_events(
    changes: &[Change],
    sub: &Subscription,
    clearance: Clearance,
) -> Vec<AlertEvent> {
    if !sub.kinds.contains(&AlertKind::NewFact) {
        return Vec::new();
    }
    changes
        .iter()
        .filter(|c| c.event.status == ClaimStatus::Accepted)
        .filter(|c| c.claim.classification <= clearance)
        .filter(|c| match &sub.mission {
            Some(m) => c.claim.missions.iter().any(|x| x == m),
            None => true,
        })
        .map(|c| {
            let claim = &c.claim;
            let mission = match &sub.mission {
                Some(m) => Some(m.clone()),
                None => claim.missions.first().cloned(),
            };
            let label = mission.as_deref().unwrap_or("registry");
            let valid = claim.valid_from.as_deref().unwrap_or("-");
            AlertEvent {
                kind: AlertKind::NewFact,
                key: format!("new_fact:{}", claim.id),
                subject: format!("{label}: new fact {} ({})", claim.fact_id, claim.kind),
                text: format!(
                    "{label}: the fact {} ({}, valid {valid}) was accepted by {}.",
                    claim.fact_id, claim.kind, c.event.actor
                ),
                data: json!({
                    "claim": claim.id.0,
                    "fact_id": claim.fact_id.as_str(),
                    "fact_kind": claim.kind,
                    "missions": claim.missions,
                    "valid_from": claim.valid_from,
                    "fact": claim.payload,
                }),
                mission,
            }
        })
        .collect()
}

/// Every event subscription `sub` asks for: deadlines and ceilings on `today` in `reg` (the
/// registry its owner may see), and facts accepted in `changes`.
pub fn events(
    reg: &Registry,
    today: Date,
    changes: &[Change],
    sub: &Subscription,
    clearance: Clearance,
) -> Vec<AlertEvent> {
    let mut out = deadline_events(reg, today, sub);
    out.extend(ceiling_events(reg, today, sub));
    out.extend(fact_events(changes, sub, clearance));
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use jiff::Timestamp;
    use mandat_store::{Channel, Claim, ClaimId, EventId, Evidence, FactId, ReviewEvent, UserId};

    use super::*;

    const FACTS: &str = r#"
facts:
  - {id: unsc-1244, kind: legal_basis, ref: UNSC 1244, valid: 1999-06-10,
     period: {from: 1999-06-10, until: 2026-07-15}}
  - id: m2025
    kind: mandate_approved
    mission: KFOR
    valid: 2025-06-05
    ceiling: 400
    period: {from: 2025-06-05, until: 2026-06-30}
    legal_bases: [UNSC 1244]
  - {id: s1, kind: strength_report, mission: KFOR, valid: 2026-05-01, count: 380}
  - {id: s2, kind: strength_report, mission: KFOR, valid: 2026-06-01, count: 420}
  - id: a2025
    kind: mandate_approved
    mission: EUFOR Althea
    valid: 2025-06-05
    ceiling: 50
    period: {from: 2025-06-05, until: 2026-09-30}
"#;

    fn reg() -> Registry {
        Registry::from_files(&[("t.yaml", FACTS)]).expect("test facts")
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn sub(mission: Option<&str>, kinds: &[AlertKind], within_days: u32) -> Subscription {
        Subscription {
            id: SubscriptionId(1),
            owner: UserId(1),
            mission: mission.map(str::to_owned),
            kinds: kinds.iter().copied().collect::<BTreeSet<_>>(),
            within_days,
            channel: Channel::Webhook,
            target: "https://example.org/".into(),
            secret: None,
            fact_cursor: 0,
            created_at: Timestamp::UNIX_EPOCH,
            active: true,
        }
    }

    fn keys(events: &[AlertEvent]) -> Vec<&str> {
        events.iter().map(|e| e.key.as_str()).collect()
    }

    #[test]
    fn lapses_within_the_window_of_the_subscribed_mission() {
        let r = reg();
        let s = sub(Some("KFOR"), &[AlertKind::MandateLapse], 30);
        let ev = deadline_events(&r, day("2026-06-10"), &s);
        assert_eq!(keys(&ev), ["mandate_lapse:KFOR:2026-06-30"]);
        assert_eq!(ev[0].mission.as_deref(), Some("KFOR"));
        assert!(ev[0].subject.contains("2026-06-30"), "{}", ev[0].subject);
        // Too early for a 30-day window; the same day again gives the same key.
        assert!(deadline_events(&r, day("2026-05-01"), &s).is_empty());
        assert_eq!(
            keys(&deadline_events(&r, day("2026-06-29"), &s)),
            ["mandate_lapse:KFOR:2026-06-30"]
        );
        // All missions: Althea's lapse too, once the window reaches it.
        let all = sub(None, &[AlertKind::MandateLapse], 120);
        assert_eq!(
            keys(&deadline_events(&r, day("2026-06-10"), &all)),
            [
                "mandate_lapse:KFOR:2026-06-30",
                "mandate_lapse:EUFOR Althea:2026-09-30"
            ]
        );
    }

    #[test]
    fn legal_basis_end_only_when_asked_for() {
        let r = reg();
        let both = sub(
            Some("KFOR"),
            &[AlertKind::MandateLapse, AlertKind::LegalBasisEnd],
            60,
        );
        let ev = deadline_events(&r, day("2026-06-10"), &both);
        let k = keys(&ev);
        assert!(k.contains(&"mandate_lapse:KFOR:2026-06-30"), "{k:?}");
        assert!(
            k.iter().any(|k| k.starts_with("legal_basis_end:KFOR:")),
            "{k:?}"
        );
        let lapse_only = sub(Some("KFOR"), &[AlertKind::MandateLapse], 60);
        assert!(
            keys(&deadline_events(&r, day("2026-06-10"), &lapse_only))
                .iter()
                .all(|k| !k.starts_with("legal_basis_end"))
        );
        let facts_only = sub(None, &[AlertKind::NewFact], 60);
        assert!(deadline_events(&r, day("2026-06-10"), &facts_only).is_empty());
    }

    #[test]
    fn ceiling_exceeded_by_the_latest_report() {
        let r = reg();
        let s = sub(None, &[AlertKind::CeilingExceeded], 30);
        assert!(ceiling_events(&r, day("2026-05-15"), &s).is_empty());
        let ev = ceiling_events(&r, day("2026-06-05"), &s);
        assert_eq!(keys(&ev), ["ceiling_exceeded:KFOR:s2:400"]);
        assert_eq!(ev[0].data["strength"], 420);
        let other = sub(Some("EUFOR Althea"), &[AlertKind::CeilingExceeded], 30);
        assert!(ceiling_events(&r, day("2026-06-05"), &other).is_empty());
    }

    fn change(event: i64, claim: i64, status: ClaimStatus, missions: &[&str], c: u8) -> Change {
        Change {
            event: ReviewEvent {
                id: EventId(event),
                claim_id: ClaimId(claim),
                status,
                actor: "rita".into(),
                at: Timestamp::UNIX_EPOCH,
                note: None,
            },
            claim: Claim {
                id: ClaimId(claim),
                fact_id: FactId::new(format!("f{claim}")).unwrap(),
                kind: "strength_report".into(),
                missions: missions.iter().map(|m| (*m).to_owned()).collect(),
                valid_from: Some("2026-06-01".into()),
                recorded_at: Timestamp::UNIX_EPOCH,
                payload: json!({ "count": 3 }),
                evidence: Evidence::Unsourced,
                supersedes: None,
                classification: Clearance::new(c),
                actor: "erika".into(),
                status,
            },
        }
    }

    #[test]
    fn accepted_facts_of_the_mission_within_clearance() {
        let changes = [
            change(1, 10, ClaimStatus::Proposed, &["KFOR"], 0),
            change(2, 10, ClaimStatus::Accepted, &["KFOR"], 0),
            change(3, 11, ClaimStatus::Accepted, &["EUFOR Althea"], 0),
            change(4, 12, ClaimStatus::Accepted, &["KFOR"], 2),
            change(5, 13, ClaimStatus::Rejected, &["KFOR"], 0),
        ];
        let kfor = sub(Some("KFOR"), &[AlertKind::NewFact], 30);
        let ev = fact_events(&changes, &kfor, Clearance::PUBLIC);
        assert_eq!(keys(&ev), ["new_fact:10"]);
        assert_eq!(ev[0].data["fact_id"], "f10");
        assert_eq!(
            keys(&fact_events(&changes, &kfor, Clearance::SECRET)),
            ["new_fact:10", "new_fact:12"]
        );
        let all = sub(None, &[AlertKind::NewFact], 30);
        let ev = fact_events(&changes, &all, Clearance::PUBLIC);
        assert_eq!(keys(&ev), ["new_fact:10", "new_fact:11"]);
        assert_eq!(ev[1].mission.as_deref(), Some("EUFOR Althea"));
        let lapse = sub(None, &[AlertKind::MandateLapse], 30);
        assert!(fact_events(&changes, &lapse, Clearance::SECRET).is_empty());
    }

    #[test]
    fn payload_names_the_event_and_the_subscription() {
        let r = reg();
        let s = sub(Some("KFOR"), &[AlertKind::MandateLapse], 30);
        let ev = events(&r, day("2026-06-10"), &[], &s, Clearance::PUBLIC);
        let a = ev[0].to_alert(SubscriptionId(7));
        assert_eq!(a.event_key, "mandate_lapse:KFOR:2026-06-30");
        assert_eq!(a.payload["event"], a.event_key.as_str());
        assert_eq!(a.payload["kind"], "mandate_lapse");
        assert_eq!(a.payload["subscription"], 7);
    }
}
