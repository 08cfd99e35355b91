//! Predictions for a peer suite (one JSONL record per line with `id`, `text`, `lang`) in the shape
//! `score_spans.py` reads: `{"id", "predicted": [{"start", "end", "value"}]}` with UTF-8 byte offsets
//! (score with `--bytes`).
//!
//! usage: peer_predict MODE IN.jsonl OUT.jsonl
//! MODE: `dates` (calendar dates and the wider temporal expressions of `timex::find_narrative`, with
//! TIMEX2 values; within one document, `doc_id` records carry the narrative year from one paragraph to
//! the next), `calendar` (calendar dates only, with the extents of Recognizers-Text), `numbers`,
//! `money`, `legal`.

use std::io::{BufRead, Write};

use mandat_extract::dates::{self, DateContext};
use mandat_extract::{DateValue, Lang, legal, money, num, timex};
use serde_json::{Value, json};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, mode, input, output] = args.as_slice() else {
        return Err(
            "usage: peer_predict dates|calendar|numbers|money|legal IN.jsonl OUT.jsonl".into(),
        );
    };
    let reader = std::io::BufReader::new(std::fs::File::open(input)?);
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    let mut doc: Option<String> = None;
    let mut narrative_year: Option<i16> = None;
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: Value = serde_json::from_str(&line)?;
        let text = rec["text"].as_str().unwrap_or("");
        let lang = if rec["lang"].as_str() == Some("en") {
            Lang::En
        } else {
            Lang::De
        };
        let doc_id = rec["doc_id"].as_str().map(str::to_string);
        if doc_id != doc {
            narrative_year = None;
            doc = doc_id;
        }
        let mut predicted = Vec::new();
        match mode.as_str() {
            "dates" => {
                // Calendar dates plus the wider temporal expressions; where they overlap, the
                // longer one stands.
                let n = timex::find_narrative(text, narrative_year);
                narrative_year = n.year_after;
                let mut spans: Vec<(usize, usize, Option<String>)> = Vec::new();
                for t in &n.timexes {
                    spans.push((t.span.start, t.span.end, Some(t.value.clone())));
                }
                for d in &n.dates {
                    let value = d.value.map(|v| timex2_value(d.span.slice(text), v)).ok();
                    spans.push((d.span.start, d.span.end, value));
                }
                spans.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
                let mut last_end = 0;
                for (start, end, value) in spans {
                    if start < last_end {
                        continue;
                    }
                    last_end = end;
                    predicted.push(json!({"start": start, "end": end, "value": value}));
                }
            }
            "calendar" => {
                let ctx = DateContext {
                    reference: None,
                    narrative_year,
                };
                for d in dates::find(text, lang, &ctx) {
                    if dates::moves_narrative(text, &d) {
                        narrative_year = d.value.ok().map(|v| v.year());
                    }
                    let value = d.value.map(|v| v.to_string()).ok();
                    // Recognizers-Text counts the article of a German day date to its extent
                    // ("für den 28. Oktober"); the recogniser, like TIMEX2, leaves it out.
                    let mut start = d.span.start;
                    if lang == Lang::De
                        && text[..start].ends_with("den ")
                        && !text[..start - 4].ends_with(char::is_alphanumeric)
                        && d.span.slice(text).starts_with(|c: char| c.is_ascii_digit())
                    {
                        start -= 4;
                    }
                    predicted.push(json!({"start": start, "end": d.span.end, "value": value}));
                }
            }
            "numbers" => {
                for n in num::find(text) {
                    predicted
                        .push(json!({"start": n.span.start, "end": n.span.end, "value": n.value}));
                }
            }
            "money" => {
                for m in money::find(text, lang) {
                    predicted
                        .push(json!({"start": m.span.start, "end": m.span.end, "value": m.value}));
                }
            }
            "legal" => {
                let ds = dates::find(text, lang, &DateContext::default());
                for r in legal::find(text, lang, &ds) {
                    predicted.push(json!({"start": r.span.start, "end": r.span.end, "value": r.id.to_string()}));
                }
            }
            other => return Err(format!("unknown mode {other}").into()),
        }
        writeln!(out, "{}", json!({"id": rec["id"], "predicted": predicted}))?;
    }
    Ok(())
}

/// The TIMEX2 value of a calendar date: "Ende Juni" is the month with a modifier (mod=END) in
/// TIMEX2, where the recogniser reads it as the month's last day (the end of a mandate period).
fn timex2_value(written: &str, value: DateValue) -> String {
    let lower = written.to_lowercase();
    let end_qualified = ["ende ", "end of ", "the end of "]
        .iter()
        .any(|q| lower.starts_with(q));
    match value {
        DateValue::Day(d) if end_qualified && d == d.last_of_month() => DateValue::Month {
            year: d.year(),
            month: d.month(),
        }
        .to_string(),
        v => v.to_string(),
    }
}
