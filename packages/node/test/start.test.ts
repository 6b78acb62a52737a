import { createServer } from 'node:http';
import { context, createContextKey, metrics } from '@opentelemetry/api';
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { OtelPerfPlugin, PluginContext } from '@otel-perf/core';
import { createCacheRecorder } from '@otel-perf/instrumentation-cache';
import { close, findMetric, histogramOf, listen, pointsWith, TestMetricReader } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { Builtin } from '../src/builtin.js';
import { BUILTINS } from '../src/builtins.js';
import { metricsServerUrl, ready, shutdown, start } from '../src/index.js';
import type { StartOptions } from '../src/types.js';
import { ConfigError } from '../src/validate.js';
import { httpGet } from './helpers.js';

const env = { OTEL_EXPORTER_PROMETHEUS_PORT: '0', OTEL_LOG_LEVEL: 'none' };

afterEach(async () => {
  await shutdown();
});

async function collect(reader: TestMetricReader) {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

interface Probe extends OtelPerfPlugin {
  reader: TestMetricReader;
  calls: string[];
  ctx?: PluginContext;
}

function probe(name = 'probe'): Probe {
  const calls: string[] = [];
  const reader = new TestMetricReader();
  const p: Probe = {
    name,
    reader,
    calls,
    readers() {
      calls.push('readers');
      return [reader];
    },
    instrumentations() {
      calls.push('instrumentations');
      return [];
    },
    routes() {
      calls.push('routes');
      return [
        { method: 'GET', path: '/probe/hello', handler: (_req, res) => void res.end('hello') },
        {
          method: 'GET',
          path: '/assets/*',
          handler: (_req, res, url) => void res.end(`asset ${url.pathname}`),
        },
        {
          method: 'GET',
          path: '/probe/throw',
          handler: () => {
            throw new Error('route threw on purpose');
          },
        },
        { method: 'GET', path: '/probe/reject', handler: async () => Promise.reject(new Error('rejected')) },
      ];
    },
    start(ctx) {
      calls.push('start');
      p.ctx = ctx;
    },
    async shutdown() {
      calls.push('shutdown');
    },
  };
  return p;
}

describe('start() / shutdown()', () => {
  it('calls plugin members in contract order and serves their routes next to /metrics', async () => {
    const p = probe();
    expect(start({ env, plugins: [p] })).toBe(true);
    await ready();
    expect(p.calls).toEqual(['readers', 'instrumentations', 'routes', 'start']);
    const url = metricsServerUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(p.ctx?.serverUrl()).toBe(url);
    expect(p.ctx?.getPlugin('probe')).toBe(p);
    expect(p.ctx?.getPlugin('http')?.name).toBe('http');

    expect(await httpGet(`${url}/probe/hello`)).toEqual({ status: 200, body: 'hello' });
    expect(await httpGet(`${url}/assets/app.js`)).toEqual({ status: 200, body: 'asset /assets/app.js' });
    expect(await httpGet(`${url}/assets`)).toEqual({ status: 200, body: 'asset /assets' });
    expect((await httpGet(`${url}/assetsx`)).status).toBe(404);
    expect((await httpGet(`${url}/nothing`)).status).toBe(404);
    expect((await httpGet(`${url}/probe/throw`)).status).toBe(500);
    expect((await httpGet(`${url}/probe/reject`)).status).toBe(500);
    const scrape = await httpGet(`${url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.body).toContain('target_info');

    await shutdown();
    expect(p.calls.at(-1)).toBe('shutdown');
    expect(metricsServerUrl()).toBeUndefined();
    await expect(httpGet(`${url}/probe/hello`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('counts app HTTP traffic but not requests to its own metrics server', async () => {
    const p = probe();
    start({ env, plugins: [p] });
    await ready();
    const app = createServer((_req, res) => res.end('ok'));
    const port = await listen(app);
    try {
      for (let i = 0; i < 3; i++) await httpGet(`http://127.0.0.1:${port}/app`);
      const url = metricsServerUrl() as string;
      await httpGet(`${url}/metrics`);
      await httpGet(`${url}/probe/hello`);
      await httpGet(`${url}/assets/x.js`);
    } finally {
      await close(app);
    }
    const metric = findMetric(await collect(p.reader), 'http.server.request.duration');
    expect(pointsWith(metric).map((pt) => pt.attributes['http.route'])).toEqual(['/app']);
    expect(histogramOf(metric, { 'http.route': '/app' }).count).toBe(3);
  });

  it('is idempotent: a second start() does nothing', async () => {
    const first = probe('first');
    expect(start({ env, plugins: [first] })).toBe(true);
    const second = probe('second');
    expect(start({ env, plugins: [second] })).toBe(false);
    expect(second.calls).toEqual([]);
  });

  it('sets the global MeterProvider and an AsyncLocalStorage context manager', async () => {
    const p = probe();
    start({ env: { ...env, OTEL_METRICS_EXPORTER: 'none' }, plugins: [p] });
    metrics.getMeter('app').createCounter('app.things').add(4);
    expect(findMetric(await collect(p.reader), 'app.things')?.dataPoints[0]?.value).toBe(4);

    const key = createContextKey('k');
    const seen = await context.with(context.active().setValue(key, 'v'), async () => {
      await new Promise((r) => setTimeout(r, 1));
      return context.active().getValue(key);
    });
    expect(seen).toBe('v');

    await shutdown();
    // Ours is removed again: the API is back to its no-op provider.
    metrics.getMeter('app').createCounter('app.things').add(1);
    expect(metrics.getMeterProvider().constructor.name).not.toBe('MeterProvider');
  });

  it('runs the metrics server for plugin routes even without Prometheus', async () => {
    start({ env: { ...env, OTEL_METRICS_EXPORTER: 'none' }, plugins: [probe()] });
    await ready();
    const url = metricsServerUrl() as string;
    expect((await httpGet(`${url}/probe/hello`)).status).toBe(200);
    expect((await httpGet(`${url}/metrics`)).status).toBe(404);
  });

  it('runs no metrics server when nothing needs one', async () => {
    // The health endpoints and the anomaly alerts API are on by default and need the server; with them off,
    // nothing does.
    start({ env: { ...env, OTEL_METRICS_EXPORTER: 'none' }, health: false, anomaly: false });
    await ready();
    expect(metricsServerUrl()).toBeUndefined();
  });

  it('serves the health endpoints by default, even without Prometheus', async () => {
    start({ env: { ...env, OTEL_METRICS_EXPORTER: 'none' } });
    await ready();
    const url = metricsServerUrl() as string;
    const live = await httpGet(`${url}/health/live`);
    expect(live.status).toBe(200);
    expect(JSON.parse(live.body).status).toBe('pass');
    expect((await httpGet(`${url}/health/ready`)).status).toBe(200);
  });

  it('runs the anomaly processor by default: alerts API (write routes off without a token), health check, metrics', async () => {
    start({ env });
    await ready();
    const url = metricsServerUrl() as string;
    expect((await httpGet(`${url}/metrics`)).body).toMatch(
      /^otel_perf_anomaly_alerts_active\{otel_perf_anomaly_level="critical"[^}]*\} 0$/m,
    );
    const list = await httpGet(`${url}/api/alerts?state=active`);
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).toEqual({ alerts: [] });
    const ack = await fetch(`${url}/api/alerts/some-id/acknowledge`, { method: 'POST' });
    expect(ack.status).toBe(403);
    await ack.text();
    const perf = JSON.parse((await httpGet(`${url}/health/performance`)).body);
    expect(perf.checks['anomaly:alerts']?.[0]?.status).toBe('pass');
  });

  it('installs SIGTERM/SIGINT/beforeExit listeners and removes them on shutdown', async () => {
    const before = ['SIGTERM', 'SIGINT', 'beforeExit'].map((e) => process.listenerCount(e));
    start({ env });
    expect(['SIGTERM', 'SIGINT', 'beforeExit'].map((e) => process.listenerCount(e))).toEqual(
      before.map((n) => n + 1),
    );
    await shutdown();
    expect(['SIGTERM', 'SIGINT', 'beforeExit'].map((e) => process.listenerCount(e))).toEqual(before);
  });

  it('does nothing at all when OTEL_SDK_DISABLED=true, not even reading a broken config file', () => {
    const before = process.listenerCount('SIGTERM');
    expect(
      start({ env: { ...env, OTEL_SDK_DISABLED: 'true', OTEL_PERF_CONFIG: '/does/not/exist.yaml' } }),
    ).toBe(false);
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(metricsServerUrl()).toBeUndefined();
  });

  it('a plugin member that throws is skipped; the others still run', async () => {
    const good = probe('good');
    const bad: OtelPerfPlugin = {
      name: 'bad',
      readers: () => {
        throw new Error('readers threw');
      },
      routes: () => {
        throw new Error('routes threw');
      },
      start: () => {
        throw new Error('start threw');
      },
    };
    expect(start({ env, plugins: [bad, good] })).toBe(true);
    await ready();
    expect(good.calls).toEqual(['readers', 'instrumentations', 'routes', 'start']);
    expect((await httpGet(`${metricsServerUrl()}/probe/hello`)).status).toBe(200);
  });

  it('rejects two plugins with one name', () => {
    const err = (() => {
      try {
        start({ env, plugins: [probe('http')] });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.key).toBe('plugins[0].name');
  });

  it("turns a built-in factory's error into a ConfigError and undoes the built-ins already enabled", () => {
    class Dummy extends InstrumentationBase {
      constructor() {
        super('dummy', '0.0.0', {});
      }
      protected init() {
        return [];
      }
    }
    const created: Dummy[] = [];
    const table: Record<string, Builtin> = {
      ok: {
        enabledByDefault: true,
        create: () => {
          const d = new Dummy();
          created.push(d);
          return { name: 'ok', instrumentations: () => [d] };
        },
      },
      broken: {
        enabledByDefault: true,
        create: () => {
          throw new RangeError('maxRoutes must be >= 1');
        },
      },
    };
    let err: unknown;
    try {
      start({ env, broken: { maxRoutes: 0 } } as StartOptions, table);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe('broken');
    expect((err as ConfigError).message).toContain(
      'broken is {"maxRoutes":0}; allowed: maxRoutes must be >= 1',
    );
    expect(created[0]?.isEnabled()).toBe(false);
    expect(metricsServerUrl()).toBeUndefined();
  });

  it('the cache built-in reports caches measured with the instrumentation-cache adapters', async () => {
    const p = probe();
    start({ env, plugins: [p] });
    await ready();
    const name = `distro-cache-${process.pid}`;
    const recorder = createCacheRecorder({ name, layer: 'l1' });
    recorder.hits(3);
    recorder.misses();
    const gets = findMetric(await collect(p.reader), 'cache.gets');
    expect(pointsWith<number>(gets, { 'cache.name': name, 'cache.result': 'hit' })[0]?.value).toBe(3);
    expect(pointsWith<number>(gets, { 'cache.name': name, 'cache.result': 'miss' })[0]?.value).toBe(1);
    expect(p.ctx?.getPlugin('cache')).toBeDefined();
    await shutdown();
    const off = probe();
    start({ env, cache: false, plugins: [off] });
    expect(off.ctx?.getPlugin('cache')).toBeUndefined();
  });

  it('the http built-in can be turned off', async () => {
    const p = probe();
    start({ env, http: false, plugins: [p] });
    expect(Object.keys(BUILTINS)).toContain('http');
    expect(p.ctx?.getPlugin('http')).toBeUndefined();
  });
});
