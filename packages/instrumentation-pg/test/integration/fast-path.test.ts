import { createRequire } from 'node:module';
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type Histogram,
  MeterProvider,
  type MetricData,
  type MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { findMetric, histogramOf, pointsWith, postgresConfig, TestMetricReader } from '@otel-perf/test-utils';
import { DB_OPERATION_BUCKETS, OVERFLOW_ATTRIBUTES } from '@otel-perf/views';
import type * as PgModule from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  METRIC_DB_CLIENT_CONNECTION_CREATE_TIME,
  METRIC_DB_CLIENT_CONNECTION_USE_TIME,
  METRIC_DB_CLIENT_CONNECTION_WAIT_TIME,
  METRIC_DB_CLIENT_OPERATION_DURATION,
  PgInstrumentation,
  type PgInstrumentationConfig,
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME as POOL,
} from '../../src/index.js';
import { createSchema, dropSchema, SCHEMA } from '../setup.js';

const HISTOGRAMS = [
  METRIC_DB_CLIENT_OPERATION_DURATION,
  METRIC_DB_CLIENT_CONNECTION_CREATE_TIME,
  METRIC_DB_CLIENT_CONNECTION_WAIT_TIME,
  METRIC_DB_CLIENT_CONNECTION_USE_TIME,
];

/** An instrumentation on its own MeterProvider, with one reader per temporality (each with its producer). */
function setup(config: PgInstrumentationConfig, temporalities: AggregationTemporality[]) {
  const instrumentation = new PgInstrumentation(config);
  const readers = temporalities.map(
    (t) =>
      new TestMetricReader(t, [instrumentation.metricProducer({ aggregationTemporalitySelector: () => t })]),
  );
  const provider = new MeterProvider({ readers });
  instrumentation.setMeterProvider(provider);
  return { instrumentation, readers, provider };
}

// Every enabled instrumentation records every query: the SDK path and the fast path see the same values.
const sdk = setup({}, [AggregationTemporality.CUMULATIVE]);
const fast = setup({ fastPath: true }, [AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA]);
const viewed = setup(
  {
    fastPath: true,
    views: {
      buckets: { [METRIC_DB_CLIENT_OPERATION_DURATION]: [0.5, 1] },
      attributes: { [METRIC_DB_CLIENT_OPERATION_DURATION]: ['db.operation.name'] },
      maxSeriesPerInstrument: 2,
    },
  },
  [AggregationTemporality.CUMULATIVE],
);
const off = setup({ fastPath: false }, [AggregationTemporality.CUMULATIVE]);
const all = [sdk, fast, viewed, off];
const pg = createRequire(import.meta.url)('pg') as typeof PgModule;
const name = `otel-perf-pg-fast-${process.pid}`;

async function collect(reader: MetricReader): Promise<ResourceMetrics> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

/** The parts of a histogram metric the two paths must agree on, points sorted by attributes. */
function shape(metric: MetricData | undefined) {
  expect(metric).toBeDefined();
  const m = metric as MetricData;
  return {
    name: m.descriptor.name,
    description: m.descriptor.description,
    unit: m.descriptor.unit,
    type: (m.descriptor as { type?: unknown }).type,
    valueType: m.descriptor.valueType,
    dataPointType: m.dataPointType,
    temporality: m.aggregationTemporality,
    points: pointsWith<Histogram>(m)
      .map((p) => ({ attributes: sorted(p.attributes), value: p.value }))
      .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes))),
  };
}

function sorted(a: Attributes): Attributes {
  return Object.fromEntries(Object.entries(a).sort(([x], [y]) => x.localeCompare(y)));
}

async function traffic(pool: PgModule.Pool): Promise<void> {
  // max: 2 and four at once: two queries wait for a connection.
  await Promise.all([
    pool.query(`select * from ${SCHEMA}.users where id = $1`, [1]),
    pool.query(`select * from ${SCHEMA}.orders`),
    pool.query(`insert into ${SCHEMA}.users (email, name) values ($1, $2)`, [`a${Date.now()}@x`, 'a']),
    pool.query('select pg_sleep(0.01)'),
  ]);
  await expect(pool.query('selec broken')).rejects.toThrow(/syntax/);
}

beforeAll(async () => {
  await createSchema(pg);
});

afterAll(async () => {
  for (const s of all) {
    s.instrumentation.disable();
    await s.provider.shutdown();
  }
  await dropSchema(pg);
});

