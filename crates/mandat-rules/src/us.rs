//! The US pack: War Powers Resolution (50 U.S.C. §§ 1541-1548).

use jiff::civil::Date;
use jiff::{SignedDuration, Span};
use mandat_core::{Fact, FactKind, Registry, TimePoint, WprCategory};

use crate::options::Pack;
use crate::verdict::{Contest, Explanation, Query, Regime, Status, Verdict, Warning, WarningCode};

/// The 60-day clock of one § 4(a)(1) introduction.
#[derive(Debug)]
pub(crate) struct Clock<'a> {
    pub intro: &'a Fact,
    pub report: Option<&'a Fact>,
    /// When the 48-hour report is due.
    pub due: TimePoint,
    /// The day the clock starts: the report or its due day, whichever is earlier.
    pub start: Date,
    /// Last day of the 60 days.
    pub day60: Date,
    /// Last day of the 30-day withdrawal extension.
    pub day90: Date,
}

impl<'a> Clock<'a> {
    pub fn facts(&self) -> Vec<&'a Fact> {
        std::iter::once(self.intro).chain(self.report).collect()
    }
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(Span::new().days(n)).unwrap_or(d)
}

/// The clock of the first 4(a)(1) introduction visible at `on` (all, when `on` is None).
pub(crate) fn wpr_clock<'a>(known: &[&'a Fact], on: Option<&TimePoint>) -> Option<Clock<'a>> {
    let vis = |f: &Fact| on.is_none_or(|t| f.valid.visible_at(t));
    let intro = known.iter().copied().find(|f| {
        vis(f)
            && matches!(
                f.kind,
                FactKind::Introduction {
                    category: WprCategory::Hostilities,
                    ..
                }
            )
    })?;
    let due = match intro.valid {
        TimePoint::Day(d) => TimePoint::Day(add_days(d, 2)),
        TimePoint::At(t) => {
            TimePoint::At(t.checked_add(SignedDuration::from_hours(48)).unwrap_or(t))
        }
    };
    let report = known
        .iter()
        .copied()
        .find(|f| vis(f) && matches!(f.kind, FactKind::Report { .. }) && f.valid >= intro.valid);
    let start = report.map_or(due.date(), |r| r.valid.date().min(due.date()));
    let day60 = add_days(start, 60);
    Some(Clock {
        intro,
        report,
        due,
        start,
        day60,
        day90: add_days(day60, 30),
    })
}

pub(crate) fn evaluate(reg: &Registry, q: &Query) -> Verdict {
    let as_of = q.as_of.as_ref();
    let known: Vec<&Fact> = reg
        .mission_facts(&q.mission)
        .filter(|f| f.known_at(as_of))
        .collect();
    let vis = |f: &&Fact| f.valid.visible_at(&q.on);
    let day = q.on.date();
    let authorization = known
        .iter()
        .copied()
        .filter(vis)
        .find(|f| matches!(f.kind, FactKind::Authorization { .. }));
    let certification = known
        .iter()
        .copied()
        .filter(vis)
        .find(|f| matches!(f.kind, FactKind::Certification { .. }));
    let clock = wpr_clock(&known, Some(&q.on));
    let (status, node) = match (authorization, &clock) {
        (Some(a), _) => (
            Status::Authorized,
            Explanation::new(
                "50 U.S.C. § 1541(c)",
                "declaration of war or specific statutory authorisation",
            )
            .with_facts([a]),
        ),
        (None, None) => (
            Status::ClockNotTriggered,
            Explanation::new(
                "50 U.S.C. § 1543(a)(1)",
                format!("no introduction into hostilities (§ 4(a)(1)) known by {day}"),
            ),
        ),
        (None, Some(c)) => {
            let base = format!(
                "introduced {}; report {}; clock from {} (earlier of report and 48-hour due date {}); 60 days end {}",
                c.intro.valid,
                c.report
                    .map_or("not made".to_owned(), |r| r.valid.to_string()),
                c.start,
                c.due,
                c.day60
            );
            if day <= c.day60 {
                (
                    Status::Within60,
                    Explanation::new("50 U.S.C. § 1544(b)", base).with_facts(c.facts()),
                )
            } else if let Some(cert) = certification.filter(|_| day <= c.day90) {
                (
                    Status::Within30WithdrawalOnly,
                    Explanation::new(
                        "50 U.S.C. § 1544(b)",
                        format!(
                            "{base}; certified: 30 more days for withdrawal only, until {}",
                            c.day90
                        ),
                    )
                    .with_facts(c.facts().into_iter().chain([cert])),
                )
            } else {
                (
                    Status::ExpiredUnauthorized,
                    Explanation::new(
                        "50 U.S.C. § 1544(b)",
                        format!(
                            "{base}; no authorisation{}",
                            if certification.is_some() {
                                format!(", withdrawal extension ended {}", c.day90)
                            } else {
                                ", no certification".to_owned()
                            }
                        ),
                    )
                    .with_facts(c.facts()),
                )
            }
        }
    };
    let claims: Vec<&Fact> = known
        .iter()
        .copied()
        .filter(vis)
        .filter(|f| matches!(f.kind, FactKind::Classification { armed: false, .. }))
        .collect();
    let mut warnings = Vec::new();
    let contest = (!claims.is_empty() && clock.is_some() && authorization.is_none()).then(|| {
        warnings.push(Warning {
            code: WarningCode::Contested,
            message: "whether the operation is \"hostilities\" is disputed".to_owned(),
            facts: claims.iter().map(|f| f.id.clone()).collect(),
        });
        Contest {
            alternative: Status::ClockNotTriggered,
            reason: "a party claims the operation is not hostilities under § 4(a)(1)".to_owned(),
            facts: claims.iter().map(|f| f.id.clone()).collect(),
        }
    });
    let deadline =
        crate::deadlines::mission_deadlines(reg, &q.mission, as_of, &crate::Options::default())
            .into_iter()
            .filter(|d| d.at.end() > q.on.end())
            .min_by_key(|d| d.at);
    let root = Explanation::new(
        "War Powers Resolution",
        format!(
            "{} on {}{}: {status}",
            q.mission,
            q.on,
            q.as_of.map(|t| format!(" as of {t}")).unwrap_or_default()
        ),
    )
    .child(node);
    Verdict {
        query: q.clone(),
        pack: Pack::UsWpr,
        regime: Regime::UsWarPowers,
        status,
        mandate: authorization.map(|a| a.id.clone()),
        ceiling: None,
        basis: None,
        check: None,
        deadline,
        warnings,
        contest,
        pending: Vec::new(),
        explanation: root,
    }
}
