import { type Attributes, diag } from '@opentelemetry/api';
import { safeAttributeValue } from '@otel-perf/core';
import { guarded, invalid, optionalSeconds, requiredName } from './guard.js';
import { BreakerHandle, registerHandle, type WindowReading } from './handle.js';
import {
  ATTR_CONFIG_CONSECUTIVE_FAILURES_THRESHOLD,
  ATTR_CONFIG_FAILURE_RATIO_THRESHOLD,
  ATTR_CONFIG_MINIMUM_CALLS,
  ATTR_CONFIG_RESET_TIMEOUT,
  ATTR_CONFIG_SLOW_CALL_THRESHOLD,
  ATTR_CONFIG_WINDOW_SIZE,
  ATTR_CONFIG_WINDOW_TYPE,
} from './semconv.js';
import type {
  BreakerState,
  CallOutcome,
  CockatielBreakerLike,
  CockatielInstrumentOptions,
  FallbackCause,
  InstrumentedBreaker,
} from './types.js';
import { CountWindow, type RollingWindow, TimeWindow } from './window.js';

type Disposable = { dispose(): void };
type Subscribe<T> = (listener: (event: T) => void) => Disposable;
interface FailureEvent {
  duration: number;
  handled: boolean;
  reason: { error: unknown } | { value: unknown };
}
type Execute = (fn: (...args: unknown[]) => unknown, ...rest: unknown[]) => Promise<unknown>;

/** What we read from a cockatiel `CircuitBreakerPolicy` (3.x and 4.x). */
interface CockatielInternals {
  readonly state: number;
  readonly onStateChange: Subscribe<number>;
  readonly onSuccess: Subscribe<{ duration: number }>;
  readonly onFailure: Subscribe<FailureEvent>;
  execute: Execute;
  /** Private in cockatiel's types, read only to describe the breaker's window and configuration. */
  readonly options?: { breaker?: unknown; halfOpenAfter?: unknown };
}

/** The breakers cockatiel ships, told apart by their fields (their classes may come from another copy). */
type BreakerKind =
  | {
      kind: 'count';
      b: {
        samples: unknown[];
        successes: number;
        failures: number;
        minimumNumberOfCalls: number;
        threshold: number;
      };
    }
  | {
      kind: 'sampling';
      b: {
        windows: { startedAt: number; successes: number; failures: number }[];
        duration: number;
        minimumRpms: number;
        threshold: number;
      };
    }
  | { kind: 'consecutive'; b: { state: number; threshold: number } }
  | { kind: 'unknown' };

const STATES: readonly BreakerState[] = ['closed', 'open', 'half_open', 'forced_open'];
// cockatiel's CircuitState enum: Closed, Open, HalfOpen, Isolated.
const STATE_BY_VALUE: readonly BreakerState[] = ['closed', 'open', 'half_open', 'forced_open'];
const WHERE = 'instrumentCockatiel';
/** Marks the function our execute wrapper passes on, so a re-entrant execute (half-open retry) counts once. */
const OURS = Symbol('otel-perf.cockatiel.call');

const flag = (err: unknown, key: string) =>
  typeof err === 'object' && err !== null && (err as Record<string, unknown>)[key] === true;
/** BrokenCircuitError, and IsolatedCircuitError which extends it. */
const isRejection = (err: unknown) =>
  flag(err, 'isBrokenCircuitError') || flag(err, 'isIsolatedCircuitError');
const isCancelled = (err: unknown) => flag(err, 'isTaskCancelledError');

function isCockatiel(p: unknown): p is CockatielInternals {
  const x = p as Partial<CockatielInternals> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.state === 'number' &&
    typeof x.onStateChange === 'function' &&
    typeof x.onSuccess === 'function' &&
    typeof x.onFailure === 'function' &&
    typeof x.execute === 'function'
  );
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function kindOf(breaker: unknown): BreakerKind {
  const b = breaker as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null) return { kind: 'unknown' };
  if (
    Array.isArray(b.samples) &&
    num(b.successes) &&
    num(b.failures) &&
    num(b.minimumNumberOfCalls) &&
    num(b.threshold)
  ) {
    return { kind: 'count', b: b as Extract<BreakerKind, { kind: 'count' }>['b'] };
  }
  if (Array.isArray(b.windows) && num(b.duration) && num(b.minimumRpms) && num(b.threshold)) {
    return { kind: 'sampling', b: b as Extract<BreakerKind, { kind: 'sampling' }>['b'] };
  }
  if (num(b.state) && num(b.threshold)) {
    return { kind: 'consecutive', b: b as Extract<BreakerKind, { kind: 'consecutive' }>['b'] };
  }
  return { kind: 'unknown' };
}

