#!/usr/bin/env bash
# Builds the otel-perf collector (otel-collector/build.sh: ocb through the Go module proxy, cached by the
# manifest's sha256 under $OTEL_PERF_CACHE/otelcol), so the end-to-end test in test/ only reuses it.
# A cold build takes about 6 minutes on 2 cores; a cached one nothing. Needs Go >= 1.26.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
bin="$(bash otel-collector/build.sh)"
echo "extra-collector.sh: $("$bin" --version 2>&1 | head -n1)" >&2
