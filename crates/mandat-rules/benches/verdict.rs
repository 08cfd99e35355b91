//! Time per verdict query against synthetic registries of 10k, 100k and 1M facts: 100 missions
//! with 40 mandates each, the rest strength reports. Run with
//! `cargo bench -p mandat-rules --bench verdict`.

use divan::Bencher;
use jiff::Span;
use jiff::civil::{Date, date};
use mandat_core::{
    Ceiling, Fact, FactId, FactKind, LegalRef, MandateTerms, MissionId, Period, PeriodEnd,
    Registry, TimePoint,
};
use mandat_rules::{Options, Query, evaluate};

fn main() {
    divan::main();
}

const MISSIONS: usize = 100;
const MANDATES: usize = 40;

fn start() -> Date {
    date(1986, 1, 1)
}

fn add(d: Date, n: i64) -> Date {
    d.checked_add(Span::new().days(n)).unwrap()
}

/// A registry of `total` facts: per mission 40 consecutive yearly mandates, each superseding
/// the one before, and strength reports spread over the 40 years.
fn registry(total: usize) -> Registry {
    let per_mission = total / MISSIONS;
    let reports = per_mission.saturating_sub(MANDATES).max(1);
    let days = 40 * 365;
    let basis = LegalRef::new("UNSC 1244").unwrap();
    let mut facts = Vec::with_capacity(total);
    for m in 0..MISSIONS {
        let mission = MissionId::new(format!("Mission {m}")).unwrap();
        for k in 0..MANDATES {
            let from = add(start(), (k * 365) as i64);
            let last = add(from, 364);
            facts.push(Fact {
                id: FactId::new(format!("m{m}-{k}")).unwrap(),
                kind: FactKind::MandateApproved {
                    terms: MandateTerms {
                        missions: vec![mission.clone()],
                        ceiling: Some(Ceiling::new(500 + k as u32).unwrap()),
                        period: Some(Period::new(from, PeriodEnd::Last(last)).unwrap()),
                        legal_bases: vec![basis.clone()],
                        ..MandateTerms::default()
                    },
                    supersedes: if k == 0 {
                        vec![]
                    } else {
                        vec![FactId::new(format!("m{m}-{}", k - 1)).unwrap()]
                    },
                },
                valid: TimePoint::Day(add(from, -3)),
                recorded: TimePoint::Day(add(from, -3)),
                source: None,
            });
        }
        for j in 0..reports {
            let d = add(start(), (j * days / reports) as i64);
            facts.push(Fact {
                id: FactId::new(format!("s{m}-{j}")).unwrap(),
                kind: FactKind::StrengthReport {
                    missions: vec![mission.clone()],
                    count: 300 + (j % 400) as u32,
                },
                valid: TimePoint::Day(d),
                recorded: TimePoint::Day(add(d, 7)),
                source: None,
            });
        }
    }
    Registry::from_facts(facts).unwrap()
}

fn queries(as_of: bool) -> Vec<Query> {
    (0..MISSIONS)
        .map(|m| {
            let on = add(start(), (m * 131 % (40 * 365)) as i64);
            Query {
                mission: MissionId::new(format!("Mission {m}")).unwrap(),
                on: TimePoint::Day(on),
                as_of: as_of.then(|| TimePoint::Day(add(on, -2))),
            }
        })
        .collect()
}

#[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 100, sample_size = 20)]
fn verdict(bencher: Bencher, total: usize) {
    let reg = registry(total);
    let qs = queries(false);
    let opts = Options::default();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % qs.len();
        evaluate(&reg, &qs[i], &opts)
    });
}

#[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 100, sample_size = 20)]
fn verdict_as_of(bencher: Bencher, total: usize) {
    let reg = registry(total);
    let qs = queries(true);
    let opts = Options::default();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % qs.len();
        evaluate(&reg, &qs[i], &opts)
    });
}

/// The cost of turning a Berlin calendar day into its first and last instant, which every
/// comparison of a day with an instant needs.
#[divan::bench]
fn berlin_day_bounds(bencher: Bencher) {
    let days: Vec<TimePoint> = (0..365)
        .map(|n| TimePoint::Day(add(date(2026, 1, 1), n)))
        .collect();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % days.len();
        (days[i].start(), days[i].end())
    });
}
