/** A check's verdict, as in the IETF health-check draft. */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/** What a check function returns. */
export interface CheckOutcome {
  status: HealthStatus;
  /** The value the verdict is based on (a number, or a string/boolean for non-numeric checks). */
  observedValue?: number | string | boolean;
  /** Unit of `observedValue` (`ms`, `percent`, `{connection}`...). */
  observedUnit?: string;
  /** Human-readable explanation; always set when the status is not `pass`. */
  output?: string;
  /**
   * Score 0–100 for this check. When omitted it follows the status: pass 100, warn 77.5 (the middle of the
   * default "watch" band), fail 0.
   */
  score?: number;
}

/** What a check function receives. */
export interface CheckContext {
  /** Aborted when the check's timeout passes; pass it to anything that accepts a signal. */
  signal: AbortSignal;
  /** The metric snapshot of this evaluation, when the health instance has a snapshot source. */
  metrics?: MetricSnapshot;
}

/** A health check: one measurement of one component. */
export interface HealthCheck {
  /** Component the check belongs to (`postgres`, `eventloop`, `memory`...). Scores are per component. */
  component: string;
  /** What is measured (`delay`, `heap`, `connections`...). The check key is `component:measurement`. */
  measurement: string;
  /**
   * The check. A throw or rejection is a `fail` with the error message as output. Returning `undefined` means
   * "not applicable now" (for example a metric-based check whose metrics are absent): the check is left out of
   * the response and the scores.
   */
  run(context: CheckContext): CheckOutcome | undefined | Promise<CheckOutcome | undefined>;
  /**
   * Whether `/health/ready` depends on this check (a database: yes; event-loop delay: no).
   * @default false
   */
  ready?: boolean;
  /**
   * The check is cut after this long and counted as unknown (never as healthy).
   * @default 1000
   */
  timeoutMs?: number;
  /**
   * Run in the background every `intervalMs` and serve the last result with its age, so a probe storm never
   * reaches the dependency. 0 runs the check on each request (for cheap, in-process checks only).
   * @default 0
   */
  intervalMs?: number;
  /**
   * Weight of this check in its component's score.
   * @default 1
   */
  weight?: number;
  /** `componentId` reported in the body (a host name, a pool name...). */
  componentId?: string;
  /** `componentType` reported in the body. @default 'component' */
  componentType?: string;
}

/** The result of one check, as served under `checks["component:measurement"]`. */
export interface CheckResult {
  componentId?: string;
  componentType: string;
  status: HealthStatus;
  /** True when the check timed out, failed to finish by the deadline, or has not run yet: never healthy. */
  unknown: boolean;
  observedValue?: number | string | boolean;
  observedUnit?: string;
  output?: string;
  /** ISO time the result was produced. */
  time: string;
  /** Duration of the check in milliseconds. */
  durationMs: number;
  /** 0–100, or null when unknown. */
  score: number | null;
}

/** A point-in-time view of the metrics on the provider, keyed by metric name. */
export interface MetricSnapshot {
  /** Collection time (ms since epoch). */
  time: number;
  metrics: Record<string, SnapshotMetric>;
}

/** One metric of a snapshot: its points as plain data. */
export interface SnapshotMetric {
  unit: string;
  type: 'sum' | 'gauge' | 'histogram';
  points: SnapshotPoint[];
}

/** One data point: `value` for sums and gauges; `count`, `sum` and `buckets` for histograms. */
export interface SnapshotPoint {
  attributes: Record<string, unknown>;
  value?: number;
  count?: number;
  sum?: number;
  buckets?: { boundaries: number[]; counts: number[] };
}

/** Score bands (0–100): at or above `healthy` the status is pass, at or above `watch` warn, below it fail. */
export interface ScoreBands {
  /** @default 85 */
  healthy: number;
  /** @default 70 */
  watch: number;
}

/** Configuration of {@link createHealth}: plain data plus check functions. */
export interface HealthConfig {
  /** Checks in addition to the built-ins. */
  checks?: HealthCheck[];
  /**
   * Built-in checks to leave out, by key (`eventloop:delay`, `memory:heap`, ...).
   * @default []
   */
  disable?: string[];
  /**
   * How long `/health/ready` answers 503 after SIGTERM or SIGINT before the app's own handlers run, so a load
   * balancer stops sending traffic first. 0 turns the drain off. The signal is never swallowed: after the
   * delay the app's handlers run, or, when it has none, the process dies of the signal as it would have.
   * @default 0
   */
  drainDelayMs?: number;
  /**
   * Deadline of one request: checks still running after it are reported unknown.
   * @default 2000
   */
  requestDeadlineMs?: number;
  /** Score bands. @default { healthy: 85, watch: 70 } */
  bands?: ScoreBands;
  /** Route prefix. @default '/health' */
  basePath?: string;
  /**
   * How snapshot-based checks get metrics: a function returning the current snapshot (the health plugin wires
   * its own reader here). Without it, or while their metrics are absent, the metric-based checks (pg pool,
   * cache hit ratio, circuit breakers, runtime event-loop delay) are left out.
   */
  snapshot?: () => Promise<MetricSnapshot | undefined>;
  /**
   * (health plugin) How long one metric snapshot is reused by the checks, however many probes arrive.
   * @default 1000
   */
  snapshotMaxAgeMs?: number;
  /** Active anomaly alerts, for the `anomaly:alerts` check (the distro wires the anomaly processor here). */
  alerts?: () => ReadonlyArray<{ level: string }>;
}
