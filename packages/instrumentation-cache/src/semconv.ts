import type { MetricDescriptor as CoreMetricDescriptor } from '@otel-perf/core';
/**
 * Every metric and attribute name this package emits. OpenTelemetry has no semantic convention for caches;
 * these names are ours, anchored on what teams already read: Micrometer's `cache.gets{result}`, `cache.puts`,
 * `cache.evictions`, `cache.size`, Caffeine's load timers and eviction causes, and the two-tier counters of
 * layered caches. Every metric carries `cache.name`; per-layer metrics also carry `cache.layer`.
 *
 * The README's metrics table is checked against {@link CACHE_METRICS} by a test.
 */

/** The cache's name, given to the adapter. Present on every metric. */
export const ATTR_CACHE_NAME = 'cache.name' as const;
/** The layer: `l1` (in-process), `l2` (shared, e.g. Redis), `l3`… Present on per-layer metrics. */
export const ATTR_CACHE_LAYER = 'cache.layer' as const;
/** What a lookup found, one of {@link CACHE_RESULTS}. */
export const ATTR_CACHE_RESULT = 'cache.result' as const;
/** Why an entry left the cache, one of {@link EVICTION_CAUSES}. */
export const ATTR_CACHE_EVICTION_CAUSE = 'cache.eviction.cause' as const;
/** The timed operation, one of {@link CACHE_OPERATIONS}. */
export const ATTR_CACHE_OPERATION = 'cache.operation' as const;
/** The path one request through a tiered cache took, one of {@link CACHE_PATHS}. */
export const ATTR_CACHE_PATH = 'cache.path' as const;
/** Which tier answered a tiered request, one of {@link CACHE_SERVED_BY}. */
export const ATTR_CACHE_SERVED_BY = 'cache.served_by' as const;
/** How an origin load ended, one of {@link LOAD_RESULTS}. */
export const ATTR_CACHE_LOAD_RESULT = 'cache.load.result' as const;
/** A failed operation's class, one of {@link ERROR_TYPES} (the OpenTelemetry `error.type` attribute). */
export const ATTR_ERROR_TYPE = 'error.type' as const;

/**
 * Values of `cache.result` on `cache.gets`:
 * - `hit`: a fresh value was returned;
 * - `miss`: nothing was returned (absent, or expired and not returned);
 * - `stale_hit`: an expired value was returned (lru-cache `allowStale`);
 * - `error`: the lookup failed (connection, timeout, a value that could not be decoded).
 */
export const CACHE_RESULTS = ['hit', 'miss', 'stale_hit', 'error'] as const;
/** Values of `cache.eviction.cause`: capacity, TTL, an explicit delete, overwritten by a set. */
export const EVICTION_CAUSES = ['size', 'expired', 'delete', 'replaced'] as const;
/** Values of `cache.operation`. `mget` is timed as one `get`. */
export const CACHE_OPERATIONS = ['get', 'set', 'delete'] as const;
/**
 * Values of `cache.path` on `cache.requests`: answered by L1, by L2 (L1 missed), by the origin (every
 * layer missed or failed), not answered because the origin load failed (`error`), or not answered because
 * every layer missed and the call had no loader (`miss`, cache-manager `get`).
 */
export const CACHE_PATHS = ['l1_hit', 'l2_hit', 'origin', 'error', 'miss'] as const;
/** Values of `cache.served_by`: the tier whose value the caller got (`none` when the load failed). */
export const CACHE_SERVED_BY = ['l1', 'l2', 'origin', 'none'] as const;
/** Values of `cache.load.result` on `cache.loads`. */
export const LOAD_RESULTS = ['success', 'error'] as const;
/**
 * Values of `error.type` on `cache.errors`:
 * - `timeout`: the client gave up waiting (ioredis `commandTimeout`, node-redis socket timeouts);
 * - `connection`: no connection (refused, closed, offline queue disabled);
 * - `serialization`: the value could not be encoded or decoded (BigInt, cycles, corrupt JSON);
 * - `too_large`: the encoded value is over the tiered cache's `maxValueBytes`, or the server refused it;
 * - `other`: anything else.
 */
export const ERROR_TYPES = ['timeout', 'connection', 'serialization', 'too_large', 'other'] as const;

/** Lookups by layer and result. */
export const METRIC_CACHE_GETS = 'cache.gets' as const;
/** Values stored. */
export const METRIC_CACHE_PUTS = 'cache.puts' as const;
/** Entries that left the cache, by cause. */
export const METRIC_CACHE_EVICTIONS = 'cache.evictions' as const;
/** Bytes that left the cache, by cause, where entry sizes are known in bytes. */
export const METRIC_CACHE_EVICTION_SIZE = 'cache.eviction.size' as const;
/** Failed operations by type. */
export const METRIC_CACHE_ERRORS = 'cache.errors' as const;
/** Entries held now. */
export const METRIC_CACHE_ENTRIES = 'cache.entries' as const;
/** Bytes held now, where entry sizes are known in bytes. */
export const METRIC_CACHE_SIZE = 'cache.size' as const;
/** Duration of cache operations. */
export const METRIC_CACHE_OPERATION_DURATION = 'cache.operation.duration' as const;
/** Encoded size of values read from or written to a layer. */
export const METRIC_CACHE_PAYLOAD_SIZE = 'cache.payload.size' as const;
/** Compressed size divided by uncompressed size, where values are compressed. */
export const METRIC_CACHE_COMPRESSION_RATIO = 'cache.compression.ratio' as const;
/** Requests through a tiered cache, by path. */
export const METRIC_CACHE_REQUESTS = 'cache.requests' as const;
/** Origin loads. */
export const METRIC_CACHE_LOADS = 'cache.loads' as const;
/** Duration of origin loads. */
export const METRIC_CACHE_LOAD_DURATION = 'cache.load.duration' as const;
/** Loads saved by single-flight. */
export const METRIC_CACHE_LOADS_DEDUPLICATED = 'cache.loads.deduplicated' as const;

