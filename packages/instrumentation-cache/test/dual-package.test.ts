import { join } from 'node:path';
import { runNode } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';

describe('two copies of the package in one process (built dist: CommonJS preload + ESM app)', () => {
  it('a cache measured with one copy is reported by the instrumentation of the other, counted once', async () => {
    const p = runNode([join(import.meta.dirname, 'fixtures', 'dual.mjs')]);
    const [line] = await p.waitForOutput(/^\{.*\}$/m);
    expect((await p.exited).code).toBe(0);
    expect(JSON.parse(line)).toEqual({
      copies: true,
      errors: 0,
      gets: { hit: 1, miss: 1, error: 0 },
      timed: 3,
    });
  });
});
