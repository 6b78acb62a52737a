import { redisConfig, serviceHint, startThrowawayRedis, waitFor } from '@otel-perf/test-utils';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instrumentIoredis, instrumentNodeRedis } from '../../src/index.js';
import { type Harness, harness, uniqueName } from '../setup.js';

const prefix = `otel-perf-cache-test:${process.pid}:clients:`;
let h: Harness;
let admin: Redis;

beforeAll(async () => {
  admin = new Redis({ ...redisConfig, lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect().catch((err: unknown) => {
    throw serviceHint('redis', err);
  });
});
afterAll(async () => {
  // Only our own keys: never FLUSHALL on the shared server.
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

/** Settles a promise into what the caller saw: the value or the error. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('instrumentIoredis (real Redis)', () => {
  it('counts get/set/del/mget with exact values, timing and payload sizes', async () => {
    const name = uniqueName('ioredis');
    const client = instrumentIoredis(new Redis(redisConfig), { name });
    try {
      const k = `${prefix}${name}:a`;
      expect(await client.get(k)).toBeNull();
      expect(await client.set(k, 'hello', 'PX', 60_000)).toBe('OK');
      expect(await client.set(k, 'x', 'NX')).toBeNull(); // not stored: not a put
      expect(await client.get(k)).toBe('hello');
      expect(await client.mget(k, `${prefix}${name}:b`)).toEqual(['hello', null]);
      const viaCallback = await new Promise((resolve, reject) =>
        client.get(k, (err, v) => (err ? reject(err) : resolve(v))),
      );
      expect(viaCallback).toBe('hello');
      expect(await client.del(k, `${prefix}${name}:b`)).toBe(1);
      const r = await h.read(name);
      expect(r.gets('l2')).toEqual({ hit: 3, miss: 2, error: 0 });
      expect(r.puts('l2')).toBe(1);
      expect(r.evictions('l2')).toEqual({ size: 0, expired: 0, delete: 1, replaced: 0 });
      expect(r.timed('l2', 'get')).toBe(4); // get, get, mget, get (callback)
      expect(r.timed('l2', 'set')).toBe(2);
      expect(r.timed('l2', 'delete')).toBe(1);
      expect(r.payload('l2', 'set')).toEqual({ count: 1, sum: 5 });
      expect(r.payload('l2', 'get')).toEqual({ count: 3, sum: 15 });
      expect(r.errors('l2')).toEqual({});
    } finally {
      client.disconnect();
    }
  });

  it('Redis stopped: the caller gets exactly the error a bare client gets, counted; then recovery', async () => {
    const server = await startThrowawayRedis();
    const opts = { host: '127.0.0.1', port: server.port, enableOfflineQueue: false, maxRetriesPerRequest: 0 };
    const name = uniqueName('ioredis-down');
    const bare = new Redis(opts);
    const client = instrumentIoredis(new Redis(opts), { name });
    bare.on('error', () => {});
    client.on('error', () => {});
    try {
      await waitFor(() => bare.status === 'ready' && client.status === 'ready', { what: 'clients ready' });
      await client.set('k', 'v');
      await server.stop();
      await waitFor(() => bare.status !== 'ready' && client.status !== 'ready', { what: 'clients notice' });
      const [b, c] = await Promise.all([outcome(bare.get('k')), outcome(client.get('k'))]);
      expect('error' in c).toBe(true);
      expect((c as { error: Error }).error.constructor).toBe((b as { error: Error }).error.constructor);
      expect((c as { error: Error }).error.message).toBe((b as { error: Error }).error.message);
      const setOutcome = await outcome(client.set('k', 'w'));
      expect('error' in setOutcome).toBe(true);
      let r = await h.read(name);
      expect(r.gets('l2')).toEqual({ hit: 0, miss: 0, error: 1 });
      expect(r.errors('l2')).toEqual({ 'get/connection': 1, 'set/connection': 1 });

      await server.start();
      await waitFor(() => client.status === 'ready', { what: 'reconnect', timeoutMs: 15_000 });
      expect(await client.get('k')).toBeNull(); // the throwaway server has no persistence
      r = await h.read(name);
      expect(r.gets('l2')).toEqual({ hit: 0, miss: 1, error: 1 });
    } finally {
      bare.disconnect();
      client.disconnect();
      await server.destroy();
    }
  });

  it('counts a command timeout as error.type=timeout and rejects like the bare client', async () => {
    const server = await startThrowawayRedis();
    const name = uniqueName('ioredis-timeout');
    const pauser = new Redis({ host: '127.0.0.1', port: server.port });
    const client = instrumentIoredis(
      new Redis({ host: '127.0.0.1', port: server.port, commandTimeout: 50 }),
      {
        name,
      },
    );
    try {
      await client.ping();
      await pauser.call('CLIENT', 'PAUSE', '3000', 'ALL');
      const c = await outcome(client.get('k'));
      expect((c as { error: Error }).error.message).toBe('Command timed out');
      const r = await h.read(name);
      expect(r.errors('l2')).toEqual({ 'get/timeout': 1 });
    } finally {
      pauser.disconnect();
      client.disconnect();
      await server.destroy();
    }
  });
});

describe('instrumentNodeRedis (real Redis)', () => {
  it('counts get/set/del/mGet with exact values', async () => {
    const name = uniqueName('node-redis');
    const client = instrumentNodeRedis(createClient({ socket: redisConfig }), { name });
    await client.connect();
    try {
      const k = `${prefix}${name}:a`;
      expect(await client.get(k)).toBeNull();
      expect(await client.set(k, 'hello', { PX: 60_000 })).toBe('OK');
      expect(await client.get(k)).toBe('hello');
      expect(await client.mGet([k, `${prefix}${name}:b`])).toEqual(['hello', null]);
      expect(await client.del(k)).toBe(1);
      const r = await h.read(name);
      expect(r.gets('l2')).toEqual({ hit: 2, miss: 2, error: 0 });
      expect(r.puts('l2')).toBe(1);
      expect(r.evictions('l2').delete).toBe(1);
      expect(r.payload('l2', 'get')).toEqual({ count: 2, sum: 10 });
    } finally {
      await client.quit();
    }
  });

  it('Redis stopped: the same error as a bare client, counted', async () => {
    const server = await startThrowawayRedis();
    const name = uniqueName('node-redis-down');
    const make = () =>
      createClient({
        socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: 50 },
        disableOfflineQueue: true,
      });
    const bare = make();
    const client = instrumentNodeRedis(make(), { name });
    bare.on('error', () => {});
    client.on('error', () => {});
    try {
      await Promise.all([bare.connect(), client.connect()]);
      await server.stop();
      await waitFor(() => !bare.isReady && !client.isReady, { what: 'clients notice' });
      const [b, c] = await Promise.all([outcome(bare.get('k')), outcome(client.get('k'))]);
      expect('error' in c).toBe(true);
      expect((c as { error: Error }).error.constructor).toBe((b as { error: Error }).error.constructor);
      expect((c as { error: Error }).error.message).toBe((b as { error: Error }).error.message);
      const r = await h.read(name);
      expect(r.gets('l2')).toEqual({ hit: 0, miss: 0, error: 1 });
      expect(r.errors('l2')).toEqual({ 'get/connection': 1 });
    } finally {
      bare.destroy();
      client.destroy();
      await server.destroy();
    }
  });
});
