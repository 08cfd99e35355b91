//! The mission registry: canonical mission ids with names and aliases in both languages, loaded from
//! `data/missions.yaml`, and the recogniser that finds them in text in one pass (a lazy DFA over all
//! aliases) and tells which alias each match is with an anchored Aho-Corasick search.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use crate::model::Span;

/// Who leads a mission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Organisation {
    /// NATO.
    #[serde(rename = "NATO")]
    Nato,
    /// European Union.
    #[serde(rename = "EU")]
    Eu,
    /// United Nations.
    #[serde(rename = "UN")]
    Un,
    /// A coalition of states.
    #[serde(rename = "coalition")]
    Coalition,
    /// A national operation.
    #[serde(rename = "national")]
    National,
}

/// Names in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}

/// One mission of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissionEntry {
    /// Canonical id (`KFOR`, `EUFOR Althea`).
    pub id: String,
    /// Display names.
    pub name: Names,
    /// Aliases in both languages, matched in text.
    pub aliases: Vec<String>,
    /// Leading organisation.
    pub organisation: Organisation,
    /// Area of operations, as commonly named.
    pub area: String,
    /// The mission this one replaced.
    #[serde(default)]
    pub predecessor: Option<String>,
    /// The mission that replaced this one.
    #[serde(default)]
    pub successor: Option<String>,
    /// Name (without `.yaml`) of the dataset file below `data/facts/` that holds the mission's
    /// facts; missions sharing mandates share a file. Default: [`MissionEntry::dataset_file`].
    #[serde(default)]
    pub file: Option<String>,
    /// What the dataset file says about the mission (written as the file's `about`).
    #[serde(default)]
    pub about: Option<String>,
}

impl MissionEntry {
    /// The dataset file (without `.yaml`) of this mission: `file` when given, else the id in
    /// lower case with every run of other characters than ASCII letters and digits made one `-`
    /// (`EUFOR Althea` gives `eufor-althea`).
    pub fn dataset_file(&self) -> String {
        self.file.clone().unwrap_or_else(|| slug(&self.id))
    }
}

/// `id` in lower case, every run of characters other than ASCII letters and digits made one `-`,
/// with none at either end (`UNOSOM II` gives `unosom-ii`).
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    missions: Vec<MissionEntry>,
}

/// Why a registry file is not usable.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The YAML does not parse or does not have the registry's shape.
    #[error("invalid mission registry: {0}")]
    Yaml(String),
    /// Two missions share an id.
    #[error("duplicate mission id {0:?}")]
    DuplicateId(String),
    /// A mission has an empty alias or none at all.
    #[error("mission {0:?} has an empty alias list or an empty alias")]
    EmptyAlias(String),
    /// A predecessor or successor names no mission of the registry.
    #[error("mission {mission:?} refers to unknown mission {target:?}")]
    UnknownLink {
        /// The mission with the link.
        mission: String,
        /// The unknown id.
        target: String,
    },
    /// A dataset file name that is not lower-case letters, digits and `-`.
    #[error(
        "mission {mission:?}: dataset file {file:?} must be lower-case letters, digits and '-'"
    )]
    InvalidFile {
        /// The mission.
        mission: String,
        /// The file name given.
        file: String,
    },
    /// The matcher could not be built.
    #[error("cannot build the alias matcher: {0}")]
    Matcher(String),
}

/// The missions and a matcher over all their aliases.
#[derive(Debug, Clone)]
pub struct MissionRegistry {
    missions: Vec<MissionEntry>,
    /// Finds where aliases are: the same leftmost-longest matches as `matcher`, on the lazy DFA,
    /// which walks text about twice as fast as the automaton does.
    finder: regex::Regex,
    /// Tells which alias a found match is, by an anchored search over just that match.
    matcher: AhoCorasick,
    /// For each pattern: the mission index and whether the alias must match case-exactly.
    patterns: Vec<(usize, bool)>,
}

/// A mission named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionMention {
    /// Bytes of the alias as written.
    pub span: Span,
    /// Canonical id.
    pub id: String,
}

/// `data/missions.yaml`, embedded by the build script.
const BUNDLED: &str = include!(concat!(env!("OUT_DIR"), "/missions.rs"));

impl MissionRegistry {
    /// Parses and validates a registry file.
    pub fn from_yaml(yaml: &str) -> Result<Self, RegistryError> {
        let file: RegistryFile =
            serde_saphyr::from_str(yaml).map_err(|e| RegistryError::Yaml(e.to_string()))?;
        Self::new(file.missions)
    }

    /// The registry shipped with the crate (`data/missions.yaml`).
    pub fn bundled() -> Self {
        // The bundled file is checked by a test, so failing here is a build defect, not input.
        Self::from_yaml(BUNDLED).expect("bundled data/missions.yaml is valid")
    }

