//! Fact files: the YAML format shared by scenarios and the bundled dataset.
//!
//! Parsing is two-stage so that every error keeps its position: serde-saphyr first reads a raw
//! struct whose fields are all optional and wrapped in [`Spanned`] (no `flatten`, no untagged
//! enums, which lose positions), then [`RawFact::to_fact`] validates the raw fact into the typed
//! [`FactKind`] for its `kind`, naming the file, line, column and key of any fault.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::calendar::{Calendar, Term};
use crate::error::{FileError, FileErrorCode, ValueError};
use crate::fact::{
    Citation, Conditions, DemandBy, Dependency, Fact, FactKind, Lang, MandateTerms, PartialDate,
    Procedure, Source, Tally, VoteResult, WprCategory,
};
use crate::ids::{Ceiling, FactId, LegalRef, MissionId, PrintedPaperNo, SourceId};
use crate::period::{Period, parse_until};
use crate::time::{TimePoint, parse_date};

type S<T> = Spanned<T>;

/// One mission id or a list of them (`mission: KFOR` or `mission: [Counter Daesh, NATO Mission Iraq]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A hand-written visitor instead of an untagged enum, so the YAML position survives.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mission id or a list of mission ids (quote an id that YAML reads as a boolean or number)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A citation as written: a string or `{ref, quote, note}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawCitation {
    /// Free text.
    Text(String),
    /// A reference into `sources`.
    Ref {
        /// Source id.
        source: String,
        /// Quote.
        quote: Option<String>,
        /// Note.
        note: Option<String>,
    },
}

impl<'de> Deserialize<'de> for RawCitation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCitation;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a source text or a map {ref, quote, note}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCitation, E> {
                Ok(RawCitation::Text(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCitation, A::Error> {
                let (mut source, mut quote, mut note) = (None, None, None);
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "ref" => source = Some(map.next_value::<String>()?),
                        "quote" => quote = Some(map.next_value::<String>()?),
                        "note" => note = Some(map.next_value::<String>()?),
                        other => {
                            return Err(de::Error::unknown_field(other, &["ref", "quote", "note"]));
                        }
                    }
                }
                let source = source.ok_or_else(|| de::Error::missing_field("ref"))?;
                Ok(RawCitation::Ref {
                    source,
                    quote,
                    note,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// `{from, until}` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    from: S<String>,
    until: S<String>,
}

/// `proposes: {ceiling, period}` of a cabinet decision.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProposal {
    ceiling: Option<S<u32>>,
    period: Option<S<RawPeriod>>,
}

/// `conditions: {expires_if_ended: [...]}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditions {
    expires_if_ended: Option<Vec<S<String>>>,
}

/// A fact as written, before validation: every key of the vocabulary, all optional.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawFact {
    pub id: Option<S<String>>,
    pub kind: Option<S<String>>,
    pub mission: Option<S<OneOrMany>>,
    pub valid: Option<S<String>>,
    pub recorded: Option<S<String>>,
    pub source: Option<S<RawCitation>>,
    #[serde(rename = "ref")]
    pub legal_ref: Option<S<String>>,
    pub period: Option<S<RawPeriod>>,
    pub proposes: Option<S<RawProposal>>,
    pub procedure: Option<S<String>>,
    pub ceiling: Option<S<u32>>,
    pub legal_bases: Option<S<Vec<S<String>>>>,
    pub dependency: Option<S<String>>,
    pub conditions: Option<S<RawConditions>>,
    pub overrun_permitted: Option<S<bool>>,
    pub extends: Option<S<String>>,
    pub application: Option<S<String>>,
    pub by: Option<S<String>>,
    pub members: Option<S<u32>>,
    pub result: Option<S<String>>,
    pub yes: Option<S<u32>>,
    pub no: Option<S<u32>>,
    pub abstain: Option<S<u32>>,
    pub supersedes: Option<S<Vec<S<String>>>>,
    pub mandate: Option<S<String>>,
    pub count: Option<S<u32>>,
    pub armed: Option<S<bool>>,
    pub dates: Option<S<Vec<S<String>>>>,
    pub category: Option<S<String>>,
    pub compelling_reasons: Option<S<bool>>,
    pub printed_paper: Option<S<String>>,
    pub area: Option<S<String>>,
    pub costs_eur: Option<S<f64>>,
}

