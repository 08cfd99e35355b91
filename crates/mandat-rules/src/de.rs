//! The German pack: ParlBG 2005, and BVerfGE 90, 286 before it.

use jiff::Timestamp;
use jiff::civil::Date;
use mandat_core::{
    Ceiling, DemandBy, Dependency, Fact, FactId, FactKind, LegalRef, MandateTerms, Procedure,
    Registry, TimePoint, VoteResult,
};

use crate::deadlines::mission_deadlines;
use crate::options::{Options, Pack, RevocationEffect};
use crate::procedure::{
    bverfge_140_160, demand_threshold, demand_window_close, end_of_day_exclusive,
    end_of_sitting_week_after, parlbg_in_force, second_sitting_day_after,
};
use crate::verdict::{
    Basis, CeilingCheck, CheckOutcome, Contest, Explanation, Query, Regime, Status, Verdict,
    Warning, WarningCode,
};

/// A decision that can cover a day: an approved mandate, an approved application, or a § 4
/// application deemed approved.
#[derive(Debug)]
struct Cand<'a> {
    /// The mandate or application fact.
    fact: &'a Fact,
    terms: &'a MandateTerms,
    basis: Basis,
    /// When the decision took effect.
    decided: Timestamp,
    /// Covers its whole period even when decided after the day (§ 5 retroactive approval).
    retro: bool,
    supersedes: &'a [FactId],
    /// The facts of the decision (vote, application, ...).
    evidence: Vec<&'a Fact>,
    rule: &'static str,
}

/// An application with what is known about it.
#[derive(Debug)]
pub(crate) struct App<'a> {
    pub fact: &'a Fact,
    pub procedure: Procedure,
    pub terms: &'a MandateTerms,
    pub extends: Option<&'a FactId>,
    pub votes: Vec<(&'a Fact, VoteResult)>,
    pub demands: Vec<(&'a Fact, &'a DemandBy)>,
}

/// The state of a § 4 application's debate demand.
pub(crate) enum DemandState<'a> {
    /// No valid demand before the window closed.
    None {
        short: Vec<&'a Fact>,
        members_unknown: Vec<&'a Fact>,
    },
    /// A valid demand.
    Valid(&'a Fact),
}

pub(crate) fn applications<'a>(known: &[&'a Fact]) -> Vec<App<'a>> {
    let mut apps: Vec<App<'a>> = known
        .iter()
        .filter_map(|f| match &f.kind {
            FactKind::ApplicationDistributed {
                procedure,
                terms,
                extends,
            } => Some(App {
                fact: f,
                procedure: *procedure,
                terms,
                extends: extends.as_ref(),
                votes: Vec::new(),
                demands: Vec::new(),
            }),
            _ => None,
        })
        .collect();
    for f in known {
        match &f.kind {
            FactKind::Vote {
                application,
                result,
                ..
            } => {
                if let Some(a) = apps.iter_mut().find(|a| &a.fact.id == application) {
                    a.votes.push((f, *result));
                }
            }
            FactKind::DebateRequested { application, by } => {
                if let Some(a) = apps.iter_mut().find(|a| &a.fact.id == application) {
                    a.demands.push((f, by));
                }
            }
            _ => {}
        }
    }
    apps
}

/// Whether a valid debate demand reached the President before the § 4 window closed; only
/// demands made by `upto` count (a question about 17:00 does not see a demand made at 17:30).
pub(crate) fn demand_state<'a>(
    reg: &Registry,
    app: &App<'a>,
    as_of: Option<&TimePoint>,
    opts: &Options,
    upto: Timestamp,
) -> DemandState<'a> {
    let close = demand_window_close(&app.fact.valid);
    let mut short = Vec::new();
    let mut unknown = Vec::new();
    for (f, by) in &app.demands {
        if f.valid.start() > close || f.valid.start() > upto {
            continue;
        }
        match by {
            DemandBy::Group(_) => return DemandState::Valid(f),
            DemandBy::Members(n) => match reg.members_on(app.fact.valid.date(), as_of) {
                Some((members, _)) if *n >= demand_threshold(members, opts.members_rounding) => {
                    return DemandState::Valid(f);
                }
                Some(_) => short.push(*f),
                // Without the member count the demand cannot be checked; it is taken as valid
                // so that no deemed approval is assumed on unknown data.
                None => {
                    unknown.push(*f);
                    return DemandState::Valid(f);
                }
            },
        }
    }
    DemandState::None {
        short,
        members_unknown: unknown,
    }
}

