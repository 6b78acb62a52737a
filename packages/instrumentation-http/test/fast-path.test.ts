import { createServer, request, type Server } from 'node:http';
import type { HrTime } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
  type MetricReaderOptions,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { close, findMetric, listen, pointsWith } from '@otel-perf/test-utils';
import { BODY_SIZE_BUCKETS, HTTP_DURATION_BUCKETS, OVERFLOW_ATTRIBUTES } from '@otel-perf/views';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '../src/index.js';

class Reader extends MetricReader {
  constructor(options: MetricReaderOptions) {
    super(options);
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const CUMULATIVE = () => AggregationTemporality.CUMULATIVE;
const DELTA = () => AggregationTemporality.DELTA;

/** One instrumentation with the fast path, and readers each given their own producer. */
function setup(temporalities: (() => AggregationTemporality)[], config: HttpInstrumentationConfig = {}) {
  const instrumentation = new HttpInstrumentation({ client: false, fastPath: true, ...config });
  const readers = temporalities.map(
    (t) =>
      new Reader({
        aggregationTemporalitySelector: t,
        metricProducers: [instrumentation.metricProducer({ aggregationTemporalitySelector: t })],
      }),
  );
  const provider = new MeterProvider({ readers });
  instrumentation.setMeterProvider(provider);
  return { instrumentation, readers, provider };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A server answering `/size/N` with N bytes and anything else with 2 bytes. */
async function server(): Promise<number> {
  const s: Server = createServer((req, res) => {
    const m = /^\/size\/(\d+)/.exec(req.url ?? '');
    res.end('x'.repeat(m ? Number(m[1]) : 2));
  });
  const port = await listen(s);
  cleanup.push(() => close(s));
  return port;
}

function get(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
}

async function collect(reader: MetricReader): Promise<ResourceMetrics> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

function hist(metric: MetricData | undefined, route: string) {
  const points = pointsWith<Histogram>(metric, { 'http.route': route });
  expect(points).toHaveLength(1);
  return points[0] as { startTime: HrTime; endTime: HrTime; value: Histogram };
}

const ms = (t: HrTime) => t[0] * 1000 + t[1] / 1e6;

describe('HttpInstrumentation fast path (fastPath + metricProducer)', () => {
  it('gives a cumulative reader cumulative values and each delta reader its own deltas, at any interval', async () => {
    const { instrumentation, readers, provider } = setup([CUMULATIVE, DELTA, DELTA]);
    cleanup.push(async () => {
      instrumentation.disable();
      await provider.shutdown();
    });
    const [cumulative, delta1, delta2] = readers as [Reader, Reader, Reader];
    const port = await server();
    const size = 'http.server.response.body.size';

    await get(port, '/size/10');
    await get(port, '/size/300');
    let c = findMetric(await collect(cumulative), size);
    expect(c?.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    const first = hist(c, '/size/:id');
    expect(first.value).toMatchObject({ count: 2, sum: 310, min: 10, max: 300 });
    let d1 = findMetric(await collect(delta1), size);
    expect(d1?.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    const d1First = hist(d1, '/size/:id');
    expect(d1First.value).toMatchObject({ count: 2, sum: 310, min: 10, max: 300 });

    await get(port, '/size/50');
    await get(port, '/size/70');
    c = findMetric(await collect(cumulative), size);
    const second = hist(c, '/size/:id');
    expect(second.value).toMatchObject({ count: 4, sum: 430, min: 10, max: 300 });
    // 10 → (0,64], 300 → (256,1024], 50 and 70: (0,64] and (64,256].
    expect(second.value.buckets).toEqual({
      boundaries: [...BODY_SIZE_BUCKETS],
      counts: [2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(second.startTime).toEqual(first.startTime);
    d1 = findMetric(await collect(delta1), size);
    const d1Second = hist(d1, '/size/:id');
    expect(d1Second.value).toMatchObject({ count: 2, sum: 120, min: 50, max: 70 });
    expect(d1Second.value.buckets.counts).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(d1Second.startTime).toEqual(d1First.endTime);

    // The second delta reader collects for the first time: everything so far, once.
    const d2 = findMetric(await collect(delta2), size);
    expect(hist(d2, '/size/:id').value).toMatchObject({ count: 4, sum: 430, min: 10, max: 300 });

    await get(port, '/size/5');
    expect(hist(findMetric(await collect(delta2), size), '/size/:id').value).toMatchObject({
      count: 1,
      sum: 5,
      min: 5,
      max: 5,
    });
    // Nothing new for delta2 since: no point; delta1 still gets the request it has not seen.
    expect(findMetric(await collect(delta2), size)).toBeUndefined();
    expect(hist(findMetric(await collect(delta1), size), '/size/:id').value).toMatchObject({
      count: 1,
      sum: 5,
    });
    expect(hist(findMetric(await collect(cumulative), size), '/size/:id').value.count).toBe(5);

    // Durations: same series, HTTP buckets, sane times.
    const before = Date.now();
    const duration = hist(findMetric(await collect(cumulative), 'http.server.request.duration'), '/size/:id');
    expect(duration.value.count).toBe(5);
    expect(duration.value.buckets.boundaries).toEqual([...HTTP_DURATION_BUCKETS]);
    expect(ms(duration.startTime)).toBeLessThanOrEqual(ms(duration.endTime));
    expect(Math.abs(ms(duration.endTime) - before)).toBeLessThan(5_000);
  });

  it('applies bucket overrides, allow-lists and the series cap (overflow series) from views', async () => {
    const { instrumentation, readers, provider } = setup([CUMULATIVE], {
      views: {
        buckets: { 'http.server.response.body.size': [5, 50] },
        attributes: { 'http.server.response.body.size': ['http.request.method'] },
        maxSeriesPerInstrument: 2,
      },
    });
    cleanup.push(async () => {
      instrumentation.disable();
      await provider.shutdown();
    });
    const port = await server();
    for (const path of ['/a', '/b', '/c', '/d', '/a', '/size/60']) await get(port, path);
    const rm = await collect(readers[0] as Reader);

    const duration = findMetric(rm, 'http.server.request.duration');
    // No allow-list for durations: /a and /b are series, everything later is the overflow series.
    expect(pointsWith(duration).map((p) => p.attributes['http.route'])).toEqual(['/a', '/b', undefined]);
    expect(pointsWith<Histogram>(duration, { 'http.route': '/a' })[0]?.value.count).toBe(2);
    const overflow = pointsWith<Histogram>(duration, OVERFLOW_ATTRIBUTES);
    expect(overflow).toHaveLength(1);
    expect(overflow[0]?.attributes).toEqual(OVERFLOW_ATTRIBUTES);
    expect(overflow[0]?.value.count).toBe(3);

    const size = findMetric(rm, 'http.server.response.body.size');
    const points = pointsWith<Histogram>(size);
    expect(points.map((p) => p.attributes)).toEqual([{ 'http.request.method': 'GET' }]);
    expect(points[0]?.value.buckets).toEqual({ boundaries: [5, 50], counts: [5, 0, 1] });
  });

  it('reports nothing through producers when fastPath is off; the SDK instruments get the data', async () => {
    const { instrumentation, readers, provider } = setup([CUMULATIVE], { fastPath: false });
    cleanup.push(async () => {
      instrumentation.disable();
      await provider.shutdown();
    });
    const port = await server();
    await get(port, '/x');
    const rm = await collect(readers[0] as Reader);
    const metrics = rm.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
    // Exactly one duration metric: from the SDK instrument, none from the producer.
    expect(metrics.filter((n) => n === 'http.server.request.duration')).toHaveLength(1);
    expect(pointsWith<Histogram>(findMetric(rm, 'http.server.request.duration'))[0]?.value.count).toBe(1);
  });

  it('rejects invalid views at construction, naming the key', () => {
    expect(
      () =>
        new HttpInstrumentation({
          fastPath: true,
          views: { buckets: { 'http.server.request.duration': [2, 1] } },
        }),
    ).toThrow(/invalid config "views".*strictly increasing/);
    expect(() => new HttpInstrumentation({ fastPath: 'yes' as unknown as boolean })).toThrow(
      /invalid config "fastPath"/,
    );
  });
});
