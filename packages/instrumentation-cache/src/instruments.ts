import {
  type BatchObservableCallback,
  type BatchObservableResult,
  diag,
  type Meter,
  type Observable,
} from '@opentelemetry/api';
import type { BatchInstruments } from '@otel-perf/core';
import { BODY_SIZE_BUCKETS, CACHE_OPERATION_BUCKETS, DB_OPERATION_BUCKETS } from '@otel-perf/views';
import { registry, type Sink } from './registry.js';
import {
  CACHE_METRICS,
  METRIC_CACHE_COMPRESSION_RATIO,
  METRIC_CACHE_ENTRIES,
  METRIC_CACHE_ERRORS,
  METRIC_CACHE_EVICTION_SIZE,
  METRIC_CACHE_EVICTIONS,
  METRIC_CACHE_GETS,
  METRIC_CACHE_LOAD_DURATION,
  METRIC_CACHE_LOADS,
  METRIC_CACHE_LOADS_DEDUPLICATED,
  METRIC_CACHE_OPERATION_DURATION,
  METRIC_CACHE_PAYLOAD_SIZE,
  METRIC_CACHE_PUTS,
  METRIC_CACHE_REQUESTS,
  METRIC_CACHE_SIZE,
} from './semconv.js';
import type { LayerSeries, TierSeries } from './series.js';

/** `cache.compression.ratio` buckets: compressed / uncompressed, 5 % to 100 %+. */
export const COMPRESSION_RATIO_BUCKETS = [
  0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25,
] as const;

/** The instruments of one instrumentation on one meter, and the batch callback that reports the counts. */
export type CacheInstruments = BatchInstruments<Sink>;

type Observables = {
  gets: Observable;
  puts: Observable;
  evictions: Observable;
  evictionSize: Observable;
  errors: Observable;
  entries: Observable;
  size: Observable;
  requests: Observable;
  loads: Observable;
  deduplicated: Observable;
};

function describe(name: string): { description: string; unit: string } {
  const d = CACHE_METRICS.find((m) => m.name === name);
  if (!d) throw new Error(`otel-perf: no descriptor for ${name}`);
  return { description: d.description, unit: d.unit };
}

/** Creates every instrument on `meter`. The batch callback is registered by the caller, on enable. */
export function createInstruments(meter: Meter): CacheInstruments {
  const sink: Sink = {
    duration: meter.createHistogram(METRIC_CACHE_OPERATION_DURATION, {
      ...describe(METRIC_CACHE_OPERATION_DURATION),
      advice: { explicitBucketBoundaries: [...CACHE_OPERATION_BUCKETS] },
    }),
    payload: meter.createHistogram(METRIC_CACHE_PAYLOAD_SIZE, {
      ...describe(METRIC_CACHE_PAYLOAD_SIZE),
      advice: { explicitBucketBoundaries: [...BODY_SIZE_BUCKETS] },
    }),
    compression: meter.createHistogram(METRIC_CACHE_COMPRESSION_RATIO, {
      ...describe(METRIC_CACHE_COMPRESSION_RATIO),
      advice: { explicitBucketBoundaries: [...COMPRESSION_RATIO_BUCKETS] },
    }),
    loadDuration: meter.createHistogram(METRIC_CACHE_LOAD_DURATION, {
      ...describe(METRIC_CACHE_LOAD_DURATION),
      advice: { explicitBucketBoundaries: [...DB_OPERATION_BUCKETS] },
    }),
  };
  const counter = (name: string) => meter.createObservableCounter(name, describe(name));
  const gauge = (name: string) => meter.createObservableUpDownCounter(name, describe(name));
  const o: Observables = {
    gets: counter(METRIC_CACHE_GETS),
    puts: counter(METRIC_CACHE_PUTS),
    evictions: counter(METRIC_CACHE_EVICTIONS),
    evictionSize: counter(METRIC_CACHE_EVICTION_SIZE),
    errors: counter(METRIC_CACHE_ERRORS),
    entries: gauge(METRIC_CACHE_ENTRIES),
    size: gauge(METRIC_CACHE_SIZE),
    requests: counter(METRIC_CACHE_REQUESTS),
    loads: counter(METRIC_CACHE_LOADS),
    deduplicated: counter(METRIC_CACHE_LOADS_DEDUPLICATED),
  };
  const callback: BatchObservableCallback = (result) => observeAll(result, o);
  return { meter, sink, observables: Object.values(o), callback };
}

/**
 * Reports every series' totals. Nothing is reset, so two readers (and delta temporality, which the SDK
 * computes from cumulative observations) each see every count.
 */
function observeAll(result: BatchObservableResult, o: Observables): void {
  const r = registry();
  for (const s of r.layers.values()) {
    try {
      observeLayer(result, o, s);
    } catch (err) {
      diag.error(`otel-perf: observing cache ${s.name}/${s.layer} failed`, err);
    }
  }
  for (const t of r.tiers.values()) {
    try {
      observeTier(result, o, t);
    } catch (err) {
      diag.error(`otel-perf: observing tiered cache ${t.name} failed`, err);
    }
  }
}

function observeLayer(result: BatchObservableResult, o: Observables, s: LayerSeries): void {
  s.flushSamples();
  const g = s.getAttrs;
  result.observe(o.gets, s.hit, g.hit);
  result.observe(o.gets, s.miss, g.miss);
  if (s.staleHit > 0) result.observe(o.gets, s.staleHit, g.stale_hit);
  result.observe(o.gets, s.error, g.error);
  result.observe(o.puts, s.puts, s.base);
  const e = s.evictAttrs;
  result.observe(o.evictions, s.evictSize, e.size);
  result.observe(o.evictions, s.evictExpired, e.expired);
  result.observe(o.evictions, s.evictDelete, e.delete);
  result.observe(o.evictions, s.evictReplaced, e.replaced);
  if (s.bytesKnown) {
    result.observe(o.evictionSize, s.bytesSize, e.size);
    result.observe(o.evictionSize, s.bytesExpired, e.expired);
    result.observe(o.evictionSize, s.bytesDelete, e.delete);
    result.observe(o.evictionSize, s.bytesReplaced, e.replaced);
  }
  for (const slot of s.errors.values()) result.observe(o.errors, slot.count, slot.attrs);
  if (!s.hadEntries) return;
  let entries = 0;
  let bytes: number | undefined = s.hadBytes ? 0 : undefined;
  for (const src of [...s.sources]) {
    const target = src.ref.deref();
    if (!target) {
      // The cache is gone: it holds nothing any more.
      s.sources.delete(src);
      continue;
    }
    const n = src.entries(target);
    if (Number.isFinite(n)) entries += n;
    if (src.bytes) {
      const b = src.bytes(target);
      if (Number.isFinite(b)) bytes = (bytes ?? 0) + b;
    }
  }
  result.observe(o.entries, entries, s.base);
  if (bytes !== undefined) result.observe(o.size, bytes, s.base);
}

function observeTier(result: BatchObservableResult, o: Observables, t: TierSeries): void {
  const p = t.pathAttrs;
  if (t.tiered) {
    result.observe(o.requests, t.l1Hit, p.l1_hit);
    result.observe(o.requests, t.l2Hit, p.l2_hit);
    result.observe(o.requests, t.origin, p.origin);
    result.observe(o.requests, t.failed, p.error);
    if (t.missed > 0) result.observe(o.requests, t.missed, p.miss);
  }
  result.observe(o.loads, t.loadSuccess, t.loadAttrs.success);
  result.observe(o.loads, t.loadError, t.loadAttrs.error);
  result.observe(o.deduplicated, t.deduplicated, t.base);
}
