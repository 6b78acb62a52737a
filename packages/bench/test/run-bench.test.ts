import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchResult } from '../src/index.js';
import { runBench } from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'otel-perf-bench-'));
  dirs.push(d);
  return d;
}

/** A case whose run() returns the next of `values` and logs its name. */
function scripted(name: string, values: number[], log: string[], baseline = false) {
  let i = 0;
  return {
    name,
    baseline,
    run: () => {
      log.push(name);
      return values[i++] as number;
    },
  };
}

describe('runBench', () => {
  it('interleaves rounds with a rotated order, and reports medians, min-max and ratios', async () => {
    const log: string[] = [];
    const printed: string[] = [];
    const outDir = tempDir();
    const result = await runBench({
      title: 'Unit: interleave',
      rounds: 3,
      metric: { name: 'req/s', better: 'higher' },
      outDir,
      print: (t) => printed.push(t),
      cases: [
        scripted('plain', [100, 90, 200], log),
        scripted('bare', [200, 100, 150], log, true),
        scripted('slow', [50, 75, 60], log),
      ],
    });
    expect(log).toEqual(['plain', 'bare', 'slow', 'bare', 'slow', 'plain', 'slow', 'plain', 'bare']);
    expect(result.order).toEqual([
      ['plain', 'bare', 'slow'],
      ['bare', 'slow', 'plain'],
      ['slow', 'plain', 'bare'],
    ]);
    expect(result.baseline).toBe('bare');
    const byName = Object.fromEntries(result.cases.map((c) => [c.name, c]));
    expect(byName.bare).toMatchObject({ median: 150, min: 100, max: 200, ratio: 1, baseline: true });
    expect(byName.plain).toMatchObject({ median: 100, min: 90, max: 200, baseline: false });
    expect(byName.plain?.ratio).toBeCloseTo(100 / 150, 12);
    expect(byName.slow?.ratio).toBeCloseTo(60 / 150, 12);
    // Samples are kept per case in the order they were taken.
    expect(byName.plain?.samples).toEqual([100, 90, 200]);

    const text = printed.join('\n');
    expect(text).toContain('Unit: interleave');
    expect(text).toMatch(/slow\s+\|\s+60\.00 \|\s+50\.00–75\.00 \|\s+0\.40× \|\s+-60\.0% \|/);

    expect(result.file).toBe(join(outDir, 'unit-interleave.json'));
    const saved = JSON.parse(readFileSync(result.file as string, 'utf8')) as BenchResult;
    expect(saved.cases.map((c) => [c.name, c.median])).toEqual([
      ['plain', 100],
      ['bare', 150],
      ['slow', 60],
    ]);
  });

  it('throws warm-up rounds away, runs setup and teardown once per case, and summarises extra metrics', async () => {
    const events: string[] = [];
    let n = 0;
    const result = await runBench({
      title: 'unit extra',
      rounds: 2,
      warmupRounds: 1,
      metric: { name: 'req/s', better: 'higher' },
      extraMetrics: [{ name: 'p99 ms', better: 'lower' }],
      outDir: false,
      print: () => {},
      cases: [
        {
          name: 'bare',
          setup: () => void events.push('setup bare'),
          teardown: () => void events.push('teardown bare'),
          run: () => ({ value: 1000 + n++, extra: { 'p99 ms': 2 } }),
        },
        {
          name: 'other',
          setup: () => void events.push('setup other'),
          teardown: () => void events.push('teardown other'),
          run: () => ({ value: 500, extra: { 'p99 ms': 3 } }),
        },
      ],
    });
    expect(events).toEqual(['setup bare', 'setup other', 'teardown other', 'teardown bare']);
    // The first case without `baseline: true` is the baseline; round 0 (value 1000) was warm-up.
    const bare = result.cases.find((c) => c.name === 'bare');
    expect(bare?.samples).toEqual([1001, 1002]);
    expect(result.file).toBeUndefined();
    const other = result.cases.find((c) => c.name === 'other');
    expect(other?.extra['p99 ms']).toMatchObject({ median: 3, ratio: 1.5 });
    expect(other?.ratio).toBeCloseTo(500 / 1001.5, 12);
  });

  it('tears down what was set up when a run fails, and rethrows', async () => {
    const events: string[] = [];
    await expect(
      runBench({
        title: 'unit failing',
        metric: { name: 'ns/op', better: 'lower' },
        outDir: false,
        print: () => {},
        cases: [
          { name: 'a', run: () => 1, teardown: () => void events.push('teardown a') },
          {
            name: 'b',
            run: () => {
              throw new Error('boom');
            },
            teardown: () => void events.push('teardown b'),
          },
        ],
      }),
    ).rejects.toThrow('boom');
    expect(events).toEqual(['teardown b', 'teardown a']);
  });

  it('rejects a bad configuration naming what is wrong', async () => {
    const base = { title: 't', metric: { name: 'x', better: 'lower' as const }, outDir: false as const };
    await expect(runBench({ ...base, cases: [] })).rejects.toThrow(/at least one case/);
    await expect(runBench({ ...base, rounds: 0, cases: [{ name: 'a', run: () => 1 }] })).rejects.toThrow(
      /rounds must be an integer >= 1, got 0/,
    );
    await expect(
      runBench({
        ...base,
        cases: [
          { name: 'a', baseline: true, run: () => 1 },
          { name: 'b', baseline: true, run: () => 1 },
        ],
      }),
    ).rejects.toThrow(/more than one case has baseline/);
    await expect(
      runBench({ ...base, print: () => {}, cases: [{ name: 'a', run: () => Number.NaN }] }),
    ).rejects.toThrow(/case "a" returned NaN, not a number/);
  });
});
