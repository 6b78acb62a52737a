export type { AlertFilter } from './alerts.js';
export { alertRoutes } from './api.js';
export type { Detector, DetectorOptions } from './detection.js';
export { createDetector, DEFAULT_ALERT_THRESHOLD } from './detection.js';
export { recordAnomalyMetrics } from './instruments.js';
export type { AlertMessage } from './notify.js';
export { toAlertmanager } from './notify.js';
export type { AnomalyPlugin } from './plugin.js';
export { anomalyPlugin } from './plugin.js';
export { AnomalyProcessor } from './processor.js';
export {
  ALERT_CHANNEL,
  ANOMALY_METRICS,
  ATTR_ANOMALY_LEVEL,
  ATTR_ANOMALY_RULE,
  ATTR_ANOMALY_SIGNAL,
  METRIC_ANOMALY_ALERTS_ACTIVE,
  METRIC_ANOMALY_ALERTS_DROPPED,
  METRIC_ANOMALY_ALERTS_FIRED,
  METRIC_ANOMALY_SCORE,
  METRIC_ANOMALY_SERIES,
  METRIC_ANOMALY_SERIES_EVICTED,
} from './semconv.js';
export { DEFAULT_SIGNALS } from './signals.js';
export type {
  Alert,
  AlertEvent,
  AlertLevel,
  AlertmanagerConfig,
  AlertState,
  AnomalyConfig,
  AnomalyRuleConfig,
  BuiltinThreshold,
  Direction,
  MemoryLeakRuleConfig,
  PointFilter,
  RegressionRuleConfig,
  RulesConfig,
  SignalDefinition,
  SignalStat,
  ThresholdRule,
} from './types.js';
export { ALERT_LEVELS } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
