//! Interpretation options: each a named, documented choice with the specification's default.

use serde::{Deserialize, Serialize};

/// The rule pack used to evaluate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Pack {
    /// Germany: ParlBG 2005, BVerfGE 90, 286 before it.
    #[default]
    #[serde(rename = "de")]
    De,
    /// United States: War Powers Resolution.
    #[serde(rename = "us-wpr")]
    UsWpr,
    /// Netherlands: Constitution Art. 100.
    #[serde(rename = "nl")]
    Nl,
}

impl Pack {
    /// The pack's name in scenario files (`de`, `us-wpr`, `nl`).
    pub fn name(self) -> &'static str {
        match self {
            Pack::De => "de",
            Pack::UsWpr => "us-wpr",
            Pack::Nl => "nl",
        }
    }

    /// Parses a pack name.
    pub fn from_name(s: &str) -> Option<Pack> {
        [Pack::De, Pack::UsWpr, Pack::Nl]
            .into_iter()
            .find(|p| p.name() == s)
    }
}

/// When a § 8 revocation takes effect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationEffect {
    /// At the vote (default); the withdrawal period is flagged as a warning.
    #[default]
    AtVote,
    /// From the day after the vote.
    NextDay,
}

/// How 5 % of the members is turned into a number of members.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MembersRounding {
    /// Round up: 31.5 of 630 means 32 members (default).
    #[default]
    Up,
    /// Round down: 31 members suffice.
    Down,
}

/// Interpretation options with the documented defaults of the specification. Every option has a
/// stable kebab-case name usable in scenario files (`options:`) and on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Options {
    /// The rule pack (set from a scenario's `pack:`; not an interpretation option).
    #[serde(skip)]
    pub pack: Pack,
    /// `bridge-revives-expired` (default false): a § 7(2) bridge also covers a mandate that had
    /// already expired when the extension was distributed.
    pub bridge_revives_expired: bool,
    /// `rejection-ends-bridge` (default true): an explicit rejection ends the bridge at the vote.
    pub rejection_ends_bridge: bool,
    /// `revocation-effect` (default `at-vote`): when a § 8 revocation takes effect.
    pub revocation_effect: RevocationEffect,
    /// `members-rounding` (default `up`): 5 % of the members, rounded.
    pub members_rounding: MembersRounding,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            pack: Pack::De,
            bridge_revives_expired: false,
            rejection_ends_bridge: true,
            revocation_effect: RevocationEffect::AtVote,
            members_rounding: MembersRounding::Up,
        }
    }
}

/// The names of all options, for error messages and help.
pub const OPTION_NAMES: &[&str] = &[
    "bridge-revives-expired",
    "rejection-ends-bridge",
    "revocation-effect",
    "members-rounding",
];

/// An option name or value that does not exist.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    /// Not a `NAME=VALUE` pair.
    #[error("`{0}` is not NAME=VALUE, e.g. bridge-revives-expired=true")]
    NotAPair(String),
    /// Unknown name.
    #[error(
        "unknown option `{0}` (known: bridge-revives-expired, rejection-ends-bridge, revocation-effect, members-rounding)"
    )]
    UnknownName(String),
    /// Bad value.
    #[error("invalid value `{value}` for option `{name}` (expected {expected})")]
    BadValue {
        /// Option name.
        name: String,
        /// The value given.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
}

impl Options {
    /// Sets an option from a `NAME=VALUE` pair (spaces around either part are ignored), as the
    /// command line (`--option`) and the API (`options=`) write them.
    pub fn set_pair(&mut self, pair: &str) -> Result<(), OptionError> {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| OptionError::NotAPair(pair.to_owned()))?;
        self.set(name.trim(), value.trim())
    }

    /// Sets an option by its kebab-case name from its text value.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), OptionError> {
        let bad = |expected| OptionError::BadValue {
            name: name.to_owned(),
            value: value.to_owned(),
            expected,
        };
        let boolean = || match value {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(bad("true or false")),
        };
        match name {
            "bridge-revives-expired" => self.bridge_revives_expired = boolean()?,
            "rejection-ends-bridge" => self.rejection_ends_bridge = boolean()?,
            "revocation-effect" => {
                self.revocation_effect = match value {
                    "at-vote" => RevocationEffect::AtVote,
                    "next-day" => RevocationEffect::NextDay,
                    _ => return Err(bad("at-vote or next-day")),
                }
            }
            "members-rounding" => {
                self.members_rounding = match value {
                    "up" => MembersRounding::Up,
                    "down" => MembersRounding::Down,
                    _ => return Err(bad("up or down")),
                }
            }
            other => return Err(OptionError::UnknownName(other.to_owned())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_set_by_name() {
        let mut o = Options::default();
        o.set("members-rounding", "down").unwrap();
        assert_eq!(o.members_rounding, MembersRounding::Down);
        assert!(o.set("members-rounding", "sideways").is_err());
        assert!(matches!(
            o.set("nope", "x"),
            Err(OptionError::UnknownName(_))
        ));
        assert_eq!(OPTION_NAMES.len(), 4);
    }
}
