export type { FastMetricProducerOptions as HttpMetricProducerOptions } from '@otel-perf/core';
export { DEFAULT_CONFIG } from './config.js';
export { HttpInstrumentation, IGNORE_SERVER } from './instrumentation.js';
export {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_SCHEME,
  KNOWN_HTTP_METHODS,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  METRIC_HTTP_SERVER_REQUEST_BODY_SIZE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE,
  OTHER_METHOD,
} from './semconv.js';
export type { HttpInstrumentationConfig, HttpViewsOptions } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
