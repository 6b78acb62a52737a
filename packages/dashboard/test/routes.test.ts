import type { Server } from 'node:http';
import { close, createTestMetrics, waitFor } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { Dashboard, dashboardPlugin } from '../src/index.js';
import { serveRoutes } from './helpers.js';

let server: Server | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  if (server) await close(server);
  server = undefined;
  await cleanup?.();
});

async function setup(config = {}) {
  const dashboard = new Dashboard({ intervalMs: 250, ...config });
  const tm = createTestMetrics({ extraReaders: [dashboard.reader as never] });
  const counter = tm.meterProvider
    .getMeter('t')
    .createHistogram('http.server.request.duration', { unit: 's' });
  const s = await serveRoutes(dashboard.routes());
  server = s.server;
  cleanup = async () => {
    dashboard.stop();
    await tm.shutdown();
  };
  return { dashboard, base: s.base, counter };
}

describe('dashboard routes', () => {
  it('serves the page, its script and uPlot from the package, with no CDN', async () => {
    const { base } = await setup({ title: '<script>x</script>' });
    const redirect = await fetch(`${base}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const page = await fetch(`${base}/dashboard/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(html).not.toContain('<script>x</script>');
    expect(html).not.toMatch(/https?:\/\//);
    const uplot = await fetch(`${base}/dashboard/uplot.js`);
    expect(uplot.headers.get('content-type')).toMatch(/javascript/);
    expect(await uplot.text()).toMatch(/uPlot/);
    expect((await fetch(`${base}/dashboard/app.js`)).status).toBe(200);
    expect((await fetch(`${base}/dashboard/../package.json`)).status).toBe(404);
  });

  it('history returns frames of the window, filtered by group; a bad group is a 400', async () => {
    const { dashboard, base, counter } = await setup();
    counter.record(0.2, { 'http.route': '/a' });
    await dashboard.tick();
    await dashboard.tick();
    const body = (await (await fetch(`${base}/api/metrics/history?window=60&groups=http`)).json()) as {
      frames: Record<string, unknown>[];
    };
    expect(body.frames.length).toBe(2);
    expect(Object.keys(body.frames[1] ?? {}).sort()).toEqual(['http', 'intervalS', 't']);
    const bad = await fetch(`${base}/api/metrics/history?groups=http,nope`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/unknown metric group "nope"/);
  });

  it('streams frames by Server-Sent Events with the chosen groups and interval', async () => {
    const { dashboard, base, counter } = await setup();
    dashboard.start();
    const controller = new AbortController();
    const res = await fetch(`${base}/api/metrics/stream?groups=http&interval=500`, {
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const events: { t: number; http?: unknown; runtime?: unknown }[] = [];
    const pump = (async () => {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        text += decoder.decode(chunk.value);
        let i = text.indexOf('\n\n');
        while (i >= 0) {
          const block = text.slice(0, i);
          text = text.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes('event: frame') && data) events.push(JSON.parse(data.slice(6)));
          i = text.indexOf('\n\n');
        }
      }
    })().catch(() => undefined);
    counter.record(0.1, { 'http.route': '/b' });
    await waitFor(() => events.length >= 3, { timeoutMs: 10_000, what: '3 frames' });
    controller.abort();
    await pump;
    for (const e of events)
      expect(Object.keys(e).every((k) => ['t', 'intervalS', 'http'].includes(k))).toBe(true);
    const gaps = events.slice(1).map((e, i) => e.t - (events[i]?.t ?? 0));
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(450);
  });

  it('refuses live clients past the limit', async () => {
    const { base } = await setup({ maxClients: 1 });
    const controller = new AbortController();
    const first = await fetch(`${base}/api/metrics/stream`, { signal: controller.signal });
    expect(first.status).toBe(200);
    const second = await fetch(`${base}/api/metrics/stream`);
    expect(second.status).toBe(503);
    controller.abort();
  });

  it('rejects invalid configuration naming the key', () => {
    expect(() => dashboardPlugin({ intervalMs: 10 })).toThrow(/intervalMs must be an integer from 250/);
    expect(() => dashboardPlugin({ alertsApi: 'javascript:alert(1)' })).toThrow(/alertsApi must be a path/);
  });
});
