//! Extracts each file given on the command line (plain UTF-8 text) and prints one contract JSON
//! object per line, like `mandat extract FILE... --json` does for text files.

use mandat_extract::{ExtractOptions, MissionRegistry, extract};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let registry = MissionRegistry::bundled();
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path)?;
        let x = extract(&text, &registry, &ExtractOptions::new(path));
        println!("{}", serde_json::to_string(&x)?);
    }
    Ok(())
}
