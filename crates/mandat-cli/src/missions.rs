//! Resolving what a user typed to a mission id (see [`mandat_app::resolve_mission`]).

use anyhow::Result;
use mandat_core::{MissionId, Registry};
use mandat_extract::MissionRegistry;

/// The mission registry of the bundled `data/missions.yaml`.
pub fn mission_registry() -> Result<MissionRegistry> {
    Ok(MissionRegistry::from_yaml(mandat_data::MISSIONS_YAML)?)
}

/// Resolves a mission by id, display name or alias; otherwise an error that lists the nearest
/// known names.
pub fn resolve(input: &str, missions: &MissionRegistry, facts: &Registry) -> Result<MissionId> {
    Ok(mandat_app::resolve_mission(input, missions, facts)?)
}
