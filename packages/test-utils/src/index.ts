export type { TestMetrics, TestMetricsOptions } from './metrics.js';
export {
  allMetrics,
  attributesMatch,
  createTestMetrics,
  findMetric,
  histogramOf,
  onePoint,
  pointsWith,
  sumValues,
  TestMetricReader,
} from './metrics.js';
export { close, listen, waitFor } from './net.js';
export type { NodeProcess } from './process.js';
export { runNode } from './process.js';
export { postgresConfig, redisConfig, serviceHint } from './services.js';
