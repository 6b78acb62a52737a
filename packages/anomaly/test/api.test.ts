import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Route } from '@otel-perf/core';
import { close, listen } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnomalyConfig, anomalyPlugin } from '../src/index.js';
import { collection, gauge, ONLY } from './synthetic.js';

const TOKEN = 'test-token-0123456789abcdef';

/** Mounts routes the way the distro's metrics server does: exact path, or a prefix ending in `/*`. */
function serve(routes: Route[]): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes.find(
      (r) =>
        r.method === req.method &&
        (r.path.endsWith('/*') ? url.pathname.startsWith(r.path.slice(0, -1)) : url.pathname === r.path),
    );
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    void Promise.resolve(route.handler(req, res, url)).catch(() => res.writeHead(500).end());
  });
}

async function call(
  port: number,
  method: string,
  path: string,
  { token, body }: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

describe('alerts HTTP API', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
  });

  async function setup(extra: Partial<AnomalyConfig> = {}) {
    let now = Date.UTC(2026, 0, 1);
    const plugin = anomalyPlugin({
      signals: [{ id: 'pods.ready', metric: 'pods.ready', stat: 'value', groupBy: ['pod'] }],
      rules: ONLY,
      thresholds: [{ name: 'podDown', signal: 'pods.ready', op: 'lt', value: 1, level: 'warning' }],
      now: () => now,
      ...extra,
    });
    const step = (pods: Record<string, number>) => {
      now += 15_000;
      plugin.processor.evaluate(
        collection(
          gauge(
            'pods.ready',
            Object.entries(pods).map(([p, v]) => [{ pod: p }, v]),
            now,
          ),
        ),
        now,
      );
    };
    server = serve(plugin.routes?.() ?? []);
    const port = await listen(server);
    step({ a: 0, b: 1 });
    const id = plugin.activeAlerts()[0]?.id as string;
    return { plugin, port, id, step, now: () => now };
  }

  it('GET lists alerts, filtered by state; an unknown state is a 400 naming the allowed ones', async () => {
    const { port, id } = await setup({ apiToken: TOKEN });
    const all = await call(port, 'GET', '/api/alerts');
    expect(all.status).toBe(200);
    expect(all.body.alerts).toMatchObject([
      { id, rule: 'podDown', state: 'firing', labels: { pod: 'a' }, level: 'warning' },
    ]);
    expect((await call(port, 'GET', '/api/alerts?state=active')).body.alerts).toHaveLength(1);
    expect((await call(port, 'GET', '/api/alerts?state=resolved')).body.alerts).toEqual([]);
    const bad = await call(port, 'GET', '/api/alerts?state=bogus');
    expect(bad.status).toBe(400);
    expect(bad.body.allowed).toContain('active');
  });

  it('write routes: 403 when no token is configured, whatever the request sends', async () => {
    const { port, id, plugin } = await setup();
    for (const action of ['acknowledge', 'silence']) {
      const r = await call(port, 'POST', `/api/alerts/${id}/${action}`, {
        token: TOKEN,
        body: { durationMs: 60_000 },
      });
      expect(r.status).toBe(403);
      expect(String(r.body.error)).toMatch(/apiToken/);
    }
    expect(plugin.activeAlerts()[0]?.acknowledged).toBe(false);
  });

  it('write routes: 401 without the token or with a wrong one', async () => {
    const { port, id, plugin } = await setup({ apiToken: TOKEN });
    expect((await call(port, 'POST', `/api/alerts/${id}/acknowledge`)).status).toBe(401);
    expect((await call(port, 'POST', `/api/alerts/${id}/acknowledge`, { token: 'wrong' })).status).toBe(401);
    expect((await call(port, 'POST', `/api/alerts/${id}/acknowledge`, { token: `${TOKEN}x` })).status).toBe(
      401,
    );
    expect(
      (await call(port, 'POST', `/api/alerts/${id}/silence`, { body: { durationMs: 1000 } })).status,
    ).toBe(401);
    expect(plugin.activeAlerts()[0]?.acknowledged).toBe(false);
  });

  it('acknowledge and silence with the token; 404 for an unknown id; 400 for a bad silence', async () => {
    const { port, id, plugin, now, step } = await setup({ apiToken: TOKEN });
    expect((await call(port, 'POST', '/api/alerts/no-such-id/acknowledge', { token: TOKEN })).status).toBe(
      404,
    );
    expect(
      (
        await call(port, 'POST', '/api/alerts/no-such-id/silence', {
          token: TOKEN,
          body: { durationMs: 1000 },
        })
      ).status,
    ).toBe(404);
    expect((await call(port, 'POST', `/api/alerts/${id}/explode`, { token: TOKEN })).status).toBe(404);

    const ack = await call(port, 'POST', `/api/alerts/${encodeURIComponent(id)}/acknowledge`, {
      token: TOKEN,
    });
    expect(ack.status).toBe(200);
    expect(ack.body.alert).toMatchObject({ id, acknowledged: true });
    expect(plugin.activeAlerts()[0]?.acknowledged).toBe(true);

    expect((await call(port, 'POST', `/api/alerts/${id}/silence`, { token: TOKEN, body: {} })).status).toBe(
      400,
    );
    expect(
      (await call(port, 'POST', `/api/alerts/${id}/silence`, { token: TOKEN, body: { until: 'soon' } }))
        .status,
    ).toBe(400);
    expect(
      (await call(port, 'POST', `/api/alerts/${id}/silence`, { token: TOKEN, body: { durationMs: -5 } }))
        .status,
    ).toBe(400);
    const until = new Date(now() + 3_600_000).toISOString();
    const sil = await call(port, 'POST', `/api/alerts/${id}/silence`, { token: TOKEN, body: { until } });
    expect(sil.status).toBe(200);
    expect(sil.body.alert).toMatchObject({ id, silencedUntil: until });
    expect(plugin.activeAlerts()).toEqual([]);
    step({ a: 0 });
    expect((await call(port, 'GET', '/api/alerts?state=silenced')).body.alerts).toMatchObject([{ id }]);
  });

  it('POST /baseline marks the regression baseline (token required)', async () => {
    const { port } = await setup({
      apiToken: TOKEN,
      rules: { ...ONLY, regression: { signals: ['pods.ready'] } },
    });
    expect((await call(port, 'POST', '/api/alerts/baseline')).status).toBe(401);
    const r = await call(port, 'POST', '/api/alerts/baseline', { token: TOKEN });
    expect(r).toEqual({ status: 200, body: { marked: 2 } });
  });

  it('without apiToken in the config, the token comes from OTEL_PERF_ANOMALY_API_TOKEN', async () => {
    process.env.OTEL_PERF_ANOMALY_API_TOKEN = TOKEN;
    try {
      const { port, id } = await setup();
      expect((await call(port, 'POST', `/api/alerts/${id}/acknowledge`)).status).toBe(401);
      expect((await call(port, 'POST', `/api/alerts/${id}/acknowledge`, { token: TOKEN })).status).toBe(200);
      process.env.OTEL_PERF_ANOMALY_API_TOKEN = 'short';
      expect(() => anomalyPlugin()).toThrow(/apiToken must be a string of at least 16 characters/);
    } finally {
      delete process.env.OTEL_PERF_ANOMALY_API_TOKEN;
    }
  });

  it('a short token is a configuration error naming the key', () => {
    expect(() => anomalyPlugin({ apiToken: 'short' })).toThrow(
      /apiToken must be a string of at least 16 characters/,
    );
  });
});
