import diagnosticsChannel from 'node:diagnostics_channel';
import type { Attributes } from '@opentelemetry/api';
import { safeCall } from '@otel-perf/core';
import type { Sink } from './registry.js';
import type { QuerySummary } from './sanitize.js';
import { ATTR_DB_NAMESPACE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from './semconv.js';
import type { SlowQueryEvent } from './types.js';

/** The diagnostics channel slow-query events are published on (a {@link SlowQueryEvent} per message). */
export const SLOW_QUERY_CHANNEL = 'otel-perf:pg:slow-query' as const;

const channel = diagnosticsChannel.channel(SLOW_QUERY_CHANNEL);

/**
 * Reports a query that took `seconds` to every sink whose threshold it reached, and once on the channel
 * (with the lowest threshold reached) when someone subscribes. Cheap when nothing is slow: one comparison
 * per sink.
 */
export function reportIfSlow(
  sinks: ReadonlySet<Sink>,
  seconds: number,
  summary: QuerySummary,
  base: Attributes,
  errorType: string | undefined,
): void {
  let event: SlowQueryEvent | undefined;
  let lowest = Number.POSITIVE_INFINITY;
  for (const sink of sinks) {
    if (seconds < sink.slowQueryThreshold) continue;
    lowest = Math.min(lowest, sink.slowQueryThreshold);
    if (sink.onSlowQuery) {
      event = makeEvent(seconds, sink.slowQueryThreshold, summary, base, errorType);
      safeCall('pg onSlowQuery', sink.onSlowQuery, event);
    }
  }
  if (lowest !== Number.POSITIVE_INFINITY && channel.hasSubscribers) {
    channel.publish(
      event?.thresholdSeconds === lowest ? event : makeEvent(seconds, lowest, summary, base, errorType),
    );
  }
}

function makeEvent(
  seconds: number,
  threshold: number,
  summary: QuerySummary,
  base: Attributes,
  errorType: string | undefined,
): SlowQueryEvent {
  const namespace = base[ATTR_DB_NAMESPACE];
  const address = base[ATTR_SERVER_ADDRESS];
  const port = base[ATTR_SERVER_PORT];
  return Object.freeze({
    summary: summary.summary,
    operation: summary.operation,
    durationSeconds: seconds,
    thresholdSeconds: threshold,
    namespace: typeof namespace === 'string' ? namespace : undefined,
    serverAddress: typeof address === 'string' ? address : undefined,
    serverPort: typeof port === 'number' ? port : undefined,
    errorType,
  });
}
