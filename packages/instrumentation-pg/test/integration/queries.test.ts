import diagnosticsChannel from 'node:diagnostics_channel';
import { findMetric, histogramOf, pointsWith, postgresConfig } from '@otel-perf/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  METRIC_DB_CLIENT_OPERATION_DURATION,
  SLOW_QUERY_CHANNEL,
  type SlowQueryEvent,
} from '../../src/index.js';
import { allAttributeValues, createSchema, dropSchema, type Harness, harness, SCHEMA } from '../setup.js';

const slow: SlowQueryEvent[] = [];
let h: Harness;

beforeAll(async () => {
  h = harness({ slowQueryThreshold: 0.15, onSlowQuery: (e) => slow.push(e) });
  await createSchema(h.pg);
});
afterAll(async () => {
  await dropSchema(h.pg);
  await h.cleanup();
});

const duration = () => h.metrics.find(METRIC_DB_CLIENT_OPERATION_DURATION);

describe('queries on a real PostgreSQL', () => {
  it('measures promise and callback queries with semantic-convention attributes and keeps their results', async () => {
    const client = new h.pg.Client(postgresConfig);
    await client.connect();
    try {
      const inserted = await client.query(
        `insert into ${SCHEMA}.users (email, name) values ($1, $2) returning id`,
        ['ada@example.com', 'Ada'],
      );
      expect(inserted.rows).toHaveLength(1);
      const viaCallback = await new Promise<unknown[]>((resolve, reject) => {
        const ret = client.query(
          `select name from ${SCHEMA}.users where email = $1`,
          ['ada@example.com'],
          (err, res) => (err ? reject(err) : resolve(res.rows)),
        );
        expect(ret).toBeUndefined(); // the callback form still returns nothing
      });
      expect(viaCallback).toEqual([{ name: 'Ada' }]);
    } finally {
      await client.end();
    }
    const m = await duration();
    expect(m?.descriptor.unit).toBe('s');
    const base = {
      [ATTR_DB_SYSTEM_NAME]: 'postgresql',
      [ATTR_DB_NAMESPACE]: postgresConfig.database,
      [ATTR_SERVER_ADDRESS]: postgresConfig.host,
      [ATTR_SERVER_PORT]: postgresConfig.port,
    };
    const insert = histogramOf(m, { ...base, [ATTR_DB_QUERY_SUMMARY]: `INSERT ${SCHEMA}.users` });
    expect(insert.count).toBe(1);
    expect(insert.sum).toBeGreaterThan(0);
    expect(insert.sum).toBeLessThan(5);
    const select = pointsWith(m, {
      ...base,
      [ATTR_DB_OPERATION_NAME]: 'SELECT',
      [ATTR_DB_QUERY_SUMMARY]: `SELECT ${SCHEMA}.users`,
    });
    expect(select).toHaveLength(1);
    expect(select[0]?.attributes[ATTR_ERROR_TYPE]).toBeUndefined();
    // Parameters and literals never reach an attribute.
    expect(allAttributeValues([m]).some((v) => v.includes('ada@') || v.includes('Ada'))).toBe(false);
  });

  it('sets error.type on a rejected promise query (upstream only does on the callback path) and rethrows the same error', async () => {
    const client = new h.pg.Client(postgresConfig);
    await client.connect();
    let caught: unknown;
    let viaCallback: unknown;
    try {
      await client
        .query(`select * from ${SCHEMA}.no_such_table where secret = 'hunter2'`)
        .catch((e: unknown) => {
          caught = e;
        });
      await new Promise<void>((resolve) =>
        client.query(`insert into ${SCHEMA}.users (email, name) values (null, 'x')`, (err: unknown) => {
          viaCallback = err;
          resolve();
        }),
      );
    } finally {
      await client.end();
    }
    expect((caught as { code?: string }).code).toBe('42P01');
    expect((caught as Error).message).toContain('no_such_table');
    expect((viaCallback as { code?: string }).code).toBe('23502');
    const m = await duration();
    const rejected = histogramOf(m, {
      [ATTR_DB_QUERY_SUMMARY]: `SELECT ${SCHEMA}.no_such_table`,
      [ATTR_ERROR_TYPE]: '42',
      [ATTR_DB_RESPONSE_STATUS_CODE]: '42P01',
    });
    expect(rejected.count).toBe(1);
    const cb = histogramOf(m, { [ATTR_DB_QUERY_SUMMARY]: `INSERT ${SCHEMA}.users`, [ATTR_ERROR_TYPE]: '23' });
    expect(cb.count).toBe(1);
    expect(allAttributeValues([m]).some((v) => v.includes('hunter2'))).toBe(false);
  });

  it('reports slow queries to the callback and the diagnostics channel with the summary only', async () => {
    const published: SlowQueryEvent[] = [];
    const listener = (msg: unknown) => published.push(msg as SlowQueryEvent);
    diagnosticsChannel.subscribe(SLOW_QUERY_CHANNEL, listener);
    const pool = new h.pg.Pool({ ...postgresConfig, max: 1 });
    try {
      slow.length = 0;
      await pool.query(`select pg_sleep(0.2), 'tok-123' as marker from ${SCHEMA}.users`);
      await pool.query('select 1');
    } finally {
      diagnosticsChannel.unsubscribe(SLOW_QUERY_CHANNEL, listener);
      await pool.end();
    }
    expect(slow).toHaveLength(1);
    expect(published).toHaveLength(1);
    for (const e of [slow[0], published[0]]) {
      expect(e?.summary).toBe(`SELECT ${SCHEMA}.users`);
      expect(e?.operation).toBe('SELECT');
      expect(e?.durationSeconds).toBeGreaterThanOrEqual(0.15);
      expect(e?.thresholdSeconds).toBe(0.15);
      expect(e?.namespace).toBe(postgresConfig.database);
      expect(JSON.stringify(e)).not.toContain('tok-123');
    }
  });

  it('passes synchronous throws and submittables through untouched', async () => {
    const client = new h.pg.Client(postgresConfig);
    await client.connect();
    try {
      expect(() => client.query(null as unknown as string)).toThrow(TypeError);
      // A submittable (what pg-cursor and pg-query-stream are) is returned as is.
      const q = new h.pg.Query('select 1 as one');
      const rows: unknown[] = [];
      q.on('row', (r: unknown) => rows.push(r));
      const done = new Promise((resolve) => q.on('end', resolve));
      expect(client.query(q)).toBe(q);
      await done;
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
    expect(findMetric(await h.metrics.collect(), METRIC_DB_CLIENT_OPERATION_DURATION)).toBeDefined();
  });
});
