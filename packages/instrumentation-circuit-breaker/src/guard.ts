import { diag } from '@opentelemetry/api';
import { invalidOption as invalid, requiredString as requiredName } from '@otel-perf/core';

/**
 * Wraps one of our listeners so that nothing it throws reaches the library that emitted the event (an
 * `EventEmitter` listener's throw would otherwise surface in the caller's `fire()` or `execute()`).
 */
export function guarded<A extends unknown[]>(what: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      diag.error(`otel-perf: circuit breaker ${what} listener failed`, err);
    }
  };
}

/** The option checks shared with the other packages. */
export { invalid, requiredName };

/** Validates an optional number of seconds (> 0, finite). */
export function optionalSeconds(where: string, key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    invalid(where, key, value, 'a positive finite number of seconds');
  }
  return value;
}
