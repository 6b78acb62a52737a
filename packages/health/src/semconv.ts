/**
 * Every metric and attribute name `@otel-perf/health` emits. No OpenTelemetry convention exists for health
 * checks, so these live in the `otel_perf.health` namespace.
 */

/** Status of each check: 1 pass, 0.5 warn, 0 fail, -1 unknown (did not run or timed out). Gauge. */
export const METRIC_HEALTH_CHECK_STATUS = 'otel_perf.health.check.status' as const;
/** How long each check took, in seconds. Histogram. */
export const METRIC_HEALTH_CHECK_DURATION = 'otel_perf.health.check.duration' as const;
/** Score 0–100 per component and overall (`otel_perf.health.component=_overall`). Gauge. */
export const METRIC_HEALTH_SCORE = 'otel_perf.health.score' as const;
/** 1 while the process reports ready, 0 while it does not (a dependency down, or draining). Gauge. */
export const METRIC_HEALTH_READY = 'otel_perf.health.ready' as const;

/** The check key, `component:measurement` (as in the IETF health-check draft). */
export const ATTR_HEALTH_CHECK = 'otel_perf.health.check' as const;
/** The component a check or score belongs to. */
export const ATTR_HEALTH_COMPONENT = 'otel_perf.health.component' as const;

/** The component name of the overall score. */
export const OVERALL_COMPONENT = '_overall' as const;

/** The `Content-Type` of every health response (draft-inadarei-api-health-check). */
export const HEALTH_CONTENT_TYPE = 'application/health+json' as const;

/** Every metric this package emits, for the README table test. */
export const HEALTH_METRICS = [
  METRIC_HEALTH_CHECK_STATUS,
  METRIC_HEALTH_CHECK_DURATION,
  METRIC_HEALTH_SCORE,
  METRIC_HEALTH_READY,
] as const;
