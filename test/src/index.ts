export { buildCollector, COLLECTOR_DIR, REPO_ROOT, requireBinary, SERVER_BINARIES } from './binaries.js';
export type { ServerProcess } from './processes.js';
export { running, startServer } from './processes.js';
export type { CheckMetricsResult, PromQueryResponse, PromSample } from './prometheus.js';
export { promtoolCheckMetrics, queryPrometheus, queryScalar, queryVector } from './prometheus.js';
export type { AlertmanagerWebhook, Stack, StackOptions } from './stack.js';
export { startStack } from './stack.js';
