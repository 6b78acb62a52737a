import { join } from 'node:path';
import { freePort, type NodeProcess, postgresConfig, runNode, waitFor } from '@otel-perf/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The example as a user runs it (`node src/server.mjs`), against the real PostgreSQL. */
let app: NodeProcess;
let base: string;
let metricsUrl: string;

beforeAll(async () => {
  const metricsPort = await freePort();
  app = runNode([join(import.meta.dirname, '..', 'src', 'server.mjs')], {
    cwd: join(import.meta.dirname, '..'),
    timeoutMs: 120_000,
    env: {
      PORT: '0',
      METRICS_PORT: String(metricsPort),
      PGHOST: postgresConfig.host,
      PGPORT: String(postgresConfig.port),
      PGUSER: postgresConfig.user,
      PGDATABASE: postgresConfig.database,
    },
  });
  const m = await app.waitForOutput(/listening (http:\/\/\S+) metrics (http:\/\/\S+)/);
  base = m[1] as string;
  metricsUrl = m[2] as string;
});

afterAll(async () => {
  app?.kill('SIGTERM');
  await app?.exited;
});

describe('per-package example (ESM, no preload)', () => {
  it('serves products through the L1 cache and the pg pool', async () => {
    for (const id of [1, 2, 1, 1, 3]) {
      const res = await fetch(`${base}/products/${id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { id: number }).id).toBe(id);
    }
    for (let i = 0; i < 6; i++) await fetch(`${base}/upstream?fail=1`);
    expect(await (await fetch(`${base}/health/ready`)).json()).toMatchObject({ status: 'pass' });
  });

  it('exposes every package’s metrics on its own Prometheus exporter', async () => {
    const body = await waitFor(
      async () => {
        const text = await (await fetch(metricsUrl)).text();
        return /cache_gets/.test(text) && /db_client_connection_count/.test(text) ? text : undefined;
      },
      { what: 'cache and pool metrics', timeoutMs: 20_000 },
    );
    expect(body).toMatch(
      /http_server_request_duration_bucket\{[^}]*http_route="\/products\/:id"[^}]*le="0\.5"\}/,
    );
    expect(body).toMatch(/cache_gets_total\{[^}]*cache_name="products"[^}]*cache_result="hit"[^}]*\} 2/);
    expect(body).toMatch(/cache_gets_total\{[^}]*cache_name="products"[^}]*cache_result="miss"[^}]*\} 3/);
    expect(body).toMatch(
      /db_client_operation_duration_count\{[^}]*db_system_name="postgresql"[^}]*db_query_summary="SELECT"[^}]*\} [1-9]/,
    );
    expect(body).toMatch(/db_client_connection_count\{[^}]*db_client_connection_pool_name="main"/);
    expect(body).toMatch(/circuit_breaker_calls_total\{[^}]*circuit_breaker_name="upstream"/);
    expect(body).toMatch(/nodejs_eventloop_delay/);
  });
});
