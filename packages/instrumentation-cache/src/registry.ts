import type { Histogram } from '@opentelemetry/api';
import type { LayerSeries, TierSeries } from './series.js';

/** What an adapter replaced on one object. */
export interface Wrapped {
  readonly adapter: string;
  readonly name: string;
  readonly layer: string;
  /** Method name → whether the object had it as an own property, and the value to restore. */
  readonly originals: Map<string, { own: boolean; value: unknown }>;
  /** Called by `uninstrument` after restoring (stops size reporting). */
  readonly onRestore?: () => void;
}

/** The synchronous instruments of one enabled {@link CacheInstrumentation}. */
export interface Sink {
  readonly duration: Histogram;
  readonly payload: Histogram;
  readonly compression: Histogram;
  readonly loadDuration: Histogram;
}

/**
 * What every copy of this package loaded in the process shares: the counting slots of every measured cache
 * and the enabled instrumentations' histograms. It lives on `globalThis` under a versioned symbol because the
 * distro's preload (CommonJS) and the application (often ESM) load two copies of this package, and a cache
 * instrumented by one must be observed by the instrumentation of the other.
 */
export interface Registry {
  /** Per (name, layer) counting slots, shared by every cache instrumented with that name and layer. */
  readonly layers: Map<string, LayerSeries>;
  /** Per tiered-cache name: requests by path and origin loads. */
  readonly tiers: Map<string, TierSeries>;
  /** The histograms every series records into (one set per enabled instrumentation). */
  readonly sinks: Set<Sink>;
  /** Instrumented objects → the methods replaced on them, so instrumenting twice is a no-op and undoable. */
  readonly wrapped: WeakMap<object, Wrapped>;
  /** Whether the "too many caches" warning was given. */
  warnedFull: boolean;
}

/**
 * Distinct (name, layer) pairs and tiered names measured at once: a cardinality bound. Further ones are left
 * unmeasured with a diag warning (their operations still run untouched).
 */
export const MAX_CACHES = 500;

const KEY = Symbol.for('@otel-perf/instrumentation-cache:registry:v1');

/** The process-wide registry, created on first use. */
export function registry(): Registry {
  const g = globalThis as { [KEY]?: Registry };
  let r = g[KEY];
  if (!r) {
    r = { layers: new Map(), tiers: new Map(), sinks: new Set(), wrapped: new WeakMap(), warnedFull: false };
    Object.defineProperty(g, KEY, { value: r, enumerable: false, configurable: true, writable: false });
  }
  return r;
}
