import { PerformanceObserver, performance } from 'node:perf_hooks';
import { createTestMetrics, findMetric, waitFor } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeInstrumentation } from '../src/index.js';
import { busy, delayHistogram, type Harness, harness, pointValue, sleep } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

/** Allocates short-lived garbage until at least `n` GC entries were delivered to a fresh observer. */
async function garbage(n: number): Promise<number> {
  let seen = 0;
  const observer = new PerformanceObserver((list) => {
    seen += list.getEntries().length;
  });
  observer.observe({ type: 'gc' });
  const keep: unknown[] = [];
  await waitFor(
    async () => {
      for (let i = 0; i < 20_000; i++) keep[i % 100] = { i, s: `x${i}`, a: new Array(8).fill(i) };
      await sleep(5);
      return seen >= n;
    },
    { what: `${n} GC entries` },
  );
  // Let both observers receive the last batch before counting.
  await sleep(50);
  observer.disconnect();
  return seen;
}

const gcTotal = async (h: Harness) => {
  const m = await h.metrics.find('v8js.gc.duration');
  return (m?.dataPoints ?? []).reduce((acc, p) => acc + (p.value as { count: number }).count, 0);
};

/** Milliseconds `fn` took (a shared machine stretches sleeps; sample counts are bounded by real time). */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** `process.cpu.time{cpu.mode=user}`: it grows at every observation of a busy process. */
const userCpu = (rm: Awaited<ReturnType<Harness['metrics']['collect']>>) =>
  pointValue(rm, 'process.cpu.time', { 'cpu.mode': 'user' }) ?? Number.NaN;

describe('enable / disable / re-enable', () => {
  it('leaves exactly one sampler and one GC observer after repeated cycles', async () => {
    h = harness({ eventLoopDelayResolutionMillis: 10 });
    const { instrumentation } = h;
    for (let i = 0; i < 5; i++) {
      instrumentation.disable();
      instrumentation.enable();
      instrumentation.enable();
    }
    // One sampler at 10 ms takes at most one sample per 10 ms; six leaked ones would take six.
    const c0 = (await delayHistogram(h.metrics).catch(() => undefined))?.count ?? 0;
    const elapsed = await timed(() => sleep(500));
    const c1 = (await delayHistogram(h.metrics)).count;
    expect(c1 - c0).toBeGreaterThan(5);
    expect(c1 - c0).toBeLessThanOrEqual(elapsed / 10 + 2);

    // Every GC entry is recorded once: as many as a fresh observer saw (give or take a batch in flight).
    const g0 = await gcTotal(h);
    const seen = await garbage(5);
    const recorded = (await gcTotal(h)) - g0;
    expect(recorded).toBeGreaterThanOrEqual(seen - 2);
    expect(recorded).toBeLessThanOrEqual(seen + 2);
  });

  it('stops sampling, observing GC and reporting gauges while disabled', async () => {
    h = harness({ eventLoopDelayResolutionMillis: 10 });
    const { instrumentation, metrics } = h;
    await waitFor(async () => ((await delayHistogram(metrics).catch(() => undefined))?.count ?? 0) >= 3);
    instrumentation.disable();
    const c0 = (await delayHistogram(metrics)).count;
    const g0 = await gcTotal(h);
    await garbage(3);
    await sleep(100);
    expect((await delayHistogram(metrics)).count).toBe(c0);
    expect(await gcTotal(h)).toBe(g0);
    // No callback runs: the SDK repeats the last observed values (frozen), it gets no new ones.
    const frozen = userCpu(await metrics.collect());
    busy(50);
    expect(userCpu(await metrics.collect())).toBe(frozen);

    instrumentation.enable();
    await waitFor(async () => (await delayHistogram(metrics)).count > c0, {
      what: 'samples after re-enable',
    });
    busy(50);
    expect(userCpu(await metrics.collect())).toBeGreaterThan(frozen);
  });

  it('moves to a new MeterProvider without leaving callbacks or recordings on the old one', async () => {
    h = harness({ eventLoopDelayResolutionMillis: 10 });
    const { instrumentation, metrics: old } = h;
    await waitFor(async () => ((await delayHistogram(old).catch(() => undefined))?.count ?? 0) >= 3);
    const next = createTestMetrics();
    try {
      instrumentation.setMeterProvider(next.meterProvider);
      const oldCount = (await delayHistogram(old)).count;
      await waitFor(async () => ((await delayHistogram(next).catch(() => undefined))?.count ?? 0) >= 3, {
        what: 'samples on the new provider',
      });
      // The old provider gets no more samples and no more observations.
      expect((await delayHistogram(old)).count).toBe(oldCount);
      const frozen = userCpu(await old.collect());
      const before = userCpu(await next.collect());
      busy(50);
      expect(userCpu(await old.collect())).toBe(frozen);
      expect(userCpu(await next.collect())).toBeGreaterThan(before);
      // Still one sampler.
      const n0 = (await delayHistogram(next)).count;
      const elapsed = await timed(() => sleep(500));
      expect((await delayHistogram(next)).count - n0).toBeLessThanOrEqual(elapsed / 10 + 2);
    } finally {
      instrumentation.disable();
      await next.shutdown();
    }
  });

  it('restarts the sampler with the new resolution on setConfig', async () => {
    h = harness({ eventLoopDelayResolutionMillis: 10 });
    const { instrumentation, metrics } = h;
    instrumentation.setConfig({ eventLoopDelayResolutionMillis: 100 });
    const c0 = (await delayHistogram(metrics).catch(() => undefined))?.count ?? 0;
    const elapsed = await timed(() => sleep(550));
    const n = (await delayHistogram(metrics)).count - c0;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(elapsed / 100 + 2);
  });

  it('does nothing until enabled when constructed with enabled: false', async () => {
    const metrics = createTestMetrics();
    const instrumentation = new RuntimeInstrumentation({ enabled: false });
    instrumentation.setMeterProvider(metrics.meterProvider);
    try {
      await sleep(100);
      expect(findMetric(await metrics.collect(), 'nodejs.eventloop.delay')).toBeUndefined();
      instrumentation.enable();
      await waitFor(async () => findMetric(await metrics.collect(), 'nodejs.eventloop.delay'));
    } finally {
      instrumentation.disable();
      await metrics.shutdown();
    }
  });
});