const COMMON: &[&str] = &["id", "kind", "valid", "recorded", "source"];

/// Positioned context for validating one fact.
struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(
        &self,
        loc: Location,
        key: &str,
        code: FileErrorCode,
        msg: impl Into<String>,
    ) -> FileError {
        FileError::at(self.file, loc, Some(key), code, msg)
    }

    fn value<T>(
        &self,
        key: &str,
        s: &S<String>,
        f: impl FnOnce(&str) -> Result<T, ValueError>,
    ) -> Result<T, FileError> {
        f(&s.value)
            .map_err(|e| self.err(s.referenced, key, FileErrorCode::InvalidValue, e.message()))
    }

    fn required<'b, T>(
        &self,
        at: Location,
        key: &str,
        v: &'b Option<S<T>>,
    ) -> Result<&'b S<T>, FileError> {
        v.as_ref().ok_or_else(|| {
            self.err(
                at,
                key,
                FileErrorCode::MissingKey,
                format!("this fact kind requires `{key}`"),
            )
        })
    }

    fn period(&self, key: &str, p: &S<RawPeriod>) -> Result<Period, FileError> {
        let from = self.value(&format!("{key}.from"), &p.value.from, parse_date)?;
        let end = self.value(&format!("{key}.until"), &p.value.until, parse_until)?;
        Period::new(from, end)
            .map_err(|e| self.err(p.referenced, key, FileErrorCode::InvalidValue, e.message()))
    }

    fn ceiling(&self, c: &S<u32>) -> Result<Ceiling, FileError> {
        Ceiling::new(c.value).map_err(|e| {
            self.err(
                c.referenced,
                "ceiling",
                FileErrorCode::InvalidValue,
                e.message(),
            )
        })
    }

    fn refs(&self, key: &str, v: &[S<String>]) -> Result<Vec<LegalRef>, FileError> {
        v.iter()
            .map(|s| self.value(key, s, |s| LegalRef::new(s)))
            .collect()
    }

    fn choice<T: Copy>(
        &self,
        key: &str,
        s: &S<String>,
        options: &[(&str, T)],
    ) -> Result<T, FileError> {
        options
            .iter()
            .find(|(n, _)| *n == s.value)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.err(
                    s.referenced,
                    key,
                    FileErrorCode::InvalidValue,
                    format!(
                        "unknown value `{}` (expected one of: {})",
                        s.value,
                        names.join(", ")
                    ),
                )
            })
    }
}

impl RawFact {
    /// The keys present, with their positions (for the unexpected-key check).
    fn present(&self) -> Vec<(&'static str, Location)> {
        let mut v = Vec::new();
        macro_rules! p {
            ($($f:ident => $n:literal),*) => { $( if let Some(x) = &self.$f { v.push(($n, x.referenced)); } )* };
        }
        p!(mission => "mission", legal_ref => "ref", period => "period", proposes => "proposes",
           procedure => "procedure", ceiling => "ceiling", legal_bases => "legal_bases",
           dependency => "dependency", conditions => "conditions", overrun_permitted => "overrun_permitted",
           extends => "extends", application => "application", by => "by", members => "members",
           result => "result", yes => "yes", no => "no", abstain => "abstain", supersedes => "supersedes",
           mandate => "mandate", count => "count", armed => "armed", dates => "dates", category => "category",
           compelling_reasons => "compelling_reasons", printed_paper => "printed_paper", area => "area",
           costs_eur => "costs_eur");
        v
    }

    /// The fact ids this raw fact refers to, with key and position.
    pub fn references(&self) -> Vec<(&'static str, &S<String>)> {
        let mut v = Vec::new();
        if let Some(x) = &self.extends {
            v.push(("extends", x));
        }
        if let Some(x) = &self.application {
            v.push(("application", x));
        }
        if let Some(x) = &self.mandate {
            v.push(("mandate", x));
        }
        if let Some(x) = &self.supersedes {
            v.extend(x.value.iter().map(|s| ("supersedes", s)));
        }
        v
    }

