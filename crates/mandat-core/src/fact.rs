//! Facts: claims from sources with a valid time and a recorded time.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ids::{Ceiling, FactId, LegalRef, MissionId, PrintedPaperNo, SourceId};
use crate::period::Period;
use crate::time::TimePoint;

/// Where a fact comes from: free text (scenarios) or a pointer into the dataset's sources with
/// the quoted span that states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Citation {
    /// Free text such as `bundestag.de, Textarchiv 2018`.
    Text(String),
    /// A source of the dataset, with an optional verbatim quote and note.
    Source {
        /// The source id.
        #[serde(rename = "ref")]
        source: SourceId,
        /// A short verbatim span of the source.
        quote: Option<String>,
        /// An editor's note.
        note: Option<String>,
    },
}

/// A publication date that may be known only to the month or year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartialDate {
    /// `YYYY-MM-DD`
    Day(Date),
    /// `YYYY-MM`
    Month { year: i16, month: i8 },
    /// `YYYY`
    Year(i16),
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartialDate::Day(d) => write!(f, "{d}"),
            PartialDate::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            PartialDate::Year(y) => write!(f, "{y:04}"),
        }
    }
}

/// A language mandat reads: of a source, a stored document, an extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// German
    De,
    /// English
    En,
}

impl Lang {
    /// `de` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// `de` or `en`; anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A source document entry of a dataset file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Unique across the dataset.
    pub id: SourceId,
    /// Who published it.
    pub publisher: String,
    /// Its title.
    pub title: String,
    /// Publication date.
    pub date: PartialDate,
    /// Where it is published online.
    pub url: Option<String>,
    /// Its language.
    pub lang: Lang,
    /// The Bundestag printed paper it is, if any.
    pub printed_paper: Option<PrintedPaperNo>,
    /// Path of the bundled copy below `data/documents/`.
    pub document: Option<String>,
}

/// How a mandate depends on its legal bases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dependency {
    /// The mandate ends to have effect when a legal basis ends.
    Strict,
    /// A legal basis ending is a warning; the mandate stands.
    #[default]
    Advisory,
}

/// Conditions written into a mandate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditions {
    /// The authorisation expires when one of these legal bases ends.
    pub expires_if_ended: Vec<LegalRef>,
}

/// The terms of a mandate or of an application for one (the § 3(2) ParlBG items we model).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateTerms {
    /// The missions covered (one mandate may cover several).
    pub missions: Vec<MissionId>,
    /// Maximum number of soldiers.
    pub ceiling: Option<Ceiling>,
    /// Planned duration.
    pub period: Option<Period>,
    /// Legal bases.
    pub legal_bases: Vec<LegalRef>,
    /// Strict or advisory dependency on the legal bases.
    pub dependency: Dependency,
    /// Written conditions.
    pub conditions: Conditions,
    /// Temporary overruns of the ceiling are permitted (rotation, named operations).
    pub overrun_permitted: bool,
    /// Area of operations (dataset).
    pub area: Option<String>,
    /// Expected costs in euro cents (dataset).
    pub costs_eur_cents: Option<u64>,
    /// Printed paper of the application (dataset).
    pub printed_paper: Option<PrintedPaperNo>,
}

/// Procedure of an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Plenary vote.
    Regular,
    /// § 4 ParlBG: deemed approved unless a debate is demanded.
    Simplified,
    /// Extension of a mandate (§ 7 ParlBG), decided by vote.
    Extension,
    /// § 5 ParlBG: application after an emergency deployment started.
    Retroactive,
}

/// Who demanded a debate in the § 4 procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandBy {
    /// A parliamentary group (the name as given, `group` when unnamed).
    Group(String),
    /// A number of members.
    Members(u32),
}

/// Outcome of a vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteResult {
    /// Approved.
    Approved,
    /// Rejected.
    Rejected,
}

/// Recorded votes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Yes votes.
    pub yes: Option<u32>,
    /// No votes.
    pub no: Option<u32>,
    /// Abstentions.
    pub abstain: Option<u32>,
}

