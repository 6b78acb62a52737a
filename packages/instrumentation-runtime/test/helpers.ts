import { performance } from 'node:perf_hooks';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import {
  findMetric,
  histogramOf,
  pointsWith,
  type TestMetricReader,
  type TestMetrics,
  type TestMetricsOptions,
  withInstrumentation,
} from '@otel-perf/test-utils';
import { RuntimeInstrumentation, type RuntimeInstrumentationConfig } from '../src/index.js';

/** A real MeterProvider + pull reader(s) with the instrumentation enabled on it. */
export interface Harness {
  metrics: TestMetrics;
  instrumentation: RuntimeInstrumentation;
  cleanup(): Promise<void>;
}

export function harness(
  config: RuntimeInstrumentationConfig = {},
  options: TestMetricsOptions = {},
): Harness {
  return withInstrumentation(new RuntimeInstrumentation(config), options);
}

/** Keeps the event loop busy for `ms` milliseconds of wall time. */
export function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** The value of a gauge/counter point, or undefined when the metric or point is absent. */
export function pointValue(
  rm: Awaited<ReturnType<TestMetrics['collect']>>,
  name: string,
  attrs: Record<string, string> = {},
): number | undefined {
  const pts = pointsWith<number>(findMetric(rm, name), attrs);
  return pts.length === 1 ? pts[0]?.value : undefined;
}

/** The delay histogram as collected by `reader` (undefined before the first sample). */
export async function delayHistogram(metrics: TestMetrics, reader?: TestMetricReader): Promise<Histogram> {
  return histogramOf(await metrics.find('nodejs.eventloop.delay', reader));
}

/** Counts in each bucket, keyed by the bucket's upper bound (`+Inf` for the last). */
export function bucketCounts(h: Histogram): Record<string, number> {
  const out: Record<string, number> = {};
  h.buckets.counts.forEach((c, i) => {
    out[String(h.buckets.boundaries[i] ?? '+Inf')] = c;
  });
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
