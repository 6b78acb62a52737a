import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runNode } from '@otel-perf/test-utils';
import { expect, it } from 'vitest';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const dist = join(import.meta.dirname, '..', '..', 'dist', 'index.js');

it('lets the app drop measured breakers: they are garbage-collected and their states then read 0', async () => {
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run npm run build in the package first`);
  const child = runNode(['--expose-gc', 'gc.mjs'], { cwd: fixtures, timeoutMs: 30_000 });
  const { code } = await child.exited;
  expect(child.stderr()).toBe('');
  expect(code).toBe(0);
  const out = JSON.parse(child.stdout());
  // 50 opossum breakers, 50 cockatiel policies, 50 recorders, each in its own state series.
  expect(out.before.ones).toBe(150);
  expect(out.finalized).toBe(out.total);
  expect(out.byKind).toEqual({ opossum: 50, cockatiel: 50, recorder: 50 });
  expect(out.after.ones).toBe(0);
  expect(out.after.points).toBe(out.before.points); // the series remain, at 0
});
