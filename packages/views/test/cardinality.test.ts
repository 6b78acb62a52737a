import type { Histogram } from '@opentelemetry/sdk-metrics';
import { createTestMetrics, pointsWith, type TestMetrics } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createAllowList, createCardinalityGuard, createViews, OVERFLOW_ATTRIBUTES } from '../src/index.js';

let current: TestMetrics | undefined;
afterEach(async () => {
  await current?.shutdown();
  current = undefined;
});

const TOTAL = 100_000;
const ROUNDS = 5;
const CAP = 100;

describe('the SDK limit alone (why the guard exists)', () => {
  it('aggregationCardinalityLimit does not cap a cumulative stream: points grow with every collection', async () => {
    current = createTestMetrics({ views: [{ instrumentName: 'c.count', aggregationCardinalityLimit: 10 }] });
    const c = current.meterProvider.getMeter('t').createCounter('c.count');
    const points: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 50; i++) c.add(1, { id: `${round}-${i}` });
      points.push(pointsWith(await current.find('c.count')).length);
    }
    // Each cycle admits 9 new sets (limit - 1) and they accumulate: 9, 18, 27, 36 sets plus the overflow point.
    expect(points).toEqual([10, 19, 28, 37]);
  });
});

describe('the cardinality guard bounds the series of one instrument', () => {
  it(`${TOTAL} distinct attribute sets on a counter, ${ROUNDS} cumulative collections: ≤ ${CAP} + 1 series, no count lost`, async () => {
    current = createTestMetrics({
      views: createViews({ maxSeriesPerInstrument: CAP, attributes: { 'jobs.done': ['job.id'] } }),
    });
    const c = current.meterProvider.getMeter('t').createCounter('jobs.done');
    const seriesPerCollection: number[] = [];
    let recorded = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < TOTAL / ROUNDS; i++) {
        c.add(2, { 'job.id': `job-${round}-${i}`, noise: i });
        recorded += 2;
      }
      const points = pointsWith<number>(await current.find('jobs.done'));
      seriesPerCollection.push(points.length);
      // Cumulative: every point carries everything since the start, so the sum is the running total.
      expect(points.reduce((acc, p) => acc + p.value, 0)).toBe(recorded);
    }
    expect(seriesPerCollection).toEqual(Array(ROUNDS).fill(CAP + 1));
    const points = pointsWith<number>(await current.find('jobs.done'));
    const overflow = pointsWith<number>(await current.find('jobs.done'), OVERFLOW_ATTRIBUTES);
    expect(overflow).toHaveLength(1);
    // The first CAP sets were admitted as they are (allow-listed), everything later is in the overflow series.
    expect(overflow[0]?.value).toBe((TOTAL - CAP) * 2);
    const admitted = points.filter((p) => p.attributes['otel.metric.overflow'] === undefined);
    expect(admitted.map((p) => p.attributes)).toContainEqual({ 'job.id': 'job-0-0' });
    expect(admitted.every((p) => Object.keys(p.attributes).join() === 'job.id' && p.value === 2)).toBe(true);
  });

  it(`${TOTAL} distinct attribute sets on a histogram: ≤ ${CAP} + 1 series, counts and sums add up`, async () => {
    current = createTestMetrics({ views: createViews({ maxSeriesPerInstrument: CAP }) });
    const h = current.meterProvider.getMeter('t').createHistogram('http.server.request.duration');
    let recorded = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < TOTAL / ROUNDS; i++) {
        h.record(0.01, { 'http.route': `/users/${round * (TOTAL / ROUNDS) + i}` });
        recorded++;
      }
      const points = pointsWith<Histogram>(await current.find('http.server.request.duration'));
      expect(points.length).toBeLessThanOrEqual(CAP + 1);
      expect(points.reduce((acc, p) => acc + p.value.count, 0)).toBe(recorded);
      const bucketTotal = points.reduce(
        (acc, p) => acc + p.value.buckets.counts.reduce((a, b) => a + b, 0),
        0,
      );
      expect(bucketTotal).toBe(recorded);
      expect(points.reduce((acc, p) => acc + (p.value.sum ?? 0), 0)).toBeCloseTo(recorded * 0.01, 6);
    }
    const overflow = pointsWith<Histogram>(
      await current.find('http.server.request.duration'),
      OVERFLOW_ATTRIBUTES,
    );
    expect(overflow.map((p) => p.value.count)).toEqual([TOTAL - CAP]);
  });

  it('keeps admitting known sets after the cap is reached (only new sets overflow)', async () => {
    current = createTestMetrics({
      views: [
        { instrumentName: 'c.count', attributesProcessors: [createCardinalityGuard({ maxSeries: 2 })] },
      ],
    });
    const c = current.meterProvider.getMeter('t').createCounter('c.count');
    c.add(1, { a: 1 });
    c.add(1, { a: 2 });
    c.add(1, { a: 3 });
    c.add(1, { a: 1 });
    c.add(1, { a: 2 });
    const metric = await current.find('c.count');
    expect(pointsWith<number>(metric, { a: 1 })[0]?.value).toBe(2);
    expect(pointsWith<number>(metric, OVERFLOW_ATTRIBUTES)[0]?.value).toBe(1);
    expect(pointsWith(metric)).toHaveLength(3);
  });

  it('treats attribute order as the same set, and memoises frozen sets by identity', () => {
    const guard = createCardinalityGuard({ maxSeries: 1 });
    const first = guard.process({ a: 1, b: 2 }, undefined as never);
    expect(guard.process({ b: 2, a: 1 }, undefined as never)).toBe(first);
    expect(guard.process({ a: 2 }, undefined as never)).toBe(OVERFLOW_ATTRIBUTES);
    const frozen = Object.freeze({ b: 2, a: 1 });
    expect(guard.process(frozen, undefined as never)).toBe(first);
    expect(guard.process(frozen, undefined as never)).toBe(first);
  });

  it('createAllowList keeps only listed own attributes and never counts series', () => {
    const allow = createAllowList(['a']);
    const proto = Object.create({ a: 'inherited' }) as Record<string, unknown>;
    expect(allow.process(proto as never, undefined as never)).toEqual({});
    for (let i = 0; i < 1000; i++)
      expect(allow.process({ a: i, b: i }, undefined as never)).toEqual({ a: i });
  });

  it('rejects bad options with the value and what is allowed', () => {
    for (const maxSeries of [0, -1, 1.5, Number.NaN, '10']) {
      expect(() => createCardinalityGuard({ maxSeries } as never)).toThrow(
        `createCardinalityGuard: maxSeries must be a positive integer, got ${String(maxSeries)}`,
      );
    }
    expect(() => createCardinalityGuard({ maxSeries: 1, allow: 'a' } as never)).toThrow(
      'createCardinalityGuard: allow must be an array of attribute names (strings), got "a"',
    );
    expect(() => createAllowList([1] as never)).toThrow(
      'createAllowList must be an array of attribute names',
    );
  });
});
