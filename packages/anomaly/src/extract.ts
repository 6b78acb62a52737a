import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { bucketDelta, histogramQuantile } from '@otel-perf/core';
import type { CompiledSignal } from './signals.js';

/** One series' share of a collection, merged over the points grouped into it. */
export class Acc {
  count = 0;
  sum = 0;
  counts: number[] | undefined = undefined;
  boundaries: readonly number[] | undefined = undefined;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  num = 0;
  den = 0;
  value = 0;
  /** End of the interval, ms. */
  endMs = 0;
  /** Length of the interval (delta points), ms. */
  spanMs = 0;
  shared = false;
}

/** What the processor keeps between collections for cumulative input (absent for delta input). */
export interface CumulativePrevious {
  count: number;
  sum: number;
  counts: number[] | undefined;
  num: number;
  den: number;
  value: number;
  endMs: number;
}

function hrMs(t: readonly [number, number]): number {
  return t[0] * 1000 + t[1] / 1e6;
}

/**
 * Adds one point to a series' reading: event counts for histograms (with their buckets), values for sums
 * and gauges, numerator and denominator for a ratio signal. `first` starts the reading from this point (its
 * bucket array is borrowed, not copied: a series made of one point, the common case, allocates nothing).
 */
export function addPoint(
  acc: Acc,
  signal: CompiledSignal,
  p: DataPoint<unknown>,
  isHistogram: boolean,
  first: boolean,
): void {
  const attrs = p.attributes;
  if (first) {
    reset(acc);
    acc.endMs = hrMs(p.endTime);
    acc.spanMs = acc.endMs - hrMs(p.startTime);
  }
  if (isHistogram) {
    const h = p.value as Histogram;
    const events = h.count;
    if (signal.stat === 'ratio') {
      if (signal.numerator?.(attrs)) acc.num += events;
      if (!signal.denominator || signal.denominator(attrs)) acc.den += events;
      return;
    }
    acc.count += events;
    acc.sum += h.sum ?? 0;
    if (h.min !== undefined && h.min < acc.min) acc.min = h.min;
    if (h.max !== undefined && h.max > acc.max) acc.max = h.max;
    if (first) {
      acc.counts = h.buckets.counts;
      acc.boundaries = h.buckets.boundaries;
      acc.shared = true;
    } else if (acc.counts && acc.counts.length === h.buckets.counts.length) {
      if (acc.shared) {
        acc.counts = [...acc.counts];
        acc.shared = false;
      }
      for (let i = 0; i < acc.counts.length; i++)
        acc.counts[i] = (acc.counts[i] ?? 0) + (h.buckets.counts[i] ?? 0);
    }
    return;
  }
  const v = p.value as number;
  if (signal.stat === 'ratio') {
    if (signal.numerator?.(attrs)) acc.num += v;
    if (!signal.denominator || signal.denominator(attrs)) acc.den += v;
  } else {
    acc.value += v;
  }
}

function reset(a: Acc): void {
  a.count = 0;
  a.sum = 0;
  a.counts = undefined;
  a.boundaries = undefined;
  a.min = Number.POSITIVE_INFINITY;
  a.max = Number.NEGATIVE_INFINITY;
  a.num = 0;
  a.den = 0;
  a.value = 0;
  a.endMs = 0;
  a.spanMs = 0;
  a.shared = false;
}

/** Whether a metric's points are cumulative counts (to be differenced) rather than per-interval ones. */
export function isCumulative(metric: MetricData): boolean {
  return (
    metric.dataPointType !== DataPointType.GAUGE &&
    metric.aggregationTemporality === AggregationTemporality.CUMULATIVE &&
    (metric.dataPointType === DataPointType.HISTOGRAM ||
      (metric.dataPointType === DataPointType.SUM && metric.isMonotonic))
  );
}

/**
 * The signal's value for one series this interval, or NaN when there is none (too few events, first
 * cumulative reading). For cumulative input, `prev` holds the last reading and is updated in place.
 */
export function signalValue(
  signal: CompiledSignal,
  acc: Acc,
  cumulative: boolean,
  prev: CumulativePrevious | undefined,
): number {
  if (signal.stat === 'value') return acc.value;
  let count = acc.count;
  let sum = acc.sum;
  let counts = acc.counts;
  let num = acc.num;
  let den = acc.den;
  let value = acc.value;
  let spanMs = acc.spanMs;
  let useMinMax = true;
  if (cumulative) {
    if (!prev) return Number.NaN;
    const reset = count < prev.count || num < prev.num || den < prev.den || value < prev.value;
    if (!reset) {
      count -= prev.count;
      sum -= prev.sum;
      num -= prev.num;
      den -= prev.den;
      value -= prev.value;
      counts = counts ? bucketDelta(counts, prev.counts) : undefined;
      spanMs = acc.endMs - prev.endMs;
    }
    // Min and max of a cumulative point span its whole life, not this interval.
    useMinMax = false;
  }
  switch (signal.stat) {
    case 'rate':
      if (spanMs <= 0) return Number.NaN;
      return (acc.boundaries !== undefined ? count : value) / (spanMs / 1000);
    case 'ratio':
      return den >= signal.minEvents && den > 0 ? num / den : Number.NaN;
    case 'mean':
      return count >= signal.minEvents && count > 0 ? sum / count : Number.NaN;
    default:
      if (count < signal.minEvents || count <= 0 || !counts || !acc.boundaries) return Number.NaN;
      return histogramQuantile(
        signal.quantile,
        acc.boundaries,
        counts,
        useMinMax && Number.isFinite(acc.min) ? acc.min : undefined,
        useMinMax && Number.isFinite(acc.max) ? acc.max : undefined,
      );
  }
}

/** Copies a cumulative reading for the next difference. */
export function remember(acc: Acc, prev: CumulativePrevious | undefined): CumulativePrevious {
  const p = prev ?? { count: 0, sum: 0, counts: undefined, num: 0, den: 0, value: 0, endMs: 0 };
  p.count = acc.count;
  p.sum = acc.sum;
  p.counts = acc.counts ? [...acc.counts] : undefined;
  p.num = acc.num;
  p.den = acc.den;
  p.value = acc.value;
  p.endMs = acc.endMs;
  return p;
}
