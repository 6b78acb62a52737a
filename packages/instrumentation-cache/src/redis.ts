import { performance } from 'node:perf_hooks';
import { invalid, layerName, optionalBoolean, requiredName } from './guard.js';
import { type LayerSeries, layerSeries } from './series.js';
import type { CacheOperation, RedisInstrumentOptions } from './types.js';
import { byteLength, callObserved, since, wrapMethods } from './wrap.js';

type Fn = (...args: unknown[]) => unknown;

/** Which client method is which command, for one client library. */
export interface CommandMap {
  get: string[];
  set: string[];
  del: string[];
  mget: string[];
}

/** Keys of an `mget` call: `mget(k1, k2)`, `mget([k1, k2])`, with or without a trailing callback. */
function keyCount(args: unknown[]): number {
  const keys = typeof args[args.length - 1] === 'function' ? args.slice(0, -1) : args;
  if (keys.length === 1 && Array.isArray(keys[0])) return keys[0].length;
  return keys.length;
}

/**
 * Wraps a Redis client instance's get/set/del/mget (under every name in `commands`) so each call is counted,
 * timed and sized, returning exactly what the client returns. Shared by the ioredis and node-redis adapters.
 */
export function instrumentRedisClient<C extends object>(
  where: string,
  client: C,
  options: RedisInstrumentOptions,
  commands: CommandMap,
  nodeCallback: boolean,
): C {
  if (typeof client !== 'object' || client === null) invalid(where, 'client', client, 'a Redis client');
  if (typeof options !== 'object' || options === null) invalid(where, 'options', options, 'an object');
  const name = requiredName(where, options.name);
  const layer = layerName(where, options.layer, 'l2');
  const sizes = optionalBoolean(where, 'payloadSize', options.payloadSize, true);
  const t = client as Record<string, unknown>;
  if (!commands.get.some((m) => typeof t[m] === 'function')) {
    invalid(where, 'client', client, 'a Redis client with a get method');
  }
  const s = layerSeries(name, layer);
  const wrappers: Record<string, (original: Fn) => Fn> = {};
  const observe =
    (op: CacheOperation, count: (s: LayerSeries, args: unknown[], value: unknown) => void) =>
    (original: Fn) =>
      function (this: unknown, ...args: unknown[]) {
        const start = performance.now();
        return callObserved(
          original,
          this,
          args,
          (err, value, failed) => {
            s.duration(op, since(start));
            if (failed) s.failed(op, err);
            else count(s, args, value);
          },
          nodeCallback,
        );
      };
  const onGet = observe('get', (s, _args, value) => {
    if (value === null || value === undefined) {
      s.miss++;
      return;
    }
    s.hit++;
    const n = sizes ? byteLength(value) : undefined;
    if (n !== undefined) s.payload('get', n);
  });
  const onSet = observe('set', (s, args, value) => {
    if (value === null || value === undefined) return; // NX/XX condition not met: nothing stored
    s.puts++;
    const n = sizes ? byteLength(args[1]) : undefined;
    if (n !== undefined) s.payload('set', n);
  });
  const onDel = observe('delete', (s, _args, value) => {
    if (typeof value === 'number' && value > 0) s.evicted('delete', value);
  });
  const onMget = (original: Fn) =>
    function (this: unknown, ...args: unknown[]) {
      const start = performance.now();
      return callObserved(
        original,
        this,
        args,
        (err, value, failed) => {
          s.duration('get', since(start));
          if (failed) {
            s.failed('get', err, Math.max(1, keyCount(args)));
            return;
          }
          if (!Array.isArray(value)) return;
          for (const v of value) {
            if (v === null || v === undefined) s.miss++;
            else {
              s.hit++;
              const n = sizes ? byteLength(v) : undefined;
              if (n !== undefined) s.payload('get', n);
            }
          }
        },
        nodeCallback,
      );
    };
  for (const m of commands.get) wrappers[m] = onGet;
  for (const m of commands.set) wrappers[m] = onSet;
  for (const m of commands.del) wrappers[m] = onDel;
  for (const m of commands.mget) wrappers[m] = onMget;
  wrapMethods(client, { adapter: where, name, layer }, wrappers);
  return client;
}

/**
 * Measures an ioredis client (or Cluster) instance: `get`/`getBuffer`, `set`, `del`, `mget` are counted
 * (`cache.gets` hit/miss/error per key, `cache.puts`, `cache.evictions{cause=delete}`, `cache.errors` by
 * type), timed (`cache.operation.duration`) and sized (`cache.payload.size`). Only this instance is wrapped;
 * nothing is patched globally. Every call returns exactly what ioredis returns (a promise resolving to the
 * same value or rejecting with the same error; callbacks get the same arguments).
 *
 * @example
 * ```ts
 * const redis = instrumentIoredis(new Redis(url), { name: 'products' });
 * ```
 */
export function instrumentIoredis<C extends object>(client: C, options: RedisInstrumentOptions): C {
  return instrumentRedisClient(
    'instrumentIoredis',
    client,
    options,
    {
      get: ['get', 'getBuffer'],
      set: ['set', 'setBuffer'],
      del: ['del'],
      mget: ['mget', 'mgetBuffer'],
    },
    true,
  );
}

/**
 * Measures a node-redis (`redis` v4+) client instance: `get`, `set`, `del`, `mGet` (and their upper-case
 * aliases), like {@link instrumentIoredis}. Only this instance is wrapped; each call returns the same promise
 * result or error the client would.
 *
 * @example
 * ```ts
 * const redis = instrumentNodeRedis(createClient({ url }), { name: 'products' });
 * await redis.connect();
 * ```
 */
export function instrumentNodeRedis<C extends object>(client: C, options: RedisInstrumentOptions): C {
  return instrumentRedisClient(
    'instrumentNodeRedis',
    client,
    options,
    {
      get: ['get', 'GET'],
      set: ['set', 'SET'],
      del: ['del', 'DEL'],
      mget: ['mGet', 'MGET'],
    },
    false,
  );
}
