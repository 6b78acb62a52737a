import { join } from 'node:path';
import { runNode } from '@otel-perf/test-utils';
import { GC_DURATION_BUCKETS } from '@otel-perf/views';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

describe('in a real process (built package)', () => {
  it('records every forced GC of a batch (--expose-gc), in seconds with the gc preset', async () => {
    const child = runNode(['--expose-gc', fixture('forced-gc.mjs')]);
    const { code } = await child.exited;
    expect(code, child.stderr()).toBe(0);
    const out = JSON.parse(child.stdout().trim());
    expect(out.majorAdded).toBeGreaterThanOrEqual(5);
    expect(out.sum).toBeGreaterThan(0);
    // A forced major GC of a small heap takes well under a second.
    expect(out.max).toBeLessThan(1);
    expect(out.boundaries).toEqual([...GC_DURATION_BUCKETS]);
    expect(out.types).toContain('major');
  });

  it('lets the process exit while enabled (timers unref’d, observer does not hold the loop)', async () => {
    const child = runNode([fixture('exits.mjs')], { timeoutMs: 15_000 });
    const { code, signal } = await child.exited;
    expect(signal, 'killed by the test timeout: something kept the process alive').toBeNull();
    expect(code, child.stderr()).toBe(0);
    const [json, exit] = child.stdout().trim().split('\n');
    expect(JSON.parse(json ?? '{}').samples).toBeGreaterThan(3);
    expect(exit).toBe('exit 0');
  });
});
