import { createServer, type Server } from 'node:http';
import { close, listen, waitFor } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { AnomalyProcessor } from '../src/index.js';
import { collection, gauge, ONLY } from './synthetic.js';

interface Received {
  method: string;
  path: string;
  headers: Record<string, unknown>;
  body: Array<{
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt?: string;
  }>;
}

/** A tiny Alertmanager stand-in on loopback that records what it receives (the real one is tested elsewhere). */
async function receiver(status = 200): Promise<{ server: Server; url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      data += d;
    });
    req.on('end', () => {
      got.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(data),
      });
      res.writeHead(status).end();
    });
  });
  const port = await listen(server);
  return { server, url: `http://127.0.0.1:${port}`, got };
}

describe('Alertmanager v2 push', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await close(server);
  });

  it('POSTs firing and resolved alerts to /api/v2/alerts, and re-sends firing ones', async () => {
    const r = await receiver();
    server = r.server;
    let now = Date.UTC(2026, 0, 1);
    const p = new AnomalyProcessor({
      signals: [{ id: 'pods.ready', metric: 'pods.ready', stat: 'value', groupBy: ['pod'] }],
      rules: ONLY,
      thresholds: [{ name: 'podDown', signal: 'pods.ready', op: 'lt', value: 1, level: 'critical' }],
      alertmanager: {
        url: r.url,
        resendMs: 30_000,
        labels: { service: 'shop' },
        headers: { 'x-scope': 'team-a' },
      },
      now: () => now,
    });
    const step = (v: number) => {
      now += 15_000;
      p.evaluate(collection(gauge('pods.ready', [[{ pod: 'a' }, v]], now)), now);
    };
    step(0);
    await waitFor(() => r.got.length >= 1, { what: 'the firing push' });
    const first = r.got[0] as Received;
    expect(first.method).toBe('POST');
    expect(first.path).toBe('/api/v2/alerts');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers['x-scope']).toBe('team-a');
    expect(first.body).toEqual([
      {
        labels: {
          alertname: 'podDown',
          severity: 'critical',
          signal: 'pods.ready',
          pod: 'a',
          service: 'shop',
        },
        annotations: expect.objectContaining({
          summary: 'pods.ready is 0, below 1',
          value: '0',
          series: 'pods.ready{pod="a"}',
        }),
        startsAt: new Date(now).toISOString(),
      },
    ]);
    step(0); // 15 s after: no re-send yet
    step(0); // 30 s after the first send: re-sent
    await waitFor(() => r.got.length >= 2, { what: 'the re-send' });
    expect(r.got[1]?.body[0]?.labels.alertname).toBe('podDown');
    step(1);
    await waitFor(() => r.got.length >= 3, { what: 'the resolved push' });
    await p.forceFlush();
    expect(r.got).toHaveLength(3);
    expect(r.got[2]?.body[0]?.endsAt).toBe(new Date(now).toISOString());
  });

  it('a receiver that fails or is down never breaks evaluation; the alert stays', async () => {
    const r = await receiver(500);
    server = r.server;
    const p = new AnomalyProcessor({
      signals: [{ id: 'x', metric: 'x', stat: 'value', groupBy: [] }],
      rules: ONLY,
      thresholds: [{ name: 'x', signal: 'x', op: 'gt', value: 0 }],
      alertmanager: { url: r.url },
    });
    expect(() => p.evaluate(collection(gauge('x', [[{}, 1]], Date.now())))).not.toThrow();
    await p.forceFlush();
    expect(r.got).toHaveLength(1);
    expect(p.activeAlerts()).toHaveLength(1);
  });

  it('shutdown does not wait for a receiver that never answers (pushes get at most 1 s)', async () => {
    const silent = createServer(() => {});
    let connected = false;
    silent.on('connection', () => {
      connected = true;
    });
    server = silent;
    const port = await listen(silent);
    const p = new AnomalyProcessor({
      signals: [{ id: 'x', metric: 'x', stat: 'value', groupBy: [] }],
      rules: ONLY,
      thresholds: [{ name: 'x', signal: 'x', op: 'gt', value: 0 }],
      alertmanager: { url: `http://127.0.0.1:${port}`, timeoutMs: 120_000 },
    });
    p.evaluate(collection(gauge('x', [[{}, 1]], Date.now())));
    await waitFor(() => connected, { what: 'the push to connect' });
    // The test's own 30 s timeout is far below the push's 120 s: this resolves only if shutdown bounds it.
    await p.shutdown();
    expect(p.activeAlerts()).toHaveLength(1);
  });

  it('rejects a bad URL at construction, naming the key', () => {
    expect(() => new AnomalyProcessor({ alertmanager: { url: 'ftp://x' } })).toThrow(
      /alertmanager\.url must be an http\(s\) URL/,
    );
  });
});
