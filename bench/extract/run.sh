#!/usr/bin/env bash
# Extraction benchmark: the divan bench (whole pipeline at 1x, 10x, 100x of 512 KiB of realistic
# text), then mandat-extract and Python's dateparser `search_dates` on the same 512 KiB text, both
# measured in CPU time of one core, and the ratio. dateparser is installed into a temporary
# directory with `pip install --target`. Needs ../shared beside the repository (seeds and corpus).
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

# CPU time of the process (user + system), so other load on the machine does not count.
cpu_seconds() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
# One pass to warm up, eleven timed passes: the difference of two runs cancels start-up.
base=$(REPEAT=1 cpu_seconds "$target/release/examples/throughput" "$tmp/text.txt" --split)
more=$(REPEAT=11 cpu_seconds "$target/release/examples/throughput" "$tmp/text.txt" --split)
bytes=$(stat -c %s "$tmp/text.txt")
ours=$(python3 -c "print('%.2f' % ($bytes * 10 / max($more - $base, 1e-9) / 1e6))")
echo "mandat_extract_MBps=$ours (whole pipeline, per document, CPU time of one core)"

pip install -q --target "$tmp/py" dateparser >/dev/null 2>&1
theirs=$(PYTHONPATH="$tmp/py" python3 "$root/bench/extract/dateparser_bench.py" "$tmp/text.txt")
echo "$theirs"
python3 - "$ours" "$theirs" <<'PY'
import sys
ours = float(sys.argv[1])
theirs = float(dict(kv.split("=") for kv in sys.argv[2].split())["dateparser_MBps"])
print("ratio mandat-extract / dateparser = %.0fx" % (ours / theirs))
PY
