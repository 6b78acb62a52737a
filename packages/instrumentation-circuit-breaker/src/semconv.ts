import type { MetricDescriptor as CoreMetricDescriptor } from '@otel-perf/core';
/**
 * Every metric and attribute name this package emits. OpenTelemetry has no semantic convention for circuit
 * breakers; these names are ours, anchored on resilience4j's Micrometer metrics (state, calls by kind,
 * not-permitted calls, failure and slow-call rates) and Polly's telemetry events, with these fixes:
 *
 * - a transitions counter next to the state gauge, so an OPEN shorter than a scrape interval is still seen;
 * - `rejected` is an outcome of `circuit_breaker.calls`, not a separate metric, so one `sum` gives every call;
 * - a fallback is counted on its own counter, keyed by the outcome it answered, so a fallback neither hides a
 *   failure from the failure ratio nor counts a call twice;
 * - call durations are an aggregatable histogram in seconds (not a per-process summary in milliseconds);
 * - window ratios are 0..1 and read 0 (never −1, never NaN) until the window holds the breaker's minimum
 *   number of calls, with the window's call count published next to them.
 *
 * The README's metrics table is checked against {@link CIRCUIT_BREAKER_METRICS} by a test.
 */

/** The breaker's name: opossum's `name`, or the name given to an adapter. Present on every metric. */
export const ATTR_CIRCUIT_BREAKER_NAME = 'circuit_breaker.name' as const;
/** A breaker state, one of {@link BREAKER_STATES}. */
export const ATTR_CIRCUIT_BREAKER_STATE = 'circuit_breaker.state' as const;
/** The state a transition left. */
export const ATTR_CIRCUIT_BREAKER_STATE_FROM = 'circuit_breaker.state_from' as const;
/** The state a transition entered. */
export const ATTR_CIRCUIT_BREAKER_STATE_TO = 'circuit_breaker.state_to' as const;
/** How a call through the breaker ended, one of {@link CALL_OUTCOMES}. */
export const ATTR_CIRCUIT_BREAKER_CALL_OUTCOME = 'circuit_breaker.call.outcome' as const;
/** The breaker library: `opossum`, `cockatiel` or `custom` (a home-made breaker using the recorder). */
export const ATTR_CIRCUIT_BREAKER_LIBRARY = 'circuit_breaker.library' as const;

/** Failure ratio (0..1) above which the breaker opens. */
export const ATTR_CONFIG_FAILURE_RATIO_THRESHOLD = 'circuit_breaker.config.failure_ratio_threshold' as const;
/** Number of consecutive failures at which the breaker opens (consecutive breakers). */
export const ATTR_CONFIG_CONSECUTIVE_FAILURES_THRESHOLD =
  'circuit_breaker.config.consecutive_failures_threshold' as const;
/** Calls the window must hold before the breaker may open. */
export const ATTR_CONFIG_MINIMUM_CALLS = 'circuit_breaker.config.minimum_calls' as const;
/** `time`, `count` or `consecutive`. */
export const ATTR_CONFIG_WINDOW_TYPE = 'circuit_breaker.config.window_type' as const;
/** Window length: seconds for a `time` window, calls for a `count` window. */
export const ATTR_CONFIG_WINDOW_SIZE = 'circuit_breaker.config.window_size' as const;
/** Seconds the breaker stays open before it lets a trial call through. */
export const ATTR_CONFIG_RESET_TIMEOUT = 'circuit_breaker.config.reset_timeout' as const;
/** Seconds after which the breaker times a call out. */
export const ATTR_CONFIG_CALL_TIMEOUT = 'circuit_breaker.config.call_timeout' as const;
/** Seconds from which a call counts as slow for `circuit_breaker.window.slow_call_ratio`. */
export const ATTR_CONFIG_SLOW_CALL_THRESHOLD = 'circuit_breaker.config.slow_call_threshold' as const;

/** Every state a breaker can report. Each adapter reports the subset its library has. */
export const BREAKER_STATES = ['closed', 'open', 'half_open', 'forced_open', 'disabled'] as const;

/**
 * Every value of `circuit_breaker.call.outcome` on `circuit_breaker.calls`; each call has exactly one.
 * - `success`: the call ran and the breaker counted it as a success.
 * - `failure`: the call ran and failed, and the breaker counted the failure.
 * - `timeout`: the breaker (or a timeout policy inside it) gave up waiting for the call.
 * - `rejected`: the breaker refused the call without running it (open, forced open, or out of capacity).
 * - `ignored`: the call failed with an error the breaker was told to ignore (opossum `errorFilter`,
 *   cockatiel errors its policy does not handle): not a failure for the breaker, not a success for the app.
 */
export const CALL_OUTCOMES = ['success', 'failure', 'timeout', 'rejected', 'ignored'] as const;

/** Outcomes a fallback can answer; the value of `circuit_breaker.call.outcome` on `circuit_breaker.fallbacks`. */
export const FALLBACK_CAUSES = ['failure', 'timeout', 'rejected'] as const;