describe('the pg fast path', () => {
  it('exports the same histograms as the SDK path (names, units, buckets, attributes, counts, sums)', async () => {
    const pool = new pg.Pool({ ...postgresConfig, application_name: name, max: 2 });
    try {
      await traffic(pool);
      const client = new pg.Client(postgresConfig);
      await client.connect();
      await client.query('select 1');
      await client.end();
    } finally {
      await pool.end();
    }
    const viaSdk = await collect(sdk.readers[0] as MetricReader);
    const viaFast = await collect(fast.readers[0] as MetricReader);
    for (const metric of HISTOGRAMS) {
      const expected = shape(findMetric(viaSdk, metric));
      expect(expected.points.length).toBeGreaterThan(0);
      expect(shape(findMetric(viaFast, metric))).toEqual(expected);
    }
    const duration = findMetric(viaFast, METRIC_DB_CLIENT_OPERATION_DURATION);
    expect(histogramOf(duration, { 'error.type': '42', 'db.response.status_code': '42601' }).count).toBe(1);
    for (const p of pointsWith<Histogram>(duration)) {
      expect(p.value.buckets.boundaries).toEqual([...DB_OPERATION_BUCKETS]);
    }
    expect(
      histogramOf(findMetric(viaFast, METRIC_DB_CLIENT_CONNECTION_WAIT_TIME), { [POOL]: name }).count,
    ).toBe(5);
    // The SDK instruments of the fast-path instrumentation get nothing: no histogram twice.
    const names = viaFast.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
    expect(names.filter((n) => n === METRIC_DB_CLIENT_OPERATION_DURATION)).toHaveLength(1);
  });

  it('gives a delta reader the counts since its previous collection', async () => {
    const delta = fast.readers[1] as MetricReader;
    await collect(delta);
    const pool = new pg.Pool({ ...postgresConfig, application_name: name, max: 2 });
    try {
      await pool.query('select 1');
      await pool.query('select 1');
      let m = findMetric(await collect(delta), METRIC_DB_CLIENT_OPERATION_DURATION);
      expect(m?.aggregationTemporality).toBe(AggregationTemporality.DELTA);
      expect(histogramOf(m, { 'db.operation.name': 'SELECT' }).count).toBe(2);
      await pool.query('select 1');
      m = findMetric(await collect(delta), METRIC_DB_CLIENT_OPERATION_DURATION);
      expect(histogramOf(m, { 'db.operation.name': 'SELECT' }).count).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('applies bucket overrides, allow-lists and the series cap from views', async () => {
    const rm = await collect(viewed.readers[0] as MetricReader);
    const duration = findMetric(rm, METRIC_DB_CLIENT_OPERATION_DURATION);
    const points = pointsWith<Histogram>(duration);
    // The schema setup (DROP, CREATE), SELECT, INSERT...: more operations than the cap of two series.
    expect(points).toHaveLength(3);
    expect(points.map((p) => Object.keys(p.attributes))).toEqual([
      ['db.operation.name'],
      ['db.operation.name'],
      Object.keys(OVERFLOW_ATTRIBUTES),
    ]);
    expect(points[2]?.attributes).toEqual(OVERFLOW_ATTRIBUTES);
    for (const p of points) expect(p.value.buckets.boundaries).toEqual([0.5, 1]);
    expect(totalCount(duration)).toBe(
      totalCount(
        findMetric(await collect(sdk.readers[0] as MetricReader), METRIC_DB_CLIENT_OPERATION_DURATION),
      ),
    );
  });

  it('reports nothing through producers when fastPath is off; the SDK instruments get the data', async () => {
    const rm = await collect(off.readers[0] as MetricReader);
    const scopes = rm.scopeMetrics.filter((s) =>
      s.metrics.some((m) => m.descriptor.name === METRIC_DB_CLIENT_OPERATION_DURATION),
    );
    expect(scopes).toHaveLength(1);
    const viaFast = await collect(fast.readers[0] as MetricReader);
    const count = totalCount(findMetric(rm, METRIC_DB_CLIENT_OPERATION_DURATION));
    expect(count).toBeGreaterThan(0);
    expect(count).toBe(totalCount(findMetric(viaFast, METRIC_DB_CLIENT_OPERATION_DURATION)));
  });

  it('rejects invalid fastPath and views at construction, naming the key', () => {
    expect(() => new PgInstrumentation({ fastPath: 'yes' as unknown as boolean })).toThrow(/fastPath/);
    expect(() => new PgInstrumentation({ views: [] as unknown as object })).toThrow(/views/);
    expect(
      () =>
        new PgInstrumentation({
          fastPath: true,
          views: { buckets: { [METRIC_DB_CLIENT_OPERATION_DURATION]: [2, 1] } },
        }),
    ).toThrow(/views/);
  });
});

function totalCount(metric: MetricData | undefined): number {
  return pointsWith<Histogram>(metric).reduce((n, p) => n + p.value.count, 0);
}
