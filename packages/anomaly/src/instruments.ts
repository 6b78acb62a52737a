import type { BatchObservableResult, MeterProvider } from '@opentelemetry/api';
import type { AnomalyProcessor } from './processor.js';
import {
  ATTR_ANOMALY_LEVEL,
  ATTR_ANOMALY_RULE,
  ATTR_ANOMALY_SIGNAL,
  METRIC_ANOMALY_ALERTS_ACTIVE,
  METRIC_ANOMALY_ALERTS_DROPPED,
  METRIC_ANOMALY_ALERTS_FIRED,
  METRIC_ANOMALY_SCORE,
  METRIC_ANOMALY_SERIES,
  METRIC_ANOMALY_SERIES_EVICTED,
  SCOPE_NAME,
} from './semconv.js';
import { ALERT_LEVELS } from './types.js';
import { PACKAGE_VERSION } from './version.js';

/**
 * Registers the processor's metrics about itself on `meterProvider` (one batch callback); returns a function
 * that removes the callback.
 */
export function recordAnomalyMetrics(processor: AnomalyProcessor, meterProvider: MeterProvider): () => void {
  const meter = meterProvider.getMeter(SCOPE_NAME, PACKAGE_VERSION);
  const active = meter.createObservableGauge(METRIC_ANOMALY_ALERTS_ACTIVE, {
    description: 'Alerts firing now and not silenced, by level.',
    unit: '{alert}',
  });
  const score = meter.createObservableGauge(METRIC_ANOMALY_SCORE, {
    description: 'Highest anomaly score (0-1) over the series of each watched signal at the last evaluation.',
    unit: '1',
  });
  const series = meter.createObservableUpDownCounter(METRIC_ANOMALY_SERIES, {
    description: 'Series watched now.',
    unit: '{series}',
  });
  const evicted = meter.createObservableCounter(METRIC_ANOMALY_SERIES_EVICTED, {
    description: 'Series dropped to stay under maxSeries, least recently seen first.',
    unit: '{series}',
  });
  const fired = meter.createObservableCounter(METRIC_ANOMALY_ALERTS_FIRED, {
    description: 'Alerts that fired, by rule and level.',
    unit: '{alert}',
  });
  const dropped = meter.createObservableCounter(METRIC_ANOMALY_ALERTS_DROPPED, {
    description: 'New alerts refused by the rate limit.',
    unit: '{alert}',
  });
  const callback = (r: BatchObservableResult) => {
    const byLevel = processor.activeByLevel();
    for (const level of ALERT_LEVELS) r.observe(active, byLevel[level], { [ATTR_ANOMALY_LEVEL]: level });
    processor.signals.forEach((s, i) => {
      const v = processor.scores[i] as number;
      if (!Number.isNaN(v)) r.observe(score, v, { [ATTR_ANOMALY_SIGNAL]: s.id });
    });
    const st = processor.seriesStats();
    r.observe(series, st.watched);
    r.observe(evicted, st.evicted);
    const a = processor.alertStats();
    for (const [k, n] of a.fired) {
      const [rule, level] = k.split('\u0003');
      r.observe(fired, n, { [ATTR_ANOMALY_RULE]: rule ?? '', [ATTR_ANOMALY_LEVEL]: level ?? '' });
    }
    r.observe(dropped, a.dropped);
  };
  const instruments = [active, score, series, evicted, fired, dropped];
  meter.addBatchObservableCallback(callback, instruments);
  return () => meter.removeBatchObservableCallback(callback, instruments);
}
