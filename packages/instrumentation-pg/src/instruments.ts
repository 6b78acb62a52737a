import {
  type BatchObservableCallback,
  type Meter,
  type ObservableUpDownCounter,
  ValueType,
} from '@opentelemetry/api';
import {
  type BatchInstruments,
  createFastHistogram,
  type FastHistogram,
  type ProducerRegistry,
} from '@otel-perf/core';
import { DB_OPERATION_BUCKETS, POOL_TIME_BUCKETS } from '@otel-perf/views';
import { prune } from './pool.js';
import type { Recorder, Sink } from './registry.js';
import { registry } from './registry.js';
import {
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME,
  ATTR_DB_CLIENT_CONNECTION_STATE,
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
  type MetricDescriptor,
  PG_METRICS,
} from './semconv.js';
import type { PgInstrumentationConfig, PgViewsOptions } from './types.js';

/** Default slow-query threshold, in seconds. */
export const DEFAULT_SLOW_QUERY_THRESHOLD = 1;

/** The instruments of one instrumentation: the sink queries and pools record into, and the pool gauges. */
export type PgInstruments = BatchInstruments<Sink>;

const describe = (name: string): { description: string; unit: string } => {
  const d = PG_METRICS.find((m) => m.name === name) as MetricDescriptor;
  return { description: d.description, unit: d.unit };
};

const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;

/** The fast-path histograms of one instrumentation (see `fastPath`). */
export interface PgFastHistograms {
  operationDuration: FastHistogram;
  createTime: FastHistogram;
  waitTime: FastHistogram;
  useTime: FastHistogram;
}

/** The four histograms of the SDK path: name, description, unit, value type and default buckets. */
function histogramDescriptors() {
  const spec = (name: string, buckets: readonly number[]) => ({
    name,
    ...describe(name),
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: [...buckets] },
  });
  return {
    operationDuration: spec(METRIC_DB_CLIENT_OPERATION_DURATION, DB_OPERATION_BUCKETS),
    createTime: spec(METRIC_DB_CLIENT_CONNECTION_CREATE_TIME, POOL_TIME_BUCKETS),
    waitTime: spec(METRIC_DB_CLIENT_CONNECTION_WAIT_TIME, POOL_TIME_BUCKETS),
    useTime: spec(METRIC_DB_CLIENT_CONNECTION_USE_TIME, POOL_TIME_BUCKETS),
  };
}

/** The fast-path histograms, with the views applied as `createViews` would (buckets, allow-list, series cap). */
export function createFastHistograms(views: PgViewsOptions, registry: ProducerRegistry): PgFastHistograms {
  const d = histogramDescriptors();
  return {
    operationDuration: createFastHistogram(d.operationDuration, views, registry),
    createTime: createFastHistogram(d.createTime, views, registry),
    waitTime: createFastHistogram(d.waitTime, views, registry),
    useTime: createFastHistogram(d.useTime, views, registry),
  };
}

/** In reader order: the fast-path histograms a producer reports. */
export function fastList(f: PgFastHistograms): FastHistogram[] {
  return [f.operationDuration, f.createTime, f.waitTime, f.useTime];
}

export function createInstruments(
  meter: Meter,
  config: PgInstrumentationConfig,
  fast?: PgFastHistograms,
): PgInstruments {
  const d = histogramDescriptors();
  const histogram = (h: keyof PgFastHistograms): Recorder => {
    if (fast !== undefined) return fast[h];
    const { name, description, unit, advice } = d[h];
    return meter.createHistogram(name, { description, unit, advice });
  };
  const sink: Sink = {
    operationDuration: histogram('operationDuration'),
    timeouts: meter.createCounter(
      METRIC_DB_CLIENT_CONNECTION_TIMEOUTS,
      describe(METRIC_DB_CLIENT_CONNECTION_TIMEOUTS),
    ),
    createTime: histogram('createTime'),
    waitTime: histogram('waitTime'),
    useTime: histogram('useTime'),
    connectionErrors: meter.createCounter(METRIC_PG_CONNECTION_ERRORS, describe(METRIC_PG_CONNECTION_ERRORS)),
    slowQueryThreshold: config.slowQueryThreshold ?? DEFAULT_SLOW_QUERY_THRESHOLD,
    onSlowQuery: config.onSlowQuery,
    poolName: config.poolName,
  };
  const gauge = (name: string): ObservableUpDownCounter =>
    meter.createObservableUpDownCounter(name, describe(name));
  const count = gauge(METRIC_DB_CLIENT_CONNECTION_COUNT);
  const idleMax = gauge(METRIC_DB_CLIENT_CONNECTION_IDLE_MAX);
  const idleMin = gauge(METRIC_DB_CLIENT_CONNECTION_IDLE_MIN);
  const max = gauge(METRIC_DB_CLIENT_CONNECTION_MAX);
  const pending = gauge(METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS);

  // One batch callback over every live pool, reading the pool's own counters at collection time.
  const callback: BatchObservableCallback = (result) => {
    prune();
    const r = registry();
    for (const state of r.pools) {
      const pool = state.live();
      if (pool === undefined) continue;
      const a = state.attributes;
      const total = num(pool.totalCount, 0);
      const idle = Math.min(num(pool.idleCount, 0), total);
      const poolMax = num(pool.options.max, 10);
      result.observe(count, idle, { ...a, [ATTR_DB_CLIENT_CONNECTION_STATE]: 'idle' });
      result.observe(count, total - idle, { ...a, [ATTR_DB_CLIENT_CONNECTION_STATE]: 'used' });
      // pg-pool has no idle limit of its own: up to `max` connections may sit idle.
      result.observe(idleMax, poolMax, a);
      result.observe(idleMin, num(pool.options.min, 0), a);
      result.observe(max, poolMax, a);
      result.observe(pending, num(pool.waitingCount, 0), a);
    }
    for (const name of r.retired) {
      const a = { [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: name };
      result.observe(count, 0, { ...a, [ATTR_DB_CLIENT_CONNECTION_STATE]: 'idle' });
      result.observe(count, 0, { ...a, [ATTR_DB_CLIENT_CONNECTION_STATE]: 'used' });
      for (const o of [idleMax, idleMin, max, pending]) result.observe(o, 0, a);
    }
  };
  return { meter, sink, observables: [count, idleMax, idleMin, max, pending], callback };
}
