#!/usr/bin/env bash
# Installs wrk (the HTTP load generator `npm run bench` drives on loopback) from Debian's packages.
# Idempotent: returns at once when wrk is on PATH.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
echo "extra-wrk.sh: installing wrk from Debian's packages" >&2
install_wrk() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
export -f install_wrk
# Without a package list (fresh container) the install fails; update once and retry.
flock /tmp/otel-perf-apt.lock bash -c 'install_wrk 2>/dev/null || { apt-get update -qq && install_wrk; }'
command -v wrk >/dev/null 2>&1 || { echo "extra-wrk.sh: wrk did not install" >&2; exit 1; }
echo "extra-wrk.sh: $(wrk -v 2>&1 | head -n1)" >&2
