import { diag } from '@opentelemetry/api';
import { invalidOption as invalid, requiredString } from '@otel-perf/core';

/** The option checks shared with the other packages. */
export { invalid };

/** Validates a required cache name. */
export function requiredName(where: string, value: unknown): string {
  return requiredString(where, 'name', value);
}

/** Validates an optional layer name (`l1`, `l2`…, or any short lowercase word). */
export function layerName(where: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[a-z0-9_]{1,32}$/.test(value)) {
    invalid(where, 'layer', value, 'a short lowercase name such as "l1" or "l2"');
  }
  return value;
}

/** Validates an optional non-negative integer. */
export function optionalCount(where: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    invalid(where, key, value, 'a non-negative integer');
  }
  return value;
}

/** Validates an optional positive number of milliseconds. */
export function optionalMillis(where: string, key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    invalid(where, key, value, 'a positive number of milliseconds');
  }
  return value;
}

/** Validates an optional boolean. */
export function optionalBoolean(where: string, key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalid(where, key, value, 'a boolean');
  return value;
}

/** Runs our bookkeeping; anything it throws goes to diag, never to the caller. */
export function quietly(what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    diag.error(`otel-perf: cache ${what} failed`, err);
  }
}
