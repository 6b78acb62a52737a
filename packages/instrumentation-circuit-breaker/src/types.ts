import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { BREAKER_STATES, CALL_OUTCOMES, FALLBACK_CAUSES } from './semconv.js';

/** A breaker state: `closed`, `open`, `half_open`, `forced_open` (held open by hand) or `disabled`. */
export type BreakerState = (typeof BREAKER_STATES)[number];

/** How one call through a breaker ended: `success`, `failure`, `timeout`, `rejected` or `ignored`. */
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The outcome a fallback answered: `failure`, `timeout` or `rejected`. */
export type FallbackCause = (typeof FALLBACK_CAUSES)[number];

/** A breaker being measured. Calling the adapter again on the same breaker returns the same handle. */
export interface InstrumentedBreaker {
  /** The value of `circuit_breaker.name` on this breaker's metrics. */
  readonly name: string;
  /**
   * Stops measuring: removes every listener and wrapper this package added to the breaker, and stops
   * reporting its gauges. Counters already recorded keep their values. Idempotent.
   */
  dispose(): void;
}

/**
 * The part of an opossum `CircuitBreaker` the type checker sees; the adapter checks the rest at run time.
 * Any opossum 8, 9 or 10 breaker fits.
 */
export interface OpossumBreakerLike {
  readonly name: string;
  fire(...args: never[]): Promise<unknown>;
}

/** Options of {@link instrumentOpossum}. */
export interface OpossumInstrumentOptions {
  /**
   * The value of `circuit_breaker.name`.
   * @default the breaker's `name` (opossum's `options.name`, else the action's function name)
   */
  name?: string;
  /**
   * Seconds from which a call counts as slow. When set, `circuit_breaker.window.slow_call_ratio` is published
   * over a window the shape of the breaker's own (`rollingCountTimeout` in `rollingCountBuckets` slices).
   * Cost: one comparison per call and a few numbers per window slice.
   * @default undefined (no slow-call ratio)
   */
  slowCallThreshold?: number;
}

/** The part of a cockatiel `CircuitBreakerPolicy` the type checker sees; the rest is checked at run time. */
export interface CockatielBreakerLike {
  readonly state: number;
  onStateChange(listener: (state: number) => void): { dispose(): void };
}

/** A cockatiel policy with success and failure events (a `FallbackPolicy`, for {@link CockatielInstrumentOptions.fallback}). */
export interface CockatielPolicyLike {
  onFailure(listener: (event: { duration: number; handled: boolean; reason: unknown }) => void): {
    dispose(): void;
  };
}

/** Options of {@link instrumentCockatiel}. */
export interface CockatielInstrumentOptions {
  /** The value of `circuit_breaker.name` (cockatiel policies have no name of their own). Required. */
  name: string;
  /**
   * Seconds from which a call counts as slow; enables `circuit_breaker.window.slow_call_ratio` over a window
   * of the same size (`CountBreaker`) or duration (`SamplingBreaker`) as the breaker's.
   * @default undefined (no slow-call ratio)
   */
  slowCallThreshold?: number;
  /**
   * The `FallbackPolicy` that wraps this breaker, if any: each fallback it serves is counted on
   * `circuit_breaker.fallbacks` with the outcome it answered.
   * @default undefined
   */
  fallback?: CockatielPolicyLike;
}

/** The window a home-made breaker decides on, kept by the recorder. */
export type RecorderWindow =
  | {
      /** The last `size` calls. */
      type: 'count';
      size: number;
    }
  | {
      /** The calls of the last `seconds`, kept in `buckets` slices. */
      type: 'time';
      seconds: number;
      /** @default 10 */
      buckets?: number;
    };

/** What a home-made breaker's own window holds, when it reports it instead of letting the recorder keep one. */
export interface BreakerWindowSnapshot {
  /** Calls in the window. */
  calls: number;
  /** Failed calls in the window (failures and timeouts). */
  failures: number;
  /** Calls in the window at or over the slow-call threshold. Omit if the breaker has no such notion. */
  slowCalls?: number;
  /** Failures in a row, for breakers that open on consecutive failures. */
  consecutiveFailures?: number;
}

/** Options of {@link createBreakerRecorder}. */
export interface BreakerRecorderOptions {
  /** The value of `circuit_breaker.name`. Required. */
  name: string;
  /**
   * The states the breaker can be in; each is reported on `circuit_breaker.state` (0 when not current).
   * @default ['closed', 'open', 'half_open']
   */
  states?: readonly BreakerState[];
  /** @default 'closed' */
  initialState?: BreakerState;
  /**
   * The window the failure and slow-call ratios are computed over: kept by the recorder from the outcomes
   * it is given, or read from the breaker's own window by a function at each collection.
   * @default { type: 'count', size: 100 }
   */
  window?: RecorderWindow | (() => BreakerWindowSnapshot);
  /**
   * Calls the window must hold before the ratios are published with their value (0 before).
   * @default 0
   */
  minimumCalls?: number;
  /**
   * Seconds from which a call counts as slow (needs durations passed to `record`).
   * @default undefined (no slow-call ratio)
   */
  slowCallThreshold?: number;
  /** Configuration reported on `circuit_breaker.config` (seconds for times, 0..1 for ratios). */
  config?: {
    failureRatioThreshold?: number;
    consecutiveFailuresThreshold?: number;
    resetTimeout?: number;
    callTimeout?: number;
  };
}

/** Reports a home-made breaker's calls and states. Every method is safe to call on the hot path. */
export interface BreakerRecorder extends InstrumentedBreaker {
  /** The state last given to {@link BreakerRecorder.setState}. */
  readonly state: BreakerState;
  /**
   * Records one call. Give the duration (seconds) of every call that ran; a `rejected` call has none.
   * An unknown outcome is dropped with a diag warning.
   */
  record(outcome: CallOutcome, durationSeconds?: number): void;
  /** Records that a fallback answered a call that ended with `cause`. */
  fallback(cause: FallbackCause): void;
  /** Moves the breaker to `state`; counts a transition when it differs from the current one. */
  setState(state: BreakerState): void;
}

/** Configuration of {@link CircuitBreakerInstrumentation}. */
export interface CircuitBreakerInstrumentationConfig extends InstrumentationConfig {
  /**
   * Measure every opossum breaker constructed after the instrumentation is enabled (the `opossum` module must
   * be required after it: the preload does that). Each is measured under its `name`.
   * @default true
   */
  patchOpossum?: boolean;
  /**
   * Names an auto-instrumented opossum breaker; return undefined to leave it unmeasured. Runs through
   * `safeCall`: a throw leaves the breaker unmeasured and goes to the diag logger.
   * @default the breaker's `name`, except opossum's generated UUID names, which are left unmeasured
   */
  opossumName?: (breaker: OpossumBreakerLike) => string | undefined;
  /**
   * Slow-call threshold (seconds) for auto-instrumented opossum breakers.
   * @default undefined (no slow-call ratio)
   */
  slowCallThreshold?: number;
}
