import { type Attributes, diag, type Histogram } from '@opentelemetry/api';
import { classifyError, type ErrorType } from './errors.js';
import { MAX_CACHES, registry, type Sink } from './registry.js';
import {
  ATTR_CACHE_EVICTION_CAUSE,
  ATTR_CACHE_LAYER,
  ATTR_CACHE_LOAD_RESULT,
  ATTR_CACHE_NAME,
  ATTR_CACHE_OPERATION,
  ATTR_CACHE_PATH,
  ATTR_CACHE_RESULT,
  ATTR_CACHE_SERVED_BY,
  ATTR_ERROR_TYPE,
} from './semconv.js';
import type { CacheOperation, CacheRecorder, EvictionCause } from './types.js';

/** Something whose entries (and maybe bytes) a layer reports while it is alive. */
export interface SizeSource {
  readonly ref: WeakRef<object>;
  entries(target: object): number;
  bytes?: (target: object) => number;
}

const attrs = (a: Attributes): Attributes => Object.freeze(a);

/** Records into every enabled instrumentation's histogram; a failure goes to diag, never to the caller. */
function recordAll(pick: (sink: Sink) => Histogram, value: number, a: Attributes): void {
  for (const sink of registry().sinks) {
    try {
      pick(sink).record(value, a);
    } catch (err) {
      diag.error('otel-perf: recording a cache histogram failed', err);
    }
  }
}

/**
 * Sampled in-process durations kept per operation between two collections; further samples are skipped until
 * the next collection records them. This bounds the SDK work of an L1 to SAMPLE_CAPACITY records per
 * collection, done at collection, off the request path.
 */
export const SAMPLE_CAPACITY = 256;

/** Sampled durations of one operation, waiting for the next collection. */
class Samples {
  readonly values = new Float64Array(SAMPLE_CAPACITY);
  n = 0;
}

/**
 * The counting slots of one (cache name, layer): plain numbers the adapters increment on the hot path, read
 * at collection by the instrumentation's batch callback. Counts only go up, so every reader (cumulative or
 * delta, one or several) computes its own view from the same totals. Caches instrumented with the same name
 * and layer share one series: their counts add up, as the same attributes would in the SDK anyway.
 */
export class LayerSeries implements CacheRecorder {
  hit = 0;
  miss = 0;
  staleHit = 0;
  error = 0;
  puts = 0;
  evictSize = 0;
  evictExpired = 0;
  evictDelete = 0;
  evictReplaced = 0;
  bytesSize = 0;
  bytesExpired = 0;
  bytesDelete = 0;
  bytesReplaced = 0;
  /** Whether eviction bytes were ever reported (otherwise `cache.eviction.size` is not published). */
  bytesKnown = false;
  /** `operation|error.type` → count and its attributes. */
  readonly errors = new Map<string, { count: number; attrs: Attributes }>();
  readonly sources = new Set<SizeSource>();
  /** Whether entries / bytes were ever reported: once published, they keep reading (0 when the caches are gone). */
  hadEntries = false;
  hadBytes = false;
  readonly base: Attributes;
  readonly getAttrs: { hit: Attributes; miss: Attributes; stale_hit: Attributes; error: Attributes };
  readonly evictAttrs: Record<EvictionCause, Attributes>;
  readonly opAttrs: Record<CacheOperation, Attributes>;
  readonly samples: Record<CacheOperation, Samples> = {
    get: new Samples(),
    set: new Samples(),
    delete: new Samples(),
  };

  constructor(
    readonly name: string,
    readonly layer: string,
  ) {
    const base = { [ATTR_CACHE_NAME]: name, [ATTR_CACHE_LAYER]: layer };
    this.base = attrs(base);
    const r = (result: string) => attrs({ ...base, [ATTR_CACHE_RESULT]: result });
    this.getAttrs = { hit: r('hit'), miss: r('miss'), stale_hit: r('stale_hit'), error: r('error') };
    const e = (cause: string) => attrs({ ...base, [ATTR_CACHE_EVICTION_CAUSE]: cause });
    this.evictAttrs = {
      size: e('size'),
      expired: e('expired'),
      delete: e('delete'),
      replaced: e('replaced'),
    };
    const o = (op: string) => attrs({ ...base, [ATTR_CACHE_OPERATION]: op });
    this.opAttrs = { get: o('get'), set: o('set'), delete: o('delete') };
  }

  hits(n = 1): void {
    this.hit += n;
  }
  misses(n = 1): void {
    this.miss += n;
  }
  staleHits(n = 1): void {
    this.staleHit += n;
  }
  put(n = 1): void {
    this.puts += n;
  }

  failed(operation: CacheOperation, err: unknown, keys = 1): ErrorType {
    const type = classifyError(err);
    if (operation === 'get') this.error += keys;
    const k = `${operation}|${type}`;
    let slot = this.errors.get(k);
    if (!slot) {
      slot = {
        count: 0,
        attrs: attrs({ ...this.base, [ATTR_CACHE_OPERATION]: operation, [ATTR_ERROR_TYPE]: type }),
      };
      this.errors.set(k, slot);
    }
    slot.count += 1;
    return type;
  }

