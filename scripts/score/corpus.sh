#!/usr/bin/env bash
# Extracts the development corpus (../shared/corpus beside the repository, or CORPUS=...) and
# prints the scorer's full per-field table.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus}"
[ -d "$corpus/docs" ] || { echo "corpus not found at $corpus (set CORPUS)" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cargo run -q --release -p mandat-extract --example extract_jsonl --manifest-path "$root/Cargo.toml" -- \
  "$corpus"/docs/*.txt > "$tmp/pred.jsonl"
python3 "$corpus/score.py" "$corpus/gold.jsonl" "$tmp/pred.jsonl" ${VERBOSE:+--verbose}
