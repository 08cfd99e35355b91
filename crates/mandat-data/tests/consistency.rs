//! Consistency checks of the bundled dataset.
//!
//! The parser already rejects malformed files; these checks catch data that parses but cannot be
//! true, or that would make a verdict silently wrong:
//!
//! - two mandates of one mission cover the same day and neither supersedes the other (the rules
//!   would have to guess which one is in force);
//! - a mandate has no ceiling and its citation does not say why;
//! - a strength report exceeds the ceiling in force and the mandate does not permit overruns;
//! - a legal basis id is not in one of the canonical forms of the extraction contract;
//! - a quote from a source whose text is bundled is not in that text;
//! - two sources have the same address (one publication is one source, so that its stored text
//!   can be linked to it and checks every quote from it);
//! - dates contradict each other: a vote before the cabinet decision or the distribution of the
//!   application it decides, a vote on another day than the approval it records, a period that
//!   starts before the vote without being retroactive, a fact recorded before its source was
//!   published.
//!
//! Every check collects all violations (file, fact id, what is wrong) so that one failing run
//! lists everything that needs fixing. Each check is also run on a small, deliberately broken
//! dataset to show that it can fail.

use std::collections::{HashMap, HashSet};
use std::fmt;

use jiff::civil::Date;
use mandat_core::fact::PartialDate;
use mandat_core::{
    Citation, Fact, FactId, FactKind, LegalRef, LegalRefKind, MandateTerms, MissionId, Procedure,
    Registry, TimePoint, VoteResult, parse_fact_file,
};
use mandat_rules::{Options, Query, evaluate};

/// One thing wrong with the data.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Violation {
    check: &'static str,
    file: String,
    fact: String,
    problem: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {}: {}: {}",
            self.check, self.file, self.fact, self.problem
        )
    }
}

/// The registry of a set of dataset files, with the file each fact comes from.
struct Dataset {
    registry: Registry,
    file_of: HashMap<FactId, String>,
    /// Every source entry of the fact files with its file (an id listed in several files is
    /// listed once per file).
    sources: Vec<(String, mandat_core::Source)>,
}

impl Dataset {
    fn load(files: &[(&str, &str)]) -> Dataset {
        let registry = Registry::from_files(files).unwrap_or_else(|e| panic!("dataset: {e}"));
        let mut file_of = HashMap::new();
        let mut sources = Vec::new();
        for (name, yaml) in files {
            if name.ends_with("calendar.yaml") {
                continue;
            }
            let parsed = parse_fact_file(name, yaml).unwrap_or_else(|e| panic!("{e}"));
            for f in parsed.facts {
                file_of.insert(f.id, (*name).to_owned());
            }
            sources.extend(parsed.sources.into_iter().map(|s| ((*name).to_owned(), s)));
        }
        Dataset {
            registry,
            file_of,
            sources,
        }
    }

    fn violation(&self, check: &'static str, fact: &Fact, problem: String) -> Violation {
        Violation {
            check,
            file: self
                .file_of
                .get(&fact.id)
                .cloned()
                .unwrap_or_else(|| "?".to_owned()),
            fact: fact.id.to_string(),
            problem,
        }
    }

    /// The earliest day a fact can have happened. `valid` is exact, except where the cited source
    /// is dated only by month or year and `valid` is the last day of that month or year: the
    /// dataset's dating rules then make `valid` the last day by which the source proves the
    /// event, which happened within that month or year.
    fn earliest(&self, fact: &Fact) -> Date {
        let valid = fact.valid.date();
        if let Some(Citation::Source { source, .. }) = &fact.source
            && let Some(src) = self.registry.source(source)
            && !matches!(src.date, PartialDate::Day(_))
            && last_day(src.date) == Some(valid)
            && let Some(first) = first_day(src.date)
        {
            return first;
        }
        valid
    }

