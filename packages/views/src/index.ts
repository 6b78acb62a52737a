export type { CardinalityGuardOptions } from './cardinality.js';
export { createAllowList, createCardinalityGuard, OVERFLOW_ATTRIBUTES } from './cardinality.js';
export type { PresetMetricName } from './metric-presets.js';
export { METRIC_BUCKET_PRESETS } from './metric-presets.js';
export type { BucketPresetName } from './presets.js';
export {
  BODY_SIZE_BUCKETS,
  BUCKET_PRESETS,
  CACHE_OPERATION_BUCKETS,
  CIRCUIT_BREAKER_CALL_BUCKETS,
  DB_OPERATION_BUCKETS,
  EVENT_LOOP_DELAY_BUCKETS,
  GC_DURATION_BUCKETS,
  HTTP_DURATION_BUCKETS,
  POOL_TIME_BUCKETS,
} from './presets.js';
export { normalizeRoute } from './route.js';
export type { BucketsOption, CreateViewsOptions } from './types.js';
export { createViews, resolveBuckets } from './views.js';