fn candidates<'a>(
    reg: &Registry,
    apps: &[App<'a>],
    known: &[&'a Fact],
    q: &Query,
    opts: &Options,
    regime: Regime,
) -> Vec<Cand<'a>> {
    let mut out = Vec::new();
    let approval_rule = match regime {
        Regime::Bverfge1994 => "BVerfGE 90, 286",
        Regime::Parlbg2005 | Regime::UsWarPowers | Regime::NlArticle100 => "§ 1(2) ParlBG",
    };
    for f in known {
        if let FactKind::MandateApproved { terms, supersedes } = &f.kind {
            out.push(Cand {
                fact: f,
                terms,
                basis: Basis::Approved,
                decided: f.valid.start(),
                retro: false,
                supersedes,
                evidence: vec![f],
                rule: approval_rule,
            });
        }
    }
    for a in apps {
        let retro = a.procedure == Procedure::Retroactive;
        if let Some((vote, _)) = a.votes.iter().find(|(_, r)| *r == VoteResult::Approved) {
            let after = vote.valid.date() > q.on.date();
            out.push(Cand {
                fact: a.fact,
                terms: a.terms,
                basis: if retro && after {
                    Basis::Retroactive
                } else {
                    Basis::Approved
                },
                decided: vote.valid.start(),
                retro,
                supersedes: &[],
                evidence: vec![a.fact, vote],
                rule: if retro {
                    "§ 5(3) ParlBG"
                } else {
                    approval_rule
                },
            });
            continue;
        }
        // § 4 exists only under the ParlBG; a vote, even a rejection, replaces the deemed approval.
        if a.procedure == Procedure::Simplified
            && a.votes.is_empty()
            && a.fact.valid.date() >= parlbg_in_force()
        {
            let close = demand_window_close(&a.fact.valid);
            let knowable = q.as_of.as_ref().is_none_or(|t| t.end() >= close);
            if knowable
                && let DemandState::None { .. } =
                    demand_state(reg, a, q.as_of.as_ref(), opts, Timestamp::MAX)
            {
                out.push(Cand {
                    fact: a.fact,
                    terms: a.terms,
                    basis: Basis::Deemed,
                    decided: close,
                    retro: false,
                    supersedes: &[],
                    evidence: vec![a.fact],
                    rule: "§ 4(1) ParlBG",
                });
            }
        }
    }
    out
}

/// Ids of candidates replaced, on the day, by a later decision that names them in `supersedes`.
fn superseded_ids<'a>(all: &[Cand<'a>], end: Timestamp, day: Date) -> Vec<&'a FactId> {
    all.iter()
        .filter(|o| o.decided <= end && o.terms.period.is_some_and(|p| p.from() <= day))
        .flat_map(|o| o.supersedes.iter())
        .collect()
}

fn covers(c: &Cand, end: Timestamp, day: Date) -> bool {
    c.terms.period.is_some_and(|p| p.contains(day)) && (c.retro || c.decided <= end)
}

/// The first day a legal basis no longer holds, as known, with the fact saying so.
pub(crate) fn legal_end<'a>(
    reg: &'a Registry,
    r: &LegalRef,
    as_of: Option<&TimePoint>,
) -> Option<(Date, &'a Fact)> {
    reg.legal_basis_facts(r)
        .filter(|f| f.known_at(as_of))
        .filter_map(|f| match &f.kind {
            FactKind::LegalBasisEnded { .. } => Some((f.valid.date(), f)),
            FactKind::LegalBasis {
                period: Some(p), ..
            } => p.end_exclusive().map(|d| (d, f)),
            _ => None,
        })
        .min_by_key(|(d, _)| *d)
}

struct Outcome<'a> {
    status: Status,
    mandate: Option<&'a Fact>,
    ceiling: Option<Ceiling>,
    basis: Option<Basis>,
    node: Explanation,
    warnings: Vec<Warning>,
    contest: Option<Contest>,
}

impl<'a> Outcome<'a> {
    fn new(status: Status, node: Explanation) -> Self {
        Outcome {
            status,
            mandate: None,
            ceiling: None,
            basis: None,
            node,
            warnings: Vec::new(),
            contest: None,
        }
    }
}

fn warn(code: WarningCode, message: String, facts: &[&Fact]) -> Warning {
    Warning {
        code,
        message,
        facts: facts.iter().map(|f| f.id.clone()).collect(),
    }
}

