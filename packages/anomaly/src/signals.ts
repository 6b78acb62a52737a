import type { Attributes } from '@opentelemetry/api';
import type { Direction, PointFilter, SignalDefinition, SignalStat } from './types.js';

/** HTTP 5xx among all server requests. */
const SERVER_ERRORS: PointFilter = { 'http.response.status_code': { min: 500, max: 599 } };

/**
 * The signals watched by default: HTTP latency and errors, DB operation and pool wait time, cache hit ratio,
 * breaker state, event-loop delay, heap, resident memory and CPU. Each is read only when its metric exists.
 */
export const DEFAULT_SIGNALS: readonly SignalDefinition[] = [
  {
    id: 'http.server.request.duration.p99',
    metric: 'http.server.request.duration',
    stat: 'p99',
    groupBy: ['http.request.method', 'http.route'],
  },
  {
    id: 'http.server.error_ratio',
    metric: 'http.server.request.duration',
    stat: 'ratio',
    groupBy: ['http.route'],
    numerator: SERVER_ERRORS,
    minEvents: 10,
  },
  {
    id: 'db.client.operation.duration.p99',
    metric: 'db.client.operation.duration',
    stat: 'p99',
    // @otel-perf/instrumentation-pg reports a sanitised `db.query.summary` ("SELECT users") per query shape.
    groupBy: ['db.system.name', 'db.namespace', 'db.operation.name', 'db.query.summary'],
  },
  {
    id: 'db.client.connection.wait_time.p99',
    metric: 'db.client.connection.wait_time',
    stat: 'p99',
    groupBy: ['db.client.connection.pool.name'],
  },
  {
    id: 'cache.hit_ratio',
    metric: 'cache.gets',
    stat: 'ratio',
    groupBy: ['cache.name', 'cache.layer'],
    numerator: { 'cache.result': ['hit', 'stale_hit'] },
    denominator: { 'cache.result': ['hit', 'stale_hit', 'miss'] },
    direction: 'down',
    minEvents: 20,
  },
  {
    id: 'circuit_breaker.open',
    metric: 'circuit_breaker.state',
    stat: 'value',
    groupBy: ['circuit_breaker.name'],
    where: { 'circuit_breaker.state': ['open', 'forced_open'] },
    detect: false,
  },
  { id: 'nodejs.eventloop.delay.p99', metric: 'nodejs.eventloop.delay.p99', stat: 'value', groupBy: [] },
  { id: 'v8js.memory.heap.used', metric: 'v8js.memory.heap.used', stat: 'value', groupBy: [] },
  { id: 'process.memory.usage', metric: 'process.memory.usage', stat: 'value', groupBy: [] },
  { id: 'process.cpu.utilization', metric: 'process.cpu.utilization', stat: 'value', groupBy: [] },
];

const STATS: readonly SignalStat[] = ['rate', 'mean', 'p50', 'p95', 'p99', 'p999', 'value', 'ratio'];
const DIRECTIONS: readonly Direction[] = ['up', 'down', 'both'];

/** Quantile of each quantile stat. */
export const QUANTILES: Partial<Record<SignalStat, number>> = { p50: 0.5, p95: 0.95, p99: 0.99, p999: 0.999 };

/** A point filter compiled to a predicate. */
export type Matcher = (attributes: Attributes) => boolean;

/** A signal ready for the hot path. */
export interface CompiledSignal {
  readonly def: SignalDefinition;
  readonly id: string;
  readonly index: number;
  readonly metric: string;
  readonly stat: SignalStat;
  readonly quantile: number;
  readonly groupBy: readonly string[] | undefined;
  readonly where: Matcher | undefined;
  readonly numerator: Matcher | undefined;
  readonly denominator: Matcher | undefined;
  readonly direction: Direction;
  readonly detect: boolean;
  readonly minEvents: number;
  /** Start of every series key of this signal. */
  readonly keyPrefix: string;
}

function compileFilter(where: PointFilter | undefined, key: string): Matcher | undefined {
  if (!where) return undefined;
  const tests: [string, (v: unknown) => boolean][] = [];
  for (const [attr, allowed] of Object.entries(where)) {
    if (Array.isArray(allowed)) {
      const set = new Set<unknown>(allowed);
      tests.push([attr, (v) => set.has(v)]);
    } else if (allowed && typeof allowed === 'object' && 'min' in allowed) {
      const { min, max } = allowed as { min: number; max: number };
      tests.push([
        attr,
        (v) => {
          const n = typeof v === 'number' ? v : Number(v);
          return n >= min && n <= max;
        },
      ]);
    } else {
      throw new Error(
        `@otel-perf/anomaly: ${key}.${attr} must be an array of values or { min, max }, got ${JSON.stringify(allowed)}`,
      );
    }
  }
  return (attributes) => {
    for (const [attr, test] of tests) if (!test(attributes[attr])) return false;
    return true;
  };
}

