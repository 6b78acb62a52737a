import { monitorEventLoopDelay } from 'node:perf_hooks';
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
  it('puts a 150 ms block in its bucket and in p99, in seconds, agreeing with a bare monitor', async () => {
    h = harness({ eventLoopDelayResolutionMillis: 10 });
    const { metrics } = h;
    // An independent witness of the same loop: Node's own monitor at the same resolution (resolution included).
    const witness = monitorEventLoopDelay({ resolution: 10 });
    witness.enable();
    try {
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
      const witnessed = witness.max / 1e9 - 0.01;
      const max = after.max ?? 0;
      expect(after.buckets.boundaries).toEqual([...EVENT_LOOP_DELAY_BUCKETS]);
      // Late by the block minus at most one resolution; more if the machine starved the process.
      expect(max).toBeGreaterThanOrEqual(0.135);
      expect(Math.abs(max - witnessed)).toBeLessThan(0.015);
      // The sample went into the bucket holding its value: (0.1, 0.25] unless the machine added > 100 ms.
      const bound = String(EVENT_LOOP_DELAY_BUCKETS.find((b) => max <= b) ?? '+Inf');
      expect((bucketCounts(after)[bound] ?? 0) - (before[bound] ?? 0)).toBe(1);
      if (witnessed < 0.24) expect(bound).toBe('0.25');

      const rm = await metrics.collect();
      expect(pointValue(rm, 'nodejs.eventloop.delay.p99')).toBeGreaterThanOrEqual(0.135);
      expect(pointValue(rm, 'nodejs.eventloop.delay.p99')).toBeCloseTo(max, 2);
      expect(pointValue(rm, 'nodejs.eventloop.delay.max')).toBeCloseTo(max, 2);
      expect(pointValue(rm, 'nodejs.eventloop.delay.min')).toBeLessThan(max);
      expect(pointValue(rm, 'nodejs.eventloop.delay.mean')).toBeGreaterThan(0);
      expect(pointValue(rm, 'nodejs.eventloop.delay.stddev')).toBeGreaterThan(0);
    } finally {
      witness.disable();
    }
  });

  it('subtracts the resolution: ~20 ms below what a bare monitor at 20 ms reports for the same loop', async () => {
    h = harness({ eventLoopDelayResolutionMillis: 20 });
    const { metrics } = h;
    const witness = monitorEventLoopDelay({ resolution: 20 });
    witness.enable();
    try {
      await waitFor(async () => ((await delayHistogram(metrics).catch(() => undefined))?.count ?? 0) >= 15, {
        what: '15 delay samples',
      });
      const ours = pointValue(await metrics.collect(), 'nodejs.eventloop.delay.p50') ?? Number.NaN;
      const theirs = witness.percentile(50) / 1e9;
      expect(theirs).toBeGreaterThanOrEqual(0.019);
      expect(theirs - ours).toBeGreaterThan(0.014);
      expect(theirs - ours).toBeLessThan(0.026);
      expect((await delayHistogram(metrics)).min).toBeGreaterThanOrEqual(0);
    } finally {
      witness.disable();
    }
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
