import { redisConfig, serviceHint, startThrowawayRedis, waitFor } from '@otel-perf/test-utils';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTieredCache, instrumentLruCache } from '../../src/index.js';
import { type Harness, harness, uniqueName } from '../setup.js';

const prefix = `otel-perf-cache-test:${process.pid}:tiered:`;
let h: Harness;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis({ ...redisConfig, lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect().catch((err: unknown) => {
    throw serviceHint('redis', err);
  });
});
afterAll(async () => {
  // Only our own keys: never FLUSHALL on the shared server.
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

function tiered<V>(name: string, extra: Partial<Parameters<typeof createTieredCache<V>>[0]> = {}) {
  const l1 = new LRUCache<string, V & {}>({ max: 100 });
  const loads: string[] = [];
  const cache = createTieredCache<V>({
    name,
    l1: l1 as never,
    l2: redis,
    keyPrefix: `${prefix}${name}:`,
    load: async (key) => {
      loads.push(key);
      return { key, at: loads.length } as V;
    },
    ...extra,
  });
  return { cache, l1, loads };
}

describe('createTieredCache on a real Redis', () => {
  it('origin, L1 hit, L2 hit with backfill: exact counts per layer and path', async () => {
    const name = uniqueName('tiered');
    const { cache, l1, loads } = tiered<{ key: string; at: number }>(name);
    expect(await cache.get('a')).toEqual({ key: 'a', at: 1 }); // L1 miss, L2 miss, origin
    await waitFor(async () => (await redis.exists(`${prefix}${name}:a`)) === 1, { what: 'L2 write' });
    expect(await cache.get('a')).toEqual({ key: 'a', at: 1 }); // L1 hit
    l1.clear();
    expect(await cache.get('a')).toEqual({ key: 'a', at: 1 }); // L2 hit, backfills L1
    expect(await cache.get('a')).toEqual({ key: 'a', at: 1 }); // L1 hit
    expect(loads).toEqual(['a']);
    const r = await h.read(name);
    expect(r.requests()).toEqual({ l1_hit: 2, l2_hit: 1, origin: 1, error: 0 });
    expect(r.gets('l1')).toEqual({ hit: 2, miss: 2, error: 0 });
    expect(r.gets('l2')).toEqual({ hit: 1, miss: 1, error: 0 });
    expect(r.puts('l1')).toBe(2); // the load and the backfill
    expect(r.puts('l2')).toBe(1);
    expect(r.loads()).toEqual({ success: 1, error: 0 });
    expect(r.timed('l2', 'get')).toBe(2);
    expect(r.payload('l2', 'set').count).toBe(1);
    expect(r.entries('l1')).toBe(1);
  });

  it('single-flight: concurrent misses of one key share one load', async () => {
    const name = uniqueName('tiered-sf');
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const { cache } = tiered<string>(name, {
      load: async (k) => {
        calls++;
        await gate;
        return `v:${k}`;
      },
    });
    const all = Promise.all(Array.from({ length: 5 }, () => cache.get('k')));
    // Every request has missed L2 and joined the one load before it finishes.
    await waitFor(async () => calls === 1 && (await h.read(name)).gets('l2').miss === 5, {
      what: 'five L2 misses and one load',
    });
    await new Promise((r) => setImmediate(r));
    release();
    expect(await all).toEqual(Array(5).fill('v:k'));
    expect(calls).toBe(1);
    const r = await h.read(name);
    expect(r.loads()).toEqual({ success: 1, error: 0 });
    expect(r.deduplicated()).toBe(4);
    expect(r.requests().origin).toBe(5);
  });

  it('TTL expiry in both layers sends the next request to the origin', async () => {
    const name = uniqueName('tiered-ttl');
    const { cache, loads } = tiered<{ key: string; at: number }>(name, { ttl: 150, l2Ttl: 150 });
    await cache.get('t');
    await waitFor(async () => (await redis.exists(`${prefix}${name}:t`)) === 1, { what: 'L2 write' });
    await waitFor(async () => (await redis.exists(`${prefix}${name}:t`)) === 0, { what: 'L2 expiry' });
    expect(await cache.get('t')).toEqual({ key: 't', at: 2 });
    expect(loads).toEqual(['t', 't']);
    const r = await h.read(name);
    expect(r.requests()).toEqual({ l1_hit: 0, l2_hit: 0, origin: 2, error: 0 });
    expect(r.evictions('l1').expired).toBe(1);
    expect(r.gets('l2')).toEqual({ hit: 0, miss: 2, error: 0 });
  });

  it('a failed load rejects with its own error, counted', async () => {
    const name = uniqueName('tiered-err');
    const boom = new Error('origin down');
    const { cache } = tiered<string>(name, {
      load: async () => {
        throw boom;
      },
    });
    await expect(cache.get('x')).rejects.toBe(boom);
    const r = await h.read(name);
    expect(r.requests()).toEqual({ l1_hit: 0, l2_hit: 0, origin: 0, error: 1 });
    expect(r.loads()).toEqual({ success: 0, error: 1 });
  });

  it('a value too large or not serialisable is returned and kept in L1, not written to L2 (counted)', async () => {
    const name = uniqueName('tiered-big');
    const values: Record<string, unknown> = { big: 'x'.repeat(500), bigint: { n: 1n } };
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    values.circular = circular;
    const { cache } = tiered<unknown>(name, { maxValueBytes: 100, load: async (k) => values[k] });
    for (const k of ['big', 'bigint', 'circular']) expect(await cache.get(k)).toBe(values[k]);
    for (const k of ['big', 'bigint', 'circular']) expect(await cache.get(k)).toBe(values[k]); // L1
    const r = await h.read(name);
    expect(r.errors('l2')).toEqual({ 'set/too_large': 1, 'set/serialization': 2 });
    expect(r.puts('l2')).toBe(0);
    expect(r.requests()).toEqual({ l1_hit: 3, l2_hit: 0, origin: 3, error: 0 });
    expect(await redis.exists(`${prefix}${name}:big`)).toBe(0);
  });

  it('works with a node-redis client as L2 (TTL in PX)', async () => {
    const name = uniqueName('tiered-node-redis');
    const client = createClient({ socket: redisConfig });
    await client.connect();
    try {
      const l1 = new LRUCache<string, string>({ max: 10 });
      const cache = createTieredCache<string>({
        name,
        l1,
        l2: client,
        keyPrefix: `${prefix}${name}:`,
        l2Ttl: 60_000,
        load: async (k) => `v:${k}`,
      });
      expect(await cache.get('a')).toBe('v:a');
      await waitFor(async () => (await client.exists(`${prefix}${name}:a`)) === 1, { what: 'L2 write' });
      const ttl = await client.pTTL(`${prefix}${name}:a`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      l1.clear();
      expect(await cache.get('a')).toBe('v:a');
      await cache.delete('a');
      expect(await client.exists(`${prefix}${name}:a`)).toBe(0);
      const r = await h.read(name);
      expect(r.requests()).toEqual({ l1_hit: 0, l2_hit: 1, origin: 1, error: 0 });
      expect(r.evictions('l2').delete).toBe(1);
    } finally {
      await client.quit();
    }
  });

  it('an L1 instrumented on its own is not counted twice', async () => {
    const name = uniqueName('tiered-own-l1');
    const l1 = instrumentLruCache(new LRUCache<string, string>({ max: 10 }), { name });
    const cache = createTieredCache<string>({ name, l1, load: async (k) => `v:${k}` });
    await cache.get('a');
    await cache.get('a');
    const r = await h.read(name);
    expect(r.gets('l1')).toEqual({ hit: 1, miss: 1, error: 0 });
    expect(r.requests()).toEqual({ l1_hit: 1, l2_hit: 0, origin: 1, error: 0 });
  });

  it('Redis stopped mid-test: requests fall back to the origin, errors counted, nothing thrown; then recovery', async () => {
    const server = await startThrowawayRedis();
    const client = new Redis({
      host: '127.0.0.1',
      port: server.port,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => {});
    const name = uniqueName('tiered-down');
    const l1 = new LRUCache<string, string>({ max: 10 });
    let loads = 0;
    const cache = createTieredCache<string>({
      name,
      l1,
      l2: client,
      load: async (k) => `v${++loads}:${k}`,
      l2Timeout: 1000,
    });
    try {
      await waitFor(() => client.status === 'ready', { what: 'client ready' });
      expect(await cache.get('a')).toBe('v1:a');
      await waitFor(async () => (await client.exists(`${name}:a`)) === 1, { what: 'L2 write' });
      await server.stop();
      await waitFor(() => client.status !== 'ready', { what: 'client notices' });
      l1.clear();
      expect(await cache.get('a')).toBe('v2:a'); // L2 down: the origin answers
      await cache.set('b', 'direct'); // L2 write fails: counted, not thrown
      await cache.delete('b');
      let r = await h.read(name);
      expect(r.gets('l2')).toEqual({ hit: 0, miss: 1, error: 1 });
      expect(r.requests()).toEqual({ l1_hit: 0, l2_hit: 0, origin: 2, error: 0 });
      await waitFor(async () => (await h.read(name)).errors('l2')['set/connection'] === 2, {
        what: 'background set error',
      });
      r = await h.read(name);
      expect(r.errors('l2')).toEqual({ 'get/connection': 1, 'set/connection': 2, 'delete/connection': 1 });

      await server.start();
      await waitFor(() => client.status === 'ready', { what: 'reconnect', timeoutMs: 15_000 });
      l1.clear();
      expect(await cache.get('a')).toBe('v3:a'); // fresh server: L2 miss, origin, L2 written again
      await waitFor(async () => (await client.exists(`${name}:a`)) === 1, {
        what: 'L2 write after recovery',
      });
      l1.clear();
      expect(await cache.get('a')).toBe('v3:a'); // L2 hit again
      r = await h.read(name);
      expect(r.gets('l2')).toEqual({ hit: 1, miss: 2, error: 1 });
      expect(r.requests().l2_hit).toBe(1);
    } finally {
      client.disconnect();
      await server.destroy();
    }
  });
});
