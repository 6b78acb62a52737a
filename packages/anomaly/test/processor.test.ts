import { createServer, request } from 'node:http';
import { AggregationTemporality, MeterProvider } from '@opentelemetry/sdk-metrics';
import { HttpInstrumentation } from '@otel-perf/instrumentation-http';
import { RuntimeInstrumentation } from '@otel-perf/instrumentation-runtime';
import {
  close,
  findMetric,
  listen,
  pointsWith,
  sumValues,
  TestMetricReader,
  waitFor,
} from '@otel-perf/test-utils';
import { HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Alert,
  type AlertEvent,
  AnomalyProcessor,
  anomalyPlugin,
  METRIC_ANOMALY_ALERTS_ACTIVE,
  METRIC_ANOMALY_SCORE,
  METRIC_ANOMALY_SERIES,
} from '../src/index.js';
import { collection, histogram, ONLY } from './synthetic.js';

function get(port: number, path: string, fail = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: fail ? { 'x-fail': '1' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('AnomalyProcessor on a real MeterProvider with instrumented HTTP traffic', () => {
  let provider: MeterProvider;
  let processor: AnomalyProcessor;
  let other: TestMetricReader;
  let instrumentation: HttpInstrumentation;
  let events: [AlertEvent, Alert][];
  let stopMetrics: () => void;

  beforeEach(() => {
    events = [];
    const plugin = anomalyPlugin({
      rules: { ...ONLY, errorRate: { forMs: 0 } },
      onAlert: (a, e) => {
        events.push([e, a]);
      },
    });
    processor = plugin.processor;
    other = new TestMetricReader(AggregationTemporality.CUMULATIVE);
    provider = new MeterProvider({ readers: [...(plugin.readers?.() ?? []), other] });
    instrumentation = new HttpInstrumentation({ client: false });
    instrumentation.setMeterProvider(provider);
    void plugin.start?.({ meterProvider: provider, getPlugin: () => undefined, serverUrl: () => undefined });
    stopMetrics = () => void plugin.shutdown?.();
  });
  afterEach(async () => {
    stopMetrics();
    instrumentation.disable();
    await provider.shutdown();
  });

  it('a burst of 500s fires the error-rate rule on its route; a clean interval resolves it', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.headers['x-fail'] === undefined ? 200 : 500;
      res.end('x');
    });
    const port = await listen(server);
    try {
      for (let i = 0; i < 30; i++) expect(await get(port, '/pay')).toBe(200);
      await processor.collectAndEvaluate();
      expect(events).toEqual([]);

      for (let i = 0; i < 20; i++) expect(await get(port, '/pay', true)).toBe(500);
      for (let i = 0; i < 20; i++) expect(await get(port, '/pay')).toBe(200);
      await processor.collectAndEvaluate();
      const firing = events.filter(([e]) => e === 'firing').map(([, a]) => a);
      expect(firing).toHaveLength(1);
      expect(firing[0]).toMatchObject({
        rule: 'errorRate',
        level: 'critical',
        state: 'firing',
        signal: 'http.server.error_ratio',
      });
      // Delta readings: this interval's 20 errors of 40 requests, not the 70 since the start.
      expect(firing[0]?.value).toBe(0.5);
      expect(firing[0]?.labels).toEqual({ 'http.route': '/pay' });
      expect(processor.activeAlerts()).toHaveLength(1);

      // The other (cumulative) reader still sees every request: the processor's deltas are its own.
      const rm = (await other.collect()).resourceMetrics;
      const total = pointsWith<{ count: number }>(findMetric(rm, 'http.server.request.duration')).reduce(
        (a, p) => a + p.value.count,
        0,
      );
      expect(total).toBe(70);
      expect(
        sumValues(findMetric(rm, METRIC_ANOMALY_ALERTS_ACTIVE), { 'otel_perf.anomaly.level': 'critical' }),
      ).toBe(1);
      expect(
        pointsWith(findMetric(rm, METRIC_ANOMALY_SCORE)).map((p) => p.attributes['otel_perf.anomaly.signal']),
      ).toContain('http.server.error_ratio');
      expect(sumValues(findMetric(rm, METRIC_ANOMALY_SERIES))).toBeGreaterThanOrEqual(2);

      for (let i = 0; i < 30; i++) await get(port, '/pay');
      await processor.collectAndEvaluate();
      expect(events.map(([e]) => e)).toEqual(['firing', 'resolved']);
      expect(processor.activeAlerts()).toEqual([]);
      const after = (await other.collect()).resourceMetrics;
      expect(
        sumValues(findMetric(after, METRIC_ANOMALY_ALERTS_ACTIVE), { 'otel_perf.anomaly.level': 'critical' }),
      ).toBe(0);
    } finally {
      await close(server);
    }
  });

  it('collects on its own unref’d interval once started', async () => {
    const p = new AnomalyProcessor({ intervalMs: 100, rules: ONLY });
    const mp = new MeterProvider({ readers: [p] });
    mp.getMeter('t')
      .createObservableGauge('process.cpu.utilization')
      .addCallback((r) => r.observe(0.1));
    p.start();
    try {
      await waitFor(() => p.evaluations >= 2, { what: 'two evaluations' });
      expect(p.seriesStats().watched).toBe(1);
    } finally {
      await mp.shutdown();
    }
    const n = p.evaluations;
    await new Promise((r) => setTimeout(r, 250));
    expect(p.evaluations).toBe(n);
  });
});