/** Validates and compiles signal definitions; throws naming the key on bad configuration. */
export function compileSignals(defs: readonly SignalDefinition[]): CompiledSignal[] {
  const seen = new Set<string>();
  return defs.map((def, index) => {
    const at = `signals[${index}]`;
    if (!def || typeof def.id !== 'string' || def.id === '')
      throw new Error(
        `@otel-perf/anomaly: ${at}.id must be a non-empty string, got ${JSON.stringify(def?.id)}`,
      );
    if (seen.has(def.id)) throw new Error(`@otel-perf/anomaly: ${at}.id "${def.id}" is used twice`);
    seen.add(def.id);
    if (typeof def.metric !== 'string' || def.metric === '')
      throw new Error(
        `@otel-perf/anomaly: ${at}.metric must be an instrument name, got ${JSON.stringify(def.metric)}`,
      );
    if (!STATS.includes(def.stat))
      throw new Error(
        `@otel-perf/anomaly: ${at}.stat must be one of ${STATS.join(', ')}, got ${JSON.stringify(def.stat)}`,
      );
    if (def.stat === 'ratio' && !def.numerator)
      throw new Error(`@otel-perf/anomaly: ${at}.numerator is required when stat is "ratio"`);
    const direction = def.direction ?? 'up';
    if (!DIRECTIONS.includes(direction))
      throw new Error(
        `@otel-perf/anomaly: ${at}.direction must be up, down or both, got ${JSON.stringify(direction)}`,
      );
    const minEvents = def.minEvents ?? (def.stat === 'rate' || def.stat === 'value' ? 1 : 5);
    if (!(Number.isFinite(minEvents) && minEvents >= 0))
      throw new Error(
        `@otel-perf/anomaly: ${at}.minEvents must be a number >= 0, got ${JSON.stringify(minEvents)}`,
      );
    return {
      def,
      id: def.id,
      index,
      metric: def.metric,
      stat: def.stat,
      quantile: QUANTILES[def.stat] ?? Number.NaN,
      groupBy: def.groupBy ? [...def.groupBy] : undefined,
      where: compileFilter(def.where, `${at}.where`),
      numerator: compileFilter(def.numerator, `${at}.numerator`),
      denominator: compileFilter(def.denominator, `${at}.denominator`),
      direction,
      detect: def.detect !== false,
      minEvents,
      keyPrefix: `${index}${SEP_SIGNAL}`,
    };
  });
}

const SEP_SIGNAL = '\u0000';
const SEP_PAIR = '\u0001';
const SEP_KV = '\u0002';
const MISSING = '\u0004';

/**
 * The key of the series a point belongs to: the signal's index, then the values of the grouping attributes
 * in order (or `name=value` pairs when the signal keeps every attribute). Short on purpose: the processor
 * builds one per point per collection and keeps one per series.
 */
export function seriesKey(signal: CompiledSignal, attributes: Attributes): string {
  let key = signal.keyPrefix;
  if (signal.groupBy) {
    for (const k of signal.groupBy) {
      const v = attributes[k];
      key += (v === undefined ? MISSING : String(v)) + SEP_PAIR;
    }
  } else {
    for (const k in attributes) key += k + SEP_KV + String(attributes[k]) + SEP_PAIR;
  }
  return key;
}

/** The attributes encoded in a series key (built only when an alert needs them). */
export function labelsOf(key: string, signal: CompiledSignal): Record<string, string> {
  const out: Record<string, string> = {};
  const parts = key.slice(key.indexOf(SEP_SIGNAL) + 1).split(SEP_PAIR);
  if (signal.groupBy) {
    signal.groupBy.forEach((name, i) => {
      const v = parts[i];
      if (v !== undefined && v !== MISSING) out[name] = v;
    });
    return out;
  }
  for (const pair of parts) {
    if (!pair) continue;
    const i = pair.indexOf(SEP_KV);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** `metric{a="x",b="y"}`, for humans. */
export function describeSeries(metric: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? `${metric}{${parts.join(',')}}` : metric;
}
