import type { DetectorOptions } from './detection.js';

/** Alert levels, lowest first. */
export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;
/** How serious an alert is. */
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Where an alert is in its lifecycle. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** How a signal's value is computed from one series of a metric, per evaluation. */
export type SignalStat =
  /** Events per second: counter increase, or histogram count increase, over the interval. */
  | 'rate'
  /** Histogram sum / count over the interval. */
  | 'mean'
  /** Quantiles interpolated from the interval's histogram buckets. */
  | 'p50'
  | 'p95'
  | 'p99'
  | 'p999'
  /** Gauge or up-down counter value as it is (summed over merged points). */
  | 'value'
  /**
   * `numerator` / `denominator` over the interval: counter increases, or histogram counts, of the points
   * matching each filter.
   */
  | 'ratio';

/** Which deviation from the baseline is bad (the anomaly rule only alerts on that side). */
export type Direction = 'up' | 'down' | 'both';

/** Points match when every attribute listed has one of the values given (numbers match a `[min, max]`). */
export type PointFilter = Record<
  string,
  ReadonlyArray<string | number | boolean> | { min: number; max: number }
>;

/**
 * One watched signal: a metric, how its points are grouped into series, and the statistic computed per
 * series.
 * @example { id: 'orders.rate', metric: 'orders.created', stat: 'rate', groupBy: ['region'] }
 */
export interface SignalDefinition {
  /** Unique id, used by rules and in alerts and the `otel_perf.anomaly.score` metric. */
  id: string;
  /** The instrument name. */
  metric: string;
  stat: SignalStat;
  /**
   * Attributes that make a series; points that differ only in other attributes are merged (counts summed,
   * histograms added). `[]` is one series for the whole process.
   * @default every attribute of the point
   */
  groupBy?: readonly string[];
  /** Only points matching this filter are read. */
  where?: PointFilter;
  /** For `ratio`: the points counted above the line. */
  numerator?: PointFilter;
  /** For `ratio`: the points counted below the line. @default every point */
  denominator?: PointFilter;
  /** Which deviation the anomaly rule alerts on. @default 'up' */
  direction?: Direction;
  /**
   * Whether the anomaly rule (the streaming detector's score) alerts on this signal; the other rules and the
   * score metric are not affected. Off for on/off signals a threshold rule covers (breaker open).
   * @default true
   */
  detect?: boolean;
  /**
   * For `rate`, `mean`, quantiles and `ratio`: skip an interval with fewer events than this (a quantile of
   * three requests is noise).
   * @default 1 for rate, 5 otherwise
   */
  minEvents?: number;
}

/** Options shared by every rule. */
export interface RuleTiming {
  /** The condition must hold this long (consecutive evaluations) before the alert fires. */
  forMs?: number;
  /** Level of the alert. */
  level?: AlertLevel;
}

/** A comparison of a signal's value against a fixed threshold. */
export interface ThresholdRule extends RuleTiming {
  /** Unique rule name (shown as the alert's `rule`). */
  name: string;
  /** The signal id it reads. */
  signal: string;
  op: 'gt' | 'lt' | 'gte' | 'lte';
  value: number;
  /** Text put before the comparison in the alert's reason. @default the signal id */
  description?: string;
}

/** A built-in threshold rule: its threshold and timing (or `false` to turn it off). */
export interface BuiltinThreshold extends RuleTiming {
  threshold?: number;
}

/** The streaming-detector rule, applied to every watched series. */
export interface AnomalyRuleConfig {
  /** Score from which a `warning` alert fires. @default DEFAULT_ALERT_THRESHOLD of the detector */
  warning?: number;
  /** Score from which the alert is `critical`. @default halfway between `warning` and 1 */
  critical?: number;
  /** Consecutive time above `warning` before firing. @default 0 */
  forMs?: number;
  /** Time the score must stay below `warning` before the alert resolves. @default 60000 */
  resolveAfterMs?: number;
  /** After an alert fired for a series, no new anomaly alert fires for it for this long. @default 1800000 */
  restMs?: number;
}

/** Memory-leak rule: sustained growth from a least-squares slope over a window. */
export interface MemoryLeakRuleConfig extends RuleTiming {
  /** Signals read. @default ['v8js.memory.heap.used', 'process.memory.usage'] */
  signals?: readonly string[];
  /** Growth per hour, as a fraction of the window's mean, above which it fires. @default 0.1 */
  growthPerHour?: number;
  /** The regression window. @default 3600000 (1 h) */
  windowMs?: number;
  /** Minimum coefficient of determination of the fit (sustained growth, not a few spikes). @default 0.5 */
  minR2?: number;
}

/** Regression against the same series 24 h earlier (hourly means), or against a marked baseline. */
export interface RegressionRuleConfig extends RuleTiming {
  /** Signals compared. @default ['http.server.request.duration.p99', 'db.client.operation.duration.p99'] */
  signals?: readonly string[];
  /** Fires when the current hour's mean exceeds the reference by this factor. @default 1.5 */
  ratio?: number;
  /** Values the current hour must hold before comparing. @default 5 */
  minSamples?: number;
}

