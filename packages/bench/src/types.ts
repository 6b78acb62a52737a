/** What a case's `run()` returns, and which direction is better. */
export interface BenchMetric {
  /** Printed in the table header and stored in the JSON, e.g. `ns/op`, `req/s`, `p99 ms`. */
  name: string;
  /** `higher` for throughput, `lower` for latency or time per operation. */
  better: 'higher' | 'lower';
}

/**
 * What `run()` may return: one number for `metric`, or that number plus figures for the `extraMetrics`
 * (for example `{ value: requestsPerSec, extra: { 'p99 ms': p99Ms } }`).
 */
export type BenchSample = number | { value: number; extra?: Record<string, number> };

/** One thing measured. */
export interface BenchCase {
  name: string;
  /** The case every other case is compared with. At most one case; without one the first case is used. */
  baseline?: boolean;
  /** Runs once, before the first round (start a server, build the data). */
  setup?: () => Promise<void> | void;
  /** Runs once per round and returns one measurement. */
  run: () => Promise<BenchSample> | BenchSample;
  /** Runs once, after the last round, also when a round failed. */
  teardown?: () => Promise<void> | void;
}

export interface BenchOptions {
  /** Printed above the table; its slug names the file `bench-results/<slug>.json`. */
  title: string;
  /**
   * Interleaved rounds: every case runs once per round, in an order rotated by one each round, so a
   * slow stretch of a shared machine hits every case instead of one.
   * @default 5
   */
  rounds?: number;
  /** What `run()` returns. */
  metric: BenchMetric;
  /** Further figures `run()` returns in `extra` (one table each). */
  extraMetrics?: BenchMetric[];
  cases: BenchCase[];
  /**
   * Rounds run first and thrown away (JIT warm-up, server caches).
   * @default 0
   */
  warmupRounds?: number;
  /**
   * Directory for the JSON file; `false` writes nothing.
   * @default `<repo root>/bench-results` (or `$OTEL_PERF_BENCH_RESULTS`)
   */
  outDir?: string | false;
  /** Where the table goes. @default process.stdout */
  print?: (text: string) => void;
}

/** Median, spread and ratio of one metric of one case. */
export interface MetricSummary {
  samples: number[];
  median: number;
  min: number;
  max: number;
  /** `median / baseline median` (1 for the baseline itself). */
  ratio: number;
}

export interface CaseResult extends MetricSummary {
  name: string;
  baseline: boolean;
  /** Summaries of `extraMetrics`, by metric name. */
  extra: Record<string, MetricSummary>;
}

export interface BenchResult {
  title: string;
  slug: string;
  metric: BenchMetric;
  extraMetrics: BenchMetric[];
  rounds: number;
  warmupRounds: number;
  baseline: string;
  /** Case order of every measured round (the rotation). */
  order: string[][];
  cases: CaseResult[];
  startedAt: string;
  durationMs: number;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; loadavg: number[] };
  /** Absolute path of the JSON file, when one was written. */
  file?: string;
}
