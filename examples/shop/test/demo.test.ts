import { join, resolve } from 'node:path';
import { type NodeProcess, runProcess, waitFor } from '@otel-perf/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedEnv, stop } from './spawn.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');

/**
 * `npm start`, the README's first command, exactly as a user runs it (scripts/start.sh), on embedded
 * defaults: no DATABASE_URL (PGlite in-process behind a real pg pool), no REDIS_URL (L2 off), OS-chosen ports.
 */
let demo: NodeProcess;
let metrics: string;
let shop: string;

beforeAll(async () => {
  demo = runProcess('bash', [join(repo, 'scripts', 'start.sh')], {
    cwd: repo,
    env: embeddedEnv({ DEMO_DURATION: '60' }),
    group: true,
    timeoutMs: 400_000,
  });
  metrics = (
    await demo.waitForOutput(/^\s+metrics\s+(http:\/\/\S+)\/metrics$/m, 120_000, 'all')
  )[1] as string;
  shop = (
    await demo.waitForOutput(/^\s+the shop\s+(http:\/\/\S+)\/products\/1$/m, 120_000, 'all')
  )[1] as string;
}, 180_000);

afterAll(async () => {
  if (demo) await stop(demo, 'SIGINT');
});

async function text(url: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('npm start on embedded defaults', () => {
  it('says where the database and cache come from', async () => {
    // The service's lines and the demo's banner arrive on different pipes: wait for each.
    await demo.waitForOutput(
      /\[shop\] database: embedded PostgreSQL \(PGlite\) on 127\.0\.0\.1:\d+/,
      30_000,
      'all',
    );
    await demo.waitForOutput(/L2 Redis is off \(REDIS_URL is not set\)/, 30_000, 'all');
    expect(demo.output()).toContain(`${metrics}/dashboard/`);
    expect(demo.output()).toContain(`${metrics}/health/ready`);
  });

  it('the shop answers from the embedded database', async () => {
    const r = await text(`${shop}/products/1`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ id: 1 });
  });

  it('serves metrics of the load generator traffic, the pg pool and the breaker', async () => {
    const body = await waitFor(
      async () => {
        const r = await text(`${metrics}/metrics`);
        return /http_server_request_duration_seconds_count\{[^}]*http_route="\/products\/:id"[^}]*\} [1-9]/.test(
          r.body,
        ) &&
          /circuit_breaker_/.test(r.body) &&
          /db_client_connection_count\{[^}]*db_client_connection_pool_name="shop"/.test(r.body)
          ? r.body
          : undefined;
      },
      { what: 'HTTP, breaker and pg pool metrics on /metrics', timeoutMs: 60_000 },
    );
    expect(body).toMatch(/http_server_request_duration_seconds_bucket\{[^}]*le="0\.5"/);
    expect(body).toMatch(/^target_info\{[^}]*service_name="shop"/m);
  });

  it('serves the product cache metrics (createTieredCache, L1 only without REDIS_URL)', async () => {
    /** The value of the first sample of `metric` whose labels include every `label="value"` given. */
    const sample = (body: string, metric: string, labels: string[]) =>
      body
        .split('\n')
        .find((l) => l.startsWith(`${metric}{`) && labels.every((x) => l.includes(x)))
        ?.split(' ')
        .at(-1);
    const products = 'cache_name="products"';
    const body = await waitFor(
      async () => {
        const r = await text(`${metrics}/metrics`);
        return Number(sample(r.body, 'cache_requests_total', [products, 'cache_path="l1_hit"'])) > 0
          ? r.body
          : undefined;
      },
      { what: 'products cache metrics on /metrics', timeoutMs: 60_000 },
    );
    expect(
      Number(sample(body, 'cache_gets_total', [products, 'cache_layer="l1"', 'cache_result="hit"'])),
    ).toBeGreaterThan(0);
    expect(
      Number(sample(body, 'cache_loads_total', [products, 'cache_load_result="success"'])),
    ).toBeGreaterThan(0);
    expect(sample(body, 'cache_gets_total', [products, 'cache_layer="l2"'])).toBeUndefined();
  });

  it('serves health', async () => {
    const live = await text(`${metrics}/health/live`);
    expect(live.status).toBe(200);
    expect(live.type).toBe('application/health+json');
    const ready = await waitFor(
      async () => {
        const r = await text(`${metrics}/health/ready`);
        return r.status === 200 ? r : undefined;
      },
      { what: 'ready 200' },
    );
    expect(JSON.parse(ready.body).status).toBe('pass');
    const perf = await text(`${metrics}/health/performance?detailed=true`);
    expect([200, 503]).toContain(perf.status);
    expect(JSON.parse(perf.body).score).toEqual(expect.any(Number));
  });

  it('serves the dashboard and its history', async () => {
    const page = await text(`${metrics}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(page.body).toContain('<title>shop');
    const history = await waitFor(
      async () => {
        const r = await text(`${metrics}/api/metrics/history?window=300`);
        const h = JSON.parse(r.body) as { frames: unknown[] };
        return h.frames.length > 0 ? h : undefined;
      },
      { what: 'dashboard history frames' },
    );
    expect(history.frames.length).toBeGreaterThan(0);
  });

  it('serves the alert API, with the printed token for its write routes', async () => {
    const token = (
      await demo.waitForOutput(/API token for acknowledge \/ silence: (\S+)\)/, 120_000, 'all')
    )[1] as string;
    const list = await text(`${metrics}/api/alerts`);
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).toHaveProperty('alerts');
    const refused = await fetch(`${metrics}/api/alerts/baseline`, { method: 'POST' });
    expect(refused.status).toBe(401);
    const marked = await fetch(`${metrics}/api/alerts/baseline`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(marked.status).toBe(200);
  });

  it('stops on SIGINT like any foreground command', async () => {
    const exit = await stop(demo, 'SIGINT');
    expect(exit.code === 0 || exit.signal === 'SIGINT' || exit.code === 130).toBe(true);
  });
});
