import { type NodeProcess, waitFor } from '@otel-perf/test-utils';
import { HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { afterEach, describe, expect, it } from 'vitest';
import { appPort, httpGet, metricsUrl, parsePrometheus, runApp, sendRequests } from '../helpers.js';
import {
  attributesOf,
  type OtlpHistogramPoint,
  type OtlpReceiver,
  startOtlpReceiver,
} from '../otlp-receiver.js';

const running: NodeProcess[] = [];
const receivers: OtlpReceiver[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    p.kill('SIGKILL');
    await p.exited;
  }
  for (const r of receivers.splice(0)) await r[Symbol.asyncDispose]();
});

async function receiver(): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver();
  receivers.push(r);
  return r;
}

function app(...args: Parameters<typeof runApp>): NodeProcess {
  const p = runApp(...args);
  running.push(p);
  return p;
}

/** The newest histogram point of http.server.request.duration for `route`. */
function routePoint(r: OtlpReceiver, route: string): OtlpHistogramPoint | undefined {
  const found = r.metrics('http.server.request.duration');
  for (let i = found.length - 1; i >= 0; i--) {
    const point = found[i]?.metric.histogram?.dataPoints.find(
      (p) => attributesOf(p.attributes)['http.route'] === route,
    );
    if (point) return point;
  }
  return undefined;
}

describe('OTLP export', () => {
  it('http/protobuf (default): the final flush on SIGTERM delivers the histogram and the resource', async () => {
    const r = await receiver();
    const p = app('server.cjs', {
      env: {
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: r.url,
        OTEL_SERVICE_NAME: 'otlp-fixture',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
        // Far away: only the flush on SIGTERM can deliver within the test.
        OTEL_METRIC_EXPORT_INTERVAL: '600000',
      },
    });
    await sendRequests(await appPort(p), ['/orders/1', '/orders/2', '/orders/3']);
    expect(r.requests).toHaveLength(0);
    p.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: null, signal: 'SIGTERM' });

    expect(r.requests.length).toBeGreaterThan(0);
    expect(r.requests[0]?.contentType).toBe('application/x-protobuf');
    const first = r.metrics('http.server.request.duration')[0];
    const metric = first?.metric;
    const resource: Record<string, unknown> = first?.resource ?? {};
    expect(metric?.unit).toBe('s');
    // AGGREGATION_TEMPORALITY_CUMULATIVE
    expect(metric?.histogram?.aggregationTemporality).toBe(2);
    const point = routePoint(r, '/orders/:id');
    expect(point?.count).toBe(3);
    expect(point?.explicitBounds).toEqual([...HTTP_DURATION_BUCKETS]);
    expect(point?.bucketCounts).toHaveLength(HTTP_DURATION_BUCKETS.length + 1);
    expect(point?.bucketCounts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(attributesOf(point?.attributes)).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
    });
    expect(resource).toMatchObject({
      'service.name': 'otlp-fixture',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
      'process.pid': p.child.pid,
      'telemetry.sdk.language': 'nodejs',
    });
    expect(resource['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('http/json with headers, gzip and delta temporality, on the export interval', async () => {
    const r = await receiver();
    const p = app('server.mjs', {
      preload: 'import',
      env: {
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${r.url}/v1/metrics`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme,authorization=Bearer%20t0ken',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
        OTEL_METRIC_EXPORT_INTERVAL: '200',
      },
    });
    await sendRequests(await appPort(p), ['/a', '/a']);
    const point = await waitFor(() => routePoint(r, '/a'), { what: 'an OTLP/JSON export with route /a' });
    expect(Number(point.count)).toBe(2);
    const req = r.requests.find((x) => x.body.resourceMetrics.length > 0);
    expect(req?.contentType).toBe('application/json');
    expect(req?.headers['x-tenant']).toBe('acme');
    expect(req?.headers.authorization).toBe('Bearer t0ken');
    expect(req?.headers['content-encoding']).toBe('gzip');
    // AGGREGATION_TEMPORALITY_DELTA
    expect(r.metrics('http.server.request.duration')[0]?.metric.histogram?.aggregationTemporality).toBe(1);
  });

  it('prometheus and otlp together: one scrape endpoint and one push', async () => {
    const r = await receiver();
    const p = app('server.cjs', {
      env: {
        OTEL_METRICS_EXPORTER: 'prometheus,otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: r.url,
        OTEL_METRIC_EXPORT_INTERVAL: '200',
      },
    });
    await sendRequests(await appPort(p), ['/both']);
    await waitFor(() => routePoint(r, '/both'), { what: 'an OTLP export with route /both' });
    const scrape = parsePrometheus((await httpGet(`${await metricsUrl(p)}/metrics`)).body);
    const count = scrape.find(
      (s) => s.name === 'http_server_request_duration_seconds_count' && s.labels.http_route === '/both',
    );
    expect(count?.value).toBe(1);
    // The exporter's own requests to the collector are not the app's client traffic.
    const port = new URL(r.url).port;
    expect(r.requests.length).toBeGreaterThan(0);
    expect(
      scrape.filter(
        (s) => s.name.startsWith('http_client_request_duration') && s.labels.server_port === port,
      ),
    ).toEqual([]);
  });
});
