import { type Attributes, diag } from '@opentelemetry/api';
import { safeAttributeValue } from '@otel-perf/core';
import { invalid, optionalSeconds, requiredName } from './guard.js';
import { BreakerHandle, registerHandle, type WindowReading } from './handle.js';
import {
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
  FALLBACK_CAUSES,
} from './semconv.js';
import type {
  BreakerRecorder,
  BreakerRecorderOptions,
  BreakerState,
  BreakerWindowSnapshot,
  CallOutcome,
  FallbackCause,
} from './types.js';
import { CountWindow, type RollingWindow, TimeWindow } from './window.js';

const WHERE = 'createBreakerRecorder';
const DEFAULT_STATES: readonly BreakerState[] = ['closed', 'open', 'half_open'];
const STATE_SET = new Set<string>(BREAKER_STATES);
const OUTCOME_SET = new Set<string>(CALL_OUTCOMES);
const CAUSE_SET = new Set<string>(FALLBACK_CAUSES);

const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const nonNegativeInt = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function validState(key: string, v: unknown): BreakerState {
  if (typeof v !== 'string' || !STATE_SET.has(v))
    invalid(WHERE, key, v, `one of ${BREAKER_STATES.join(', ')}`);
  return v as BreakerState;
}

interface Resolved {
  name: string;
  states: readonly BreakerState[];
  initialState: BreakerState;
  mirror: RollingWindow | undefined;
  snapshot: (() => BreakerWindowSnapshot) | undefined;
  minimumCalls: number;
  slowCallThreshold: number | undefined;
  config: Attributes;
}

/** Validates every option once, at construction; merges the defaults in one place. */
function resolve(options: BreakerRecorderOptions): Resolved {
  if (typeof options !== 'object' || options === null) invalid(WHERE, 'options', options, 'an object');
  const name = requiredName(WHERE, 'options.name', options.name);
  const states = options.states ?? DEFAULT_STATES;
  if (!Array.isArray(states) || states.length === 0) {
    invalid(WHERE, 'options.states', states, 'a non-empty array of breaker states');
  }
  for (const [i, s] of states.entries()) validState(`options.states[${i}]`, s);
  const initialState = validState('options.initialState', options.initialState ?? 'closed');
  const minimumCalls = options.minimumCalls ?? 0;
  if (!nonNegativeInt(minimumCalls)) invalid(WHERE, 'options.minimumCalls', minimumCalls, 'an integer >= 0');
  const slowCallThreshold = optionalSeconds(WHERE, 'options.slowCallThreshold', options.slowCallThreshold);
  const config: Attributes = {};
  let mirror: RollingWindow | undefined;
  let snapshot: (() => BreakerWindowSnapshot) | undefined;
  const window = options.window ?? { type: 'count', size: 100 };
  if (typeof window === 'function') {
    snapshot = window;
  } else if (window.type === 'count') {
    if (!positiveInt(window.size)) invalid(WHERE, 'options.window.size', window.size, 'a positive integer');
    mirror = new CountWindow(window.size);
    config[ATTR_CONFIG_WINDOW_TYPE] = 'count';
    config[ATTR_CONFIG_WINDOW_SIZE] = window.size;
  } else if (window.type === 'time') {
    const s = optionalSeconds(WHERE, 'options.window.seconds', window.seconds);
    if (s === undefined)
      invalid(WHERE, 'options.window.seconds', undefined, 'a positive finite number of seconds');
    const buckets = window.buckets ?? 10;
    if (!positiveInt(buckets)) invalid(WHERE, 'options.window.buckets', buckets, 'a positive integer');
    mirror = new TimeWindow(s * 1000, buckets);
    config[ATTR_CONFIG_WINDOW_TYPE] = 'time';
    config[ATTR_CONFIG_WINDOW_SIZE] = s;
  } else {
    invalid(
      WHERE,
      'options.window',
      window,
      "{ type: 'count', size } or { type: 'time', seconds } or a function",
    );
  }
  config[ATTR_CONFIG_MINIMUM_CALLS] = minimumCalls;
  if (slowCallThreshold !== undefined) config[ATTR_CONFIG_SLOW_CALL_THRESHOLD] = slowCallThreshold;
  const c = options.config ?? {};
  const ratio = c.failureRatioThreshold;
  if (ratio !== undefined) {
    if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) {
      invalid(WHERE, 'options.config.failureRatioThreshold', ratio, 'a number from 0 to 1');
    }
    config[ATTR_CONFIG_FAILURE_RATIO_THRESHOLD] = ratio;
  }
  const consecutive = c.consecutiveFailuresThreshold;
  if (consecutive !== undefined) {
    if (!positiveInt(consecutive)) {
      invalid(WHERE, 'options.config.consecutiveFailuresThreshold', consecutive, 'a positive integer');
    }
    config[ATTR_CONFIG_CONSECUTIVE_FAILURES_THRESHOLD] = consecutive;
  }
  const reset = optionalSeconds(WHERE, 'options.config.resetTimeout', c.resetTimeout);
  if (reset !== undefined) config[ATTR_CONFIG_RESET_TIMEOUT] = reset;
  const timeout = optionalSeconds(WHERE, 'options.config.callTimeout', c.callTimeout);
  if (timeout !== undefined) config[ATTR_CONFIG_CALL_TIMEOUT] = timeout;
  return { name, states, initialState, mirror, snapshot, minimumCalls, slowCallThreshold, config };
}