    /// Builds a registry from entries.
    pub fn new(missions: Vec<MissionEntry>) -> Result<Self, RegistryError> {
        let mut ids = std::collections::HashSet::new();
        for m in &missions {
            if !ids.insert(m.id.as_str()) {
                return Err(RegistryError::DuplicateId(m.id.clone()));
            }
            if m.aliases.is_empty() || m.aliases.iter().any(|a| a.trim().is_empty()) {
                return Err(RegistryError::EmptyAlias(m.id.clone()));
            }
            if let Some(f) = &m.file
                && (f.is_empty()
                    || !f
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            {
                return Err(RegistryError::InvalidFile {
                    mission: m.id.clone(),
                    file: f.clone(),
                });
            }
        }
        for m in &missions {
            for target in m.predecessor.iter().chain(m.successor.iter()) {
                if !ids.contains(target.as_str()) {
                    return Err(RegistryError::UnknownLink {
                        mission: m.id.clone(),
                        target: target.clone(),
                    });
                }
            }
        }
        let mut alias_list = Vec::new();
        let mut patterns = Vec::new();
        for (i, m) in missions.iter().enumerate() {
            for a in m.aliases.iter().chain([&m.id, &m.name.de, &m.name.en]) {
                // Acronyms ("KFOR", "ISAF", "OEF") must match in capitals so that ordinary words
                // containing them are not taken for missions.
                let exact = a
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                    || a.len() <= 5;
                alias_list.push(a.clone());
                patterns.push((i, exact));
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Anchored)
            .build(&alias_list)
            .map_err(|e| RegistryError::Matcher(e.to_string()))?;
        // Leftmost-first over the aliases, longest first, is leftmost-longest; ASCII case folding
        // only, as in the automaton.
        let mut by_length: Vec<&String> = alias_list.iter().collect();
        by_length.sort_by_key(|a| std::cmp::Reverse(a.len()));
        let alternation: Vec<String> = by_length.iter().map(|a| regex::escape(a)).collect();
        let finder = crate::text::build_regex(&format!("(?i-u:{})", alternation.join("|")))
            .map_err(|e| RegistryError::Matcher(e.to_string()))?;
        Ok(Self {
            missions,
            finder,
            matcher,
            patterns: patterns
                .into_iter()
                .zip(alias_list)
                .map(|(p, _)| p)
                .collect(),
        })
    }

    /// All missions.
    pub fn missions(&self) -> &[MissionEntry] {
        &self.missions
    }

    /// The mission with a canonical id.
    pub fn get(&self, id: &str) -> Option<&MissionEntry> {
        self.missions.iter().find(|m| m.id == id)
    }

    /// Finds the missions named in `text`, in text order.
    pub fn find(&self, text: &str) -> Vec<MissionMention> {
        let mut out = Vec::new();
        for found in self.finder.find_iter(text) {
            let input = aho_corasick::Input::new(text)
                .span(found.range())
                .anchored(aho_corasick::Anchored::Yes);
            let Some(m) = self.matcher.try_find(input).ok().flatten() else {
                continue;
            };
            let (idx, exact) = self.patterns[m.pattern().as_usize()];
            let found = &text[m.start()..m.end()];
            let mission = &self.missions[idx];
            if exact {
                let same = mission
                    .aliases
                    .iter()
                    .chain([&mission.id, &mission.name.de, &mission.name.en])
                    .any(|a| a == found || titlecase(a) == found);
                if !same {
                    continue;
                }
            }
            // Word boundaries; an acronym glued to a capitalised word ("KFORKosovo Force", a tooltip
            // artefact of captured pages) still counts.
            let prev = text[..m.start()].chars().next_back();
            let first = found.chars().next();
            let glued_after_acronym = prev.is_some_and(char::is_uppercase)
                && first.is_some_and(char::is_uppercase)
                && found.chars().any(char::is_lowercase);
            if prev.is_some_and(char::is_alphanumeric) && !glued_after_acronym {
                continue;
            }
            let next = text[m.end()..].chars().next();
            let last = found.chars().next_back();
            if let Some(n) = next {
                let glued_acronym = n.is_uppercase() && last.is_some_and(char::is_uppercase);
                if n.is_alphanumeric() && !glued_acronym {
                    continue;
                }
            }
            out.push(MissionMention {
                span: Span::new(m.start(), m.end()),
                id: mission.id.clone(),
            });
        }
        out
    }
}

/// "UNIFIL" -> "Unifil": news texts often write acronyms of missions this way.
fn titlecase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if i == 0 {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_registry_loads_and_finds() {
        let r = MissionRegistry::bundled();
        let t = "an der internationalen Sicherheitspräsenz in Kosovo (KFOR) und KFORKosovo Force";
        let ids: Vec<String> = r.find(t).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, vec!["KFOR", "KFOR", "KFOR", "KFOR"]);
        let t = "Operation Atalanta and EUFOR Althea, not atalantic; ISAF-Einsatz";
        let ids: Vec<String> = r.find(t).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, vec!["Atalanta", "EUFOR Althea", "ISAF"]);
    }

    #[test]
    fn rejects_bad_registries() {
        let dup = "missions:\n  - {id: A, name: {de: A, en: A}, aliases: [A], organisation: UN, area: x}\n  - {id: A, name: {de: A, en: A}, aliases: [B], organisation: UN, area: x}\n";
        assert!(matches!(
            MissionRegistry::from_yaml(dup),
            Err(RegistryError::DuplicateId(_))
        ));
        let link = "missions:\n  - {id: A, name: {de: A, en: A}, aliases: [A], organisation: UN, area: x, successor: Z}\n";
        assert!(matches!(
            MissionRegistry::from_yaml(link),
            Err(RegistryError::UnknownLink { .. })
        ));
        assert!(matches!(
            MissionRegistry::from_yaml("missions: 3"),
            Err(RegistryError::Yaml(_))
        ));
    }
}
