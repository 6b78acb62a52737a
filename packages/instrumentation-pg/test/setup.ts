import { createRequire } from 'node:module';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import {
  pointsWith,
  postgresConfig,
  serviceHint,
  type TestMetrics,
  withInstrumentation,
} from '@otel-perf/test-utils';
import type * as PgModule from 'pg';
import { PgInstrumentation, type PgInstrumentationConfig } from '../src/index.js';

/**
 * A real MeterProvider with the instrumentation enabled on it, and `pg` required AFTER the instrumentation's
 * require hook is in place (through a real CommonJS `require`, the way an application loads it), so the
 * module patches are the real ones. Each test file runs in its own process, so this is the first load of pg.
 */
export interface Harness {
  metrics: TestMetrics;
  instrumentation: PgInstrumentation;
  pg: typeof PgModule;
  cleanup(): Promise<void>;
}

export function harness(config: PgInstrumentationConfig = {}): Harness {
  const h = withInstrumentation(new PgInstrumentation(config));
  return { ...h, pg: createRequire(import.meta.url)('pg') as typeof PgModule };
}

/** A schema of this test process (dropped by `dropSchema`). */
export const SCHEMA = `otel_perf_pg_${process.pid}`;

/** Creates this process's schema and a small table through a plain client; fails with the script to run. */
export async function createSchema(pg: typeof PgModule): Promise<void> {
  const client = new pg.Client(postgresConfig);
  try {
    await client.connect();
  } catch (err) {
    throw serviceHint('postgres', err);
  }
  try {
    await client.query(`drop schema if exists ${SCHEMA} cascade`);
    await client.query(`create schema ${SCHEMA}`);
    await client.query(
      `create table ${SCHEMA}.users (id serial primary key, email text not null unique, name text not null)`,
    );
    await client.query(
      `create table ${SCHEMA}.orders (id serial primary key, user_id int not null references ${SCHEMA}.users(id), total_cents int not null)`,
    );
  } finally {
    await client.end();
  }
}

export async function dropSchema(pg: typeof PgModule): Promise<void> {
  const client = new pg.Client(postgresConfig);
  await client.connect();
  try {
    await client.query(`drop schema if exists ${SCHEMA} cascade`);
  } finally {
    await client.end();
  }
}

/** Every attribute value of every point of these metrics, as strings (to prove no literal leaked). */
export function allAttributeValues(metrics: (MetricData | undefined)[]): string[] {
  return metrics.flatMap((m) => pointsWith(m).flatMap((p) => Object.values(p.attributes).map(String)));
}
