/**
 * Named histogram bucket boundaries, one preset per kind of measurement. Every instrument in otel-perf
 * carries its preset as `advice.explicitBucketBoundaries`; {@link createViews} can override them.
 *
 * Durations are in seconds and sizes in bytes, as the OpenTelemetry semantic conventions require.
 */

/**
 * HTTP server and client request durations, in seconds: the semantic-convention advice for
 * `http.server.request.duration`. Includes `0.5` so a latency SLO can use the `le="0.5"` bucket.
 */
export const HTTP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
] as const;

/** Database operation durations (`db.client.operation.duration`), in seconds: 1 ms to 10 s. */
export const DB_OPERATION_BUCKETS = [
  0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/**
 * Connection-pool timings (`db.client.connection.wait_time`, `.use_time`, `.create_time`), in seconds:
 * 0.1 ms to 10 s, because acquiring an idle connection takes microseconds and a starved pool seconds.
 */
export const POOL_TIME_BUCKETS = [
  0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/**
 * Cache operation durations, in seconds: sub-millisecond for an in-memory L1 (10 µs upwards), milliseconds
 * for a networked L2.
 */
export const CACHE_OPERATION_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
] as const;

/** Event-loop delay (`nodejs.eventloop.delay`), in seconds: 1 ms to 5 s. */
export const EVENT_LOOP_DELAY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
] as const;

/** Garbage-collection pause durations (`v8js.gc.duration`), in seconds: 0.1 ms to 1 s. */
export const GC_DURATION_BUCKETS = [
  0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
] as const;

/** Calls through a circuit breaker, in seconds: 1 ms to 30 s (breaker timeouts are often 3–30 s). */
export const CIRCUIT_BREAKER_CALL_BUCKETS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
] as const;

/** Request and response body sizes, and cached payload sizes, in bytes: 64 B to 16 MiB, powers of 4. */
export const BODY_SIZE_BUCKETS = [
  64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216,
] as const;

/** Every preset by name, for config files that refer to a preset instead of listing boundaries. */
export const BUCKET_PRESETS = {
  http: HTTP_DURATION_BUCKETS,
  db: DB_OPERATION_BUCKETS,
  pool: POOL_TIME_BUCKETS,
  cache: CACHE_OPERATION_BUCKETS,
  eventLoop: EVENT_LOOP_DELAY_BUCKETS,
  gc: GC_DURATION_BUCKETS,
  circuitBreaker: CIRCUIT_BREAKER_CALL_BUCKETS,
  bodySize: BODY_SIZE_BUCKETS,
} as const;

/** The name of a preset in {@link BUCKET_PRESETS}. */
export type BucketPresetName = keyof typeof BUCKET_PRESETS;