fn visible(f: &Fact, q: &Query) -> bool {
    f.valid.visible_at(&q.on)
}

/// True when a `mandate_approved` of the mission, visible on the day, is dated on or after the
/// fact: the dataset records approvals as mandates without linking them to their application,
/// so such an application or cabinet proposal counts as decided.
fn followed_by_mandate(f: &Fact, known: &[&Fact], q: &Query) -> bool {
    known.iter().any(|g| {
        matches!(g.kind, FactKind::MandateApproved { .. }) && g.valid >= f.valid && visible(g, q)
    })
}

/// Evaluates a query under the German pack.
pub(crate) fn evaluate(reg: &Registry, q: &Query, opts: &Options) -> Verdict {
    let as_of = q.as_of.as_ref();
    let known: Vec<&Fact> = reg
        .mission_facts(&q.mission)
        .filter(|f| f.known_at(as_of))
        .collect();
    let regime = if q.on.date() < parlbg_in_force() {
        Regime::Bverfge1994
    } else {
        Regime::Parlbg2005
    };
    let norm = match regime {
        Regime::Bverfge1994 => Explanation::new(
            "BVerfGE 90, 286",
            format!(
                "{} is before {}: the 1994 regime applies (prior constitutive approval, emergency exception)",
                q.on,
                parlbg_in_force()
            ),
        ),
        Regime::Parlbg2005 | Regime::UsWarPowers | Regime::NlArticle100 => Explanation::new(
            "ParlBG",
            format!(
                "{} is on or after {}: the Parlamentsbeteiligungsgesetz applies",
                q.on,
                parlbg_in_force()
            ),
        ),
    };

    let apps = applications(&known);
    let cands = candidates(reg, &apps, &known, q, opts, regime);
    let mut outcome = armed_outcome(reg, q, opts, regime, &known, &apps, &cands);
    // A § 7(2) bridge counted in sitting days cannot be computed without them: say so rather
    // than silently reporting the deployment as uncovered.
    let no_days: Vec<&Fact> = apps
        .iter()
        .filter(|a| {
            (a.procedure == Procedure::Extension || a.extends.is_some())
                && a.procedure != Procedure::Simplified
                && visible(a.fact, q)
                && a.votes.is_empty()
                && second_sitting_day_after(reg, a.fact.valid.date(), as_of).is_none()
        })
        .map(|a| a.fact)
        .collect();
    if regime == Regime::Parlbg2005 && !no_days.is_empty() {
        outcome.warnings.push(warn(
            WarningCode::SittingDaysUnknown,
            "the calendar lacks the sitting days after distribution needed for the § 7(2) bridge"
                .to_owned(),
            &no_days,
        ));
    }

    // § 2: a claim that the deployment is not armed makes approval unnecessary; competing
    // claims are all kept and the armed outcome is reported as the alternative.
    let claims: Vec<(&Fact, bool)> = known
        .iter()
        .filter(|f| visible(f, q))
        .filter_map(|f| match &f.kind {
            FactKind::Classification { armed, .. } => Some((*f, *armed)),
            _ => None,
        })
        .collect();
    let unarmed: Vec<&Fact> = claims.iter().filter(|(_, a)| !a).map(|(f, _)| *f).collect();
    let armed: Vec<&Fact> = claims.iter().filter(|(_, a)| *a).map(|(f, _)| *f).collect();
    if !unarmed.is_empty() {
        let mut node = Explanation::new(
            "§ 2 ParlBG",
            "classified as not an armed deployment: no approval required",
        )
        .with_facts(unarmed.iter().copied());
        let contest = (!armed.is_empty()).then(|| {
            node.children.push(
                Explanation::new(
                    "§ 2 ParlBG",
                    format!(
                        "contested: classified as armed; under that reading the status is {}",
                        outcome.status
                    ),
                )
                .with_facts(armed.iter().copied())
                .child(outcome.node.clone()),
            );
            Contest {
                alternative: outcome.status,
                reason: "the classification as an armed deployment is disputed".to_owned(),
                facts: unarmed
                    .iter()
                    .chain(armed.iter())
                    .map(|f| f.id.clone())
                    .collect(),
            }
        });
        let mut warnings = Vec::new();
        if contest.is_some() {
            warnings.push(warn(
                WarningCode::Contested,
                "the § 2 classification is disputed".to_owned(),
                &claims.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ));
        }
        outcome = Outcome {
            status: Status::NotRequired,
            mandate: None,
            ceiling: None,
            basis: None,
            node,
            warnings,
            contest,
        };
    }

    finish(reg, q, opts, regime, norm, outcome, &known, &apps, &cands)
}

