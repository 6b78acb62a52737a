import { diag } from '@opentelemetry/api';
import { safeCall } from '@otel-perf/core';
import { errorType, isConnectionError, isTimeout } from './errors.js';
import { defaultPoolName, poolTarget, uniqueName } from './naming.js';
import { PoolState } from './pool-state.js';
import { connectionAttributes, MEASURED, measureQuery } from './query.js';
import { MAX_POOLS, registry } from './registry.js';
import { ATTR_DB_CLIENT_CONNECTION_POOL_NAME, ATTR_ERROR_TYPE } from './semconv.js';
import type { InstrumentPoolOptions, PoolLike } from './types.js';

type Fn = (this: unknown, ...args: unknown[]) => unknown;
const WRAPPED = Symbol.for('@otel-perf/instrumentation-pg:pool-wrapped');

/** Names of the live measured pools. */
function liveNames(except?: PoolState): Set<string> {
  const names = new Set<string>();
  for (const s of registry().pools) if (s !== except && s.live() !== undefined) names.add(s.name);
  return names;
}

function checkName(name: unknown): asserts name is string | undefined {
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
    throw new TypeError(`instrumentPool: name must be a non-empty string, got ${String(name)}`);
  }
}

function isPoolLike(pool: unknown): pool is PoolLike {
  const p = pool as PoolLike | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.connect === 'function' &&
    typeof p.emit === 'function' &&
    typeof p.options === 'object' &&
    p.options !== null
  );
}

/**
 * Measures a pg `Pool` (or any pg-pool `Pool`): its connections, pending requests, timeouts, create, wait and
 * use times and connection errors, under `db.client.connection.pool.name`, and its queries when its `Client`
 * class is not already measured by {@link PgInstrumentation}. Use it for pools the auto-instrumentation did not
 * see (pg loaded before the instrumentation was enabled, a bundled pg). Records into every enabled
 * `PgInstrumentation`; instrumenting a pool again only renames it (when `name` is given).
 *
 * @throws TypeError when `pool` is not a pg Pool or `name` is not a non-empty string.
 * @example
 * ```ts
 * const pool = new Pool({ max: 20 });
 * instrumentPool(pool, { name: 'orders' });
 * ```
 */
export function instrumentPool(pool: unknown, options: InstrumentPoolOptions = {}): void {
  checkName(options.name);
  if (!isPoolLike(pool)) throw new TypeError('instrumentPool: pool must be a pg Pool');
  registerPool(pool, options.name, true);
}

/** Registers a pool (idempotent); `explicit` names replace automatic ones. Never throws. */
export function registerPool(
  pool: PoolLike,
  name: string | undefined,
  explicit: boolean,
): PoolState | undefined {
  try {
    const r = registry();
    const existing = r.byPool.get(pool);
    if (existing) {
      if (explicit && name !== undefined && name !== existing.name) {
        existing.rename(uniqueName(name, liveNames(existing)), true);
        r.retired.delete(existing.name);
      }
      return existing;
    }
    if (r.pools.size >= MAX_POOLS) prune();
    if (r.pools.size >= MAX_POOLS) {
      if (!r.warnedFull)
        diag.warn(`otel-perf: more than ${MAX_POOLS} live pg pools; further pools are not measured`);
      r.warnedFull = true;
      return undefined;
    }
    const state = new PoolState(
      pool,
      uniqueName(name ?? defaultPoolName(pool.options), liveNames()),
      explicit,
    );
    r.pools.add(state);
    r.byPool.set(pool, state);
    r.retired.delete(state.name);
    wrapPool(pool, state);
    return state;
  } catch (err) {
    diag.error('otel-perf: measuring a pg pool failed', err);
    return undefined;
  }
}

/**
 * Called by the constructor of the patched pg-pool class: measures the new pool when an instrumentation is
 * enabled, named by the first enabled instrumentation's `poolName` hook or by default.
 */
export function onNewPool(pool: PoolLike): void {
  try {
    const r = registry();
    if (r.sinks.size === 0) return;
    let name: unknown;
    for (const sink of r.sinks) {
      if (sink.poolName) {
        name = safeCall('pg poolName', sink.poolName, pool.options);
        break;
      }
    }
    registerPool(pool, typeof name === 'string' && name.trim() !== '' ? name : undefined, false);
  } catch (err) {
    diag.error('otel-perf: measuring a pg pool failed', err);
  }
}

/** Drops pools that ended or were collected; their names read 0 from now on. */
export function prune(): void {
  const r = registry();
  for (const s of r.pools) {
    if (s.live() !== undefined) continue;
    r.pools.delete(s);
    if (r.retired.size >= MAX_POOLS) {
      const oldest = r.retired.values().next();
      if (!oldest.done) r.retired.delete(oldest.value);
    }
    r.retired.add(s.name);
  }
  for (const s of r.pools) r.retired.delete(s.name);
}

const now = () => performance.now();

function record(state: PoolState, what: 'timeouts' | 'createTime' | 'waitTime' | 'useTime', value: number) {
  for (const sink of registry().sinks) {
    if (what === 'timeouts') sink.timeouts.add(value, state.attributes);
    else sink[what].record(value, state.attributes);
  }
}

