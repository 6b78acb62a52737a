import { histogramOf, onePoint, pointsWith, postgresConfig, sumValues, waitFor } from '@otel-perf/test-utils';
import type { Pool } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTR_DB_QUERY_SUMMARY,
  ATTR_ERROR_TYPE,
  instrumentPool,
  METRIC_DB_CLIENT_CONNECTION_COUNT,
  METRIC_DB_CLIENT_CONNECTION_CREATE_TIME,
  METRIC_DB_CLIENT_CONNECTION_IDLE_MAX,
  METRIC_DB_CLIENT_CONNECTION_IDLE_MIN,
  METRIC_DB_CLIENT_CONNECTION_MAX,
  METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS,
  METRIC_DB_CLIENT_CONNECTION_TIMEOUTS,
  METRIC_DB_CLIENT_CONNECTION_USE_TIME,
  METRIC_DB_CLIENT_CONNECTION_WAIT_TIME,
  METRIC_DB_CLIENT_OPERATION_DURATION,
  METRIC_PG_CONNECTION_ERRORS,
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME as POOL,
  ATTR_DB_CLIENT_CONNECTION_STATE as STATE,
} from '../../src/index.js';
import { type Harness, harness } from '../setup.js';

let h: Harness;
const pools: Pool[] = [];
let seq = 0;
/** A pool whose application_name (so its default pool name) is unique to this test. */
function pool(options: Record<string, unknown> = {}): { pool: Pool; name: string } {
  const name = `otel-perf-pg-${process.pid}-${++seq}`;
  const p = new h.pg.Pool({ ...postgresConfig, application_name: name, ...options });
  pools.push(p);
  return { pool: p, name };
}

beforeAll(() => {
  h = harness();
});
afterEach(async () => {
  for (const p of pools.splice(0)) if (!p.ending) await p.end();
});
afterAll(async () => {
  await h.cleanup();
});

const metric = async (name: string) => h.metrics.find(name);

