import { performance } from 'node:perf_hooks';
import { invalid, layerName, optionalBoolean, optionalCount, quietly, requiredName } from './guard.js';
import { registry } from './registry.js';
import { type LayerSeries, layerSeries, tierSeries } from './series.js';
import type { CacheOperation, LruCacheInstrumentOptions } from './types.js';
import { since, wrapMethods } from './wrap.js';

const WHERE = 'instrumentLruCache';

type Fn = (...args: unknown[]) => unknown;

/** The parts of an lru-cache v7–v11 `LRUCache` this adapter uses. */
interface LruLike {
  readonly size: number;
  readonly calculatedSize?: number;
  allowStale?: boolean;
  get(key: unknown, options?: object): unknown;
  set(key: unknown, value: unknown, options?: object): unknown;
  delete(key: unknown): boolean;
  clear(): void;
  fetch?(key: unknown, options?: object): Promise<unknown>;
}

interface SetStatus {
  set?: 'add' | 'update' | 'replace' | 'miss' | 'deleted';
  entrySize?: number;
  maxEntrySizeExceeded?: true;
}

interface FetchStatus {
  fetch?: 'get' | 'inflight' | 'miss' | 'hit' | 'stale' | 'refresh';
  returnedStale?: true;
  fetchDispatched?: true;
  fetchError?: unknown;
  fetchRejected?: true;
}

function isLru(c: unknown): c is LruLike {
  const o = c as Partial<LruLike> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.get === 'function' &&
    typeof o.set === 'function' &&
    typeof o.delete === 'function' &&
    typeof o.size === 'number'
  );
}

/**
 * Measures an lru-cache `LRUCache` (v7–v11) in place: `cache.gets` (hit, miss, stale_hit), `cache.puts`,
 * `cache.evictions` by cause, `cache.entries` (and `cache.size` with `sizeInBytes`), a sample of operation
 * durations, and `fetch()` loads. Returns the same cache, so it can wrap the constructor call. Instrumenting
 * an instrumented cache again changes nothing.
 *
 * It wraps `get`, `set`, `delete`, `clear` and `fetch` on this instance (other instances and the prototype are
 * untouched) and returns exactly what they return. lru-cache 11 also publishes every operation on the
 * `lru-cache:metrics` diagnostics channel, but one subscriber makes every `LRUCache` in the process allocate
 * a status object per call (~50–90 ns per get, measured), and the channel reports no capacity evictions;
 * wrapping costs the measured cache only, a few nanoseconds. Eviction causes come from the cache's own size
 * before and after each call: a `set` that adds a key to a full cache evicted one entry (`size`), a `set`
 * over a different value `replaced` one, `delete`/`clear` are `delete`, and a `get` that found an expired
 * entry removed it (`expired`), and so did `purgeStale()`. Entries removed by `ttlAutopurge` timers are not seen.
 * `has()` and `peek()` are not counted: they do not read the value for the caller.
 *
 * @example
 * ```ts
 * const products = instrumentLruCache(new LRUCache({ max: 500, ttl: 30_000 }), { name: 'products' });
 * ```
 */
export function instrumentLruCache<C extends object>(cache: C, options: LruCacheInstrumentOptions): C {
  if (!isLru(cache)) invalid(WHERE, 'cache', cache, 'an LRUCache (an object with get, set, delete and size)');
  if (typeof options !== 'object' || options === null) invalid(WHERE, 'options', options, 'an object');
  const name = requiredName(WHERE, options.name);
  const layer = layerName(WHERE, options.layer, 'l1');
  const sampleEvery = optionalCount(WHERE, 'sampleEvery', options.sampleEvery, 100);
  const inBytes = optionalBoolean(WHERE, 'sizeInBytes', options.sizeInBytes, false);
  if (registry().wrapped.has(cache)) {
    wrapMethods(cache, { adapter: WHERE, name, layer }, {});
    return cache;
  }
  const s = layerSeries(name, layer);
  const c = cache as LruLike;
  const bytesOf = inBytes ? (t: object) => (t as LruLike).calculatedSize ?? 0 : undefined;
  s.track(c, (t) => (t as LruLike).size, bytesOf);
  // A small integer (a double here, e.g. Infinity, would be re-boxed on every decrement).
  let countdown = sampleEvery;
  /** True once in `sampleEvery` calls, while the series keeps samples of `op`. */
  const sample = (op: CacheOperation): boolean => {
    if (sampleEvery === 0 || --countdown !== 0) return false;
    countdown = sampleEvery;
    return s.wantsSample(op);
  };
  const bytes = (): number => (inBytes ? (c.calculatedSize ?? 0) : 0);
  wrapMethods(
    c,
    { adapter: WHERE, name, layer, onRestore: () => s.untrack(c) },
    {
      get: (get) =>
        function (this: unknown, key: unknown, getOptions?: unknown) {
          if (!sample('get')) return countGet(s, c, get, this, key, getOptions, inBytes);
          const start = performance.now();
          const v = countGet(s, c, get, this, key, getOptions, inBytes);
          s.sample('get', since(start));
          return v;
        },
      set: (set) =>
        function (this: unknown, key: unknown, value: unknown, options?: unknown) {
          const setOptions = options as { status?: SetStatus } | undefined;
          const timed = sample('set');
          const start = timed ? performance.now() : 0;
          const before = c.size;
          const beforeBytes = bytes();
          // lru-cache's own status object tells add/update/replace and the entry size. Filling it reads the
          // clock once (as a get of a TTL cache does), which only warms lru-cache's ttlResolution clock cache.
          const status: SetStatus = setOptions?.status ?? {};
          const opts = setOptions?.status ? setOptions : { ...setOptions, status };
          const result = set.call(this, key, value, opts);
          if (timed) s.sample('set', since(start));
          quietly('lru-cache set bookkeeping', () =>
            countSet(s, c, status, before, beforeBytes, bytes(), inBytes),
          );
          return result;
        },
      delete: (del) =>
        function (this: unknown, key: unknown) {
          const timed = sample('delete');
          const start = timed ? performance.now() : 0;
          const beforeBytes = bytes();
          const result = del.call(this, key);
          if (timed) s.sample('delete', since(start));
          if (result === true) s.evicted('delete', 1, inBytes ? beforeBytes - bytes() : undefined);
          return result;
        },
      clear: (clear) =>
        function (this: unknown) {
          const before = c.size;
          const beforeBytes = bytes();
          const result = clear.call(this);
          s.evicted('delete', before - c.size, inBytes ? beforeBytes - bytes() : undefined);
          return result;
        },
      purgeStale: (purgeStale) =>
        function (this: unknown) {
          const before = c.size;
          const beforeBytes = bytes();
          const result = purgeStale.call(this);
          s.evicted('expired', before - c.size, inBytes ? beforeBytes - bytes() : undefined);
          return result;
        },
      fetch: (fetch) =>
        function (this: unknown, key: unknown, options?: unknown) {
          const fetchOptions = options as { status?: FetchStatus } | undefined;
          const status: FetchStatus = fetchOptions?.status ?? {};
          const opts = fetchOptions?.status ? fetchOptions : { ...fetchOptions, status };
          const start = performance.now();
          const p = fetch.call(this, key, opts) as Promise<unknown>;
          return p.then(
            (v) => {
              quietly('lru-cache fetch bookkeeping', () => countFetch(name, s, status, v, since(start)));
              return v;
            },
            (err: unknown) => {
              quietly('lru-cache fetch bookkeeping', () => {
                countFetch(name, s, status, undefined, since(start), err);
              });
              throw err;
            },
          );
        },
    },
  );
  return cache;
}

