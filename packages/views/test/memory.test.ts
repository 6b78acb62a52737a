import { createTestMetrics, pointsWith, type TestMetrics } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type CreateViewsOptions, createViews, OVERFLOW_ATTRIBUTES } from '../src/index.js';

// vitest.config.ts starts the workers with --expose-gc; without it this file fails instead of guessing.
const gc = (globalThis as { gc?: () => void }).gc;

const TOTAL = 100_000;
const ROUNDS = 10;
const CAP = 1000;
/** Per-collection SDK limit: high enough that the unguarded stream shows what cumulative growth costs. */
const SDK_LIMIT = TOTAL / ROUNDS;
/** What the guarded provider may add to the heap: a generous allowance for CAP + 1 series. */
const GUARDED_BOUND = 8 * 1024 * 1024;

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

let current: TestMetrics | undefined;
afterEach(async () => {
  await current?.shutdown();
  current = undefined;
});

/**
 * Records TOTAL distinct attribute sets on one counter in ROUNDS batches, collecting (cumulative) after
 * each, and returns the heap growth with the provider still alive plus the series count of every collection.
 */
async function recordDistinctSets(
  options: CreateViewsOptions,
): Promise<{ growth: number; series: number[]; sum: number }> {
  const before = heapUsed();
  current = createTestMetrics({ views: createViews({ cardinalityLimit: SDK_LIMIT, ...options }) });
  const c = current.meterProvider.getMeter('t').createCounter('requests');
  const series: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < TOTAL / ROUNDS; i++) c.add(1, { 'user.id': `user-${round}-${i}` });
    series.push(pointsWith(await current.find('requests')).length);
  }
  const points = pointsWith<number>(await current.find('requests'));
  const growth = heapUsed() - before;
  await current.shutdown();
  current = undefined;
  return { growth, series, sum: points.reduce((acc, p) => acc + p.value, 0) };
}

describe('memory with 100k distinct attribute sets (cumulative)', () => {
  it('runs with --expose-gc', () => {
    expect(typeof gc).toBe('function');
  });

  it(`stays under ${GUARDED_BOUND / 1024 / 1024} MiB with the guard and exceeds it without`, async () => {
    const unguarded = await recordDistinctSets({ attributes: { requests: ['user.id'] } });
    const guarded = await recordDistinctSets({
      attributes: { requests: ['user.id'] },
      maxSeriesPerInstrument: CAP,
    });
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    // Printed so the figures can be quoted (README); the assertions below are what the test checks.
    process.stdout.write(
      `heap growth after ${TOTAL} distinct sets: unguarded ${mib(unguarded.growth)} (${unguarded.series.at(-1)} series), guarded ${mib(guarded.growth)} (${guarded.series.at(-1)} series)\n`,
    );
    expect(guarded.sum).toBe(TOTAL);
    expect(unguarded.sum).toBe(TOTAL);
    expect(guarded.series).toEqual(Array(ROUNDS).fill(CAP + 1));
    // Without the guard the SDK limit caps each collection cycle, not the stream: series keep growing.
    expect(unguarded.series.at(-1)).toBeGreaterThan(ROUNDS * (SDK_LIMIT - 1) * 0.99);
    expect(guarded.growth).toBeLessThan(GUARDED_BOUND);
    expect(unguarded.growth).toBeGreaterThan(GUARDED_BOUND);
    expect(unguarded.growth).toBeGreaterThan(guarded.growth * 4);
  });

  it('the overflow series is one series however many sets overflow', async () => {
    current = createTestMetrics({ views: createViews({ maxSeriesPerInstrument: 1 }) });
    const h = current.meterProvider.getMeter('t').createHistogram('db.client.operation.duration');
    for (let i = 0; i < 10_000; i++) h.record(0.002, { 'db.query.text': `select ${i}` });
    const metric = await current.find('db.client.operation.duration');
    expect(pointsWith(metric)).toHaveLength(2);
    expect(pointsWith(metric, OVERFLOW_ATTRIBUTES)).toHaveLength(1);
  });
});
