// The streaming detector's cost: points per second on one core, and heap bytes per detector (one per
// watched series). Imports src/detector/index.ts directly (self-contained, run by Node's type stripping):
// the same code the package bundles, measurable before the rest of the package is built.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runBench } from '@otel-perf/bench';
import { createDetector, type Detector, type DetectorOptions } from '../src/detector/index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const POINTS = 1_000_000;
const DETECTORS = 50_000;

/** A realistic input: a daily cycle, noise, a spike now and then; one point a minute. */
const values = new Float64Array(POINTS);
const timestamps = new Float64Array(POINTS);
let seed = 42;
const uniform = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const start = Date.UTC(2026, 0, 5);
for (let i = 0; i < POINTS; i++) {
  const day = Math.sin((2 * Math.PI * (i % 1440)) / 1440);
  values[i] = 100 + 30 * day + 5 * (uniform() - 0.5) + (uniform() < 0.001 ? 200 : 0);
  timestamps[i] = start + i * 60_000;
}

let sink = 0;
function pointsPerSecond(detector: Detector): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < POINTS; i++) sink += detector.update(values[i] as number, timestamps[i] as number);
  const ns = Number(process.hrtime.bigint() - t0);
  return POINTS / (ns / 1e9);
}

const variants: [string, DetectorOptions | undefined][] = [
  ['defaults (2 horizons + hour-of-day profile)', undefined],
  ['seasonal: false', { seasonal: false }],
  ['4 horizons', { horizons: [10, 60, 360, 1440] }],
];

await runBench({
  title: 'anomaly: detector throughput',
  rounds: 7,
  warmupRounds: 1,
  metric: { name: 'points/s', better: 'higher' },
  cases: variants.map(([name, options], i) => {
    const detector = createDetector(options);
    return { name, baseline: i === 0, run: () => pointsPerSecond(detector) };
  }),
});

function heapBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Heap per detector, including the array slot that holds it: DETECTORS detectors, each fed 50 points (the state is allocated once, at creation; the tests check it does not grow). */
function bytesPerDetector(options: DetectorOptions | undefined): number {
  const before = heapBytes();
  const detectors: Detector[] = new Array(DETECTORS);
  for (let d = 0; d < DETECTORS; d++) {
    const detector = createDetector(options);
    for (let i = 0; i < 50; i++) detector.update(values[d + i] as number, timestamps[d + i] as number);
    detectors[d] = detector;
  }
  const after = heapBytes();
  sink += detectors.length;
  return (after - before) / DETECTORS;
}

await runBench({
  title: 'anomaly: detector memory',
  rounds: 3,
  metric: { name: 'bytes/detector', better: 'lower' },
  cases: variants.map(([name, options], i) => ({
    name,
    baseline: i === 0,
    run: () => bytesPerDetector(options),
  })),
});

if (sink === Number.MIN_VALUE) process.stdout.write('');
