import { type ELDHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { type Thresholds, thresholdScore, thresholdStatus } from './score.js';
import { groupBy, snapshotSum } from './snapshot.js';
import type { CheckOutcome, HealthCheck, ScoreBands, SnapshotPoint } from './types.js';

/** Outcome of a measurement where a higher value is worse, with the score and status its thresholds give. */
export function measured(
  value: number,
  t: Thresholds,
  unit: string,
  what: string,
  bands?: ScoreBands,
): CheckOutcome {
  const status = thresholdStatus(value, t);
  return {
    status,
    score: thresholdScore(value, t, bands),
    observedValue: round3(value),
    observedUnit: unit,
    output:
      status === 'pass'
        ? undefined
        : `${what} is ${round3(value)} ${unit} (warn above ${t.warn}, fail above ${t.fail})`,
  };
}

/** Options of {@link eventLoopDelayCheck}. */
export interface EventLoopDelayCheckOptions {
  /** p99 delay thresholds in milliseconds. @default { good: 20, warn: 100, fail: 500 } */
  thresholds?: Thresholds;
}

/**
 * `eventloop:delay`: the event loop's p99 delay. Reads `nodejs.eventloop.delay.p99` from the metric snapshot
 * when `@otel-perf/instrumentation-runtime` runs; otherwise samples it itself with `monitorEventLoopDelay`
 * (20 ms resolution, the resolution subtracted), started on the first evaluation and stopped by `close()`.
 */
export function eventLoopDelayCheck(
  options: EventLoopDelayCheckOptions = {},
): HealthCheck & { close(): void } {
  const t = options.thresholds ?? { good: 20, warn: 100, fail: 500 };
  const resolutionMs = 20;
  let monitor: ELDHistogram | undefined;
  return {
    component: 'eventloop',
    measurement: 'delay',
    componentType: 'system',
    weight: 2,
    run({ metrics }) {
      const fromMetrics = snapshotSum(metrics, 'nodejs.eventloop.delay.p99');
      let p99Ms: number;
      if (fromMetrics !== undefined) {
        p99Ms = fromMetrics * 1000;
      } else {
        if (!monitor) {
          monitor = monitorEventLoopDelay({ resolution: resolutionMs });
          monitor.enable();
        }
        p99Ms = monitor.count > 0 ? Math.max(0, monitor.percentile(99) / 1e6 - resolutionMs) : 0;
        monitor.reset();
      }
      return measured(p99Ms, t, 'ms', 'event-loop delay p99');
    },
    close() {
      monitor?.disable();
      monitor = undefined;
    },
  };
}

/** Options of {@link heapCheck}. */
export interface HeapCheckOptions {
  /** Heap used as a fraction of the V8 heap limit. @default { good: 0.6, warn: 0.85, fail: 0.95 } */
  thresholds?: Thresholds;
}

/** `memory:heap`: V8 heap used against the heap size limit (`--max-old-space-size`). */
export function heapCheck(options: HeapCheckOptions = {}): HealthCheck {
  const t = options.thresholds ?? { good: 0.6, warn: 0.85, fail: 0.95 };
  return {
    component: 'memory',
    measurement: 'heap',
    componentType: 'system',
    run() {
      const h = getHeapStatistics();
      return measured(h.used_heap_size / h.heap_size_limit, t, 'ratio', 'heap used / heap limit');
    },
  };
}

/** Options of {@link pgPoolMetricsCheck}. */
export interface PgPoolMetricsCheckOptions {
  /** Mean time to acquire a connection since the last evaluation, in ms. @default { good: 5, warn: 100, fail: 1000 } */
  waitThresholds?: Thresholds;
  /** Waiting requests per connection of `max`. @default { good: 0, warn: 0.5, fail: 2 } */
  pendingThresholds?: Thresholds;
}

const POOL = 'db.client.connection.pool.name';

/**
 * `postgres:pool`: reads the pool metrics of `@otel-perf/instrumentation-pg` (semantic-convention names): the
 * worst pool decides. Fails when acquiring a connection timed out since the last evaluation; otherwise scored
 * on waiting requests (per connection of the pool's max) and mean wait time. Left out while no pool metrics
 * exist.
 */
export function pgPoolMetricsCheck(options: PgPoolMetricsCheckOptions = {}): HealthCheck {
  const waitT = options.waitThresholds ?? { good: 5, warn: 100, fail: 1000 };
  const pendingT = options.pendingThresholds ?? { good: 0, warn: 0.5, fail: 2 };
  const previous = new Map<string, { timeouts: number; waitCount: number; waitSum: number }>();
  return {
    component: 'postgres',
    measurement: 'pool',
    componentType: 'datastore',
    weight: 2,
    run({ metrics }) {
      const pending = groupBy(metrics, 'db.client.connection.pending_requests', POOL);
      if (pending.size === 0) return undefined;
      const max = groupBy(metrics, 'db.client.connection.max', POOL);
      const timeouts = groupBy(metrics, 'db.client.connection.timeouts', POOL);
      const wait = groupBy(metrics, 'db.client.connection.wait_time', POOL);
      let worst: CheckOutcome | undefined;
      const summary: string[] = [];
      for (const [pool, pts] of pending) {
        const p = sumPoints(pts);
        const m = sumPoints(max.get(pool)) || 1;
        const tNow = sumPoints(timeouts.get(pool));
        const w = histogramTotals(wait.get(pool));
        const prev = previous.get(pool) ?? { timeouts: tNow, waitCount: 0, waitSum: 0 };
        previous.set(pool, { timeouts: tNow, waitCount: w.count, waitSum: w.sum });
        const newTimeouts = tNow - prev.timeouts;
        const dCount = w.count - prev.waitCount;
        const meanWaitMs = dCount > 0 ? ((w.sum - prev.waitSum) / dCount) * 1000 : 0;
        summary.push(`${pool}: ${p} waiting, mean wait ${round3(meanWaitMs)} ms, ${newTimeouts} timeouts`);
        let o: CheckOutcome;
        if (newTimeouts > 0) {
          o = { status: 'fail', score: 0, observedValue: newTimeouts, observedUnit: '{timeout}' };
        } else {
          const a = measured(
            p / m,
            pendingT,
            '{request}/{connection}',
            `pool ${pool} waiting requests per connection`,
          );
          const b = measured(meanWaitMs, waitT, 'ms', `pool ${pool} mean wait`);
          o = (a.score ?? 0) <= (b.score ?? 0) ? { ...a, observedValue: p, observedUnit: '{request}' } : b;
        }
        if (!worst || (o.score ?? 0) < (worst.score ?? 0)) worst = o;
      }
      return worst && { ...worst, output: worst.status === 'pass' ? undefined : summary.join('; ') };
    },
  };
}

/** The smallest interface of a `pg` Pool (or Client) that {@link pgCheck} needs. */
export interface Queryable {
  query(sql: string): Promise<unknown>;
}

/** Options of the dependency checks {@link pgCheck} and {@link redisCheck}. */
export interface DependencyCheckOptions {
  /** `componentId` in the body, e.g. the pool or host name. */
  name?: string;
  /** @default 5000 */
  intervalMs?: number;
  /** @default 1000 */
  timeoutMs?: number;
  /** Whether readiness depends on it. @default true */
  ready?: boolean;
}

/**
 * `postgres:connection`: runs `SELECT 1` through the pool in the background (every 5 s by default), so probes
 * never reach the database; readiness depends on it.
 */
export function pgCheck(pool: Queryable, options: DependencyCheckOptions = {}): HealthCheck {
  return dependencyCheck('postgres', 'connection', 'datastore', options, async () => {
    await pool.query('SELECT 1');
  });
}

/** The smallest interface of an ioredis or node-redis client that {@link redisCheck} needs. */
export interface Pingable {
  ping(): Promise<unknown>;
}

/** `redis:connection`: `PING` in the background (every 5 s by default); readiness depends on it. */
export function redisCheck(client: Pingable, options: DependencyCheckOptions = {}): HealthCheck {
  return dependencyCheck('redis', 'connection', 'datastore', options, async () => {
    await client.ping();
  });
}

function dependencyCheck(
  component: string,
  measurement: string,
  componentType: string,
  options: DependencyCheckOptions,
  probe: () => Promise<void>,
): HealthCheck {
  return {
    component,
    measurement,
    componentType,
    componentId: options.name,
    ready: options.ready ?? true,
    intervalMs: options.intervalMs ?? 5000,
    timeoutMs: options.timeoutMs ?? 1000,
    weight: 2,
    async run() {
      const started = performance.now();
      await probe();
      return { status: 'pass', observedValue: round3(performance.now() - started), observedUnit: 'ms' };
    },
  };
}

/** Options of {@link cacheHitRatioCheck}: where the cache counters are and what counts as a hit. */
export interface CacheHitRatioCheckOptions {
  /** Counter of cache requests by result. @default 'cache.gets' */
  metric?: string;
  /** Attribute holding the result. @default 'cache.result' */
  resultAttribute?: string;
  /** Attribute naming the cache. @default 'cache.name' */
  nameAttribute?: string;
  /** Results that count as hits. @default ['hit', 'stale_hit'] */
  hits?: string[];
  /** Results that count as misses. @default ['miss'] */
  misses?: string[];
  /** Miss ratio thresholds (1 − hit ratio). @default { good: 0.2, warn: 0.5, fail: 0.8 } */
  thresholds?: Thresholds;
  /** Fewer requests than this since the last evaluation are not judged. @default 20 */
  minRequests?: number;
}

/**
 * `cache:hitRatio`: hit ratio of each cache since the last evaluation (the worst cache decides), from the
 * counters of `@otel-perf/instrumentation-cache`. Left out while no cache metrics exist.
 */
export function cacheHitRatioCheck(options: CacheHitRatioCheckOptions = {}): HealthCheck {
  const metric = options.metric ?? 'cache.gets';
  const resultAttr = options.resultAttribute ?? 'cache.result';
  const nameAttr = options.nameAttribute ?? 'cache.name';
  const hits = new Set(options.hits ?? ['hit', 'stale_hit']);
  const misses = new Set(options.misses ?? ['miss']);
  const t = options.thresholds ?? { good: 0.2, warn: 0.5, fail: 0.8 };
  const minRequests = options.minRequests ?? 20;
  const previous = new Map<string, { hit: number; miss: number }>();
  return {
    component: 'cache',
    measurement: 'hitRatio',
    componentType: 'datastore',
    run({ metrics }) {
      const byCache = groupBy(metrics, metric, nameAttr);
      if (byCache.size === 0) return undefined;
      let worst: CheckOutcome | undefined;
      for (const [cache, pts] of byCache) {
        let hit = 0;
        let miss = 0;
        for (const p of pts) {
          const r = String(p.attributes[resultAttr]);
          if (hits.has(r)) hit += p.value ?? 0;
          else if (misses.has(r)) miss += p.value ?? 0;
        }
        const prev = previous.get(cache) ?? { hit: 0, miss: 0 };
        previous.set(cache, { hit, miss });
        const dh = hit - prev.hit;
        const dm = miss - prev.miss;
        if (dh + dm < minRequests) continue;
        const o = measured(dm / (dh + dm), t, 'ratio', `cache ${cache} miss ratio`);
        const outcome: CheckOutcome = { ...o, observedValue: round3(dh / (dh + dm)) };
        if (!worst || (outcome.score ?? 0) < (worst.score ?? 0)) worst = outcome;
      }
      return (
        worst ?? { status: 'pass', output: `fewer than ${minRequests} cache requests since the last check` }
      );
    },
  };
}

/** Options of {@link circuitBreakersCheck}. */
export interface CircuitBreakersCheckOptions {
  /** Gauge that is 1 for each breaker's current state. @default 'circuit_breaker.state' */
  metric?: string;
  /** @default 'circuit_breaker.name' */
  nameAttribute?: string;
  /** @default 'circuit_breaker.state' */
  stateAttribute?: string;
}

/**
 * `circuitBreakers:open`: fails (score 40) while any breaker is open, warns (77.5) while any is half-open; the
 * observed value is the number of breakers not closed. From `@otel-perf/instrumentation-circuit-breaker`.
 */
export function circuitBreakersCheck(options: CircuitBreakersCheckOptions = {}): HealthCheck {
  const metric = options.metric ?? 'circuit_breaker.state';
  const nameAttr = options.nameAttribute ?? 'circuit_breaker.name';
  const stateAttr = options.stateAttribute ?? 'circuit_breaker.state';
  return {
    component: 'circuitBreakers',
    measurement: 'open',
    componentType: 'component',
    run({ metrics }) {
      const m = metrics?.metrics[metric];
      if (!m) return undefined;
      const open: string[] = [];
      const halfOpen: string[] = [];
      for (const p of m.points) {
        if ((p.value ?? 0) <= 0) continue;
        const state = String(p.attributes[stateAttr]);
        const name = String(p.attributes[nameAttr]);
        if (state === 'open' || state === 'forced_open') open.push(name);
        else if (state === 'half_open') halfOpen.push(name);
      }
      const notClosed = open.length + halfOpen.length;
      if (open.length > 0) {
        return {
          status: 'fail',
          score: 40,
          observedValue: notClosed,
          observedUnit: '{breaker}',
          output: `open: ${open.join(', ')}`,
        };
      }
      if (halfOpen.length > 0) {
        return {
          status: 'warn',
          observedValue: notClosed,
          observedUnit: '{breaker}',
          output: `half open: ${halfOpen.join(', ')}`,
        };
      }
      return { status: 'pass', observedValue: 0, observedUnit: '{breaker}' };
    },
  };
}

/**
 * `anomaly:alerts`: fails (score 40) while a critical anomaly alert fires, warns while a warning fires; the
 * observed value is the number of active alerts.
 */
export function anomalyAlertsCheck(alerts: () => ReadonlyArray<{ level: string }>): HealthCheck {
  return {
    component: 'anomaly',
    measurement: 'alerts',
    componentType: 'component',
    run() {
      const active = alerts();
      const critical = active.filter((a) => a.level === 'critical').length;
      const warning = active.filter((a) => a.level === 'warning').length;
      const observed = { observedValue: active.length, observedUnit: '{alert}' };
      if (critical > 0)
        return {
          status: 'fail',
          score: 40,
          ...observed,
          output: `${critical} critical anomaly alert(s) firing`,
        };
      if (warning > 0)
        return { status: 'warn', ...observed, output: `${warning} warning anomaly alert(s) firing` };
      return { status: 'pass', ...observed };
    },
  };
}

function sumPoints(pts: SnapshotPoint[] | undefined): number {
  let s = 0;
  for (const p of pts ?? []) s += p.value ?? 0;
  return s;
}

function histogramTotals(pts: SnapshotPoint[] | undefined): { count: number; sum: number } {
  let count = 0;
  let sum = 0;
  for (const p of pts ?? []) {
    count += p.count ?? 0;
    sum += p.sum ?? 0;
  }
  return { count, sum };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
