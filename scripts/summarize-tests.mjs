#!/usr/bin/env node
// Adds up the vitest JSON reports in a folder and prints one closing line: "N passed, N failed, N skipped".
// Exits 1 if anything failed, if no test ran, or (with CI=true) if any test was skipped or marked todo.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: summarize-tests.mjs <resultsDir>');
  process.exit(2);
}
let passed = 0;
let failed = 0;
let skipped = 0;
const skippedNames = [];
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  skipped += s;
  if (s > 0) {
    for (const file of r.testResults ?? []) {
      for (const a of file.assertionResults ?? []) {
        if (a.status === 'pending' || a.status === 'skipped' || a.status === 'todo')
          skippedNames.push(`${f}: ${a.fullName}`);
      }
    }
  }
  if (r.success === false && (r.numFailedTests ?? 0) === 0) {
    console.error(
      `summarize-tests: ${f} reports a failed run (a suite failed to load or errored outside a test)`,
    );
    failed += 1;
  }
}
if (skippedNames.length) console.error(`skipped:\n  ${skippedNames.join('\n  ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
if (process.env.CI === 'true' && skipped > 0) {
  console.error('summarize-tests: with CI=true no test may be skipped');
  process.exit(1);
}
