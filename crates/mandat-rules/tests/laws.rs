//! Property tests for the laws of the rules engine.

use jiff::Span;
use jiff::civil::{Date, date};
use mandat_core::{
    Ceiling, Conditions, DemandBy, Dependency, Fact, FactId, FactKind, LegalRef, MandateTerms,
    MissionId, Period, PeriodEnd, Procedure, Registry, TimePoint, VoteResult, berlin_date,
    is_working_day,
};
use mandat_rules::procedure::{demand_window_close, last_day_after};
use mandat_rules::{Options, Pack, Query, WarningCode, evaluate};
use proptest::prelude::*;

fn day(n: i32) -> Date {
    date(2004, 1, 1).checked_add(Span::new().days(n)).unwrap()
}

/// One generated event; references point at earlier events by index.
#[derive(Clone, Debug)]
enum Ev {
    Mandate {
        ceiling: u32,
        len: Option<i32>,
        strict: bool,
        supersede: Option<usize>,
    },
    App {
        procedure: u8,
        ceiling: Option<u32>,
        len: Option<i32>,
        extends: Option<usize>,
    },
    Vote {
        app: usize,
        approved: bool,
    },
    Demand {
        app: usize,
        members: Option<u32>,
    },
    Revoke {
        mandate: usize,
    },
    Strength {
        count: u32,
    },
    Emergency,
    Ended,
    Classify {
        armed: bool,
    },
    BasisEnded,
    Sitting {
        offsets: Vec<i32>,
    },
}

fn arb_ev() -> impl Strategy<Value = Ev> {
    prop_oneof![
        (
            1u32..1000,
            proptest::option::of(10i32..800),
            any::<bool>(),
            proptest::option::of(0usize..20)
        )
            .prop_map(|(ceiling, len, strict, supersede)| Ev::Mandate {
                ceiling,
                len,
                strict,
                supersede
            }),
        (
            0u8..4,
            proptest::option::of(1u32..1000),
            proptest::option::of(10i32..800),
            proptest::option::of(0usize..20)
        )
            .prop_map(|(procedure, ceiling, len, extends)| Ev::App {
                procedure,
                ceiling,
                len,
                extends
            }),
        (0usize..20, any::<bool>()).prop_map(|(app, approved)| Ev::Vote { app, approved }),
        (0usize..20, proptest::option::of(20u32..40))
            .prop_map(|(app, members)| Ev::Demand { app, members }),
        (0usize..20).prop_map(|mandate| Ev::Revoke { mandate }),
        (1u32..1200).prop_map(|count| Ev::Strength { count }),
        Just(Ev::Emergency),
        Just(Ev::Ended),
        any::<bool>().prop_map(|armed| Ev::Classify { armed }),
        Just(Ev::BasisEnded),
        proptest::collection::vec(1i32..30, 1..4).prop_map(|offsets| Ev::Sitting { offsets }),
    ]
}

/// Builds valid facts for `mission` from generated events (dangling references are dropped).
fn build(mission: &str, prefix: &str, evs: &[(Ev, i32, i32)]) -> Vec<Fact> {
    let m = MissionId::new(mission).unwrap();
    let basis = LegalRef::new("UNSC 1244").unwrap();
    let mut facts: Vec<Fact> = Vec::new();
    let mut mandates: Vec<FactId> = Vec::new();
    let mut apps: Vec<FactId> = Vec::new();
    for (i, (ev, valid, lag)) in evs.iter().enumerate() {
        let id = FactId::new(format!("{prefix}{i}")).unwrap();
        let v = day(*valid);
        let terms = |ceiling: Option<u32>, len: Option<i32>, strict: bool| MandateTerms {
            missions: vec![m.clone()],
            ceiling: ceiling.map(|c| Ceiling::new(c).unwrap()),
            period: len.map(|l| {
                Period::new(
                    v,
                    PeriodEnd::Last(v.checked_add(Span::new().days(l)).unwrap()),
                )
                .unwrap()
            }),
            legal_bases: vec![basis.clone()],
            dependency: if strict {
                Dependency::Strict
            } else {
                Dependency::Advisory
            },
            conditions: Conditions::default(),
            overrun_permitted: strict,
            ..MandateTerms::default()
        };
        let kind = match ev {
            Ev::Mandate {
                ceiling,
                len,
                strict,
                supersede,
            } => {
                let mut t = terms(Some(*ceiling), *len, *strict);
                if t.period.is_none() {
                    t.period = Some(Period::open(v));
                }
                let sup = supersede
                    .and_then(|s| mandates.get(s).cloned())
                    .into_iter()
                    .collect();
                mandates.push(id.clone());
                FactKind::MandateApproved {
                    terms: t,
                    supersedes: sup,
                }
            }
            Ev::App {
                procedure,
                ceiling,
                len,
                extends,
            } => {
                let procedure = [
                    Procedure::Regular,
                    Procedure::Simplified,
                    Procedure::Extension,
                    Procedure::Retroactive,
                ][*procedure as usize];
                let ext = extends.and_then(|e| mandates.get(e).cloned());
                apps.push(id.clone());
                FactKind::ApplicationDistributed {
                    procedure,
                    terms: terms(*ceiling, *len, false),
                    extends: ext,
                }
            }
            Ev::Vote { app, approved } => match apps.get(*app) {
                Some(a) => FactKind::Vote {
                    application: a.clone(),
                    result: if *approved {
                        VoteResult::Approved
                    } else {
                        VoteResult::Rejected
                    },
                    tally: Default::default(),
                    printed_paper: None,
                },
                None => continue,
            },
            Ev::Demand { app, members } => match apps.get(*app) {
                Some(a) => FactKind::DebateRequested {
                    application: a.clone(),
                    by: members.map_or(DemandBy::Group("group".into()), DemandBy::Members),
                },
                None => continue,
            },
            Ev::Revoke { mandate } => match mandates.get(*mandate) {
                Some(x) => FactKind::Revocation { mandate: x.clone() },
                None => continue,
            },
            Ev::Strength { count } => FactKind::StrengthReport {
                missions: vec![m.clone()],
                count: *count,
            },
            Ev::Emergency => FactKind::EmergencyDeploymentStarted {
                missions: vec![m.clone()],
            },
            Ev::Ended => FactKind::DeploymentEnded {
                missions: vec![m.clone()],
            },
            Ev::Classify { armed } => FactKind::Classification {
                missions: vec![m.clone()],
                armed: *armed,
                by: "x".into(),
            },
            Ev::BasisEnded => FactKind::LegalBasisEnded {
                legal_ref: basis.clone(),
            },
            Ev::Sitting { offsets } => FactKind::SittingDays {
                dates: offsets
                    .iter()
                    .map(|o| v.checked_add(Span::new().days(*o)).unwrap())
                    .collect(),
            },
        };
        facts.push(Fact {
            id,
            kind,
            valid: TimePoint::Day(v),
            recorded: TimePoint::Day(v.checked_add(Span::new().days(*lag)).unwrap()),
            source: None,
        });
    }
    facts
}