/** The breaker's own window, read the way it decides (sampling windows older than `duration` are skipped). */
function windowReader(k: BreakerKind): ((nowMs: number) => WindowReading) | undefined {
  switch (k.kind) {
    case 'count':
      return () => ({
        calls: k.b.successes + k.b.failures,
        failures: k.b.failures,
        minimumCalls: k.b.minimumNumberOfCalls,
      });
    case 'sampling': {
      const minimumCalls = Math.ceil(k.b.duration * k.b.minimumRpms);
      return () => {
        // cockatiel stamps its windows with Date.now().
        const since = Date.now() - k.b.duration;
        let calls = 0;
        let failures = 0;
        for (const w of k.b.windows) {
          if (w.startedAt <= since) continue;
          calls += w.successes + w.failures;
          failures += w.failures;
        }
        return { calls, failures, minimumCalls };
      };
    }
    case 'consecutive':
      return () => ({ consecutiveFailures: k.b.state });
    default:
      return undefined;
  }
}

function configOf(k: BreakerKind, halfOpenAfter: unknown, slowCallThreshold: number | undefined): Attributes {
  const config: Attributes = {};
  switch (k.kind) {
    case 'count':
      config[ATTR_CONFIG_WINDOW_TYPE] = 'count';
      config[ATTR_CONFIG_WINDOW_SIZE] = k.b.samples.length;
      config[ATTR_CONFIG_FAILURE_RATIO_THRESHOLD] = k.b.threshold;
      config[ATTR_CONFIG_MINIMUM_CALLS] = k.b.minimumNumberOfCalls;
      break;
    case 'sampling':
      config[ATTR_CONFIG_WINDOW_TYPE] = 'time';
      config[ATTR_CONFIG_WINDOW_SIZE] = k.b.duration / 1000;
      config[ATTR_CONFIG_FAILURE_RATIO_THRESHOLD] = k.b.threshold;
      config[ATTR_CONFIG_MINIMUM_CALLS] = Math.ceil(k.b.duration * k.b.minimumRpms);
      break;
    case 'consecutive':
      config[ATTR_CONFIG_WINDOW_TYPE] = 'consecutive';
      config[ATTR_CONFIG_CONSECUTIVE_FAILURES_THRESHOLD] = k.b.threshold;
      break;
  }
  if (num(halfOpenAfter)) config[ATTR_CONFIG_RESET_TIMEOUT] = halfOpenAfter / 1000;
  if (slowCallThreshold !== undefined) config[ATTR_CONFIG_SLOW_CALL_THRESHOLD] = slowCallThreshold;
  return config;
}

function mirrorOf(k: BreakerKind): RollingWindow | undefined {
  if (k.kind === 'count') return new CountWindow(k.b.samples.length);
  if (k.kind === 'sampling') return new TimeWindow(k.b.duration, k.b.windows.length);
  return undefined;
}

function causeOf(reason: unknown): FallbackCause {
  if (typeof reason === 'object' && reason !== null && 'error' in reason) {
    const err = (reason as { error: unknown }).error;
    if (isRejection(err)) return 'rejected';
    if (isCancelled(err)) return 'timeout';
  }
  return 'failure';
}

/**
 * Measures a cockatiel `CircuitBreakerPolicy` under `options.name`. Listens to `onSuccess`, `onFailure` and
 * `onStateChange` (which carries every transition `onBreak`, `onHalfOpen` and `onReset` announce), and wraps
 * the policy's `execute` to count rejections, which cockatiel announces with no event: a call that ends in
 * `BrokenCircuitError` or `IsolatedCircuitError` without the function having run is `rejected`. The wrapper
 * returns the same value and rethrows the same error. Calling it again on the same policy returns the same
 * handle.
 *
 * Outcomes: `onSuccess` → success; `onFailure` with `handled: false` (an error the policy does not handle)
 * → ignored; a handled `TaskCancelledError` (what a timeout policy inside the breaker throws) → timeout;
 * any other handled failure → failure.
 *
 * @throws TypeError when `policy` is not a cockatiel circuit breaker policy or an option is invalid.
 * @example
 * ```ts
 * const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
 * instrumentCockatiel(breaker, { name: 'inventory' });
 * ```
 */
