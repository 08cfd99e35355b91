//! Resolving what a user typed (`kfor`, `Kosovo Force`, `Sea Guardian`) to a mission id, with
//! the nearest known names when nothing matches. Shared by the CLI and the server.

use mandat_core::{MissionId, Registry};
use mandat_extract::MissionRegistry;

/// No mission is called that.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown mission `{input}`{}", hint(.near))]
pub struct UnknownMission {
    /// What was asked for.
    pub input: String,
    /// The nearest known mission ids, best first (at most five).
    pub near: Vec<String>,
}

fn hint(near: &[String]) -> String {
    if near.is_empty() {
        "; `mandat missions` lists the known ones".to_owned()
    } else {
        format!("; did you mean: {}?", near.join(", "))
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Resolves a mission by id, display name or alias (case-insensitive); otherwise an error that
/// lists the nearest known names. O(names) per call.
pub fn resolve_mission(
    input: &str,
    missions: &MissionRegistry,
    facts: &Registry,
) -> Result<MissionId, UnknownMission> {
    let wanted = norm(input);
    for id in facts.missions() {
        if norm(id.as_str()) == wanted {
            return Ok(id.clone());
        }
    }
    for m in missions.missions() {
        let names = [&m.id, &m.name.de, &m.name.en]
            .into_iter()
            .chain(m.aliases.iter());
        if names.into_iter().any(|n| norm(n) == wanted)
            && let Ok(id) = MissionId::new(m.id.clone())
        {
            return Ok(id);
        }
    }
    let mut candidates: Vec<(f64, String)> = Vec::new();
    let mut consider = |name: &str, id: &str| {
        let n = norm(name);
        let score = if !wanted.is_empty() && (n.contains(&wanted) || wanted.contains(&n)) {
            0.9
        } else {
            strsim::jaro_winkler(&n, &wanted)
        };
        if score >= 0.75 && !candidates.iter().any(|(_, c)| c == id) {
            candidates.push((score, id.to_owned()));
        }
    };
    for id in facts.missions() {
        consider(id.as_str(), id.as_str());
    }
    for m in missions.missions() {
        for n in [&m.id, &m.name.de, &m.name.en]
            .into_iter()
            .chain(m.aliases.iter())
        {
            consider(n, &m.id);
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    Err(UnknownMission {
        input: input.to_owned(),
        near: candidates.into_iter().take(5).map(|(_, id)| id).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (MissionRegistry, Registry) {
        (
            MissionRegistry::from_yaml(mandat_data::MISSIONS_YAML).unwrap(),
            mandat_data::registry().unwrap(),
        )
    }

    #[test]
    fn ids_names_and_aliases_resolve() {
        let (m, r) = setup();
        assert_eq!(resolve_mission("KFOR", &m, &r).unwrap().as_str(), "KFOR");
        assert_eq!(resolve_mission("kfor", &m, &r).unwrap().as_str(), "KFOR");
        assert_eq!(
            resolve_mission("Kosovo Force", &m, &r).unwrap().as_str(),
            "KFOR"
        );
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let (m, r) = setup();
        let e = resolve_mission("KFRO", &m, &r).unwrap_err();
        assert!(e.near.iter().any(|n| n == "KFOR"), "{e}");
        assert!(e.to_string().contains("unknown mission `KFRO`"), "{e}");
        let e = resolve_mission("zzzzzz", &m, &r).unwrap_err();
        assert!(
            e.near.is_empty() && e.to_string().contains("mandat missions"),
            "{e}"
        );
    }
}
