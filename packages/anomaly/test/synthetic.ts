import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Alert, AlertEvent, AnomalyConfig } from '../src/index.js';
import { AnomalyProcessor } from '../src/index.js';

/** Synthetic collections for unit tests: plain `ResourceMetrics` objects, as a reader would produce. */
const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), (ms % 1000) * 1e6];

export function gauge(
  name: string,
  points: [Attributes, number][],
  endMs: number,
  startMs = endMs,
): MetricData {
  return {
    descriptor: { name, description: '', unit: '', type: 'OBSERVABLE_GAUGE' as never, valueType: 1 },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: points.map(([attributes, value]) => ({
      attributes,
      startTime: hr(startMs),
      endTime: hr(endMs),
      value,
    })),
  } as MetricData;
}

export interface HistPoint {
  attributes: Attributes;
  counts: number[];
  sum?: number;
}

export function histogram(
  name: string,
  boundaries: number[],
  points: HistPoint[],
  startMs: number,
  endMs: number,
  temporality = AggregationTemporality.DELTA,
): MetricData {
  return {
    descriptor: { name, description: '', unit: 's', type: 'HISTOGRAM' as never, valueType: 1 },
    aggregationTemporality: temporality,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: points.map((p) => ({
      attributes: p.attributes,
      startTime: hr(startMs),
      endTime: hr(endMs),
      value: {
        buckets: { boundaries, counts: p.counts },
        count: p.counts.reduce((a, b) => a + b, 0),
        sum: p.sum ?? 0,
      },
    })),
  } as MetricData;
}

export function collection(...metrics: MetricData[]): ResourceMetrics {
  return { resource: {} as never, scopeMetrics: [{ scope: { name: 'test' }, metrics }] };
}

/** A deterministic pseudo-random generator (LCG), so noisy series are the same on every run. */
export function rng(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Harness {
  processor: AnomalyProcessor;
  events: { event: AlertEvent; alert: Alert; at: number }[];
  /** Advances the clock by `stepMs` and evaluates the collection `make(now)` returns. */
  step(make: (now: number) => ResourceMetrics): void;
  time(): number;
  /** Times (ms from the start) of the events of one rule. */
  timesOf(rule: string, event: AlertEvent): number[];
}

/** A processor on a synthetic clock that starts at `t0` and moves `stepMs` per evaluation. */
export function harness(config: AnomalyConfig, stepMs: number, t0 = Date.UTC(2026, 0, 1)): Harness {
  let now = t0;
  const events: Harness['events'] = [];
  const processor = new AnomalyProcessor({
    ...config,
    now: () => now,
    onAlert: (alert, event) => {
      events.push({ event, alert, at: now - t0 });
    },
  });
  return {
    processor,
    events,
    step(make) {
      now += stepMs;
      processor.evaluate(make(now), now);
    },
    time: () => now - t0,
    timesOf: (rule, event) =>
      events.filter((e) => e.alert.rule === rule && e.event === event).map((e) => e.at),
  };
}

/** Only the named rules on, everything else off. */
export const ONLY = {
  anomaly: false,
  errorRate: false,
  latency: false,
  cpu: false,
  eventLoopDelay: false,
  breakerOpen: false,
  memoryLeak: false,
  regression: false,
} as const;

/** A sum (counter or up-down counter) with the given temporality and monotonicity. */
export function sum(
  name: string,
  points: [Attributes, number][],
  startMs: number,
  endMs: number,
  { temporality = AggregationTemporality.CUMULATIVE, monotonic = false } = {},
): MetricData {
  return {
    descriptor: { name, description: '', unit: '', type: 'COUNTER' as never, valueType: 1 },
    aggregationTemporality: temporality,
    dataPointType: DataPointType.SUM,
    isMonotonic: monotonic,
    dataPoints: points.map(([attributes, value]) => ({
      attributes,
      startTime: hr(startMs),
      endTime: hr(endMs),
      value,
    })),
  } as MetricData;
}
