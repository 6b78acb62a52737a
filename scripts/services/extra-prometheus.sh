#!/usr/bin/env bash
# Installs Prometheus 2.x from Debian's packages for `promtool` (the Grafana dashboards' PromQL check, the
# alert-rule tests) and the server the end-to-end test starts. Idempotent: returns at once when promtool is on
# PATH. Starts nothing.
set -euo pipefail
if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  exit 0
fi
echo "extra-prometheus.sh: installing prometheus from Debian's packages" >&2
install_prometheus() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
}
export -f install_prometheus
# Without a package list (fresh container) the install fails; update once and retry.
flock /tmp/otel-perf-apt.lock bash -c 'install_prometheus 2>/dev/null || { apt-get update -qq && install_prometheus; }'
command -v promtool >/dev/null 2>&1 || { echo "extra-prometheus.sh: promtool did not install" >&2; exit 1; }
echo "extra-prometheus.sh: $(promtool --version 2>&1 | head -n1)" >&2
