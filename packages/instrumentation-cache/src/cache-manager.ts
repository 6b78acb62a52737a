import { performance } from 'node:perf_hooks';
import { invalid, layerName, requiredName } from './guard.js';
import { instrumentKeyvWith } from './keyv.js';
import { tierSeries } from './series.js';
import type { CacheManagerInstrumentOptions } from './types.js';
import { callObserved, isInstrumented, since, wrapMethods } from './wrap.js';

type Fn = (...args: unknown[]) => unknown;

/** A multi-store cache: which method reads, which methods read-or-load (`(key, loader, …)`), its stores. */
interface Layered {
  where: string;
  target: object;
  stores: object[];
  get: string;
  loaders: string[];
}

/**
 * Measures every store per layer with the Keyv adapter, and the cache's own read and read-or-load methods
 * end to end as `cache.requests` by path, with loads and loads shared through the library's coalescing.
 */
function instrumentLayered(l: Layered, options: CacheManagerInstrumentOptions): void {
  if (typeof options !== 'object' || options === null) invalid(l.where, 'options', options, 'an object');
  const name = requiredName(l.where, options.name);
  const layers = l.stores.map((_, i) => layerName(l.where, options.layers?.[i], `l${i + 1}`));
  /** key → index of the store that last answered it (set by the store wrappers, read once per call). */
  const servedBy = new Map<unknown, number>();
  l.stores.forEach((store, i) => {
    if (isInstrumented(store)) return;
    instrumentKeyvWith(l.where, store, { name, layer: layers[i] }, (key, hit) => {
      if (hit && !servedBy.has(key)) servedBy.set(key, i);
    });
  });
  const tier = tierSeries(name);
  tier.tiered = true;
  /** Keys with a load-through call in flight → whether its loader ran (shared by coalesced callers). */
  const loading = new Map<unknown, { loaded: boolean }>();
  const countHit = (key: unknown) => {
    const i = servedBy.get(key);
    servedBy.delete(key);
    if (i === undefined || i === 0) tier.l1Hit++;
    else tier.l2Hit++;
  };
  const wrappers: Record<string, (original: Fn) => Fn> = {
    [l.get]: (get) =>
      function (this: unknown, ...args: unknown[]) {
        const key = args[0];
        // Cacheable's getOrSet reads through its own get: that read is part of the getOrSet request.
        if (loading.has(key)) return get.apply(this, args);
        servedBy.delete(key);
        return callObserved(get, this, args, (_err, value, failed) => {
          if (failed) tier.failed++;
          else if (value === undefined || value === null) {
            servedBy.delete(key);
            tier.missed++;
          } else countHit(key);
        });
      },
  };
  for (const m of l.loaders) {
    wrappers[m] = (load) =>
      function (this: unknown, ...args: unknown[]) {
        const [key, loader] = args;
        const leader = !loading.has(key);
        const state = loading.get(key) ?? { loaded: false };
        if (leader) {
          loading.set(key, state);
          servedBy.delete(key);
        }
        if (typeof loader === 'function') {
          args[1] = function (this: unknown, ...largs: unknown[]) {
            state.loaded = true;
            const start = performance.now();
            return callObserved(loader as Fn, this, largs, (_err, _value, failed) => {
              if (failed) tier.loadError++;
              else tier.loadSuccess++;
              tier.loadDuration(failed ? 'error' : 'success', since(start));
            });
          };
        }
        return callObserved(load, this, args, (_err, _value, failed) => {
          if (leader && loading.get(key) === state) loading.delete(key);
          if (!leader && state.loaded) tier.deduplicated++;
          if (failed) tier.failed++;
          else if (state.loaded) {
            servedBy.delete(key);
            tier.origin++;
          } else countHit(key);
        });
      };
  }
  wrapMethods(l.target, { adapter: l.where, name, layer: layers.join(',') }, wrappers);
}

/**
 * Measures a cache-manager v7 cache end to end. Each store (a Keyv) is measured per layer (`l1`, `l2`…, or
 * `layers`) with {@link instrumentKeyv}. cache-manager emits no event on a total miss and none for the
 * lookups `wrap()` makes, so the adapter wraps `get` and `wrap` themselves: every call is one
 * `cache.requests` with its path (`l1_hit`, `l2_hit` for any later store, `miss` when `get` found nothing,
 * `origin` when `wrap` ran its function, `error` when it failed); `wrap()` loads are counted and timed
 * (`cache.loads`, `cache.load.duration`), and calls that shared another call's load through cache-manager's
 * coalescing count as `cache.loads.deduplicated`. Every call returns exactly what cache-manager returns.
 */
export function instrumentCacheManager<C extends object>(
  cache: C,
  options: CacheManagerInstrumentOptions,
): C {
  const where = 'instrumentCacheManager';
  const c = cache as { get?: unknown; wrap?: unknown; stores?: unknown } | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.get !== 'function' ||
    typeof c.wrap !== 'function' ||
    !Array.isArray(c.stores)
  ) {
    invalid(where, 'cache', cache, 'a cache-manager v7 cache (createCache())');
  }
  instrumentLayered(
    { where, target: cache, stores: c.stores as object[], get: 'get', loaders: ['wrap'] },
    options,
  );
  return cache;
}

/**
 * Measures a `Cacheable` (the `cacheable` package): its `primary` store as `l1` and `secondary` as `l2` with
 * {@link instrumentKeyv}, and `get` / `getOrSet` end to end like {@link instrumentCacheManager}.
 */
export function instrumentCacheable<C extends object>(cache: C, options: CacheManagerInstrumentOptions): C {
  const where = 'instrumentCacheable';
  const c = cache as { get?: unknown; getOrSet?: unknown; primary?: unknown; secondary?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.get !== 'function' || typeof c.primary !== 'object') {
    invalid(where, 'cache', cache, 'a Cacheable instance');
  }
  const stores = [c.primary, c.secondary].filter((s): s is object => typeof s === 'object' && s !== null);
  instrumentLayered({ where, target: cache, stores, get: 'get', loaders: ['getOrSet'] }, options);
  return cache;
}
