/**
 * Every metric and attribute name `@otel-perf/anomaly` emits. No OpenTelemetry convention exists for anomaly
 * detection, so these live in the `otel_perf.anomaly` namespace. The README metrics table is checked against
 * {@link ANOMALY_METRICS} by a test.
 */

/** Alerts firing now and not silenced, by level (`info`, `warning`, `critical`; 0 when none). Gauge. */
export const METRIC_ANOMALY_ALERTS_ACTIVE = 'otel_perf.anomaly.alerts.active' as const;
/** Highest detector score (0–1) over the series of each watched signal at the last evaluation. Gauge. */
export const METRIC_ANOMALY_SCORE = 'otel_perf.anomaly.score' as const;
/** Series watched now (bounded by `maxSeries`). Gauge. */
export const METRIC_ANOMALY_SERIES = 'otel_perf.anomaly.series' as const;
/** Series dropped to stay under `maxSeries` (least recently seen first). Counter. */
export const METRIC_ANOMALY_SERIES_EVICTED = 'otel_perf.anomaly.series.evicted' as const;
/** Alerts that fired, by rule and level. Counter. */
export const METRIC_ANOMALY_ALERTS_FIRED = 'otel_perf.anomaly.alerts.fired' as const;
/** New alerts refused by the rate limit. Counter. */
export const METRIC_ANOMALY_ALERTS_DROPPED = 'otel_perf.anomaly.alerts.dropped' as const;

/** The alert level: `info`, `warning` or `critical`. */
export const ATTR_ANOMALY_LEVEL = 'otel_perf.anomaly.level' as const;
/** The watched signal's id (for example `http.server.request.duration.p99`). */
export const ATTR_ANOMALY_SIGNAL = 'otel_perf.anomaly.signal' as const;
/** The rule's name (for example `errorRate`). */
export const ATTR_ANOMALY_RULE = 'otel_perf.anomaly.rule' as const;

/** Every metric this package emits, for the README table test. */
export const ANOMALY_METRICS = [
  METRIC_ANOMALY_ALERTS_ACTIVE,
  METRIC_ANOMALY_SCORE,
  METRIC_ANOMALY_SERIES,
  METRIC_ANOMALY_SERIES_EVICTED,
  METRIC_ANOMALY_ALERTS_FIRED,
  METRIC_ANOMALY_ALERTS_DROPPED,
] as const;

/** The diagnostics_channel the processor publishes every alert transition on (`{ event, alert }`). */
export const ALERT_CHANNEL = 'otel-perf:anomaly:alert' as const;

/** The instrumentation scope of the self-metrics; the processor never watches its own metrics. */
export const SCOPE_NAME = '@otel-perf/anomaly' as const;
