#!/usr/bin/env bash
# The README's test command (`npm test`). On a fresh machine it installs Node.js 24 if the system Node is
# older, starts the real servers the suites use (PostgreSQL, Redis, and what each suite's scripts add),
# runs `npm ci`, builds, lints, type-checks, and runs every suite. With CI=true nothing may be skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
echo "== node $(node -v), npm $(npm -v)"

echo "== services"
bash scripts/services/postgres.sh
bash scripts/services/redis.sh
for s in scripts/services/extra-*.sh; do [ -e "$s" ] && bash "$s"; done

echo "== npm ci"
npm ci --no-audit --no-fund
node scripts/check-otel-versions.mjs

echo "== build, typecheck, lint"
npx turbo run build typecheck --output-logs=errors-only
npx biome check .

results="$(mktemp -d)"
export OTEL_PERF_TEST_RESULTS="$results"
status=0
echo "== unit and integration tests (every package)"
npx turbo run test --concurrency=2 --output-logs=full --continue || status=1
for s in scripts/suites/*.sh; do
  [ -e "$s" ] || continue
  echo "== suite $(basename "$s" .sh)"
  bash "$s" || status=1
done
echo "== summary"
node scripts/summarize-tests.mjs "$results" || status=1
exit "$status"
