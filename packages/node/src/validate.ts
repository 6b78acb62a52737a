/**
 * A small validator over a plain-data schema, for the config file and `start()` options. Every failure
 * throws one `ConfigError` naming the key path, the bad value and what is allowed.
 */

/** One node of a schema. `check` adds a rule the shape cannot say (returns what is allowed, or nothing). */
export type Schema =
  | { type: 'string'; enum?: readonly string[]; allowed?: string; check?: (v: string) => string | undefined }
  | {
      type: 'number';
      integer?: boolean;
      min?: number;
      max?: number;
    }
  | { type: 'boolean' }
  | {
      type: 'array';
      items: Schema;
      allowed?: string;
      check?: (v: readonly unknown[]) => string | undefined;
    }
  | { type: 'object'; properties: Readonly<Record<string, Schema>>; open?: boolean }
  | { type: 'record'; values: Schema; keys?: Schema & { type: 'string' } }
  | { type: 'oneOf'; options: readonly Schema[]; allowed: string }
  | { type: 'any' };

/** An invalid configuration value. `key` is the path (`views["http.server.request.duration"].buckets`). */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly allowed: string,
    readonly source?: string,
  ) {
    super(
      `otel-perf: invalid configuration${source ? ` in ${source}` : ''}: ${key} is ${show(value)}; allowed: ${allowed}`,
    );
  }
}

/** A short, single-line rendering of a value for an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
}

/** Appends a property name to a key path, quoting names that are not plain identifiers. */
export function joinKey(path: string, name: string): string {
  const plain = /^[A-Za-z_$][\w$]*$/.test(name);
  if (!path) return plain ? name : `[${JSON.stringify(name)}]`;
  return plain ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

/** What a schema allows, in words. */
export function describe(schema: Schema): string {
  switch (schema.type) {
    case 'string':
      if (schema.allowed) return schema.allowed;
      return schema.enum ? `one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` : 'a string';
    case 'number': {
      const what = schema.integer ? 'an integer' : 'a finite number';
      if (schema.min !== undefined && schema.max !== undefined)
        return `${what} from ${schema.min} to ${schema.max}`;
      if (schema.min !== undefined) return `${what} >= ${schema.min}`;
      if (schema.max !== undefined) return `${what} <= ${schema.max}`;
      return what;
    }
    case 'boolean':
      return 'true or false';
    case 'array':
      return schema.allowed ?? `a list of ${describe(schema.items)}`;
    case 'object':
      return `an object with keys ${Object.keys(schema.properties).join(', ')}`;
    case 'record':
      return `a map of ${schema.keys ? `${describe(schema.keys)} ` : ''}to ${describe(schema.values)}`;
    case 'oneOf':
      return schema.allowed;
    case 'any':
      return 'anything';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks `value` against `schema` and returns it unchanged; throws a `ConfigError` at the first problem.
 * `undefined` at the top level or for an object property means "not set" and is always accepted.
 */
export function validate(value: unknown, schema: Schema, path = '', source?: string): void {
  const fail = (allowed: string, v: unknown = value, key = path): never => {
    throw new ConfigError(key || '(root)', v, allowed, source);
  };
  switch (schema.type) {
    case 'any':
      return;
    case 'string': {
      if (typeof value !== 'string') fail(describe(schema));
      const s = value as string;
      if (schema.enum && !schema.enum.includes(s)) fail(describe(schema));
      const extra = schema.check?.(s);
      if (extra) fail(schema.allowed ?? extra);
      return;
    }
    case 'number': {
      const n = value as number;
      if (typeof value !== 'number' || !Number.isFinite(n)) fail(describe(schema));
      if (schema.integer && !Number.isInteger(n)) fail(describe(schema));
      if (schema.min !== undefined && n < schema.min) fail(describe(schema));
      if (schema.max !== undefined && n > schema.max) fail(describe(schema));
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail(describe(schema));
      return;
    case 'array': {
      if (!Array.isArray(value)) fail(describe(schema));
      const arr = value as unknown[];
      arr.forEach((item, i) => {
        validate(item, schema.items, `${path}[${i}]`, source);
      });
      const extra = schema.check?.(arr);
      if (extra) fail(extra);
      return;
    }
    case 'object': {
      if (!isPlainObject(value)) fail(describe(schema));
      const obj = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(obj)) {
        const prop = schema.properties[k];
        const key = joinKey(path, k);
        if (!prop) {
          if (schema.open) continue;
          fail(`one of the keys ${Object.keys(schema.properties).join(', ')}`, k, key);
        }
        if (v === undefined) continue;
        validate(v, prop as Schema, key, source);
      }
      return;
    }
    case 'record': {
      if (!isPlainObject(value)) fail(describe(schema));
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const key = joinKey(path, k);
        if (schema.keys) {
          try {
            validate(k, schema.keys, key, source);
          } catch (err) {
            if (err instanceof ConfigError) fail(`a key that is ${err.allowed}`, k, key);
            throw err;
          }
        }
        validate(v, schema.values, key, source);
      }
      return;
    }
    case 'oneOf': {
      for (const option of schema.options) {
        try {
          validate(value, option, path, source);
          return;
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          // When the value has this option's shape (a list, an object), its own complaint is the useful one.
          if (sameTopShape(value, option)) throw err;
        }
      }
      fail(schema.allowed);
    }
  }
}

function sameTopShape(value: unknown, schema: Schema): boolean {
  switch (schema.type) {
    case 'array':
      return Array.isArray(value);
    case 'object':
    case 'record':
      return isPlainObject(value);
    default:
      return false;
  }
}
