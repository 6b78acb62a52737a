import { AggregationType } from '@opentelemetry/sdk-metrics';
import {
  createTestMetrics,
  findMetric,
  histogramOf,
  pointsWith,
  type TestMetrics,
} from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BODY_SIZE_BUCKETS,
  BUCKET_PRESETS,
  CACHE_OPERATION_BUCKETS,
  type CreateViewsOptions,
  createViews,
  METRIC_BUCKET_PRESETS,
  OVERFLOW_ATTRIBUTES,
  resolveBuckets,
} from '../src/index.js';

let current: TestMetrics | undefined;
afterEach(async () => {
  await current?.shutdown();
  current = undefined;
});

function metricsWith(options?: CreateViewsOptions): TestMetrics {
  current = createTestMetrics({ views: createViews(options) });
  return current;
}

describe('createViews: presets per metric name', () => {
  it('gives every histogram in METRIC_BUCKET_PRESETS its preset, read back from the exported points', async () => {
    const m = metricsWith();
    const meter = m.meterProvider.getMeter('t');
    const names = Object.keys(METRIC_BUCKET_PRESETS) as (keyof typeof METRIC_BUCKET_PRESETS)[];
    // No advice on the instruments: the boundaries can only come from the views.
    for (const name of names) meter.createHistogram(name).record(1);
    const rm = await m.collect();
    for (const name of names) {
      const hist = histogramOf(findMetric(rm, name));
      expect(hist.buckets.boundaries, name).toEqual([...BUCKET_PRESETS[METRIC_BUCKET_PRESETS[name]]]);
      expect(hist.count, name).toBe(1);
    }
  });

  it('wins over advice on the instrument, and leaves unrelated histograms on the SDK defaults', async () => {
    const m = metricsWith();
    const meter = m.meterProvider.getMeter('t');
    meter
      .createHistogram('cache.operation.duration', { advice: { explicitBucketBoundaries: [1, 2, 3] } })
      .record(0.0002);
    meter
      .createHistogram('some.other.histogram', { advice: { explicitBucketBoundaries: [1, 2, 3] } })
      .record(2);
    const rm = await m.collect();
    const cache = histogramOf(findMetric(rm, 'cache.operation.duration'));
    expect(cache.buckets.boundaries).toEqual([...CACHE_OPERATION_BUCKETS]);
    // 0.0002 s falls in the (0.0001, 0.00025] bucket: sub-millisecond resolution is real.
    expect(cache.buckets.counts[CACHE_OPERATION_BUCKETS.indexOf(0.00025)]).toBe(1);
    expect(histogramOf(findMetric(rm, 'some.other.histogram')).buckets.boundaries).toEqual([1, 2, 3]);
  });

  it('counts body sizes into byte buckets', async () => {
    const m = metricsWith();
    const h = m.meterProvider.getMeter('t').createHistogram('http.server.response.body.size', { unit: 'By' });
    for (const size of [10, 1000, 5000, 5000, 20_000_000]) h.record(size);
    const hist = histogramOf(await m.find('http.server.response.body.size'));
    expect(hist.buckets.boundaries).toEqual([...BODY_SIZE_BUCKETS]);
    // ≤64, ≤1024, ≤16384 (twice) and the +Inf bucket.
    expect(hist.buckets.counts).toEqual([1, 0, 1, 0, 2, 0, 0, 0, 0, 0, 1]);
  });

  it('makes one view per instrument name with plain-data explicit-bucket aggregations', () => {
    const views = createViews({ attributes: { 'my.counter': ['a'] } });
    const names = views.map((v) => v.instrumentName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining([...Object.keys(METRIC_BUCKET_PRESETS), 'my.counter']));
    const http = views.find((v) => v.instrumentName === 'http.server.request.duration');
    expect(http?.aggregation).toEqual({
      type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
      options: { boundaries: [...BUCKET_PRESETS.http] },
    });
    // An allow-list alone does not turn a counter into a histogram.
    expect(views.find((v) => v.instrumentName === 'my.counter')?.aggregation).toBeUndefined();
  });
});