/// War Powers Resolution § 4(a) categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WprCategory {
    /// 4(a)(1): into hostilities (starts the 60-day clock).
    #[serde(rename = "4a1")]
    Hostilities,
    /// 4(a)(2): into foreign territory equipped for combat.
    #[serde(rename = "4a2")]
    EquippedForCombat,
    /// 4(a)(3): substantially enlarging such forces.
    #[serde(rename = "4a3")]
    Enlargement,
}

/// What a fact says, with the data of each kind of the shared vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FactKind {
    /// A legal instrument in force (UN resolution, EU decision, ...).
    LegalBasis {
        /// Canonical id.
        legal_ref: LegalRef,
        /// When it holds.
        period: Option<Period>,
    },
    /// A legal instrument ends to have effect on the fact's valid day.
    LegalBasisEnded {
        /// Canonical id.
        legal_ref: LegalRef,
    },
    /// The cabinet decided to propose a mandate.
    CabinetDecision {
        /// Missions concerned.
        missions: Vec<MissionId>,
        /// Proposed ceiling.
        ceiling: Option<Ceiling>,
        /// Proposed period.
        period: Option<Period>,
    },
    /// The government's application was distributed as a printed paper.
    ApplicationDistributed {
        /// Procedure.
        procedure: Procedure,
        /// The terms applied for.
        terms: MandateTerms,
        /// The mandate it extends.
        extends: Option<FactId>,
    },
    /// A debate was demanded in the § 4 procedure.
    DebateRequested {
        /// The application.
        application: FactId,
        /// Who demanded.
        by: DemandBy,
    },
    /// The Bundestag voted on an application.
    Vote {
        /// The application.
        application: FactId,
        /// Result.
        result: VoteResult,
        /// Recorded votes.
        tally: Tally,
        /// Printed paper of the recommendation (dataset).
        printed_paper: Option<PrintedPaperNo>,
    },
    /// Shorthand for an approved application.
    MandateApproved {
        /// The approved terms.
        terms: MandateTerms,
        /// Mandates this one replaces.
        supersedes: Vec<FactId>,
    },
    /// A deployment started.
    DeploymentStarted {
        /// Missions.
        missions: Vec<MissionId>,
    },
    /// A deployment started without prior approval (§ 5 ParlBG, imminent danger).
    EmergencyDeploymentStarted {
        /// Missions.
        missions: Vec<MissionId>,
    },
    /// A deployment ended.
    DeploymentEnded {
        /// Missions.
        missions: Vec<MissionId>,
    },
    /// The Bundestag revoked an approval (§ 8 ParlBG).
    Revocation {
        /// The revoked mandate (a `mandate_approved` or an approved application).
        mandate: FactId,
    },
    /// Deployed strength.
    StrengthReport {
        /// Missions.
        missions: Vec<MissionId>,
        /// Soldiers deployed.
        count: u32,
    },
    /// A party's claim whether the deployment is armed (§ 2 ParlBG) or hostilities (WPR).
    Classification {
        /// Missions.
        missions: Vec<MissionId>,
        /// Armed or not.
        armed: bool,
        /// Who claims it.
        by: String,
    },
    /// Plenary sitting days.
    SittingDays {
        /// The days.
        dates: Vec<Date>,
    },
    /// Members of the Bundestag in the current term.
    Members {
        /// How many.
        count: u32,
    },
    /// US: forces introduced (WPR § 4(a)).
    Introduction {
        /// Missions.
        missions: Vec<MissionId>,
        /// Category.
        category: WprCategory,
    },
    /// US: the President's report to Congress.
    Report {
        /// Missions.
        missions: Vec<MissionId>,
    },
    /// US: a declaration of war or specific statutory authorisation.
    Authorization {
        /// Missions.
        missions: Vec<MissionId>,
    },
    /// US: written certification of unavoidable military necessity (30-day withdrawal).
    Certification {
        /// Missions.
        missions: Vec<MissionId>,
    },
    /// NL: letter to parliament under Art. 100 of the Constitution.
    InformationLetter {
        /// Missions.
        missions: Vec<MissionId>,
        /// Compelling reasons prevented informing in advance.
        compelling_reasons: bool,
    },
}

