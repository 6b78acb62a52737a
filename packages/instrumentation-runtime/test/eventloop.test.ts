import { waitFor } from '@otel-perf/test-utils';
import { EVENT_LOOP_DELAY_BUCKETS } from '@otel-perf/views';
import { afterEach, describe, expect, it } from 'vitest';
import { bucketCounts, busy, delayHistogram, type Harness, harness, pointValue, sleep } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

describe('event-loop delay', () => {
  it('puts a 150 ms block in the (0.1, 0.25] bucket and in p99, in seconds', async () => {
    h = harness({ eventLoopDelayResolutionMillis: 10 });
    const { metrics } = h;
    // A few idle samples first, so the block is one sample among several.
    await waitFor(async () => ((await delayHistogram(metrics).catch(() => undefined))?.count ?? 0) >= 5, {
      what: '5 delay samples',
    });
    const before = bucketCounts(await delayHistogram(metrics));
    busy(150);
    const after = await waitFor(async () => {
      const hist = await delayHistogram(metrics);
      return (hist.max ?? 0) >= 0.1 ? hist : undefined;
    });
    const counts = bucketCounts(after);
    expect(after.buckets.boundaries).toEqual([...EVENT_LOOP_DELAY_BUCKETS]);
    expect((counts['0.25'] ?? 0) - (before['0.25'] ?? 0)).toBe(1);
    // Late by the block minus at most one resolution (10 ms), plus scheduling noise (up to 100 ms).
    expect(after.max).toBeGreaterThanOrEqual(0.135);
    expect(after.max).toBeLessThanOrEqual(0.25);

    const rm = await metrics.collect();
    const p99 = pointValue(rm, 'nodejs.eventloop.delay.p99') ?? 0;
    const max = pointValue(rm, 'nodejs.eventloop.delay.max') ?? 0;
    expect(p99).toBeGreaterThanOrEqual(0.135);
    expect(p99).toBeLessThanOrEqual(0.25);
    expect(max).toBeCloseTo(after.max ?? 0, 2);
    expect(pointValue(rm, 'nodejs.eventloop.delay.min')).toBeLessThan(0.01);
    expect(pointValue(rm, 'nodejs.eventloop.delay.mean')).toBeGreaterThan(0);
    expect(pointValue(rm, 'nodejs.eventloop.delay.stddev')).toBeGreaterThan(0);
  });

  it('subtracts the resolution: an idle loop reports delays near 0, not near the 20 ms resolution', async () => {
    h = harness({ eventLoopDelayResolutionMillis: 20 });
    const { metrics } = h;
    await waitFor(async () => ((await delayHistogram(metrics).catch(() => undefined))?.count ?? 0) >= 10, {
      what: '10 delay samples',
    });
    const rm = await metrics.collect();
    expect(pointValue(rm, 'nodejs.eventloop.delay.p50')).toBeLessThan(0.005);
    const hist = await delayHistogram(metrics);
    expect(hist.min).toBeGreaterThanOrEqual(0);
    // Most samples are under 10 ms; with the 20 ms resolution included, none could be.
    const counts = bucketCounts(hist);
    const under10ms = ['0.001', '0.0025', '0.005', '0.01'].reduce((a, b) => a + (counts[b] ?? 0), 0);
    expect(under10ms).toBeGreaterThan(hist.count / 2);
  });

  it('reports utilization near 1 while busy and nodejs.eventloop.time growing in both states', async () => {
    h = harness({ statsWindowMillis: 1000 });
    const { metrics } = h;
    const first = await metrics.collect();
    const active0 = pointValue(first, 'nodejs.eventloop.time', { 'nodejs.eventloop.state': 'active' }) ?? 0;
    const idle0 = pointValue(first, 'nodejs.eventloop.time', { 'nodejs.eventloop.state': 'idle' }) ?? 0;
    await sleep(300);
    busy(1000);
    const rm = await metrics.collect();
    expect(pointValue(rm, 'nodejs.eventloop.utilization')).toBeGreaterThan(0.7);
    expect(pointValue(rm, 'nodejs.eventloop.utilization')).toBeLessThanOrEqual(1);
    const active1 = pointValue(rm, 'nodejs.eventloop.time', { 'nodejs.eventloop.state': 'active' }) ?? 0;
    const idle1 = pointValue(rm, 'nodejs.eventloop.time', { 'nodejs.eventloop.state': 'idle' }) ?? 0;
    expect(active1 - active0).toBeGreaterThanOrEqual(0.95);
    expect(idle1 - idle0).toBeGreaterThan(0.1);
    // After an idle second the one-second window is mostly idle.
    await sleep(1300);
    expect(pointValue(await metrics.collect(), 'nodejs.eventloop.utilization')).toBeLessThan(0.5);
  });
});