/** The kinds of OpenTelemetry instrument behind this package's metrics. */
export type InstrumentKind = 'Histogram' | 'ObservableCounter' | 'ObservableUpDownCounter';

/** One metric this package emits (attributes besides `cache.name`): the single source for instrument creation and the README table. */
export type MetricDescriptor = CoreMetricDescriptor<InstrumentKind>;

/** Every metric this package emits. */
export const CACHE_METRICS = [
  {
    name: METRIC_CACHE_GETS,
    instrument: 'ObservableCounter',
    unit: '{request}',
    description: 'Lookups by layer and result: hit, miss, stale_hit or error (mget counts each key).',
    attributes: [ATTR_CACHE_LAYER, ATTR_CACHE_RESULT],
  },
  {
    name: METRIC_CACHE_PUTS,
    instrument: 'ObservableCounter',
    unit: '{entry}',
    description: 'Values stored in the layer (a failed or refused set is counted in cache.errors instead).',
    attributes: [ATTR_CACHE_LAYER],
  },
  {
    name: METRIC_CACHE_EVICTIONS,
    instrument: 'ObservableCounter',
    unit: '{entry}',
    description: 'Entries that left the layer, by cause: size, expired, delete or replaced.',
    attributes: [ATTR_CACHE_LAYER, ATTR_CACHE_EVICTION_CAUSE],
  },
  {
    name: METRIC_CACHE_EVICTION_SIZE,
    instrument: 'ObservableCounter',
    unit: 'By',
    description: 'Bytes that left the layer, by cause, where entry sizes are known in bytes.',
    attributes: [ATTR_CACHE_LAYER, ATTR_CACHE_EVICTION_CAUSE],
  },
  {
    name: METRIC_CACHE_ERRORS,
    instrument: 'ObservableCounter',
    unit: '{error}',
    description: 'Failed operations by operation and type (a failed get is also a cache.gets error).',
    attributes: [ATTR_CACHE_LAYER, ATTR_CACHE_OPERATION, ATTR_ERROR_TYPE],
  },
  {
    name: METRIC_CACHE_ENTRIES,
    instrument: 'ObservableUpDownCounter',
    unit: '{entry}',
    description: 'Entries held now, summed over the live caches of this name and layer (in-process layers).',
    attributes: [ATTR_CACHE_LAYER],
  },
  {
    name: METRIC_CACHE_SIZE,
    instrument: 'ObservableUpDownCounter',
    unit: 'By',
    description: 'Bytes held now, where entry sizes are known in bytes (lru-cache with sizeInBytes).',
    attributes: [ATTR_CACHE_LAYER],
  },
  {
    name: METRIC_CACHE_OPERATION_DURATION,
    instrument: 'Histogram',
    unit: 's',
    description:
      'Duration of get, set and delete; every remote operation, 1 in sampleEvery in-process operations.',
    attributes: [ATTR_CACHE_LAYER, ATTR_CACHE_OPERATION],
  },
  {
    name: METRIC_CACHE_PAYLOAD_SIZE,
    instrument: 'Histogram',
    unit: 'By',
    description: 'Encoded size of values read (hits) from and written to remote layers.',
    attributes: [ATTR_CACHE_LAYER, ATTR_CACHE_OPERATION],
  },
  {
    name: METRIC_CACHE_COMPRESSION_RATIO,
    instrument: 'Histogram',
    unit: '1',
    description: 'Compressed size / uncompressed size of values written, where the cache compresses them.',
    attributes: [ATTR_CACHE_LAYER],
  },
  {
    name: METRIC_CACHE_REQUESTS,
    instrument: 'ObservableCounter',
    unit: '{request}',
    description:
      'Requests through a tiered cache by path (l1_hit, l2_hit, origin, error, miss) and the tier that served them.',
    attributes: [ATTR_CACHE_PATH, ATTR_CACHE_SERVED_BY],
  },
  {
    name: METRIC_CACHE_LOADS,
    instrument: 'ObservableCounter',
    unit: '{load}',
    description: 'Origin loads after a miss in every layer, by result (success or error).',
    attributes: [ATTR_CACHE_LOAD_RESULT],
  },
  {
    name: METRIC_CACHE_LOAD_DURATION,
    instrument: 'Histogram',
    unit: 's',
    description: 'Duration of origin loads, by result.',
    attributes: [ATTR_CACHE_LOAD_RESULT],
  },
  {
    name: METRIC_CACHE_LOADS_DEDUPLICATED,
    instrument: 'ObservableCounter',
    unit: '{load}',
    description:
      'Loads saved by single-flight: requests that waited for a load of the same key already running.',
    attributes: [],
  },
] as const satisfies readonly MetricDescriptor[];
