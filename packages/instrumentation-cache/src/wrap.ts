import { performance } from 'node:perf_hooks';
import { diag } from '@opentelemetry/api';
import { quietly } from './guard.js';
import { registry, type Wrapped } from './registry.js';

type Fn = (...args: unknown[]) => unknown;

/**
 * Replaces `methods` on the instance `target` (as own properties; the prototype is untouched, so other
 * instances are not affected) and remembers the originals for {@link uninstrument}. Returns false, changing
 * nothing, when `target` is already instrumented by this package (any copy of it).
 */
export function wrapMethods(
  target: object,
  info: { adapter: string; name: string; layer: string; onRestore?: () => void },
  methods: Record<string, (original: Fn) => Fn>,
): boolean {
  const r = registry();
  const prior = r.wrapped.get(target);
  if (prior) {
    diag.debug(
      `otel-perf: ${info.adapter}: cache already instrumented as ${prior.name}/${prior.layer}; left as it is`,
    );
    return false;
  }
  const originals: Wrapped['originals'] = new Map();
  const t = target as Record<string, unknown>;
  for (const [key, make] of Object.entries(methods)) {
    const original = t[key];
    if (typeof original !== 'function') continue;
    originals.set(key, { own: Object.hasOwn(target, key), value: original });
    Object.defineProperty(target, key, {
      value: make(original as Fn),
      configurable: true,
      writable: true,
      enumerable: false,
    });
  }
  r.wrapped.set(target, { ...info, originals });
  return true;
}

/**
 * Undoes an adapter: restores the original methods of `target` and stops reporting its entries. Counts
 * already made stay (counters never go down). Returns whether `target` was instrumented.
 */
export function uninstrument(target: object): boolean {
  const r = registry();
  const w = r.wrapped.get(target);
  if (!w) return false;
  r.wrapped.delete(target);
  for (const [key, { own, value }] of w.originals) {
    if (own) Object.defineProperty(target, key, { value, configurable: true, writable: true });
    else delete (target as Record<string, unknown>)[key];
  }
  quietly('uninstrument', () => w.onRestore?.());
  return true;
}

/** Whether `target` is measured by one of this package's adapters. */
export function isInstrumented(target: object): boolean {
  return registry().wrapped.has(target);
}

/** Seconds since `start` (a `performance.now()` reading). */
export const since = (start: number): number => (performance.now() - start) / 1000;

/**
 * Calls `original` and reports how it ended to `done` (errors in `done` go to diag), returning exactly what
 * the caller would have got: the same value or error. With `nodeCallback` (clients such as ioredis whose
 * commands take an optional `(err, value)` callback last), a trailing function argument is wrapped and the
 * original return value passed through (so callback users see no new promise rejection); a promise is
 * followed with a chained promise that resolves to the same value or rejects with the same error; a
 * synchronous throw is rethrown as is.
 */
export function callObserved(
  original: Fn,
  self: unknown,
  args: unknown[],
  done: (err: unknown, value: unknown, failed: boolean) => void,
  nodeCallback = false,
): unknown {
  const last = nodeCallback && args.length > 0 ? args[args.length - 1] : undefined;
  if (typeof last === 'function') {
    const cb = last as Fn;
    args[args.length - 1] = function (this: unknown, err: unknown, value: unknown) {
      quietly('callback bookkeeping', () => done(err, value, err !== null && err !== undefined));
      // biome-ignore lint/complexity/noArguments: the user's callback gets exactly the arguments it was given
      return cb.apply(this, arguments as unknown as unknown[]);
    };
    return original.apply(self, args);
  }
  let ret: unknown;
  try {
    ret = original.apply(self, args);
  } catch (err) {
    quietly('error bookkeeping', () => done(err, undefined, true));
    throw err;
  }
  if (ret !== null && typeof ret === 'object' && typeof (ret as PromiseLike<unknown>).then === 'function') {
    return (ret as Promise<unknown>).then(
      (value) => {
        quietly('result bookkeeping', () => done(undefined, value, false));
        return value;
      },
      (err: unknown) => {
        quietly('error bookkeeping', () => done(err, undefined, true));
        throw err;
      },
    );
  }
  quietly('result bookkeeping', () => done(undefined, ret, false));
  return ret;
}

/** Byte length of a string or Buffer value; undefined for anything else. */
export function byteLength(value: unknown): number | undefined {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  return undefined;
}
