#!/usr/bin/env bash
# Runs schemathesis (PyPI) against the OpenAPI document of a running `mandat serve`: no request may
# get a server error, and every response must match the schema. Called by .ci/run.
#
# Excluded check: `positive_data_acceptance` ("schema-valid request rejected"). Some inputs the schema
# cannot rule out are rightly refused with 4xx: impossible calendar dates such as 2025-02-30, which a
# string pattern cannot exclude, and free-text fields (`q`, `source`) made of whitespace only.
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE="${MANDAT_CACHE_DIR:-${HOME}/.cache/mandat}"
VENV="$CACHE/venv-schemathesis"
ST_VERSION="4.32.5"
if [[ ! -x "$VENV/bin/st" ]] || ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$ST_VERSION"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "schemathesis==$ST_VERSION"
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME}/.cache/mandat/ci-target}"
if [[ -z "${MANDAT_BIN:-}" ]]; then
    cargo build --locked -p mandat-cli --quiet
fi
BIN="${MANDAT_BIN:-$CARGO_TARGET_DIR/debug/mandat}"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export MANDAT_DATABASE_URL="sqlite://$WORK/mandat.sqlite"
"$BIN" db migrate >/dev/null
"$BIN" user add st-admin --role admin --clearance 3 >/dev/null
TOKEN="$("$BIN" user token st-admin 2>&1 | grep -o 'mdt_[0-9a-f_]*' | head -n1)"
[[ -n "$TOKEN" ]] || { echo "could not create an API token" >&2; exit 1; }

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$BIN" serve --bind "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/api/v1/missions" >/dev/null 2>&1 && break
    sleep 0.2
done

# schemathesis writes its state into the working directory: keep it out of the checkout.
(cd "$WORK" && "$VENV/bin/st" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --checks all --exclude-checks positive_data_acceptance \
    --max-examples "${MANDAT_ST_EXAMPLES:-40}" --workers 1 \
    --generation-deterministic \
    -H "Authorization: Bearer $TOKEN")

if grep -q "panicked" "$WORK/server.log"; then
    echo "the server panicked during the schemathesis run:" >&2
    grep -A5 "panicked" "$WORK/server.log" >&2
    exit 1
fi
