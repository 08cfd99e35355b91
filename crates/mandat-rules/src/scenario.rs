//! Scenario files: facts plus queries with expectations, the rule packs' tests and a user
//! feature ("what if?").

use std::collections::BTreeMap;

use mandat_core::file::{RawFact, resolve_facts};
use mandat_core::{
    Ceiling, Fact, FactId, FileError, FileErrorCode, MissionId, Registry, RegistryError, TimePoint,
};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::options::{Options, Pack};
use crate::validation::{MissingItem, validate};
use crate::verdict::{Basis, CheckOutcome, Query, Status, Verdict, WarningCode};

type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    status: Option<S<String>>,
    ceiling: Option<S<u32>>,
    mandate: Option<S<String>>,
    basis: Option<S<String>>,
    check: Option<S<String>>,
    deadline: Option<S<String>>,
    warnings: Option<Vec<S<String>>>,
    contested: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuery {
    mission: S<String>,
    on: S<String>,
    as_of: Option<S<String>>,
    expect: S<RawExpect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    fact: S<String>,
    item: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: S<String>,
    pack: S<String>,
    options: Option<BTreeMap<String, S<String>>>,
    #[serde(default)]
    facts: Vec<S<RawFact>>,
    #[serde(default)]
    queries: Vec<S<RawQuery>>,
    #[serde(default)]
    findings: Vec<S<RawFinding>>,
}

/// What a query expects; every key is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Expect {
    /// Status.
    pub status: Option<Status>,
    /// Ceiling in force.
    pub ceiling: Option<Ceiling>,
    /// Covering mandate or application.
    pub mandate: Option<FactId>,
    /// Basis.
    pub basis: Option<Basis>,
    /// Ceiling check outcome.
    pub check: Option<CheckOutcome>,
    /// Next procedural deadline.
    pub deadline: Option<TimePoint>,
    /// Warning codes that must be present.
    pub warnings: Vec<WarningCode>,
    /// Whether the outcome is contested.
    pub contested: Option<bool>,
}

/// One query of a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioQuery {
    /// The query.
    pub query: Query,
    /// What it expects.
    pub expect: Expect,
    /// Line of the query in the file.
    pub line: u64,
}

/// An expected § 3(2) finding (optional `findings:` list, an extension of the query format).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectedFinding {
    /// The application.
    pub fact: FactId,
    /// The missing item.
    pub item: MissingItem,
    /// Line in the file.
    pub line: u64,
}

/// A parsed scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// File name given to the parser.
    pub file: String,
    /// Scenario name.
    pub name: String,
    /// Rule pack.
    pub pack: Pack,
    /// Interpretation options (pack included).
    pub options: Options,
    /// Facts.
    pub facts: Vec<Fact>,
    /// Queries.
    pub queries: Vec<ScenarioQuery>,
    /// Expected § 3(2) findings.
    pub findings: Vec<ExpectedFinding>,
}

fn invalid(
    file: &str,
    loc: serde_saphyr::Location,
    key: &str,
    msg: impl Into<String>,
) -> FileError {
    FileError::at(file, loc, Some(key), FileErrorCode::InvalidValue, msg)
}

