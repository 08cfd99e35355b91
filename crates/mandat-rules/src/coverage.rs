//! Coverage gaps: the stretches of days between the first and the last approved mandate of a
//! mission that no approved mandate covers.
//!
//! A gap is either a real pause (the participation ended and was resumed later, or an extension
//! came after the previous mandate had run out) or a hole in the data (a renewal that is not
//! recorded). Either way it is what a reader of the data needs to see: on those days `status`
//! does not answer `covered` from an approval.
//!
//! A mandate covers its period, cut short by a later mandate that supersedes it (the superseded
//! one ends the day before the superseding one's period starts). Cost: O(m log m) for the m approvals of the mission.

use std::collections::HashMap;

use jiff::civil::Date;
use mandat_core::{Fact, FactId, FactKind, MissionId, Registry};
use serde::Serialize;

/// Days without an approved mandate between two mandates of one mission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageGap {
    /// The mission.
    pub mission: MissionId,
    /// The first day without a mandate.
    pub from: Date,
    /// The last day without a mandate.
    pub until: Date,
    /// The mandate whose coverage ended the day before `from`.
    pub after: FactId,
    /// The mandate whose period starts the day after `until`.
    pub before: FactId,
}

impl CoverageGap {
    /// The number of days in the gap.
    pub fn days(&self) -> i64 {
        i64::from((self.until - self.from).get_days()) + 1
    }
}

/// One approved mandate's effective coverage: first day and last day (`None`: open).
struct Span<'r> {
    id: &'r FactId,
    from: Date,
    last: Option<Date>,
}

/// The coverage gaps of one mission, in order.
pub fn coverage_gaps(registry: &Registry, mission: &MissionId) -> Vec<CoverageGap> {
    let approvals: Vec<(&Fact, Date, Option<Date>, &[FactId])> = registry
        .mission_facts(mission)
        .filter_map(|f| match &f.kind {
            FactKind::MandateApproved { terms, supersedes } => terms
                .period
                .map(|p| (f, p.from(), p.last(), supersedes.as_slice())),
            _ => None,
        })
        .collect();
    // The earliest start among the mandates that supersede each mandate.
    let mut cut: HashMap<&FactId, Date> = HashMap::new();
    for (_, from, _, supersedes) in &approvals {
        for s in *supersedes {
            cut.entry(s)
                .and_modify(|d| *d = (*d).min(*from))
                .or_insert(*from);
        }
    }
    let mut spans: Vec<Span<'_>> = approvals
        .iter()
        .filter_map(|(f, from, last, _)| {
            let mut last = *last;
            if let Some(next) = cut.get(&f.id).filter(|next| *next > from) {
                let end = next.yesterday().ok()?;
                last = Some(last.map_or(end, |l| l.min(end)));
            }
            Some(Span {
                id: &f.id,
                from: *from,
                last,
            })
        })
        .collect();
    spans.sort_by(|a, b| (a.from, a.id).cmp(&(b.from, b.id)));

    let mut gaps = Vec::new();
    // The last covered day so far and the mandate that covers it; `None` inside: open-ended.
    let mut covered: Option<(Option<Date>, &FactId)> = None;
    for s in &spans {
        if let Some((Some(last), after)) = covered
            && let Ok(first_free) = last.tomorrow()
            && s.from > first_free
            && let Ok(until) = s.from.yesterday()
        {
            gaps.push(CoverageGap {
                mission: mission.clone(),
                from: first_free,
                until,
                after: after.clone(),
                before: s.id.clone(),
            });
        }
        covered = match covered {
            None => Some((s.last, s.id)),
            Some((None, id)) => Some((None, id)),
            Some((Some(l), id)) => match s.last {
                None => Some((None, s.id)),
                Some(sl) if sl > l => Some((Some(sl), s.id)),
                Some(_) => Some((Some(l), id)),
            },
        };
    }
    gaps
}

/// The coverage gaps of every mission of the registry, by mission and then by date.
pub fn all_coverage_gaps(registry: &Registry) -> Vec<CoverageGap> {
    registry
        .missions()
        .into_iter()
        .flat_map(|m| coverage_gaps(registry, m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A registry from dataset-file facts (which, unlike scenarios, may lack a period).
    fn registry(facts: &str) -> Registry {
        let yaml = format!(
            "sources:\n  - {{id: s, publisher: P, title: T, date: 2000-01-01, lang: de}}\nfacts:\n{facts}"
        );
        Registry::from_files(&[("facts/t.yaml", yaml.as_str())]).expect("valid dataset")
    }

    fn approval(id: &str, from: &str, until: &str, supersedes: &str) -> String {
        format!(
            "  - {{id: {id}, kind: mandate_approved, mission: KFOR, valid: {from}, ceiling: 100, \
             period: {{from: {from}, until: {until}}}{supersedes}, source: {{ref: s}}}}\n"
        )
    }

    fn gaps(facts: &str) -> Vec<(String, String, String, String)> {
        coverage_gaps(&registry(facts), &"KFOR".parse().expect("id"))
            .into_iter()
            .map(|g| {
                (
                    g.from.to_string(),
                    g.until.to_string(),
                    g.after.to_string(),
                    g.before.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_day_between_two_mandates_is_a_gap() {
        let facts = approval("a", "2020-01-01", "2020-06-30", "")
            + &approval("b", "2020-07-02", "2021-06-30", "");
        assert_eq!(
            gaps(&facts),
            vec![(
                "2020-07-01".into(),
                "2020-07-01".into(),
                "a".into(),
                "b".into()
            )]
        );
    }

    #[test]
    fn consecutive_and_overlapping_mandates_leave_no_gap() {
        let facts = approval("a", "2020-01-01", "2020-06-30", "")
            + &approval("b", "2020-07-01", "2021-06-30", "")
            + &approval("c", "2021-03-01", "2022-06-30", "")
            + &approval("d", "2021-04-01", "2021-05-01", "");
        assert!(gaps(&facts).is_empty());
    }

    #[test]
    fn an_open_mandate_covers_everything_after_it_until_superseded() {
        let open = approval("a", "2004-01-01", "open", "");
        assert!(gaps(&(open.clone() + &approval("b", "2010-01-01", "2010-12-31", ""))).is_empty());
        // Superseded, the open mandate ends the day before its successor starts.
        let facts = approval("a", "2004-01-01", "open", "")
            + &approval("b", "2006-01-01", "2006-12-31", ", supersedes: [a]")
            + &approval("c", "2007-03-01", "open", "");
        assert_eq!(
            gaps(&facts),
            vec![(
                "2007-01-01".into(),
                "2007-02-28".into(),
                "b".into(),
                "c".into()
            )]
        );
    }
}
