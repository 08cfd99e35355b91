#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser test when they are missing.
set -euo pipefail
if [[ -x /usr/bin/chromedriver && -x /usr/bin/chromium ]]; then
    exit 0
fi
SUDO=""
if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
echo "installing chromium and chromium-driver (Debian packages) for the browser test"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
