//! Queries, verdicts and explanation trees.

use std::fmt;

use mandat_core::{Ceiling, Citation, Fact, FactId, MissionId, TimePoint};
use serde::{Deserialize, Serialize};

use crate::options::Pack;

/// A question: the status of `mission` on `on`, using only facts recorded on or before `as_of`
/// (`None`: everything recorded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// The mission.
    pub mission: MissionId,
    /// Valid time of the question.
    pub on: TimePoint,
    /// Knowledge time.
    pub as_of: Option<TimePoint>,
}

/// Status values of all packs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// de: covered by an approved, deemed, bridged or retroactive approval.
    Covered,
    /// de: emergency deployment (§ 5), no vote yet.
    Provisional,
    /// de: an application is before the Bundestag.
    Pending,
    /// de: no coverage.
    NotCovered,
    /// de: the last covering mandate's period ended.
    Expired,
    /// de: approval revoked (§ 8).
    Revoked,
    /// de: retroactive application rejected (§ 5(3)): the deployment must end.
    MustTerminate,
    /// de: emergency deployment ended before parliament could be involved (BVerfGE 140, 160).
    EndedNoApprovalNeeded,
    /// de: not an armed deployment (§ 2).
    NotRequired,
    /// us-wpr: declaration of war or specific statutory authorisation.
    Authorized,
    /// us-wpr: within the 60-day clock.
    Within60,
    /// us-wpr: within the 30-day extension, for withdrawal only.
    Within30WithdrawalOnly,
    /// us-wpr: clock ran out without authorisation.
    ExpiredUnauthorized,
    /// us-wpr: no § 4(a)(1) introduction, no clock.
    ClockNotTriggered,
    /// nl: parliament informed in advance.
    Informed,
    /// nl: information owed.
    InformationDue,
    /// nl: informed after the start, compelling reasons recorded.
    InformedLateJustified,
}

impl Status {
    /// All statuses.
    pub const ALL: [Status; 17] = [
        Status::Covered,
        Status::Provisional,
        Status::Pending,
        Status::NotCovered,
        Status::Expired,
        Status::Revoked,
        Status::MustTerminate,
        Status::EndedNoApprovalNeeded,
        Status::NotRequired,
        Status::Authorized,
        Status::Within60,
        Status::Within30WithdrawalOnly,
        Status::ExpiredUnauthorized,
        Status::ClockNotTriggered,
        Status::Informed,
        Status::InformationDue,
        Status::InformedLateJustified,
    ];

    /// The snake_case name used in scenario files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Status::Covered => "covered",
            Status::Provisional => "provisional",
            Status::Pending => "pending",
            Status::NotCovered => "not_covered",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
            Status::MustTerminate => "must_terminate",
            Status::EndedNoApprovalNeeded => "ended_no_approval_needed",
            Status::NotRequired => "not_required",
            Status::Authorized => "authorized",
            Status::Within60 => "within_60",
            Status::Within30WithdrawalOnly => "within_30_withdrawal_only",
            Status::ExpiredUnauthorized => "expired_unauthorized",
            Status::ClockNotTriggered => "clock_not_triggered",
            Status::Informed => "informed",
            Status::InformationDue => "information_due",
            Status::InformedLateJustified => "informed_late_justified",
        }
    }

    /// The pack the status belongs to.
    pub fn pack(self) -> Pack {
        match self {
            Status::Covered
            | Status::Provisional
            | Status::Pending
            | Status::NotCovered
            | Status::Expired
            | Status::Revoked
            | Status::MustTerminate
            | Status::EndedNoApprovalNeeded
            | Status::NotRequired => Pack::De,
            Status::Authorized
            | Status::Within60
            | Status::Within30WithdrawalOnly
            | Status::ExpiredUnauthorized
            | Status::ClockNotTriggered => Pack::UsWpr,
            Status::Informed | Status::InformationDue | Status::InformedLateJustified => Pack::Nl,
        }
    }

    /// Parses a status name.
    pub fn from_name(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.name() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// On what the coverage rests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Approved by vote (or `mandate_approved`).
    Approved,
    /// Deemed approved (§ 4 ParlBG).
    Deemed,
    /// § 7(2) bridge of an extension application.
    Bridge,
    /// Approved after the fact (§ 5 ParlBG).
    Retroactive,
}

impl Basis {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Approved => "approved",
            Basis::Deemed => "deemed",
            Basis::Bridge => "bridge",
            Basis::Retroactive => "retroactive",
        }
    }
}

