import type { Counter, Histogram } from '@opentelemetry/api';
import type { BreakerHandle } from './handle.js';

/** The synchronous instruments of one enabled {@link CircuitBreakerInstrumentation}. */
export interface Sink {
  readonly calls: Counter;
  readonly duration: Histogram;
  readonly transitions: Counter;
  readonly fallbacks: Counter;
}

/**
 * What every copy of this package loaded in the process shares: the measured breakers and the enabled
 * instrumentations' instruments. It lives on `globalThis` under a versioned symbol because the preload
 * (CommonJS) and the application (often ESM) load two copies of this package, and a breaker instrumented by
 * one must record into the instruments of the other. Per-breaker state stays in each breaker's handle.
 */
export interface Registry {
  /** Live handles, pruned at each collection when their breaker is gone. */
  readonly handles: Set<BreakerHandle>;
  /** The instruments every handle records into (one set per enabled instrumentation). */
  readonly sinks: Set<Sink>;
  /** Breaker (or recorder) → its handle, so instrumenting twice returns the same handle. */
  readonly byTarget: WeakMap<object, BreakerHandle>;
  /**
   * Names whose breakers are all gone (disposed, shut down, garbage-collected): what was last published for
   * them. The SDK keeps exporting the last value of an asynchronous series that is no longer observed, so a
   * gone breaker would read `closed: 1` forever; instead its gauges read 0 and its time open keeps its total.
   * At most {@link MAX_BREAKERS} names, oldest dropped first.
   */
  readonly retired: Map<string, Retired>;
  /** Whether the "too many breakers" warning was given. */
  warnedFull: boolean;
}

/** What a gone breaker's name keeps reporting. */
export interface Retired {
  states: Set<string>;
  /** Time open of every gone breaker of this name, so `circuit_breaker.open.time` never goes down. */
  openSeconds: number;
  /** The window gauges that were published for the name (they read 0 now). */
  windowCalls: boolean;
  failureRatio: boolean;
  slowCallRatio: boolean;
  consecutiveFailures: boolean;
}

/** Live breakers measured at once; further ones are left unmeasured with a diag warning (a cardinality bound). */
export const MAX_BREAKERS = 1000;

const KEY = Symbol.for('@otel-perf/instrumentation-circuit-breaker:registry:v1');

/** The process-wide registry, created on first use. */
export function registry(): Registry {
  const g = globalThis as { [KEY]?: Registry };
  let r = g[KEY];
  if (!r) {
    r = {
      handles: new Set(),
      sinks: new Set(),
      byTarget: new WeakMap(),
      retired: new Map(),
      warnedFull: false,
    };
    Object.defineProperty(g, KEY, { value: r, enumerable: false, configurable: true, writable: false });
  }
  return r;
}
