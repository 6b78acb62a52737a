import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { CACHE_OPERATIONS, EVICTION_CAUSES } from './semconv.js';

/** A value of `cache.operation`. */
export type CacheOperation = (typeof CACHE_OPERATIONS)[number];
/** A value of `cache.eviction.cause`. */
export type EvictionCause = (typeof EVICTION_CAUSES)[number];

/**
 * Configuration of {@link CacheInstrumentation}. It patches no module: caches are measured by the adapters
 * (`instrumentLruCache`, `instrumentIoredis`, `createTieredCache`…), which count into a process-wide registry
 * that every enabled instance of the instrumentation reports at collection.
 */
export type CacheInstrumentationConfig = InstrumentationConfig;

/** Options every adapter takes. */
export interface CacheAdapterOptions {
  /** The cache's name, the `cache.name` attribute. Required; keep it low-cardinality (one per cache). */
  name: string;
  /** The layer, the `cache.layer` attribute: `l1`, `l2`, `l3`… @default 'l1' for in-process caches, 'l2' for Redis */
  layer?: string;
}

/** Options of {@link instrumentLruCache}. */
export interface LruCacheInstrumentOptions extends CacheAdapterOptions {
  /**
   * Time 1 in `sampleEvery` get/set/delete calls into `cache.operation.duration`; `0` times none. An in-memory
   * get costs ~50 ns and timing it costs as much again plus ~1 µs to record, so every call is counted (in
   * `cache.gets`) but only a sample is timed, kept in a bounded buffer (256 per operation) and recorded at
   * collection: the histogram's count for an in-process layer is a sample, use `cache.gets` for rates.
   * @default 100
   */
  sampleEvery?: number;
  /**
   * The cache's `sizeCalculation` returns bytes: publish `cache.size` (its `calculatedSize`) and
   * `cache.eviction.size`. Leave it off when sizes are in other units.
   * @default false
   */
  sizeInBytes?: boolean;
}

/** Options of the Redis adapters ({@link instrumentIoredis}, {@link instrumentNodeRedis}). */
export interface RedisInstrumentOptions extends CacheAdapterOptions {
  /**
   * Record `cache.payload.size` for values read and written (the byte length of each string or Buffer).
   * @default true
   */
  payloadSize?: boolean;
}

/** Options of {@link instrumentKeyv}. */
export interface KeyvInstrumentOptions extends CacheAdapterOptions {}

/** Options of {@link instrumentCacheManager}. */
export interface CacheManagerInstrumentOptions {
  /** The cache's name, the `cache.name` attribute. */
  name: string;
  /** The layer names of its stores, in order. @default ['l1', 'l2', …] */
  layers?: string[];
}

/**
 * A cache-side recorder for caches that have no adapter: call its methods from your own cache code. It counts
 * into plain numbers (nanoseconds per call) and times only what you time.
 *
 * @example
 * ```ts
 * const rec = createCacheRecorder({ name: 'sessions', layer: 'l1' });
 * const v = map.get(key);
 * v === undefined ? rec.misses() : rec.hits();
 * ```
 */
export interface CacheRecorder {
  readonly name: string;
  readonly layer: string;
  hits(n?: number): void;
  misses(n?: number): void;
  staleHits(n?: number): void;
  put(n?: number): void;
  /** A failed operation; a failed `get` also counts as `cache.gets{cache.result=error}` (`keys` of them). */
  failed(operation: CacheOperation, err: unknown, keys?: number): void;
  evicted(cause: EvictionCause, n?: number, bytes?: number): void;
  /** Records an operation duration in seconds. */
  duration(operation: CacheOperation, seconds: number): void;
  payload(operation: CacheOperation, bytes: number): void;
  compression(uncompressedBytes: number, compressedBytes: number): void;
  /** Reports `entries(target)` (and `bytes(target)`) as `cache.entries` / `cache.size` while `target` lives. */
  track(target: object, entries: (target: object) => number, bytes?: (target: object) => number): void;
  untrack(target: object): void;
}

/** A synchronous in-process cache, such as an `LRUCache`: the L1 of {@link createTieredCache}. */
export interface SyncCacheLike<V = unknown> {
  get(key: string): V | undefined;
  set(key: string, value: V, options?: { ttl?: number }): unknown;
  delete(key: string): unknown;
}

/** An asynchronous shared store of strings: the L2 of {@link createTieredCache}. */
export interface RemoteStore {
  get(key: string): Promise<string | Buffer | null | undefined>;
  /** Stores `value`; `ttlMs` when the entry expires. */
  set(key: string, value: string, ttlMs?: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

/** How values are encoded for the L2. @default JSON */
export interface Serializer<V> {
  serialize(value: V): string;
  deserialize(raw: string): V;
}

/** Options of {@link createTieredCache}. */
export interface TieredCacheOptions<V> {
  /** The cache's name (`cache.name`). */
  name: string;
  /** The in-process layer, e.g. `new LRUCache({ max: 500 })`. Reported as layer `l1`. */
  l1: SyncCacheLike<V>;
  /**
   * The shared layer: an ioredis or node-redis client, or any {@link RemoteStore}. Reported as layer `l2`.
   * Omit it to run with L1 only. Its errors are counted and the request falls back to the origin.
   */
  l2?: RemoteStore | object;
  /** Loads a value on a miss in every layer; `get(key, load)` can pass one per call instead. */
  load?: (key: string) => Promise<V> | V;
  /** Milliseconds an entry lives in L1 (passed as lru-cache's `ttl`); unset: the L1's own default. */
  ttl?: number;
  /** Milliseconds an entry lives in L2. @default ttl, or no expiry */
  l2Ttl?: number;
  /** Prefix of every L2 key. @default `${name}:` */
  keyPrefix?: string;
  /** Encoded values over this many bytes are not written to L2 (counted as `error.type=too_large`). @default 1048576 */
  maxValueBytes?: number;
  /** @default JSON.stringify / JSON.parse */
  serializer?: Serializer<V>;
  /** Milliseconds an L2 get may take before it counts as a timeout and the request goes to the origin. @default 500 */
  l2Timeout?: number;
  /** Time 1 in `sampleEvery` L1 gets; L2 operations and loads are always timed. @default 100 */
  sampleEvery?: number;
}

/** A cache with L1 → L2 → origin reads, created by {@link createTieredCache}. */
export interface TieredCache<V> {
  readonly name: string;
  /**
   * L1, then L2 (backfilling L1 on a hit), then the origin (`load`, or the `load` option), storing the loaded
   * value in both layers. Concurrent misses of one key share one load. A `null`/`undefined` load result is
   * returned and not stored. L2 failures fall back to the origin; a failed load rejects with its own error.
   */
  get(key: string, load?: (key: string) => Promise<V> | V): Promise<V>;
  /** Stores in L1 and (awaited) L2; an L2 failure is counted, not thrown. */
  set(key: string, value: V): Promise<void>;
  /** Removes from both layers; an L2 failure is counted, not thrown. */
  delete(key: string): Promise<void>;
}