describe('createViews: bucket overrides', () => {
  it('take a list of boundaries or a preset name, for known and new histograms', async () => {
    const m = metricsWith({
      buckets: { 'db.client.operation.duration': [0.01, 0.1, 1], 'job.duration': 'circuitBreaker' },
    });
    const meter = m.meterProvider.getMeter('t');
    meter.createHistogram('db.client.operation.duration').record(0.05);
    meter.createHistogram('job.duration').record(20);
    const rm = await m.collect();
    const db = histogramOf(findMetric(rm, 'db.client.operation.duration'));
    expect(db.buckets).toEqual({ boundaries: [0.01, 0.1, 1], counts: [0, 1, 0, 0] });
    const job = histogramOf(findMetric(rm, 'job.duration'));
    expect(job.buckets.boundaries).toEqual([...BUCKET_PRESETS.circuitBreaker]);
    expect(job.buckets.counts.at(-2)).toBe(1); // (10, 30]
  });

  it('copy the user array and the preset, so later mutation changes nothing', () => {
    const mine = [1, 2, 3];
    const views = createViews({ buckets: { x: mine } });
    mine.push(4);
    const x = views.find((v) => v.instrumentName === 'x')?.aggregation;
    expect(x).toEqual({
      type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
      options: { boundaries: [1, 2, 3] },
    });
    const fromPreset = resolveBuckets('http');
    fromPreset.push(99);
    expect(BUCKET_PRESETS.http.at(-1)).toBe(10);
  });
});

describe('createViews: attribute allow-lists', () => {
  it('drop attributes that are not listed, per instrument, and leave other instruments alone', async () => {
    const m = metricsWith({
      attributes: {
        'http.server.request.duration': ['http.request.method', 'http.route'],
        'orders.placed': ['region'],
      },
    });
    const meter = m.meterProvider.getMeter('t');
    const h = meter.createHistogram('http.server.request.duration');
    const orders = meter.createCounter('orders.placed');
    const other = meter.createCounter('other.count');
    for (let i = 0; i < 5; i++) {
      h.record(0.1, {
        'http.request.method': 'GET',
        'http.route': '/a',
        'url.full': `/a?i=${i}`,
        'user.id': i,
      });
      orders.add(1, { region: 'eu', 'customer.id': `c${i}` });
      other.add(1, { 'customer.id': `c${i}` });
    }
    const rm = await m.collect();
    const hp = pointsWith(findMetric(rm, 'http.server.request.duration'));
    expect(hp.map((p) => p.attributes)).toEqual([{ 'http.request.method': 'GET', 'http.route': '/a' }]);
    expect(histogramOf(findMetric(rm, 'http.server.request.duration')).count).toBe(5);
    const op = pointsWith<number>(findMetric(rm, 'orders.placed'));
    expect(op.map((p) => [p.attributes, p.value])).toEqual([[{ region: 'eu' }, 5]]);
    expect(Object.hasOwn(op[0]?.attributes ?? {}, 'customer.id')).toBe(false);
    expect(pointsWith(findMetric(rm, 'other.count'))).toHaveLength(5);
  });

  it('keep one series when a cached frozen attribute set is reused (the memoised path)', async () => {
    const m = metricsWith({ attributes: { 'c.count': ['keep'] } });
    const c = m.meterProvider.getMeter('t').createCounter('c.count');
    const set = Object.freeze({ keep: 'k', drop: 'd' });
    for (let i = 0; i < 3; i++) c.add(1, set);
    c.add(1, { keep: 'k', drop: 'other' });
    const points = pointsWith<number>(await m.find('c.count'));
    expect(points.map((p) => [p.attributes, p.value])).toEqual([[{ keep: 'k' }, 4]]);
  });

  it('an empty allow-list drops every attribute', async () => {
    const m = metricsWith({ attributes: { 'c.count': [] } });
    const c = m.meterProvider.getMeter('t').createCounter('c.count');
    c.add(1, { a: 1 });
    c.add(2, { b: 2 });
    const points = pointsWith<number>(await m.find('c.count'));
    expect(points.map((p) => [p.attributes, p.value])).toEqual([[{}, 3]]);
  });
});

