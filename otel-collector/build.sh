#!/usr/bin/env bash
# Builds the otel-perf collector from builder-config.yaml with the OpenTelemetry Collector Builder (ocb),
# through the Go module proxy, into $OTEL_PERF_CACHE/otelcol/<sha256 of the manifest>/, and prints the
# binary's path on stdout. A second run with the same manifest finds the binary there and costs nothing.
# Needs Go >= 1.26 (ocb v0.165.0's go.mod). A cold build (empty module and build caches) on 2 cores takes
# about 6 minutes (measured: 5 min 54 s wall, 208 s user CPU, with ocb install and module downloads), most of it compiling; see README.md. ocb builds with -trimpath and -ldflags='-s -w'.
# Concurrent runs are serialised by a lock in the cache folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
OTEL_PERF_CACHE="${OTEL_PERF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/otel-perf}"
OCB_VERSION="v0.165.0"
manifest="$here/builder-config.yaml"
log() { echo "otel-collector/build.sh: $*" >&2; }

command -v go >/dev/null 2>&1 || { log "Go is not installed (needs Go >= 1.26 from the module proxy toolchain or /usr/local/go)"; exit 1; }
hash="$(sha256sum "$manifest" | cut -c1-64)"
out="$OTEL_PERF_CACHE/otelcol/$hash"
bin="$out/otelcol-otel-perf"
if [ -x "$bin" ]; then
  log "reusing $bin"
  echo "$bin"
  exit 0
fi

mkdir -p "$OTEL_PERF_CACHE/otelcol"
exec 9>"$OTEL_PERF_CACHE/otelcol/.build.lock"
flock 9
if [ -x "$bin" ]; then # built by the run we waited for
  echo "$bin"
  exit 0
fi

ocb="$OTEL_PERF_CACHE/ocb/$OCB_VERSION/builder"
if [ ! -x "$ocb" ]; then
  log "installing ocb $OCB_VERSION"
  GOBIN="$OTEL_PERF_CACHE/ocb/$OCB_VERSION" GOFLAGS=-trimpath go install "go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION"
fi

work="$OTEL_PERF_CACHE/otelcol/.tmp-$hash-$$"
rm -rf "$work"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
log "building into $out (go $(go env GOVERSION), GOMODCACHE=$(go env GOMODCACHE))"
GOFLAGS=-trimpath CGO_ENABLED=0 "$ocb" --config "$manifest" --output-path "$work" >&2
[ -x "$work/otelcol-otel-perf" ] || { log "ocb finished but $work/otelcol-otel-perf is missing"; exit 1; }
cp "$manifest" "$work/builder-config.yaml"
rm -rf "$out"
mv "$work" "$out"
log "built in $(($(date +%s) - start)) s: $bin"
echo "$bin"
