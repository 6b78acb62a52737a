import { createServer, type Server } from 'node:http';
import {
  close,
  listen,
  startThrowawayPostgres,
  startThrowawayRedis,
  type ThrowawayServer,
  waitFor,
} from '@otel-perf/test-utils';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealth, type Health, pgCheck, redisCheck } from '../../src/index.js';

/** A health+json body, navigated freely by the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are navigated freely in assertions
type HealthBody = Record<string, any>;

/**
 * A real PostgreSQL and a real Redis, each private to this file so they can be stopped and started again
 * without touching the shared servers; the app reaches them over TCP through a real pg pool and ioredis.
 */
let postgres: ThrowawayServer;
let redis: ThrowawayServer;
let pool: pg.Pool;
let client: Redis;
let health: Health;
let server: Server;
let base: string;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startThrowawayPostgres(), startThrowawayRedis()]);
  pool = new pg.Pool({
    host: '127.0.0.1',
    port: postgres.port,
    user: 'postgres',
    database: 'postgres',
    max: 2,
    connectionTimeoutMillis: 500,
  });
  pool.on('error', () => undefined); // idle clients die with the server; the app would log this
  client = new Redis({
    host: '127.0.0.1',
    port: redis.port,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => 50,
  });
  client.on('error', () => undefined);
  health = createHealth({
    disable: ['eventloop:delay', 'memory:heap'],
    checks: [
      pgCheck(pool, { name: 'main', intervalMs: 100, timeoutMs: 800 }),
      redisCheck(client, { name: 'cache', intervalMs: 100, timeoutMs: 800 }),
    ],
  }).start();
  server = createServer((req, res) => void health.handle(req, res));
  base = `http://127.0.0.1:${await listen(server)}`;
}, 120_000);

afterAll(async () => {
  health?.close();
  if (server) await close(server);
  client?.disconnect();
  await pool?.end().catch(() => undefined);
  await Promise.all([postgres?.destroy(), redis?.destroy()]);
});

async function ready(): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(`${base}/health/ready?detailed=true`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

describe('dependency checks against real servers', () => {
  it('are ready while PostgreSQL and Redis answer', async () => {
    const r = await waitFor(
      async () => {
        const x = await ready();
        return x.status === 200 ? x : undefined;
      },
      { what: 'ready 200' },
    );
    expect(r.body.checks['postgres:connection'][0]).toMatchObject({ status: 'pass', componentId: 'main' });
    expect(r.body.checks['redis:connection'][0]).toMatchObject({ status: 'pass', componentId: 'cache' });
  });

  it('a stopped PostgreSQL fails its check and ready answers 503; restored, ready is 200 again', async () => {
    await postgres.stop();
    const down = await waitFor(
      async () => {
        const x = await ready();
        return x.status === 503 ? x : undefined;
      },
      { what: 'ready 503 with PostgreSQL stopped', timeoutMs: 15_000 },
    );
    expect(down.body.status).toBe('fail');
    expect(down.body.checks['postgres:connection'][0].status).toMatch(/fail|warn/);
    expect(down.body.checks['redis:connection'][0].status).toBe('pass');
    await postgres.start();
    await waitFor(async () => (await ready()).status === 200, {
      what: 'ready 200 after restart',
      timeoutMs: 20_000,
    });
  }, 60_000);

  it('a stopped Redis fails its check and ready answers 503; restored, ready is 200 again', async () => {
    await redis.stop();
    const down = await waitFor(
      async () => {
        const x = await ready();
        return x.status === 503 ? x : undefined;
      },
      { what: 'ready 503 with Redis stopped', timeoutMs: 15_000 },
    );
    expect(down.body.checks['redis:connection'][0].status).toMatch(/fail|warn/);
    expect(down.body.checks['postgres:connection'][0].status).toBe('pass');
    await redis.start();
    await waitFor(async () => (await ready()).status === 200, {
      what: 'ready 200 after Redis restart',
      timeoutMs: 20_000,
    });
  }, 60_000);
});
