import type { ERROR_TYPES } from './semconv.js';

/** A value of `error.type` on `cache.errors`. */
export type ErrorType = (typeof ERROR_TYPES)[number];

/** Thrown by the tiered cache (and only counted, never shown to the caller) when a value is over its limit. */
export class ValueTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`encoded value is ${bytes} bytes, over maxValueBytes ${limit}`);
    this.name = 'ValueTooLargeError';
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

/** The `error.type` of an error a cache client or serializer threw; never throws. */
export function classifyError(err: unknown): ErrorType {
  try {
    if (err instanceof ValueTooLargeError) return 'too_large';
    const e = err as { name?: unknown; message?: unknown; code?: unknown } | null;
    // node-redis errors keep name 'Error'; their class names say what happened.
    const ctor = (e as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    const name = `${typeof e?.name === 'string' ? e.name : ''} ${typeof ctor === 'string' ? ctor : ''}`;
    const message = typeof e?.message === 'string' ? e.message : '';
    const code = typeof e?.code === 'string' ? e.code : '';
    if (/timeout|timed out/i.test(name) || /timed? ?out/i.test(message)) return 'timeout';
    if (
      CONNECTION_CODES.has(code) ||
      /ClientClosed|ClientOffline|SocketClosed|Connection|Reconnect|MaxRetries/i.test(name) ||
      /connection|closed|offline|enableOfflineQueue|writeable|not connected|ECONNREFUSED|max retries/i.test(
        message,
      )
    ) {
      return 'connection';
    }
    if (/string exceeds maximum|too large|ERR.*max.*bulk/i.test(message)) return 'too_large';
    if (
      /BigInt|circular|JSON|serializ|Unexpected token|Unexpected end/i.test(message) ||
      name === 'SyntaxError'
    ) {
      return 'serialization';
    }
    return 'other';
  } catch {
    return 'other';
  }
}
