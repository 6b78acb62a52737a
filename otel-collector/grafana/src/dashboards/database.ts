/**
 * Database pool: connections by state against the pool's max, requests waiting for a connection, time to
 * acquire and time held, acquisition timeouts; queries by operation and summary, their latency and errors.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { build, labelVariable, newDashboard } from '../dashboard.ts';
import { DB, label } from '../metrics.ts';
import { heatmapPanel, q, statPanel, steps, timeseriesPanel } from '../panels.ts';
import { count, heatmapBuckets, orZero, quantile, ratio, series, sumOf, sumRate } from '../query.ts';

const POOL = label('db.client.connection.pool.name');
const STATE = label('db.client.connection.state');
const OPERATION = label('db.operation.name');
const SUMMARY = label('db.query.summary');
const ERROR_TYPE = label('error.type');
const POOLS = `${POOL}=~"$pool"`;

const used = (by: string[] = []) => sumOf(series(DB.connectionCount, POOLS, `${STATE}="used"`), by);
const max = (by: string[] = []) => sumOf(series(DB.connectionMax, POOLS), by);

export function databaseDashboard(): Dashboard {
  const { builder, layout } = newDashboard({
    uid: 'otel-perf-database',
    title: 'otel-perf / Database pool',
    description:
      'pg pools (db.client.connection.*) and queries (db.client.operation.duration): saturation, waits, timeouts, query latency and errors.',
    tags: ['database', 'postgresql'],
    variables: [labelVariable('pool', 'Pool', series(DB.connectionMax), POOL)],
  });

  layout
    .row('Pool saturation')
    .panel(
      statPanel({
        title: 'Pool utilization',
        description: 'Connections in use over the pools’ max, all selected pools.',
        unit: 'percentunit',
        query: q(ratio(used(), max())),
        thresholds: steps('green', [0.8, 'orange'], [0.95, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Waiting for a connection',
        description: 'Requests queued for a connection now (db.client.connection.pending_requests).',
        query: q(sumOf(series(DB.pendingRequests, POOLS))),
        thresholds: steps('green', [1, 'orange'], [10, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Acquire p99',
        description: '99th percentile of the time to acquire a connection (db.client.connection.wait_time).',
        unit: 's',
        query: q(quantile(0.99, DB.waitTime, [], [POOLS])),
        thresholds: steps('green', [0.1, 'orange'], [1, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Acquire timeouts',
        description: 'Connection acquisitions that timed out, per second (db.client.connection.timeouts).',
        unit: 'ops',
        query: q(orZero(sumRate(series(DB.timeouts, POOLS)))),
        thresholds: steps('green', [0.001, 'red']),
      }),
      6,
      4,
    )
    .panel(
      timeseriesPanel({
        title: 'Connections by state',
        description: 'Idle and used connections per pool, with the pool’s max as a line.',
        stack: false,
        queries: [
          q(sumOf(series(DB.connectionCount, POOLS), [POOL, STATE]), `{{${POOL}}} {{${STATE}}}`),
          q(max([POOL]), `{{${POOL}}} max`),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Utilization by pool',
        description: 'Used connections over max, per pool: near 1 means requests start to queue.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [q(ratio(used([POOL]), max([POOL])), `{{${POOL}}}`)],
        thresholds: steps('transparent', [0.9, 'red']),
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Pending requests by pool',
        description: 'Requests waiting for a connection, per pool.',
        queries: [q(sumOf(series(DB.pendingRequests, POOLS), [POOL]), `{{${POOL}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Acquire timeouts by pool',
        description: 'Acquisitions that gave up (connectionTimeoutMillis) per second, per pool.',
        unit: 'ops',
        bars: true,
        queries: [q(sumRate(series(DB.timeouts, POOLS), [POOL]), `{{${POOL}}}`)],
      }),
      12,
      8,
    )
    .row('Connection times and errors')
    .panel(
      timeseriesPanel({
        title: 'Time to acquire a connection',
        description: 'p50 / p99 of db.client.connection.wait_time per pool.',
        unit: 's',
        min: 0,
        queries: [
          q(quantile(0.5, DB.waitTime, [POOL], [POOLS]), `{{${POOL}}} p50`),
          q(quantile(0.99, DB.waitTime, [POOL], [POOLS]), `{{${POOL}}} p99`),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Time a connection is held',
        description: 'p50 / p99 of db.client.connection.use_time per pool: long holds starve the pool.',
        unit: 's',
        min: 0,
        queries: [
          q(quantile(0.5, DB.useTime, [POOL], [POOLS]), `{{${POOL}}} p50`),
          q(quantile(0.99, DB.useTime, [POOL], [POOLS]), `{{${POOL}}} p99`),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Connection errors by type',
        description:
          'Connections that failed or broke per second (pg.connection.errors), by pool and error.type.',
        unit: 'ops',
        stack: true,
        queries: [
          q(sumRate(series(DB.connectionErrors, POOLS), [POOL, ERROR_TYPE]), `{{${POOL}}} {{${ERROR_TYPE}}}`),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Time to create a connection',
        description:
          'p99 of db.client.connection.create_time per pool (new TCP connection and authentication).',
        unit: 's',
        min: 0,
        queries: [q(quantile(0.99, DB.createTime, [POOL], [POOLS]), `{{${POOL}}}`)],
      }),
      12,
      8,
    )
    .row('Queries')
    .panel(
      timeseriesPanel({
        title: 'Queries by operation',
        description: 'Queries per second by db.operation.name.',
        unit: 'ops',
        stack: true,
        queries: [q(sumRate(count(DB.operationDuration), [OPERATION]), `{{${OPERATION}}}`)],
      }),
      12,
      8,
    )
    .panel(
      heatmapPanel({
        title: 'Query latency heatmap',
        description: 'Queries per duration bucket (db_client_operation_duration_seconds_bucket).',
        unit: 's',
        query: q(heatmapBuckets(DB.operationDuration)),
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Slowest query summaries (p95)',
        description:
          'The ten query summaries (sanitised: `SELECT users`, never literals) with the highest 95th percentile duration.',
        unit: 's',
        min: 0,
        queries: [q(`topk(10, ${quantile(0.95, DB.operationDuration, [SUMMARY])})`, `{{${SUMMARY}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Query errors by type',
        description: 'Failed queries per second by error.type and operation.',
        unit: 'ops',
        stack: true,
        queries: [
          q(
            sumRate(count(DB.operationDuration, `${ERROR_TYPE}!=""`), [OPERATION, ERROR_TYPE]),
            `{{${OPERATION}}} {{${ERROR_TYPE}}}`,
          ),
        ],
      }),
      12,
      8,
    );

  return build(builder);
}
