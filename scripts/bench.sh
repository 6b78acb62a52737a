#!/usr/bin/env bash
# `npm run bench` — builds the packages and runs every benchmark (packages/*/bench/*.bench.ts) with Node's
# native TypeScript type stripping (or *.bench.mjs as they are); `npm run bench -- <pkg-dir> [...]` runs only those packages' benches.
# Each bench prints its table and writes bench-results/<slug>.json (see BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/services/extra-wrk.sh

if [ "$#" -gt 0 ]; then
  for pkg in "$@"; do
    [ -d "packages/$pkg" ] || { echo "bench.sh: no package directory packages/$pkg" >&2; exit 2; }
  done
  dirs=("$@")
else
  dirs=()
  for d in packages/*/; do dirs+=("$(basename "$d")"); done
fi

files=()
for pkg in "${dirs[@]}"; do
  for f in packages/"$pkg"/bench/*.bench.ts packages/"$pkg"/bench/*.bench.mjs; do
    [ -e "$f" ] && files+=("$f")
  done
done
if [ "${#files[@]}" -eq 0 ]; then
  echo "bench.sh: no packages/{$(IFS=,; echo "${dirs[*]}")}/bench/*.bench.{ts,mjs}" >&2
  [ "$#" -gt 0 ] && exit 2
  exit 0
fi

echo "== build ($(node -v))"
npx turbo run build --output-logs=errors-only

export OTEL_PERF_BENCH_RESULTS="$PWD/bench-results"
status=0
for f in "${files[@]}"; do
  # A bench that needs Node flags (e.g. --expose-gc for heap figures) names them in a comment line:
  #   // bench-node-args: --expose-gc
  read -r -a extra <<< "$(sed -n 's#^// bench-node-args: *##p' "$f" | head -n1)"
  echo "== $f${extra[*]:+ (node ${extra[*]})}"
  node --disable-warning=ExperimentalWarning "${extra[@]}" "$f" || { echo "bench.sh: $f failed" >&2; status=1; }
done
echo "== results in $OTEL_PERF_BENCH_RESULTS"
exit "$status"
