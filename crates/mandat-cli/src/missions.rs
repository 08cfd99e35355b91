//! Resolving what a user typed (`kfor`, `Kosovo Force`, `Sea Guardian`) to a mission id, with
//! the nearest known names when nothing matches.

use anyhow::{Result, bail};
use mandat_core::{MissionId, Registry};
use mandat_extract::MissionRegistry;

/// The mission registry of the bundled `data/missions.yaml`.
pub fn mission_registry() -> Result<MissionRegistry> {
    Ok(MissionRegistry::from_yaml(mandat_data::MISSIONS_YAML)?)
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Resolves a mission by id, display name or alias (case-insensitive); otherwise an error that
/// lists the nearest known names.
pub fn resolve(input: &str, missions: &MissionRegistry, facts: &Registry) -> Result<MissionId> {
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
        if names.into_iter().any(|n| norm(n) == wanted) {
            return Ok(MissionId::new(m.id.clone())?);
        }
    }
    let mut candidates: Vec<(f64, String)> = Vec::new();
    let mut consider = |name: &str, id: &str| {
        let n = norm(name);
        let score = if n.contains(&wanted) || wanted.contains(&n) {
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
    let near: Vec<String> = candidates.into_iter().take(5).map(|(_, id)| id).collect();
    if near.is_empty() {
        bail!("unknown mission `{input}`; `mandat missions` lists the known ones");
    }
    bail!(
        "unknown mission `{input}`; did you mean: {}?",
        near.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (MissionRegistry, Registry) {
        (
            mission_registry().unwrap(),
            mandat_data::registry().unwrap(),
        )
    }

    #[test]
    fn ids_names_and_aliases_resolve() {
        let (m, r) = setup();
        assert_eq!(resolve("KFOR", &m, &r).unwrap().as_str(), "KFOR");
        assert_eq!(resolve("kfor", &m, &r).unwrap().as_str(), "KFOR");
        assert_eq!(resolve("Kosovo Force", &m, &r).unwrap().as_str(), "KFOR");
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let (m, r) = setup();
        let e = resolve("KFRO", &m, &r).unwrap_err().to_string();
        assert!(
            e.contains("unknown mission `KFRO`") && e.contains("KFOR"),
            "{e}"
        );
        let e = resolve("zzzzzz", &m, &r).unwrap_err().to_string();
        assert!(e.contains("mandat missions"), "{e}");
    }
}
