#!/usr/bin/env bash
# Every published package, packed and installed into a fresh project outside the workspace, used from CJS,
# ESM and type-checked TypeScript (scripts/pack-test.mjs). Needs the packages built (npm test builds first).
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/pack-test.mjs
