#!/usr/bin/env bash
# Installs Prometheus 2.x (with promtool) and Alertmanager (with amtool) from Debian's packages, for the
# collector's rule tests (scripts/suites/collector-rules.sh) and the end-to-end test in test/. Nothing is
# started here: each test starts its own servers on free loopback ports with temporary data folders.
# Idempotent; fast when both are present.
set -euo pipefail
have() { command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 &&
  command -v prometheus-alertmanager >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1; }
if ! have; then
  echo "extra-prometheus.sh: installing prometheus and prometheus-alertmanager from Debian's packages" >&2
  # --no-install-recommends: no node exporter. The packages' own services are not needed; where the
  # machine has no init system their start fails harmlessly, and policy-rc.d keeps them from starting.
  flock /tmp/otel-perf-apt.lock bash -c '
    set -e
    apt-get update -qq
    printf "#!/bin/sh\nexit 101\n" > /tmp/otel-perf-policy-rc.d && chmod +x /tmp/otel-perf-policy-rc.d
    restore=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then cp /tmp/otel-perf-policy-rc.d /usr/sbin/policy-rc.d; restore=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null || status=$?
    if [ "$restore" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    exit "${status:-0}"'
fi
have || { echo "extra-prometheus.sh: prometheus/promtool/prometheus-alertmanager/amtool missing after install" >&2; exit 1; }
echo "extra-prometheus.sh: $(prometheus --version 2>&1 | head -n1); alertmanager $(prometheus-alertmanager --version 2>&1 | head -n1 | awk '{print $3}')" >&2
