import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { FastPathViewsOptions } from '@otel-perf/core';

/**
 * The view settings the fast path applies itself (the SDK's views do not see its histograms): the same
 * options as `createViews` from `@otel-perf/views`; only the entries of the four pg histograms are used.
 */
export type PgViewsOptions = FastPathViewsOptions;

/** What a slow query reports, to `onSlowQuery` and on the `otel-perf:pg:slow-query` diagnostics channel. */
export interface SlowQueryEvent {
  /** The sanitised query summary (`SELECT users`); never the query text or its parameters. */
  readonly summary: string;
  /** The SQL command (`SELECT`), `BATCH` for several statements, `_OTHER` when unknown. */
  readonly operation: string;
  /** How long the query took, in seconds. */
  readonly durationSeconds: number;
  /** The threshold it crossed, in seconds. */
  readonly thresholdSeconds: number;
  /** Database name, host and port the query ran against. */
  readonly namespace: string | undefined;
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
  /** `error.type` when the query failed, otherwise undefined. */
  readonly errorType: string | undefined;
}

/** What the default pool name is computed from: the options given to `new Pool(...)`. */
export interface PoolOptionsLike {
  readonly host?: unknown;
  readonly port?: unknown;
  readonly database?: unknown;
  readonly user?: unknown;
  readonly connectionString?: unknown;
  readonly application_name?: unknown;
  readonly max?: unknown;
  readonly min?: unknown;
  readonly [key: string]: unknown;
}

/**
 * The structural shape of a `pg` / `pg-pool` Pool that this package reads: public counters and events, and
 * `connect`. Any object of this shape can be given to `instrumentPool`.
 */
export interface PoolLike {
  readonly options: PoolOptionsLike;
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ending?: boolean;
  readonly ended?: boolean;
  connect(...args: unknown[]): unknown;
  query(...args: unknown[]): unknown;
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

/** Options of {@link instrumentPool}. */
export interface InstrumentPoolOptions {
  /**
   * The pool's `db.client.connection.pool.name`. Keep it low-cardinality and stable across restarts.
   * @default `application_name`, else `host:port/database` (with `#2`, `#3`... when taken by a live pool)
   */
  name?: string;
}

/** Configuration of {@link PgInstrumentation}; every option can be changed later with `setConfig`. */
export interface PgInstrumentationConfig extends InstrumentationConfig {
  /**
   * Queries taking at least this many seconds emit a slow-query event (`onSlowQuery` and the
   * `otel-perf:pg:slow-query` diagnostics channel). Costs one comparison per query.
   * @default 1
   */
  slowQueryThreshold?: number;
  /** Called (synchronously, inside a guard: a throw goes to diag) for every slow query. */
  onSlowQuery?: (event: SlowQueryEvent) => void;
  /**
   * Names an auto-instrumented pool from its options; return undefined for the default name.
   * @default `application_name`, else `host:port/database`
   */
  poolName?: (options: PoolOptionsLike) => string | undefined;
  /**
   * Aggregate the four pg histograms (`db.client.operation.duration`, `db.client.connection.create_time`,
   * `wait_time`, `use_time`) inside the instrumentation instead of through the SDK's `Histogram.record`
   * (which hashes the attribute set on every recording, about 1.1 µs each, three per pooled query). The
   * histograms then reach readers ONLY through producers from `instrumentation.metricProducer()`, one passed
   * to each reader's `metricProducers` option; the `@otel-perf/node` distro does that for every reader it
   * builds. Bucket overrides, allow-lists and the series cap come from `views` (not from the MeterProvider's
   * views). Off, recordings go through the SDK instruments of whatever MeterProvider is set.
   * @default false
   */
  fastPath?: boolean;
  /**
   * With `fastPath`: bucket overrides, attribute allow-lists and series cap of the pg histograms, as
   * `createViews` options (the distro passes its own `views` config). Past the series cap (the stricter of
   * `maxSeriesPerInstrument` and `cardinalityLimit - 1`, default 1999) new attribute sets are recorded as
   * `{ otel.metric.overflow: true }`. Ignored without `fastPath`.
   * @default {}
   */
  views?: PgViewsOptions;
}
