#!/usr/bin/env bash
# The Grafana dashboards' built artifacts, checked with the real CLI: `promtool check rules` on
# otel-collector/grafana/dist/panels.rules.yml (one recording rule per panel expression), and
# dist/promql.json (what the end-to-end test runs against the live Prometheus) non-empty and free of
# template variables. The package's vitest tests (run by turbo) check the JSON itself. Needs the build
# (npm test builds first) and promtool (scripts/services/extra-prometheus.sh).
set -euo pipefail
cd "$(dirname "$0")/../../otel-collector/grafana"
command -v promtool >/dev/null 2>&1 || { echo "grafana.sh: no promtool: run scripts/services/extra-prometheus.sh" >&2; exit 1; }
[ -f dist/panels.rules.yml ] && [ -f dist/promql.json ] || { echo "grafana.sh: no dist/: run npm run build" >&2; exit 1; }
promtool check rules dist/panels.rules.yml
node -e '
const list = JSON.parse(require("node:fs").readFileSync("dist/promql.json", "utf8"));
if (!Array.isArray(list) || list.length === 0) throw new Error("dist/promql.json: no expressions");
const bad = list.filter((e) => typeof e !== "string" || e.includes("$"));
if (bad.length) throw new Error(`dist/promql.json: unsubstituted: ${bad.join("; ")}`);
console.log(`grafana.sh: ${list.length} PromQL expressions ready for the end-to-end test`);
'
