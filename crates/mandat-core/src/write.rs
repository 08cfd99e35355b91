//! Writing dataset files: the canonical YAML form of a [`FactFile`], which [`parse_fact_file`]
//! reads back to the same sources and facts.
//!
//! The form is fixed so that the same file content always gives the same bytes: keys in one
//! order per kind (`id`, `kind`, what the fact is about, `valid`, `recorded`, the kind's fields,
//! `source` last), lists and periods in flow style, values left at their defaults omitted
//! (`dependency: advisory`, `overrun_permitted: false`, empty lists), and strings quoted exactly
//! when YAML could read them as something else.
//!
//! [`parse_fact_file`]: crate::parse_fact_file

use std::fmt::Write as _;

use crate::fact::{
    Citation, DemandBy, Dependency, Fact, FactKind, Lang, MandateTerms, PartialDate, Procedure,
    Source, VoteResult, WprCategory,
};
use crate::file::FactFile;
use crate::period::{Period, PeriodEnd};

/// Writes a dataset file in the canonical form: `about` (when given), `sources`, `facts`, in the
/// order given.
pub fn write_fact_file(file: &FactFile) -> String {
    let mut out = String::new();
    if let Some(about) = &file.about {
        out.push_str("about: ");
        block_text(&mut out, about, "  ");
        out.push_str("\n\n");
    }
    out.push_str("sources:");
    if file.sources.is_empty() {
        out.push_str(" []");
    }
    out.push('\n');
    for s in &file.sources {
        write_source(&mut out, s);
    }
    out.push_str("\nfacts:");
    if file.facts.is_empty() {
        out.push_str(" []");
    }
    out.push('\n');
    for (i, f) in file.facts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_fact(&mut out, f);
    }
    out
}

fn write_source(out: &mut String, s: &Source) {
    let _ = writeln!(out, "  - id: {}", scalar(s.id.as_str()));
    let _ = writeln!(out, "    publisher: {}", scalar(&s.publisher));
    let _ = writeln!(out, "    title: {}", scalar(&s.title));
    let date = match s.date {
        PartialDate::Day(d) => d.to_string(),
        PartialDate::Month { year, month } => format!("\"{year:04}-{month:02}\""),
        PartialDate::Year(y) => format!("\"{y:04}\""),
    };
    let _ = writeln!(out, "    date: {date}");
    if let Some(u) = &s.url {
        let _ = writeln!(out, "    url: {}", scalar(u));
    }
    let lang = match s.lang {
        Lang::De => "de",
        Lang::En => "en",
    };
    let _ = writeln!(out, "    lang: {lang}");
    if let Some(p) = &s.printed_paper {
        let _ = writeln!(out, "    printed_paper: \"{p}\"");
    }
    if let Some(d) = &s.document {
        let _ = writeln!(out, "    document: {}", scalar(d));
    }
}

