//! Embeds the mission registry (`data/missions.yaml`) as a string literal. The path is given to
//! cargo relative to this package: `data/` lies outside it, and an absolute path (as `include_str!`
//! would record) would tie the build's fingerprint to one checkout, so that another checkout sharing
//! the target directory (a build cache) would reuse the first one's registry.

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let path = Path::new("../../data/missions.yaml");
    println!("cargo:rerun-if-changed={}", path.display());
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("missions.rs");
    fs::write(out, format!("{text:?}")).expect("OUT_DIR is writable");
}
