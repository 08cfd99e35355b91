//! mandat-core: the domain model of parliamentary mandates for armed-forces deployments.
//!
//! Pure: no file or network I/O. Everything here is data plus the rules of time that every rule
//! pack shares:
//!
//! - [`TimePoint`]: a Berlin calendar day or an exact instant (valid time and knowledge time);
//! - [`Period`]: days covered by a mandate, closed on paper, half-open internally, no clamping;
//! - [`Fact`] / [`FactKind`]: claims with valid and recorded time and a [`Citation`];
//! - [`calendar`]: Berlin public holidays (computed), working days, members and sitting days (data);
//! - [`file`]: the YAML fact-file format with errors naming file, line, column and key;
//! - [`Registry`]: facts indexed by mission and valid time.
//!
//! ```
//! use mandat_core::{parse_fact_file, Registry, MissionId};
//! let yaml = "facts:\n  - {id: m, kind: mandate_approved, mission: KFOR, valid: 2019-06-28,\n     ceiling: 400, period: {from: 2019-06-28, until: open}}\n";
//! let file = parse_fact_file("kfor.yaml", yaml).unwrap();
//! let registry = Registry::from_facts(file.facts).unwrap();
//! assert_eq!(registry.mission_facts(&MissionId::new("KFOR").unwrap()).count(), 1);
//! ```

pub mod calendar;
pub mod error;
pub mod fact;
pub mod file;
pub mod ids;
pub mod period;
pub mod quote;
pub mod registry;
pub mod time;
pub mod write;

pub use calendar::{Calendar, Holiday, berlin_holiday, is_working_day, next_working_day_from};
pub use error::{FileError, FileErrorCode, ValueError};
pub use fact::{
    Citation, Conditions, DemandBy, Dependency, Fact, FactKind, Lang, MandateChange, MandateTerms,
    PartialDate, Procedure, Source, Tally, VoteResult, WprCategory, mandate_diff,
};
pub use file::{
    CalendarFile, FactFile, FactLocation, known_terms, parse_calendar_file, parse_fact_file,
    parse_fact_file_with, parse_partial_date,
};
pub use ids::{Ceiling, FactId, LegalRef, LegalRefKind, MissionId, PrintedPaperNo, SourceId};
pub use period::{Period, PeriodEnd};
pub use quote::{find_quote, normalise_space};
pub use registry::{Registry, RegistryError};
pub use time::{TimePoint, berlin, berlin_date, berlin_day_start, berlin_instant};
pub use write::write_fact_file;