impl FactKind {
    /// The vocabulary name of the kind (`mandate_approved`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            FactKind::LegalBasis { .. } => "legal_basis",
            FactKind::LegalBasisEnded { .. } => "legal_basis_ended",
            FactKind::CabinetDecision { .. } => "cabinet_decision",
            FactKind::ApplicationDistributed { .. } => "application_distributed",
            FactKind::DebateRequested { .. } => "debate_requested",
            FactKind::Vote { .. } => "vote",
            FactKind::MandateApproved { .. } => "mandate_approved",
            FactKind::DeploymentStarted { .. } => "deployment_started",
            FactKind::EmergencyDeploymentStarted { .. } => "emergency_deployment_started",
            FactKind::DeploymentEnded { .. } => "deployment_ended",
            FactKind::Revocation { .. } => "revocation",
            FactKind::StrengthReport { .. } => "strength_report",
            FactKind::Classification { .. } => "classification",
            FactKind::SittingDays { .. } => "sitting_days",
            FactKind::Members { .. } => "members",
            FactKind::Introduction { .. } => "introduction",
            FactKind::Report { .. } => "report",
            FactKind::Authorization { .. } => "authorization",
            FactKind::Certification { .. } => "certification",
            FactKind::InformationLetter { .. } => "information_letter",
        }
    }

    /// The missions the fact names directly (facts about an application or mandate name none:
    /// the registry indexes them under the missions of the fact they refer to).
    pub fn missions(&self) -> &[MissionId] {
        match self {
            FactKind::CabinetDecision { missions, .. }
            | FactKind::DeploymentStarted { missions }
            | FactKind::EmergencyDeploymentStarted { missions }
            | FactKind::DeploymentEnded { missions }
            | FactKind::StrengthReport { missions, .. }
            | FactKind::Classification { missions, .. }
            | FactKind::Introduction { missions, .. }
            | FactKind::Report { missions }
            | FactKind::Authorization { missions }
            | FactKind::Certification { missions }
            | FactKind::InformationLetter { missions, .. } => missions,
            FactKind::ApplicationDistributed { terms, .. }
            | FactKind::MandateApproved { terms, .. } => &terms.missions,
            FactKind::LegalBasis { .. }
            | FactKind::LegalBasisEnded { .. }
            | FactKind::DebateRequested { .. }
            | FactKind::Vote { .. }
            | FactKind::Revocation { .. }
            | FactKind::SittingDays { .. }
            | FactKind::Members { .. } => &[],
        }
    }

    /// The fact ids this fact refers to, with the key that holds each.
    pub fn references(&self) -> Vec<(&'static str, &FactId)> {
        match self {
            FactKind::ApplicationDistributed { extends, .. } => {
                extends.iter().map(|e| ("extends", e)).collect()
            }
            FactKind::DebateRequested { application, .. } | FactKind::Vote { application, .. } => {
                vec![("application", application)]
            }
            FactKind::MandateApproved { supersedes, .. } => {
                supersedes.iter().map(|s| ("supersedes", s)).collect()
            }
            FactKind::Revocation { mandate } => vec![("mandate", mandate)],
            FactKind::LegalBasis { .. }
            | FactKind::LegalBasisEnded { .. }
            | FactKind::CabinetDecision { .. }
            | FactKind::DeploymentStarted { .. }
            | FactKind::EmergencyDeploymentStarted { .. }
            | FactKind::DeploymentEnded { .. }
            | FactKind::StrengthReport { .. }
            | FactKind::Classification { .. }
            | FactKind::SittingDays { .. }
            | FactKind::Members { .. }
            | FactKind::Introduction { .. }
            | FactKind::Report { .. }
            | FactKind::Authorization { .. }
            | FactKind::Certification { .. }
            | FactKind::InformationLetter { .. } => Vec::new(),
        }
    }
}

/// A claim: what (`kind`), when it is true (`valid`), when it was learned (`recorded`), and from
/// which source. Two facts saying different things about the same event both stay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// Unique id.
    pub id: FactId,
    /// What the fact says.
    #[serde(flatten)]
    pub kind: FactKind,
    /// Valid time.
    pub valid: TimePoint,
    /// Knowledge time.
    pub recorded: TimePoint,
    /// Where it comes from.
    pub source: Option<Citation>,
}

