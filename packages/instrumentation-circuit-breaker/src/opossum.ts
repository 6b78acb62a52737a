import type { Attributes } from '@opentelemetry/api';
import { safeAttributeValue } from '@otel-perf/core';
import { guarded, invalid, optionalSeconds, requiredName } from './guard.js';
import { BreakerHandle, registerHandle, type WindowReading } from './handle.js';
import {
  ATTR_CONFIG_CALL_TIMEOUT,
  ATTR_CONFIG_FAILURE_RATIO_THRESHOLD,
  ATTR_CONFIG_MINIMUM_CALLS,
  ATTR_CONFIG_RESET_TIMEOUT,
  ATTR_CONFIG_SLOW_CALL_THRESHOLD,
  ATTR_CONFIG_WINDOW_SIZE,
  ATTR_CONFIG_WINDOW_TYPE,
} from './semconv.js';
import type {
  BreakerState,
  FallbackCause,
  InstrumentedBreaker,
  OpossumBreakerLike,
  OpossumInstrumentOptions,
} from './types.js';
import { TimeWindow } from './window.js';

type Listener = (...args: never[]) => void;

/** What we read from an opossum breaker (8, 9 and 10 have all of it). */
interface OpossumInternals {
  readonly name: string;
  readonly options: {
    errorFilter?: (this: unknown, err: unknown, ...args: unknown[]) => unknown;
    timeout?: number | false;
    resetTimeout?: number;
    errorThresholdPercentage?: number;
    rollingCountTimeout?: number;
    rollingCountBuckets?: number;
  };
  readonly opened: boolean;
  readonly halfOpen: boolean;
  readonly enabled: boolean;
  readonly isShutdown: boolean;
  readonly volumeThreshold?: number;
  readonly status?: { readonly window?: readonly { fires?: number; failures?: number }[] };
  on(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
  enable(): void;
  disable(): void;
}

const STATES: readonly BreakerState[] = ['closed', 'open', 'half_open', 'disabled'];
const WHERE = 'instrumentOpossum';

function stateOf(b: OpossumInternals): BreakerState {
  if (b.enabled === false) return 'disabled';
  if (b.opened) return 'open';
  if (b.halfOpen) return 'half_open';
  return 'closed';
}

function isOpossum(b: unknown): b is OpossumInternals {
  const x = b as Partial<OpossumInternals> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.on === 'function' &&
    typeof x.removeListener === 'function' &&
    typeof x.options === 'object' &&
    x.options !== null &&
    typeof x.enable === 'function' &&
    typeof x.disable === 'function'
  );
}

/** Reads opossum's rolling window: its failure ratio is `failures / fires`, exactly what it opens on. */
function readWindow(b: OpossumInternals | undefined): WindowReading | undefined {
  const buckets = b?.status?.window;
  if (!b || !Array.isArray(buckets)) return undefined;
  let calls = 0;
  let failures = 0;
  for (const bucket of buckets) {
    calls += bucket?.fires ?? 0;
    failures += bucket?.failures ?? 0;
  }
  return { calls, failures, minimumCalls: b.volumeThreshold ?? 0 };
}

function configOf(b: OpossumInternals, slowCallThreshold: number | undefined): Attributes {
  const o = b.options;
  const config: Attributes = { [ATTR_CONFIG_WINDOW_TYPE]: 'time' };
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (num(o.rollingCountTimeout)) config[ATTR_CONFIG_WINDOW_SIZE] = o.rollingCountTimeout / 1000;
  if (num(o.errorThresholdPercentage))
    config[ATTR_CONFIG_FAILURE_RATIO_THRESHOLD] = o.errorThresholdPercentage / 100;
  if (num(b.volumeThreshold)) config[ATTR_CONFIG_MINIMUM_CALLS] = b.volumeThreshold;
  if (num(o.resetTimeout)) config[ATTR_CONFIG_RESET_TIMEOUT] = o.resetTimeout / 1000;
  if (num(o.timeout) && o.timeout > 0) config[ATTR_CONFIG_CALL_TIMEOUT] = o.timeout / 1000;
  if (slowCallThreshold !== undefined) config[ATTR_CONFIG_SLOW_CALL_THRESHOLD] = slowCallThreshold;
  return config;
}

