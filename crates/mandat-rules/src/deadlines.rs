//! Upcoming procedural deadlines, mandate lapses and legal-basis ends.

use jiff::Span;
use mandat_core::{Fact, FactKind, MissionId, Procedure, Registry, TimePoint, VoteResult};

use crate::de::{DemandState, applications, demand_state, legal_end};
use crate::options::Options;
use crate::procedure::{demand_window_close, end_of_sitting_week_after, second_sitting_day_after};
use crate::us::wpr_clock;
use crate::verdict::{Deadline, DeadlineKind, RuleRef};

fn dl(
    mission: &MissionId,
    kind: DeadlineKind,
    at: TimePoint,
    rule: &str,
    facts: &[&Fact],
) -> Deadline {
    Deadline {
        mission: mission.clone(),
        kind,
        at,
        rule: RuleRef::new(rule),
        facts: facts.iter().map(|f| f.id.clone()).collect(),
    }
}

/// All deadlines of one mission as known at `as_of`, in time order (past ones included).
pub fn mission_deadlines(
    reg: &Registry,
    mission: &MissionId,
    as_of: Option<&TimePoint>,
    opts: &Options,
) -> Vec<Deadline> {
    let known: Vec<&Fact> = reg
        .mission_facts(mission)
        .filter(|f| f.known_at(as_of))
        .collect();
    let apps = applications(&known);
    let mut out = Vec::new();
    let mut terms = Vec::new();
    for a in &apps {
        let approved = a.votes.iter().any(|(_, r)| *r == VoteResult::Approved);
        // Decided: a vote on it is recorded, or (when the dataset records the outcome only as an
        // approval) the mission has an approval on or after the application's distribution.
        let decided = !a.votes.is_empty()
            || known.iter().any(|f| {
                matches!(f.kind, FactKind::MandateApproved { .. })
                    && f.valid.start() >= a.fact.valid.start()
            });
        let demand = (a.procedure == Procedure::Simplified)
            .then(|| demand_state(reg, a, as_of, opts, jiff::Timestamp::MAX));
        if let Some(state) = &demand
            && !decided
        {
            let close = TimePoint::At(demand_window_close(&a.fact.valid));
            out.push(dl(
                mission,
                DeadlineKind::DebateDemandWindow,
                close,
                "§ 4(1) ParlBG, GO-BT § 123",
                &[a.fact],
            ));
            if let DemandState::None { .. } = state {
                terms.push((a.fact, a.terms));
            }
        }
        if approved {
            terms.push((a.fact, a.terms));
        }
        let extension = a.procedure == Procedure::Extension || a.extends.is_some();
        if extension && !decided {
            let end = match &demand {
                Some(DemandState::Valid(d)) => {
                    end_of_sitting_week_after(reg, d.valid.date(), as_of)
                        .map(|(x, f)| (x, f, Some(*d)))
                }
                Some(DemandState::None { .. }) => None,
                None => second_sitting_day_after(reg, a.fact.valid.date(), as_of)
                    .map(|(x, f)| (x, f, None)),
            };
            if let Some((day, mut facts, d)) = end {
                facts.insert(0, a.fact);
                facts.extend(d);
                out.push(dl(
                    mission,
                    DeadlineKind::BridgeEnd,
                    TimePoint::Day(day),
                    "§ 7(2) ParlBG",
                    &facts,
                ));
            }
        }
    }
    let superseded: Vec<&mandat_core::FactId> = known
        .iter()
        .flat_map(|f| match &f.kind {
            FactKind::MandateApproved { supersedes, .. } => supersedes.iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    for f in &known {
        if let FactKind::MandateApproved { terms: t, .. } = &f.kind
            && !superseded.contains(&&f.id)
        {
            terms.push((f, t));
        }
    }
    let mut refs_seen = Vec::new();
    for (f, t) in terms {
        if let Some(last) = t.period.and_then(|p| p.last()) {
            out.push(dl(
                mission,
                DeadlineKind::MandateLapse,
                TimePoint::Day(last),
                "§ 3(2) ParlBG (planned duration)",
                &[f],
            ));
        }
        for r in t
            .legal_bases
            .iter()
            .chain(t.conditions.expires_if_ended.iter())
        {
            if refs_seen.contains(&r) {
                continue;
            }
            refs_seen.push(r);
            if let Some((end, ef)) = legal_end(reg, r, as_of)
                && let Ok(last) = end.yesterday()
            {
                out.push(dl(
                    mission,
                    DeadlineKind::LegalBasisEnd,
                    TimePoint::Day(last),
                    r.as_str(),
                    &[ef, f],
                ));
            }
        }
    }
    if let Some(c) = wpr_clock(&known, None) {
        out.push(dl(
            mission,
            DeadlineKind::WprReportDue,
            c.due,
            "50 U.S.C. § 1543(a)",
            &[c.intro],
        ));
        out.push(dl(
            mission,
            DeadlineKind::Wpr60Days,
            TimePoint::Day(c.day60),
            "50 U.S.C. § 1544(b)",
            &c.facts(),
        ));
        out.push(dl(
            mission,
            DeadlineKind::Wpr90Days,
            TimePoint::Day(c.day90),
            "50 U.S.C. § 1544(b)",
            &c.facts(),
        ));
    }
    out.sort_by_key(|d| d.at);
    out
}

/// Deadlines of all missions falling after `from` and at most `within_days` days later, as
/// known at `as_of`, sorted by time. A day-deadline counts through the end of its day.
pub fn deadlines(
    reg: &Registry,
    from: TimePoint,
    within_days: u32,
    as_of: Option<TimePoint>,
    opts: &Options,
) -> Vec<Deadline> {
    let limit_day = from
        .date()
        .checked_add(Span::new().days(i64::from(within_days)))
        .unwrap_or(jiff::civil::Date::MAX);
    let limit = TimePoint::Day(limit_day).end();
    let mut out: Vec<Deadline> = reg
        .missions()
        .into_iter()
        .flat_map(|m| mission_deadlines(reg, m, as_of.as_ref(), opts))
        .filter(|d| d.at.end() > from.end() && d.at.end() <= limit)
        .collect();
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.mission.cmp(&b.mission)));
    out
}
