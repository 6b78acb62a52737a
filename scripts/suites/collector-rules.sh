#!/usr/bin/env bash
# The collector's static checks: `promtool check rules` on every rule file, `promtool test rules` on every
# rule test, `promtool check config` on prometheus.yml, `amtool check-config` on alertmanager.yml, and the
# collector binary's `validate` on config.yaml. Each check counts as one test in the run's total
# (a results file in $OTEL_PERF_TEST_RESULTS, read by scripts/summarize-tests.mjs).
# Needs scripts/services/extra-prometheus.sh and extra-collector.sh (npm test runs them first).
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=otel-collector
passed=0 failed=0
check() { # check <name> <command...>
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then
    passed=$((passed + 1)); echo "  ok    $name"
  else
    failed=$((failed + 1)); echo "  FAIL  $name"; echo "$out" | sed 's/^/        /'
  fi
}
for tool in promtool amtool; do
  command -v "$tool" >/dev/null 2>&1 || { echo "collector-rules: $tool is missing; run bash scripts/services/extra-prometheus.sh" >&2; failed=$((failed + 1)); }
done

shopt -s nullglob
rules=("$dir"/rules/*.yml)
tests=("$dir"/rules/tests/*.test.yml)
[ "${#rules[@]}" -gt 0 ] || { echo "collector-rules: no rule files in $dir/rules" >&2; failed=$((failed + 1)); }
for f in "${rules[@]}"; do check "promtool check rules $f" promtool check rules "$f"; done
# Every rule file has its test file.
for f in "${rules[@]}"; do
  t="$dir/rules/tests/$(basename "$f" .yml).test.yml"
  check "rule test exists for $f" test -f "$t"
done
for t in "${tests[@]}"; do check "promtool test rules $t" promtool test rules "$t"; done
check "promtool check config $dir/prometheus/prometheus.yml" promtool check config "$dir/prometheus/prometheus.yml"
check "amtool check-config $dir/alertmanager/alertmanager.yml" amtool check-config "$dir/alertmanager/alertmanager.yml"
if bin="$(bash "$dir/build.sh" 2>/dev/null)"; then
  check "otelcol validate $dir/config.yaml" "$bin" validate --config "$dir/config.yaml"
else
  failed=$((failed + 1)); echo "  FAIL  collector build (bash $dir/build.sh)"
fi

echo "collector-rules: $passed passed, $failed failed"
if [ -n "${OTEL_PERF_TEST_RESULTS:-}" ]; then
  printf '{"numPassedTests":%d,"numFailedTests":%d,"numPendingTests":0,"numTodoTests":0,"success":%s}\n' \
    "$passed" "$failed" "$([ "$failed" -eq 0 ] && echo true || echo false)" >"$OTEL_PERF_TEST_RESULTS/collector-rules.json"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
