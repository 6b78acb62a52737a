export type { FastMetricProducerOptions as PgMetricProducerOptions } from '@otel-perf/core';
export { PgInstrumentation, SUPPORTED_PG_POOL_VERSIONS, SUPPORTED_PG_VERSIONS } from './instrumentation.js';
export { DEFAULT_SLOW_QUERY_THRESHOLD } from './instruments.js';
export { instrumentPool } from './pool.js';
export { MAX_POOLS } from './registry.js';
export type { QuerySummary } from './sanitize.js';
export { MAX_SUMMARY_LENGTH, summarizeQuery } from './sanitize.js';
export type { InstrumentKind, MetricDescriptor } from './semconv.js';
export {
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME,
  ATTR_DB_CLIENT_CONNECTION_STATE,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  CONNECTION_STATES,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
  METRIC_DB_CLIENT_CONNECTION_COUNT,
  METRIC_DB_CLIENT_CONNECTION_CREATE_TIME,
  METRIC_DB_CLIENT_CONNECTION_IDLE_MAX,
  METRIC_DB_CLIENT_CONNECTION_IDLE_MIN,
  METRIC_DB_CLIENT_CONNECTION_MAX,
  METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS,
  METRIC_DB_CLIENT_CONNECTION_TIMEOUTS,
  METRIC_DB_CLIENT_CONNECTION_USE_TIME,
  METRIC_DB_CLIENT_CONNECTION_WAIT_TIME,
  METRIC_DB_CLIENT_OPERATION_DURATION,
  METRIC_PG_CONNECTION_ERRORS,
  PG_METRICS,
} from './semconv.js';
export { SLOW_QUERY_CHANNEL } from './slow.js';
export type {
  InstrumentPoolOptions,
  PgInstrumentationConfig,
  PgViewsOptions,
  PoolLike,
  PoolOptionsLike,
  SlowQueryEvent,
} from './types.js';
