//! Embeds every file of the top-level `data/` folder that the dataset consists of, so that the
//! binary needs no files at run time. A new file in `data/facts/` is picked up without code changes.
//!
//! The contents are written into the generated code as literals, and every `rerun-if-changed` path
//! is relative to this package: `data/` lies outside the package, and absolute paths (in
//! `include_str!` or here) would tie the build's fingerprint to one checkout, so that another
//! checkout sharing the target directory (a build cache) would reuse the first one's data.

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

/// A Rust literal of `text`.
fn str_literal(text: &str) -> String {
    format!("{text:?}")
}

/// A Rust expression of type `&[u8]` holding `bytes`.
fn bytes_literal(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 + 4);
    out.push_str("b\"");
    for b in bytes {
        write!(out, "{}", std::ascii::escape_default(*b)).unwrap();
    }
    out.push('"');
    out
}

fn read(p: &Path) -> Vec<u8> {
    fs::read(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

fn main() {
    // Relative to the package root, as cargo reads `rerun-if-changed` paths.
    let data = Path::new("../../data");
    assert!(data.is_dir(), "the data/ folder exists");
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
        let text = String::from_utf8(read(p))
            .unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", p.display()));
        writeln!(code, "    ({name:?}, {}),", str_literal(&text)).unwrap();
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
        writeln!(code, "    ({name:?}, {}),", bytes_literal(&read(&p))).unwrap();
    }
    code.push_str("];\n");

    let missions = data.join("missions.yaml");
    println!("cargo:rerun-if-changed={}", missions.display());
    let text = String::from_utf8(read(&missions)).expect("missions.yaml is UTF-8");
    writeln!(
        code,
        "/// The mission registry (`data/missions.yaml`).\npub static MISSIONS_YAML: &str = {};",
        str_literal(&text)
    )
    .unwrap();

    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundle.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
