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

  const on = (event: string, fn: (...args: never[]) => void) => {
    const listener = guarded(event, fn) as Listener;
    b.on(event, listener);
    listeners.push([event, listener]);
  };
  on('success', (result: unknown, latencyMs: unknown) => {
    const f = filtered;
    filtered = undefined;
    if (countedAs(result) !== undefined) return;
    handle.recordCall(f && Object.is(f.error, result) ? 'ignored' : 'success', seconds(latencyMs));
  });
  on('timeout', (err: unknown, latencyMs: unknown) => {
    mark(err, 'timeout');
    handle.recordCall('timeout', seconds(latencyMs));
  });
  on('failure', (err: unknown, latencyMs: unknown) => {
    if (countedAs(err) !== undefined) return;
    handle.recordCall('failure', seconds(latencyMs));
  });
  on('reject', (err: unknown) => {
    mark(err, 'rejected');
    handle.recordCall('rejected');
  });
  on('semaphoreLocked', (err: unknown) => {
    mark(err, 'rejected');
    handle.recordCall('rejected');
  });
  on('fallback', (_result: unknown, err: unknown) => {
    handle.recordFallback(countedAs(err) ?? 'failure');
  });
  for (const event of ['open', 'close', 'halfOpen']) on(event, () => handle.sync());
  on('shutdown', () => handle.dispose());

  // errorFilter: called as `options.errorFilter(error, ...args)`; we keep its `this`, arguments, result and
  // throw, and only note which error it accepted.
  const options = b.options;
  const originalFilter = options.errorFilter;
  if (typeof originalFilter === 'function') {
    const wrappedFilter = function (this: unknown, err: unknown, ...args: unknown[]): unknown {
      const accepted = originalFilter.call(this, err, ...args);
      if (accepted) filtered = { error: err };
      return accepted;
    };
    options.errorFilter = wrappedFilter;
    restores.push(() => {
      if (options.errorFilter === wrappedFilter) options.errorFilter = originalFilter;
    });
  }

  // enable()/disable() change the state without an event.
  for (const method of ['enable', 'disable'] as const) {
    const hadOwn = Object.hasOwn(b, method);
    const original = b[method];
    const wrapped = function (this: OpossumInternals, ...args: unknown[]) {
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      guarded(method, () => handle.sync())();
      return result;
    };
    Object.defineProperty(b, method, {
      value: wrapped,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    restores.push(() => {
      if (b[method] !== wrapped) return;
      if (hadOwn) Object.defineProperty(b, method, { value: original, writable: true, configurable: true });
      else delete (b as unknown as Record<string, unknown>)[method];
    });
  }
  return handle;
}