describe('pg-pool metrics on a real PostgreSQL', () => {
  it('reads pending requests live when more queries run than the pool has connections, and records wait time', async () => {
    const { pool: p, name } = pool({ max: 2 });
    const running = Array.from({ length: 6 }, () => p.query('select pg_sleep(0.15)'));
    // Read while the queries run: 4 wait for one of the 2 connections.
    const pending = await waitFor(
      async () => {
        const m = await metric(METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS);
        const v = sumValues(m, { [POOL]: name });
        return v > 0 ? v : undefined;
      },
      { what: 'pending requests > 0' },
    );
    expect(pending).toBeGreaterThan(0);
    expect(pending).toBeLessThanOrEqual(4);
    const count = await metric(METRIC_DB_CLIENT_CONNECTION_COUNT);
    expect(onePoint<number>(count, { [POOL]: name, [STATE]: 'used' }).value).toBe(2);
    await Promise.all(running);

    expect(sumValues(await metric(METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS), { [POOL]: name })).toBe(0);
    const wait = histogramOf(await metric(METRIC_DB_CLIENT_CONNECTION_WAIT_TIME), { [POOL]: name });
    expect(wait.count).toBe(6);
    expect(wait.max).toBeGreaterThanOrEqual(0.1); // the last ones waited for two rounds of 150 ms
    const use = histogramOf(await metric(METRIC_DB_CLIENT_CONNECTION_USE_TIME), { [POOL]: name });
    expect(use.count).toBe(6);
    expect(use.min).toBeGreaterThanOrEqual(0.14);
    const create = histogramOf(await metric(METRIC_DB_CLIENT_CONNECTION_CREATE_TIME), { [POOL]: name });
    expect(create.count).toBe(2);
    expect(create.sum).toBeGreaterThan(0);
    const after = await metric(METRIC_DB_CLIENT_CONNECTION_COUNT);
    expect(onePoint<number>(after, { [POOL]: name, [STATE]: 'idle' }).value).toBe(2);
    expect(onePoint<number>(after, { [POOL]: name, [STATE]: 'used' }).value).toBe(0);
    expect(sumValues(await metric(METRIC_DB_CLIENT_CONNECTION_MAX), { [POOL]: name })).toBe(2);
    expect(sumValues(await metric(METRIC_DB_CLIENT_CONNECTION_IDLE_MAX), { [POOL]: name })).toBe(2);
    expect(sumValues(await metric(METRIC_DB_CLIENT_CONNECTION_IDLE_MIN), { [POOL]: name })).toBe(0);
  });

  it('counts connectionTimeoutMillis timeouts, and the app still gets the pool error', async () => {
    // The one connection is opened without a tight timeout (a loaded machine may take over 100 ms to open it);
    // then requests for a second one time out after 100 ms.
    const { pool: p, name } = pool({ max: 1, connectionTimeoutMillis: 10_000 });
    const held = await p.connect();
    p.options.connectionTimeoutMillis = 100;
    try {
      const err = await p.query('select 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as Error).message).toBe('timeout exceeded when trying to connect');
      const viaCallback = await new Promise<unknown>((resolve) => p.connect((e) => resolve(e)));
      expect((viaCallback as Error).message).toBe('timeout exceeded when trying to connect');
    } finally {
      held.release();
    }
    expect(sumValues(await metric(METRIC_DB_CLIENT_CONNECTION_TIMEOUTS), { [POOL]: name })).toBe(2);
    // A timeout is not a connection error, and a timed-out request has no wait time.
    expect(pointsWith(await metric(METRIC_PG_CONNECTION_ERRORS), { [POOL]: name })).toHaveLength(0);
    expect(histogramOf(await metric(METRIC_DB_CLIENT_CONNECTION_WAIT_TIME), { [POOL]: name }).count).toBe(1);
  });

  it('counts a backend killed mid-query as a connection error; the pool recovers and nothing is thrown by us', async () => {
    const { pool: p, name } = pool({ max: 2 });
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    try {
      const victim = p.query('select pg_sleep(10)').then(
        () => undefined,
        (e: unknown) => e,
      );
      const killer = new h.pg.Client(postgresConfig);
      await killer.connect();
      try {
        await waitFor(
          async () =>
            (
              await killer.query(
                "select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = $1 and query like 'select pg_sleep%' and state = 'active'",
                [name],
              )
            ).rows.some((r: { killed: boolean }) => r.killed),
          { what: 'the backend to terminate' },
        );
      } finally {
        await killer.end();
      }
      const err = (await victim) as { code?: string };
      expect(err.code).toBe('57P01');
      // The pool recovers: a new connection serves the next query.
      expect((await p.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
    }
    expect(uncaught).toEqual([]);
    const errors = await metric(METRIC_PG_CONNECTION_ERRORS);
    expect(onePoint<number>(errors, { [POOL]: name }).value).toBe(1);
    expect(onePoint(errors, { [POOL]: name }).attributes[ATTR_ERROR_TYPE]).toBe('57');
    const d = await metric(METRIC_DB_CLIENT_OPERATION_DURATION);
    expect(histogramOf(d, { [ATTR_DB_QUERY_SUMMARY]: 'SELECT', [ATTR_ERROR_TYPE]: '57' }).count).toBe(1);
    expect(histogramOf(await metric(METRIC_DB_CLIENT_CONNECTION_CREATE_TIME), { [POOL]: name }).count).toBe(
      2,
    );
  });

  it('records a SQL error on the query, not as a connection error', async () => {
    const { pool: p, name } = pool({ max: 1 });
    await expect(p.query('selec 1')).rejects.toMatchObject({ code: '42601' });
    expect((await p.query('select 2 as two')).rows).toEqual([{ two: 2 }]);
    expect(pointsWith(await metric(METRIC_PG_CONNECTION_ERRORS), { [POOL]: name })).toHaveLength(0);
    const d = await metric(METRIC_DB_CLIENT_OPERATION_DURATION);
    expect(
      histogramOf(d, { [ATTR_DB_QUERY_SUMMARY]: '_OTHER', [ATTR_ERROR_TYPE]: '42' }).count,
    ).toBeGreaterThan(0);
  });

  it('keeps two pools of different sizes apart, auto-named host:port/database and #2', async () => {
    const a = new h.pg.Pool({ ...postgresConfig, max: 3 });
    const b = new h.pg.Pool({ ...postgresConfig, max: 5 });
    pools.push(a, b);
    const base = `${postgresConfig.host}:${postgresConfig.port}/${postgresConfig.database}`;
    await Promise.all([a.query('select 1'), a.query('select 1'), b.query('select 1')]);
    const max = await metric(METRIC_DB_CLIENT_CONNECTION_MAX);
    expect(sumValues(max, { [POOL]: base })).toBe(3);
    expect(sumValues(max, { [POOL]: `${base}#2` })).toBe(5);
    const use = await metric(METRIC_DB_CLIENT_CONNECTION_USE_TIME);
    expect(histogramOf(use, { [POOL]: base }).count).toBe(2);
    expect(histogramOf(use, { [POOL]: `${base}#2` }).count).toBe(1);
    const count = await metric(METRIC_DB_CLIENT_CONNECTION_COUNT);
    expect(sumValues(count, { [POOL]: base })).toBe(2);
    expect(sumValues(count, { [POOL]: `${base}#2` })).toBe(1);
  });

  it('reads 0 for an ended pool, and gives its name to the next pool', async () => {
    const { pool: p, name } = pool({ max: 4 });
    await p.query('select 1');
    expect(sumValues(await metric(METRIC_DB_CLIENT_CONNECTION_COUNT), { [POOL]: name })).toBe(1);
    await p.end();
    const count = await metric(METRIC_DB_CLIENT_CONNECTION_COUNT);
    expect(pointsWith(count, { [POOL]: name }).map((pt) => pt.value)).toEqual([0, 0]);
    expect(sumValues(await metric(METRIC_DB_CLIENT_CONNECTION_MAX), { [POOL]: name })).toBe(0);
    // The counters keep their totals.
    expect(histogramOf(await metric(METRIC_DB_CLIENT_CONNECTION_USE_TIME), { [POOL]: name }).count).toBe(1);
    await expect(p.query('select 1')).rejects.toThrow('Cannot use a pool after calling end on the pool');
    expect(pointsWith(await metric(METRIC_PG_CONNECTION_ERRORS), { [POOL]: name })).toHaveLength(0);
  });

  it('names auto-instrumented pools with the poolName hook; a hook that throws leaves the default name', async () => {
    h.instrumentation.setConfig({ poolName: (o) => `hooked-${String(o.application_name)}` });
    try {
      const { pool: p, name } = pool({ max: 1 });
      await p.query('select 1');
      h.instrumentation.setConfig({
        poolName: () => {
          throw new Error('bad hook');
        },
      });
      const { pool: q, name: qName } = pool({ max: 1 });
      await q.query('select 1');
      const max = await metric(METRIC_DB_CLIENT_CONNECTION_MAX);
      expect(sumValues(max, { [POOL]: `hooked-${name}` })).toBe(1);
      expect(sumValues(max, { [POOL]: qName })).toBe(1);
    } finally {
      h.instrumentation.setConfig({});
    }
  });

  it('renames a pool given to instrumentPool, and rejects what is not a pool', async () => {
    const { pool: p, name } = pool({ max: 1 });
    instrumentPool(p, { name: `orders-${name}` });
    await p.query('select 1');
    const use = await metric(METRIC_DB_CLIENT_CONNECTION_USE_TIME);
    expect(histogramOf(use, { [POOL]: `orders-${name}` }).count).toBe(1);
    expect(pointsWith(use, { [POOL]: name })).toHaveLength(0);
    expect(() => instrumentPool({}, { name: 'x' })).toThrow(/pool must be a pg Pool/);
    expect(() => instrumentPool(p, { name: '' })).toThrow(/name must be a non-empty string/);
  });
});