describe('createViews: cardinality', () => {
  it('applies aggregationCardinalityLimit to every view it makes', async () => {
    const views = createViews({ cardinalityLimit: 4, attributes: { 'c.count': ['id'] } });
    expect(views.every((v) => v.aggregationCardinalityLimit === 4)).toBe(true);
    const m = metricsWith({ cardinalityLimit: 4, attributes: { 'c.count': ['id'] } });
    const c = m.meterProvider.getMeter('t').createCounter('c.count');
    for (let i = 0; i < 10; i++) c.add(1, { id: i });
    const metric = await m.find('c.count');
    // The SDK keeps limit-1 sets and folds the rest into its overflow point.
    expect(pointsWith(metric)).toHaveLength(4);
    expect(pointsWith<number>(metric, OVERFLOW_ATTRIBUTES)[0]?.value).toBe(7);
  });

  it('maxSeriesPerInstrument guards allow-listed instruments after the allow-list is applied', async () => {
    const m = metricsWith({ maxSeriesPerInstrument: 3, attributes: { 'c.count': ['id'] } });
    const c = m.meterProvider.getMeter('t').createCounter('c.count');
    // 10 distinct raw sets but only 2 distinct after the allow-list: nothing overflows.
    for (let i = 0; i < 10; i++) c.add(1, { id: i % 2, noise: i });
    expect(pointsWith(await m.find('c.count'))).toHaveLength(2);
    for (let i = 2; i < 10; i++) c.add(1, { id: i });
    const metric = await m.find('c.count');
    expect(pointsWith(metric)).toHaveLength(4);
    expect(pointsWith<number>(metric, OVERFLOW_ATTRIBUTES)[0]?.value).toBe(7);
  });

  it('gives every instrument its own guard (one instrument filling up does not starve another)', async () => {
    const m = metricsWith({ maxSeriesPerInstrument: 2 });
    const meter = m.meterProvider.getMeter('t');
    const a = meter.createHistogram('db.client.operation.duration');
    const b = meter.createHistogram('cache.operation.duration');
    for (let i = 0; i < 10; i++) a.record(0.01, { q: i });
    b.record(0.001, { op: 'get' });
    const rm = await m.collect();
    expect(pointsWith(findMetric(rm, 'db.client.operation.duration'))).toHaveLength(3);
    expect(pointsWith(findMetric(rm, 'cache.operation.duration')).map((p) => p.attributes)).toEqual([
      { op: 'get' },
    ]);
  });
});

describe('createViews: invalid options throw naming the key, the value and what is allowed', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not an object', 'http', /createViews: options must be an object, got "http"/],
    [
      'an unknown key',
      { bucket: {} },
      /unknown option "bucket"; allowed: buckets, attributes, cardinalityLimit, maxSeriesPerInstrument/,
    ],
    [
      'buckets not an object',
      { buckets: [1, 2] },
      /buckets: expected an object of metric name → buckets, got \[1,2\]/,
    ],
    [
      'an unknown preset',
      { buckets: { 'http.server.request.duration': 'fast' } },
      /buckets\["http\.server\.request\.duration"\]: unknown bucket preset "fast"; use one of: http, db, pool, cache, eventLoop, gc, circuitBreaker, bodySize/,
    ],
    [
      'a bucket value of the wrong type',
      { buckets: { x: 5 } },
      /buckets\["x"\]: expected a preset name \(http, .*\) or an array of numbers, got 5/,
    ],
    [
      'a non-number boundary',
      { buckets: { x: [1, '2'] } },
      /buckets\["x"\]\[1\]: bucket boundaries must be finite numbers, got "2"/,
    ],
    [
      'an infinite boundary',
      { buckets: { x: [1, Number.POSITIVE_INFINITY] } },
      /buckets\["x"\]\[1\]: .*finite numbers, got null/,
    ],
    [
      'unsorted boundaries',
      { buckets: { x: [1, 5, 3] } },
      /buckets\["x"\]\[2\]: .*strictly increasing, but 3 follows 5/,
    ],
    [
      'duplicate boundaries',
      { buckets: { x: [1, 1] } },
      /buckets\["x"\]\[1\]: .*strictly increasing, but 1 follows 1/,
    ],
    [
      'attributes not an object',
      { attributes: 'http.route' },
      /attributes: expected an object of metric name → attribute names, got "http.route"/,
    ],
    [
      'an allow-list that is not an array',
      { attributes: { x: 'http.route' } },
      /attributes\["x"\]: expected an array of attribute names \(non-empty strings\), got "http.route"/,
    ],
    ['an empty attribute name', { attributes: { x: ['a', ''] } }, /attributes\["x"\]: .*got \["a",""\]/],
    [
      'a fractional cardinalityLimit',
      { cardinalityLimit: 1.5 },
      /cardinalityLimit: expected a positive integer, got 1.5/,
    ],
    [
      'a zero cardinalityLimit',
      { cardinalityLimit: 0 },
      /cardinalityLimit: expected a positive integer, got 0/,
    ],
    [
      'a string maxSeriesPerInstrument',
      { maxSeriesPerInstrument: '100' },
      /maxSeriesPerInstrument: expected a positive integer, got "100"/,
    ],
    [
      'a negative maxSeriesPerInstrument',
      { maxSeriesPerInstrument: -1 },
      /maxSeriesPerInstrument: expected a positive integer, got -1/,
    ],
  ];
  for (const [what, options, message] of cases) {
    it(what, () => {
      expect(() => createViews(options as CreateViewsOptions)).toThrow(message);
    });
  }

  it('accepts an empty call and explicit undefined values', () => {
    expect(createViews().length).toBe(Object.keys(METRIC_BUCKET_PRESETS).length);
    expect(createViews({ cardinalityLimit: undefined, maxSeriesPerInstrument: undefined })).toHaveLength(
      Object.keys(METRIC_BUCKET_PRESETS).length,
    );
  });
});
