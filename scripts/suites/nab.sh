#!/usr/bin/env bash
# The anomaly detector on the whole NAB set in ../shared/nab (next to the checkout): `npm run bench:nab`
# writes one score file per data file, the NAB scorer scores them at the threshold the package ships
# (detector.json), and the standard profile must reach NAB_MIN_STANDARD. Prints the sweep figures too.
# Writes $OTEL_PERF_TEST_RESULTS/nab.json so scripts/summarize-tests.mjs counts it.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh

# Floor on the standard-profile score at the shipped threshold: the figure in packages/anomaly/README.md
# less a point of margin, so a change that makes the detector worse fails here.
min_standard="${NAB_MIN_STANDARD:-55}"

# ../shared/nab next to the checkout (CI); a git worktree one or two levels deeper finds it further up.
nab="${NAB_DIR:-}"
if [ -z "$nab" ]; then
  dir="$(cd .. && pwd)"
  while :; do
    if [ -f "$dir/shared/nab/nab-score.mjs" ]; then nab="$dir/shared/nab"; break; fi
    [ "$dir" = "/" ] && break
    dir="$(dirname "$dir")"
  done
fi

passed=0
failed=0
check() { # name, then a command that must succeed
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "  ok   $name"
  else
    failed=$((failed + 1))
    echo "  FAIL $name"
  fi
}
write_results() {
  [ -n "${OTEL_PERF_TEST_RESULTS:-}" ] || return 0
  printf '{"numPassedTests":%d,"numFailedTests":%d,"numPendingTests":0,"numTodoTests":0,"success":%s}\n' \
    "$passed" "$failed" "$([ "$failed" -eq 0 ] && echo true || echo false)" >"$OTEL_PERF_TEST_RESULTS/nab.json"
}

if [ -z "$nab" ]; then
  echo "nab.sh: no shared/nab/nab-score.mjs next to the checkout (set NAB_DIR)" >&2
  failed=1
  write_results
  exit 1
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
started=$(date +%s)
npm run --silent bench:nab -- --data "$nab/data" --out "$out/results"
echo "== bench:nab took $(($(date +%s) - started)) s"

expected=$(find "$nab/data" -mindepth 2 -maxdepth 2 -name '*.csv' | wc -l)
written=$(find "$out/results" -mindepth 2 -maxdepth 2 -name '*.csv' | wc -l)
check "bench:nab wrote one score file per data file ($written of $expected)" test "$written" -eq "$expected"

threshold=$(node -p "JSON.parse(require('node:fs').readFileSync('$out/results/detector.json', 'utf8')).threshold")
echo "== NAB, the scorer's threshold sweep (best case)"
node "$nab/nab-score.mjs" "$out/results" --data "$nab/data" | sed -n '/^profile/,/^$/p'
echo "== NAB at the shipped threshold $threshold"
node "$nab/nab-score.mjs" "$out/results" --data "$nab/data" --threshold "$threshold" | tee "$out/fixed.txt" |
  sed -n '/^profile/,/^$/p'
node "$nab/nab-score.mjs" "$out/results" --data "$nab/data" --threshold "$threshold" --json >"$out/fixed.json"
standard=$(node -p "JSON.parse(require('node:fs').readFileSync('$out/fixed.json', 'utf8')).profiles.standard.score.toFixed(2)")
check "standard profile at the shipped threshold: $standard >= $min_standard" \
  node -e "process.exit(Number('$standard') >= Number('$min_standard') ? 0 : 1)"

write_results
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
