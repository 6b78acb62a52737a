import type { Histogram, MeterProvider, ObservableGauge } from '@opentelemetry/api';
import type { Health } from './health.js';
import { computeScores } from './score.js';
import {
  ATTR_HEALTH_CHECK,
  ATTR_HEALTH_COMPONENT,
  METRIC_HEALTH_CHECK_DURATION,
  METRIC_HEALTH_CHECK_STATUS,
  METRIC_HEALTH_READY,
  METRIC_HEALTH_SCORE,
  OVERALL_COMPONENT,
} from './semconv.js';

const STATUS_VALUE = { pass: 1, warn: 0.5, fail: 0 } as const;
const DURATION_BUCKETS = [0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

/**
 * Health as metrics on a MeterProvider: each check's status and duration, the scores, and readiness. All
 * gauges are read from the checks' last results at collection time (one batch callback), so collecting never
 * runs a check.
 */
export function recordHealthMetrics(
  health: Health,
  meterProvider: MeterProvider,
  version = '0.1.0',
): () => void {
  const meter = meterProvider.getMeter('@otel-perf/health', version);
  const duration: Histogram = meter.createHistogram(METRIC_HEALTH_CHECK_DURATION, {
    unit: 's',
    description: 'Duration of each health check.',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  const status: ObservableGauge = meter.createObservableGauge(METRIC_HEALTH_CHECK_STATUS, {
    unit: '1',
    description: 'Status of each health check: 1 pass, 0.5 warn, 0 fail, -1 unknown.',
  });
  const score: ObservableGauge = meter.createObservableGauge(METRIC_HEALTH_SCORE, {
    unit: '1',
    description: 'Health score 0-100 per component and overall.',
  });
  const ready: ObservableGauge = meter.createObservableGauge(METRIC_HEALTH_READY, {
    unit: '1',
    description: '1 while the process reports ready, 0 otherwise.',
  });
  const offResult = health.onResult((runner, result) => {
    if (result) duration.record(result.durationMs / 1000, { [ATTR_HEALTH_CHECK]: runner.key });
  });
  const callback = (observer: import('@opentelemetry/api').BatchObservableResult) => {
    const scored = [];
    let isReady = !health.draining;
    for (const runner of health.checks.values()) {
      const r = runner.lastResult;
      if (!r) continue;
      observer.observe(status, r.unknown ? -1 : STATUS_VALUE[r.status], { [ATTR_HEALTH_CHECK]: runner.key });
      scored.push({ component: runner.check.component, weight: runner.check.weight ?? 1, result: r });
      if (runner.check.ready && (r.unknown || r.status === 'fail')) isReady = false;
    }
    const scores = computeScores(scored);
    for (const [component, s] of Object.entries(scores.components)) {
      if (s !== null) observer.observe(score, s, { [ATTR_HEALTH_COMPONENT]: component });
    }
    if (scores.overall !== null)
      observer.observe(score, scores.overall, { [ATTR_HEALTH_COMPONENT]: OVERALL_COMPONENT });
    observer.observe(ready, isReady ? 1 : 0);
  };
  meter.addBatchObservableCallback(callback, [status, score, ready]);
  return () => {
    offResult();
    meter.removeBatchObservableCallback(callback, [status, score, ready]);
  };
}
