#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: starts PostgreSQL if it is down (the store suite runs
# against it), installs Chromium for the browser test if it is missing, then `cargo test --workspace`.
# Extra arguments go to cargo (CI passes --locked).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ci/services.sh
bash scripts/ci/browser.sh
cargo test --workspace "$@"