const ORIGINAL = Symbol('otel-perf.original');
const OWNER = Symbol('otel-perf.owner');
type Wrapped = ((...args: never[]) => unknown) & { [ORIGINAL]?: unknown; [OWNER]?: object };

/** Calls `original` with the same `this`, arguments, result and throw; tells `onAccept` what it accepted. */
function wrapFilter(
  original: (this: unknown, err: unknown, ...args: unknown[]) => unknown,
  owner: object,
  onAccept: (err: unknown) => void,
): (this: unknown, err: unknown, ...args: unknown[]) => unknown {
  const wrapped = function (this: unknown, err: unknown, ...args: unknown[]): unknown {
    const accepted = original.call(this, err, ...args);
    if (accepted) onAccept(err);
    return accepted;
  };
  Object.assign(wrapped, { [ORIGINAL]: original, [OWNER]: owner });
  return wrapped;
}

/** Calls `original`, then re-reads the breaker's state into `handle`. */
function wrapMethod(original: () => void, handle: BreakerHandle, what: string): () => void {
  const sync = guarded(what, () => handle.sync());
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    sync();
    return result;
  };
  Object.assign(wrapped, { [ORIGINAL]: original, [OWNER]: handle });
  return wrapped as () => void;
}

/** Puts back what `wrapFilter`/`wrapMethod` replaced, if the wrapper `owner` installed is still there. */
function unwrap(target: Record<string, unknown>, key: string, owner: object, hadOwn: boolean): void {
  const current = target[key] as Wrapped | undefined;
  if (typeof current !== 'function' || current[OWNER] !== owner) return;
  if (hadOwn)
    Object.defineProperty(target, key, { value: current[ORIGINAL], writable: true, configurable: true });
  else delete target[key];
}

const seconds = (ms: unknown) => (typeof ms === 'number' ? ms / 1000 : undefined);

/**
 * Measures an opossum `CircuitBreaker` under its name (or `options.name`). Listens to its events; wraps its
 * `errorFilter` (to tell an ignored error from a success: opossum reports both as `success`) and its
 * `enable`/`disable` methods (which emit no event). What the caller of `fire()` receives is unchanged.
 * Calling it again on the same breaker returns the same handle.
 *
 * @throws TypeError when `breaker` is not an opossum breaker or an option is invalid.
 * @example
 * ```ts
 * const breaker = new CircuitBreaker(callPayments, { name: 'payments', timeout: 3000 });
 * instrumentOpossum(breaker);
 * ```
 */
export function instrumentOpossum(
  breaker: OpossumBreakerLike,
  options: OpossumInstrumentOptions = {},
): InstrumentedBreaker {
  if (!isOpossum(breaker)) invalid(WHERE, 'breaker', breaker, 'an opossum CircuitBreaker');
  const name = requiredName(WHERE, 'options.name', options.name ?? breaker.name);
  const slowCallThreshold = optionalSeconds(WHERE, 'options.slowCallThreshold', options.slowCallThreshold);
  const registered = registerHandle(breaker, () =>
    attach(breaker, safeAttributeValue(name), slowCallThreshold),
  );
  return registered?.handle ?? { name, dispose() {} };
}

