import { createRequire } from 'node:module';
import {
  createTestMetrics,
  histogramOf,
  postgresConfig,
  sumValues,
  TestMetricReader,
} from '@otel-perf/test-utils';
import type * as PgModule from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  METRIC_DB_CLIENT_CONNECTION_MAX,
  METRIC_DB_CLIENT_CONNECTION_WAIT_TIME,
  PgInstrumentation,
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME as POOL,
} from '../../src/index.js';

const second = new TestMetricReader();
const metrics = createTestMetrics({ extraReaders: [second] });
const instrumentation = new PgInstrumentation();
instrumentation.setMeterProvider(metrics.meterProvider);
const pg = createRequire(import.meta.url)('pg') as typeof PgModule;

afterAll(async () => {
  instrumentation.disable();
  await metrics.shutdown();
});

describe('two readers on one MeterProvider', () => {
  it('each reader sees every measurement and the live pool state', async () => {
    const name = `otel-perf-pg-readers-${process.pid}`;
    const pool = new pg.Pool({ ...postgresConfig, application_name: name, max: 2 });
    try {
      await Promise.all([pool.query('select 1'), pool.query('select 2'), pool.query('select 3')]);
      // The first reader collects in between: the second must still see all three waits.
      expect(
        histogramOf(await metrics.find(METRIC_DB_CLIENT_CONNECTION_WAIT_TIME), { [POOL]: name }).count,
      ).toBe(3);
      await pool.query('select 4');
      for (const reader of [second, metrics.reader]) {
        const wait = await metrics.find(METRIC_DB_CLIENT_CONNECTION_WAIT_TIME, reader);
        expect(histogramOf(wait, { [POOL]: name }).count).toBe(4);
        expect(sumValues(await metrics.find(METRIC_DB_CLIENT_CONNECTION_MAX, reader), { [POOL]: name })).toBe(
          2,
        );
      }
    } finally {
      await pool.end();
    }
  });
});
