// Cost of measuring a cache: an L1 (lru-cache) get hit bare vs instrumented, in one process and one run, and
// an L2 (ioredis, real Redis on loopback) get round trip bare vs instrumented. In-process figures are on the
// process's CPU clock (the harness default); the round trip is wall time, with the client's CPU time next to it.
// Run: `npm run bench -- instrumentation-cache` (BENCH_ROUNDS / BENCH_DURATION_MS shorten it).

import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { measureNsPerOp, runBench } from '@otel-perf/bench';
import {
  CacheInstrumentation,
  instrumentIoredis,
  instrumentLruCache,
} from '@otel-perf/instrumentation-cache';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 400);

class PullReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

// A real provider with the instrumentation enabled, so the instrumented cases record into real instruments.
const reader = new PullReader();
const provider = new MeterProvider({ readers: [reader] });
const instrumentation = new CacheInstrumentation();
instrumentation.setMeterProvider(provider);
const meter = provider.getMeter('bench');
const naiveCounter = meter.createCounter('bench.cache.gets');
const naiveHistogram = meter.createHistogram('bench.cache.duration');

const N = 1024;
const keys = Array.from({ length: N }, (_, i) => `product:${i}`);
const filled = () => {
  const c = new LRUCache<string, { id: number }>({ max: N * 2 });
  for (let i = 0; i < N; i++) c.set(keys[i] as string, { id: i });
  return c;
};
const bare = filled();
const instrumented = instrumentLruCache(filled(), { name: 'bench-l1' });
const unsampled = instrumentLruCache(filled(), { name: 'bench-l1-unsampled', sampleEvery: 0 });
const naive = filled();
const naiveAttrs = { 'cache.name': 'bench-naive', 'cache.layer': 'l1', 'cache.result': 'hit' };

let i = 0;
const next = () => keys[i++ & (N - 1)] as string;

await runBench({
  title: 'instrumentation-cache: L1 get hit',
  rounds,
  warmupRounds: 1,
  metric: { name: 'ns/op', better: 'lower' },
  cases: [
    {
      name: 'bare lru-cache get',
      baseline: true,
      run: () => measureNsPerOp(() => bare.get(next()), { durationMs }),
    },
    {
      name: 'instrumentLruCache (default: 1 in 100 timed)',
      run: () => measureNsPerOp(() => instrumented.get(next()), { durationMs }),
    },
    {
      name: 'instrumentLruCache (sampleEvery: 0, counts only)',
      run: () => measureNsPerOp(() => unsampled.get(next()), { durationMs }),
    },
    {
      name: 'naive: SDK counter.add + histogram.record per get',
      run: () =>
        measureNsPerOp(
          () => {
            const start = performance.now();
            const v = naive.get(next());
            naiveHistogram.record((performance.now() - start) / 1000, naiveAttrs);
            naiveCounter.add(1, naiveAttrs);
            return v;
          },
          { durationMs },
        ),
    },
  ],
});

const redisHost = process.env.REDIS_HOST ?? '127.0.0.1';
const redisPort = Number(process.env.REDIS_PORT ?? 6379);
const prefix = `otel-perf-cache-bench:${process.pid}:`;
const key = `${prefix}product`;
const bareRedis = new Redis({ host: redisHost, port: redisPort });
const instrumentedRedis = instrumentIoredis(new Redis({ host: redisHost, port: redisPort }), {
  name: 'bench-l2',
});
/** Wall time of a round trip, and this process's CPU time per round trip (the client-side cost). */
async function roundTrip(fn: () => Promise<unknown>) {
  const wall = await measureNsPerOp(fn, { durationMs, clock: 'wall' });
  const cpu = await measureNsPerOp(fn, { durationMs, clock: 'cpu' });
  return { value: wall / 1000, extra: { 'client CPU µs/op': cpu / 1000 } };
}
try {
  await bareRedis.set(key, JSON.stringify({ id: 1, name: 'x'.repeat(100) }), 'EX', 600);
  await runBench({
    title: 'instrumentation-cache: L2 get round trip (ioredis, loopback Redis)',
    rounds,
    warmupRounds: 1,
    metric: { name: 'µs/op', better: 'lower' },
    extraMetrics: [{ name: 'client CPU µs/op', better: 'lower' }],
    cases: [
      { name: 'bare ioredis get', baseline: true, run: () => roundTrip(() => bareRedis.get(key)) },
      { name: 'instrumentIoredis get', run: () => roundTrip(() => instrumentedRedis.get(key)) },
    ],
  });
} finally {
  await bareRedis.del(key);
  bareRedis.disconnect();
  instrumentedRedis.disconnect();
}
const { errors } = await reader.collect();
await provider.shutdown();
if (errors.length > 0) throw new AggregateError(errors, 'metric collection reported errors');
