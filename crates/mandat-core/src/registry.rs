//! The in-memory fact registry, indexed by mission and ordered by valid time.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::calendar::Calendar;
use crate::error::FileError;
use crate::fact::{Fact, FactKind, Source};
use crate::file::{known_terms, parse_calendar_file, parse_fact_file};
use crate::ids::{FactId, LegalRef, MissionId, SourceId};
use crate::time::TimePoint;

/// Why facts could not be added.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A fact id is used twice.
    #[error("duplicate fact id `{id}`{}", file.as_ref().map(|f| format!(" in {f}")).unwrap_or_default())]
    DuplicateId {
        /// The id.
        id: FactId,
        /// The file of the second definition, when loading files.
        file: Option<String>,
    },
    /// A fact refers to a fact that is not in the registry.
    #[error("fact `{fact}` refers with `{key}` to undefined fact id `{id}`")]
    UndefinedReference {
        /// The referring fact.
        fact: FactId,
        /// The key.
        key: &'static str,
        /// The missing id.
        id: FactId,
    },
    /// A source id is defined in two files.
    #[error("duplicate source id `{id}` in {file}")]
    DuplicateSource {
        /// The id.
        id: SourceId,
        /// The file of the second definition.
        file: String,
    },
    /// A file could not be parsed.
    #[error(transparent)]
    File(#[from] FileError),
}

/// Facts of one mission: procedural and mandate facts, and strength reports kept apart because
/// they are the bulk and a query needs only the latest one.
#[derive(Clone, Debug, Default)]
struct MissionIndex {
    /// (first instant of valid time, fact index), sorted.
    events: Vec<(Timestamp, u32)>,
    strength: Vec<(Timestamp, u32)>,
}

/// All facts, with indexes so that a question about one mission touches only that mission's
/// facts: `O(e + log s)` for `e` procedural facts and `s` strength reports of the mission,
/// independent of the total number of facts.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    facts: Vec<Fact>,
    by_id: HashMap<FactId, u32>,
    missions: HashMap<MissionId, MissionIndex>,
    legal: HashMap<LegalRef, Vec<(Timestamp, u32)>>,
    global: Vec<(Timestamp, u32)>,
    calendar: Calendar,
    sources: HashMap<SourceId, Source>,
    /// The last day on which a fact of the registry was recorded.
    last_recorded: Option<Date>,
}

impl Registry {
    /// An empty registry whose calendar knows the members of the electoral terms ([`known_terms`]).
    pub fn new() -> Self {
        Registry {
            calendar: known_terms(),
            ..Registry::default()
        }
    }

    /// A registry of the given facts.
    pub fn from_facts(facts: impl IntoIterator<Item = Fact>) -> Result<Self, RegistryError> {
        let mut r = Registry::new();
        r.extend(facts)?;
        Ok(r)
    }

