import type { MetricDescriptor as CoreMetricDescriptor } from '@otel-perf/core';
/**
 * Every metric and attribute name this package emits. The query and pool metrics are the OpenTelemetry
 * database semantic conventions (`db.client.operation.duration`, `db.client.connection.*`); the one name
 * they lack, connection errors, is ours (`pg.connection.errors`).
 *
 * The README's metrics table is checked against {@link PG_METRICS} by a test.
 */

/** `postgresql`, on every query measurement. */
export const ATTR_DB_SYSTEM_NAME = 'db.system.name' as const;
/** The database name the client is connected to. */
export const ATTR_DB_NAMESPACE = 'db.namespace' as const;
/** The SQL command (`SELECT`, `INSERT`, `CREATE`...; `BATCH` for several statements in one query). */
export const ATTR_DB_OPERATION_NAME = 'db.operation.name' as const;
/** A low-cardinality summary of the query (`SELECT users`): commands and table names, never literals. */
export const ATTR_DB_QUERY_SUMMARY = 'db.query.summary' as const;
/** The full SQLSTATE of a failed query (`42P01`), when PostgreSQL returned one. */
export const ATTR_DB_RESPONSE_STATUS_CODE = 'db.response.status_code' as const;
/** Host the client connects to. */
export const ATTR_SERVER_ADDRESS = 'server.address' as const;
/** Port the client connects to. */
export const ATTR_SERVER_PORT = 'server.port' as const;
/**
 * Why an operation failed: the SQLSTATE class (`42`, `23`, `57`) for errors PostgreSQL returned, the Node.js
 * error code (`ECONNREFUSED`) for socket errors, otherwise the error's name (`Error`, `TypeError`).
 */
export const ATTR_ERROR_TYPE = 'error.type' as const;
/** The pool's name: given to `instrumentPool`, or `application_name`, or `host:port/database` (`#2`... for more). */
export const ATTR_DB_CLIENT_CONNECTION_POOL_NAME = 'db.client.connection.pool.name' as const;
/** `idle` or `used`, on `db.client.connection.count`. */
export const ATTR_DB_CLIENT_CONNECTION_STATE = 'db.client.connection.state' as const;

/** The value of `db.system.name`. */
export const DB_SYSTEM_NAME_VALUE_POSTGRESQL = 'postgresql' as const;
/** The values of `db.client.connection.state`. */
export const CONNECTION_STATES = ['idle', 'used'] as const;

/** Duration of a query, from the call to its result or error. */
export const METRIC_DB_CLIENT_OPERATION_DURATION = 'db.client.operation.duration' as const;
/** Open connections of the pool, by state. */
export const METRIC_DB_CLIENT_CONNECTION_COUNT = 'db.client.connection.count' as const;
/** Most idle connections the pool keeps (pg-pool: `max`, it has no separate idle limit). */
export const METRIC_DB_CLIENT_CONNECTION_IDLE_MAX = 'db.client.connection.idle.max' as const;
/** Fewest idle connections the pool keeps (pg-pool: `min`). */
export const METRIC_DB_CLIENT_CONNECTION_IDLE_MIN = 'db.client.connection.idle.min' as const;
/** Most open connections the pool allows (pg-pool: `max`). */
export const METRIC_DB_CLIENT_CONNECTION_MAX = 'db.client.connection.max' as const;
/** Requests waiting for a connection, read from the pool at collection time. */
export const METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS = 'db.client.connection.pending_requests' as const;
/** Requests for a connection that timed out (`connectionTimeoutMillis`). */
export const METRIC_DB_CLIENT_CONNECTION_TIMEOUTS = 'db.client.connection.timeouts' as const;
/** Time to open a new connection. */
export const METRIC_DB_CLIENT_CONNECTION_CREATE_TIME = 'db.client.connection.create_time' as const;
/** Time to obtain a connection from the pool. */
export const METRIC_DB_CLIENT_CONNECTION_WAIT_TIME = 'db.client.connection.wait_time' as const;
/** Time between obtaining a connection and releasing it. */
export const METRIC_DB_CLIENT_CONNECTION_USE_TIME = 'db.client.connection.use_time' as const;
/**
 * Connection errors (ours; the conventions have none): a connection that could not be opened, an idle
 * connection that broke, a connection lost under a query (SQLSTATE class `08`, `57P01`–`57P03`, socket errors).
 */