fn choice<T: Copy>(
    file: &str,
    key: &str,
    s: &S<String>,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Result<T, FileError> {
    parse(&s.value).ok_or_else(|| {
        invalid(
            file,
            s.referenced,
            key,
            format!("unknown {what} `{}`", s.value),
        )
    })
}

fn time(file: &str, key: &str, s: &S<String>) -> Result<TimePoint, FileError> {
    s.value
        .parse()
        .map_err(|e: mandat_core::ValueError| invalid(file, s.referenced, key, e.message()))
}

/// Parses a scenario file; `name` is used in errors, which name file, line, column and key.
pub fn parse_scenario(name: &str, yaml: &str) -> Result<Scenario, FileError> {
    let raw: RawScenario =
        serde_saphyr::from_str(yaml).map_err(|e| FileError::from_yaml_source(name, yaml, &e))?;
    let pack = choice(
        name,
        "pack",
        &raw.pack,
        Pack::from_name,
        "pack (expected de, us-wpr or nl)",
    )?;
    let mut options = Options {
        pack,
        ..Options::default()
    };
    for (k, v) in raw.options.iter().flatten() {
        options
            .set(k, &v.value)
            .map_err(|e| invalid(name, v.referenced, k, e.to_string()))?;
    }
    let facts = resolve_facts(name, &raw.facts, &[], &|_| false)?;
    let defined = |id: &str| facts.iter().any(|f| f.id.as_str() == id);
    let mut queries = Vec::with_capacity(raw.queries.len());
    for q in &raw.queries {
        let r = &q.value;
        let mission = MissionId::new(r.mission.value.clone())
            .map_err(|e| invalid(name, r.mission.referenced, "mission", e.message()))?;
        let e = &r.expect.value;
        let status = e
            .status
            .as_ref()
            .map(|s| {
                let st = choice(name, "status", s, Status::from_name, "status")?;
                if st.pack() != pack {
                    return Err(invalid(
                        name,
                        s.referenced,
                        "status",
                        format!(
                            "status `{st}` belongs to pack {}, not {}",
                            st.pack().name(),
                            pack.name()
                        ),
                    ));
                }
                Ok(st)
            })
            .transpose()?;
        let mandate = e
            .mandate
            .as_ref()
            .map(|m| {
                if !defined(&m.value) {
                    return Err(FileError::at(
                        name,
                        m.referenced,
                        Some("mandate"),
                        FileErrorCode::UndefinedId,
                        format!("undefined fact id `{}`", m.value),
                    ));
                }
                FactId::new(m.value.clone())
                    .map_err(|x| invalid(name, m.referenced, "mandate", x.message()))
            })
            .transpose()?;
        let expect = Expect {
            status,
            ceiling: e
                .ceiling
                .as_ref()
                .map(|c| {
                    Ceiling::new(c.value)
                        .map_err(|x| invalid(name, c.referenced, "ceiling", x.message()))
                })
                .transpose()?,
            mandate,
            basis: e
                .basis
                .as_ref()
                .map(|b| {
                    choice(
                        name,
                        "basis",
                        b,
                        |s| {
                            [
                                Basis::Approved,
                                Basis::Deemed,
                                Basis::Bridge,
                                Basis::Retroactive,
                            ]
                            .into_iter()
                            .find(|x| x.name() == s)
                        },
                        "basis",
                    )
                })
                .transpose()?,
            check: e
                .check
                .as_ref()
                .map(|c| {
                    choice(
                        name,
                        "check",
                        c,
                        |s| {
                            [
                                CheckOutcome::Ok,
                                CheckOutcome::Exceeded,
                                CheckOutcome::ExceededPermitted,
                            ]
                            .into_iter()
                            .find(|x| x.name() == s)
                        },
                        "check",
                    )
                })
                .transpose()?,
            deadline: e
                .deadline
                .as_ref()
                .map(|d| time(name, "deadline", d))
                .transpose()?,
            warnings: e
                .warnings
                .iter()
                .flatten()
                .map(|w| choice(name, "warnings", w, WarningCode::from_name, "warning code"))
                .collect::<Result<_, _>>()?,
            contested: e.contested.as_ref().map(|c| c.value),
        };
        queries.push(ScenarioQuery {
            query: Query {
                mission,
                on: time(name, "on", &r.on)?,
                as_of: r
                    .as_of
                    .as_ref()
                    .map(|t| time(name, "as_of", t))
                    .transpose()?,
            },
            expect,
            line: q.referenced.line(),
        });
    }
    let mut findings = Vec::new();
    for f in &raw.findings {
        if !defined(&f.value.fact.value) {
            return Err(FileError::at(
                name,
                f.value.fact.referenced,
                Some("fact"),
                FileErrorCode::UndefinedId,
                format!("undefined fact id `{}`", f.value.fact.value),
            ));
        }
        findings.push(ExpectedFinding {
            fact: FactId::new(f.value.fact.value.clone())
                .map_err(|x| invalid(name, f.value.fact.referenced, "fact", x.message()))?,
            item: choice(
                name,
                "item",
                &f.value.item,
                MissingItem::from_name,
                "§ 3(2) item",
            )?,
            line: f.referenced.line(),
        });
    }
    Ok(Scenario {
        file: name.to_owned(),
        name: raw.name.value,
        pack,
        options,
        facts,
        queries,
        findings,
    })
}

/// One expectation key compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyCheck {
    /// The key (`status`, `ceiling`, ...).
    pub key: &'static str,
    /// Expected value.
    pub expected: String,
    /// Actual value.
    pub got: String,
    /// Met or not.
    pub pass: bool,
}

