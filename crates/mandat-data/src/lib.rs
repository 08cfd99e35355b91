//! The bundled dataset of mandat: the cited facts of `data/facts/*.yaml`, the calendar of
//! `data/calendar.yaml`, the mission registry `data/missions.yaml` and the source documents of
//! `data/documents/`, embedded at build time so that a fresh install answers real questions
//! without any setup.
//!
//! ```
//! let registry = mandat_data::registry().expect("the bundled dataset is valid");
//! assert!(!registry.is_empty());
//! ```

use mandat_core::{Registry, RegistryError};

include!(concat!(env!("OUT_DIR"), "/bundle.rs"));

/// Parses the bundled dataset into a registry.
///
/// # Errors
/// A [`RegistryError`] naming file, line and key when a bundled file is invalid; tests make sure
/// that never ships.
pub fn registry() -> Result<Registry, RegistryError> {
    Registry::from_files(DATASET_FILES)
}

/// A bundled source document by its path below `data/documents/` (as cited in a source's
/// `document:` field).
pub fn document(name: &str) -> Option<&'static [u8]> {
    DOCUMENTS.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_dataset_loads_and_covers_kfor() {
        let reg = registry().unwrap_or_else(|e| panic!("bundled dataset invalid: {e}"));
        let kfor = mandat_core::MissionId::new("KFOR").expect("valid id");
        assert!(
            reg.mission_facts(&kfor).count() > 5,
            "KFOR history is bundled"
        );
    }

    #[test]
    fn every_cited_document_is_bundled() {
        let reg = registry().expect("valid");
        for f in reg.facts() {
            if let Some(mandat_core::Citation::Source { source, .. }) = &f.source {
                let src = reg
                    .source(source)
                    .unwrap_or_else(|| panic!("{} cites unknown source", f.id));
                if let Some(doc) = &src.document {
                    assert!(
                        document(doc).is_some(),
                        "{} names missing document {doc}",
                        src.id
                    );
                }
            }
        }
    }
}