/** The built-in rules; `false` turns one off. */
export interface RulesConfig {
  /** `true` or an empty object: on with the defaults; `false`: off. */
  anomaly?: AnomalyRuleConfig | boolean;
  /** HTTP 5xx ratio. @default { threshold: 0.05, forMs: 60000, level: 'critical' } */
  errorRate?: BuiltinThreshold | boolean;
  /** HTTP p99 in seconds. @default { threshold: 5, forMs: 60000, level: 'critical' } */
  latency?: BuiltinThreshold | boolean;
  /** Process CPU utilization (0–1). @default { threshold: 0.8, forMs: 300000, level: 'warning' } */
  cpu?: BuiltinThreshold | boolean;
  /** Event-loop delay p99 in seconds. @default { threshold: 0.1, forMs: 60000, level: 'warning' } */
  eventLoopDelay?: BuiltinThreshold | boolean;
  /** A circuit breaker open. @default { threshold: 0, forMs: 0, level: 'warning' } (fires above 0) */
  breakerOpen?: BuiltinThreshold | boolean;
  memoryLeak?: MemoryLeakRuleConfig | boolean;
  regression?: RegressionRuleConfig | boolean;
}

/** Push to Alertmanager's v2 API. */
export interface AlertmanagerConfig {
  /** Base URL, for example `http://127.0.0.1:9093` (alerts go to `<url>/api/v2/alerts`). */
  url: string;
  /** Firing alerts are sent again this often (Alertmanager resolves alerts it stops hearing about). @default 60000 */
  resendMs?: number;
  /** Per-request timeout. @default 5000 */
  timeoutMs?: number;
  /** Labels added to every alert (for example `{ service: 'shop' }`). */
  labels?: Record<string, string>;
  /** Extra request headers (for example an `authorization` header). */
  headers?: Record<string, string>;
}

/** What changed: an alert started firing, resolved, or came back after a silence. */
export type AlertEvent = 'firing' | 'resolved';

/** Configuration of the anomaly processor: plain data. */
export interface AnomalyConfig {
  /** Options of the streaming detector each series gets (the shipped defaults are the ones scored on NAB). */
  detector?: DetectorOptions;
  /** How often the processor collects and evaluates, in ms (its timer is unref'd). @default 15000 */
  intervalMs?: number;
  /** Watched signals. @default DEFAULT_SIGNALS */
  signals?: readonly SignalDefinition[];
  /** Signals added to the defaults (instead of replacing them). */
  extraSignals?: readonly SignalDefinition[];
  /** Series watched at once; the least recently seen is dropped beyond. @default 10000 */
  maxSeries?: number;
  rules?: RulesConfig;
  /** User threshold rules. */
  thresholds?: readonly ThresholdRule[];
  /** New alerts (not re-notifications) allowed per minute; more are dropped and counted. @default 30 */
  maxAlertsPerMinute?: number;
  /** Resolved alerts kept for the API. @default 100 */
  historySize?: number;
  /**
   * Bearer token for the write routes of the HTTP API (acknowledge, silence, baseline), 16 characters at
   * least. Without one the write routes answer 403. The distro plugin falls back to the
   * `OTEL_PERF_ANOMALY_API_TOKEN` environment variable (keeps the secret out of the config file).
   */
  apiToken?: string;
  /** Where the HTTP API is mounted on the metrics server. @default '/api/alerts' */
  apiPath?: string;
  /** Push alerts to Alertmanager. */
  alertmanager?: AlertmanagerConfig;
  /** Called on every alert transition; a throwing or rejecting callback is reported to diag and ignored. */
  onAlert?: (alert: Alert, event: AlertEvent) => unknown;
  /** The clock (ms since epoch), for tests that run synthetic time. @default Date.now */
  now?: () => number;
}

/** One alert, as the API, callbacks and the dashboard see it (a copy: changing it changes nothing). */
export interface Alert {
  /** Unique id. */
  id: string;
  /** The rule's name (`anomaly`, `errorRate`, a user rule's name…). */
  rule: string;
  /** The signal id. */
  signal: string;
  /** The series, as `metric{attr="v",…}`. */
  series: string;
  /** The attributes that identify the series. */
  labels: Record<string, string>;
  /** The observed value that triggered (or, once resolved, the last observed value). */
  value: number;
  /** What the value was compared with: the detector baseline, the threshold, the reference… */
  baseline: number;
  /** Detector score (0–1) of the series at the time. */
  score: number;
  level: AlertLevel;
  /** Why, in words. */
  reason: string;
  state: AlertState;
  /** When the condition started (ISO 8601). */
  startsAt: string;
  /** When it fired (ISO 8601), once it has. */
  firedAt?: string;
  /** When it resolved (ISO 8601), once it has. */
  endsAt?: string;
  acknowledged: boolean;
  acknowledgedAt?: string;
  /** Silenced until (ISO 8601): no notification and not active while silenced. */
  silencedUntil?: string;
}
