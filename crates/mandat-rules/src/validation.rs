//! § 3(2) ParlBG validation: what an application must state.

use mandat_core::{Fact, FactId, FactKind};
use serde::{Deserialize, Serialize};

use crate::verdict::RuleRef;

/// An item of § 3(2) ParlBG that an application lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingItem {
    /// Maximum number of soldiers.
    Ceiling,
    /// Planned duration.
    Duration,
    /// Legal bases.
    LegalBases,
    /// Area of operations.
    Area,
    /// Expected costs.
    Costs,
}

impl MissingItem {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            MissingItem::Ceiling => "ceiling",
            MissingItem::Duration => "duration",
            MissingItem::LegalBases => "legal_bases",
            MissingItem::Area => "area",
            MissingItem::Costs => "costs",
        }
    }

    /// Parses a name.
    pub fn from_name(s: &str) -> Option<Self> {
        [
            MissingItem::Ceiling,
            MissingItem::Duration,
            MissingItem::LegalBases,
            MissingItem::Area,
            MissingItem::Costs,
        ]
        .into_iter()
        .find(|i| i.name() == s)
    }
}

/// A validation finding: data, not an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The application.
    pub fact: FactId,
    /// What it lacks.
    pub item: MissingItem,
    /// The rule (`§ 3(2) ParlBG`).
    pub rule: RuleRef,
    /// Message.
    pub message: String,
}

/// § 3(2) findings for every application among the facts, in fact order.
pub fn validate(facts: &[Fact]) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in facts {
        let FactKind::ApplicationDistributed { terms, .. } = &f.kind else {
            continue;
        };
        let missing = [
            (
                terms.ceiling.is_none(),
                MissingItem::Ceiling,
                "the maximum number of soldiers",
            ),
            (
                terms.period.is_none(),
                MissingItem::Duration,
                "the planned duration",
            ),
            (
                terms.legal_bases.is_empty(),
                MissingItem::LegalBases,
                "the legal bases",
            ),
            (
                terms.area.is_none(),
                MissingItem::Area,
                "the area of operations",
            ),
            (
                terms.costs_eur_cents.is_none(),
                MissingItem::Costs,
                "the expected costs",
            ),
        ];
        for (lacks, item, what) in missing {
            if lacks {
                out.push(Finding {
                    fact: f.id.clone(),
                    item,
                    rule: RuleRef::new("§ 3(2) ParlBG"),
                    message: format!("application {} does not state {what}", f.id),
                });
            }
        }
    }
    out
}
