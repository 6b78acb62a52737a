/**
 * Throws the construction-time error every invalid option gets, naming where, the key, the bad value (strings
 * quoted) and what is allowed: `instrumentLruCache: name must be a non-empty string, got ""`.
 */
export function invalidOption(where: string, key: string, value: unknown, allowed: string): never {
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    shown = typeof value;
  }
  throw new TypeError(`${where}: ${key} must be ${allowed}, got ${shown}`);
}

/** Validates a required non-blank string option (a cache or breaker name); throws {@link invalidOption}. */
export function requiredString(where: string, key: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    invalidOption(where, key, value, 'a non-empty string');
  return value;
}
