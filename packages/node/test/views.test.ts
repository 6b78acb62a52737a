import { createTestMetrics, findMetric, histogramOf, pointsWith, sumValues } from '@otel-perf/test-utils';
import { DB_OPERATION_BUCKETS, HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstrumentViewConfig } from '../src/types.js';
import { buildViews } from '../src/views.js';

let shutdown: (() => Promise<void>) | undefined;
afterEach(async () => {
  await shutdown?.();
  shutdown = undefined;
});

function metricsWith(overrides: Record<string, InstrumentViewConfig> = {}) {
  const m = createTestMetrics({ views: buildViews(overrides) });
  shutdown = m.shutdown;
  return m;
}

describe('buildViews', () => {
  it('gives http.server.request.duration the HTTP preset even when the instrument has no advice', async () => {
    const m = metricsWith();
    const h = m.meterProvider.getMeter('t').createHistogram('http.server.request.duration', { unit: 's' });
    h.record(0.3, { 'http.route': '/a' });
    const hist = histogramOf(await m.find('http.server.request.duration'), { 'http.route': '/a' });
    expect(hist.buckets.boundaries).toEqual([...HTTP_DURATION_BUCKETS]);
    expect(hist.count).toBe(1);
  });

  it('overrides buckets with a list or a preset name', async () => {
    const m = metricsWith({
      'http.server.request.duration': { buckets: [0.1, 1] },
      'my.job.duration': { buckets: 'db' },
    });
    const meter = m.meterProvider.getMeter('t');
    meter.createHistogram('http.server.request.duration').record(0.5);
    meter.createHistogram('my.job.duration', { advice: { explicitBucketBoundaries: [1, 2] } }).record(0.5);
    const rm = await m.collect();
    expect(histogramOf(findMetric(rm, 'http.server.request.duration')).buckets.boundaries).toEqual([0.1, 1]);
    expect(histogramOf(findMetric(rm, 'my.job.duration')).buckets.boundaries).toEqual([
      ...DB_OPERATION_BUCKETS,
    ]);
  });

  it('keeps only allow-listed attributes', async () => {
    const m = metricsWith({ 'http.server.request.duration': { attributes: ['http.route'] } });
    const h = m.meterProvider.getMeter('t').createHistogram('http.server.request.duration');
    h.record(0.1, { 'http.route': '/a', 'user.id': '1' });
    h.record(0.1, { 'http.route': '/a', 'user.id': '2' });
    const metric = await m.find('http.server.request.duration');
    expect(pointsWith(metric).map((p) => p.attributes)).toEqual([{ 'http.route': '/a' }]);
    expect(histogramOf(metric, { 'http.route': '/a' }).count).toBe(2);
  });

  it('caps series with cardinalityLimit (the rest folds into the overflow series)', async () => {
    const m = metricsWith({ 'requests.by.user': { cardinalityLimit: 5 } });
    const c = m.meterProvider.getMeter('t').createCounter('requests.by.user');
    for (let i = 0; i < 50; i++) c.add(1, { 'user.id': String(i) });
    const metric = await m.find('requests.by.user');
    expect(pointsWith(metric)).toHaveLength(5);
    expect(sumValues(metric)).toBe(50);
    expect(sumValues(metric, { 'otel.metric.overflow': true })).toBe(46);
  });

  it('does not turn a counter that shares a preset name into a histogram', async () => {
    const m = metricsWith();
    m.meterProvider.getMeter('t').createCounter('http.server.request.duration').add(2);
    const metric = await m.find('http.server.request.duration');
    expect(sumValues(metric)).toBe(2);
  });

  it('makes at most one view per instrument, so nothing is exported twice', async () => {
    const m = metricsWith({ 'http.server.request.duration': { cardinalityLimit: 10 } });
    m.meterProvider.getMeter('t').createHistogram('http.server.request.duration').record(1);
    const rm = await m.collect();
    const all = rm.scopeMetrics
      .flatMap((s) => s.metrics)
      .filter((x) => x.descriptor.name === 'http.server.request.duration');
    expect(all).toHaveLength(1);
  });
});