impl Fact {
    /// True when the fact was recorded on or before the knowledge time (`None`: everything).
    pub fn known_at(&self, as_of: Option<&TimePoint>) -> bool {
        as_of.is_none_or(|t| self.recorded.visible_at(t))
    }
}

/// One field that changed from a mandate to its successor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "field")]
pub enum MandateChange {
    /// The ceiling changed.
    Ceiling {
        /// Before.
        from: Option<Ceiling>,
        /// After.
        to: Option<Ceiling>,
    },
    /// The period changed.
    Period {
        /// Before.
        from: Option<Period>,
        /// After.
        to: Option<Period>,
    },
    /// Legal bases were added or removed.
    LegalBases {
        /// Added.
        added: Vec<LegalRef>,
        /// Removed.
        removed: Vec<LegalRef>,
    },
    /// Dependency, conditions or overrun permission changed.
    Conditions {
        /// Before.
        from: (Dependency, Conditions, bool),
        /// After.
        to: (Dependency, Conditions, bool),
    },
    /// The area changed.
    Area {
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// Expected costs changed (euro cents).
    Costs {
        /// Before.
        from: Option<u64>,
        /// After.
        to: Option<u64>,
    },
    /// The covered missions changed.
    Missions {
        /// Added.
        added: Vec<MissionId>,
        /// Removed.
        removed: Vec<MissionId>,
    },
}

fn set_diff<T: Clone + PartialEq>(a: &[T], b: &[T]) -> (Vec<T>, Vec<T>) {
    let added = b.iter().filter(|x| !a.contains(x)).cloned().collect();
    let removed = a.iter().filter(|x| !b.contains(x)).cloned().collect();
    (added, removed)
}

/// What changed from mandate `a` to its successor `b`; empty when nothing did.
pub fn mandate_diff(a: &MandateTerms, b: &MandateTerms) -> Vec<MandateChange> {
    let mut out = Vec::new();
    if a.ceiling != b.ceiling {
        out.push(MandateChange::Ceiling {
            from: a.ceiling,
            to: b.ceiling,
        });
    }
    if a.period != b.period {
        out.push(MandateChange::Period {
            from: a.period,
            to: b.period,
        });
    }
    let (added, removed) = set_diff(&a.legal_bases, &b.legal_bases);
    if !added.is_empty() || !removed.is_empty() {
        out.push(MandateChange::LegalBases { added, removed });
    }
    let ca = (a.dependency, a.conditions.clone(), a.overrun_permitted);
    let cb = (b.dependency, b.conditions.clone(), b.overrun_permitted);
    if ca != cb {
        out.push(MandateChange::Conditions { from: ca, to: cb });
    }
    if a.area != b.area {
        out.push(MandateChange::Area {
            from: a.area.clone(),
            to: b.area.clone(),
        });
    }
    if a.costs_eur_cents != b.costs_eur_cents {
        out.push(MandateChange::Costs {
            from: a.costs_eur_cents,
            to: b.costs_eur_cents,
        });
    }
    let (added, removed) = set_diff(&a.missions, &b.missions);
    if !added.is_empty() || !removed.is_empty() {
        out.push(MandateChange::Missions { added, removed });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_ceiling_and_bases() {
        let a = MandateTerms {
            missions: vec![MissionId::new("KFOR").unwrap()],
            ceiling: Some(Ceiling::new(800).unwrap()),
            legal_bases: vec![LegalRef::new("UNSC 1244").unwrap()],
            ..MandateTerms::default()
        };
        let mut b = a.clone();
        assert!(mandate_diff(&a, &b).is_empty());
        b.ceiling = Some(Ceiling::new(400).unwrap());
        b.legal_bases
            .push(LegalRef::new("NATO decision 1999-01-30").unwrap());
        let d = mandate_diff(&a, &b);
        assert_eq!(d.len(), 2);
        assert!(matches!(&d[0], MandateChange::Ceiling { to: Some(c), .. } if c.get() == 400));
        assert!(
            matches!(&d[1], MandateChange::LegalBases { added, removed } if added.len() == 1 && removed.is_empty())
        );
    }
}
