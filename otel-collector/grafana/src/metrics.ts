/**
 * Every metric the dashboards read, by its OpenTelemetry name, unit and instrument, and the name Prometheus
 * gives it. The rules are the distro's (`packages/node/src/prometheus.ts`) and the Collector's Prometheus
 * exporters': dots and other invalid characters become `_`, the unit is appended (`s` → `_seconds`, `By` →
 * `_bytes`, `1` → `_ratio` on gauges; `{…}` annotations add nothing), and monotonic counters end in `_total`.
 * Attribute keys become labels the same way (`http.route` → `http_route`).
 */

/** The instrument behind a metric, as far as Prometheus naming cares. */
export type InstrumentKind = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

/** One metric, with the name Prometheus stores it under. */
export interface Metric {
  /** The OpenTelemetry name (`http.server.request.duration`). */
  readonly otel: string;
  /** UCUM unit as the instrument declares it. */
  readonly unit: string;
  readonly kind: InstrumentKind;
  /** The Prometheus name (`http_server_request_duration_seconds`); histograms add `_bucket`/`_count`/`_sum`. */
  readonly prom: string;
}

const UNITS: Readonly<Record<string, string>> = {
  s: 'seconds',
  ms: 'milliseconds',
  By: 'bytes',
  '%': 'percent',
};

/** A name or attribute key as Prometheus accepts it. */
export function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/_{2,}/g, '_');
}

/** The label an OpenTelemetry attribute key becomes (`http.response.status_code` → `http_response_status_code`). */
export function label(attribute: string): string {
  return sanitize(attribute);
}

function unitSuffix(unit: string, kind: InstrumentKind): string {
  const u = unit.replace(/\{[^}]*\}/g, '').trim();
  if (u === '') return '';
  if (u === '1') return kind === 'gauge' ? 'ratio' : '';
  const suffix = UNITS[u];
  if (suffix === undefined) throw new Error(`metrics: no Prometheus suffix known for unit "${unit}"`);
  return suffix;
}

/** The Prometheus name of an OpenTelemetry metric. */
export function promName(otel: string, unit: string, kind: InstrumentKind): string {
  let name = sanitize(otel);
  const suffix = unitSuffix(unit, kind);
  if (suffix && !name.endsWith(`_${suffix}`)) name = `${name}_${suffix}`;
  if (kind === 'counter' && !name.endsWith('_total')) name = `${name}_total`;
  return name;
}

function metric(otel: string, unit: string, kind: InstrumentKind): Metric {
  return { otel, unit, kind, prom: promName(otel, unit, kind) };
}

/** HTTP (`@otel-perf/instrumentation-http`, semantic conventions). */
export const HTTP = {
  serverDuration: metric('http.server.request.duration', 's', 'histogram'),
  serverActive: metric('http.server.active_requests', '{request}', 'updowncounter'),
  clientDuration: metric('http.client.request.duration', 's', 'histogram'),
} as const;

/** PostgreSQL pools and queries (`@otel-perf/instrumentation-pg`, semantic conventions). */
export const DB = {
  operationDuration: metric('db.client.operation.duration', 's', 'histogram'),
  connectionCount: metric('db.client.connection.count', '{connection}', 'updowncounter'),
  connectionMax: metric('db.client.connection.max', '{connection}', 'updowncounter'),
  pendingRequests: metric('db.client.connection.pending_requests', '{request}', 'updowncounter'),
  timeouts: metric('db.client.connection.timeouts', '{timeout}', 'counter'),
  waitTime: metric('db.client.connection.wait_time', 's', 'histogram'),
  useTime: metric('db.client.connection.use_time', 's', 'histogram'),
  createTime: metric('db.client.connection.create_time', 's', 'histogram'),
  connectionErrors: metric('pg.connection.errors', '{error}', 'counter'),
} as const;