    /// Loads dataset files: every `(name, yaml)` whose name ends in `calendar.yaml` is a calendar
    /// file, every other one a fact file. Fact and source ids must be unique across files.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, RegistryError> {
        let mut r = Registry::new();
        let mut facts = Vec::new();
        let mut origin: HashMap<FactId, String> = HashMap::new();
        for (name, yaml) in files {
            if name.ends_with("calendar.yaml") {
                let c = parse_calendar_file(name, yaml)?;
                r.calendar.merge(&c.calendar);
                r.add_sources(name, c.sources)?;
            } else {
                let f = parse_fact_file(name, yaml)?;
                for fact in &f.facts {
                    if origin.insert(fact.id.clone(), (*name).to_owned()).is_some() {
                        return Err(RegistryError::DuplicateId {
                            id: fact.id.clone(),
                            file: Some((*name).to_owned()),
                        });
                    }
                }
                r.add_sources(name, f.sources)?;
                facts.extend(f.facts);
            }
        }
        r.extend(facts)?;
        Ok(r)
    }

    /// Adds the sources of a dataset file. An id may be given again only with the same content
    /// (a source cited from two files is listed in both); a different source under a known id is
    /// an error.
    pub fn add_sources(&mut self, file: &str, sources: Vec<Source>) -> Result<(), RegistryError> {
        for s in sources {
            if let Some(known) = self.sources.get(&s.id) {
                if *known == s {
                    continue;
                }
                return Err(RegistryError::DuplicateSource {
                    id: s.id,
                    file: file.to_owned(),
                });
            }
            self.sources.insert(s.id.clone(), s);
        }
        Ok(())
    }

    /// Adds facts. Facts may refer to each other in any order within one call; nothing is
    /// merged by content: two facts with equal content and distinct ids both stay.
    pub fn extend(&mut self, facts: impl IntoIterator<Item = Fact>) -> Result<(), RegistryError> {
        let first = self.facts.len();
        for f in facts {
            if self.by_id.contains_key(&f.id) {
                return Err(RegistryError::DuplicateId {
                    id: f.id,
                    file: None,
                });
            }
            let idx = u32::try_from(self.facts.len()).expect("fewer than 2^32 facts");
            self.by_id.insert(f.id.clone(), idx);
            self.facts.push(f);
        }
        for i in first..self.facts.len() {
            let fact = &self.facts[i];
            for (key, id) in fact.kind.references() {
                if !self.by_id.contains_key(id) {
                    let err = RegistryError::UndefinedReference {
                        fact: fact.id.clone(),
                        key,
                        id: id.clone(),
                    };
                    self.rollback(first);
                    return Err(err);
                }
            }
        }
        let mut touched: Vec<MissionId> = Vec::new();
        for i in first..self.facts.len() {
            let idx = i as u32;
            let fact = &self.facts[i];
            let at = fact.valid.start();
            match &fact.kind {
                FactKind::LegalBasis { legal_ref, .. }
                | FactKind::LegalBasisEnded { legal_ref } => {
                    self.legal
                        .entry(legal_ref.clone())
                        .or_default()
                        .push((at, idx));
                }
                FactKind::SittingDays { .. } | FactKind::Members { .. } => {
                    self.global.push((at, idx))
                }
                FactKind::StrengthReport { missions, .. } => {
                    for m in missions {
                        self.missions
                            .entry(m.clone())
                            .or_default()
                            .strength
                            .push((at, idx));
                        touched.push(m.clone());
                    }
                }
                _ => {
                    for m in self.missions_of(fact) {
                        self.missions
                            .entry(m.clone())
                            .or_default()
                            .events
                            .push((at, idx));
                        touched.push(m);
                    }
                }
            }
        }
        touched.sort();
        touched.dedup();
        for m in touched {
            if let Some(ix) = self.missions.get_mut(&m) {
                ix.events.sort_unstable();
                ix.strength.sort_unstable();
            }
        }
        for v in self.legal.values_mut() {
            v.sort_unstable();
        }
        self.global.sort_unstable();
        let newest = self.facts[first..].iter().map(|f| f.recorded.date()).max();
        self.last_recorded = self.last_recorded.max(newest);
        Ok(())
    }

    /// The last day on which a fact of the registry was recorded: the registry knows nothing
    /// decided after it. `None` when the registry is empty.
    pub fn last_recorded(&self) -> Option<Date> {
        self.last_recorded
    }

    fn rollback(&mut self, first: usize) {
        for f in self.facts.drain(first..) {
            self.by_id.remove(&f.id);
        }
    }

    /// The missions a fact concerns, following `application`/`mandate` references.
    pub fn missions_of(&self, fact: &Fact) -> Vec<MissionId> {
        let direct = fact.kind.missions();
        if !direct.is_empty() {
            return direct.to_vec();
        }
        match &fact.kind {
            FactKind::DebateRequested { application: r, .. }
            | FactKind::Vote { application: r, .. }
            | FactKind::Revocation { mandate: r } => self
                .fact(r)
                .map(|f| f.kind.missions().to_vec())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// A fact by id.
    pub fn fact(&self, id: &FactId) -> Option<&Fact> {
        self.by_id.get(id).map(|&i| &self.facts[i as usize])
    }

    /// All facts in insertion order.
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// Number of facts.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// True when there are no facts.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// The mission ids with facts, sorted.
    pub fn missions(&self) -> Vec<&MissionId> {
        let mut v: Vec<&MissionId> = self.missions.keys().collect();
        v.sort();
        v
    }

    /// A mission's facts except strength reports, ordered by valid time.
    pub fn mission_facts<'a>(&'a self, mission: &MissionId) -> impl Iterator<Item = &'a Fact> + 'a {
        self.missions
            .get(mission)
            .map(|ix| ix.events.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|&(_, i)| &self.facts[i as usize])
    }

    /// A mission's strength reports, ordered by valid time.
    pub fn strength_reports<'a>(
        &'a self,
        mission: &MissionId,
    ) -> impl Iterator<Item = &'a Fact> + 'a {
        self.missions
            .get(mission)
            .map(|ix| ix.strength.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|&(_, i)| &self.facts[i as usize])
    }

    /// The latest strength report valid on or before `on` and known as of `as_of`: a binary
    /// search, then a walk back over reports recorded later than `as_of`.
    pub fn latest_strength(
        &self,
        mission: &MissionId,
        on: &TimePoint,
        as_of: Option<&TimePoint>,
    ) -> Option<&Fact> {
        let ix = self.missions.get(mission)?;
        let end = on.end();
        let upto = ix.strength.partition_point(|&(t, _)| t <= end);
        ix.strength[..upto]
            .iter()
            .rev()
            .map(|&(_, i)| &self.facts[i as usize])
            .find(|f| f.known_at(as_of))
    }

    /// Facts about a legal basis (`legal_basis`, `legal_basis_ended`), ordered by valid time.
    pub fn legal_basis_facts<'a>(&'a self, r: &LegalRef) -> impl Iterator<Item = &'a Fact> + 'a {
        self.legal
            .get(r)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&(_, i)| &self.facts[i as usize])
    }

    /// `sitting_days` and `members` facts, ordered by valid time.
    pub fn calendar_facts(&self) -> impl Iterator<Item = &Fact> {
        self.global.iter().map(|&(_, i)| &self.facts[i as usize])
    }

    /// The calendar data (terms, sitting days).
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Merges calendar data.
    pub fn merge_calendar(&mut self, c: &Calendar) {
        self.calendar.merge(c);
    }

    /// Sources by id.
    pub fn source(&self, id: &SourceId) -> Option<&Source> {
        self.sources.get(id)
    }

    /// Members of the Bundestag on a day: the latest `members` fact valid on or before it and
    /// known as of `as_of` wins over the calendar's term data. Returns the count and the fact
    /// used (None: calendar data).
    pub fn members_on(&self, day: Date, as_of: Option<&TimePoint>) -> Option<(u32, Option<&Fact>)> {
        let q = TimePoint::Day(day);
        let fact = self
            .calendar_facts()
            .filter(|f| {
                matches!(f.kind, FactKind::Members { .. })
                    && f.valid.visible_at(&q)
                    && f.known_at(as_of)
            })
            .last();
        match fact {
            Some(
                f @ Fact {
                    kind: FactKind::Members { count },
                    ..
                },
            ) => Some((*count, Some(f))),
            _ => self.calendar.term_on(day).map(|t| (t.count, None)),
        }
    }

    /// The first `n` sitting days strictly after `day`, from the calendar and from
    /// `sitting_days` facts known as of `as_of`, with the fact that lists each (None: calendar).
    pub fn sitting_days_after(
        &self,
        day: Date,
        n: usize,
        as_of: Option<&TimePoint>,
    ) -> Vec<(Date, Option<&Fact>)> {
        let mut v: Vec<(Date, Option<&Fact>)> = self
            .calendar
            .sitting_days_after(day)
            .take(n)
            .map(|d| (d, None))
            .collect();
        for f in self.calendar_facts().filter(|f| f.known_at(as_of)) {
            if let FactKind::SittingDays { dates } = &f.kind {
                v.extend(dates.iter().filter(|d| **d > day).map(|d| (*d, Some(f))));
            }
        }
        v.sort_by_key(|(d, f)| (*d, f.is_none()));
        v.dedup_by_key(|(d, _)| *d);
        v.truncate(n);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::FactId;
    use jiff::civil::date;

    #[test]
    fn a_source_id_may_repeat_only_with_equal_content() {
        let src = |title: &str| Source {
            id: crate::ids::SourceId::new("s1").unwrap(),
            publisher: "BPA".into(),
            title: title.into(),
            date: crate::fact::PartialDate::Year(2025),
            url: None,
            lang: crate::fact::Lang::De,
            printed_paper: None,
            document: None,
        };
        let mut r = Registry::new();
        r.add_sources("a.yaml", vec![src("KFOR")]).unwrap();
        r.add_sources("b.yaml", vec![src("KFOR")]).unwrap();
        let e = r.add_sources("c.yaml", vec![src("UNIFIL")]).unwrap_err();
        assert!(
            matches!(e, RegistryError::DuplicateSource { ref file, .. } if file == "c.yaml"),
            "{e}"
        );
        assert_eq!(
            r.source(&src("KFOR").id).map(|s| s.title.as_str()),
            Some("KFOR")
        );
    }

    fn strength(id: &str, day: Date, recorded: Date, count: u32) -> Fact {
        Fact {
            id: FactId::new(id).unwrap(),
            kind: FactKind::StrengthReport {
                missions: vec![MissionId::new("KFOR").unwrap()],
                count,
            },
            valid: TimePoint::Day(day),
            recorded: TimePoint::Day(recorded),
            source: None,
        }
    }

    #[test]
    fn latest_strength_respects_knowledge_time() {
        let r = Registry::from_facts([
            strength("a", date(2024, 1, 1), date(2024, 1, 1), 100),
            strength("b", date(2024, 2, 1), date(2024, 3, 1), 200),
        ])
        .unwrap();
        let k = MissionId::new("KFOR").unwrap();
        let on = TimePoint::Day(date(2024, 2, 15));
        assert_eq!(r.latest_strength(&k, &on, None).unwrap().id.as_str(), "b");
        let t = TimePoint::Day(date(2024, 2, 20));
        assert_eq!(
            r.latest_strength(&k, &on, Some(&t)).unwrap().id.as_str(),
            "a"
        );
        assert!(
            r.latest_strength(&k, &TimePoint::Day(date(2023, 1, 1)), None)
                .is_none()
        );
    }

    #[test]
    fn duplicates_and_dangling_references_are_rejected() {
        let a = strength("a", date(2024, 1, 1), date(2024, 1, 1), 1);
        assert!(matches!(
            Registry::from_facts([a.clone(), a.clone()]),
            Err(RegistryError::DuplicateId { .. })
        ));
        let rev = Fact {
            id: FactId::new("r").unwrap(),
            kind: FactKind::Revocation {
                mandate: FactId::new("m").unwrap(),
            },
            valid: TimePoint::Day(date(2024, 1, 1)),
            recorded: TimePoint::Day(date(2024, 1, 1)),
            source: None,
        };
        let mut r = Registry::new();
        assert!(matches!(
            r.extend([rev]),
            Err(RegistryError::UndefinedReference { .. })
        ));
        assert!(r.is_empty());
    }

    #[test]
    fn facts_round_trip_through_json() {
        let a = strength("a", date(2024, 1, 1), date(2024, 1, 2), 90);
        let json = serde_json::to_string(&a).unwrap();
        let back: Fact = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}