export const METRIC_PG_CONNECTION_ERRORS = 'pg.connection.errors' as const;

/** The kinds of OpenTelemetry instrument behind this package's metrics. */
export type InstrumentKind = 'Counter' | 'Histogram' | 'ObservableUpDownCounter';

/** One metric this package emits: the single source for instrument creation and the README table. */
export type MetricDescriptor = CoreMetricDescriptor<InstrumentKind>;

const POOL = [ATTR_DB_CLIENT_CONNECTION_POOL_NAME] as const;

/** Every metric this package emits. */
export const PG_METRICS = [
  {
    name: METRIC_DB_CLIENT_OPERATION_DURATION,
    instrument: 'Histogram',
    unit: 's',
    description: 'Duration of database client operations.',
    attributes: [
      ATTR_DB_SYSTEM_NAME,
      ATTR_DB_NAMESPACE,
      ATTR_DB_OPERATION_NAME,
      ATTR_DB_QUERY_SUMMARY,
      ATTR_SERVER_ADDRESS,
      ATTR_SERVER_PORT,
      ATTR_ERROR_TYPE,
      ATTR_DB_RESPONSE_STATUS_CODE,
    ],
  },
  {
    name: METRIC_DB_CLIENT_CONNECTION_COUNT,
    instrument: 'ObservableUpDownCounter',
    unit: '{connection}',
    description: 'The number of connections that are currently in state described by the state attribute.',
    attributes: [...POOL, ATTR_DB_CLIENT_CONNECTION_STATE],
  },
  {
    name: METRIC_DB_CLIENT_CONNECTION_IDLE_MAX,
    instrument: 'ObservableUpDownCounter',
    unit: '{connection}',
    description: 'The maximum number of idle open connections allowed.',
    attributes: POOL,
  },
  {
    name: METRIC_DB_CLIENT_CONNECTION_IDLE_MIN,
    instrument: 'ObservableUpDownCounter',
    unit: '{connection}',
    description: 'The minimum number of idle open connections allowed.',
    attributes: POOL,
  },
  {
    name: METRIC_DB_CLIENT_CONNECTION_MAX,
    instrument: 'ObservableUpDownCounter',
    unit: '{connection}',
    description: 'The maximum number of open connections allowed.',
    attributes: POOL,
  },
  {
    name: METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS,
    instrument: 'ObservableUpDownCounter',
    unit: '{request}',
    description: 'The number of current pending requests for an open connection.',
    attributes: POOL,
  },
  {
    name: METRIC_DB_CLIENT_CONNECTION_TIMEOUTS,
    instrument: 'Counter',
    unit: '{timeout}',
    description:
      'The number of connection timeouts that have occurred trying to obtain a connection from the pool.',
    attributes: POOL,
  },
  {
    name: METRIC_DB_CLIENT_CONNECTION_CREATE_TIME,
    instrument: 'Histogram',
    unit: 's',
    description: 'The time it took to create a new connection.',
    attributes: POOL,
  },
  {
    name: METRIC_DB_CLIENT_CONNECTION_WAIT_TIME,
    instrument: 'Histogram',
    unit: 's',
    description: 'The time it took to obtain an open connection from the pool.',
    attributes: POOL,
  },
  {
    name: METRIC_DB_CLIENT_CONNECTION_USE_TIME,
    instrument: 'Histogram',
    unit: 's',
    description: 'The time between borrowing a connection and returning it to the pool.',
    attributes: POOL,
  },
  {
    name: METRIC_PG_CONNECTION_ERRORS,
    instrument: 'Counter',
    unit: '{error}',
    description:
      'Connections that failed to open, broke while idle, or were lost under a query (SQLSTATE 08, 57P01-57P03, socket errors).',
    attributes: [...POOL, ATTR_ERROR_TYPE],
  },
] as const satisfies readonly MetricDescriptor[];
