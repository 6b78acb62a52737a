import type { BucketPresetName } from './presets.js';

/**
 * The default bucket preset of every histogram otel-perf emits, by metric name. {@link createViews} turns
 * this table into one explicit-bucket view per metric; instruments also carry the same boundaries as
 * `advice.explicitBucketBoundaries`, so the table and the advice agree.
 *
 * Names follow the OpenTelemetry semantic conventions where they exist (`http.*`, `db.client.*`,
 * `nodejs.eventloop.delay`, `v8js.gc.duration`) and the otel-perf namespaces where they don't (`cache.*`,
 * `circuit_breaker.*`).
 */
export const METRIC_BUCKET_PRESETS = {
  'http.server.request.duration': 'http',
  'http.client.request.duration': 'http',
  'http.server.request.body.size': 'bodySize',
  'http.server.response.body.size': 'bodySize',
  'http.client.request.body.size': 'bodySize',
  'http.client.response.body.size': 'bodySize',
  'db.client.operation.duration': 'db',
  'db.client.connection.wait_time': 'pool',
  'db.client.connection.use_time': 'pool',
  'db.client.connection.create_time': 'pool',
  'cache.operation.duration': 'cache',
  'cache.load.duration': 'db',
  'cache.payload.size': 'bodySize',
  'nodejs.eventloop.delay': 'eventLoop',
  'v8js.gc.duration': 'gc',
  'circuit_breaker.call.duration': 'circuitBreaker',
} as const satisfies Record<string, BucketPresetName>;

/** A metric name that has a default preset in {@link METRIC_BUCKET_PRESETS}. */
export type PresetMetricName = keyof typeof METRIC_BUCKET_PRESETS;