    /// Validates the raw fact into a typed [`Fact`]; `at` is the position of the fact itself.
    pub fn to_fact(&self, file: &str, at: Location) -> Result<Fact, FileError> {
        let cx = Ctx { file };
        let id_s = cx.required(at, "id", &self.id)?;
        let id = cx.value("id", id_s, |s| FactId::new(s))?;
        let kind_s = cx.required(at, "kind", &self.kind)?;
        let valid = cx.value("valid", cx.required(at, "valid", &self.valid)?, |s| {
            s.parse::<TimePoint>()
        })?;
        let recorded = match &self.recorded {
            Some(r) => cx.value("recorded", r, |s| s.parse::<TimePoint>())?,
            None => valid,
        };
        let source = self.source.as_ref().map(|s| match &s.value {
            RawCitation::Text(t) => Ok(Citation::Text(t.clone())),
            RawCitation::Ref {
                source,
                quote,
                note,
            } => Ok(Citation::Source {
                source: SourceId::new(source.clone()).map_err(|e| {
                    cx.err(
                        s.referenced,
                        "source.ref",
                        FileErrorCode::InvalidValue,
                        e.message(),
                    )
                })?,
                quote: quote.clone(),
                note: note.clone(),
            }),
        });
        let source = source.transpose()?;

        let allowed: &[&str] = match kind_s.value.as_str() {
            "legal_basis" => &["ref", "period"],
            "legal_basis_ended" => &["ref"],
            "cabinet_decision" => &["mission", "proposes", "printed_paper"],
            "application_distributed" => &[
                "mission",
                "procedure",
                "ceiling",
                "period",
                "legal_bases",
                "dependency",
                "conditions",
                "overrun_permitted",
                "extends",
                "printed_paper",
                "area",
                "costs_eur",
            ],
            "debate_requested" => &["application", "by", "members"],
            "vote" => &[
                "application",
                "result",
                "yes",
                "no",
                "abstain",
                "printed_paper",
            ],
            "mandate_approved" => &[
                "mission",
                "ceiling",
                "period",
                "legal_bases",
                "dependency",
                "conditions",
                "overrun_permitted",
                "supersedes",
                "printed_paper",
                "area",
                "costs_eur",
            ],
            "deployment_started"
            | "emergency_deployment_started"
            | "deployment_ended"
            | "report"
            | "authorization"
            | "certification" => &["mission"],
            "revocation" => &["mandate"],
            "strength_report" => &["mission", "count"],
            "classification" => &["mission", "armed", "by"],
            "sitting_days" => &["dates"],
            "members" => &["count"],
            "introduction" => &["mission", "category"],
            "information_letter" => &["mission", "compelling_reasons"],
            other => {
                return Err(cx.err(
                    kind_s.referenced,
                    "kind",
                    FileErrorCode::InvalidValue,
                    format!("unknown fact kind `{other}`"),
                ));
            }
        };
        for (key, loc) in self.present() {
            if !allowed.contains(&key) && !COMMON.contains(&key) {
                return Err(cx.err(
                    loc,
                    key,
                    FileErrorCode::UnexpectedKey,
                    format!(
                        "a `{}` fact takes no `{key}` (it takes: {})",
                        kind_s.value,
                        allowed.join(", ")
                    ),
                ));
            }
        }

        let missions = || -> Result<Vec<MissionId>, FileError> {
            let m = cx.required(at, "mission", &self.mission)?;
            if m.value.0.is_empty() {
                return Err(cx.err(
                    m.referenced,
                    "mission",
                    FileErrorCode::InvalidValue,
                    "empty mission list",
                ));
            }
            m.value
                .0
                .iter()
                .map(|s| {
                    MissionId::new(s.clone()).map_err(|e| {
                        cx.err(
                            m.referenced,
                            "mission",
                            FileErrorCode::InvalidValue,
                            e.message(),
                        )
                    })
                })
                .collect()
        };
        let fact_id = |key: &str, v: &Option<S<String>>| -> Result<FactId, FileError> {
            cx.value(key, cx.required(at, key, v)?, |s| FactId::new(s))
        };
        let printed_paper = || -> Result<Option<PrintedPaperNo>, FileError> {
            self.printed_paper
                .as_ref()
                .map(|p| cx.value("printed_paper", p, |s| s.parse()))
                .transpose()
        };
        let terms = |period_required: bool| -> Result<MandateTerms, FileError> {
            let period = match &self.period {
                Some(p) => Some(cx.period("period", p)?),
                None if period_required => {
                    cx.required(at, "period", &self.period)?;
                    None
                }
                None => None,
            };
            let conditions = match &self.conditions {
                Some(c) => Conditions {
                    expires_if_ended: cx.refs(
                        "conditions.expires_if_ended",
                        c.value.expires_if_ended.as_deref().unwrap_or_default(),
                    )?,
                },
                None => Conditions::default(),
            };
            let costs = match &self.costs_eur {
                Some(c) if c.value.is_finite() && c.value >= 0.0 => {
                    Some((c.value * 100.0).round() as u64)
                }
                Some(c) => {
                    return Err(cx.err(
                        c.referenced,
                        "costs_eur",
                        FileErrorCode::InvalidValue,
                        "costs must be a non-negative number",
                    ));
                }
                None => None,
            };
            Ok(MandateTerms {
                missions: missions()?,
                ceiling: self.ceiling.as_ref().map(|c| cx.ceiling(c)).transpose()?,
                period,
                legal_bases: match &self.legal_bases {
                    Some(l) => cx.refs("legal_bases", &l.value)?,
                    None => Vec::new(),
                },
                dependency: match &self.dependency {
                    Some(d) => cx.choice(
                        "dependency",
                        d,
                        &[
                            ("strict", Dependency::Strict),
                            ("advisory", Dependency::Advisory),
                        ],
                    )?,
                    None => Dependency::Advisory,
                },
                conditions,
                overrun_permitted: self.overrun_permitted.as_ref().is_some_and(|b| b.value),
                area: self.area.as_ref().map(|a| a.value.clone()),
                costs_eur_cents: costs,
                printed_paper: printed_paper()?,
            })
        };

        let kind = match kind_s.value.as_str() {
            "legal_basis" => FactKind::LegalBasis {
                legal_ref: cx.value("ref", cx.required(at, "ref", &self.legal_ref)?, |s| {
                    LegalRef::new(s)
                })?,
                period: self
                    .period
                    .as_ref()
                    .map(|p| cx.period("period", p))
                    .transpose()?,
            },
            "legal_basis_ended" => FactKind::LegalBasisEnded {
                legal_ref: cx.value("ref", cx.required(at, "ref", &self.legal_ref)?, |s| {
                    LegalRef::new(s)
                })?,
            },
            "cabinet_decision" => {
                let (ceiling, period) = match &self.proposes {
                    Some(p) => (
                        p.value
                            .ceiling
                            .as_ref()
                            .map(|c| cx.ceiling(c))
                            .transpose()?,
                        p.value
                            .period
                            .as_ref()
                            .map(|x| cx.period("proposes.period", x))
                            .transpose()?,
                    ),
                    None => (None, None),
                };
                FactKind::CabinetDecision {
                    missions: missions()?,
                    ceiling,
                    period,
                }
            }
            "application_distributed" => FactKind::ApplicationDistributed {
                procedure: match &self.procedure {
                    Some(p) => cx.choice(
                        "procedure",
                        p,
                        &[
                            ("regular", Procedure::Regular),
                            ("simplified", Procedure::Simplified),
                            ("extension", Procedure::Extension),
                            ("retroactive", Procedure::Retroactive),
                        ],
                    )?,
                    None => Procedure::Regular,
                },
                terms: terms(false)?,
                extends: self
                    .extends
                    .as_ref()
                    .map(|e| cx.value("extends", e, |s| FactId::new(s)))
                    .transpose()?,
            },
            "debate_requested" => FactKind::DebateRequested {
                application: fact_id("application", &self.application)?,
                by: match (&self.by, &self.members) {
                    (Some(g), None) => DemandBy::Group(g.value.clone()),
                    (None, Some(m)) => DemandBy::Members(m.value),
                    (Some(_), Some(m)) => {
                        return Err(cx.err(
                            m.referenced,
                            "members",
                            FileErrorCode::UnexpectedKey,
                            "give either `by` or `members`, not both",
                        ));
                    }
                    (None, None) => {
                        return Err(cx.err(
                            at,
                            "by",
                            FileErrorCode::MissingKey,
                            "a debate demand needs `by: <group>` or `members: N`",
                        ));
                    }
                },
            },
            "vote" => FactKind::Vote {
                application: fact_id("application", &self.application)?,
                result: cx.choice(
                    "result",
                    cx.required(at, "result", &self.result)?,
                    &[
                        ("approved", VoteResult::Approved),
                        ("rejected", VoteResult::Rejected),
                    ],
                )?,
                tally: Tally {
                    yes: self.yes.as_ref().map(|v| v.value),
                    no: self.no.as_ref().map(|v| v.value),
                    abstain: self.abstain.as_ref().map(|v| v.value),
                },
                printed_paper: printed_paper()?,
            },
            "mandate_approved" => FactKind::MandateApproved {
                terms: terms(true)?,
                supersedes: match &self.supersedes {
                    Some(s) => s
                        .value
                        .iter()
                        .map(|x| cx.value("supersedes", x, |s| FactId::new(s)))
                        .collect::<Result<_, _>>()?,
                    None => Vec::new(),
                },
            },
            "deployment_started" => FactKind::DeploymentStarted {
                missions: missions()?,
            },
            "emergency_deployment_started" => FactKind::EmergencyDeploymentStarted {
                missions: missions()?,
            },
            "deployment_ended" => FactKind::DeploymentEnded {
                missions: missions()?,
            },
            "report" => FactKind::Report {
                missions: missions()?,
            },
            "authorization" => FactKind::Authorization {
                missions: missions()?,
            },
            "certification" => FactKind::Certification {
                missions: missions()?,
            },
            "revocation" => FactKind::Revocation {
                mandate: fact_id("mandate", &self.mandate)?,
            },
            "strength_report" => FactKind::StrengthReport {
                missions: missions()?,
                count: cx.required(at, "count", &self.count)?.value,
            },
            "classification" => FactKind::Classification {
                missions: missions()?,
                armed: cx.required(at, "armed", &self.armed)?.value,
                by: cx.required(at, "by", &self.by)?.value.clone(),
            },
            "sitting_days" => FactKind::SittingDays {
                dates: cx
                    .required(at, "dates", &self.dates)?
                    .value
                    .iter()
                    .map(|d| cx.value("dates", d, parse_date))
                    .collect::<Result<_, _>>()?,
            },
            "members" => FactKind::Members {
                count: cx.required(at, "count", &self.count)?.value,
            },
            "introduction" => FactKind::Introduction {
                missions: missions()?,
                category: cx.choice(
                    "category",
                    cx.required(at, "category", &self.category)?,
                    &[
                        ("4a1", WprCategory::Hostilities),
                        ("4a2", WprCategory::EquippedForCombat),
                        ("4a3", WprCategory::Enlargement),
                    ],
                )?,
            },
            "information_letter" => FactKind::InformationLetter {
                missions: missions()?,
                compelling_reasons: self.compelling_reasons.as_ref().is_some_and(|b| b.value),
            },
            other => {
                return Err(cx.err(
                    kind_s.referenced,
                    "kind",
                    FileErrorCode::InvalidValue,
                    format!("unknown fact kind `{other}`"),
                ));
            }
        };
        Ok(Fact {
            id,
            kind,
            valid,
            recorded,
            source,
        })
    }
}

