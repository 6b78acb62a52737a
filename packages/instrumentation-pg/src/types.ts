import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

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
}
