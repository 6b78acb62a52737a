import { diag } from '@opentelemetry/api';

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

/** Throws the construction-time error every invalid option gets: the key, the bad value, what is allowed. */
export function invalid(where: string, key: string, value: unknown, allowed: string): never {
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    shown = typeof value;
  }
  throw new TypeError(`${where}: ${key} must be ${allowed}, got ${shown}`);
}

/** Validates an optional number of seconds (> 0, finite). */
export function optionalSeconds(where: string, key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    invalid(where, key, value, 'a positive finite number of seconds');
  }
  return value;
}

/** Validates a required breaker name. */
export function requiredName(where: string, key: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    invalid(where, key, value, 'a non-empty string');
  return value;
}