#[allow(clippy::too_many_arguments)]
fn finish(
    reg: &Registry,
    q: &Query,
    opts: &Options,
    regime: Regime,
    norm: Explanation,
    mut outcome: Outcome,
    known: &[&Fact],
    apps: &[App],
    cands: &[Cand],
) -> Verdict {
    let as_of = q.as_of.as_ref();
    let mut root = Explanation::new(
        match regime {
            Regime::Bverfge1994 => "BVerfGE 90, 286",
            Regime::Parlbg2005 | Regime::UsWarPowers | Regime::NlArticle100 => "ParlBG",
        },
        format!(
            "{} on {}{}: {}",
            q.mission,
            q.on,
            q.as_of.map(|t| format!(" as of {t}")).unwrap_or_default(),
            outcome.status
        ),
    )
    .child(norm)
    .child(outcome.node.clone());

    // Ceiling check against the latest strength report on or before the day. A report from before
    // the covering mandate's period is still used (the rule says "latest report"), with a warning.
    let mut stale = None;
    let check = outcome.ceiling.and_then(|ceiling| {
        let report = reg.latest_strength(&q.mission, &q.on, as_of)?;
        let FactKind::StrengthReport { count, .. } = &report.kind else {
            return None;
        };
        let terms = outcome.mandate.and_then(|m| match &m.kind {
            FactKind::MandateApproved { terms, .. }
            | FactKind::ApplicationDistributed { terms, .. } => Some(terms),
            _ => None,
        });
        let permitted = terms.map(|t| t.overrun_permitted);
        if let Some(from) = terms.and_then(|t| t.period).map(|p| p.from())
            && report.valid.date() < from
        {
            stale = Some(warn(
                WarningCode::StaleStrengthReport,
                format!(
                    "the latest strength report ({count} on {}) predates the mandate's period \
                     (from {from}); the ceiling check may not reflect the current strength",
                    report.valid
                ),
                &[report],
            ));
        }
        let result = if *count <= ceiling.get() {
            CheckOutcome::Ok
        } else if permitted == Some(true) {
            CheckOutcome::ExceededPermitted
        } else {
            CheckOutcome::Exceeded
        };
        root.children.push(
            Explanation::new(
                "§ 3(2) ParlBG",
                format!(
                    "deployed strength {count} against ceiling {ceiling}: {}",
                    result.name()
                ),
            )
            .with_facts([report]),
        );
        Some(CeilingCheck {
            outcome: result,
            strength: *count,
            ceiling,
            report: report.id.clone(),
        })
    });

    if let Some(w) = stale {
        outcome.warnings.push(w);
    }

    // A deployment that ended, and did not start again, while the mandate still runs: the
    // authorisation stands, but nothing is deployed under it.
    if outcome.status == Status::Covered
        && let Some(end) = known
            .iter()
            .rev()
            .find(|f| visible(f, q) && matches!(f.kind, FactKind::DeploymentEnded { .. }))
        && !known.iter().any(|f| {
            visible(f, q)
                && f.valid > end.valid
                && matches!(
                    f.kind,
                    FactKind::DeploymentStarted { .. }
                        | FactKind::EmergencyDeploymentStarted { .. }
                        | FactKind::MandateApproved { .. }
                )
        })
    {
        outcome.warnings.push(warn(
            WarningCode::DeploymentEnded,
            format!(
                "the deployment ended on {}; the mandate still runs, but nothing is deployed under it",
                end.valid
            ),
            &[end],
        ));
    }

    // Expired after the knowledge horizon: the registry (or the `as_of` day) ends before the
    // lapse, so an extension decided in between would not be known.
    if outcome.status == Status::Expired
        && let Some(mandate) = outcome.mandate
        && let FactKind::MandateApproved { terms, .. }
        | FactKind::ApplicationDistributed { terms, .. } = &mandate.kind
        && let Some(lapse) = terms.period.and_then(|p| p.last())
        && let Some(horizon) = q.as_of.map(|t| t.date()).or(reg.last_recorded())
        && lapse >= horizon
    {
        outcome.warnings.push(warn(
            WarningCode::LapseAfterLastRecord,
            format!(
                "the mandate ran to {lapse}, and nothing recorded after {horizon} is known: \
                 an extension decided since then would not be in the data"
            ),
            &[mandate],
        ));
    }

    // Pending applications and cabinet proposals.
    let mut pending: Vec<&Fact> = Vec::new();
    let mut lapsed: Vec<&Fact> = Vec::new();
    let lapsed_by_term = |f: &Fact| {
        let term_then = reg.calendar().term_on(f.valid.date()).map(|t| t.term);
        let term_now = reg.calendar().term_on(q.on.date()).map(|t| t.term);
        term_then.is_some() && term_now.is_some() && term_then != term_now
    };
    for a in apps {
        if !visible(a.fact, q)
            || a.votes.iter().any(|(v, _)| visible(v, q))
            || followed_by_mandate(a.fact, known, q)
        {
            continue;
        }
        // The application the verdict rests on is reported as the mandate, not as pending.
        let is_verdict_mandate = outcome.mandate.is_some_and(|m| m.id == a.fact.id);
        if is_verdict_mandate
            || cands
                .iter()
                .any(|c| c.fact.id == a.fact.id && c.decided <= q.on.end())
        {
            continue;
        }
        if lapsed_by_term(a.fact) {
            lapsed.push(a.fact);
        } else {
            pending.push(a.fact);
        }
    }
    for f in known.iter().filter(|f| visible(f, q)) {
        if let FactKind::CabinetDecision { .. } = f.kind {
            let followed = known.iter().any(|g| {
                matches!(
                    g.kind,
                    FactKind::MandateApproved { .. } | FactKind::ApplicationDistributed { .. }
                ) && g.valid >= f.valid
                    && visible(g, q)
            });
            if followed {
                continue;
            }
            if lapsed_by_term(f) {
                lapsed.push(f);
            } else {
                pending.push(f);
            }
        }
    }
    if !pending.is_empty() {
        outcome.warnings.push(warn(
            WarningCode::PendingApplication,
            format!(
                "{} pending application(s) or cabinet proposal(s)",
                pending.len()
            ),
            &pending,
        ));
        root.children.push(
            Explanation::new(
                "§ 3(1) ParlBG",
                "pending before the Bundestag or proposed by the cabinet",
            )
            .with_facts(pending.iter().copied()),
        );
    }
    if !lapsed.is_empty() {
        outcome.warnings.push(warn(
            WarningCode::ApplicationLapsed,
            "application(s) lapsed at the end of the electoral term".to_owned(),
            &lapsed,
        ));
    }

    let deadline = mission_deadlines(reg, &q.mission, as_of, opts)
        .into_iter()
        .filter(|d| d.at.end() > q.on.end())
        .min_by_key(|d| d.at);
    if let Some(d) = &deadline {
        root.children.push(Explanation::new(
            d.rule.as_str(),
            format!("next deadline: {} at {}", d.kind.name(), d.at),
        ));
    }
    if outcome.contest.is_some()
        && !outcome
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::Contested)
    {
        outcome.warnings.push(warn(
            WarningCode::Contested,
            "the outcome is disputed".to_owned(),
            &[],
        ));
    }

    Verdict {
        query: q.clone(),
        pack: Pack::De,
        regime,
        status: outcome.status,
        mandate: outcome.mandate.map(|m| m.id.clone()),
        ceiling: outcome.ceiling,
        basis: outcome.basis,
        check,
        deadline,
        warnings: outcome.warnings,
        contest: outcome.contest,
        pending: pending.iter().map(|f| f.id.clone()).collect(),
        explanation: root,
    }
}