/** Cache layers (`@otel-perf/instrumentation-cache`). */
export const CACHE = {
  gets: metric('cache.gets', '{request}', 'counter'),
  operationDuration: metric('cache.operation.duration', 's', 'histogram'),
  evictions: metric('cache.evictions', '{entry}', 'counter'),
  entries: metric('cache.entries', '{entry}', 'updowncounter'),
  size: metric('cache.size', 'By', 'updowncounter'),
  requests: metric('cache.requests', '{request}', 'counter'),
  errors: metric('cache.errors', '{error}', 'counter'),
  loads: metric('cache.loads', '{load}', 'counter'),
  loadDuration: metric('cache.load.duration', 's', 'histogram'),
  loadsDeduplicated: metric('cache.loads.deduplicated', '{load}', 'counter'),
} as const;

/** Circuit breakers (`@otel-perf/instrumentation-circuit-breaker`, its README's metrics table). */
export const BREAKER = {
  state: metric('circuit_breaker.state', '{breaker}', 'updowncounter'),
  transitions: metric('circuit_breaker.transitions', '{transition}', 'counter'),
  calls: metric('circuit_breaker.calls', '{call}', 'counter'),
  callDuration: metric('circuit_breaker.call.duration', 's', 'histogram'),
  fallbacks: metric('circuit_breaker.fallbacks', '{call}', 'counter'),
  windowCalls: metric('circuit_breaker.window.calls', '{call}', 'updowncounter'),
  windowFailureRatio: metric('circuit_breaker.window.failure_ratio', '1', 'gauge'),
  windowSlowCallRatio: metric('circuit_breaker.window.slow_call_ratio', '1', 'gauge'),
  openTime: metric('circuit_breaker.open.time', 's', 'counter'),
  config: metric('circuit_breaker.config', '', 'gauge'),
} as const;

/** Node.js runtime (`@otel-perf/instrumentation-runtime`, semantic conventions). */
export const RUNTIME = {
  eventLoopDelay: metric('nodejs.eventloop.delay', 's', 'histogram'),
  eventLoopDelayP99: metric('nodejs.eventloop.delay.p99', 's', 'gauge'),
  eventLoopUtilization: metric('nodejs.eventloop.utilization', '1', 'gauge'),
  gcDuration: metric('v8js.gc.duration', 's', 'histogram'),
  heapUsed: metric('v8js.memory.heap.used', 'By', 'updowncounter'),
  heapLimit: metric('v8js.memory.heap.limit', 'By', 'updowncounter'),
  cpuUtilization: metric('process.cpu.utilization', '1', 'gauge'),
  cpuTime: metric('process.cpu.time', 's', 'counter'),
  memoryUsage: metric('process.memory.usage', 'By', 'updowncounter'),
  memoryExternal: metric('nodejs.memory.external', 'By', 'updowncounter'),
  resourcesActive: metric('v8js.resource.active', '{resource}', 'updowncounter'),
} as const;

/** The in-process anomaly processor (`@otel-perf/anomaly`). */
export const ANOMALY = {
  alertsActive: metric('otel_perf.anomaly.alerts.active', '{alert}', 'gauge'),
  score: metric('otel_perf.anomaly.score', '1', 'gauge'),
  alertsFired: metric('otel_perf.anomaly.alerts.fired', '{alert}', 'counter'),
} as const;

/** Health checks and scores (`@otel-perf/health`). */
export const HEALTH = {
  score: metric('otel_perf.health.score', '1', 'gauge'),
  ready: metric('otel_perf.health.ready', '1', 'gauge'),
  checkStatus: metric('otel_perf.health.check.status', '1', 'gauge'),
} as const;

/** Every metric above. */
export const ALL_METRICS: readonly Metric[] = [HTTP, DB, CACHE, BREAKER, RUNTIME, ANOMALY, HEALTH].flatMap(
  (group) => Object.values(group),
);

/** Series Prometheus makes itself: the resource (`target_info`) and alerting rules' state (`ALERTS`). */
export const PROMETHEUS_SERIES = ['target_info', 'ALERTS'] as const;

/** Every series name a panel may select: counters and gauges as named, histograms by their three series. */
export function seriesNames(): Set<string> {
  const names = new Set<string>(PROMETHEUS_SERIES);
  for (const m of ALL_METRICS) {
    if (m.kind === 'histogram') for (const s of ['_bucket', '_count', '_sum']) names.add(m.prom + s);
    else names.add(m.prom);
  }
  return names;
}