/// A source entry as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawSource {
    pub id: S<String>,
    pub publisher: S<String>,
    pub title: S<String>,
    pub date: S<String>,
    pub url: Option<S<String>>,
    pub lang: S<String>,
    pub printed_paper: Option<S<String>>,
    pub document: Option<S<String>>,
}

/// Parses a publication date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
pub fn parse_partial_date(s: &str) -> Result<PartialDate, ValueError> {
    let bad = || {
        ValueError::new(format!(
            "invalid date `{s}`: expected YYYY-MM-DD, YYYY-MM or YYYY"
        ))
    };
    match s.len() {
        10 => parse_date(s).map(PartialDate::Day),
        7 => {
            let (y, m) = s.split_once('-').ok_or_else(bad)?;
            let year: i16 = y.parse().map_err(|_| bad())?;
            let month: i8 = m.parse().map_err(|_| bad())?;
            if y.len() != 4 || !(1..=12).contains(&month) {
                return Err(bad());
            }
            Ok(PartialDate::Month { year, month })
        }
        4 => s.parse().map(PartialDate::Year).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

impl RawSource {
    fn to_source(&self, file: &str) -> Result<Source, FileError> {
        let cx = Ctx { file };
        Ok(Source {
            id: cx.value("id", &self.id, |s| SourceId::new(s))?,
            publisher: self.publisher.value.clone(),
            title: self.title.value.clone(),
            date: cx.value("date", &self.date, parse_partial_date)?,
            url: self.url.as_ref().map(|u| u.value.clone()),
            lang: cx.choice("lang", &self.lang, &[("de", Lang::De), ("en", Lang::En)])?,
            printed_paper: self
                .printed_paper
                .as_ref()
                .map(|p| cx.value("printed_paper", p, |s| s.parse()))
                .transpose()?,
            document: self.document.as_ref().map(|d| d.value.clone()),
        })
    }
}

/// Validates raw facts, checks that ids are unique and that every fact id and source id they
/// refer to is defined (among these facts, or in `known_ids` from elsewhere).
pub fn resolve_facts(
    file: &str,
    raw: &[S<RawFact>],
    sources: &[Source],
    known_ids: &dyn Fn(&str) -> bool,
) -> Result<Vec<Fact>, FileError> {
    let mut seen: HashMap<&str, Location> = HashMap::new();
    let mut facts = Vec::with_capacity(raw.len());
    for r in raw {
        let fact = r.value.to_fact(file, r.referenced)?;
        if let Some(id) = &r.value.id
            && let Some(first) = seen.insert(id.value.as_str(), id.referenced)
        {
            return Err(FileError::at(
                file,
                id.referenced,
                Some("id"),
                FileErrorCode::DuplicateId,
                format!(
                    "fact id `{}` already defined on line {}",
                    id.value,
                    first.line()
                ),
            ));
        }
        if let (Some(Citation::Source { source, .. }), Some(s)) = (&fact.source, &r.value.source)
            && !sources.iter().any(|x| &x.id == source)
        {
            return Err(FileError::at(
                file,
                s.referenced,
                Some("source"),
                FileErrorCode::UndefinedSource,
                format!("undefined source `{source}`"),
            ));
        }
        facts.push(fact);
    }
    for r in raw {
        for (key, id) in r.value.references() {
            if !seen.contains_key(id.value.as_str()) && !known_ids(&id.value) {
                return Err(FileError::at(
                    file,
                    id.referenced,
                    Some(key),
                    FileErrorCode::UndefinedId,
                    format!("undefined fact id `{}`", id.value),
                ));
            }
        }
    }
    Ok(facts)
}

fn resolve_sources(file: &str, raw: &[RawSource]) -> Result<Vec<Source>, FileError> {
    let mut seen: HashMap<&str, u64> = HashMap::new();
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        if let Some(first) = seen.insert(r.id.value.as_str(), r.id.referenced.line()) {
            return Err(FileError::at(
                file,
                r.id.referenced,
                Some("id"),
                FileErrorCode::DuplicateId,
                format!("source id `{}` already defined on line {first}", r.id.value),
            ));
        }
        out.push(r.to_source(file)?);
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFactFile {
    #[serde(default)]
    about: Option<String>,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    facts: Vec<S<RawFact>>,
}

/// A parsed dataset file: its sources and facts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FactFile {
    /// The file name given to the parser.
    pub name: String,
    /// What the file covers: editorial text for readers, no facts.
    pub about: Option<String>,
    /// The sources cited.
    pub sources: Vec<Source>,
    /// The facts, in file order.
    pub facts: Vec<Fact>,
}

/// Parses a dataset fact file (`data/facts/<mission>.yaml`); `name` is used in error messages.
pub fn parse_fact_file(name: &str, yaml: &str) -> Result<FactFile, FileError> {
    parse_fact_file_with(name, yaml, &[], &|_| false).map(|(file, _)| file)
}

/// Where a fact of a parsed file is written, for errors found after parsing (a quote that is not
/// in its document): [`FileError::at`] takes it.
pub type FactLocation = serde_saphyr::Location;

/// Parses a file of facts to add to a registry that already holds `known_sources` and the facts
/// for whose ids `known_ids` is true: the file's facts may cite those sources and refer to those
/// facts. The file's own sources come first when a source id is in both. Returns, besides the
/// file, where each fact's citation (or the fact, if it has none) is written.
pub fn parse_fact_file_with(
    name: &str,
    yaml: &str,
    known_sources: &[Source],
    known_ids: &dyn Fn(&str) -> bool,
) -> Result<(FactFile, Vec<FactLocation>), FileError> {
    let raw: RawFactFile =
        serde_saphyr::from_str(yaml).map_err(|e| FileError::from_yaml_source(name, yaml, &e))?;
    let sources = resolve_sources(name, &raw.sources)?;
    let mut citable = sources.clone();
    citable.extend(
        known_sources
            .iter()
            .filter(|k| !sources.iter().any(|s| s.id == k.id))
            .cloned(),
    );
    let facts = resolve_facts(name, &raw.facts, &citable, known_ids)?;
    let at = raw
        .facts
        .iter()
        .map(|f| {
            f.value
                .source
                .as_ref()
                .map_or(f.referenced, |s| s.referenced)
        })
        .collect();
    Ok((
        FactFile {
            name: name.to_owned(),
            about: raw.about,
            sources,
            facts,
        },
        at,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    term: S<u8>,
    from: S<String>,
    count: S<u32>,
    source: Option<S<RawCitation>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSittingYear {
    year: S<i16>,
    dates: Vec<S<String>>,
    source: Option<S<RawCitation>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendarFile {
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    members: Vec<RawTerm>,
    #[serde(default)]
    sitting_days: Vec<RawSittingYear>,
}

/// A parsed calendar file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CalendarFile {
    /// The sources cited.
    pub sources: Vec<Source>,
    /// Members per term and sitting days.
    pub calendar: Calendar,
}

fn citation(
    file: &str,
    sources: &[Source],
    c: &Option<S<RawCitation>>,
) -> Result<Option<Citation>, FileError> {
    let Some(c) = c else { return Ok(None) };
    match &c.value {
        RawCitation::Text(t) => Ok(Some(Citation::Text(t.clone()))),
        RawCitation::Ref {
            source,
            quote,
            note,
        } => {
            let err =
                |code, msg: String| FileError::at(file, c.referenced, Some("source"), code, msg);
            let id = SourceId::new(source.clone())
                .map_err(|e| err(FileErrorCode::InvalidValue, e.message().to_owned()))?;
            if !sources.iter().any(|s| s.id == id) {
                return Err(err(
                    FileErrorCode::UndefinedSource,
                    format!("undefined source `{id}`"),
                ));
            }
            Ok(Some(Citation::Source {
                source: id,
                quote: quote.clone(),
                note: note.clone(),
            }))
        }
    }
}

/// Parses `data/calendar.yaml`: members per electoral term and sitting days, with sources.
pub fn parse_calendar_file(name: &str, yaml: &str) -> Result<CalendarFile, FileError> {
    let raw: RawCalendarFile =
        serde_saphyr::from_str(yaml).map_err(|e| FileError::from_yaml_source(name, yaml, &e))?;
    let sources = resolve_sources(name, &raw.sources)?;
    let cx = Ctx { file: name };
    let mut calendar = Calendar::new();
    for t in &raw.members {
        calendar.add_term(Term {
            term: t.term.value,
            from: cx.value("from", &t.from, parse_date)?,
            count: t.count.value,
            source: citation(name, &sources, &t.source)?,
        });
    }
    for y in &raw.sitting_days {
        citation(name, &sources, &y.source)?;
        let mut days = Vec::with_capacity(y.dates.len());
        for d in &y.dates {
            let day = cx.value("dates", d, parse_date)?;
            if day.year() != y.year.value {
                return Err(cx.err(
                    d.referenced,
                    "dates",
                    FileErrorCode::InvalidValue,
                    format!("{day} is not in year {}", y.year.value),
                ));
            }
            days.push(day);
        }
        calendar.add_sitting_days(days);
    }
    Ok(CalendarFile { sources, calendar })
}

/// Members per electoral term, 13th to 21st term, as shipped data (a `members` fact or a
/// calendar file overrides them).
pub fn known_terms() -> Calendar {
    const TERMS_YAML: &str = include_str!("terms.yaml");
    parse_calendar_file("terms.yaml", TERMS_YAML)
        .map(|c| c.calendar)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(yaml: &str) -> FileError {
        parse_fact_file("f.yaml", yaml).unwrap_err()
    }

    #[test]
    fn parses_a_dataset_file() {
        let y = "sources:\n  - {id: s1, publisher: BPA, title: KFOR, date: 2025-05, lang: de, printed_paper: \"21/123\"}\nfacts:\n  - id: m1\n    kind: mandate_approved\n    mission: [Counter Daesh, NATO Mission Iraq]\n    valid: 2025-06-05\n    ceiling: 500\n    period: {from: 2025-06-05, until: 2026-01-31}\n    costs_eur: 3100000.5\n    source: {ref: s1, quote: \"bis zu 500\"}\n";
        let f = parse_fact_file("iraq.yaml", y).unwrap();
        assert_eq!(f.facts.len(), 1);
        assert_eq!(f.facts[0].kind.missions().len(), 2);
        match &f.facts[0].kind {
            FactKind::MandateApproved { terms, .. } => {
                assert_eq!(terms.costs_eur_cents, Some(310_000_050))
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let e = err(
            "facts:\n  - id: a\n    kind: members\n    valid: 2025-01-01\n    count: 630\n    colour: red\n",
        );
        assert_eq!(
            (e.line, e.key.as_deref(), e.code),
            (6, Some("colour"), FileErrorCode::UnknownKey)
        );
    }

    #[test]
    fn bad_date_names_line_and_key() {
        let e =
            err("facts:\n  - id: a\n    kind: members\n    valid: 2025-06-31\n    count: 630\n");
        assert_eq!(
            (e.line, e.key.as_deref(), e.code),
            (4, Some("valid"), FileErrorCode::InvalidValue)
        );
        assert!(e.to_string().starts_with("f.yaml:4:"), "{e}");
    }

    #[test]
    fn undefined_reference_names_line_and_id() {
        let e = err("facts:\n  - {id: r, kind: revocation, valid: 2026-09-10, mandate: nope}\n");
        assert_eq!(
            (e.line, e.key.as_deref(), e.code),
            (2, Some("mandate"), FileErrorCode::UndefinedId)
        );
        assert!(e.message.contains("nope"));
        let e = err(
            "facts:\n  - {id: r, kind: members, valid: 2026-09-10, count: 1, source: {ref: x}}\n",
        );
        assert_eq!(e.code, FileErrorCode::UndefinedSource);
    }

    #[test]
    fn key_of_another_kind_is_rejected() {
        let e = err(
            "facts:\n  - id: a\n    kind: members\n    valid: 2025-01-01\n    count: 630\n    ceiling: 3\n",
        );
        assert_eq!(
            (e.line, e.key.as_deref(), e.code),
            (6, Some("ceiling"), FileErrorCode::UnexpectedKey)
        );
    }

    #[test]
    fn duplicate_ids_are_errors_but_equal_content_is_kept() {
        let e = err(
            "facts:\n  - {id: a, kind: members, valid: 2025-01-01, count: 630}\n  - {id: a, kind: members, valid: 2025-01-01, count: 630}\n",
        );
        assert_eq!(e.code, FileErrorCode::DuplicateId);
        let ok = parse_fact_file("f", "facts:\n  - {id: a, kind: members, valid: 2025-01-01, count: 630}\n  - {id: b, kind: members, valid: 2025-01-01, count: 630}\n").unwrap();
        assert_eq!(ok.facts.len(), 2);
    }

    #[test]
    fn wrong_type_names_the_key() {
        let e = err("facts:\n  - {id: a, kind: members, valid: 2025-01-01, count: many}\n");
        assert_eq!(
            (e.line, e.key.as_deref(), e.code),
            (2, Some("count"), FileErrorCode::InvalidValue),
            "{e}"
        );
    }

    #[test]
    fn syntax_error_has_a_position() {
        let e = err("facts:\n  - {id: a, kind: members\n");
        assert!(e.line >= 2, "{e}");
    }

    #[test]
    fn known_terms_include_the_21st() {
        let c = known_terms();
        assert_eq!(
            c.term_on(jiff::civil::date(2025, 12, 19))
                .map(|t| (t.term, t.count)),
            Some((21, 630))
        );
    }
}
