/**
 * The metrics the dashboard reads (it emits none). Names are the semantic-convention names where they exist
 * and the otel-perf names the sibling packages define otherwise; each group is optional and its panel is
 * hidden while its metrics are absent.
 */
export const SOURCES = {
  httpServerDuration: 'http.server.request.duration',
  httpActiveRequests: 'http.server.active_requests',
  eventLoopDelayP99: 'nodejs.eventloop.delay.p99',
  eventLoopUtilization: 'nodejs.eventloop.utilization',
  heapUsed: 'v8js.memory.heap.used',
  heapLimit: 'v8js.memory.heap.limit',
  memoryUsage: 'process.memory.usage',
  cpuUtilization: 'process.cpu.utilization',
  dbOperationDuration: 'db.client.operation.duration',
  poolCount: 'db.client.connection.count',
  poolMax: 'db.client.connection.max',
  poolPending: 'db.client.connection.pending_requests',
  poolWait: 'db.client.connection.wait_time',
  poolTimeouts: 'db.client.connection.timeouts',
  cacheGets: 'cache.gets',
  breakerState: 'circuit_breaker.state',
} as const;

/** Attribute names the dashboard groups by. */
export const SOURCE_ATTRIBUTES = {
  route: 'http.route',
  method: 'http.request.method',
  status: 'http.response.status_code',
  pool: 'db.client.connection.pool.name',
  poolState: 'db.client.connection.state',
  cacheName: 'cache.name',
  cacheLayer: 'cache.layer',
  cacheResult: 'cache.result',
  breakerName: 'circuit_breaker.name',
  breakerState: 'circuit_breaker.state',
} as const;

/**
 * The seeds' named latency bands, in seconds (upper bounds; everything above the last is `critical`). Each
 * bound is an HTTP bucket boundary, so band counts are exact, not interpolated.
 */
export const LATENCY_BANDS = [
  { name: 'excellent', le: 0.1 },
  { name: 'good', le: 0.5 },
  { name: 'acceptable', le: 1 },
  { name: 'slow', le: 2.5 },
  { name: 'poor', le: 10 },
] as const;

/** The band above the last bound. */
export const LATENCY_BAND_CRITICAL = 'critical' as const;

/** The metric groups a client can subscribe to. */
export const METRIC_GROUPS = ['http', 'runtime', 'db', 'cache', 'breakers', 'health', 'alerts'] as const;
export type MetricGroup = (typeof METRIC_GROUPS)[number];
