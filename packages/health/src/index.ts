export type {
  CacheHitRatioCheckOptions,
  CircuitBreakersCheckOptions,
  DependencyCheckOptions,
  EventLoopDelayCheckOptions,
  HeapCheckOptions,
  PgPoolMetricsCheckOptions,
  Pingable,
  Queryable,
} from './checks.js';
export {
  anomalyAlertsCheck,
  cacheHitRatioCheck,
  circuitBreakersCheck,
  eventLoopDelayCheck,
  heapCheck,
  pgCheck,
  pgPoolMetricsCheck,
  redisCheck,
} from './checks.js';
export type { HealthReport } from './health.js';
export { createHealth, Health } from './health.js';
export { recordHealthMetrics } from './instruments.js';
export type { HealthPlugin } from './plugin.js';
export { healthPlugin } from './plugin.js';
export type { Scores, Thresholds } from './score.js';
export { DEFAULT_BANDS, statusFromScore, thresholdScore } from './score.js';
export {
  ATTR_HEALTH_CHECK,
  ATTR_HEALTH_COMPONENT,
  HEALTH_CONTENT_TYPE,
  HEALTH_METRICS,
  METRIC_HEALTH_CHECK_DURATION,
  METRIC_HEALTH_CHECK_STATUS,
  METRIC_HEALTH_READY,
  METRIC_HEALTH_SCORE,
  OVERALL_COMPONENT,
} from './semconv.js';
export { SnapshotReader, snapshotProducers, toSnapshot } from './snapshot.js';
export type {
  CheckContext,
  CheckOutcome,
  CheckResult,
  HealthCheck,
  HealthConfig,
  HealthStatus,
  MetricSnapshot,
  ScoreBands,
  SnapshotMetric,
  SnapshotPoint,
} from './types.js';
