//! The output types: spans, values and the contract JSON shape.

use serde::{Serialize, Serializer};

/// Document language (the domain's language type).
pub use mandat_core::Lang;

/// A `[start, end)` range of UTF-8 bytes in the document text; serialised as `[start, end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (exclusive).
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The slice of `text` this span covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(s)
    }
}

/// A calendar value at the precision the text states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DateValue {
    /// A year only ("1999").
    Year(i16),
    /// A month ("im Mai 2024" -> `2024-05`).
    Month {
        /// Year.
        year: i16,
        /// Month 1..=12.
        month: i8,
    },
    /// A day.
    Day(jiff::civil::Date),
}

impl DateValue {
    /// The year of the value.
    pub fn year(&self) -> i16 {
        match self {
            DateValue::Year(y) => *y,
            DateValue::Month { year, .. } => *year,
            DateValue::Day(d) => d.year(),
        }
    }
}

impl std::fmt::Display for DateValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateValue::Year(y) => write!(f, "{y:04}"),
            DateValue::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            DateValue::Day(d) => write!(f, "{d}"),
        }
    }
}

impl Serialize for DateValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How a personnel figure or amount is qualified in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Modifier {
    /// No qualifier: the figure is stated as exact.
    Exact,
    /// "bis zu", "up to", "maximal", "höchstens", "as many as".
    UpTo,
    /// "rund", "etwa", "ca.", "around", "some", "about".
    Approx,
    /// "mehr als", "über", "more than".
    MoreThan,
    /// "weniger als", "less than", "fewer than".
    LessThan,
    /// "weitere", "zusätzliche", "an additional", "more".
    Additional,
}

/// One recognised thing in the text, with its span and the exact text of the span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// What was recognised, with its value.
    #[serde(flatten)]
    pub kind: MentionKind,
    /// `text[span]`.
    pub text: String,
    /// Where.
    pub span: Span,
}

/// The kinds of mention and their values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MentionKind {
    /// A date; `value` is `null` when the year cannot be read from the text or the dateline.
    Date {
        /// Normalised value.
        value: Option<DateValue>,
    },
    /// A number of soldiers.
    Personnel {
        /// The figure.
        value: u64,
        /// Its qualifier.
        modifier: Modifier,
    },
    /// An amount of money in euros.
    Money {
        /// Euros.
        value: f64,
        /// Its qualifier.
        modifier: Modifier,
    },
    /// A legal reference, by canonical id.
    LegalRef {
        /// Canonical id (`UNSC 1244`, `Art. 24(2) GG`, ...).
        value: String,
        /// The date the text gives the instrument, when it gives one.
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<DateValue>,
    },
    /// A mission named in the text (canonical registry id).
    Mission {
        /// Canonical id.
        value: String,
    },
    /// A procedure event.
    Event {
        /// What happened.
        value: EventKind,
        /// When, if the sentence states it.
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<DateValue>,
    },
}

/// Parliamentary procedure events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The cabinet decided the deployment.
    CabinetDecided,
    /// The Bundestag approved (past tense).
    ParliamentApproved,
    /// The Bundestag still has to approve.
    ParliamentMustApprove,
    /// A vote with counts.
    VoteCounts,
    /// The mandate was or is to be extended.
    Extended,
    /// The mandate has no time limit.
    OpenEnded,
    /// The authorisation ends under a condition.
    ExpiresWhen,
}

/// A dated fact with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatedFact {
    /// The date.
    pub date: DateValue,
    /// Evidence text.
    pub text: String,
    /// Evidence span.
    pub span: Span,
}

/// The end of a mandate: a date or "open-ended".
#[derive(Debug, Clone, PartialEq)]
pub enum MandateEnd {
    /// Ends on (or in) the given date.
    On(DateValue),
    /// No time limit.
    OpenEnded,
}

impl Serialize for MandateEnd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MandateEnd::On(d) => d.serialize(s),
            MandateEnd::OpenEnded => s.serialize_str("open-ended"),
        }
    }
}

/// The end fact with evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndFact {
    /// Date or `open-ended`.
    pub date: MandateEnd,
    /// Evidence text.
    pub text: String,
    /// Evidence span.
    pub span: Span,
}

