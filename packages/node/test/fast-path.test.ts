import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';
import type { OtelPerfPlugin } from '@otel-perf/core';
import type { HttpInstrumentation } from '@otel-perf/instrumentation-http';
import type { PgInstrumentation } from '@otel-perf/instrumentation-pg';
import {
  close,
  findMetric,
  histogramOf,
  listen,
  postgresConfig,
  TestMetricReader,
} from '@otel-perf/test-utils';
import type * as PgModule from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { getPlugin, metricsServerUrl, ready, shutdown, start } from '../src/index.js';
import { httpGet } from './helpers.js';

const env = { OTEL_EXPORTER_PROMETHEUS_PORT: '0', OTEL_LOG_LEVEL: 'none' };

afterEach(async () => {
  await shutdown();
});

interface ReaderPlugin extends OtelPerfPlugin {
  reader?: MetricReader;
}

/** A plugin building a delta reader with the distro's producers, as `ReaderContext` documents. */
function deltaReaderPlugin(): ReaderPlugin {
  class Reader extends MetricReader {
    protected override async onForceFlush(): Promise<void> {}
    protected override async onShutdown(): Promise<void> {}
  }
  const p: ReaderPlugin = {
    name: 'deltaReader',
    readers(context) {
      const selector = () => AggregationTemporality.DELTA;
      p.reader = new Reader({
        aggregationTemporalitySelector: selector,
        metricProducers: context?.metricProducers({ aggregationTemporalitySelector: selector }),
      });
      return [p.reader];
    },
  };
  return p;
}

function fastPathOn(): boolean | undefined {
  const http = getPlugin('http')?.instrumentations?.()[0] as HttpInstrumentation | undefined;
  return http?.getConfig().fastPath;
}

async function traffic(n: number): Promise<void> {
  const app = createServer((_req, res) => res.end('ok'));
  const port = await listen(app);
  try {
    for (let i = 0; i < n; i++) await httpGet(`http://127.0.0.1:${port}/app`);
  } finally {
    await close(app);
  }
}

async function collect(reader: MetricReader) {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

describe('the HTTP fast path in the distro', () => {
  it('hands producers to Prometheus and to plugin readers; config bucket overrides apply', async () => {
    const p = deltaReaderPlugin();
    start({
      env,
      plugins: [p],
      // Anomaly and health (on by default) and the dashboard build their readers with the producers too.
      dashboard: { enabled: true },
      views: { buckets: { 'http.server.request.duration': [0.5, 1] } },
    });
    await ready();
    expect(fastPathOn()).toBe(true);
    expect(getPlugin('health')?.name).toBe('health');
    expect(getPlugin('anomaly')?.name).toBe('anomaly');
    expect(getPlugin('dashboard')?.name).toBe('dashboard');
    await traffic(3);

    const scrape = await httpGet(`${metricsServerUrl()}/metrics`);
    const buckets = scrape.body
      .split('\n')
      .filter((l) => l.startsWith('http_server_request_duration_seconds_bucket') && l.includes('/app'));
    expect(buckets.map((l) => /le="([^"]+)"/.exec(l)?.[1])).toEqual(['0.5', '1', '+Inf']);
    expect(buckets.at(-1)).toMatch(/ 3$/);
    // Once per series: one scope only.
    expect(scrape.body.match(/^# TYPE http_server_request_duration_seconds histogram$/gm)).toHaveLength(1);

    const reader = p.reader as MetricReader;
    let metric = findMetric(await collect(reader), 'http.server.request.duration');
    expect(metric?.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    expect(histogramOf(metric, { 'http.route': '/app' }).count).toBe(3);
    await traffic(2);
    metric = findMetric(await collect(reader), 'http.server.request.duration');
    expect(histogramOf(metric, { 'http.route': '/app' }).count).toBe(2);
    // Prometheus stays cumulative.
    const again = await httpGet(`${metricsServerUrl()}/metrics`);
    expect(again.body).toMatch(/http_server_request_duration_seconds_count\{[^}]*\/app[^}]*\} 5/);
  });

  it('falls back to the SDK when a plugin returns a reader without producers; every reader sees the data', async () => {
    const legacy = new TestMetricReader();
    const plugin: OtelPerfPlugin = { name: 'legacy', readers: () => [legacy] };
    start({ env, plugins: [plugin] });
    await ready();
    expect(fastPathOn()).toBe(false);
    await traffic(2);
    const metric = findMetric(await collect(legacy), 'http.server.request.duration');
    expect(histogramOf(metric, { 'http.route': '/app' }).count).toBe(2);
    const scrape = await httpGet(`${metricsServerUrl()}/metrics`);
    expect(scrape.body).toMatch(/http_server_request_duration_seconds_count\{[^}]*\/app[^}]*\} 2/);
    expect(scrape.body.match(/^# TYPE http_server_request_duration_seconds histogram$/gm)).toHaveLength(1);
  });

  it('http: { fastPath: false } records through the SDK', async () => {
    start({ env, http: { fastPath: false } });
    await ready();
    expect(fastPathOn()).toBe(false);
    await traffic(1);
    const scrape = await httpGet(`${metricsServerUrl()}/metrics`);
    expect(scrape.body).toMatch(/http_server_request_duration_seconds_count\{[^}]*\/app[^}]*\} 1/);
  });

  it('pg: on in the distro, exported once to Prometheus; pg: { fastPath: false } records through the SDK', async () => {
    const pgFastPath = () =>
      (getPlugin('pg')?.instrumentations?.()[0] as PgInstrumentation | undefined)?.getConfig().fastPath;
    start({ env });
    await ready();
    expect(pgFastPath()).toBe(true);
    const pg = createRequire(import.meta.url)('pg') as typeof PgModule;
    const name = `otel-perf-node-pg-fast-${process.pid}`;
    const pool = new pg.Pool({ ...postgresConfig, application_name: name, max: 2 });
    try {
      await Promise.all([pool.query('select 1'), pool.query('select 2'), pool.query('select 3')]);
    } finally {
      await pool.end();
    }
    const scrape = await httpGet(`${metricsServerUrl()}/metrics`);
    expect(scrape.body.match(/^# TYPE db_client_operation_duration_seconds histogram$/gm)).toHaveLength(1);
    expect(scrape.body).toMatch(/db_client_operation_duration_seconds_count\{[^}]*SELECT[^}]*\} 3/);
    expect(scrape.body).toMatch(
      new RegExp(`db_client_connection_wait_time_seconds_count\\{[^}]*${name}[^}]*\\} 3`),
    );
    await shutdown();

    start({ env, pg: { fastPath: false } });
    await ready();
    expect(pgFastPath()).toBe(false);
  });
});
