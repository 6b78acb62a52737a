import { performance } from 'node:perf_hooks';
import { ValueTooLargeError } from './errors.js';
import { invalid, optionalCount, optionalMillis, requiredName } from './guard.js';
import { type LayerSeries, layerSeries, tierSeries } from './series.js';
import { toRemoteStore } from './store.js';
import type { RemoteStore, Serializer, SyncCacheLike, TieredCache, TieredCacheOptions } from './types.js';
import { byteLength, isInstrumented, since } from './wrap.js';

const WHERE = 'createTieredCache';

const JSON_SERIALIZER: Serializer<never> = {
  serialize: (v) => JSON.stringify(v),
  deserialize: (raw) => JSON.parse(raw) as never,
};

class L2Timeout extends Error {
  constructor(ms: number) {
    super(`L2 get timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Rejects with a timeout after `ms` (the timer never keeps the process alive). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new L2Timeout(ms)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A read-through cache with an in-process L1, an optional shared L2 (Redis) and an origin, measured end to
 * end: `cache.requests` by path (`l1_hit`, `l2_hit`, `origin`, `error`), `cache.gets`/`cache.puts`/`cache.errors`
 * per layer, L2 and load durations, payload sizes, and single-flight loads (`cache.loads.deduplicated`).
 *
 * An L2 hit backfills L1. An L2 that fails or answers slower than `l2Timeout` is counted (`cache.gets` error,
 * `cache.errors` by type) and the request goes to the origin, so Redis going down slows requests and never
 * fails them. Writes to L2 happen in the background after a load; their failures, values that do not
 * serialise and values over `maxValueBytes` are counted, never thrown. A load that fails rejects the
 * caller's promise with the load's own error. A layer object already measured by an adapter
 * (`instrumentLruCache`, `instrumentIoredis`) counts itself; the tiered cache then counts only the path.
 *
 * @example
 * ```ts
 * const products = createTieredCache({
 *   name: 'products',
 *   l1: new LRUCache({ max: 500 }),
 *   l2: new Redis(process.env.REDIS_URL),
 *   ttl: 30_000,
 *   l2Ttl: 300_000,
 *   load: (id) => db.product(id),
 * });
 * const p = await products.get('42');
 * ```
 */
export function createTieredCache<V>(options: TieredCacheOptions<V>): TieredCache<V> {
  if (typeof options !== 'object' || options === null) invalid(WHERE, 'options', options, 'an object');
  const name = requiredName(WHERE, options.name);
  const l1 = options.l1 as SyncCacheLike<V> & { size?: unknown };
  if (typeof l1 !== 'object' || l1 === null || typeof l1.get !== 'function' || typeof l1.set !== 'function') {
    invalid(WHERE, 'l1', l1, 'a synchronous cache with get, set and delete (an LRUCache)');
  }
  if (options.load !== undefined && typeof options.load !== 'function') {
    invalid(WHERE, 'load', options.load, 'a function (key) => value');
  }
  const ttl = optionalMillis(WHERE, 'ttl', options.ttl);
  const l2Ttl = optionalMillis(WHERE, 'l2Ttl', options.l2Ttl) ?? ttl;
  const l2Timeout = optionalMillis(WHERE, 'l2Timeout', options.l2Timeout) ?? 500;
  const maxValueBytes = optionalCount(WHERE, 'maxValueBytes', options.maxValueBytes, 1_048_576);
  const sampleEvery = optionalCount(WHERE, 'sampleEvery', options.sampleEvery, 100);
  const prefix = options.keyPrefix ?? `${name}:`;
  if (typeof prefix !== 'string') invalid(WHERE, 'keyPrefix', prefix, 'a string');
  const serializer = (options.serializer ?? JSON_SERIALIZER) as Serializer<V>;
  if (typeof serializer.serialize !== 'function' || typeof serializer.deserialize !== 'function') {
    invalid(WHERE, 'serializer', serializer, 'an object with serialize and deserialize functions');
  }
  const store: RemoteStore | undefined =
    options.l2 === undefined ? undefined : toRemoteStore(WHERE, options.l2);
  const defaultLoad = options.load;

  const tier = tierSeries(name);
  tier.tiered = true;
  // A layer measured by its own adapter counts itself; counting it here too would count every get twice.
  const s1: LayerSeries | undefined = isInstrumented(l1) ? undefined : layerSeries(name, 'l1');
  const s2: LayerSeries | undefined =
    store && !isInstrumented(options.l2 as object) ? layerSeries(name, 'l2') : undefined;
  const sized = typeof l1.size === 'number';
  if (s1 && sized) s1.track(l1, (t) => (t as { size: number }).size);
  const l1SetOptions = ttl === undefined ? undefined : { ttl };
  const inflight = new Map<string, Promise<V>>();
  let countdown = sampleEvery;

  /** L1 lookup, counted (expired entries found by the get are counted by the size change). */
  function l1Get(key: string): V | undefined {
    if (!s1) return l1.get(key);
    let timed = false;
    if (sampleEvery !== 0 && --countdown === 0) {
      countdown = sampleEvery;
      timed = s1.wantsSample('get');
    }
    const start = timed ? performance.now() : 0;
    const before = sized ? (l1.size as number) : 0;
    const v = l1.get(key);
    if (timed) s1.sample('get', since(start));
    const removed = sized ? before - (l1.size as number) : 0;
    if (v === undefined) s1.miss++;
    else if (removed > 0) s1.staleHit++;
    else s1.hit++;
    if (removed > 0) s1.evicted('expired', removed);
    return v;
  }

  function l1Set(key: string, value: V): void {
    const before = sized ? (l1.size as number) : 0;
    const has = (l1 as { has?: (k: string) => boolean }).has;
    const had = s1 && sized && typeof has === 'function' ? has.call(l1, key) : false;
    l1.set(key, value, l1SetOptions);
    if (!s1) return;
    s1.puts++;
    if (sized) {
      const evicted = before + (had ? 0 : 1) - (l1.size as number);
      if (evicted > 0) s1.evicted('size', evicted);
    }
  }

  /** L2 lookup: the value, or undefined on a miss or any failure (counted). */
  async function l2Get(key: string): Promise<V | undefined> {
    if (!store) return undefined;
    const start = performance.now();
    let raw: string | Buffer | null | undefined;
    try {
      raw = await withTimeout(Promise.resolve(store.get(prefix + key)), l2Timeout);
    } catch (err) {
      s2?.duration('get', since(start));
      s2?.failed('get', err);
      return undefined;
    }
    s2?.duration('get', since(start));
    if (raw === null || raw === undefined) {
      if (s2) s2.miss++;
      return undefined;
    }
    try {
      const value = serializer.deserialize(typeof raw === 'string' ? raw : raw.toString('utf8'));
      if (s2) {
        s2.hit++;
        s2.payload('get', byteLength(raw) ?? 0);
      }
      return value;
    } catch (err) {
      s2?.failed('get', err);
      return undefined;
    }
  }

  /** Writes to L2; never throws (failures are counted). */
  async function l2Set(key: string, value: V): Promise<void> {
    if (!store) return;
    let raw: string;
    try {
      raw = serializer.serialize(value);
      if (typeof raw !== 'string') throw new TypeError(`the serializer returned ${typeof raw}, not a string`);
    } catch (err) {
      s2?.failed('set', err instanceof TypeError ? new TypeError(`serialize: ${err.message}`) : err);
      return;
    }
    const bytes = Buffer.byteLength(raw);
    if (maxValueBytes > 0 && bytes > maxValueBytes) {
      s2?.failed('set', new ValueTooLargeError(bytes, maxValueBytes));
      return;
    }
    const start = performance.now();
    try {
      await store.set(prefix + key, raw, l2Ttl);
      if (s2) {
        s2.duration('set', since(start));
        s2.puts++;
        s2.payload('set', bytes);
      }
    } catch (err) {
      s2?.duration('set', since(start));
      s2?.failed('set', err);
    }
  }

  async function runLoad(key: string, load: (key: string) => Promise<V> | V): Promise<V> {
    const start = performance.now();
    let value: V;
    try {
      value = await load(key);
    } catch (err) {
      tier.loadError++;
      tier.loadDuration('error', since(start));
      throw err;
    }
    tier.loadSuccess++;
    tier.loadDuration('success', since(start));
    if (value !== null && value !== undefined) {
      l1Set(key, value);
      void l2Set(key, value);
    }
    return value;
  }

  async function miss(key: string, load: ((key: string) => Promise<V> | V) | undefined): Promise<V> {
    const fromL2 = await l2Get(key);
    if (fromL2 !== undefined) {
      tier.l2Hit++;
      l1Set(key, fromL2);
      return fromL2;
    }
    let p = inflight.get(key);
    if (p) {
      tier.deduplicated++;
    } else {
      if (!load) {
        tier.failed++;
        throw new TypeError(
          `${WHERE}(${name}): get(${JSON.stringify(key)}) missed and no load function was given`,
        );
      }
      p = runLoad(key, load);
      inflight.set(key, p);
      const done = () => {
        if (inflight.get(key) === p) inflight.delete(key);
      };
      p.then(done, done);
    }
    try {
      const value = await p;
      tier.origin++;
      return value;
    } catch (err) {
      tier.failed++;
      throw err;
    }
  }

  return {
    name,
    get(key: string, load?: (key: string) => Promise<V> | V): Promise<V> {
      let v: V | undefined;
      try {
        v = l1Get(key);
      } catch (err) {
        return Promise.reject(err);
      }
      if (v !== undefined) {
        tier.l1Hit++;
        return Promise.resolve(v);
      }
      return miss(key, load ?? defaultLoad);
    },
    async set(key: string, value: V): Promise<void> {
      l1Set(key, value);
      await l2Set(key, value);
    },
    async delete(key: string): Promise<void> {
      const removed = l1.delete(key);
      if (s1 && removed === true) s1.evicted('delete');
      if (!store) return;
      const start = performance.now();
      try {
        const n = await store.delete(prefix + key);
        s2?.duration('delete', since(start));
        if (s2 && typeof n === 'number' && n > 0) s2.evicted('delete', n);
      } catch (err) {
        s2?.duration('delete', since(start));
        s2?.failed('delete', err);
      }
    },
  };
}
