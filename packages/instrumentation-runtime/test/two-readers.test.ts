import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { TestMetricReader, waitFor } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { busy, delayHistogram, type Harness, harness, pointValue, sleep } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

/**
 * A Prometheus scrape and an OTLP export on one provider collect at different times. Upstream computes the
 * gauges from deltas that the first collection consumes: the second reader got a utilization of 1 and empty
 * or stale delay values. Here both readers see the same trailing window.
 */
describe('two readers on one provider', () => {
  it('both see the block in p99, the same utilization and CPU share, and the same histogram', async () => {
    const second = new TestMetricReader();
    h = harness({ eventLoopDelayResolutionMillis: 10 }, { extraReaders: [second] });
    const { metrics } = h;
    await waitFor(async () => ((await delayHistogram(metrics).catch(() => undefined))?.count ?? 0) >= 5, {
      what: '5 delay samples',
    });
    busy(150);
    await waitFor(async () => ((await delayHistogram(metrics)).max ?? 0) >= 0.1, { what: 'the block' });

    // The first reader collects (as a scrape would), then the second right after it (as an export would).
    const a = await metrics.collect();
    const b = await metrics.collect(second);
    for (const rm of [a, b]) {
      expect(pointValue(rm, 'nodejs.eventloop.delay.p99')).toBeGreaterThanOrEqual(0.135);
      expect(pointValue(rm, 'nodejs.eventloop.delay.max')).toBeGreaterThanOrEqual(0.135);
    }
    expect(pointValue(b, 'nodejs.eventloop.delay.p99')).toBeCloseTo(
      pointValue(a, 'nodejs.eventloop.delay.p99') ?? 0,
      3,
    );
    const ua = pointValue(a, 'nodejs.eventloop.utilization') ?? Number.NaN;
    const ub = pointValue(b, 'nodejs.eventloop.utilization') ?? Number.NaN;
    expect(ub).toBeLessThan(0.99);
    expect(Math.abs(ub - ua)).toBeLessThan(0.05);
    const ca = pointValue(a, 'process.cpu.utilization', { 'cpu.mode': 'user' }) ?? Number.NaN;
    const cb = pointValue(b, 'process.cpu.utilization', { 'cpu.mode': 'user' }) ?? Number.NaN;
    expect(cb).toBeLessThan(1);
    expect(Math.abs(cb - ca)).toBeLessThan(0.05);

    // The histogram is cumulative for each reader: the second one lost nothing to the first.
    const ha = await delayHistogram(metrics);
    const hb = await delayHistogram(metrics, second);
    expect(hb.count).toBeGreaterThanOrEqual(ha.count);
    expect(hb.max).toBe(ha.max);
  });

  it('a reader collecting often does not change what a reader collecting rarely sees', async () => {
    const rare = new TestMetricReader();
    h = harness({ eventLoopDelayResolutionMillis: 10 }, { extraReaders: [rare] });
    const { metrics } = h;
    await sleep(100);
    busy(150);
    // The frequent reader collects ten times after the block.
    for (let i = 0; i < 10; i++) {
      await metrics.collect();
      await sleep(20);
    }
    const rm = await metrics.collect(rare);
    expect(pointValue(rm, 'nodejs.eventloop.delay.max')).toBeGreaterThanOrEqual(0.135);
    expect(pointValue(rm, 'nodejs.eventloop.utilization')).toBeGreaterThan(0.1);
    expect(pointValue(rm, 'nodejs.eventloop.utilization')).toBeLessThan(0.99);
  });

  it('a delta reader gets every sample even while a cumulative reader collects in between', async () => {
    const delta = new TestMetricReader(AggregationTemporality.DELTA);
    h = harness({ eventLoopDelayResolutionMillis: 10 }, { extraReaders: [delta] });
    const { metrics } = h;
    await waitFor(async () => ((await delayHistogram(metrics).catch(() => undefined))?.count ?? 0) >= 3);
    const d0 = await delayHistogram(metrics, delta); // starts the delta reader's interval
    const c0 = (await delayHistogram(metrics)).count;
    let deltaTotal = 0;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 4; j++) {
        await sleep(25);
        await metrics.collect(); // the cumulative reader, more often
      }
      deltaTotal += (await delayHistogram(metrics, delta)).count;
    }
    const c1 = (await delayHistogram(metrics)).count;
    expect(d0.count).toBeGreaterThan(0);
    expect(deltaTotal).toBeGreaterThan(0);
    // Every sample the cumulative reader gained went to the delta reader too, give or take the samples taken
    // between the two readers' first and last collections (a tick or two).
    expect(deltaTotal).toBeLessThanOrEqual(c1 - c0 + 1);
    expect(deltaTotal).toBeGreaterThanOrEqual(c1 - c0 - 3);
  });
});
