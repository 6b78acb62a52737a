export { processCpuMs } from './cpu.js';
export { formatNumber, formatResult } from './format.js';
export type { LoadTestOptions, LoadTestResult } from './load.js';
export { loadTest, parseWrkOutput } from './load.js';
export type { MeasureOptions } from './measure.js';
export { measureNsPerOp } from './measure.js';
export { defaultResultsDir, findRepoRoot } from './paths.js';
export { runBench } from './run-bench.js';
export type { BenchServer, StartServerOptions } from './server.js';
export { freePort, startServer } from './server.js';
export { median, minMax, ratio, rotation, slugify } from './stats.js';
export type {
  BenchCase,
  BenchMetric,
  BenchOptions,
  BenchResult,
  BenchSample,
  CaseResult,
  MetricSummary,
} from './types.js';
