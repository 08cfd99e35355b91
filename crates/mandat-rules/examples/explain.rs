//! Prints the verdict and explanation of every query of the scenario files given as arguments:
//! `cargo run -p mandat-rules --example explain -- scenarios/05a-section4-christmas.yaml`

fn main() {
    for path in std::env::args().skip(1) {
        let yaml = match std::fs::read_to_string(&path) {
            Ok(y) => y,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        };
        let scenario = match mandat_rules::parse_scenario(&path, &yaml) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
        let outcomes = match mandat_rules::check_scenario(&scenario) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        };
        for o in outcomes {
            println!(
                "== {path}:{} [{}]",
                o.query.line,
                if o.pass() { "pass" } else { "FAIL" }
            );
            print!("{}", mandat_rules::render_verdict(&o.verdict));
        }
    }
}
