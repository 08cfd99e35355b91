//! From an extraction to proposed facts in the shared vocabulary: what a reviewer accepts or
//! corrects. Pure. Only what the extraction states becomes a fact; a proposal that needs a value
//! the text does not give (a mandate without an end, say) leaves it out rather than guessing.

use jiff::Timestamp;
use mandat_core::{
    Ceiling, Citation, Conditions, Fact, FactId, FactKind, LegalRef, MandateTerms, MissionId,
    Period, PeriodEnd, TimePoint,
};
use mandat_extract::{DateValue, Extraction, MandateEnd};

/// One proposed fact with the byte span of the text that states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The fact.
    pub fact: Fact,
    /// `[start, end)` in the document's extracted text.
    pub span: (usize, usize),
}

fn day(d: &DateValue) -> Option<jiff::civil::Date> {
    match d {
        DateValue::Day(d) => Some(*d),
        DateValue::Month { .. } | DateValue::Year(_) => None,
    }
}

/// Proposals for the mandate an extraction is about. `key` makes fact ids unique per document
/// (a prefix of its content hash); `recorded` is when the registry learned them (now).
pub fn proposals(x: &Extraction, key: &str, recorded: Timestamp) -> Vec<Proposal> {
    let m = &x.mandate;
    let Some(mission) = m.mission.as_deref().and_then(|s| MissionId::new(s).ok()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let source = Some(Citation::Text(x.source.clone()));
    let mut push = |kind: FactKind, valid: jiff::civil::Date, span: (usize, usize)| {
        let n = out.len();
        let Ok(id) = FactId::new(format!("{key}-{}-{n}", kind.name())) else {
            return;
        };
        out.push(Proposal {
            fact: Fact {
                id,
                kind,
                valid: TimePoint::Day(valid),
                recorded: TimePoint::At(recorded),
                source: source.clone(),
            },
            span,
        });
    };

    let ceiling = m
        .ceiling
        .as_ref()
        .and_then(|c| u32::try_from(c.value).ok())
        .and_then(|v| Ceiling::new(v).ok());
    let legal_bases: Vec<LegalRef> = m
        .legal_bases
        .iter()
        .filter_map(|b| LegalRef::new(b.id.clone()).ok())
        .collect();
    let end = m.mandate_end.as_ref().and_then(|e| match &e.date {
        MandateEnd::OpenEnded => Some(PeriodEnd::Open),
        MandateEnd::On(d) => day(d).map(PeriodEnd::Last),
    });
    let start = m.mandate_start.as_ref().and_then(|s| day(&s.date));
    let period_from =
        |from: Option<jiff::civil::Date>| from.zip(end).and_then(|(f, e)| Period::new(f, e).ok());
    let conditions = Conditions {
        expires_if_ended: m
            .expiry_conditions
            .iter()
            .filter_map(|c| c.reference.as_deref())
            .filter_map(|r| LegalRef::new(r).ok())
            .collect(),
    };

    if let Some(c) = &m.cabinet_decision
        && let Some(d) = day(&c.date)
    {
        let kind = FactKind::CabinetDecision {
            missions: vec![mission.clone()],
            ceiling,
            period: period_from(start),
        };
        push(kind, d, (c.span.start, c.span.end));
    }
    if let Some(v) = &m.parliament_vote
        && let Some(d) = v.date.as_ref().and_then(day)
    {
        let terms = MandateTerms {
            missions: vec![mission.clone()],
            ceiling,
            period: period_from(start.or(Some(d))),
            legal_bases: legal_bases.clone(),
            conditions: conditions.clone(),
            area: m.area.as_ref().map(|a| a.text.clone()),
            costs_eur_cents: m
                .costs_eur
                .as_ref()
                .map(|c| (c.value * 100.0).round() as u64),
            ..MandateTerms::default()
        };
        push(
            FactKind::MandateApproved {
                terms,
                supersedes: Vec::new(),
            },
            d,
            (v.span.start, v.span.end),
        );
    }
    for s in &m.deployed_strength {
        let (Some(d), Ok(count)) = (s.as_of.as_ref().and_then(day), u32::try_from(s.value)) else {
            continue;
        };
        push(
            FactKind::StrengthReport {
                missions: vec![mission.clone()],
                count,
            },
            d,
            (s.span.start, s.span.end),
        );
    }
    for b in &m.legal_bases {
        let (Some(d), Ok(legal_ref)) = (b.date.as_ref().and_then(day), LegalRef::new(b.id.clone()))
        else {
            continue;
        };
        push(
            FactKind::LegalBasis {
                legal_ref,
                period: Some(Period::open(d)),
            },
            d,
            (b.span.start, b.span.end),
        );
    }
    out
}