/** The counted get: one size read before and after finds expired entries the get removed. */
function countGet(
  s: LayerSeries,
  c: LruLike,
  get: Fn,
  self: unknown,
  key: unknown,
  getOptions: unknown,
  inBytes: boolean,
): unknown {
  const before = c.size;
  const beforeBytes = inBytes ? (c.calculatedSize ?? 0) : 0;
  const v = getOptions === undefined ? get.call(self, key) : get.call(self, key, getOptions);
  const after = c.size;
  if (after === before) {
    if (v === undefined) s.miss++;
    else s.hit++;
    return v;
  }
  // The get found an expired entry and removed it; it returned it only with allowStale.
  if (v === undefined) s.miss++;
  else s.staleHit++;
  s.evicted('expired', before - after, inBytes ? beforeBytes - (c.calculatedSize ?? 0) : undefined);
  return v;
}

function countSet(
  s: LayerSeries,
  c: LruLike,
  status: SetStatus,
  before: number,
  beforeBytes: number,
  afterBytes: number,
  inBytes: boolean,
): void {
  const after = c.size;
  const entry = status.entrySize ?? 0;
  switch (status.set) {
    case 'add': {
      s.puts++;
      const evicted = before + 1 - after;
      if (evicted > 0) s.evicted('size', evicted, inBytes ? beforeBytes + entry - afterBytes : undefined);
      break;
    }
    case 'replace': {
      s.puts++;
      const evicted = before - after;
      if (evicted > 0) {
        s.evicted('replaced', 1);
        s.evicted('size', evicted, inBytes ? beforeBytes + entry - afterBytes : undefined);
      } else {
        s.evicted('replaced', 1, inBytes ? beforeBytes + entry - afterBytes : undefined);
      }
      break;
    }
    case 'update':
      s.puts++;
      break;
    case 'miss':
      // Over maxEntrySize: not stored, and any previous value of the key was removed.
      s.failed('set', new RangeError('value is over maxEntrySize: too large'));
      if (before > after) s.evicted('size', before - after, inBytes ? beforeBytes - afterBytes : undefined);
      break;
    case 'deleted':
      // set(key, undefined) is a delete.
      if (before > after) s.evicted('delete', before - after, inBytes ? beforeBytes - afterBytes : undefined);
      break;
    default:
      s.puts++;
  }
}

function countFetch(
  name: string,
  s: LayerSeries,
  status: FetchStatus,
  value: unknown,
  seconds: number,
  err?: unknown,
): void {
  switch (status.fetch) {
    case 'hit':
      s.hit++;
      return;
    case 'stale':
      if (status.returnedStale) s.staleHit++;
      else s.miss++;
      break;
    case 'get':
      if (value === undefined) s.miss++;
      else s.hit++;
      return;
    case 'inflight':
      s.miss++;
      tierSeries(name).deduplicated++;
      return;
    default:
      s.miss++;
  }
  if (!status.fetchDispatched) return;
  const t = tierSeries(name);
  const failed = err !== undefined || status.fetchRejected === true || status.fetchError !== undefined;
  if (failed) t.loadError++;
  else t.loadSuccess++;
  t.loadDuration(failed ? 'error' : 'success', seconds);
}