fn write_fact(out: &mut String, f: &Fact) {
    let mut lines: Vec<(&str, String)> = Vec::new();
    lines.push(("kind", f.kind.name().to_owned()));
    let missions = |m: &[crate::ids::MissionId]| -> String {
        if m.len() == 1 {
            scalar(m[0].as_str())
        } else {
            flow_list(m.iter().map(|x| x.as_str()))
        }
    };
    // What the fact is about comes before its times.
    let mut about: Vec<(&str, String)> = Vec::new();
    let mut fields: Vec<(&str, String)> = Vec::new();
    match &f.kind {
        FactKind::LegalBasis { legal_ref, period } => {
            about.push(("ref", scalar(legal_ref.as_str())));
            if let Some(p) = period {
                fields.push(("period", period_flow(p)));
            }
        }
        FactKind::LegalBasisEnded { legal_ref } => about.push(("ref", scalar(legal_ref.as_str()))),
        FactKind::CabinetDecision {
            missions: m,
            ceiling,
            period,
        } => {
            about.push(("mission", missions(m)));
            let mut parts = Vec::new();
            if let Some(c) = ceiling {
                parts.push(format!("ceiling: {}", c.get()));
            }
            if let Some(p) = period {
                parts.push(format!("period: {}", period_flow(p)));
            }
            if !parts.is_empty() {
                fields.push(("proposes", format!("{{{}}}", parts.join(", "))));
            }
        }
        FactKind::ApplicationDistributed {
            procedure,
            terms,
            extends,
        } => {
            about.push(("mission", missions(&terms.missions)));
            let p = match procedure {
                Procedure::Regular => "regular",
                Procedure::Simplified => "simplified",
                Procedure::Extension => "extension",
                Procedure::Retroactive => "retroactive",
            };
            fields.push(("procedure", p.to_owned()));
            terms_fields(&mut fields, terms);
            if let Some(e) = extends {
                fields.push(("extends", scalar(e.as_str())));
            }
        }
        FactKind::DebateRequested { application, by } => {
            about.push(("application", scalar(application.as_str())));
            match by {
                DemandBy::Group(g) => fields.push(("by", scalar(g))),
                DemandBy::Members(n) => fields.push(("members", n.to_string())),
            }
        }
        FactKind::Vote {
            application,
            result,
            tally,
            printed_paper,
        } => {
            about.push(("application", scalar(application.as_str())));
            let r = match result {
                VoteResult::Approved => "approved",
                VoteResult::Rejected => "rejected",
            };
            fields.push(("result", r.to_owned()));
            if let Some(y) = tally.yes {
                fields.push(("\"yes\"", y.to_string()));
            }
            if let Some(n) = tally.no {
                fields.push(("\"no\"", n.to_string()));
            }
            if let Some(a) = tally.abstain {
                fields.push(("abstain", a.to_string()));
            }
            if let Some(p) = printed_paper {
                fields.push(("printed_paper", format!("\"{p}\"")));
            }
        }
        FactKind::MandateApproved { terms, supersedes } => {
            about.push(("mission", missions(&terms.missions)));
            terms_fields(&mut fields, terms);
            if !supersedes.is_empty() {
                fields.push((
                    "supersedes",
                    flow_list(supersedes.iter().map(|s| s.as_str())),
                ));
            }
        }
        FactKind::DeploymentStarted { missions: m }
        | FactKind::EmergencyDeploymentStarted { missions: m }
        | FactKind::DeploymentEnded { missions: m }
        | FactKind::Report { missions: m }
        | FactKind::Authorization { missions: m }
        | FactKind::Certification { missions: m } => about.push(("mission", missions(m))),
        FactKind::Revocation { mandate } => about.push(("mandate", scalar(mandate.as_str()))),
        FactKind::StrengthReport { missions: m, count } => {
            about.push(("mission", missions(m)));
            fields.push(("count", count.to_string()));
        }
        FactKind::Classification {
            missions: m,
            armed,
            by,
        } => {
            about.push(("mission", missions(m)));
            fields.push(("armed", armed.to_string()));
            fields.push(("by", scalar(by)));
        }
        FactKind::SittingDays { dates } => {
            let d: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
            fields.push(("dates", format!("[{}]", d.join(", "))));
        }
        FactKind::Members { count } => fields.push(("count", count.to_string())),
        FactKind::Introduction {
            missions: m,
            category,
        } => {
            about.push(("mission", missions(m)));
            let c = match category {
                WprCategory::Hostilities => "\"4a1\"",
                WprCategory::EquippedForCombat => "\"4a2\"",
                WprCategory::Enlargement => "\"4a3\"",
            };
            fields.push(("category", c.to_owned()));
        }
        FactKind::InformationLetter {
            missions: m,
            compelling_reasons,
        } => {
            about.push(("mission", missions(m)));
            if *compelling_reasons {
                fields.push(("compelling_reasons", "true".to_owned()));
            }
        }
    }
    lines.extend(about);
    lines.push(("valid", scalar(&f.valid.to_string())));
    lines.push(("recorded", scalar(&f.recorded.to_string())));
    lines.extend(fields);
    let _ = writeln!(out, "  - id: {}", scalar(f.id.as_str()));
    for (k, v) in lines {
        let _ = writeln!(out, "    {k}: {v}");
    }
    match &f.source {
        None => {}
        Some(Citation::Text(t)) => {
            let _ = writeln!(out, "    source: {}", quoted(t));
        }
        Some(Citation::Source {
            source,
            quote,
            note,
        }) => {
            let _ = writeln!(out, "    source:\n      ref: {}", scalar(source.as_str()));
            if let Some(q) = quote {
                let _ = writeln!(out, "      quote: {}", quoted(q));
            }
            if let Some(n) = note {
                let _ = writeln!(out, "      note: {}", quoted(n));
            }
        }
    }
}

fn terms_fields(fields: &mut Vec<(&str, String)>, t: &MandateTerms) {
    if let Some(c) = t.ceiling {
        fields.push(("ceiling", c.get().to_string()));
    }
    if let Some(p) = &t.period {
        fields.push(("period", period_flow(p)));
    }
    if !t.legal_bases.is_empty() {
        fields.push((
            "legal_bases",
            flow_list(t.legal_bases.iter().map(|l| l.as_str())),
        ));
    }
    if t.dependency == Dependency::Strict {
        fields.push(("dependency", "strict".to_owned()));
    }
    if !t.conditions.expires_if_ended.is_empty() {
        fields.push((
            "conditions",
            format!(
                "{{expires_if_ended: {}}}",
                flow_list(t.conditions.expires_if_ended.iter().map(|l| l.as_str()))
            ),
        ));
    }
    if t.overrun_permitted {
        fields.push(("overrun_permitted", "true".to_owned()));
    }
    if let Some(p) = &t.printed_paper {
        fields.push(("printed_paper", format!("\"{p}\"")));
    }
    if let Some(a) = &t.area {
        fields.push(("area", scalar(a)));
    }
    if let Some(c) = t.costs_eur_cents {
        let (euro, cents) = (c / 100, c % 100);
        let v = match cents {
            0 => euro.to_string(),
            c if c % 10 == 0 => format!("{euro}.{}", c / 10),
            c => format!("{euro}.{c:02}"),
        };
        fields.push(("costs_eur", v));
    }
}

