//! Embeds every file of the top-level `data/` folder that the dataset consists of, so that the
//! binary needs no files at run time. A new file in `data/facts/` is picked up without code changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn files(dir: &Path, ext: Option<&str>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| ext.is_none_or(|x| p.extension().is_some_and(|e| e == x)))
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let data = manifest
        .join("../../data")
        .canonicalize()
        .expect("the data/ folder exists");
    println!("cargo:rerun-if-changed={}", data.display());
    for sub in ["facts", "documents"] {
        println!("cargo:rerun-if-changed={}", data.join(sub).display());
    }

    let mut code = String::new();
    let mut yaml = vec![];
    let cal = data.join("calendar.yaml");
    if cal.is_file() {
        yaml.push(("calendar.yaml".to_owned(), cal));
    }
    for p in files(&data.join("facts"), Some("yaml")) {
        let name = format!("facts/{}", p.file_name().unwrap().to_string_lossy());
        yaml.push((name, p));
    }
    code.push_str("/// Dataset files as `(name relative to data/, YAML text)`.\n");
    code.push_str("pub static DATASET_FILES: &[(&str, &str)] = &[\n");
    for (name, p) in &yaml {
        println!("cargo:rerun-if-changed={}", p.display());
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");

    code.push_str("/// Bundled source documents as `(path below data/documents/, bytes)`.\n");
    code.push_str("pub static DOCUMENTS: &[(&str, &[u8])] = &[\n");
    let docs = data.join("documents");
    let mut dirs = vec![docs.clone()];
    let mut all = Vec::new();
    while let Some(d) = dirs.pop() {
        println!("cargo:rerun-if-changed={}", d.display());
        all.extend(files(&d, None));
        if let Ok(rd) = fs::read_dir(&d) {
            dirs.extend(
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_dir()),
            );
        }
    }
    all.sort();
    for p in all {
        println!("cargo:rerun-if-changed={}", p.display());
        let rel = p.strip_prefix(&docs).expect("below documents/");
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");

    let missions = data.join("missions.yaml");
    println!("cargo:rerun-if-changed={}", missions.display());
    writeln!(
        code,
        "/// The mission registry (`data/missions.yaml`).\npub static MISSIONS_YAML: &str = include_str!({:?});",
        missions.display().to_string()
    )
    .unwrap();

    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundle.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
