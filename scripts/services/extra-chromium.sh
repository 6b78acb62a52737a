#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser test (driven by playwright-core with
# executablePath; no browser download). Idempotent.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "extra-chromium.sh: $(chromium --version 2>/dev/null | head -n1)" >&2
  exit 0
fi
echo "extra-chromium.sh: installing chromium from Debian's packages" >&2
flock /tmp/otel-perf-apt.lock bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'
command -v chromium >/dev/null 2>&1 || { echo "extra-chromium.sh: chromium did not install" >&2; exit 1; }
echo "extra-chromium.sh: $(chromium --version 2>/dev/null | head -n1)" >&2
