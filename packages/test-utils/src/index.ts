export type { Instrumented, MeterConsumer, TestMetrics, TestMetricsOptions } from './metrics.js';
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
  uniqueName,
  withInstrumentation,
} from './metrics.js';
export { close, listen, waitFor } from './net.js';
export type { NodeProcess, RunOptions } from './process.js';
export { runNode, runProcess } from './process.js';
export type { DocumentedMetric, Readme } from './readme.js';
export {
  expectAttributesTable,
  expectMetricsTable,
  readmeMetricNames,
  readReadme,
  ticked,
  valuesOf,
} from './readme.js';
export { postgresConfig, redisConfig, serviceHint } from './services.js';
export type { ThrowawayServer } from './throwaway.js';
export { freePort, startThrowawayPostgres, startThrowawayRedis } from './throwaway.js';
