import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  isWrapped,
} from '@opentelemetry/instrumentation';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { BatchRegistration, type FastMetricProducerOptions, FastPath } from '@otel-perf/core';
import { createViews } from '@otel-perf/views';
import { createFastHistograms, createInstruments, fastList, type PgFastHistograms } from './instruments.js';
import { onNewPool } from './pool.js';
import { clientAttributes, measureQuery } from './query.js';
import { registry, type Sink } from './registry.js';
import type { PgInstrumentationConfig, PoolLike } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** pg versions whose `Client.prototype.query` this package wraps (tested with 8.23). */
export const SUPPORTED_PG_VERSIONS = ['>=8.0.0 <9'];
/** pg-pool versions whose Pool class, events and counters this package reads (tested with 3.14). */
export const SUPPORTED_PG_POOL_VERSIONS = ['>=3.0.0 <4'];

type Ctor = new (...args: never[]) => object;
type QueryFn = (this: unknown, ...args: unknown[]) => unknown;

/**
 * pg-pool class → its measuring subclass, shared by every instance of this class (the subclass measures into
 * whichever instrumentations are enabled when a pool is constructed, not only the one that patched).
 */
const poolClasses = new WeakMap<Ctor, Ctor>();

function invalid(key: string, value: unknown, allowed: string): never {
  throw new TypeError(`PgInstrumentation: ${key} must be ${allowed}, got ${String(value)}`);
}

/**
 * Query and connection-pool metrics for `pg`, for any MeterProvider. It wraps `Client.prototype.query` (query
 * durations and slow-query events) and measures every `pg-pool` Pool constructed while it is enabled (pool
 * state read live at collection, create/wait/use times, timeouts, connection errors). Pools it did not see are
 * added with {@link instrumentPool}.
 *
 * @example
 * ```ts
 * registerInstrumentations({ instrumentations: [new PgInstrumentation({ slowQueryThreshold: 0.5 })] });
 * ```
 */
export class PgInstrumentation extends InstrumentationBase<PgInstrumentationConfig> {
  // `declare`: the base constructor calls setConfig, _updateMetricInstruments and enable before subclass
  // fields would be initialised, and an initialiser would then overwrite what they set.
  declare private _batch: BatchRegistration<Sink> | undefined;
  /** The fast-path histograms, when `fastPath` is on (else recordings go through the SDK instruments). */
  declare private _fast: PgFastHistograms | undefined;
  declare private _fastPath: FastPath | undefined;

  constructor(config: PgInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** Validates and merges defaults; invalid values throw here, once, naming the key. */
  override setConfig(config: PgInstrumentationConfig = {}): void {
    const t = config.slowQueryThreshold;
    if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0)) {
      invalid('slowQueryThreshold', t, 'a finite number of seconds >= 0');
    }
    if (config.onSlowQuery !== undefined && typeof config.onSlowQuery !== 'function') {
      invalid('onSlowQuery', config.onSlowQuery, 'a function');
    }
    if (config.poolName !== undefined && typeof config.poolName !== 'function') {
      invalid('poolName', config.poolName, 'a function');
    }
    if (config.fastPath !== undefined && typeof config.fastPath !== 'boolean') {
      invalid('fastPath', config.fastPath, 'a boolean');
    }
    const views = config.views ?? {};
    if (typeof views !== 'object' || views === null || Array.isArray(views)) {
      invalid(
        'views',
        views,
        'an object of createViews options (buckets, attributes, maxSeriesPerInstrument, cardinalityLimit)',
      );
    }
    try {
      createViews(views);
    } catch (err) {
      invalid('views', JSON.stringify(views), `valid createViews options (${(err as Error).message})`);
    }
    super.setConfig({ slowQueryThreshold: 1, fastPath: false, ...config, views });
    this._fastPath ??= new FastPath({ name: PACKAGE_NAME, version: PACKAGE_VERSION }, () =>
      this._fast === undefined ? [] : fastList(this._fast),
    );
    this._fast = config.fastPath === true ? createFastHistograms(views, this._fastPath.registry) : undefined;
    // The slow-query settings live in the sink: rebuild it when they change.
    if (this._batch) this._updateMetricInstruments();
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition(
        'pg',
        SUPPORTED_PG_VERSIONS,
        (exports: { Client?: { prototype?: { query?: QueryFn } } }) => {
          const proto = exports?.Client?.prototype;
          if (typeof proto?.query !== 'function') {
            this._diag.warn('pg does not export Client.prototype.query; queries will not be measured');
            return exports;
          }
          if (isWrapped(proto.query)) this._unwrap(proto, 'query');
          this._wrap(proto, 'query', (original) => measureQuery(original as QueryFn, clientAttributes));
          return exports;
        },
        (exports: { Client?: { prototype?: { query?: QueryFn } } }) => {
          const proto = exports?.Client?.prototype;
          if (proto && isWrapped(proto.query)) this._unwrap(proto, 'query');
        },
      ),
      new InstrumentationNodeModuleDefinition(
        'pg-pool',
        SUPPORTED_PG_POOL_VERSIONS,
        (exports: unknown) => this._patchPoolClass(exports),
        () => {
          // pg's Pool already extends the patched class; while disabled its constructor measures nothing.
        },
      ),
    ];
  }

  /**
   * A `MetricProducer` for ONE reader (pass it in that reader's `metricProducers` option). With `fastPath`
   * on, the pg histograms are aggregated here and reach readers only through these producers: give one to
   * every reader of the MeterProvider. With `fastPath` off the producer reports nothing.
   *
   * @example
   * const pg = new PgInstrumentation({ fastPath: true });
   * const reader = new PeriodicExportingMetricReader({ exporter, metricProducers: [pg.metricProducer()] });
   */
  metricProducer(options: FastMetricProducerOptions = {}): MetricProducer {
    // setConfig (run by the constructor) created it.
    return (this._fastPath as FastPath).producer(options);
  }

  protected override _updateMetricInstruments(): void {
    this._batch ??= new BatchRegistration(() => registry().sinks);
    this._batch.replace(createInstruments(this.meter, this._config, this._fast), this._enabled);
  }

  override enable(): void {
    super.enable();
    this._batch?.register();
  }

  override disable(): void {
    super.disable();
    this._batch?.unregister();
  }

  /** Replaces pg-pool's exported class by a subclass whose constructor registers the new pool. */
  private _patchPoolClass(exports: unknown): unknown {
    const original = exports as Ctor;
    if (typeof original !== 'function') {
      this._diag.warn('pg-pool does not export a class; pools will not be measured automatically');
      return exports;
    }
    let patched = poolClasses.get(original);
    if (!patched) {
      patched = class extends original {
        constructor(...args: never[]) {
          super(...args);
          onNewPool(this as unknown as PoolLike);
        }
      };
      Object.defineProperty(patched, 'name', { value: original.name });
      poolClasses.set(original, patched);
    }
    return patched;
  }
}
