//! mandat-rules: rule packs that turn facts into verdicts with explanation trees.
//!
//! Pure: no I/O. Three packs:
//!
//! - `de`: the Parlamentsbeteiligungsgesetz (2005) with the 1994 constitutional-court regime
//!   before it; every rule of the priority table of the specification, § 4 deemed approval with
//!   GO-BT deadline counting, the § 7(2) bridge, § 5 emergency and retroactive approval, § 8
//!   revocation, conditions and legal-basis dependency, the ceiling check;
//! - `us-wpr`: the War Powers Resolution clock;
//! - `nl`: the Dutch Art. 100 information duty.
//!
//! ```
//! use mandat_rules::{evaluate, parse_scenario, Options, Query, Status};
//! let yaml = "name: demo\npack: de\nfacts:\n  - {id: m, kind: mandate_approved, mission: KFOR, valid: 2019-06-28,\n     ceiling: 400, period: {from: 2019-06-28, until: open}}\nqueries: []\n";
//! let s = parse_scenario("demo.yaml", yaml).unwrap();
//! let reg = s.registry().unwrap();
//! let q = Query { mission: "KFOR".parse().unwrap(), on: "2019-07-01".parse().unwrap(), as_of: None };
//! let v = evaluate(&reg, &q, &Options::default());
//! assert_eq!(v.status, Status::Covered);
//! assert_eq!(v.ceiling.map(|c| c.get()), Some(400));
//! ```

pub mod coverage;
mod de;
pub mod deadlines;
pub mod explain;
mod nl;
pub mod options;
pub mod procedure;
pub mod scenario;
mod us;
pub mod validation;
pub mod verdict;

pub use coverage::{CoverageGap, all_coverage_gaps, coverage_gaps};
pub use deadlines::{deadlines, mission_deadlines};
pub use explain::{cited_sources, render_explanation, render_verdict};
pub use options::{MembersRounding, OPTION_NAMES, OptionError, Options, Pack, RevocationEffect};
pub use scenario::{
    Expect, FindingOutcome, KeyCheck, QueryOutcome, Scenario, ScenarioQuery, check_findings,
    check_scenario, parse_scenario,
};
pub use validation::{Finding, MissingItem, validate};
pub use verdict::{
    Basis, CeilingCheck, CheckOutcome, Contest, Deadline, DeadlineKind, Explanation, FactRef,
    Query, Regime, RuleRef, Status, Verdict, Warning, WarningCode,
};

use mandat_core::Registry;

/// Evaluates a query with the pack named in `options.pack`.
pub fn evaluate(registry: &Registry, query: &Query, options: &Options) -> Verdict {
    match options.pack {
        Pack::De => de::evaluate(registry, query, options),
        Pack::UsWpr => us::evaluate(registry, query),
        Pack::Nl => nl::evaluate(registry, query),
    }
}
