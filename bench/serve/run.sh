#!/usr/bin/env bash
# Load benchmark of the status endpoint: `mandat serve` (release build, SQLite, bundled dataset) under
# wrk at 1, 16 and 64 connections, and side by side Datasette serving a read of the same SQLite
# file (the accepted claims of the mission, which is what the verdict is computed from).
# Prints requests/s and p50/p99 latency for each, the ratio, and as a control the requests/s of a
# trivial route of the same server (an HTML 404) in the same run: what the HTTP stack and the load
# generator allow on this machine at that moment.
#
#   bench/serve/run.sh            # 10 s per run
#   DURATION=30s bench/serve/run.sh
#   SERVER_CPUS=0 WRK_CPUS=1 THREADS=1 bench/serve/run.sh   # pin server and wrk to separate cores
#
# By default nothing is pinned: the server runs 2 worker threads and wrk 2 threads on the same
# cores (both compete for them, as they would on a small host). SERVER_CPUS / WRK_CPUS take a
# taskset CPU list; THREADS sets the server's worker threads.
#
# Installs what it needs: wrk (Debian package) and Datasette (PyPI, in a cached virtualenv).
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${DURATION:-10s}"
MISSION="${MISSION:-KFOR}"
THREADS="${THREADS:-2}"
SERVER_CPUS="${SERVER_CPUS:-}"
WRK_CPUS="${WRK_CPUS:-}"
CACHE="${MANDAT_CACHE_DIR:-${HOME}/.cache/mandat}"

if ! command -v wrk >/dev/null; then
    SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
    $SUDO apt-get install -y -qq wrk >/dev/null
fi
VENV="$CACHE/venv-datasette"
if [[ ! -x "$VENV/bin/datasette" ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "datasette==0.65.1"
fi

cargo build --release --locked -p mandat-cli --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/mandat"

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

DB="$WORK/mandat.sqlite"
export MANDAT_DATABASE_URL="sqlite://$DB"
"$BIN" db migrate >/dev/null
"$BIN" missions >/dev/null   # first use loads the bundled dataset

# `pin CPUS`: the taskset prefix for a CPU list, or nothing.
pin() { [[ -n "$1" ]] && echo "taskset -c $1"; return 0; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 150); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

P1="$(free_port)"
RUST_LOG=error $(pin "$SERVER_CPUS") "$BIN" serve --bind "127.0.0.1:$P1" --threads "$THREADS" >"$WORK/mandat.log" 2>&1 &
PIDS+=($!)
P2="$(free_port)"
$(pin "$SERVER_CPUS") "$VENV/bin/datasette" serve "$DB" --port "$P2" --setting sql_time_limit_ms 10000 >"$WORK/datasette.log" 2>&1 &
PIDS+=($!)

MANDAT_URL="http://127.0.0.1:$P1/api/v1/missions/$MISSION/status?on=2024-06-01"
CONTROL_URL="http://127.0.0.1:$P1/no-such-page"
SQL="select c.id, c.fact_id, c.kind, c.payload from claims c join claim_missions m on m.claim_id = c.id where m.mission = '$MISSION' order by c.id"
DS_URL="http://127.0.0.1:$P2/mandat.json?sql=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$SQL")&_shape=array"
wait_for "$MANDAT_URL"
wait_for "$DS_URL"

# wrk prints latency percentiles with --latency; convert them to milliseconds.
run() {
    local url="$1" conns="$2" threads=1
    [[ "$conns" -ge 2 ]] && threads=2
    $(pin "$WRK_CPUS") wrk -t"$threads" -c"$conns" -d"$DURATION" --latency "$url" >"$WORK/wrk.out" 2>&1
    python3 - "$WORK/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
# Anchored at line start: "+/- Stdev" columns such as "88.50%" must not be read as percentiles.
p50 = ms(re.search(r"^\s*50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s*99%\s+(\S+)", text, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {p50:.2f} {p99:.2f} {errors.group(1) if errors else 0}")
PY
}

echo "status endpoint of $MISSION, $DURATION per run; server: $THREADS worker threads, CPUs ${SERVER_CPUS:-any};"
echo "wrk: CPUs ${WRK_CPUS:-any}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-6s | %-28s | %-28s | %-6s | %s\n" "conns" "mandat req/s  p50 ms  p99 ms" "datasette req/s p50 ms p99 ms" "ratio" "control (404) req/s"
for c in 1 16 64; do
    read -r r1 a1 b1 e1 < <(run "$MANDAT_URL" "$c")
    read -r r2 a2 b2 e2 < <(run "$DS_URL" "$c")
    read -r r3 _ _ _ < <(run "$CONTROL_URL" "$c")
    ratio="$(python3 -c "print(f'{$r1/$r2:.1f}x' if $r2 else 'n/a')")"
    printf "%-6s | %8s %8s %8s    | %8s %8s %8s    | %-6s | %8s\n" "$c" "$r1" "$a1" "$b1" "$r2" "$a2" "$b2" "$ratio" "$r3"
    [[ "$e1" == 0 && "$e2" == 0 ]] || echo "  non-2xx answers: mandat $e1, datasette $e2"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
