#!/usr/bin/env bash
# The README's first command (`npm start`): runs the example shop with the otel-perf preload and the load
# generator, on embedded defaults (PGlite in-process when DATABASE_URL is unset; no Redis L2 when REDIS_URL
# is unset). Installs Node.js 24 if the system Node is older, installs and builds on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx turbo run build --output-logs=errors-only >&2
exec node examples/shop/src/demo.js
