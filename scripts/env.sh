# shellcheck shell=bash
# Sourced by every repo script: puts Node.js >= 24 on PATH, installing it from the npm registry
# into a per-user cache (never over the system Node) when the machine's Node is older.
# Usage: source scripts/env.sh
OTEL_PERF_CACHE="${OTEL_PERF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/otel-perf}"
export OTEL_PERF_CACHE
otel_perf_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(otel_perf_node_major)" -lt 24 ]; then
  if [ ! -x "$OTEL_PERF_CACHE/node24/bin/node" ]; then
    echo "otel-perf: installing Node.js 24 from the npm registry into $OTEL_PERF_CACHE/node24" >&2
    npm install --global --prefix "$OTEL_PERF_CACHE/node24" --no-audit --no-fund node@24 >&2
  fi
  export PATH="$OTEL_PERF_CACHE/node24/bin:$PATH"
fi
if [ "$(otel_perf_node_major)" -lt 24 ]; then
  echo "otel-perf: Node.js 24 is required and could not be installed (node is $(node -v 2>/dev/null))" >&2
  return 1 2>/dev/null || exit 1
fi
