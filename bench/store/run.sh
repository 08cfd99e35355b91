#!/usr/bin/env bash
# Store benchmark: ingest rate and database size at 10,000 documents, search latency (p50/p99) at
# 10,000 and 100,000 documents, on SQLite and PostgreSQL, then one table of the figures and how
# each grows from the small size to the large one.
#   MANDAT_BENCH_INGEST / MANDAT_BENCH_SEARCH   the two sizes (default 10000 / 100000)
#   MANDAT_BENCH_BACKENDS                       default sqlite,postgres
#   MANDAT_TEST_PG_URL                          default postgres://postgres@127.0.0.1:5432/postgres
# PostgreSQL must be running (scripts/ci/services.sh starts it); the run makes and drops a schema.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$root"

echo "machine: $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -q -p mandat-store --bench store | tee "$tmp/out.txt"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$tmp/out.txt" <<'PY'
import sys
rows = []
for line in open(sys.argv[1]):
    if line.startswith("result "):
        rows.append(dict(kv.split("=", 1) for kv in line.split()[1:]))

def find(kind, backend, docs=None):
    for r in rows:
        if r["kind"] == kind and r["backend"] == backend and (docs is None or r["docs"] == docs):
            return r
    return None

print()
print("| backend | documents | ingest docs/s | DB MB | KB/doc | search p50 ms | search p99 ms | hits/query |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
backends = []
for r in rows:
    if r["backend"] not in backends:
        backends.append(r["backend"])
for b in backends:
    for s in [r for r in rows if r["backend"] == b and r["kind"] == "search"]:
        ing = find("ingest", b, s["docs"]) or find("grow", b, s["docs"])
        rate = "%.0f" % float(ing["docs_per_s"]) if ing else ""
        if ing and ing["kind"] == "grow":
            rate += " (%s writers)" % ing["writers"]
        mb = int(s["db_bytes"]) / 1e6
        print("| %s | %s | %s | %.0f | %.1f | %.2f | %.2f | %s |" % (
            b, s["docs"], rate, mb, int(s["db_bytes"]) / int(s["docs"]) / 1e3,
            float(s["p50_ms"]), float(s["p99_ms"]), s["hits_per_query"]))
print()
for b in backends:
    searches = [r for r in rows if r["backend"] == b and r["kind"] == "search"]
    if len(searches) >= 2:
        a, z = searches[0], searches[-1]
        n = int(z["docs"]) / int(a["docs"])
        print("%s, %sx the documents: database %.1fx, search p50 %.2fx, p99 %.2fx" % (
            b, "%g" % n, int(z["db_bytes"]) / int(a["db_bytes"]),
            float(z["p50_ms"]) / float(a["p50_ms"]), float(z["p99_ms"]) / float(a["p99_ms"])))
PY