function connectionError(state: PoolState, err: unknown) {
  const attrs = { [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: state.name, [ATTR_ERROR_TYPE]: errorType(err) };
  for (const sink of registry().sinks) sink.connectionErrors.add(1, attrs);
}

/** After a `connect` finished: wait time, or a timeout, or a connection error. */
function acquired(state: PoolState, start: number, err: unknown, wasEnding: boolean) {
  try {
    if (registry().sinks.size === 0) return;
    if (err == null) record(state, 'waitTime', (now() - start) / 1000);
    else if (isTimeout(err)) record(state, 'timeouts', 1);
    else if (!wasEnding) connectionError(state, err);
  } catch (e) {
    diag.error('otel-perf: recording a pg pool acquisition failed', e);
  }
}

/** Replaces the pool's `connect`, `emit` and `newClient` (and `query`, see below) by measuring wrappers. */
function wrapPool(pool: PoolLike, state: PoolState): void {
  const p = pool as unknown as Record<string | symbol, unknown>;
  if (p[WRAPPED]) return;
  Object.defineProperty(p, WRAPPED, { value: true });

  const connect = p.connect as Fn;
  p.connect = function connect_(this: PoolLike, ...args: unknown[]) {
    if (registry().sinks.size === 0) return connect.apply(this, args);
    const start = now();
    const wasEnding = this.ending === true;
    const cb = args[0];
    if (typeof cb === 'function') {
      return connect.call(this, function measuredConnect(this: unknown, err: unknown, ...rest: unknown[]) {
        acquired(state, start, err, wasEnding);
        return (cb as Fn).call(this, err, ...rest);
      });
    }
    const result = connect.apply(this, args);
    if (result == null || typeof (result as { then?: unknown }).then !== 'function') return result;
    return (result as Promise<unknown>).then(
      (client) => {
        acquired(state, start, undefined, wasEnding);
        return client;
      },
      (err: unknown) => {
        acquired(state, start, err, wasEnding);
        throw err;
      },
    );
  };

  // pg-pool announces what happens to its clients as events; reading them through `emit` adds no listener
  // (an `error` listener would change what an unhandled idle-client error does).
  const emit = p.emit as Fn;
  p.emit = function emit_(this: unknown, event: unknown, a?: unknown, b?: unknown) {
    if (
      (event === 'acquire' || event === 'release' || event === 'connect' || event === 'error') &&
      registry().sinks.size > 0
    ) {
      onPoolEvent(state, event, a, b);
    }
    // biome-ignore lint/complexity/noArguments: pass every argument through as given, without copying
    return Reflect.apply(emit, this, arguments);
  };

  const newClient = p.newClient;
  if (typeof newClient === 'function') {
    p.newClient = function newClient_(this: { _clients?: unknown[] }, ...args: unknown[]) {
      const before = Array.isArray(this._clients) ? this._clients.length : -1;
      const start = now();
      const result = (newClient as Fn).apply(this, args);
      try {
        const client = before >= 0 ? this._clients?.[before] : undefined;
        if (typeof client === 'object' && client !== null) state.createStart.set(client, start);
      } catch {
        // create_time is left out for this client
      }
      return result;
    };
  }

  // Queries run on the pool's Client class; if that class is not measured (pg was loaded before the
  // instrumentation), measure `pool.query` itself.
  const clientClassMeasured = () =>
    (p.Client as { prototype?: { query?: Record<symbol, unknown> } } | undefined)?.prototype?.query?.[
      MEASURED
    ] === true;
  const query = p.query;
  if (typeof query === 'function' && !clientClassMeasured()) {
    const t = poolTarget(pool.options);
    const attrs = connectionAttributes(t.database, t.host, t.port);
    // Checked per call too: pg may be patched later (required again after the instrumentation was enabled).
    p.query = measureQuery(query as Fn, () => attrs, clientClassMeasured);
  }
}

function onPoolEvent(state: PoolState, event: unknown, client: unknown, b: unknown): void {
  try {
    switch (event) {
      case 'connect': {
        const start =
          typeof client === 'object' && client !== null ? state.createStart.get(client) : undefined;
        if (start !== undefined) record(state, 'createTime', (now() - start) / 1000);
        break;
      }
      case 'acquire':
        if (typeof client === 'object' && client !== null) state.useStart.set(client, now());
        break;
      case 'release': {
        // ('release', err, client)
        const err = client;
        const released = b;
        const start =
          typeof released === 'object' && released !== null ? state.useStart.get(released) : undefined;
        if (start !== undefined) {
          state.useStart.delete(released as object);
          record(state, 'useTime', (now() - start) / 1000);
        }
        if (err != null && isConnectionError(err)) connectionError(state, err);
        break;
      }
      case 'error':
        // An idle client broke (the pool already removed it).
        connectionError(state, client);
        break;
    }
  } catch (e) {
    diag.error('otel-perf: recording a pg pool event failed', e);
  }
}
