#!/usr/bin/env bash
# Extraction benchmark: the divan bench (whole pipeline at 1x, 10x, 100x of 512 KiB of realistic
# text), then mandat-extract on about 50 MB of generated documents (one pass) and Python's dateparser
# `search_dates` on 512 KiB of the same generator (it is several hundred times slower), both in CPU
# time of one core, and the ratio of the rates. dateparser is installed into a temporary directory
# with `pip install --target`. Needs ../shared beside the repository (seeds and corpus).
#   SKIP_DIVAN=1 skips the long divan run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
target="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"

if [ -z "${SKIP_DIVAN:-}" ]; then
  cargo bench -p mandat-extract --bench pipeline
fi

cargo build -q --release -p mandat-extract --example bench_text --example throughput
"$target/release/examples/bench_text" 524288 "$tmp/text.txt"

# One pass over the 100x text (about 50 MB of documents, none repeated), in CPU time of the
# measuring thread, so other load on the machine does not count: repeating one small text would let
# caches and branch predictors learn it and overstate the rate. The patterns are compiled and their
# caches warmed first on other documents of the same kind (the project's own labelled corpus,
# corpus/docs, which the generated text does not contain), and only the pass is timed.
warm="$tmp/warm.txt"
for f in "$root"/corpus/docs/*.txt; do cat "$f"; printf '\f'; done > "$warm"
"$target/release/examples/bench_text" 52428800 "$tmp/text100.txt"
bytes=$(stat -c %s "$tmp/text100.txt")
line=$(WARM="$warm" REPEAT=1 "$target/release/examples/throughput" "$tmp/text100.txt" --split)
ours=$(echo "$line" | awk '/^pipeline/ {print $2}')
echo "mandat_extract_MBps=$ours (whole pipeline, per document, one pass over $bytes bytes, CPU time of one core)"
rm -f "$tmp/text100.txt"

pip install -q --target "$tmp/py" dateparser >/dev/null 2>&1
theirs=$(PYTHONPATH="$tmp/py" python3 "$root/bench/extract/dateparser_bench.py" "$tmp/text.txt")
echo "$theirs"
python3 - "$ours" "$theirs" <<'PY'
import sys
ours = float(sys.argv[1])
theirs = float(dict(kv.split("=") for kv in sys.argv[2].split())["dateparser_MBps"])
print("ratio mandat-extract / dateparser = %.0fx" % (ours / theirs))
PY
