import { createServer, request } from 'node:http';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import {
  close,
  createTestMetrics,
  histogramOf,
  listen,
  onePoint,
  type TestMetrics,
} from '@otel-perf/test-utils';
import { HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpInstrumentation, IGNORE_SERVER } from '../src/index.js';

function get(
  port: number,
  path: string,
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        data += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HttpInstrumentation on a plain node:http server', () => {
  let metrics: TestMetrics;
  let instrumentation: HttpInstrumentation;

  beforeEach(() => {
    metrics = createTestMetrics();
    instrumentation = new HttpInstrumentation({ client: false });
    instrumentation.setMeterProvider(metrics.meterProvider);
  });
  afterEach(async () => {
    instrumentation.disable();
    await metrics.shutdown();
  });

  it('records http.server.request.duration with semconv attributes and the normalised route', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url?.startsWith('/users/') ? 200 : 404;
      res.end('hello');
    });
    const port = await listen(server);
    try {
      for (const id of [1, 22, 333]) expect((await get(port, `/users/${id}?x=${id}`)).status).toBe(200);
      expect((await get(port, '/nope')).status).toBe(404);
    } finally {
      await close(server);
    }
    const duration = await metrics.find('http.server.request.duration');
    expect(duration?.descriptor.unit).toBe('s');
    const h = histogramOf(duration, { 'http.route': '/users/:id' });
    expect(h.count).toBe(3);
    expect(h.buckets.boundaries).toEqual([...HTTP_DURATION_BUCKETS]);
    expect(onePoint<Histogram>(duration, { 'http.route': '/users/:id' }).attributes).toEqual({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'http.route': '/users/:id',
      'url.scheme': 'http',
      'network.protocol.version': '1.1',
    });
    expect(histogramOf(duration, { 'http.route': '/nope', 'http.response.status_code': 404 }).count).toBe(1);
  });

  it('does not measure a server marked with IGNORE_SERVER, whatever the path', async () => {
    const app = createServer((_req, res) => res.end('app'));
    const own = createServer((_req, res) => res.end('own'));
    (own as unknown as Record<symbol, boolean>)[IGNORE_SERVER] = true;
    const [appPort, ownPort] = [await listen(app), await listen(own)];
    try {
      expect((await get(appPort, '/checkout')).body).toBe('app');
      expect((await get(ownPort, '/checkout')).body).toBe('own');
      expect((await get(ownPort, '/favicon.ico')).body).toBe('own');
    } finally {
      await Promise.all([close(app), close(own)]);
    }
    const duration = await metrics.find('http.server.request.duration');
    expect(histogramOf(duration, { 'http.route': '/checkout' }).count).toBe(1);
    expect(duration?.dataPoints.some((p) => p.attributes['http.route'] === '/favicon.ico')).toBe(false);
  });
});