fn armed_outcome<'a>(
    reg: &'a Registry,
    q: &Query,
    opts: &Options,
    regime: Regime,
    known: &[&'a Fact],
    apps: &[App<'a>],
    cands: &[Cand<'a>],
) -> Outcome<'a> {
    let as_of = q.as_of.as_ref();
    let day = q.on.date();
    let end = q.on.end();
    let replaced = superseded_ids(cands, end, day);
    let covering = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| covers(c, end, day) && !replaced.contains(&&c.fact.id))
        .max_by_key(|(i, c)| (c.decided, *i))
        .map(|(_, c)| c);

    // § 8 revocation of the covering mandate.
    if let Some(c) = covering {
        let revocation = known.iter().find(|f| {
            matches!(&f.kind, FactKind::Revocation { mandate } if *mandate == c.fact.id)
                && match opts.revocation_effect {
                    RevocationEffect::AtVote => f.valid.start() <= q.on.end(),
                    RevocationEffect::NextDay => f.valid.date() < day,
                }
        });
        if let Some(r) = revocation {
            let mut o = Outcome::new(
                Status::Revoked,
                Explanation::new(
                    "§ 8 ParlBG",
                    format!(
                        "the Bundestag revoked its approval {} on {}",
                        c.fact.id, r.valid
                    ),
                )
                .with_facts([c.fact, *r]),
            );
            o.mandate = Some(c.fact);
            o.warnings.push(warn(
                WarningCode::WithdrawalPeriod,
                format!("revocation took effect {} (option revocation-effect): forces are in their withdrawal period", match opts.revocation_effect {
                    RevocationEffect::AtVote => "at the vote",
                    RevocationEffect::NextDay => "the day after the vote",
                }),
                &[r],
            ));
            return o;
        }
    }

    // § 5(3): a rejected retroactive application ends the deployment.
    for a in apps
        .iter()
        .filter(|a| a.procedure == Procedure::Retroactive)
    {
        if let Some((v, _)) = a
            .votes
            .iter()
            .find(|(v, r)| *r == VoteResult::Rejected && visible(v, q))
        {
            let mut o = Outcome::new(
                Status::MustTerminate,
                Explanation::new("§ 5(3) ParlBG", format!("the Bundestag rejected the retroactive application on {}: the deployment must end", v.valid))
                    .with_facts([a.fact, *v]),
            );
            o.mandate = Some(a.fact);
            return o;
        }
    }

    if let Some(c) = covering {
        // Legal-basis dependency and written conditions.
        let mut strict: Vec<&LegalRef> = c.terms.conditions.expires_if_ended.iter().collect();
        if c.terms.dependency == Dependency::Strict {
            strict.extend(c.terms.legal_bases.iter());
        }
        let mut all: Vec<&LegalRef> = c
            .terms
            .legal_bases
            .iter()
            .chain(c.terms.conditions.expires_if_ended.iter())
            .collect();
        all.sort();
        all.dedup();
        let mut warnings = Vec::new();
        let mut health = Vec::new();
        for r in all {
            let Some((end, f)) = legal_end(reg, r, as_of) else {
                continue;
            };
            if end <= day {
                if strict.contains(&r) {
                    let clause = if c.terms.conditions.expires_if_ended.contains(r) {
                        format!(
                            "condition of {}: the authorisation expires if {r} ends",
                            c.fact.id
                        )
                    } else {
                        format!("strict dependency of {} on {r}", c.fact.id)
                    };
                    let mut o = Outcome::new(
                        Status::NotCovered,
                        Explanation::new(
                            "§ 1(2) ParlBG",
                            format!("{clause}; {r} no longer holds from {end}"),
                        )
                        .with_facts([c.fact, f]),
                    );
                    o.mandate = Some(c.fact);
                    return o;
                }
                warnings.push(warn(
                    WarningCode::LegalBasisEnded,
                    format!("{r} no longer holds from {end}; the dependency is advisory"),
                    &[f],
                ));
                health.push(
                    Explanation::new(
                        r.as_str(),
                        format!("ended {end} (advisory dependency: status unchanged)"),
                    )
                    .with_facts([f]),
                );
            } else if c
                .terms
                .period
                .is_some_and(|p| p.last().is_none_or(|l| l >= end))
            {
                warnings.push(warn(
                    WarningCode::LegalBasisInDrawdown,
                    format!("{r} ends {end} while the mandate runs on"),
                    &[f],
                ));
                health.push(
                    Explanation::new(r.as_str(), format!("ends {end}, before the mandate"))
                        .with_facts([f]),
                );
            }
        }
        let mut node = Explanation::new(
            c.rule,
            format!(
                "{} {} covers {} (period {}){}",
                c.fact.id,
                c.basis.name(),
                day,
                c.terms.period.map(|p| p.to_string()).unwrap_or_default(),
                c.terms
                    .ceiling
                    .map(|x| format!(", ceiling {x}"))
                    .unwrap_or_default()
            ),
        )
        .with_facts(c.evidence.iter().copied());
        if c.basis == Basis::Deemed {
            node.children.push(Explanation::new(
                "GO-BT § 123",
                format!(
                    "no valid debate demand within 7 days after distribution on {}: window closed {}",
                    c.fact.valid.date(),
                    TimePoint::At(c.decided)
                ),
            ));
        }
        node.children.extend(health);
        let mut o = Outcome::new(Status::Covered, node);
        o.mandate = Some(c.fact);
        o.ceiling = c.terms.ceiling;
        o.basis = Some(c.basis);
        o.warnings = warnings;
        return o;
    }

    // § 7(2) bridge of an extension application (ParlBG only).
    if regime == Regime::Parlbg2005 {
        for a in apps.iter().filter(|a| {
            visible(a.fact, q) && (a.procedure == Procedure::Extension || a.extends.is_some())
        }) {
            if let Some(o) = bridge(reg, q, opts, a, cands) {
                return o;
            }
        }
    }

    // Emergency deployment (§ 5 / the 1994 exception).
    let emergency = known
        .iter()
        .rev()
        .find(|f| visible(f, q) && matches!(f.kind, FactKind::EmergencyDeploymentStarted { .. }));
    if let Some(es) = emergency {
        let ended = known.iter().find(|f| {
            matches!(f.kind, FactKind::DeploymentEnded { .. })
                && visible(f, q)
                && f.valid >= es.valid
        });
        let rule = match regime {
            Regime::Bverfge1994 => "BVerfGE 90, 286",
            Regime::Parlbg2005 | Regime::UsWarPowers | Regime::NlArticle100 => "§ 5(1) ParlBG",
        };
        // "No vote yet": any decision on the deployment taken since it started ends the
        // provisional phase (approvals that cover the day were handled above).
        let decided = cands
            .iter()
            .any(|c| c.decided >= es.valid.start() && c.decided <= end)
            || apps.iter().any(|a| {
                a.votes
                    .iter()
                    .any(|(v, _)| visible(v, q) && v.valid >= es.valid)
            });
        match ended {
            None if decided => {}
            None => {
                let pending: Vec<&Fact> = apps
                    .iter()
                    .filter(|a| visible(a.fact, q))
                    .map(|a| a.fact)
                    .collect();
                let mut node = Explanation::new(
                    rule,
                    format!(
                        "emergency deployment since {}, no vote yet: provisional",
                        es.valid
                    ),
                )
                .with_facts([*es]);
                if !pending.is_empty() {
                    node.children.push(
                        Explanation::new(
                            "§ 5(3) ParlBG",
                            "application for approval made afterwards",
                        )
                        .with_facts(pending),
                    );
                }
                return Outcome::new(Status::Provisional, node);
            }
            Some(end) => {
                let involved = apps.iter().any(|a| a.fact.valid <= end.valid);
                if !involved {
                    let mut o = Outcome::new(
                        Status::EndedNoApprovalNeeded,
                        Explanation::new(
                            "BVerfGE 140, 160",
                            format!("emergency deployment {} to {} ended before parliament could be involved: no later approval, only prompt information", es.valid, end.valid),
                        )
                        .with_facts([*es, *end]),
                    );
                    if q.as_of
                        .as_ref()
                        .is_some_and(|t| t.end() < TimePoint::Day(bverfge_140_160()).start())
                    {
                        o.contest = Some(Contest {
                            alternative: Status::NotCovered,
                            reason: format!(
                                "asked before {}: whether an ended emergency deployment needs later approval was open",
                                bverfge_140_160()
                            ),
                            facts: vec![es.id.clone(), end.id.clone()],
                        });
                    }
                    return o;
                }
            }
        }
    }

    // Expired: the last mandate decided by the day whose period ended before it.
    let expired = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            (c.retro || c.decided <= end) && c.terms.period.is_some_and(|p| p.ended_before(day))
        })
        .max_by_key(|(i, c)| (c.terms.period.and_then(|p| p.last()), c.decided, *i))
        .map(|(_, c)| c);
    if let Some(c) = expired {
        let mut o = Outcome::new(
            Status::Expired,
            Explanation::new(
                c.rule,
                format!(
                    "the period of {} ended {}",
                    c.fact.id,
                    c.terms
                        .period
                        .and_then(|p| p.last())
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                ),
            )
            .with_facts(c.evidence.iter().copied()),
        );
        o.mandate = Some(c.fact);
        return o;
    }

    let open: Vec<&Fact> = apps
        .iter()
        .filter(|a| {
            visible(a.fact, q)
                && !a.votes.iter().any(|(v, _)| visible(v, q))
                && !followed_by_mandate(a.fact, known, q)
        })
        .map(|a| a.fact)
        .collect();
    if let Some(a) = open.last() {
        let mut node = Explanation::new(
            "§ 3(1) ParlBG",
            "an application is before the Bundestag; no decision yet",
        )
        .with_facts(open.iter().copied());
        if let Some(app) = apps.iter().find(|x| x.fact.id == a.id)
            && app.procedure == Procedure::Simplified
        {
            let summary = match demand_state(reg, app, as_of, opts, q.on.end()) {
                DemandState::Valid(d) => {
                    node.facts.push(d.into());
                    format!(
                        "a valid debate demand ({}) sends the application to the plenary",
                        d.id
                    )
                }
                DemandState::None { .. } => format!(
                    "the window for a debate demand closes {}",
                    TimePoint::At(demand_window_close(&a.valid))
                ),
            };
            node.children
                .push(Explanation::new("§ 4(1) ParlBG", summary));
        }
        let mut o = Outcome::new(Status::Pending, node);
        o.mandate = Some(a);
        if let Some(app) = apps.iter().find(|x| x.fact.id == a.id)
            && let DemandState::None {
                short,
                members_unknown,
            } = demand_state(reg, app, as_of, opts, q.on.end())
        {
            if !short.is_empty() {
                o.warnings.push(warn(
                    WarningCode::DemandBelowThreshold,
                    "a debate demand fell short of 5 % of the members".to_owned(),
                    &short,
                ));
            }
            if !members_unknown.is_empty() {
                o.warnings.push(warn(
                    WarningCode::MembersUnknown,
                    "member count unknown".to_owned(),
                    &members_unknown,
                ));
            }
        }
        return o;
    }

    Outcome::new(
        Status::NotCovered,
        Explanation::new(
            match regime {
                Regime::Bverfge1994 => "BVerfGE 90, 286",
                Regime::Parlbg2005 | Regime::UsWarPowers | Regime::NlArticle100 => "§ 1(2) ParlBG",
            },
            format!("no approval, bridge or emergency rule covers {day}"),
        ),
    )
}

