export { instrumentCacheable, instrumentCacheManager } from './cache-manager.js';
export { ValueTooLargeError } from './errors.js';
export { CacheInstrumentation } from './instrumentation.js';
export { COMPRESSION_RATIO_BUCKETS } from './instruments.js';
export { instrumentKeyv } from './keyv.js';
export { instrumentLruCache } from './lru.js';
export { createCacheRecorder } from './recorder.js';
export { instrumentIoredis, instrumentNodeRedis } from './redis.js';
export { MAX_CACHES } from './registry.js';
export type { InstrumentKind, MetricDescriptor } from './semconv.js';
export {
  ATTR_CACHE_EVICTION_CAUSE,
  ATTR_CACHE_LAYER,
  ATTR_CACHE_LOAD_RESULT,
  ATTR_CACHE_NAME,
  ATTR_CACHE_OPERATION,
  ATTR_CACHE_PATH,
  ATTR_CACHE_RESULT,
  ATTR_CACHE_SERVED_BY,
  ATTR_ERROR_TYPE,
  CACHE_METRICS,
  CACHE_OPERATIONS,
  CACHE_PATHS,
  CACHE_RESULTS,
  CACHE_SERVED_BY,
  ERROR_TYPES,
  EVICTION_CAUSES,
  LOAD_RESULTS,
  METRIC_CACHE_COMPRESSION_RATIO,
  METRIC_CACHE_ENTRIES,
  METRIC_CACHE_ERRORS,
  METRIC_CACHE_EVICTION_SIZE,
  METRIC_CACHE_EVICTIONS,
  METRIC_CACHE_GETS,
  METRIC_CACHE_LOAD_DURATION,
  METRIC_CACHE_LOADS,
  METRIC_CACHE_LOADS_DEDUPLICATED,
  METRIC_CACHE_OPERATION_DURATION,
  METRIC_CACHE_PAYLOAD_SIZE,
  METRIC_CACHE_PUTS,
  METRIC_CACHE_REQUESTS,
  METRIC_CACHE_SIZE,
} from './semconv.js';
export { createTieredCache } from './tiered.js';
export type {
  CacheAdapterOptions,
  CacheInstrumentationConfig,
  CacheManagerInstrumentOptions,
  CacheOperation,
  CacheRecorder,
  EvictionCause,
  KeyvInstrumentOptions,
  LruCacheInstrumentOptions,
  RedisInstrumentOptions,
  RemoteStore,
  Serializer,
  SyncCacheLike,
  TieredCache,
  TieredCacheOptions,
} from './types.js';
export { isInstrumented, uninstrument } from './wrap.js';
