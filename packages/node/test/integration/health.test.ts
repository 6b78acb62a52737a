import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startThrowawayPostgres,
  startThrowawayRedis,
  type ThrowawayServer,
  waitFor,
} from '@otel-perf/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appPort, metricsUrl, runApp } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: health+json bodies are navigated freely in assertions
type HealthBody = Record<string, any>;

/**
 * The health endpoints of the preloaded distro, in a real subprocess app whose own pg pool and ioredis
 * client talk to a PostgreSQL and a Redis private to this file (so they can be stopped and started).
 */
let postgres: ThrowawayServer;
let redis: ThrowawayServer;
let configFile: string;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startThrowawayPostgres(), startThrowawayRedis()]);
  const dir = mkdtempSync(join(tmpdir(), 'otel-perf-health-'));
  configFile = join(dir, 'otel-perf.json');
  writeFileSync(configFile, JSON.stringify({ health: { drainDelayMs: 1500 } }));
}, 120_000);

afterAll(async () => {
  await Promise.all([postgres?.destroy(), redis?.destroy()]);
});

function start(preload: 'require' | 'none') {
  return runApp('health-app.cjs', {
    preload,
    timeoutMs: 90_000,
    env: { PG_PORT: String(postgres.port), REDIS_PORT: String(redis.port), OTEL_PERF_CONFIG: configFile },
  });
}

async function get(url: string): Promise<{ status: number; body: HealthBody; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as HealthBody, headers: res.headers };
}

async function until(url: string, status: number, what: string) {
  return waitFor(
    async () => {
      const r = await get(url).catch(() => undefined);
      return r?.status === status ? r : undefined;
    },
    { what, timeoutMs: 20_000 },
  );
}

describe('health endpoints of the preload (real subprocess, real PostgreSQL and Redis)', () => {
  it('live, ready and performance answer; a stopped dependency fails ready, a hanging check is cut', async () => {
    const app = start('require');
    try {
      const base = await metricsUrl(app);
      await appPort(app);
      expect(app.stdout()).toContain('checks added 3');

      const live = await get(`${base}/health/live`);
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('pass');
      expect(live.headers.get('content-type')).toBe('application/health+json');
      expect(live.headers.get('cache-control')).toBe('no-store');

      const ready = await until(`${base}/health/ready`, 200, 'ready 200 with both servers up');
      expect(ready.body.checks['postgres:connection'][0]).toMatchObject({
        status: 'pass',
        componentId: 'main',
      });
      expect(ready.body.checks['redis:connection'][0]).toMatchObject({
        status: 'pass',
        componentId: 'sessions',
      });

      const perf = await get(`${base}/health/performance?detailed=true`);
      expect([200, 503]).toContain(perf.status);
      expect(perf.body.score).toBeGreaterThanOrEqual(0);
      expect(perf.body.score).toBeLessThanOrEqual(100);
      const hang = perf.body.checks['upstream:hang'][0];
      expect(hang.status).toBe('warn');
      expect(hang.score).toBeNull();
      expect(hang.output).toMatch(/300 ms/);
      expect(perf.body.notes.join(' ')).toContain('upstream:hang');

      await postgres.stop();
      const pgDown = await until(`${base}/health/ready`, 503, 'ready 503 with PostgreSQL stopped');
      expect(pgDown.body.status).toBe('fail');
      expect(pgDown.body.checks['postgres:connection'][0].status).toBe('fail');
      expect(pgDown.body.checks['redis:connection'][0].status).toBe('pass');
      await postgres.start();
      await until(`${base}/health/ready`, 200, 'ready 200 after PostgreSQL is back');

      await redis.stop();
      const redisDown = await until(`${base}/health/ready`, 503, 'ready 503 with Redis stopped');
      expect(redisDown.body.checks['redis:connection'][0].status).toBe('fail');
      expect(redisDown.body.checks['postgres:connection'][0].status).toBe('pass');
      await redis.start();
      await until(`${base}/health/ready`, 200, 'ready 200 after Redis is back');
    } finally {
      app.kill('SIGKILL');
      await app.exited;
    }
  }, 120_000);

  it('SIGTERM turns ready to 503 during the drain, then the app exits as it does without the preload', async () => {
    const bare = start('none');
    await appPort(bare);
    expect(bare.stdout()).toContain('checks added 0');
    bare.kill('SIGTERM');
    const bareExit = await bare.exited;

    const app = start('require');
    const base = await metricsUrl(app);
    await appPort(app);
    await until(`${base}/health/ready`, 200, 'ready before SIGTERM');
    app.kill('SIGTERM');
    const draining = await until(`${base}/health/ready`, 503, 'ready 503 while draining');
    expect(draining.body.output).toMatch(/draining/);
    // The app's own handler runs after the drain delay, not before.
    expect(app.stdout()).not.toContain('app got SIGTERM');
    const exit = await app.exited;
    expect(app.stdout()).toContain('app got SIGTERM');
    expect(exit).toEqual(bareExit);
    expect(exit).toEqual({ code: 0, signal: null });
  }, 60_000);
});
