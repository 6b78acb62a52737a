import { diag } from '@opentelemetry/api';

/**
 * Calls a user-supplied hook so that it can never break the host application or our pipeline: a
 * synchronous throw or a rejected promise is reported to the OpenTelemetry diag logger and swallowed.
 * Returns the hook's value, or undefined if it threw.
 */
export function safeCall<A extends unknown[], R>(
  what: string,
  fn: (...args: A) => R,
  ...args: A
): R | undefined {
  try {
    const r = fn(...args);
    if (r && typeof (r as { then?: unknown }).then === 'function') {
      (r as unknown as Promise<unknown>).then(undefined, (err: unknown) =>
        diag.error(`otel-perf: ${what} rejected`, err),
      );
    }
    return r;
  } catch (err) {
    diag.error(`otel-perf: ${what} threw`, err);
    return undefined;
  }
}

/** The longest attribute value otel-perf records; longer values are cut and marked. */
export const MAX_ATTRIBUTE_LENGTH = 256;

/**
 * Makes an untrusted string safe to use as an attribute value: coerces to string, drops control
 * characters, and cuts it to `max` characters (ending with `…`). Empty input becomes `_OTHER`.
 */
export function safeAttributeValue(value: unknown, max = MAX_ATTRIBUTE_LENGTH): string {
  let s = typeof value === 'string' ? value : String(value);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(s)) s = s.replace(/[\u0000-\u001f\u007f]/g, '');
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return s.length === 0 ? '_OTHER' : s;
}