fn bridge<'a>(
    reg: &'a Registry,
    q: &Query,
    opts: &Options,
    a: &App<'a>,
    cands: &[Cand<'a>],
) -> Option<Outcome<'a>> {
    let as_of = q.as_of.as_ref();
    let dist = a.fact.valid.date();
    let extended = a
        .extends
        .and_then(|id| cands.iter().find(|c| &c.fact.id == id))
        .or_else(|| {
            cands
                .iter()
                .filter(|c| c.decided <= a.fact.valid.end())
                .max_by_key(|c| c.decided)
        })?;
    let period = extended.terms.period?;
    if !opts.bridge_revives_expired && period.ended_before(dist) {
        return None;
    }
    let mut evidence: Vec<&Fact> = vec![a.fact, extended.fact];
    let (end, how) = if a.procedure == Procedure::Simplified {
        match demand_state(reg, a, as_of, opts, q.on.end()) {
            DemandState::Valid(d) => {
                let (last, facts) = end_of_sitting_week_after(reg, d.valid.date(), as_of)?;
                evidence.push(d);
                evidence.extend(facts);
                (
                    end_of_day_exclusive(last),
                    format!("end of the sitting week following the debate demand ({last})"),
                )
            }
            DemandState::None { .. } => {
                let close = demand_window_close(&a.fact.valid);
                (
                    close,
                    format!("until the § 4 window closes ({})", TimePoint::At(close)),
                )
            }
        }
    } else {
        let (second, facts) = second_sitting_day_after(reg, dist, as_of)?;
        evidence.extend(facts);
        (
            end_of_day_exclusive(second),
            format!("until the end of the second sitting day after distribution ({second})"),
        )
    };
    let rejected = a
        .votes
        .iter()
        .find(|(v, r)| *r == VoteResult::Rejected && v.valid.start() <= q.on.end());
    if opts.rejection_ends_bridge && rejected.is_some() {
        return None;
    }
    if q.on.end() >= end || q.on.date() < dist {
        return None;
    }
    let mut o = Outcome::new(
        Status::Covered,
        Explanation::new(
            "§ 7(2) ParlBG",
            format!(
                "extension {} of {} distributed {dist}: deemed approved {how}",
                a.fact.id, extended.fact.id
            ),
        )
        .with_facts(evidence),
    );
    o.mandate = Some(a.fact);
    // The bridge continues the deployment on the terms of the approval it extends.
    o.ceiling = extended.terms.ceiling;
    o.basis = Some(Basis::Bridge);
    Some(o)
}
