import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type MetricProducer,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReaderContext } from '@otel-perf/core';
import type { MetricSnapshot, SnapshotMetric, SnapshotPoint } from './types.js';

/** Turns a collection into the plain-data snapshot the checks read and `?metrics=true` serves. */
export function toSnapshot(rm: ResourceMetrics, time = Date.now()): MetricSnapshot {
  const metrics: Record<string, SnapshotMetric> = {};
  for (const scope of rm.scopeMetrics) {
    for (const m of scope.metrics) metrics[m.descriptor.name] = toSnapshotMetric(m);
  }
  return { time, metrics };
}

function toSnapshotMetric(m: MetricData): SnapshotMetric {
  if (m.dataPointType === DataPointType.HISTOGRAM) {
    return {
      unit: m.descriptor.unit,
      type: 'histogram',
      points: m.dataPoints.map(
        (p): SnapshotPoint => ({
          attributes: { ...p.attributes },
          count: p.value.count,
          sum: p.value.sum ?? 0,
          buckets: { boundaries: [...p.value.buckets.boundaries], counts: [...p.value.buckets.counts] },
        }),
      ),
    };
  }
  if (m.dataPointType === DataPointType.SUM || m.dataPointType === DataPointType.GAUGE) {
    return {
      unit: m.descriptor.unit,
      type: m.dataPointType === DataPointType.SUM ? 'sum' : 'gauge',
      points: m.dataPoints.map((p): SnapshotPoint => ({ attributes: { ...p.attributes }, value: p.value })),
    };
  }
  return { unit: m.descriptor.unit, type: 'gauge', points: [] };
}

const CUMULATIVE = (): AggregationTemporality => AggregationTemporality.CUMULATIVE;

/** The producers of a cumulative snapshot reader, from the distro's reader context (if any). */
export function snapshotProducers(context: ReaderContext | undefined): MetricProducer[] | undefined {
  return context?.metricProducers({ aggregationTemporalitySelector: CUMULATIVE });
}

/**
 * A pull reader on the app's MeterProvider that the health checks read: cumulative, so it never takes a
 * delta away from another reader, and collected at most once per `maxAgeMs` however many probes arrive.
 */
export class SnapshotReader extends MetricReader {
  private cached: MetricSnapshot | undefined;
  private inFlight: Promise<MetricSnapshot | undefined> | undefined;

  /** `metricProducers`: from the distro's `ReaderContext` (metrics aggregated outside the SDK). */
  constructor(
    private readonly maxAgeMs = 1000,
    metricProducers?: MetricProducer[],
  ) {
    super({ aggregationTemporalitySelector: CUMULATIVE, metricProducers });
  }

  /** The current snapshot (a cached one if younger than `maxAgeMs`); undefined if collection failed. */
  snapshot(): Promise<MetricSnapshot | undefined> {
    if (this.cached && Date.now() - this.cached.time < this.maxAgeMs) return Promise.resolve(this.cached);
    this.inFlight ??= this.collect()
      .then(({ resourceMetrics }) => {
        this.cached = toSnapshot(resourceMetrics);
        return this.cached;
      })
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Sum of `value` over the points of a sum/gauge metric matching every attribute in `where`. */
export function snapshotSum(
  s: MetricSnapshot | undefined,
  name: string,
  where: Record<string, unknown> = {},
): number | undefined {
  const m = s?.metrics[name];
  if (!m || m.type === 'histogram') return undefined;
  let sum = 0;
  let found = false;
  for (const p of m.points) {
    if (!matches(p.attributes, where)) continue;
    found = true;
    sum += p.value ?? 0;
  }
  return found ? sum : undefined;
}

/** Points of a metric grouped by the value of one attribute. */
export function groupBy(
  s: MetricSnapshot | undefined,
  name: string,
  attribute: string,
): Map<string, SnapshotPoint[]> {
  const out = new Map<string, SnapshotPoint[]>();
  for (const p of s?.metrics[name]?.points ?? []) {
    const key = String(p.attributes[attribute] ?? '');
    const list = out.get(key) ?? [];
    list.push(p);
    out.set(key, list);
  }
  return out;
}

function matches(attrs: Record<string, unknown>, where: Record<string, unknown>): boolean {
  for (const k in where) if (attrs[k] !== where[k]) return false;
  return true;
}