fn period_flow(p: &Period) -> String {
    let until = match p.end() {
        PeriodEnd::Open => "open".to_owned(),
        PeriodEnd::Last(d) => d.to_string(),
    };
    format!("{{from: {}, until: {until}}}", p.from())
}

fn flow_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.map(flow_scalar).collect();
    format!("[{}]", v.join(", "))
}

/// A string in flow context (inside `[...]` or `{...}`): plain when safe there, else quoted.
fn flow_scalar(s: &str) -> String {
    if s.contains([',', '[', ']', '{', '}']) {
        quoted(s)
    } else {
        scalar(s)
    }
}

/// A string as a plain scalar when YAML reads it back as the same string, else double-quoted.
pub(crate) fn scalar(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || !(first.is_alphanumeric() || first == '§') {
        return false;
    }
    // Words YAML 1.1 or 1.2 read as booleans or null.
    const SPECIAL: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "nan", "inf",
    ];
    if SPECIAL.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    // Anything made only of digits and number punctuation may read as a number or time, except
    // a full date, which every reader here takes as text.
    let numeric = s
        .chars()
        .all(|c| c.is_ascii_digit() || "-+._:/eE".contains(c));
    if numeric && !is_iso_date(s) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    // Indicators such as `*`, `&`, `!`, `|`, `%` or `@` are special only at the start, which is a
    // letter or digit here; quotes and backslashes are quoted anyway, for the reader.
    s.chars()
        .all(|c| !c.is_control() && !matches!(c, '"' | '\'' | '\\'))
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// A double-quoted YAML string.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A multi-line text as a literal block (`|-`, lines indented by `indent`) when that keeps it
/// exactly, else double-quoted.
fn block_text(out: &mut String, text: &str, indent: &str) {
    let literal_ok = !text.is_empty()
        && !text.starts_with([' ', '\n'])
        && !text.ends_with(['\n', ' '])
        && text
            .lines()
            .all(|l| l.trim_end() == l && !l.chars().any(|c| c.is_control() && c != '\t'))
        && !text.contains('\t')
        && !text.contains('\r');
    if literal_ok {
        out.push_str("|-\n");
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if !line.is_empty() {
                out.push_str(indent);
                out.push_str(line);
            }
        }
    } else {
        out.push_str(&quoted(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_fact_file;

    #[test]
    fn written_file_reads_back_to_the_same_content() {
        let y = "about: |-\n  A mission.\n\n  Second paragraph: „quoted“.\nsources:\n  - {id: s1, publisher: \"BPA: Presse\", title: \"yes\", date: \"2025-05\", lang: de, printed_paper: \"21/123\", url: \"https://x.de/a#b\"}\n  - {id: s2, publisher: P, title: T, date: \"2001\", lang: en}\nfacts:\n  - id: m1\n    kind: mandate_approved\n    mission: [Counter Daesh, NATO Mission Iraq]\n    valid: 2025-06-05\n    ceiling: 500\n    period: {from: 2025-06-05, until: open}\n    legal_bases: [UNSC 1244]\n    dependency: strict\n    conditions: {expires_if_ended: [UNSC 1244]}\n    costs_eur: 3100000.5\n    area: \"Irak, Jordanien\"\n    source: {ref: s1, quote: \"bis zu 500 \\\"Soldaten\\\"\", note: \"a\\nb\"}\n  - id: v1\n    kind: vote\n    application: m1\n    valid: 2025-06-05T17:30:00+02:00\n    result: approved\n    \"yes\": 1\n    \"no\": 0\n    source: {ref: s2}\n  - {id: d, kind: debate_requested, application: m1, valid: 2025-06-06, members: 32, source: free text}\n  - {id: c, kind: cabinet_decision, mission: KFOR, valid: 2025-05-21, proposes: {ceiling: 400}}\n";
        let first = parse_fact_file("f.yaml", y).expect("input parses");
        let text = write_fact_file(&first);
        let again = parse_fact_file("f.yaml", &text)
            .unwrap_or_else(|e| panic!("written file does not parse: {e}\n{text}"));
        assert_eq!(first, again, "{text}");
        assert_eq!(write_fact_file(&again), text, "writing is a fixed point");
        assert!(
            text.starts_with("about: |-\n  A mission.\n\n  Second"),
            "{text}"
        );
        assert!(text.contains("    \"yes\": 1\n"), "{text}");
        assert!(text.contains("    costs_eur: 3100000.5\n"), "{text}");
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        for s in [
            "yes", "No", "2018-10", "20/408", "1.5", " x", "a: b", "a #b", "", "null",
        ] {
            assert!(scalar(s).starts_with('"'), "{s:?} must be quoted");
        }
        for s in [
            "KFOR",
            "2025-05-21",
            "UNSC 1244",
            "https://a.de/x?y=1#z",
            "https://a.de/bmvg/!ut/p/c4%C3/a@b",
            "Art. 24(2) GG",
        ] {
            assert_eq!(scalar(s), s);
        }
    }
}
