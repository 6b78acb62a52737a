// bench-node-args: --expose-gc
// Overhead of measuring a circuit breaker: time per call through an instrumented breaker against a plain one
// of the same library, in the same process, rounds interleaved (plain, measured, plain, ...) so machine noise
// hits both alike; and heap per measured breaker. Runs the built package: `npm run bench -- instrumentation-circuit-breaker`.
// Prints medians, the spread of the rounds, and ratios. No assertion: the figures are read, not gated.
import { performance } from 'node:perf_hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  CircuitBreakerInstrumentation,
  createBreakerRecorder,
  instrumentCockatiel,
  instrumentOpossum,
} from '@otel-perf/instrumentation-circuit-breaker';
import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import CircuitBreaker from 'opossum';

class PullReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const CALLS = Number(process.env.BENCH_CALLS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const reader = new PullReader();
const provider = new MeterProvider({ readers: [reader] });
const instrumentation = new CircuitBreakerInstrumentation({ patchOpossum: false });
instrumentation.setMeterProvider(provider);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

async function nsPerCall(call) {
  for (let i = 0; i < 2000; i++) await call(); // warm-up
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) await call();
  return ((performance.now() - start) * 1e6) / CALLS;
}

async function compare(label, makePlain, makeMeasured) {
  const plain = makePlain();
  const measured = makeMeasured();
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(await nsPerCall(plain));
    b.push(await nsPerCall(measured));
  }
  const ma = median(a);
  const mb = median(b);
  console.log(
    `${label.padEnd(34)} plain ${ma.toFixed(0).padStart(6)} ns/call (${spread(a)})  measured ${mb
      .toFixed(0)
      .padStart(6)} ns/call (${spread(b)})  ratio ${(mb / ma).toFixed(2)}  (+${(mb - ma).toFixed(0)} ns)`,
  );
}

const action = async () => 1;
await compare(
  'opossum fire() success',
  () => {
    const b = new CircuitBreaker(action, { name: 'bench-plain' });
    return () => b.fire();
  },
  () => {
    const b = new CircuitBreaker(action, { name: 'bench-measured' });
    instrumentOpossum(b, { slowCallThreshold: 1 });
    return () => b.fire();
  },
);

// opossum computes its stats on every failure, sorting the window's latencies when rollingPercentilesEnabled
// (its default): quadratic in calls per window, which would swamp what we add. Both breakers turn it off.
const failing = async () => {
  throw new Error('x');
};
await compare(
  'opossum fire() failure + fallback',
  () => {
    const b = new CircuitBreaker(failing, {
      name: 'bench-plain-f',
      volumeThreshold: Number.MAX_SAFE_INTEGER,
      rollingPercentilesEnabled: false,
    });
    b.fallback(() => 0);
    return () => b.fire();
  },
  () => {
    const b = new CircuitBreaker(failing, {
      name: 'bench-measured-f',
      volumeThreshold: Number.MAX_SAFE_INTEGER,
      rollingPercentilesEnabled: false,
    });
    b.fallback(() => 0);
    instrumentOpossum(b);
    return () => b.fire();
  },
);

await compare(
  'cockatiel execute() success',
  () => {
    const p = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) });
    return () => p.execute(action);
  },
  () => {
    const p = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) });
    instrumentCockatiel(p, { name: 'bench-cockatiel' });
    return () => p.execute(action);
  },
);

{
  // The floor: what the SDK itself costs for the two records every measured call makes.
  const meter = provider.getMeter('bench-floor');
  const counter = meter.createCounter('floor.calls');
  const histogram = meter.createHistogram('floor.duration');
  const attrs = { 'circuit_breaker.name': 'floor', 'circuit_breaker.call.outcome': 'success' };
  const n = CALLS * 10;
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      counter.add(1, attrs);
      histogram.record(0.002, attrs);
    }
    rounds.push(((performance.now() - start) * 1e6) / n);
  }
  console.log(
    `${'SDK floor: counter.add+hist.record'.padEnd(34)} ${median(rounds).toFixed(0)} ns/call (${spread(rounds)})`,
  );
}

{
  const recorder = createBreakerRecorder({ name: 'bench-recorder', slowCallThreshold: 1 });
  const n = CALLS * 10;
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) recorder.record('success', 0.002);
    rounds.push(((performance.now() - start) * 1e6) / n);
  }
  console.log(`${'recorder.record()'.padEnd(34)} ${median(rounds).toFixed(0)} ns/call (${spread(rounds)})`);
}

{
  // Heap per measured breaker: N opossum breakers measured vs N plain ones.
  const N = 2000;
  const heap = () => {
    globalThis.gc?.();
    return process.memoryUsage().heapUsed;
  };
  const keep = [];
  let before = heap();
  for (let i = 0; i < N; i++)
    keep.push(new CircuitBreaker(action, { name: `heap-plain-${i % 50}`, enableSnapshots: false }));
  const plain = (heap() - before) / N;
  before = heap();
  for (let i = 0; i < N; i++) {
    const b = new CircuitBreaker(action, { name: `heap-measured-${i % 50}`, enableSnapshots: false });
    instrumentOpossum(b);
    keep.push(b);
  }
  const measured = (heap() - before) / N;
  const t0 = performance.now();
  await reader.collect();
  const collectMs = performance.now() - t0;
  console.log(
    `heap per opossum breaker: plain ${(plain / 1024).toFixed(1)} KiB, measured ${(measured / 1024).toFixed(1)} KiB (+${((measured - plain) / 1024).toFixed(1)} KiB)${globalThis.gc ? '' : ' (run with --expose-gc for steadier figures)'}`,
  );
  console.log(`one collection with ${keep.length + 4} breakers live: ${collectMs.toFixed(1)} ms`);
  for (const b of keep) b.shutdown();
}

instrumentation.disable();
await provider.shutdown();