/** Breakers of this name in each state (1 for the current state of a single breaker, 0 for the others). */
export const METRIC_CIRCUIT_BREAKER_STATE = 'circuit_breaker.state' as const;
/** State changes, counted as they happen. */
export const METRIC_CIRCUIT_BREAKER_TRANSITIONS = 'circuit_breaker.transitions' as const;
/** Calls through the breaker, by outcome. */
export const METRIC_CIRCUIT_BREAKER_CALLS = 'circuit_breaker.calls' as const;
/** Duration of calls that ran (every outcome except `rejected`). */
export const METRIC_CIRCUIT_BREAKER_CALL_DURATION = 'circuit_breaker.call.duration' as const;
/** Calls answered by a fallback, by the outcome the fallback answered. */
export const METRIC_CIRCUIT_BREAKER_FALLBACKS = 'circuit_breaker.fallbacks' as const;
/** Calls in the breaker's window now. */
export const METRIC_CIRCUIT_BREAKER_WINDOW_CALLS = 'circuit_breaker.window.calls' as const;
/** Failed share of the calls in the breaker's window, as the breaker computes it. */
export const METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO = 'circuit_breaker.window.failure_ratio' as const;
/** Share of the calls in the window slower than the slow-call threshold. */
export const METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO =
  'circuit_breaker.window.slow_call_ratio' as const;
/** Failures in a row, for breakers that trip on consecutive failures. */
export const METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES = 'circuit_breaker.consecutive_failures' as const;
/** Total time spent open or forced open. */
export const METRIC_CIRCUIT_BREAKER_OPEN_TIME = 'circuit_breaker.open.time' as const;
/** Always 1; the breaker's configuration is in its attributes. */
export const METRIC_CIRCUIT_BREAKER_CONFIG = 'circuit_breaker.config' as const;

/** The kinds of OpenTelemetry instrument behind this package's metrics. */
export type InstrumentKind =
  | 'Counter'
  | 'Histogram'
  | 'ObservableCounter'
  | 'ObservableUpDownCounter'
  | 'ObservableGauge';

/** One metric this package emits (attributes besides `circuit_breaker.name`): the single source for instrument creation and the README table. */
export type MetricDescriptor = CoreMetricDescriptor<InstrumentKind>;

/** Every metric this package emits. */
export const CIRCUIT_BREAKER_METRICS = [
  {
    name: METRIC_CIRCUIT_BREAKER_STATE,
    instrument: 'ObservableUpDownCounter',
    unit: '{breaker}',
    description:
      'Breakers of this name in each state: 1 for the current state of a single breaker, 0 for the others.',
    attributes: [ATTR_CIRCUIT_BREAKER_STATE],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_TRANSITIONS,
    instrument: 'Counter',
    unit: '{transition}',
    description:
      'State changes of the breaker, counted as they happen (an OPEN shorter than a scrape shows here).',
    attributes: [ATTR_CIRCUIT_BREAKER_STATE_FROM, ATTR_CIRCUIT_BREAKER_STATE_TO],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_CALLS,
    instrument: 'Counter',
    unit: '{call}',
    description: 'Calls through the breaker by outcome: success, failure, timeout, rejected or ignored.',
    attributes: [ATTR_CIRCUIT_BREAKER_CALL_OUTCOME],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_CALL_DURATION,
    instrument: 'Histogram',
    unit: 's',
    description: 'Duration of calls that ran through the breaker (rejected calls are not recorded).',
    attributes: [ATTR_CIRCUIT_BREAKER_CALL_OUTCOME],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_FALLBACKS,
    instrument: 'Counter',
    unit: '{call}',
    description:
      'Calls answered by a fallback, by the outcome the fallback answered (failure, timeout, rejected).',
    attributes: [ATTR_CIRCUIT_BREAKER_CALL_OUTCOME],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_WINDOW_CALLS,
    instrument: 'ObservableUpDownCounter',
    unit: '{call}',
    description: "Calls in the breaker's own window now.",
    attributes: [],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO,
    instrument: 'ObservableGauge',
    unit: '1',
    description:
      "Failed share (0..1) of the calls in the breaker's window; 0 until the window holds its minimum calls.",
    attributes: [],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO,
    instrument: 'ObservableGauge',
    unit: '1',
    description:
      'Share (0..1) of the calls in the window at or over the slow-call threshold; 0 until the minimum calls.',
    attributes: [],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES,
    instrument: 'ObservableGauge',
    unit: '{call}',
    description: 'Failures in a row, for breakers that open on consecutive failures.',
    attributes: [],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_OPEN_TIME,
    instrument: 'ObservableCounter',
    unit: 's',
    description: 'Total time the breaker spent open or forced open.',
    attributes: [],
  },
  {
    name: METRIC_CIRCUIT_BREAKER_CONFIG,
    instrument: 'ObservableGauge',
    unit: '',
    description:
      "Always 1: the breaker's library and configuration (thresholds, window, reset timeout) as attributes.",
    attributes: [
      ATTR_CIRCUIT_BREAKER_LIBRARY,
      ATTR_CONFIG_FAILURE_RATIO_THRESHOLD,
      ATTR_CONFIG_CONSECUTIVE_FAILURES_THRESHOLD,
      ATTR_CONFIG_MINIMUM_CALLS,
      ATTR_CONFIG_WINDOW_TYPE,
      ATTR_CONFIG_WINDOW_SIZE,
      ATTR_CONFIG_RESET_TIMEOUT,
      ATTR_CONFIG_CALL_TIMEOUT,
      ATTR_CONFIG_SLOW_CALL_THRESHOLD,
    ],
  },
] as const satisfies readonly MetricDescriptor[];
