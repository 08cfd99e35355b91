//! The Dutch pack: Constitution Art. 100 (an information duty, not consent).

use mandat_core::{Fact, FactKind, Registry};

use crate::options::Pack;
use crate::verdict::{Explanation, Query, Regime, Status, Verdict, Warning, WarningCode};

pub(crate) fn evaluate(reg: &Registry, q: &Query) -> Verdict {
    let as_of = q.as_of.as_ref();
    let known: Vec<&Fact> = reg
        .mission_facts(&q.mission)
        .filter(|f| f.known_at(as_of) && f.valid.visible_at(&q.on))
        .collect();
    let start = known.iter().copied().find(|f| {
        matches!(
            f.kind,
            FactKind::DeploymentStarted { .. } | FactKind::EmergencyDeploymentStarted { .. }
        )
    });
    let letter = known
        .iter()
        .copied()
        .find(|f| matches!(f.kind, FactKind::InformationLetter { .. }));
    let mut warnings = Vec::new();
    let (status, node) = match (letter, start) {
        (None, _) => (
            Status::InformationDue,
            Explanation::new("Art. 100(1) Grondwet", "parliament has not been informed")
                .with_facts(start),
        ),
        (Some(l), Some(s)) if l.valid > s.valid => {
            let justified = matches!(
                l.kind,
                FactKind::InformationLetter {
                    compelling_reasons: true,
                    ..
                }
            );
            if justified {
                (
                    Status::InformedLateJustified,
                    Explanation::new(
                        "Art. 100(2) Grondwet",
                        "informed after the start; compelling reasons prevented prior information",
                    )
                    .with_facts([s, l]),
                )
            } else {
                warnings.push(Warning {
                    code: WarningCode::InformationLate,
                    message: "informed after the start without recorded compelling reasons"
                        .to_owned(),
                    facts: vec![s.id.clone(), l.id.clone()],
                });
                (
                    Status::Informed,
                    Explanation::new("Art. 100(1) Grondwet", "informed, but only after the start")
                        .with_facts([s, l]),
                )
            }
        }
        (Some(l), s) => (
            Status::Informed,
            Explanation::new("Art. 100(1) Grondwet", "parliament informed in advance")
                .with_facts(std::iter::once(l).chain(s)),
        ),
    };
    let root = Explanation::new(
        "Art. 100 Grondwet",
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
        pack: Pack::Nl,
        regime: Regime::NlArticle100,
        status,
        mandate: None,
        ceiling: None,
        basis: None,
        check: None,
        deadline: None,
        warnings,
        contest: None,
        pending: Vec::new(),
        explanation: root,
    }
}
