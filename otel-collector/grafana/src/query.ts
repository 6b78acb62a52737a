/**
 * PromQL building blocks. Every selector carries the dashboard's `job` and `instance` variables (multi-value,
 * `.*` for All), so one dashboard serves every service; Grafana substitutes `$__rate_interval` (at least four
 * scrape intervals) for range vectors.
 */
import type { Metric } from './metrics.ts';

/** The range of every `rate()`/`increase()` on a time-series panel. */
export const RATE = '$__rate_interval';
/** The range of the summary tables: the whole time range picked. */
export const RANGE = '$__range';

/**
 * The matchers every selector starts with. `ingest_path` keeps the Collector's two paths apart (the same series
 * arrives by the Prometheus exporter, `scrape`, and by remote write, `remote_write`); the empty alternative
 * keeps the series of services Prometheus scrapes directly, which have no such label.
 */
export const SERVICE_MATCHERS = [
  'job=~"$job"',
  'instance=~"$instance"',
  'ingest_path=~"$ingest_path|"',
] as const;

/** `name{job=~"$job",instance=~"$instance",...matchers}`. */
export function sel(name: string, ...matchers: string[]): string {
  return `${name}{${[...SERVICE_MATCHERS, ...matchers].join(', ')}}`;
}

/** The selector of a counter, gauge or up-down counter. */
export function series(metric: Metric, ...matchers: string[]): string {
  if (metric.kind === 'histogram')
    throw new Error(`query: ${metric.prom} is a histogram; use bucket/count/sum`);
  return sel(metric.prom, ...matchers);
}

function histogramSeries(metric: Metric, part: 'bucket' | 'count' | 'sum', matchers: string[]): string {
  if (metric.kind !== 'histogram') throw new Error(`query: ${metric.prom} is not a histogram`);
  return sel(`${metric.prom}_${part}`, ...matchers);
}

/** `sum by (by) (rate(selector[range]))`; no `by` sums everything. */
export function sumRate(selector: string, by: readonly string[] = [], range = RATE): string {
  return `${sumBy(by)}(rate(${selector}[${range}]))`;
}

/** `sum by (by) (increase(selector[range]))`. */
export function sumIncrease(selector: string, by: readonly string[] = [], range = RATE): string {
  return `${sumBy(by)}(increase(${selector}[${range}]))`;
}

/** `sum by (by) (selector)`: a gauge or up-down counter added up. */
export function sumOf(selector: string, by: readonly string[] = []): string {
  return aggregate('sum', selector, by);
}

/** `max by (by) (selector)`. */
export function maxOf(selector: string, by: readonly string[] = []): string {
  return aggregate('max', selector, by);
}

function aggregate(op: 'sum' | 'max', expr: string, by: readonly string[]): string {
  return by.length > 0 ? `${op} by (${by.join(', ')}) (${expr})` : `${op}(${expr})`;
}

function sumBy(by: readonly string[]): string {
  return by.length > 0 ? `sum by (${by.join(', ')}) ` : 'sum';
}

/** The `_count` series of a histogram: one per recorded measurement. */
export function count(metric: Metric, ...matchers: string[]): string {
  return histogramSeries(metric, 'count', matchers);
}

/** The `_sum` series of a histogram. */
export function total(metric: Metric, ...matchers: string[]): string {
  return histogramSeries(metric, 'sum', matchers);
}

/** The `_bucket` series of a histogram. */
export function buckets(metric: Metric, ...matchers: string[]): string {
  return histogramSeries(metric, 'bucket', matchers);
}

/** `histogram_quantile(q, sum by (le, ...by) (rate(metric_bucket{...}[range])))`. */
export function quantile(
  q: number,
  metric: Metric,
  by: readonly string[] = [],
  matchers: readonly string[] = [],
  range = RATE,
): string {
  return `histogram_quantile(${q}, ${sumRate(buckets(metric, ...matchers), ['le', ...by], range)})`;
}

/** Mean of a histogram: rate of `_sum` over rate of `_count`. */
export function mean(metric: Metric, by: readonly string[] = [], matchers: readonly string[] = []): string {
  return `${sumRate(total(metric, ...matchers), by)} / ${sumRate(count(metric, ...matchers), by)}`;
}

/** Buckets for a heatmap panel: increase per bucket, per step, summed by `le`. */
export function heatmapBuckets(metric: Metric, ...matchers: string[]): string {
  return sumIncrease(buckets(metric, ...matchers), ['le']);
}

/**
 * `numerator / denominator` per label set: 0 where the numerator has no series (no errors yet), no point
 * where the denominator is 0 (no traffic) instead of NaN.
 */
export function ratio(numerator: string, denominator: string): string {
  return `(${numerator} or ${denominator} * 0) / (${denominator} > 0)`;
}

/** `expr or vector(0)`: 0 instead of "No data" for a count of something bad that has not happened yet. */
export function orZero(expr: string): string {
  return `${expr} or vector(0)`;
}