fn arb_history() -> impl Strategy<Value = Vec<(Ev, i32, i32)>> {
    proptest::collection::vec((arb_ev(), 0i32..8000, 0i32..90), 0..25)
}

fn pack() -> impl Strategy<Value = Pack> {
    prop_oneof![Just(Pack::De), Just(Pack::UsWpr), Just(Pack::Nl)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Facts recorded after T never change an answer as of T.
    #[test]
    fn later_records_do_not_change_answers_as_of(h in arb_history(), on in 0i32..8200, t in 0i32..8200, p in pack()) {
        let facts = build("M", "f", &h);
        let as_of = TimePoint::Day(day(t));
        let known: Vec<Fact> = facts.iter().filter(|f| f.known_at(Some(&as_of))).cloned().collect();
        // Dropping unknown facts may leave references dangling: those facts are unknown too.
        let full = Registry::from_facts(facts.clone()).unwrap();
        let Ok(past) = Registry::from_facts(known) else { return Ok(()) };
        let q = Query { mission: MissionId::new("M").unwrap(), on: TimePoint::Day(day(on)), as_of: Some(as_of) };
        let opts = Options { pack: p, ..Options::default() };
        prop_assert_eq!(evaluate(&full, &q, &opts), evaluate(&past, &q, &opts));
    }

    /// Adding facts about another mission never changes a verdict, except for what is
    /// registry-wide by design: legal-basis ends and sitting days (left out of the other mission's
    /// facts here) and the knowledge horizon, the last day anything was recorded, which the
    /// `lapse_after_last_record` warning names. Without that warning the verdicts are equal, and
    /// with the other mission's facts recorded no later than the mission's own, equal with it.
    #[test]
    fn other_missions_do_not_interfere(h in arb_history(), other in arb_history(), on in 0i32..8200, p in pack()) {
        let mine = build("M", "f", &h);
        let theirs: Vec<Fact> = build("Other", "o", &other)
            .into_iter()
            .filter(|f| !matches!(f.kind, FactKind::LegalBasisEnded { .. } | FactKind::SittingDays { .. }))
            .collect();
        let horizon = mine.iter().map(|f| f.recorded.date()).max();
        let alone = Registry::from_facts(mine.clone()).unwrap();
        // Recorded by the horizon, with everything they refer to.
        let mut earlier: Vec<Fact> = Vec::new();
        for f in &theirs {
            let refs_kept = f.kind.references().iter().all(|(_, r)| earlier.iter().any(|e| &e.id == *r));
            if refs_kept && horizon.is_some_and(|h| f.recorded.date() <= h) {
                earlier.push(f.clone());
            }
        }
        let both = Registry::from_facts(mine.iter().cloned().chain(theirs)).unwrap();
        let within = Registry::from_facts(mine.into_iter().chain(earlier)).unwrap();
        let q = Query { mission: MissionId::new("M").unwrap(), on: TimePoint::Day(day(on)), as_of: None };
        let opts = Options { pack: p, ..Options::default() };
        let without_horizon = |mut v: mandat_rules::Verdict| {
            v.warnings.retain(|w| w.code != WarningCode::LapseAfterLastRecord);
            v
        };
        prop_assert_eq!(
            without_horizon(evaluate(&alone, &q, &opts)),
            without_horizon(evaluate(&both, &q, &opts))
        );
        prop_assert_eq!(evaluate(&alone, &q, &opts), evaluate(&within, &q, &opts));
    }

    /// Procedural deadlines never land on a weekend or a Berlin public holiday.
    #[test]
    fn deadlines_land_on_working_days(d in 0i32..9000, n in 1i32..30, hour in 0i8..24) {
        let dist = day(d);
        prop_assert!(is_working_day(last_day_after(dist, n)));
        let at = TimePoint::At(mandat_core::berlin_instant(dist, jiff::civil::Time::constant(hour, 0, 0, 0)));
        let close = demand_window_close(&at);
        prop_assert!(is_working_day(berlin_date(close)));
        prop_assert!(close > at.start());
    }
}