describe('with the runtime instrumentation', () => {
  it('watches heap, RSS, CPU and event-loop delay as one series each, and a threshold fires on them', async () => {
    const events: Alert[] = [];
    const processor = new AnomalyProcessor({
      rules: ONLY,
      // Any live process is above these: the point is that real runtime metrics reach the rules.
      thresholds: [
        { name: 'heapSeen', signal: 'v8js.memory.heap.used', op: 'gt', value: 1 },
        { name: 'rssSeen', signal: 'process.memory.usage', op: 'gt', value: 1 },
      ],
      onAlert: (a) => {
        events.push(a);
      },
    });
    const provider = new MeterProvider({ readers: [processor] });
    const runtime = new RuntimeInstrumentation({ statsWindowMillis: 1000 });
    runtime.setMeterProvider(provider);
    try {
      const signals = [
        'v8js.memory.heap.used',
        'process.memory.usage',
        'process.cpu.utilization',
        'nodejs.eventloop.delay.p99',
      ];
      // CPU and event-loop figures cover a trailing window: they appear once the first window is complete.
      await waitFor(
        async () => {
          await processor.collectAndEvaluate();
          const scored = processor.signals
            .filter((s) => !Number.isNaN(processor.scores[s.index] as number))
            .map((s) => s.id);
          return signals.every((id) => scored.includes(id));
        },
        { what: 'all four runtime signals in one evaluation', intervalMs: 200 },
      );
      expect(processor.seriesStats().watched).toBe(4);
      expect(events.map((a) => [a.rule, a.series]).sort()).toEqual([
        ['heapSeen', 'v8js.memory.heap.used'],
        ['rssSeen', 'process.memory.usage'],
      ]);
      expect(events.find((a) => a.rule === 'heapSeen')?.value).toBeGreaterThan(1e6);
    } finally {
      runtime.disable();
      await provider.shutdown();
    }
  });
});

describe('cumulative input', () => {
  it('differences cumulative histograms (bucketDelta) and treats a drop in counts as a restart', () => {
    const values: number[] = [];
    let now = 0;
    const p = new AnomalyProcessor({
      rules: ONLY,
      thresholds: [{ name: 'slow', signal: 'http.server.request.duration.p99', op: 'gt', value: 0 }],
      onAlert: (a) => {
        values.push(a.value);
      },
      now: () => now,
    });
    const counts = HTTP_DURATION_BUCKETS.map(() => 0).concat(0);
    const feed = (bucket: number, n: number) => {
      counts[bucket] = (counts[bucket] ?? 0) + n;
      now += 15_000;
      p.evaluate(
        collection(
          histogram(
            'http.server.request.duration',
            [...HTTP_DURATION_BUCKETS],
            [{ attributes: {}, counts: [...counts] }],
            0,
            now,
            AggregationTemporality.CUMULATIVE,
          ),
        ),
        now,
      );
    };
    feed(6, 100); // first cumulative reading: nothing to difference yet
    expect(values).toEqual([]);
    feed(9, 100); // this interval: 100 requests in (0.75, 1]
    expect(values[0]).toBeCloseTo(0.75 + 0.25 * 0.99, 6);
  });
});