export function instrumentCockatiel(
  policy: CockatielBreakerLike,
  options: CockatielInstrumentOptions,
): InstrumentedBreaker {
  if (!isCockatiel(policy)) invalid(WHERE, 'policy', policy, 'a cockatiel CircuitBreakerPolicy');
  const name = requiredName(WHERE, 'options.name', options?.name);
  const slowCallThreshold = optionalSeconds(WHERE, 'options.slowCallThreshold', options.slowCallThreshold);
  const fallback = options.fallback;
  if (fallback !== undefined && typeof (fallback as { onFailure?: unknown }).onFailure !== 'function') {
    invalid(WHERE, 'options.fallback', fallback, 'a cockatiel policy (a FallbackPolicy)');
  }
  const registered = registerHandle(policy, () =>
    attach(policy, safeAttributeValue(name), slowCallThreshold, fallback),
  );
  return registered?.handle ?? { name, dispose() {} };
}

function attach(
  p: CockatielInternals,
  name: string,
  slowCallThreshold: number | undefined,
  fallback: CockatielInstrumentOptions['fallback'],
): BreakerHandle {
  const ref = new WeakRef(p);
  const kind = kindOf(p.options?.breaker);
  if (kind.kind === 'unknown') diag.debug(`otel-perf: cockatiel breaker ${name} has an unknown window type`);
  const stateOf = (x: CockatielInternals): BreakerState => STATE_BY_VALUE[x.state] ?? 'closed';
  const subscriptions: Disposable[] = [];
  const restores: (() => void)[] = [];
  const handle = new BreakerHandle(
    {
      name,
      library: 'cockatiel',
      states: STATES,
      readState() {
        const x = ref.deref();
        return x ? stateOf(x) : undefined;
      },
      readWindow: windowReader(kind),
      mirror: slowCallThreshold === undefined ? undefined : mirrorOf(kind),
      slowCallThreshold,
      config: configOf(kind, p.options?.halfOpenAfter, slowCallThreshold),
      detach() {
        for (const s of subscriptions) s.dispose();
        for (const restore of restores) restore();
      },
    },
    stateOf(p),
  );

  subscriptions.push(p.onStateChange(guarded('onStateChange', () => handle.sync())));
  subscriptions.push(
    p.onSuccess(
      guarded('onSuccess', (e: { duration: number }) => handle.recordCall('success', e.duration / 1000)),
    ),
  );
  subscriptions.push(
    p.onFailure(
      guarded('onFailure', (e: FailureEvent) => {
        let outcome: CallOutcome = 'failure';
        if (!e.handled) outcome = 'ignored';
        else if ('error' in e.reason && isCancelled(e.reason.error)) outcome = 'timeout';
        handle.recordCall(outcome, e.duration / 1000);
      }),
    ),
  );
  if (fallback) {
    subscriptions.push(
      fallback.onFailure(
        guarded('fallback onFailure', (e: { handled: boolean; reason: unknown }) => {
          if (e.handled) handle.recordFallback(causeOf(e.reason));
        }),
      ),
    );
  }

  // execute(): count the rejections cockatiel has no event for.
  const hadOwn = Object.hasOwn(p, 'execute');
  const original = p.execute;
  const execute: Execute = function (this: CockatielInternals, fn, ...rest) {
    if (typeof fn !== 'function' || (fn as { [OURS]?: true })[OURS]) return original.call(this, fn, ...rest);
    let ran = false;
    const call = (...args: unknown[]) => {
      ran = true;
      return fn(...args);
    };
    (call as { [OURS]?: true })[OURS] = true;
    return original.call(this, call, ...rest).then(undefined, (err: unknown) => {
      if (!ran && isRejection(err)) guarded('execute', () => handle.recordCall('rejected'))();
      throw err;
    });
  };
  Object.defineProperty(p, 'execute', {
    value: execute,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  restores.push(() => {
    // Through `ref`: the registry holds the handle, and the handle must not keep the policy alive.
    const x = ref.deref();
    if (!x || x.execute !== execute) return;
    if (hadOwn) Object.defineProperty(x, 'execute', { value: original, writable: true, configurable: true });
    else delete (x as unknown as Record<string, unknown>).execute;
  });
  return handle;
}