function attach(b: OpossumInternals, name: string, slowCallThreshold: number | undefined): BreakerHandle {
  const ref = new WeakRef(b);
  const windowMs = b.options.rollingCountTimeout ?? 10_000;
  const buckets = b.options.rollingCountBuckets ?? 10;
  const listeners: [string, Listener][] = [];
  const restores: (() => void)[] = [];
  const handle = new BreakerHandle(
    {
      name,
      library: 'opossum',
      states: STATES,
      readState() {
        const x = ref.deref();
        return x && !x.isShutdown ? stateOf(x) : undefined;
      },
      readWindow: () => readWindow(ref.deref()),
      mirror: slowCallThreshold === undefined ? undefined : new TimeWindow(windowMs, buckets),
      slowCallThreshold,
      config: configOf(b, slowCallThreshold),
      detach() {
        const x = ref.deref();
        if (x) for (const [event, fn] of listeners) x.removeListener(event, fn);
        for (const restore of restores) restore();
      },
    },
    stateOf(b),
  );

  // Errors we already counted (a timeout, a rejection): opossum reports a timeout again as a failure (or as
  // a success when errorFilter accepts it), and its fallback event carries the error that caused it.
  const counted = new WeakMap<object, FallbackCause>();
  const mark = (err: unknown, cause: FallbackCause) => {
    if (typeof err === 'object' && err !== null) counted.set(err, cause);
  };
  const countedAs = (err: unknown) =>
    typeof err === 'object' && err !== null ? counted.get(err) : undefined;
  // The error errorFilter just accepted: opossum emits `success` with it synchronously right after.
  let filtered: { error: unknown } | undefined;

  // No closure below may capture `b`: V8 keeps every variable a closure of this scope uses in one shared
  // context, and the registry holds the handle, whose closures would then keep the breaker alive. Closures
  // reach the breaker through `ref`; `b` itself is only used by straight-line code.
  const events: [string, (...args: never[]) => void][] = [
    [
      'success',
      (result: unknown, latencyMs: unknown) => {
        const f = filtered;
        filtered = undefined;
        if (countedAs(result) !== undefined) return;
        handle.recordCall(f && Object.is(f.error, result) ? 'ignored' : 'success', seconds(latencyMs));
      },
    ],
    [
      'timeout',
      (err: unknown, latencyMs: unknown) => {
        mark(err, 'timeout');
        handle.recordCall('timeout', seconds(latencyMs));
      },
    ],
    [
      'failure',
      (err: unknown, latencyMs: unknown) => {
        if (countedAs(err) !== undefined) return;
        handle.recordCall('failure', seconds(latencyMs));
      },
    ],
    [
      'reject',
      (err: unknown) => {
        mark(err, 'rejected');
        handle.recordCall('rejected');
      },
    ],
    [
      'semaphoreLocked',
      (err: unknown) => {
        mark(err, 'rejected');
        handle.recordCall('rejected');
      },
    ],
    ['fallback', (_result: unknown, err: unknown) => handle.recordFallback(countedAs(err) ?? 'failure')],
    ['open', () => handle.sync()],
    ['close', () => handle.sync()],
    ['halfOpen', () => handle.sync()],
    ['shutdown', () => handle.dispose()],
  ];
  for (const [event, fn] of events) {
    const listener = guarded(event, fn) as Listener;
    b.on(event, listener);
    listeners.push([event, listener]);
  }

  // errorFilter: we note which error it accepted. enable()/disable() change the state without an event.
  // (The wrappers are built outside this scope: the original filter is an arrow function of opossum's
  // constructor, whose context holds the breaker.)
  const options = b.options;
  if (typeof options.errorFilter === 'function') {
    options.errorFilter = wrapFilter(options.errorFilter, handle, (err) => {
      filtered = { error: err };
    });
  }
  const hadOwn = { enable: Object.hasOwn(b, 'enable'), disable: Object.hasOwn(b, 'disable') };
  for (const method of ['enable', 'disable'] as const) {
    Object.defineProperty(b, method, {
      value: wrapMethod(b[method], handle, method),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  restores.push(() => {
    const x = ref.deref();
    if (!x) return;
    unwrap(x.options as Record<string, unknown>, 'errorFilter', handle, true);
    unwrap(x as unknown as Record<string, unknown>, 'enable', handle, hadOwn.enable);
    unwrap(x as unknown as Record<string, unknown>, 'disable', handle, hadOwn.disable);
  });
  return handle;
}
