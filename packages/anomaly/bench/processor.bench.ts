// The anomaly processor's cost: time per collection with 10k watched series (goal ≤ 20 ms) and retained
// memory per watched series, detector included (goal ≤ 600 bytes).
//
//   npm run bench -- anomaly
//
// Input: prebuilt delta collections of `http.server.request.duration` (what the processor's reader gets from
// the SDK), so the figure is the processor's work alone: grouping points into series, p99 from buckets,
// the detector, the rules. Two shapes of 10k series: the p99 signal alone on 10k routes, and the default
// signals on 5k routes (p99 and 5xx ratio per route: 10k series).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AnomalyProcessor, createDetector, DEFAULT_SIGNALS } from '@otel-perf/anomaly';
import { runBench } from '@otel-perf/bench';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const P99 = DEFAULT_SIGNALS.filter((s) => s.id === 'http.server.request.duration.p99');
const INTERVAL = 15_000;
const VARIANTS = 8;

/**
 * `routes` routes × one point each (status 200), `VARIANTS` collections with different bucket counts. The
 * attribute objects are the same in every collection, as the SDK returns them for an instrumentation that
 * records with cached attribute sets (instrumentation-http does).
 */
function collections(routes: number): unknown[] {
  const out: unknown[] = [];
  const attributes = Array.from({ length: routes }, (_, r) => ({
    'http.request.method': 'GET',
    'http.route': `/api/v1/resource-${r}/:id`,
    'http.response.status_code': 200,
  }));
  let seed = 1;
  const rnd = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  for (let v = 0; v < VARIANTS; v++) {
    const dataPoints = [];
    for (let r = 0; r < routes; r++) {
      const counts = BOUNDARIES.map(() => 0).concat(0);
      for (let i = 0; i < 20; i++) {
        const b = Math.min(counts.length - 1, Math.floor(rnd() * rnd() * 10));
        counts[b] = (counts[b] ?? 0) + 1;
      }
      dataPoints.push({
        attributes: attributes[r],
        startTime: [0, 0],
        endTime: [0, 0],
        value: { buckets: { boundaries: BOUNDARIES, counts }, count: 20, sum: 1 },
      });
    }
    out.push({
      resource: {},
      scopeMetrics: [
        {
          scope: { name: '@otel-perf/instrumentation-http' },
          metrics: [
            {
              descriptor: {
                name: 'http.server.request.duration',
                unit: 's',
                description: '',
                type: 'HISTOGRAM',
                valueType: 1,
              },
              aggregationTemporality: 0, // DELTA
              dataPointType: 0, // HISTOGRAM
              dataPoints,
            },
          ],
        },
      ],
    });
  }
  return out;
}

interface Shape {
  name: string;
  routes: number;
  signals: typeof DEFAULT_SIGNALS | undefined;
}
const SHAPES: Shape[] = [
  { name: 'p99 signal, 10k routes', routes: 10_000, signals: P99 },
  { name: 'default signals, 5k routes', routes: 5_000, signals: undefined },
];

const cases = SHAPES.map((shape) => {
  let input: unknown[] = [];
  let processor: AnomalyProcessor;
  let now = Date.UTC(2026, 0, 1);
  let i = 0;
  const evaluate = () => {
    now += INTERVAL;
    // biome-ignore lint/suspicious/noExplicitAny: prebuilt plain-data collections
    processor.evaluate(input[i++ % VARIANTS] as any, now);
  };
  return {
    name: shape.name,
    setup: () => {
      input = collections(shape.routes);
      processor = new AnomalyProcessor({ signals: shape.signals, now: () => now });
      for (let k = 0; k < 200; k++) evaluate(); // series created, detectors past warm-up, JIT warm
    },
    run: () => {
      const n = 50;
      const t0 = performance.now();
      for (let k = 0; k < n; k++) evaluate();
      const msPerCollection = (performance.now() - t0) / n;
      if (processor.seriesStats().watched !== 10_000)
        throw new Error(`expected 10k series, got ${processor.seriesStats().watched}`);
      return msPerCollection;
    },
  };
});

/** Heap retained by a processor holding 10k series (input prebuilt, so not counted), per series. */
function bytesPerSeries(shape: Shape): number {
  const input = collections(shape.routes);
  let now = Date.UTC(2026, 0, 1);
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const p = new AnomalyProcessor({ signals: shape.signals, now: () => now });
  for (let k = 0; k < 3; k++) {
    now += INTERVAL;
    // biome-ignore lint/suspicious/noExplicitAny: prebuilt plain-data collections
    p.evaluate(input[k] as any, now);
  }
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  const watched = p.seriesStats().watched;
  return (after - before) / watched;
}

/** Heap retained by one detector alone (part of bytes/series). */
function detectorBytes(): number {
  const n = 10_000;
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const all = [];
  for (let i = 0; i < n; i++) {
    const d = createDetector();
    for (let k = 0; k < 3; k++) d.update(k, k);
    all.push(d);
  }
  gc();
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / n;
  if (all.length !== n) throw new Error('unreachable');
  return bytes;
}

await runBench({
  title: 'anomaly: processor cost per collection, 10k watched series',
  rounds: 7,
  metric: { name: 'ms/collection', better: 'lower' },
  cases,
});

// Memory apart, so that forced collections of big heaps do not land in the timings above.
await runBench({
  title: 'anomaly: retained memory per watched series',
  rounds: 3,
  metric: { name: 'bytes/series', better: 'lower' },
  cases: [
    ...SHAPES.map((shape) => ({ name: `${shape.name}, whole processor`, run: () => bytesPerSeries(shape) })),
    { name: 'the detector alone (part of the above)', run: detectorBytes },
  ],
});