  evicted(cause: EvictionCause, n = 1, bytes?: number): void {
    if (!(n > 0)) return;
    const b = typeof bytes === 'number' && bytes > 0 ? bytes : 0;
    if (typeof bytes === 'number') this.bytesKnown = true;
    switch (cause) {
      case 'size':
        this.evictSize += n;
        this.bytesSize += b;
        break;
      case 'expired':
        this.evictExpired += n;
        this.bytesExpired += b;
        break;
      case 'delete':
        this.evictDelete += n;
        this.bytesDelete += b;
        break;
      case 'replaced':
        this.evictReplaced += n;
        this.bytesReplaced += b;
        break;
    }
  }

  duration(operation: CacheOperation, seconds: number): void {
    if (registry().sinks.size === 0 || !(seconds >= 0)) return;
    recordAll((sink) => sink.duration, seconds, this.opAttrs[operation]);
  }

  /** Whether a sampled duration of `operation` would be kept (so the caller need not read the clock). */
  wantsSample(operation: CacheOperation): boolean {
    return this.samples[operation].n < SAMPLE_CAPACITY;
  }

  /** Keeps a sampled in-process duration for the next collection (no SDK call here). */
  sample(operation: CacheOperation, seconds: number): void {
    const b = this.samples[operation];
    if (b.n < SAMPLE_CAPACITY && seconds >= 0) b.values[b.n++] = seconds;
  }

  /** Records the kept samples into every sink; called at collection. */
  flushSamples(): void {
    const sinks = registry().sinks;
    for (const op of ['get', 'set', 'delete'] as const) {
      const b = this.samples[op];
      if (b.n === 0) continue;
      const a = this.opAttrs[op];
      const n = b.n;
      b.n = 0;
      if (sinks.size > 0)
        for (let i = 0; i < n; i++) recordAll((sink) => sink.duration, b.values[i] as number, a);
    }
  }

  payload(operation: CacheOperation, bytes: number): void {
    if (registry().sinks.size === 0 || !(bytes >= 0)) return;
    recordAll((sink) => sink.payload, bytes, this.opAttrs[operation]);
  }

  compression(uncompressedBytes: number, compressedBytes: number): void {
    if (registry().sinks.size === 0 || !(uncompressedBytes > 0) || !(compressedBytes >= 0)) return;
    recordAll((sink) => sink.compression, compressedBytes / uncompressedBytes, this.base);
  }

  track(target: object, entries: (target: object) => number, bytes?: (target: object) => number): void {
    this.sources.add({ ref: new WeakRef(target), entries, bytes });
    this.hadEntries = true;
    if (bytes) this.hadBytes = true;
  }

  untrack(target: object): void {
    for (const s of this.sources) if (s.ref.deref() === target) this.sources.delete(s);
  }
}

/** Requests through one tiered cache by path, and its origin loads. */
export class TierSeries {
  /** Requests are counted by a tiered cache or cache-manager adapter (not only loads of a `fetch()`). */
  tiered = false;
  l1Hit = 0;
  l2Hit = 0;
  origin = 0;
  failed = 0;
  missed = 0;
  loadSuccess = 0;
  loadError = 0;
  deduplicated = 0;
  readonly base: Attributes;
  readonly pathAttrs: {
    l1_hit: Attributes;
    l2_hit: Attributes;
    origin: Attributes;
    error: Attributes;
    miss: Attributes;
  };
  readonly loadAttrs: { success: Attributes; error: Attributes };

  constructor(readonly name: string) {
    const base = { [ATTR_CACHE_NAME]: name };
    this.base = attrs(base);
    const p = (path: string, by: string) =>
      attrs({ ...base, [ATTR_CACHE_PATH]: path, [ATTR_CACHE_SERVED_BY]: by });
    this.pathAttrs = {
      l1_hit: p('l1_hit', 'l1'),
      l2_hit: p('l2_hit', 'l2'),
      origin: p('origin', 'origin'),
      error: p('error', 'none'),
      miss: p('miss', 'none'),
    };
    const l = (result: string) => attrs({ ...base, [ATTR_CACHE_LOAD_RESULT]: result });
    this.loadAttrs = { success: l('success'), error: l('error') };
  }

  loadDuration(result: 'success' | 'error', seconds: number): void {
    if (registry().sinks.size === 0 || !(seconds >= 0)) return;
    recordAll((sink) => sink.loadDuration, seconds, this.loadAttrs[result]);
  }
}

function full(what: string): boolean {
  const r = registry();
  if (r.layers.size + r.tiers.size < MAX_CACHES) return false;
  if (!r.warnedFull) {
    r.warnedFull = true;
    diag.warn(`otel-perf: more than ${MAX_CACHES} cache names; ${what} and further ones are not measured`);
  }
  return true;
}

/** The series of (name, layer), created on first use; a detached one (counted nowhere) past the bound. */
export function layerSeries(name: string, layer: string): LayerSeries {
  const r = registry();
  const key = `${name}\u0000${layer}`;
  let s = r.layers.get(key);
  if (!s) {
    s = new LayerSeries(name, layer);
    if (!full(`${name}/${layer}`)) r.layers.set(key, s);
  }
  return s;
}

/** The tier series of a tiered cache name, created on first use; detached past the bound. */
export function tierSeries(name: string): TierSeries {
  const r = registry();
  let s = r.tiers.get(name);
  if (!s) {
    s = new TierSeries(name);
    if (!full(name)) r.tiers.set(name, s);
  }
  return s;
}
