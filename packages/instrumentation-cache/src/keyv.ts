import { performance } from 'node:perf_hooks';
import { invalid, layerName, requiredName } from './guard.js';
import { layerSeries } from './series.js';
import type { KeyvInstrumentOptions } from './types.js';
import { callObserved, since, wrapMethods } from './wrap.js';

type Fn = (...args: unknown[]) => unknown;

/** Told of each single-key lookup's outcome (used by the cache-manager adapter to find the serving layer). */
export type LookupListener = (key: unknown, hit: boolean) => void;

interface KeyvLike {
  get(key: unknown, options?: unknown): Promise<unknown>;
  set(key: unknown, value: unknown, ttl?: unknown): Promise<unknown>;
  delete(key: unknown): Promise<unknown>;
  opts?: { store?: unknown };
}

function isKeyv(k: unknown): k is KeyvLike {
  const o = k as Partial<KeyvLike> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    ['get', 'set', 'delete'].every((m) => typeof o[m as keyof KeyvLike] === 'function')
  );
}

/**
 * Measures a Keyv (v5) instance, including the stores a `Cacheable` or cache-manager v7 cache is built from:
 * `get` (single keys and arrays, each key counted), `getMany`, `set`, `delete`, timed and counted. The layer
 * defaults to `l1` when the store is an in-memory `Map` and `l2` otherwise. Keyv returns `undefined` for
 * store errors unless `throwOnErrors` is set, so those count as misses; with `throwOnErrors` they count as
 * errors and reject exactly as before. An entry Keyv finds expired (and deletes) on a get counts as an
 * `expired` eviction, not a delete.
 */
export function instrumentKeyv<K extends object>(keyv: K, options: KeyvInstrumentOptions): K {
  return instrumentKeyvWith('instrumentKeyv', keyv, options);
}

/** {@link instrumentKeyv} with a lookup listener (internal). */
export function instrumentKeyvWith<K extends object>(
  where: string,
  keyv: K,
  options: KeyvInstrumentOptions,
  onLookup?: LookupListener,
): K {
  if (!isKeyv(keyv)) invalid(where, 'keyv', keyv, 'a Keyv instance (get, set, delete)');
  if (typeof options !== 'object' || options === null) invalid(where, 'options', options, 'an object');
  const name = requiredName(where, options.name);
  const inMemory = keyv.opts?.store instanceof Map;
  const layer = layerName(where, options.layer, inMemory ? 'l1' : 'l2');
  const s = layerSeries(name, layer);
  if (inMemory) {
    s.track(keyv, (t) => {
      const store = (t as KeyvLike).opts?.store;
      return store instanceof Map ? store.size : 0;
    });
  }
  /** Keys being read now: a delete of one of them is Keyv removing an expired entry. */
  const reading = new Map<unknown, number>();
  const countValues = (keys: unknown[], values: unknown) => {
    if (!Array.isArray(values)) return;
    for (let i = 0; i < values.length; i++) {
      const hit = values[i] !== undefined && values[i] !== null;
      if (hit) s.hit++;
      else s.miss++;
      if (onLookup) onLookup(keys[i], hit);
    }
  };
  /** A single-key lookup (`get(key)`, `getRaw(key)`). */
  const single = (original: Fn): Fn =>
    function (this: unknown, ...args: unknown[]) {
      const key = args[0];
      // Keyv answers an array key through getMany / getManyRaw, which count each key.
      if (Array.isArray(key)) return original.apply(this, args);
      const start = performance.now();
      reading.set(key, (reading.get(key) ?? 0) + 1);
      return callObserved(original, this, args, (err, value, failed) => {
        const n = (reading.get(key) ?? 1) - 1;
        if (n === 0) reading.delete(key);
        else reading.set(key, n);
        s.duration('get', since(start));
        if (failed) {
          s.failed('get', err);
          return;
        }
        const hit = value !== undefined && value !== null;
        if (hit) s.hit++;
        else s.miss++;
        if (onLookup) onLookup(key, hit);
      });
    };
  /** A many-key lookup (`getMany`, `getManyRaw`): each key counted. */
  const many = (original: Fn): Fn =>
    function (this: unknown, ...args: unknown[]) {
      const keys = Array.isArray(args[0]) ? (args[0] as unknown[]) : [];
      const start = performance.now();
      return callObserved(original, this, args, (err, value, failed) => {
        s.duration('get', since(start));
        if (failed) s.failed('get', err, keys.length);
        else countValues(keys, value);
      });
    };
  wrapMethods(
    keyv,
    { adapter: where, name, layer, onRestore: () => s.untrack(keyv) },
    {
      get: single,
      getRaw: single,
      getMany: many,
      getManyRaw: many,
      set: (set: Fn) =>
        function (this: unknown, ...args: unknown[]) {
          const start = performance.now();
          return callObserved(set, this, args, (err, value, failed) => {
            s.duration('set', since(start));
            if (failed) s.failed('set', err);
            else if (value !== false) s.puts++;
          });
        },
      delete: (del: Fn) =>
        function (this: unknown, ...args: unknown[]) {
          const key = args[0];
          const expired = !Array.isArray(key) && reading.has(key);
          const start = performance.now();
          return callObserved(del, this, args, (err, value, failed) => {
            if (!expired) s.duration('delete', since(start));
            if (failed) s.failed('delete', err);
            else if (value === true)
              s.evicted(expired ? 'expired' : 'delete', Array.isArray(key) ? key.length : 1);
          });
        },
    },
  );
  return keyv;
}
