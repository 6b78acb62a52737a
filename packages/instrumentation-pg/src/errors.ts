/** What this package reads from an error pg or Node.js produced. */
interface ErrorLike {
  readonly code?: unknown;
  readonly name?: unknown;
  readonly message?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const SYSTEM_CODE = /^E[A-Z0-9_]{1,31}$/;

/** The full SQLSTATE PostgreSQL returned with the error, or undefined. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as ErrorLike | null | undefined)?.code;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

/**
 * `error.type` of a failed operation: the SQLSTATE class (`42` syntax or access rule, `23` integrity, `57`
 * operator intervention...) when PostgreSQL returned the error, the Node.js error code (`ECONNREFUSED`) for
 * socket errors, otherwise the error's name. Always from a bounded set: never the message.
 */
export function errorType(err: unknown): string {
  const state = sqlState(err);
  if (state !== undefined) return state.slice(0, 2);
  const e = err as ErrorLike | null | undefined;
  if (typeof e?.code === 'string' && SYSTEM_CODE.test(e.code)) return e.code;
  if (typeof e?.name === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(e.name)) return e.name;
  return '_OTHER';
}

/** pg-pool's messages for a request that timed out waiting for a connection, or for a connect that timed out. */
const TIMEOUT_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
];

/** True for pg-pool's `connectionTimeoutMillis` errors. */
export function isTimeout(err: unknown): boolean {
  const message = (err as ErrorLike | null | undefined)?.message;
  return typeof message === 'string' && TIMEOUT_MESSAGES.includes(message);
}

/**
 * True when the error means the connection itself failed (not the query): SQLSTATE class 08 (connection
 * exception), 57P01–57P03 (the server terminated the session or is shutting down), a socket error, or pg's
 * "Connection terminated" / "not queryable" errors.
 */
export function isConnectionError(err: unknown): boolean {
  const state = sqlState(err);
  if (state !== undefined) return state.startsWith('08') || /^57P0[123]$/.test(state);
  const e = err as ErrorLike | null | undefined;
  if (typeof e?.code === 'string' && SYSTEM_CODE.test(e.code)) return true;
  const message = e?.message;
  return (
    typeof message === 'string' &&
    (message.startsWith('Connection terminated') || message.includes('not queryable'))
  );
}
