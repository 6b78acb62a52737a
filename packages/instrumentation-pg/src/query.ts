import { type Attributes, diag } from '@opentelemetry/api';
import { errorType, sqlState } from './errors.js';
import { registry } from './registry.js';
import { type QuerySummary, SummaryCache } from './sanitize.js';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from './semconv.js';
import { reportIfSlow } from './slow.js';

/** Marks our query wrappers, so a pool whose Client class is already measured is not measured twice. */
export const MEASURED = Symbol.for('@otel-perf/instrumentation-pg:measured');

type QueryFn = (this: unknown, ...args: unknown[]) => unknown;

const summaries = new SummaryCache();

/** The connection attributes of a query (`db.system.name`, `db.namespace`, `server.*`). */
export function connectionAttributes(database: unknown, host: unknown, port: unknown): Attributes {
  const attrs: Attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL };
  if (typeof database === 'string' && database !== '') attrs[ATTR_DB_NAMESPACE] = database;
  if (typeof host === 'string' && host !== '') attrs[ATTR_SERVER_ADDRESS] = host;
  const p = typeof port === 'string' ? Number(port) : port;
  if (typeof p === 'number' && Number.isInteger(p)) attrs[ATTR_SERVER_PORT] = p;
  return attrs;
}

const byClient = new WeakMap<object, Attributes>();

/** A pg Client's connection attributes, computed once per client. */
export function clientAttributes(client: unknown): Attributes {
  const c = client as { connectionParameters?: { database?: unknown; host?: unknown; port?: unknown } };
  let attrs = byClient.get(c);
  if (attrs === undefined) {
    const p = c.connectionParameters ?? (c as { database?: unknown; host?: unknown; port?: unknown });
    attrs = connectionAttributes(p.database, p.host, p.port);
    byClient.set(c, attrs);
  }
  return attrs;
}

/** Attribute sets of successful queries, per connection attributes and summary: built once, reused. */
const successSets = new WeakMap<Attributes, Map<QuerySummary, Attributes>>();
/** Summaries remembered per connection (a bound; the summary cache itself holds 1000 texts). */
const MAX_SETS_PER_CONNECTION = 1000;

function successAttributes(base: Attributes, summary: QuerySummary): Attributes {
  let sets = successSets.get(base);
  if (sets === undefined) {
    sets = new Map();
    successSets.set(base, sets);
  }
  let attrs = sets.get(summary);
  if (attrs === undefined) {
    if (sets.size >= MAX_SETS_PER_CONNECTION) sets.clear();
    attrs = Object.freeze({
      ...base,
      [ATTR_DB_OPERATION_NAME]: summary.operation,
      [ATTR_DB_QUERY_SUMMARY]: summary.summary,
    });
    sets.set(summary, attrs);
  }
  return attrs;
}

/** Records one finished query into every enabled instrumentation; never throws. */
function finish(base: Attributes, text: unknown, start: number, err: unknown): void {
  try {
    const seconds = (performance.now() - start) / 1000;
    const sinks = registry().sinks;
    if (sinks.size === 0) return;
    const summary = summaries.get(text);
    let attrs: Attributes;
    let type: string | undefined;
    if (err == null) attrs = successAttributes(base, summary);
    else {
      attrs = {
        ...base,
        [ATTR_DB_OPERATION_NAME]: summary.operation,
        [ATTR_DB_QUERY_SUMMARY]: summary.summary,
      };
      type = errorType(err);
      attrs[ATTR_ERROR_TYPE] = type;
      const state = sqlState(err);
      if (state !== undefined) attrs[ATTR_DB_RESPONSE_STATUS_CODE] = state;
    }
    for (const sink of sinks) sink.operationDuration.record(seconds, attrs);
    reportIfSlow(sinks, seconds, summary, base, type);
  } catch (e) {
    diag.error('otel-perf: recording a pg query failed', e);
  }
}

/**
 * Wraps a `query(config, values?, callback?)` function (pg's `Client.prototype.query`, or a pool's `query`) so
 * that it measures each query: the callback gets the same arguments, the promise resolves or rejects with the
 * same value (through one `then`), a synchronous throw passes through untouched. Queries given a submittable
 * (pg-cursor, pg-query-stream) or a config object carrying its own `callback` pass through unmeasured: measuring
 * them would mean changing an object the application owns.
 */
export function measureQuery(
  original: QueryFn,
  attributesOf: (self: unknown) => Attributes,
  measuredElsewhere?: () => boolean,
): QueryFn {
  const wrapped = function query(this: unknown, ...args: unknown[]): unknown {
    const config = args[0] as
      | { text?: unknown; submit?: unknown; callback?: unknown }
      | string
      | null
      | undefined;
    if (registry().sinks.size === 0 || config == null || measuredElsewhere?.() === true) {
      return original.apply(this, args);
    }
    let text: unknown;
    if (typeof config === 'string') text = config;
    else if (typeof config === 'object' && typeof config.submit !== 'function') text = config.text;
    else return original.apply(this, args);
    const last = args.length - 1;
    const callback = args[last];
    const start = performance.now();
    if (typeof callback === 'function' && last > 0) {
      const self = this;
      args[last] = function measuredCallback(this: unknown, err: unknown, ...rest: unknown[]) {
        finish(attributesOf(self), text, start, err);
        return (callback as (...a: unknown[]) => unknown).call(this, err, ...rest);
      };
      return original.apply(this, args);
    }
    if (typeof config === 'object' && typeof config.callback === 'function')
      return original.apply(this, args);
    const result = original.apply(this, args);
    if (result == null || typeof (result as { then?: unknown }).then !== 'function') return result;
    return (result as Promise<unknown>).then(
      (value) => {
        finish(attributesOf(this), text, start, undefined);
        return value;
      },
      (err: unknown) => {
        finish(attributesOf(this), text, start, err);
        throw err;
      },
    );
  };
  Object.defineProperty(wrapped, MEASURED, { value: true });
  return wrapped;
}