class Recorder implements BreakerRecorder {
  readonly name: string;
  private readonly handle: BreakerHandle | undefined;

  constructor(r: Resolved) {
    this.name = r.name;
    const self = new WeakRef<Recorder>(this);
    const readWindow = r.snapshot
      ? (): WindowReading | undefined => {
          const s = (r.snapshot as () => BreakerWindowSnapshot)();
          return { ...s, minimumCalls: r.minimumCalls };
        }
      : (nowMs: number): WindowReading | undefined => {
          const m = (r.mirror as RollingWindow).read(nowMs);
          return { calls: m.calls, failures: m.failures, minimumCalls: r.minimumCalls };
        };
    let handle: BreakerHandle | undefined;
    const registered = registerHandle(
      this,
      () =>
        new BreakerHandle(
          {
            name: safeAttributeValue(r.name),
            library: 'custom',
            states: r.states,
            // The recorder is the breaker here: its state is what it was told; gone once it is collected
            // (nothing registered may hold the recorder itself, or it would never be).
            readState: () => (self.deref() ? handle?.state : undefined),
            readWindow: (nowMs) => {
              try {
                return readWindow(nowMs);
              } catch (err) {
                diag.error(`otel-perf: window of circuit breaker ${r.name} threw`, err);
                return undefined;
              }
            },
            mirror: r.mirror,
            slowCallThreshold: r.slowCallThreshold,
            config: r.config,
          },
          r.initialState,
        ),
    );
    handle = registered?.handle;
    this.handle = handle;
  }

  get state(): BreakerState {
    return this.handle?.state ?? 'closed';
  }

  record(outcome: CallOutcome, durationSeconds?: number): void {
    if (!OUTCOME_SET.has(outcome)) {
      diag.warn(`otel-perf: circuit breaker ${this.name}: unknown outcome ${String(outcome)} dropped`);
      return;
    }
    this.handle?.recordCall(outcome, outcome === 'rejected' ? undefined : durationSeconds);
  }

  fallback(cause: FallbackCause): void {
    if (!CAUSE_SET.has(cause)) {
      diag.warn(`otel-perf: circuit breaker ${this.name}: unknown fallback cause ${String(cause)} dropped`);
      return;
    }
    this.handle?.recordFallback(cause);
  }

  setState(state: BreakerState): void {
    if (!STATE_SET.has(state)) {
      diag.warn(`otel-perf: circuit breaker ${this.name}: unknown state ${String(state)} dropped`);
      return;
    }
    this.handle?.moveTo(state);
  }

  dispose(): void {
    this.handle?.dispose();
  }
}

/**
 * A recorder for a home-made breaker: you tell it each call's outcome and each state change, and it publishes
 * the same metrics as the opossum and cockatiel adapters. It keeps the window the failure and slow-call ratios
 * are computed over (or reads your breaker's own, when `window` is a function).
 *
 * @throws TypeError when an option is invalid.
 * @example
 * ```ts
 * const recorder = createBreakerRecorder({ name: 'geo', window: { type: 'time', seconds: 30 }, minimumCalls: 20 });
 * const start = performance.now();
 * try {
 *   const value = await lookup();
 *   recorder.record('success', (performance.now() - start) / 1000);
 * } catch (err) {
 *   recorder.record('failure', (performance.now() - start) / 1000);
 * }
 * recorder.setState('open');
 * ```
 */
export function createBreakerRecorder(options: BreakerRecorderOptions): BreakerRecorder {
  return new Recorder(resolve(options));
}
