#!/usr/bin/env bash
# Starts what the test suite needs on this machine and fails loudly if it cannot.
set -euo pipefail

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "postgresql client tools missing: installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_ready; then
  echo "postgresql on 127.0.0.1:5432 is down: starting it"
  for v in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  done
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi
pg_ready || { echo "postgresql is not reachable on 127.0.0.1:5432; the store suite needs it" >&2; exit 1; }
echo "postgresql ready on 127.0.0.1:5432"
