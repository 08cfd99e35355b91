#!/usr/bin/env bash
# Extracts the repository's own labelled corpus (corpus/ at the top level, or CORPUS=...) and prints
# the per-field table of scripts/score/devscore.py. VERBOSE=1 lists every miss; MIN_F1=x fails
# (exit 1) below that corpus micro-F1.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${CORPUS:-$root/corpus}"
[ -f "$corpus/gold.jsonl" ] || { echo "no gold.jsonl in $corpus (set CORPUS)" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cargo run -q --release -p mandat-extract --example extract_jsonl --manifest-path "$root/Cargo.toml" -- \
  "$corpus"/docs/*.txt > "$tmp/pred.jsonl"
python3 "$root/scripts/score/devscore.py" "$corpus/gold.jsonl" "$tmp/pred.jsonl" \
  ${VERBOSE:+--verbose} ${MIN_F1:+--min-f1 "$MIN_F1"}
