import { TestMetricReader } from '@otel-perf/test-utils';
import { LRUCache } from 'lru-cache';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instrumentLruCache, isInstrumented, uninstrument } from '../src/index.js';
import { type Harness, harness, uniqueName } from './setup.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

describe('instrumentLruCache', () => {
  it('counts hits and misses, returns exactly what the cache returns, and reports entries', async () => {
    const name = uniqueName('lru');
    const value = { id: 1 };
    const cache = instrumentLruCache(new LRUCache<string, object>({ max: 10 }), { name });
    expect(cache.set('a', value)).toBe(cache);
    expect(cache.get('a')).toBe(value);
    expect(cache.get('a')).toBe(value);
    expect(cache.get('nope')).toBeUndefined();
    const r = await h.read(name);
    expect(r.gets('l1')).toEqual({ hit: 2, miss: 1, error: 0 });
    expect(r.puts('l1')).toBe(1);
    expect(r.entries('l1')).toBe(1);
    expect(r.size('l1')).toBeUndefined();
  });

  it('counts evictions by cause: size, replaced, delete, expired', async () => {
    const name = uniqueName('lru-evict');
    let now = 1_000;
    const cache = instrumentLruCache(
      new LRUCache<string, string>({ max: 2, ttl: 1000, ttlResolution: 0, perf: { now: () => now } }),
      { name },
    );
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('c', '3'); // evicts a (size)
    cache.set('b', 'two'); // replaces b
    cache.set('b', 'two'); // same value: an update, nothing leaves
    expect(cache.delete('c')).toBe(true);
    expect(cache.delete('c')).toBe(false);
    cache.set('d', '4');
    now += 5_000;
    expect(cache.get('b')).toBeUndefined(); // expired: removed by the get
    expect(cache.purgeStale()).toBe(true); // d
    const r = await h.read(name);
    expect(r.evictions('l1')).toEqual({ size: 1, replaced: 1, delete: 1, expired: 2 });
    expect(r.gets('l1')).toEqual({ hit: 0, miss: 1, error: 0 });
    expect(r.puts('l1')).toBe(6);
    expect(r.entries('l1')).toBe(0);
  });

  it('counts a stale value returned with allowStale as stale_hit', async () => {
    const name = uniqueName('lru-stale');
    let now = 1_000;
    const cache = instrumentLruCache(
      new LRUCache<string, string>({
        max: 5,
        ttl: 100,
        allowStale: true,
        ttlResolution: 0,
        perf: { now: () => now },
      }),
      { name },
    );
    cache.set('a', 'old');
    now += 1_000;
    expect(cache.get('a')).toBe('old');
    const r = await h.read(name);
    expect(r.gets('l1')).toEqual({ hit: 0, miss: 0, stale_hit: 1, error: 0 });
    expect(r.evictions('l1').expired).toBe(1);
  });

  it('reports bytes with sizeInBytes, and a value over maxEntrySize as a too_large set error', async () => {
    const name = uniqueName('lru-bytes');
    const cache = instrumentLruCache(
      new LRUCache<string, string>({ maxSize: 10, maxEntrySize: 6, sizeCalculation: (v) => v.length }),
      { name, sizeInBytes: true },
    );
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    cache.set('c', 'cccc'); // 12 > 10: a leaves
    cache.set('d', 'ddddddddd'); // over maxEntrySize: refused
    const r = await h.read(name);
    expect(r.size('l1')).toBe(8);
    expect(r.evictions('l1')).toEqual({ size: 1, replaced: 0, delete: 0, expired: 0 });
    expect(r.errors('l1')).toEqual({ 'set/too_large': 1 });
    expect(r.puts('l1')).toBe(3);
  });

  it('samples operation durations: 1 in sampleEvery', async () => {
    const name = uniqueName('lru-sample');
    const cache = instrumentLruCache(new LRUCache<string, number>({ max: 10 }), { name, sampleEvery: 10 });
    cache.set('a', 1);
    for (let i = 0; i < 100; i++) cache.get('a');
    const r = await h.read(name);
    expect(r.timed('l1', 'get')).toBe(10);
    expect(r.gets('l1').hit).toBe(100);
  });

  it('keeps at most SAMPLE_CAPACITY sampled durations per collection, recorded at collection', async () => {
    const name = uniqueName('lru-cap');
    const cache = instrumentLruCache(new LRUCache<string, number>({ max: 10 }), { name, sampleEvery: 1 });
    cache.set('a', 1);
    for (let i = 0; i < 1000; i++) cache.get('a');
    expect((await h.read(name)).timed('l1', 'get')).toBe(256);
    for (let i = 0; i < 10; i++) cache.get('a');
    const r = await h.read(name);
    expect(r.timed('l1', 'get')).toBe(266);
    expect(r.gets('l1').hit).toBe(1010);
  });

  it('counts fetch(): hit, miss with a load, and concurrent fetches sharing one load', async () => {
    const name = uniqueName('lru-fetch');
    let loads = 0;
    const cache = instrumentLruCache(
      new LRUCache<string, string>({
        max: 10,
        fetchMethod: async (k) => {
          loads++;
          await new Promise((r) => setTimeout(r, 5));
          return `v:${k}`;
        },
      }),
      { name },
    );
    const [a, b] = await Promise.all([cache.fetch('x'), cache.fetch('x')]);
    expect([a, b]).toEqual(['v:x', 'v:x']);
    expect(await cache.fetch('x')).toBe('v:x');
    expect(loads).toBe(1);
    const r = await h.read(name);
    expect(r.gets('l1')).toEqual({ hit: 1, miss: 2, error: 0 });
    expect(r.loads()).toEqual({ success: 1, error: 0 });
    expect(r.deduplicated()).toBe(1);
  });

  it('is idempotent and undoable', async () => {
    const name = uniqueName('lru-twice');
    const cache = new LRUCache<string, number>({ max: 10 });
    instrumentLruCache(cache, { name });
    const wrappedGet = cache.get;
    instrumentLruCache(cache, { name });
    expect(cache.get).toBe(wrappedGet);
    cache.set('a', 1);
    cache.get('a');
    expect(isInstrumented(cache)).toBe(true);
    expect(uninstrument(cache)).toBe(true);
    expect(Object.hasOwn(cache, 'get')).toBe(false);
    expect(cache.get('a')).toBe(1);
    const r = await h.read(name);
    expect(r.gets('l1').hit).toBe(1);
    expect(r.entries('l1')).toBe(0);
  });

  it('throws at construction on invalid options, naming the key', () => {
    const cache = new LRUCache<string, number>({ max: 1 });
    expect(() => instrumentLruCache(cache, { name: '' })).toThrow(
      /instrumentLruCache: name must be a non-empty string/,
    );
    expect(() => instrumentLruCache(cache, { name: 'x', layer: 'L 1' })).toThrow(/layer must be/);
    expect(() => instrumentLruCache(cache, { name: 'x', sampleEvery: -1 })).toThrow(
      /sampleEvery must be a non-negative integer, got -1/,
    );
    expect(() => instrumentLruCache({} as object, { name: 'x' })).toThrow(/cache must be an LRUCache/);
    expect(isInstrumented(cache)).toBe(false);
  });

  it('reports full totals to two readers', async () => {
    await h.cleanup();
    const second = new TestMetricReader();
    h = harness([second]);
    const name = uniqueName('lru-readers');
    const cache = instrumentLruCache(new LRUCache<string, number>({ max: 10 }), { name });
    cache.set('a', 1);
    cache.get('a');
    expect((await h.read(name)).gets('l1').hit).toBe(1);
    cache.get('a');
    expect((await h.read(name, second)).gets('l1').hit).toBe(2);
    expect((await h.read(name)).gets('l1').hit).toBe(2);
  });

  it('stops reporting when disabled and resumes when enabled', async () => {
    const name = uniqueName('lru-disable');
    const cache = instrumentLruCache(new LRUCache<string, number>({ max: 10 }), { name });
    cache.set('a', 1);
    h.instrumentation.disable();
    expect((await h.read(name)).gets('l1')).toEqual({});
    h.instrumentation.enable();
    cache.get('a');
    expect((await h.read(name)).gets('l1').hit).toBe(1);
  });
});