/// A figure with evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureFact {
    /// The number.
    pub value: u64,
    /// Evidence text.
    pub text: String,
    /// Evidence span.
    pub span: Span,
}

/// An amount with evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoneyFact {
    /// Euros.
    pub value: f64,
    /// Evidence text.
    pub text: String,
    /// Evidence span.
    pub span: Span,
}

/// The parliament's vote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoteFact {
    /// Day of the vote, if stated.
    pub date: Option<DateValue>,
    /// Yes votes.
    pub yes: Option<u64>,
    /// No votes.
    pub no: Option<u64>,
    /// Abstentions.
    pub abstain: Option<u64>,
    /// Evidence text.
    pub text: String,
    /// Evidence span.
    pub span: Span,
}

/// A legal basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegalBasis {
    /// Canonical id.
    pub id: String,
    /// The same canonical id, under the key generic consumers read a fact's value from.
    pub value: String,
    /// Date of the instrument when stated.
    pub date: Option<DateValue>,
    /// Evidence text.
    pub text: String,
    /// Evidence span.
    pub span: Span,
}

/// Qualifier of a deployed strength.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StrengthQualifier {
    /// Stated as exact.
    Exact,
    /// "rund", "around", ...
    Approx,
}

/// Soldiers actually deployed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Strength {
    /// Count.
    pub value: u64,
    /// As of which date (the document date for "currently").
    pub as_of: Option<DateValue>,
    /// Exact or approximate.
    pub qualifier: StrengthQualifier,
    /// Evidence text.
    pub text: String,
    /// Evidence span.
    pub span: Span,
}

/// Kinds of expiry condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryKind {
    /// The authorisation ends with (or needs) the legal basis, e.g. a UN mandate.
    LegalBasisEnds,
    /// It ends when NATO or the EU does not extend its decision.
    DecisionNotExtended,
    /// It needs the Bundestag's constitutive approval.
    ParliamentApprovalRequired,
}

/// A condition under which the authorisation ends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpiryCondition {
    /// Kind.
    pub kind: ExpiryKind,
    /// The legal basis concerned, when the text ties it to one.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Evidence text.
    pub text: String,
    /// Evidence span.
    pub span: Span,
}

/// Area of operations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaFact {
    /// The place as written.
    pub text: String,
    /// Evidence span.
    pub span: Span,
}

/// The facts about the mandate a document is about.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Mandate {
    /// Canonical mission id.
    pub mission: Option<String>,
    /// Personnel ceiling.
    pub ceiling: Option<FigureFact>,
    /// Cabinet decision.
    pub cabinet_decision: Option<DatedFact>,
    /// The Bundestag vote.
    pub parliament_vote: Option<VoteFact>,
    /// Start.
    pub mandate_start: Option<DatedFact>,
    /// End or open-ended.
    pub mandate_end: Option<EndFact>,
    /// Legal bases.
    pub legal_bases: Vec<LegalBasis>,
    /// Expected additional costs.
    pub costs_eur: Option<MoneyFact>,
    /// Deployed strength.
    pub deployed_strength: Vec<Strength>,
    /// Conditions of expiry.
    pub expiry_conditions: Vec<ExpiryCondition>,
    /// Area.
    pub area: Option<AreaFact>,
}

/// Codes of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticCode {
    /// A day and month whose year is not in the text nor the dateline.
    AmbiguousDate,
    /// Several different ceilings are stated for the mandate.
    ConflictingCeilings,
    /// Several different end dates are stated for the mandate.
    ConflictingEndDates,
    /// A date that does not exist (31 June).
    ImpossibleDate,
    /// No mission of the registry is named.
    NoMission,
}

/// A finding about the text that is not a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: DiagnosticCode,
    /// Human-readable message.
    pub message: String,
    /// Where.
    pub span: Span,
}

/// The result of extraction over one document, serialised as the contract JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extraction {
    /// Source path or id.
    pub source: String,
    /// Language used.
    pub lang: Lang,
    /// Title.
    pub title: String,
    /// Missions named, canonical ids, in order of first mention.
    pub missions: Vec<String>,
    /// The mandate the document is about.
    pub mandate: Mandate,
    /// Everything recognised, in text order.
    pub mentions: Vec<Mention>,
    /// Ambiguities and problems.
    pub diagnostics: Vec<Diagnostic>,
}