/// Outcome of the ceiling check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// Strength within the ceiling.
    Ok,
    /// Strength above the ceiling.
    Exceeded,
    /// Above the ceiling, but the mandate permits temporary overruns.
    ExceededPermitted,
}

impl CheckOutcome {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            CheckOutcome::Ok => "ok",
            CheckOutcome::Exceeded => "exceeded",
            CheckOutcome::ExceededPermitted => "exceeded_permitted",
        }
    }
}

/// The ceiling check with the strength report it used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeilingCheck {
    /// Outcome.
    pub outcome: CheckOutcome,
    /// Deployed strength.
    pub strength: u32,
    /// The ceiling compared against.
    pub ceiling: Ceiling,
    /// The strength report used.
    pub report: FactId,
}

/// Which body of law decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// BVerfGE 90, 286 (1994), before the ParlBG.
    Bverfge1994,
    /// Parlamentsbeteiligungsgesetz, from 2005-03-24.
    Parlbg2005,
    /// US War Powers Resolution.
    UsWarPowers,
    /// Netherlands Constitution Art. 100.
    NlArticle100,
}

/// Warning codes (do not change the status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// A legal basis of the mandate has ended; the mandate's dependency is advisory.
    LegalBasisEnded,
    /// A legal basis of the mandate will end while the mandate runs on.
    LegalBasisInDrawdown,
    /// Applications or cabinet proposals are pending.
    PendingApplication,
    /// The classification or the applicable norm is disputed.
    Contested,
    /// A revocation took effect: the forces are in their withdrawal period.
    WithdrawalPeriod,
    /// The calendar lacks the sitting days needed for a § 7(2) bridge.
    SittingDaysUnknown,
    /// The Bundestag's member count for the day is unknown; a members' demand cannot be checked.
    MembersUnknown,
    /// A debate demand by members fell short of 5 % of the members.
    DemandBelowThreshold,
    /// An application lapsed at the end of the electoral term.
    ApplicationLapsed,
    /// NL: parliament was informed only after the start, without recorded compelling reasons.
    InformationLate,
    /// The strength report the ceiling check uses predates the covering mandate's period, so the
    /// check may not reflect the strength under this mandate.
    StaleStrengthReport,
    /// The deployment ended (and did not start again) while the covering mandate still runs.
    DeploymentEnded,
    /// The mandate lapsed after the last day anything was recorded (or after the `as_of` day):
    /// an extension decided since then would not be known, so `expired` may be out of date.
    LapseAfterLastRecord,
}

impl WarningCode {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            WarningCode::LegalBasisEnded => "legal_basis_ended",
            WarningCode::LegalBasisInDrawdown => "legal_basis_in_drawdown",
            WarningCode::PendingApplication => "pending_application",
            WarningCode::Contested => "contested",
            WarningCode::WithdrawalPeriod => "withdrawal_period",
            WarningCode::SittingDaysUnknown => "sitting_days_unknown",
            WarningCode::MembersUnknown => "members_unknown",
            WarningCode::DemandBelowThreshold => "demand_below_threshold",
            WarningCode::ApplicationLapsed => "application_lapsed",
            WarningCode::InformationLate => "information_late",
            WarningCode::StaleStrengthReport => "stale_strength_report",
            WarningCode::DeploymentEnded => "deployment_ended",
            WarningCode::LapseAfterLastRecord => "lapse_after_last_record",
        }
    }

    /// All codes.
    pub const ALL: [WarningCode; 13] = [
        WarningCode::LegalBasisEnded,
        WarningCode::LegalBasisInDrawdown,
        WarningCode::PendingApplication,
        WarningCode::Contested,
        WarningCode::WithdrawalPeriod,
        WarningCode::SittingDaysUnknown,
        WarningCode::MembersUnknown,
        WarningCode::DemandBelowThreshold,
        WarningCode::ApplicationLapsed,
        WarningCode::InformationLate,
        WarningCode::StaleStrengthReport,
        WarningCode::DeploymentEnded,
        WarningCode::LapseAfterLastRecord,
    ];

    /// Parses a code.
    pub fn from_name(s: &str) -> Option<WarningCode> {
        WarningCode::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// A warning with its message and the facts behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Code.
    pub code: WarningCode,
    /// Human-readable message.
    pub message: String,
    /// Facts behind it.
    pub facts: Vec<FactId>,
}

/// A disputed outcome: the verdict's status under one reading, this under the other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contest {
    /// The status under the other reading.
    pub alternative: Status,
    /// Why it is disputed.
    pub reason: String,
    /// The competing claims.
    pub facts: Vec<FactId>,
}