/// The result of one scenario query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueryOutcome {
    /// The query as written.
    pub query: ScenarioQuery,
    /// The verdict.
    pub verdict: Verdict,
    /// One entry per expected key.
    pub checks: Vec<KeyCheck>,
}

impl QueryOutcome {
    /// True when every expectation is met.
    pub fn pass(&self) -> bool {
        self.checks.iter().all(|c| c.pass)
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |x| x.to_string())
}

impl Scenario {
    /// The registry of the scenario's facts (with the known electoral terms).
    pub fn registry(&self) -> Result<Registry, RegistryError> {
        Registry::from_facts(self.facts.iter().cloned())
    }
}

/// Runs every query of a scenario and compares each expected key.
pub fn check_scenario(s: &Scenario) -> Result<Vec<QueryOutcome>, RegistryError> {
    let reg = s.registry()?;
    Ok(s.queries
        .iter()
        .map(|sq| {
            let v = crate::evaluate(&reg, &sq.query, &s.options);
            let e = &sq.expect;
            let mut checks = Vec::new();
            let mut push = |key, expected: String, got: String, pass| {
                checks.push(KeyCheck {
                    key,
                    expected,
                    got,
                    pass,
                })
            };
            if let Some(x) = e.status {
                push("status", x.to_string(), v.status.to_string(), x == v.status);
            }
            if let Some(x) = e.ceiling {
                push(
                    "ceiling",
                    x.to_string(),
                    opt(v.ceiling),
                    Some(x) == v.ceiling,
                );
            }
            if let Some(x) = &e.mandate {
                push(
                    "mandate",
                    x.to_string(),
                    opt(v.mandate.as_ref()),
                    Some(x) == v.mandate.as_ref(),
                );
            }
            if let Some(x) = e.basis {
                push(
                    "basis",
                    x.name().to_owned(),
                    opt(v.basis.map(Basis::name)),
                    Some(x) == v.basis,
                );
            }
            if let Some(x) = e.check {
                let got = v.check.as_ref().map(|c| c.outcome);
                push(
                    "check",
                    x.name().to_owned(),
                    opt(got.map(CheckOutcome::name)),
                    Some(x) == got,
                );
            }
            if let Some(x) = e.deadline {
                let got = v.deadline.as_ref().map(|d| d.at);
                // An instant and a day are the same deadline only when written the same way;
                // compare instants by instant so offsets may differ.
                let same =
                    got.is_some_and(|g| g == x || (g.start() == x.start() && g.end() == x.end()));
                push("deadline", x.to_string(), opt(got), same);
            }
            for w in &e.warnings {
                push(
                    "warnings",
                    w.name().to_owned(),
                    v.warnings
                        .iter()
                        .map(|x| x.code.name())
                        .collect::<Vec<_>>()
                        .join(","),
                    v.has_warning(*w),
                );
            }
            if let Some(x) = e.contested {
                push(
                    "contested",
                    x.to_string(),
                    v.contested().to_string(),
                    x == v.contested(),
                );
            }
            QueryOutcome {
                query: sq.clone(),
                verdict: v,
                checks,
            }
        })
        .collect())
}

/// An expected finding compared with the § 3(2) validation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingOutcome {
    /// What was expected.
    pub expected: ExpectedFinding,
    /// Found or not.
    pub pass: bool,
}

/// Compares the scenario's expected findings with [`validate`].
pub fn check_findings(s: &Scenario) -> Vec<FindingOutcome> {
    let found = validate(&s.facts);
    s.findings
        .iter()
        .map(|e| FindingOutcome {
            expected: e.clone(),
            pass: found.iter().any(|f| f.fact == e.fact && f.item == e.item),
        })
        .collect()
}
