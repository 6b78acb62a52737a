import { performance } from 'node:perf_hooks';
import { invalid, layerName, requiredName } from './guard.js';
import { instrumentKeyvWith } from './keyv.js';
import { tierSeries } from './series.js';
import type { CacheManagerInstrumentOptions } from './types.js';
import { callObserved, isInstrumented, since, wrapMethods } from './wrap.js';

const WHERE = 'instrumentCacheManager';
type Fn = (...args: unknown[]) => unknown;

interface CacheManagerLike {
  get(key: unknown): Promise<unknown>;
  wrap(key: unknown, fnc: Fn, ...rest: unknown[]): Promise<unknown>;
  stores: object[];
}

/**
 * Measures a cache-manager v7 cache end to end. Each store (a Keyv) is measured per layer (`l1`, `l2`…, or
 * `layers`) with {@link instrumentKeyv}. cache-manager emits no event on a total miss and none for the
 * lookups `wrap()` makes, so the adapter wraps `get` and `wrap` themselves: every call is one
 * `cache.requests` with its path (`l1_hit`, `l2_hit` for any later store, `miss` when `get` found nothing,
 * `origin` when `wrap` ran its function, `error` when that function failed), `wrap()` loads are counted and
 * timed (`cache.loads`, `cache.load.duration`), and calls that shared another call's load through
 * cache-manager's coalescing count as `cache.loads.deduplicated`. Every call returns exactly what
 * cache-manager returns.
 */
export function instrumentCacheManager<C extends object>(
  cache: C,
  options: CacheManagerInstrumentOptions,
): C {
  const c = cache as Partial<CacheManagerLike> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.get !== 'function' ||
    typeof c.wrap !== 'function' ||
    !Array.isArray(c.stores)
  ) {
    invalid(WHERE, 'cache', cache, 'a cache-manager v7 cache (createCache())');
  }
  if (typeof options !== 'object' || options === null) invalid(WHERE, 'options', options, 'an object');
  const name = requiredName(WHERE, options.name);
  const layers = c.stores.map((_, i) => layerName(WHERE, options.layers?.[i], `l${i + 1}`));
  /** key → index of the store that last answered it (set by the store wrappers, read once per call). */
  const servedBy = new Map<unknown, number>();
  c.stores.forEach((store, i) => {
    if (isInstrumented(store)) return;
    instrumentKeyvWith(WHERE, store, { name, layer: layers[i] }, (key, hit) => {
      if (hit) servedBy.set(key, i);
    });
  });
  const tier = tierSeries(name);
  tier.tiered = true;
  /** Keys with a wrap() in flight → whether its function ran (the leader's outcome, shared by waiters). */
  const wrapping = new Map<unknown, { loaded: boolean; waiters: number }>();
  const hitPath = (key: unknown): 'l1' | 'l2' => {
    const i = servedBy.get(key);
    servedBy.delete(key);
    return i === undefined || i === 0 ? 'l1' : 'l2';
  };
  wrapMethods(
    cache,
    { adapter: WHERE, name, layer: layers.join(',') },
    {
      get: (get: Fn) =>
        function (this: unknown, ...args: unknown[]) {
          const key = args[0];
          return callObserved(get, this, args, (_err, value, failed) => {
            if (failed) tier.failed++;
            else if (value === undefined) {
              servedBy.delete(key);
              tier.missed++;
            } else if (hitPath(key) === 'l1') tier.l1Hit++;
            else tier.l2Hit++;
          });
        },
      wrap: (wrap: Fn) =>
        function (this: unknown, ...args: unknown[]) {
          const [key, fnc] = args;
          const leader = !wrapping.has(key);
          const state = wrapping.get(key) ?? { loaded: false, waiters: 0 };
          if (leader) wrapping.set(key, state);
          else state.waiters++;
          if (typeof fnc === 'function') {
            args[1] = function (this: unknown, ...fargs: unknown[]) {
              state.loaded = true;
              const start = performance.now();
              return callObserved(fnc as Fn, this, fargs, (_err, _value, failed) => {
                if (failed) tier.loadError++;
                else tier.loadSuccess++;
                tier.loadDuration(failed ? 'error' : 'success', since(start));
              });
            };
          }
          return callObserved(wrap, this, args, (_err, _value, failed) => {
            if (leader && wrapping.get(key) === state) wrapping.delete(key);
            if (!leader && state.loaded) tier.deduplicated++;
            if (failed) tier.failed++;
            else if (state.loaded) {
              servedBy.delete(key);
              tier.origin++;
            } else if (hitPath(key) === 'l1') tier.l1Hit++;
            else tier.l2Hit++;
          });
        },
    },
  );
  return cache;
}
