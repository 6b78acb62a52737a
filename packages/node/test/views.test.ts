import { createTestMetrics, findMetric, histogramOf, pointsWith } from '@otel-perf/test-utils';
import { DB_OPERATION_BUCKETS, HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import type { ViewsConfig } from '../src/types.js';
import { ConfigError } from '../src/validate.js';
import { buildViews } from '../src/views.js';

let shutdown: (() => Promise<void>) | undefined;
afterEach(async () => {
  await shutdown?.();
  shutdown = undefined;
});

/** A real MeterProvider with the views the distro builds from `views` (defaults merged as at startup). */
function metricsWith(views: ViewsConfig = {}) {
  const m = createTestMetrics({ views: buildViews(resolveConfig({ env: {}, views }).views) });
  shutdown = m.shutdown;
  return m;
}

describe('the distro views', () => {
  it('give http.server.request.duration the HTTP preset even when the instrument has no advice', async () => {
    const m = metricsWith();
    const h = m.meterProvider.getMeter('t').createHistogram('http.server.request.duration', { unit: 's' });
    h.record(0.3, { 'http.route': '/a' });
    const hist = histogramOf(await m.find('http.server.request.duration'), { 'http.route': '/a' });
    expect(hist.buckets.boundaries).toEqual([...HTTP_DURATION_BUCKETS]);
    expect(hist.count).toBe(1);
  });

  it('override buckets with a list or a preset name', async () => {
    const m = metricsWith({
      buckets: { 'http.server.request.duration': [0.1, 1], 'my.job.duration': 'db' },
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

  it('keep only allow-listed attributes', async () => {
    const m = metricsWith({ attributes: { 'http.server.request.duration': ['http.route'] } });
    const h = m.meterProvider.getMeter('t').createHistogram('http.server.request.duration');
    h.record(0.1, { 'http.route': '/a', 'user.id': '1' });
    h.record(0.1, { 'http.route': '/a', 'user.id': '2' });
    const metric = await m.find('http.server.request.duration');
    expect(pointsWith(metric).map((p) => p.attributes)).toEqual([{ 'http.route': '/a' }]);
    expect(histogramOf(metric, { 'http.route': '/a' }).count).toBe(2);
  });

  it('bound the series of a preset histogram across collections by default (cardinality guard)', async () => {
    const m = metricsWith({ maxSeriesPerInstrument: 10 });
    const h = m.meterProvider.getMeter('t').createHistogram('http.server.request.duration');
    const counts: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 25; i++) h.record(0.01, { 'http.route': `/r${round}-${i}` });
      counts.push(pointsWith(await m.find('http.server.request.duration')).length);
    }
    // 10 admitted series plus the overflow series, every collection (cumulative).
    expect(counts).toEqual([11, 11, 11, 11]);
    expect(
      histogramOf(await m.find('http.server.request.duration'), { 'otel.metric.overflow': true }).count,
    ).toBe(90);
  });

  it('apply cardinalityLimit (the SDK per-collection limit) to every view', async () => {
    const m = metricsWith({ cardinalityLimit: 5, maxSeriesPerInstrument: 1000 });
    const h = m.meterProvider.getMeter('t').createHistogram('db.client.operation.duration');
    for (let i = 0; i < 20; i++) h.record(0.01, { 'db.query.text': String(i) });
    const metric = await m.find('db.client.operation.duration');
    expect(pointsWith(metric)).toHaveLength(5);
  });

  it('make at most one view per instrument, so nothing is exported twice', async () => {
    const m = metricsWith({
      buckets: { 'http.server.request.duration': [1, 2] },
      attributes: { 'http.server.request.duration': ['http.route'] },
    });
    m.meterProvider.getMeter('t').createHistogram('http.server.request.duration').record(1);
    const rm = await m.collect();
    const all = rm.scopeMetrics
      .flatMap((s) => s.metrics)
      .filter((x) => x.descriptor.name === 'http.server.request.duration');
    expect(all).toHaveLength(1);
  });

  it('turn an error of createViews into a ConfigError on views', () => {
    const bad = { buckets: { x: 'nope' } } as unknown as ViewsConfig;
    expect(() => buildViews(bad)).toThrow(ConfigError);
    expect(() => buildViews(bad)).toThrow(/views is .*allowed: .*unknown bucket preset "nope"/);
  });
});
