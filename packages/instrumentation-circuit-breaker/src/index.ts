export { instrumentCockatiel } from './cockatiel.js';
export { CircuitBreakerInstrumentation, SUPPORTED_OPOSSUM_VERSIONS } from './instrumentation.js';
export { instrumentOpossum } from './opossum.js';
export { createBreakerRecorder } from './recorder.js';
export { MAX_BREAKERS } from './registry.js';
export type { InstrumentKind, MetricDescriptor } from './semconv.js';
export {
  ATTR_CIRCUIT_BREAKER_CALL_OUTCOME,
  ATTR_CIRCUIT_BREAKER_LIBRARY,
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_CIRCUIT_BREAKER_STATE_FROM,
  ATTR_CIRCUIT_BREAKER_STATE_TO,
  ATTR_CONFIG_CALL_TIMEOUT,
  ATTR_CONFIG_CONSECUTIVE_FAILURES_THRESHOLD,
  ATTR_CONFIG_FAILURE_RATIO_THRESHOLD,
  ATTR_CONFIG_MINIMUM_CALLS,
  ATTR_CONFIG_RESET_TIMEOUT,
  ATTR_CONFIG_SLOW_CALL_THRESHOLD,
  ATTR_CONFIG_WINDOW_SIZE,
  ATTR_CONFIG_WINDOW_TYPE,
  BREAKER_STATES,
  CALL_OUTCOMES,
  CIRCUIT_BREAKER_METRICS,
  FALLBACK_CAUSES,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
  METRIC_CIRCUIT_BREAKER_CALLS,
  METRIC_CIRCUIT_BREAKER_CONFIG,
  METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES,
  METRIC_CIRCUIT_BREAKER_FALLBACKS,
  METRIC_CIRCUIT_BREAKER_OPEN_TIME,
  METRIC_CIRCUIT_BREAKER_STATE,
  METRIC_CIRCUIT_BREAKER_TRANSITIONS,
  METRIC_CIRCUIT_BREAKER_WINDOW_CALLS,
  METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO,
  METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO,
} from './semconv.js';
export type {
  BreakerRecorder,
  BreakerRecorderOptions,
  BreakerState,
  BreakerWindowSnapshot,
  CallOutcome,
  CircuitBreakerInstrumentationConfig,
  CockatielBreakerLike,
  CockatielInstrumentOptions,
  CockatielPolicyLike,
  FallbackCause,
  InstrumentedBreaker,
  OpossumBreakerLike,
  OpossumInstrumentOptions,
  RecorderWindow,
} from './types.js';
