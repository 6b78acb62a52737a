import { layerName, requiredName } from './guard.js';
import { layerSeries } from './series.js';
import type { CacheAdapterOptions, CacheRecorder } from './types.js';

/**
 * A recorder for a cache no adapter covers: your code calls `hits()`, `misses()`, `put()`, `evicted()`…
 * and the {@link CacheInstrumentation} reports them like an adapter's. Recorders with the same name and
 * layer share their counts.
 */
export function createCacheRecorder(options: CacheAdapterOptions): CacheRecorder {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createCacheRecorder: options must be an object, got ${String(options)}`);
  }
  const name = requiredName('createCacheRecorder', options.name);
  const layer = layerName('createCacheRecorder', options.layer, 'l1');
  return layerSeries(name, layer);
}
