#!/usr/bin/env node
// Fails unless exactly one copy of each OpenTelemetry package that must be shared is installed.
// Two copies of @opentelemetry/sdk-metrics mean two incompatible MeterProviders/readers (the 0.301
// exporters pin sdk-metrics exactly), and two copies of @opentelemetry/api mean a global that one half
// of the app never sees.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MUST_BE_SINGLE = [
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/api',
  '@opentelemetry/core',
  '@opentelemetry/resources',
];
const found = new Map(MUST_BE_SINGLE.map((n) => [n, []]));

function walk(dir, depth) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.startsWith('.')) continue;
    const p = join(dir, e);
    if (e.startsWith('@')) {
      for (const s of readdirSync(p)) visit(join(p, s), `${e}/${s}`, depth);
    } else visit(p, e, depth);
  }
}
function visit(pkgDir, name, depth) {
  try {
    if (!statSync(pkgDir).isDirectory()) return;
  } catch {
    return;
  }
  if (found.has(name)) {
    const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    found.get(name).push(`${version} at ${pkgDir}`);
  }
  if (depth < 8) walk(join(pkgDir, 'node_modules'), depth + 1);
}
walk('node_modules', 0);
for (const ws of ['packages', 'examples', 'test']) {
  try {
    for (const d of readdirSync(ws)) walk(join(ws, d, 'node_modules'), 1);
  } catch {}
}
walk('test/node_modules', 1);

let bad = false;
for (const [name, copies] of found) {
  if (copies.length === 1) console.log(`check-otel-versions: ${name} ${copies[0]}`);
  else {
    bad = true;
    console.error(
      `check-otel-versions: ${name} must be installed exactly once, found ${copies.length}:\n  ${copies.join('\n  ')}`,
    );
  }
}
if (bad) {
  console.error(
    "Align the versions in the packages' package.json files (the 0.301 exporters pin sdk-metrics 3.1.0).",
  );
  process.exit(1);
}
