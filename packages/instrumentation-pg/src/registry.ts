import type { Attributes, Counter } from '@opentelemetry/api';
import type { PoolState } from './pool-state.js';
import type { PoolOptionsLike, SlowQueryEvent } from './types.js';

/** A histogram as the sink records into it: an SDK `Histogram`, or a fast-path `FastHistogram`. */
export interface Recorder {
  record(value: number, attributes: Attributes): void;
}

/** The synchronous instruments and slow-query settings of one enabled {@link PgInstrumentation}. */
export interface Sink {
  readonly operationDuration: Recorder;
  readonly timeouts: Counter;
  readonly createTime: Recorder;
  readonly waitTime: Recorder;
  readonly useTime: Recorder;
  readonly connectionErrors: Counter;
  readonly slowQueryThreshold: number;
  readonly onSlowQuery: ((event: SlowQueryEvent) => void) | undefined;
  readonly poolName: ((options: PoolOptionsLike) => string | undefined) | undefined;
}

/**
 * What every copy of this package loaded in the process shares: the measured pools and the enabled
 * instrumentations' instruments. It lives on `globalThis` under a versioned symbol because the preload
 * (CommonJS) and the application (often ESM) may load two copies of this package, and a pool instrumented by
 * one must record into the instruments of the other. Per-pool state stays in each pool's {@link PoolState}.
 */
export interface Registry {
  /** Live pools, pruned at each collection when their pool ended or was garbage-collected. */
  readonly pools: Set<PoolState>;
  /** Pool → its state, so instrumenting twice returns the same state. */
  readonly byPool: WeakMap<object, PoolState>;
  /** The instruments every pool and query records into (one set per enabled instrumentation). */
  readonly sinks: Set<Sink>;
  /**
   * Names of pools that ended: their gauges read 0 from now on (the SDK keeps exporting the last value of an
   * asynchronous series that is no longer observed, so an ended pool would otherwise show its last counts
   * forever). Bounded by {@link MAX_POOLS}; a new pool with the same name takes it back.
   */
  readonly retired: Set<string>;
  warnedFull: boolean;
}

/** Live pools measured at once; further ones are left unmeasured with a diag warning (a cardinality bound). */
export const MAX_POOLS = 100;

const KEY = Symbol.for('@otel-perf/instrumentation-pg:registry:v1');

let cached: Registry | undefined;

/** The process-wide registry, created on first use (and then held here: it is read on every query). */
export function registry(): Registry {
  if (cached !== undefined) return cached;
  const g = globalThis as { [KEY]?: Registry };
  let r = g[KEY];
  if (!r) {
    r = { pools: new Set(), byPool: new WeakMap(), sinks: new Set(), retired: new Set(), warnedFull: false };
    Object.defineProperty(g, KEY, { value: r, enumerable: false, configurable: true, writable: false });
  }
  cached = r;
  return r;
}
