import { createCache } from 'cache-manager';
import { Cacheable } from 'cacheable';
import { Keyv } from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instrumentCacheable, instrumentCacheManager, instrumentKeyv } from '../src/index.js';
import { type Harness, harness, uniqueName } from './setup.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

describe('instrumentKeyv', () => {
  it('counts get (single and many), set, delete; in-memory store is l1 with entries', async () => {
    const name = uniqueName('keyv');
    const keyv = instrumentKeyv(new Keyv(), { name });
    expect(await keyv.get('a')).toBeUndefined();
    expect(await keyv.set('a', { n: 1 })).toBe(true);
    expect(await keyv.get('a')).toEqual({ n: 1 });
    expect(await keyv.get(['a', 'b'])).toEqual([{ n: 1 }, undefined]);
    expect(await keyv.delete('a')).toBe(true);
    const r = await h.read(name);
    expect(r.gets('l1')).toEqual({ hit: 2, miss: 2, error: 0 });
    expect(r.puts('l1')).toBe(1);
    expect(r.evictions('l1').delete).toBe(1);
    expect(r.entries('l1')).toBe(0);
    expect(r.timed('l1', 'get')).toBe(3);
  });

  it('an entry found expired on a get counts as expired, not as a delete', async () => {
    const name = uniqueName('keyv-ttl');
    const keyv = instrumentKeyv(new Keyv(), { name });
    await keyv.set('a', 1, 1);
    const until = Date.now() + 5;
    while (Date.now() <= until) await new Promise((r) => setImmediate(r));
    expect(await keyv.get('a')).toBeUndefined();
    const r = await h.read(name);
    expect(r.evictions('l1')).toEqual({ size: 0, expired: 1, delete: 0, replaced: 0 });
    expect(r.gets('l1').miss).toBe(1);
  });

  it('with throwOnErrors, a store error rejects exactly as before and counts as an error', async () => {
    const name = uniqueName('keyv-err');
    const boom = new Error('store down');
    const store = new Map();
    store.get = () => {
      throw boom;
    };
    const keyv = instrumentKeyv(new Keyv({ store, throwOnErrors: true }), { name, layer: 'l2' });
    await expect(keyv.get('a')).rejects.toBe(boom);
    const r = await h.read(name);
    expect(r.gets('l2')).toEqual({ hit: 0, miss: 0, error: 1 });
    expect(r.errors('l2')).toEqual({ 'get/other': 1 });
  });
});

describe('instrumentCacheManager (v7, two stores)', () => {
  it('counts per layer, total misses of get, and wrap() paths with loads and coalescing', async () => {
    const name = uniqueName('cm');
    const l1 = new Keyv();
    const l2 = new Keyv();
    const cache = instrumentCacheManager(createCache({ stores: [l1, l2] }), { name });
    expect(await cache.get('none')).toBeUndefined(); // total miss: no event from cache-manager
    await l2.set('only-l2', 'v2');
    expect(await cache.get('only-l2')).toBe('v2');
    await cache.set('both', 'v');
    expect(await cache.get('both')).toBe('v');
    let loads = 0;
    const loader = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return 'loaded';
    };
    expect(await Promise.all([cache.wrap('w', loader), cache.wrap('w', loader)])).toEqual([
      'loaded',
      'loaded',
    ]);
    expect(await cache.wrap('w', loader)).toBe('loaded'); // wrap() hit: no get event either
    const boom = new Error('origin');
    await expect(
      cache.wrap('fails', async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(loads).toBe(1);
    const r = await h.read(name);
    expect(r.requests()).toEqual({ l1_hit: 2, l2_hit: 1, origin: 2, error: 1, miss: 1 });
    expect(r.loads()).toEqual({ success: 1, error: 1 });
    expect(r.deduplicated()).toBe(1);
    // l1: none miss, only-l2 miss, both hit, w miss (leader), w hit, fails miss
    expect(r.gets('l1')).toEqual({ hit: 2, miss: 4, error: 0 });
    expect(r.gets('l2')).toEqual({ hit: 1, miss: 3, error: 0 });
  });
});

describe('instrumentCacheable', () => {
  it('counts primary (l1) and secondary (l2), and getOrSet loads', async () => {
    const name = uniqueName('cacheable');
    const secondary = new Keyv();
    const cache = instrumentCacheable(new Cacheable({ secondary }), { name });
    await secondary.set('s', 'from-l2');
    expect(await cache.get('s')).toBe('from-l2');
    expect(await cache.get('s')).toBe('from-l2');
    expect(await cache.get('none')).toBeUndefined();
    expect(await cache.getOrSet('g', async () => 'loaded')).toBe('loaded');
    const r = await h.read(name);
    expect(r.requests()).toEqual({ l1_hit: 1, l2_hit: 1, origin: 1, error: 0, miss: 1 });
    expect(r.loads()).toEqual({ success: 1, error: 0 });
    expect(r.gets('l1').hit).toBe(1);
    expect(r.gets('l2').hit).toBe(1);
  });
});