/// A citation of a rule: a norm, a judgment or a rule of procedure (`§ 4(1) ParlBG`,
/// `BVerfGE 90, 286`, `GO-BT § 123`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleRef(String);

impl RuleRef {
    /// A rule citation.
    pub fn new(s: impl Into<String>) -> Self {
        RuleRef(s.into())
    }

    /// The citation text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A fact used by an explanation step, with its citation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactRef {
    /// The fact.
    pub id: FactId,
    /// Its kind (`mandate_approved`, ...).
    pub kind: String,
    /// Its source.
    pub source: Option<Citation>,
}

impl From<&Fact> for FactRef {
    fn from(f: &Fact) -> Self {
        FactRef {
            id: f.id.clone(),
            kind: f.kind.name().to_owned(),
            source: f.source.clone(),
        }
    }
}

/// One step of the reasoning: the rule applied, what it concluded, the facts it used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The rule.
    pub rule: RuleRef,
    /// What it concluded.
    pub summary: String,
    /// The facts used.
    pub facts: Vec<FactRef>,
    /// Sub-steps.
    pub children: Vec<Explanation>,
}

impl Explanation {
    /// A step.
    pub fn new(rule: impl Into<String>, summary: impl Into<String>) -> Self {
        Explanation {
            rule: RuleRef::new(rule),
            summary: summary.into(),
            facts: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Adds facts (each once).
    pub fn with_facts<'a>(mut self, facts: impl IntoIterator<Item = &'a Fact>) -> Self {
        for f in facts {
            if !self.facts.iter().any(|x| x.id == f.id) {
                self.facts.push(FactRef::from(f));
            }
        }
        self
    }

    /// Adds a child.
    pub fn child(mut self, c: Explanation) -> Self {
        self.children.push(c);
        self
    }
}

/// What kind of deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// § 4 ParlBG: the window for a debate demand closes (deemed approval).
    DebateDemandWindow,
    /// § 7(2) ParlBG: the bridge of an extension application ends.
    BridgeEnd,
    /// A mandate's period ends (its last covered day).
    MandateLapse,
    /// A legal basis ends to have effect.
    LegalBasisEnd,
    /// WPR § 4(a): the 48-hour report is due.
    WprReportDue,
    /// WPR § 5(b): the 60-day clock ends.
    Wpr60Days,
    /// WPR § 5(b): the 30-day withdrawal extension ends.
    Wpr90Days,
}

impl DeadlineKind {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            DeadlineKind::DebateDemandWindow => "debate_demand_window",
            DeadlineKind::BridgeEnd => "bridge_end",
            DeadlineKind::MandateLapse => "mandate_lapse",
            DeadlineKind::LegalBasisEnd => "legal_basis_end",
            DeadlineKind::WprReportDue => "wpr_report_due",
            DeadlineKind::Wpr60Days => "wpr_60_days",
            DeadlineKind::Wpr90Days => "wpr_90_days",
        }
    }
}

/// A procedural deadline, lapse or legal-basis end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The mission.
    pub mission: MissionId,
    /// What ends.
    pub kind: DeadlineKind,
    /// When: an instant, or a day meaning through the end of that day.
    pub at: TimePoint,
    /// The rule that sets it.
    pub rule: RuleRef,
    /// The facts it derives from.
    pub facts: Vec<FactId>,
}

/// The answer to a [`Query`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The query answered.
    pub query: Query,
    /// The pack used.
    pub pack: Pack,
    /// The body of law applied.
    pub regime: Regime,
    /// The status.
    pub status: Status,
    /// The covering (or last, for `expired`/`revoked`) mandate or application.
    pub mandate: Option<FactId>,
    /// The ceiling in force.
    pub ceiling: Option<Ceiling>,
    /// What the coverage rests on.
    pub basis: Option<Basis>,
    /// Strength against ceiling, with the report used.
    pub check: Option<CeilingCheck>,
    /// The next procedural deadline after the query time.
    pub deadline: Option<Deadline>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// The other outcome when the classification or norm is disputed.
    pub contest: Option<Contest>,
    /// Applications and cabinet proposals pending.
    pub pending: Vec<FactId>,
    /// Why.
    pub explanation: Explanation,
}

impl Verdict {
    /// True when the outcome is disputed.
    pub fn contested(&self) -> bool {
        self.contest.is_some()
    }

    /// True when a warning with this code is present.
    pub fn has_warning(&self, code: WarningCode) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }
}