    /// Every mandate: each `mandate_approved`, and each application with an approving vote.
    fn mandates(&self) -> Vec<Mandate<'_>> {
        let mut approving: HashMap<&FactId, Vec<&Fact>> = HashMap::new();
        for f in self.registry.facts() {
            if let FactKind::Vote {
                application,
                result: VoteResult::Approved,
                ..
            } = &f.kind
            {
                approving.entry(application).or_default().push(f);
            }
        }
        let mut out = Vec::new();
        for f in self.registry.facts() {
            match &f.kind {
                FactKind::MandateApproved { terms, supersedes } => out.push(Mandate {
                    fact: f,
                    terms,
                    decided: f.valid.date(),
                    earliest: self.earliest(f),
                    retroactive: false,
                    supersedes,
                }),
                FactKind::ApplicationDistributed {
                    procedure, terms, ..
                } => {
                    let votes = approving.get(&f.id).map(Vec::as_slice).unwrap_or_default();
                    if let Some(first) = votes.iter().min_by_key(|v| v.valid.date()) {
                        out.push(Mandate {
                            fact: f,
                            terms,
                            decided: first.valid.date(),
                            earliest: votes
                                .iter()
                                .map(|v| self.earliest(v))
                                .min()
                                .unwrap_or(first.valid.date()),
                            retroactive: *procedure == Procedure::Retroactive,
                            supersedes: &[],
                        });
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// An approved mandate: its fact, terms, the day it was decided (the vote; for a vote dated only
/// by month, the last day of that month), the earliest day the vote can have been, and whether
/// it was approved after the deployment had started (§ 5 ParlBG).
struct Mandate<'a> {
    fact: &'a Fact,
    terms: &'a MandateTerms,
    decided: Date,
    earliest: Date,
    retroactive: bool,
    supersedes: &'a [FactId],
}

impl Mandate<'_> {
    fn shares_mission(&self, other: &Mandate<'_>) -> bool {
        self.terms
            .missions
            .iter()
            .any(|m| other.terms.missions.contains(m))
    }
}

/// All mandates that `id` replaces, directly or through a chain of replacements.
fn superseded_by(mandates: &[Mandate<'_>], id: &FactId) -> HashSet<FactId> {
    let direct: HashMap<&FactId, &[FactId]> = mandates
        .iter()
        .map(|m| (&m.fact.id, m.supersedes))
        .collect();
    let mut seen = HashSet::new();
    let mut stack = vec![id.clone()];
    while let Some(cur) = stack.pop() {
        for s in direct.get(&cur).copied().unwrap_or_default() {
            if seen.insert(s.clone()) {
                stack.push(s.clone());
            }
        }
    }
    seen
}

/// No mission has two mandates covering the same day unless one supersedes the other; what a
/// mandate supersedes is an earlier mandate of the same mission.
fn check_overlaps(ds: &Dataset) -> Vec<Violation> {
    const CHECK: &str = "overlap";
    let mandates = ds.mandates();
    let by_id: HashMap<&FactId, &Mandate<'_>> = mandates.iter().map(|m| (&m.fact.id, m)).collect();
    let mut out = Vec::new();
    for m in &mandates {
        for s in m.supersedes {
            match by_id.get(s) {
                None => out.push(ds.violation(
                    CHECK,
                    m.fact,
                    format!("supersedes `{s}`, which is not an approved mandate"),
                )),
                Some(old) if !old.shares_mission(m) => out.push(ds.violation(
                    CHECK,
                    m.fact,
                    format!("supersedes `{s}`, a mandate of another mission"),
                )),
                Some(old) if old.decided > m.decided => out.push(ds.violation(
                    CHECK,
                    m.fact,
                    format!(
                        "decided {} but supersedes `{s}`, decided later ({})",
                        m.decided, old.decided
                    ),
                )),
                Some(_) => {}
            }
        }
    }
    for (i, a) in mandates.iter().enumerate() {
        let Some(pa) = a.terms.period else { continue };
        let replaced_by_a = superseded_by(&mandates, &a.fact.id);
        for b in &mandates[i + 1..] {
            let Some(pb) = b.terms.period else { continue };
            if !a.shares_mission(b) {
                continue;
            }
            let Some(common) = pa.intersect(&pb) else {
                continue;
            };
            if replaced_by_a.contains(&b.fact.id)
                || superseded_by(&mandates, &b.fact.id).contains(&a.fact.id)
            {
                continue;
            }
            let (earlier, later) = if (a.decided, &a.fact.id) <= (b.decided, &b.fact.id) {
                (a, b)
            } else {
                (b, a)
            };
            out.push(ds.violation(
                CHECK,
                later.fact,
                format!(
                    "period {} overlaps `{}` ({}) on {common}, and neither supersedes the other",
                    later.terms.period.map(|p| p.to_string()).unwrap_or_default(),
                    earlier.fact.id,
                    earlier
                        .terms
                        .period
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                ),
            ));
        }
    }
    out
}

/// Every mandate has a ceiling, or the note of its citation says why it has none. The format has
/// no field for the reason, so the convention is a note that names the missing ceiling.
fn check_ceilings(ds: &Dataset) -> Vec<Violation> {
    const CHECK: &str = "ceiling";
    let mut out = Vec::new();
    for m in ds.mandates() {
        if m.terms.ceiling.is_some() {
            continue;
        }
        let explained = match &m.fact.source {
            Some(Citation::Source {
                note: Some(note), ..
            }) => note.to_lowercase().contains("ceiling"),
            _ => false,
        };
        if !explained {
            out.push(ds.violation(
                CHECK,
                m.fact,
                "has no ceiling, and its source note does not say why (a note naming the missing \
                 ceiling is required)"
                    .to_owned(),
            ));
        }
    }
    out
}

/// No strength report exceeds the ceiling in force on its day, as the rules engine determines
/// it, unless that mandate permits temporary overruns. A report on a day no mandate covers has
/// no ceiling to exceed; coverage gaps are listed in data/README.md.
fn check_strength(ds: &Dataset) -> Vec<Violation> {
    const CHECK: &str = "strength";
    let mut out = Vec::new();
    let options = Options::default();
    for f in ds.registry.facts() {
        let FactKind::StrengthReport { missions, count } = &f.kind else {
            continue;
        };
        for mission in missions {
            let q = Query {
                mission: mission.clone(),
                on: TimePoint::Day(f.valid.date()),
                as_of: None,
            };
            let v = evaluate(&ds.registry, &q, &options);
            let Some(ceiling) = v.ceiling else { continue };
            if *count <= ceiling.get() {
                continue;
            }
            let mandate = v.mandate.as_ref().and_then(|id| ds.registry.fact(id));
            let permitted = mandate.is_some_and(|m| match &m.kind {
                FactKind::MandateApproved { terms, .. }
                | FactKind::ApplicationDistributed { terms, .. } => terms.overrun_permitted,
                _ => false,
            });
            if !permitted {
                out.push(ds.violation(
                    CHECK,
                    f,
                    format!(
                        "{mission}: strength {count} on {} exceeds the ceiling {ceiling} of `{}`, \
                         which does not permit overruns",
                        f.valid.date(),
                        v.mandate.map(|m| m.to_string()).unwrap_or_default()
                    ),
                ));
            }
        }
    }
    out
}

/// Why a legal basis id is not canonical, if it is not. The parser accepts every form the core
/// knows; the dataset may use only the canonical forms of the extraction contract, written
/// without leading zeros.
fn non_canonical(r: &LegalRef) -> Option<String> {
    let s = r.as_str();
    let leading_zero = |n: &str| n.len() > 1 && n.starts_with('0');
    match r.kind() {
        LegalRefKind::Other => Some(format!(
            "`{s}` is a placeholder, not a canonical legal basis id"
        )),
        LegalRefKind::UsAuthorization => Some(format!(
            "`{s}` is a US authorisation, not a basis of a Bundeswehr mandate"
        )),
        LegalRefKind::UnscResolution => {
            let n = s.trim_start_matches("UNSC ");
            leading_zero(n).then(|| format!("`{s}`: resolution number with a leading zero"))
        }
        LegalRefKind::BasicLaw | LegalRefKind::Statute => {
            let body = s.trim_start_matches("Art. ").trim_start_matches("§ ");
            let num: String = body.chars().take_while(char::is_ascii_digit).collect();
            leading_zero(&num).then(|| format!("`{s}`: article number with a leading zero"))
        }
        LegalRefKind::EuCouncilDecision | LegalRefKind::EuJointAction => {
            let body = s
                .trim_start_matches("EU Council Decision (CFSP) ")
                .trim_start_matches("EU Council Joint Action ")
                .trim_end_matches("/CFSP");
            let (year, number) = body.split_once('/')?;
            let year: i32 = year.parse().ok()?;
            if !(1993..=2100).contains(&year) {
                Some(format!(
                    "`{s}`: year {year} is outside the CFSP (from 1993)"
                ))
            } else if r.kind() == LegalRefKind::EuJointAction && year > 2009 {
                Some(format!(
                    "`{s}`: joint actions ended with the Lisbon Treaty (December 2009); later acts are Council decisions"
                ))
            } else {
                leading_zero(number).then(|| format!("`{s}`: number with a leading zero"))
            }
        }
        LegalRefKind::NatoDecision | LegalRefKind::Unclos => None,
    }
}

/// Every legal basis id in the data (legal-basis facts, mandates' `legal_bases` and conditions)
/// is canonical.
fn check_legal_refs(ds: &Dataset) -> Vec<Violation> {
    const CHECK: &str = "legal-basis";
    let mut out = Vec::new();
    for f in ds.registry.facts() {
        let refs: Vec<&LegalRef> = match &f.kind {
            FactKind::LegalBasis { legal_ref, .. } | FactKind::LegalBasisEnded { legal_ref } => {
                vec![legal_ref]
            }
            FactKind::MandateApproved { terms, .. }
            | FactKind::ApplicationDistributed { terms, .. } => terms
                .legal_bases
                .iter()
                .chain(&terms.conditions.expires_if_ended)
                .collect(),
            _ => Vec::new(),
        };
        for r in refs {
            if let Some(problem) = non_canonical(r) {
                out.push(ds.violation(CHECK, f, problem));
            }
        }
    }
    out
}

/// A quote that cites a source with a bundled document (`document:`) must be in that document,
/// read as the dataset writes quotes ([`mandat_core::find_quote`]: whitespace may differ). `text`
/// gives a bundled document's text by its path.
fn check_quotes(ds: &Dataset, text: &dyn Fn(&str) -> Option<String>) -> Vec<Violation> {
    const CHECK: &str = "quote";
    let mut out = Vec::new();
    for f in ds.registry.facts() {
        let Some(Citation::Source {
            source,
            quote: Some(q),
            ..
        }) = &f.source
        else {
            continue;
        };
        let Some(path) = ds
            .registry
            .source(source)
            .and_then(|s| s.document.as_deref())
        else {
            continue;
        };
        match text(path) {
            None => out.push(ds.violation(
                CHECK,
                f,
                format!("source `{source}` names the document {path}, which is not bundled"),
            )),
            Some(t) if mandat_core::find_quote(&t, q).is_none() => out.push(ds.violation(
                CHECK,
                f,
                format!("the quote is not in {path}, the text of source `{source}`"),
            )),
            Some(_) => {}
        }
    }
    out
}

/// One publication, one source: two source ids with the same address are reported.
fn check_addresses(ds: &Dataset) -> Vec<Violation> {
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut out = Vec::new();
    for (file, s) in &ds.sources {
        let Some(url) = s.url.as_deref() else {
            continue;
        };
        match first.get(url) {
            None => {
                first.insert(url, s.id.as_str());
            }
            Some(&other) if other != s.id.as_str() => out.push(Violation {
                check: "address",
                file: file.clone(),
                fact: s.id.to_string(),
                problem: format!("source `{other}` has the same address {url}"),
            }),
            Some(_) => {}
        }
    }
    out
}

fn bundled_text(path: &str) -> Option<String> {
    mandat_data::document(path).map(|b| String::from_utf8_lossy(b).into_owned())
}

/// How far apart a cabinet decision and the vote on its proposal can lie when the proposal
/// names no period and is matched to a mandate by mission, ceiling and time alone.
const PROPOSAL_WINDOW_DAYS: i32 = 92;

/// The mandate a cabinet decision proposed: the one with the proposed period if it names one,
/// else the one of the same missions and ceiling decided closest in time (within the window).
fn proposed_mandate<'a, 'm>(
    cabinet: &Fact,
    missions: &[MissionId],
    ceiling: Option<mandat_core::Ceiling>,
    period: Option<mandat_core::Period>,
    mandates: &'m [Mandate<'a>],
) -> Option<&'m Mandate<'a>> {
    let day = cabinet.valid.date();
    let same_mission = |m: &&Mandate<'_>| missions.iter().any(|x| m.terms.missions.contains(x));
    if let Some(p) = period {
        return mandates
            .iter()
            .filter(same_mission)
            .find(|m| m.terms.period == Some(p));
    }
    mandates
        .iter()
        .filter(same_mission)
        .filter(|m| ceiling.is_none() || m.terms.ceiling == ceiling)
        .map(|m| (day.until(m.decided).map(|s| s.get_days().abs()), m))
        .filter_map(|(d, m)| d.ok().map(|d| (d, m)))
        .filter(|(d, _)| *d <= PROPOSAL_WINDOW_DAYS)
        .min_by_key(|(d, m)| (*d, m.decided))
        .map(|(_, m)| m)
}

/// The last day of a publication date known only to the month or year.
fn last_day(d: PartialDate) -> Option<Date> {
    match d {
        PartialDate::Day(d) => Some(d),
        PartialDate::Month { year, month } => Date::new(year, month, 1)
            .ok()
            .map(|first| first.last_of_month()),
        PartialDate::Year(y) => Date::new(y, 12, 31).ok(),
    }
}

/// The first day of a publication date known only to the month or year.
fn first_day(d: PartialDate) -> Option<Date> {
    match d {
        PartialDate::Day(d) => Some(d),
        PartialDate::Month { year, month } => Date::new(year, month, 1).ok(),
        PartialDate::Year(y) => Date::new(y, 1, 1).ok(),
    }
}

/// Dates agree with each other: a vote follows the cabinet decision and the distribution of the
/// application it decides and falls on the day its approval records; a mandate's period starts
/// on or after its vote unless it was approved retroactively; no fact is recorded before its
/// source was published.
fn check_dates(ds: &Dataset) -> Vec<Violation> {
    const CHECK: &str = "dates";
    let reg = &ds.registry;
    let mandates = ds.mandates();
    let mut votes: HashMap<&FactId, Vec<&Fact>> = HashMap::new();
    for f in reg.facts() {
        if let FactKind::Vote { application, .. } = &f.kind {
            votes.entry(application).or_default().push(f);
        }
    }
    let mut out = Vec::new();

    for f in reg.facts() {
        match &f.kind {
            FactKind::CabinetDecision {
                missions,
                ceiling,
                period,
            } => {
                let Some(m) = proposed_mandate(f, missions, *ceiling, *period, &mandates) else {
                    continue;
                };
                // Only a contradiction the dates prove: the vote (at the latest) on or before
                // the earliest day the cabinet decision can have been.
                let cabinet = ds.earliest(f);
                let mut decided = vec![(m.decided, m.fact)];
                for v in votes.get(&m.fact.id).into_iter().flatten() {
                    decided.push((v.valid.date(), v));
                }
                for (day, fact) in decided {
                    if day <= cabinet {
                        out.push(ds.violation(
                            CHECK,
                            fact,
                            format!(
                                "vote on {day} is not after the cabinet decision `{}` that proposed it \
                                 ({cabinet} at the earliest)",
                                f.id
                            ),
                        ));
                    }
                }
            }
            FactKind::Vote { application, .. } => {
                let Some(app) = reg.fact(application) else {
                    continue;
                };
                match &app.kind {
                    FactKind::ApplicationDistributed { .. }
                        if f.valid.date() < app.valid.date() =>
                    {
                        out.push(ds.violation(
                            CHECK,
                            f,
                            format!(
                                "vote on {} precedes the distribution of `{}` on {}",
                                f.valid.date(),
                                app.id,
                                app.valid.date()
                            ),
                        ));
                    }
                    FactKind::MandateApproved { .. } if f.valid.date() != app.valid.date() => {
                        out.push(ds.violation(
                            CHECK,
                            f,
                            format!(
                                "vote on {} but `{}` records its approval on {}",
                                f.valid.date(),
                                app.id,
                                app.valid.date()
                            ),
                        ));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        if let Some(Citation::Source { source, .. }) = &f.source
            && let Some(src) = reg.source(source)
            && let Some(published) = first_day(src.date)
            && f.recorded.date() < published
        {
            out.push(ds.violation(
                CHECK,
                f,
                format!(
                    "recorded {} before its source `{source}` was published ({})",
                    f.recorded.date(),
                    last_day(src.date).map_or_else(String::new, |d| d.to_string())
                ),
            ));
        }
    }

    for m in &mandates {
        let Some(p) = m.terms.period else { continue };
        if p.from() < m.earliest && !m.retroactive {
            out.push(ds.violation(
                CHECK,
                m.fact,
                format!(
                    "period starts {} before the vote ({} at the earliest) and the approval is not \
                     retroactive",
                    p.from(),
                    m.earliest
                ),
            ));
        }
    }
    out
}

fn all_checks(ds: &Dataset) -> Vec<Violation> {
    let mut out = Vec::new();
    out.extend(check_overlaps(ds));
    out.extend(check_ceilings(ds));
    out.extend(check_strength(ds));
    out.extend(check_legal_refs(ds));
    out.extend(check_dates(ds));
    out.extend(check_quotes(ds, &bundled_text));
    out.extend(check_addresses(ds));
    out
}

fn report(v: &[Violation]) -> String {
    v.iter().map(|v| format!("  {v}\n")).collect()
}

#[test]
fn bundled_dataset_is_consistent() {
    let ds = Dataset::load(mandat_data::DATASET_FILES);
    assert!(
        ds.mandates().len() > 50,
        "the bundled dataset holds its mandates"
    );
    let violations = all_checks(&ds);
    assert!(
        violations.is_empty(),
        "{} consistency violations in the bundled dataset:\n{}",
        violations.len(),
        report(&violations)
    );
}

// --- the checks can fail: small datasets with one deliberate error each -------------------------

const SOURCES: &str = "sources:
  - {id: s1, publisher: P, title: T, date: 2020-01-01, lang: de}
  - {id: s-late, publisher: P, title: Late, date: 2021-06, lang: de}
";

fn load(facts: &str) -> Dataset {
    let yaml = format!("{SOURCES}facts:\n{facts}");
    Dataset::load(&[("facts/test.yaml", yaml.as_str())])
}

fn problems(v: &[Violation], check: &str) -> Vec<String> {
    v.iter()
        .filter(|v| v.check == check)
        .map(|v| format!("{} {}", v.fact, v.problem))
        .collect()
}

#[test]
fn overlapping_mandates_without_supersedes_are_reported() {
    let facts = "
  - {id: a, kind: mandate_approved, mission: Xa, valid: 2020-03-01, ceiling: 50,
     period: {from: 2020-04-01, until: 2021-03-31}, source: {ref: s1}}
  - {id: b, kind: mandate_approved, mission: Xa, valid: 2021-03-20, ceiling: 50,
     period: {from: 2021-03-31, until: 2022-03-31}, source: {ref: s1}}
  - {id: c, kind: mandate_approved, mission: Yb, valid: 2020-03-01, ceiling: 50,
     period: {from: 2020-04-01, until: 2021-03-31}, source: {ref: s1}}
";
    let v = check_overlaps(&load(facts));
    let p = problems(&v, "overlap");
    assert_eq!(p.len(), 1, "{}", report(&v));
    assert!(p[0].starts_with("b ") && p[0].contains("`a`"), "{p:?}");
    assert!(p[0].contains("2021-03-31 .. 2021-03-31"), "{p:?}");

    // The same overlap with an (indirect) supersedes is the normal renewal of an open mandate.
    let renewed = "
  - {id: a, kind: mandate_approved, mission: Xa, valid: 2019-06-28, ceiling: 400,
     period: {from: 2019-06-28, until: open}, source: {ref: s1}}
  - {id: b, kind: mandate_approved, mission: Xa, valid: 2020-06-17, ceiling: 400,
     period: {from: 2020-06-17, until: open}, supersedes: [a], source: {ref: s1}}
  - {id: c, kind: mandate_approved, mission: Xa, valid: 2021-06-25, ceiling: 400,
     period: {from: 2021-06-25, until: open}, supersedes: [b], source: {ref: s1}}
";
    let v = check_overlaps(&load(renewed));
    assert!(v.is_empty(), "{}", report(&v));
}

#[test]
fn superseding_a_later_or_foreign_mandate_is_reported() {
    let facts = "
  - {id: a, kind: mandate_approved, mission: Xa, valid: 2021-03-01, ceiling: 50,
     period: {from: 2021-03-01, until: open}, supersedes: [b], source: {ref: s1}}
  - {id: b, kind: mandate_approved, mission: Xa, valid: 2022-03-01, ceiling: 50,
     period: {from: 2022-03-01, until: open}, source: {ref: s1}}
  - {id: c, kind: mandate_approved, mission: Yb, valid: 2023-03-01, ceiling: 50,
     period: {from: 2023-03-01, until: open}, supersedes: [a], source: {ref: s1}}
";
    let p = problems(&check_overlaps(&load(facts)), "overlap");
    assert!(
        p.iter()
            .any(|p| p.starts_with("a ") && p.contains("decided later")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|p| p.starts_with("c ") && p.contains("another mission")),
        "{p:?}"
    );
}

#[test]
fn a_mandate_without_ceiling_needs_a_reason() {
    let facts = "
  - {id: silent, kind: mandate_approved, mission: Xa, valid: 2020-03-01,
     period: {from: 2020-03-01, until: open}, source: {ref: s1, note: Open-ended.}}
  - {id: explained, kind: mandate_approved, mission: Yb, valid: 2020-03-01,
     period: {from: 2020-03-01, until: open},
     source: {ref: s1, note: The ceiling is not stated by the source.}}
  - {id: app, kind: application_distributed, mission: Zc, procedure: regular, valid: 2020-03-01,
     period: {from: 2020-03-10, until: open}, source: {ref: s1}}
  - {id: app-vote, kind: vote, application: app, result: approved, valid: 2020-03-05}
";
    let p = problems(&check_ceilings(&load(facts)), "ceiling");
    let ids: Vec<&str> = p
        .iter()
        .map(|p| p.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["silent", "app"], "{p:?}");
}

#[test]
fn strength_above_the_ceiling_is_reported_unless_overruns_are_permitted() {
    let facts = "
  - {id: m, kind: mandate_approved, mission: Xa, valid: 2020-03-01, ceiling: 100,
     period: {from: 2020-03-01, until: 2020-12-31}, source: {ref: s1}}
  - {id: ok, kind: strength_report, mission: Xa, count: 100, valid: 2020-04-01}
  - {id: over, kind: strength_report, mission: Xa, count: 101, valid: 2020-05-01}
  - {id: uncovered, kind: strength_report, mission: Xa, count: 5000, valid: 2021-05-01}
  - {id: p, kind: mandate_approved, mission: Yb, valid: 2020-03-01, ceiling: 100,
     overrun_permitted: true, period: {from: 2020-03-01, until: 2020-12-31}, source: {ref: s1}}
  - {id: rotation, kind: strength_report, mission: Yb, count: 150, valid: 2020-05-01}
";
    let p = problems(&check_strength(&load(facts)), "strength");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("over ") && p[0].contains("ceiling 100 of `m`"),
        "{p:?}"
    );
}

#[test]
fn non_canonical_legal_bases_are_reported() {
    let facts = "
  - {id: lb-other, kind: legal_basis, ref: 'other: Dayton agreement', valid: 1995-12-14}
  - {id: lb-zero, kind: legal_basis, ref: UNSC 01244, valid: 1999-06-10}
  - {id: lb-ok, kind: legal_basis, ref: UNSC 1244, valid: 1999-06-10}
  - {id: m, kind: mandate_approved, mission: Xa, valid: 2020-03-01, ceiling: 10,
     period: {from: 2020-03-01, until: open},
     legal_bases: [EU Council Joint Action 2012/851/CFSP, Art. 24(2) GG, AUMF 2001],
     conditions: {expires_if_ended: [NATO decision 1999-01-30]}, source: {ref: s1}}
";
    let p = problems(&check_legal_refs(&load(facts)), "legal-basis");
    assert_eq!(p.len(), 4, "{p:?}");
    for (id, what) in [
        ("lb-other", "placeholder"),
        ("lb-zero", "leading zero"),
        ("m", "Lisbon"),
        ("m", "US authorisation"),
    ] {
        assert!(
            p.iter()
                .any(|p| p.starts_with(&format!("{id} ")) && p.contains(what)),
            "{id}: {what} missing in {p:?}"
        );
    }
}

#[test]
fn inconsistent_dates_are_reported() {
    let facts = "
  - {id: cab, kind: cabinet_decision, mission: Xa, valid: 2020-03-10,
     proposes: {ceiling: 50, period: {from: 2020-04-01, until: 2021-03-31}}}
  - {id: early, kind: mandate_approved, mission: Xa, valid: 2020-03-05, ceiling: 50,
     period: {from: 2020-04-01, until: 2021-03-31}, source: {ref: s1}}
  - {id: early-vote, kind: vote, application: early, result: approved, valid: 2020-03-06}
  - {id: cab-y, kind: cabinet_decision, mission: Yb, valid: 2020-05-20, proposes: {ceiling: 70}}
  - {id: y, kind: mandate_approved, mission: Yb, valid: 2020-05-20, ceiling: 70,
     period: {from: 2020-05-01, until: 2020-12-31}, source: {ref: s1}}
  - {id: app, kind: application_distributed, mission: Zc, procedure: regular, valid: 2020-06-10,
     ceiling: 10, period: {from: 2020-06-20, until: 2020-12-31}}
  - {id: app-vote, kind: vote, application: app, result: approved, valid: 2020-06-09}
  - {id: evac, kind: application_distributed, mission: Wd, procedure: retroactive,
     valid: 2020-08-25, ceiling: 600, period: {from: 2020-08-16, until: 2020-09-30}}
  - {id: evac-vote, kind: vote, application: evac, result: approved, valid: 2020-08-25}
  - {id: foresight, kind: strength_report, mission: Wd, count: 1, valid: 2020-08-20,
     recorded: 2020-08-20, source: {ref: s-late}}
  - {id: cab-month, kind: cabinet_decision, mission: Vc, valid: 2021-06-30,
     proposes: {ceiling: 20}, source: {ref: s-late}}
  - {id: june, kind: mandate_approved, mission: Vc, valid: 2021-06-18, ceiling: 20,
     period: {from: 2021-07-01, until: 2022-06-30}, source: {ref: s1}}
  - {id: month, kind: mandate_approved, mission: Ud, valid: 2021-06-30, ceiling: 20,
     period: {from: 2021-05-20, until: 2022-05-31}, source: {ref: s-late}}
";
    let v = check_dates(&load(facts));
    let p = problems(&v, "dates");
    for (id, what) in [
        ("early", "not after the cabinet decision `cab`"),
        (
            "early-vote",
            "2020-03-06 but `early` records its approval on 2020-03-05",
        ),
        ("y", "not after the cabinet decision `cab-y`"),
        (
            "y",
            "period starts 2020-05-01 before the vote (2020-05-20 at the earliest)",
        ),
        (
            "month",
            "period starts 2021-05-20 before the vote (2021-06-01 at the earliest)",
        ),
        ("app-vote", "precedes the distribution"),
        (
            "foresight",
            "before its source `s-late` was published (2021-06-30)",
        ),
    ] {
        assert!(
            p.iter()
                .any(|p| p.starts_with(&format!("{id} ")) && p.contains(what)),
            "{id}: `{what}` missing in\n{}",
            report(&v)
        );
    }
    // The retroactive evacuation mandate starts before its vote, as it must; a cabinet decision
    // dated only by its month does not contradict a vote in the same month.
    assert!(
        !p.iter()
            .any(|p| p.starts_with("evac") || p.starts_with("june ")),
        "{}",
        report(&v)
    );
    // Exactly the listed violations (the early vote is also before the cabinet decision).
    assert_eq!(p.len(), 8, "{}", report(&v));
}

#[test]
fn a_quote_that_is_not_in_its_bundled_document_is_reported() {
    let yaml = "sources:
  - {id: doc, publisher: P, title: T, date: 2020-01-01, lang: de, document: test/doc.txt}
  - {id: gone, publisher: P, title: T, date: 2020-01-01, lang: de, document: test/gone.txt}
facts:
  - {id: ok, kind: strength_report, mission: Xa, count: 90, valid: 2020-01-01,
     source: {ref: doc, quote: \"derzeit 90 Soldaten\"}}
  - {id: wrong, kind: strength_report, mission: Xa, count: 95, valid: 2020-01-01,
     source: {ref: doc, quote: \"derzeit 95 Soldaten\"}}
  - {id: missing, kind: strength_report, mission: Xa, count: 90, valid: 2020-01-01,
     source: {ref: gone, quote: \"derzeit 90 Soldaten\"}}
";
    let ds = Dataset::load(&[("facts/test.yaml", yaml)]);
    let text = |p: &str| {
        (p == "test/doc.txt").then(|| "Es sind derzeit\n90 Soldaten im Einsatz.".to_owned())
    };
    let p = problems(&check_quotes(&ds, &text), "quote");
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p[0].starts_with("wrong ") && p[0].contains("not in test/doc.txt"),
        "{p:?}"
    );
    assert!(
        p[1].starts_with("missing ") && p[1].contains("not bundled"),
        "{p:?}"
    );
}

#[test]
fn two_sources_with_one_address_are_reported() {
    let yaml = "sources:
  - {id: a, publisher: P, title: T, date: 2020-01-01, lang: de, url: https://example.org/x}
  - {id: b, publisher: P, title: T2, date: 2020-01-01, lang: de, url: https://example.org/x}
  - {id: c, publisher: P, title: T, date: 2020-01-01, lang: de, url: https://example.org/y}
facts: []
";
    let ds = Dataset::load(&[
        ("facts/test.yaml", yaml),
        (
            "facts/other.yaml",
            "sources:\n  - {id: a, publisher: P, title: T, date: 2020-01-01, lang: de, url: https://example.org/x}\nfacts: []\n",
        ),
    ]);
    let p = problems(&check_addresses(&ds), "address");
    assert_eq!(
        p,
        ["b source `a` has the same address https://example.org/x"]
    );
}
