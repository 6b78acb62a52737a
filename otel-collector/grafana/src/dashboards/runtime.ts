/**
 * Node.js runtime: event-loop delay (the aggregatable histogram and the p99 gauge), event-loop utilization,
 * CPU, memory and heap against its limit, garbage collection.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { build, newDashboard } from '../dashboard.ts';
import { label, RUNTIME } from '../metrics.ts';
import { heatmapPanel, q, statPanel, steps, timeseriesPanel } from '../panels.ts';
import { count, heatmapBuckets, maxOf, quantile, ratio, series, sumOf, sumRate, total } from '../query.ts';

const GC_TYPE = label('v8js.gc.type');
const CPU_MODE = label('cpu.mode');
const RESOURCE_TYPE = label('v8js.resource.type');
const BY_INSTANCE = ['instance'];

const heapUsed = (by: string[]) => sumOf(series(RUNTIME.heapUsed), by);
const heapLimit = (by: string[]) => sumOf(series(RUNTIME.heapLimit), by);

export function runtimeDashboard(): Dashboard {
  const { builder, layout } = newDashboard({
    uid: 'otel-perf-runtime',
    title: 'otel-perf / Node.js runtime',
    description:
      'Node.js runtime (nodejs.*, v8js.*, process.*): event-loop delay and utilization, CPU, memory, heap against its limit, GC pauses.',
    tags: ['runtime', 'nodejs'],
  });

  layout
    .row('Event loop')
    .panel(
      statPanel({
        title: 'Event-loop delay p99',
        description:
          'Worst instance’s p99 event-loop delay over the trailing window (nodejs.eventloop.delay.p99).',
        unit: 's',
        query: q(maxOf(series(RUNTIME.eventLoopDelayP99))),
        thresholds: steps('green', [0.05, 'orange'], [0.1, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Event-loop utilization',
        description: 'Busiest instance’s share of time the event loop was running code.',
        unit: 'percentunit',
        query: q(maxOf(series(RUNTIME.eventLoopUtilization))),
        thresholds: steps('green', [0.7, 'orange'], [0.9, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'CPU',
        description:
          'Busiest instance’s CPU utilization (of its cgroup quota when it has one), user + system.',
        unit: 'percentunit',
        query: q(maxOf(sumOf(series(RUNTIME.cpuUtilization), BY_INSTANCE))),
        thresholds: steps('green', [0.7, 'orange'], [0.8, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Heap used / limit',
        description: 'Fullest instance’s V8 heap used over its heap size limit.',
        unit: 'percentunit',
        query: q(maxOf(ratio(heapUsed(BY_INSTANCE), heapLimit(BY_INSTANCE)))),
        thresholds: steps('green', [0.7, 'orange'], [0.9, 'red']),
      }),
      6,
      4,
    )
    .panel(
      timeseriesPanel({
        title: 'Event-loop delay p50 / p99 (histogram)',
        description:
          'Quantiles of nodejs.eventloop.delay per instance, from the histogram (sampling resolution already subtracted).',
        unit: 's',
        min: 0,
        queries: [
          q(quantile(0.5, RUNTIME.eventLoopDelay, BY_INSTANCE), '{{instance}} p50'),
          q(quantile(0.99, RUNTIME.eventLoopDelay, BY_INSTANCE), '{{instance}} p99'),
        ],
        thresholds: steps('transparent', [0.1, 'red']),
      }),
      12,
      8,
    )
    .panel(
      heatmapPanel({
        title: 'Event-loop delay heatmap',
        description:
          'Event-loop delay samples per bucket (nodejs_eventloop_delay_seconds_bucket), every instance.',
        unit: 's',
        query: q(heatmapBuckets(RUNTIME.eventLoopDelay)),
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Event-loop utilization',
        description: 'nodejs.eventloop.utilization per instance: near 1 the process cannot take more work.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [q(sumOf(series(RUNTIME.eventLoopUtilization), BY_INSTANCE), '{{instance}}')],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Event-loop delay p99 (gauge)',
        description:
          'nodejs.eventloop.delay.p99 per instance: the trailing-window gauge of the semantic conventions.',
        unit: 's',
        min: 0,
        queries: [q(sumOf(series(RUNTIME.eventLoopDelayP99), BY_INSTANCE), '{{instance}}')],
      }),
      12,
      8,
    )
    .row('CPU and memory')
    .panel(
      timeseriesPanel({
        title: 'CPU utilization',
        description:
          'process.cpu.utilization per instance and mode (of the cgroup quota inside a container).',
        unit: 'percentunit',
        min: 0,
        stack: true,
        queries: [
          q(sumOf(series(RUNTIME.cpuUtilization), ['instance', CPU_MODE]), `{{instance}} {{${CPU_MODE}}}`),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'CPU time',
        description: 'CPU seconds per second from process.cpu.time (cores used), per instance.',
        unit: 'short',
        min: 0,
        queries: [q(sumRate(series(RUNTIME.cpuTime), BY_INSTANCE), '{{instance}}')],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Memory',
        description:
          'Resident set size (process.memory.usage), V8 heap used and the heap limit, per instance.',
        unit: 'bytes',
        min: 0,
        queries: [
          q(sumOf(series(RUNTIME.memoryUsage), BY_INSTANCE), '{{instance}} rss'),
          q(heapUsed(BY_INSTANCE), '{{instance}} heap used'),
          q(heapLimit(BY_INSTANCE), '{{instance}} heap limit'),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Heap growth',
        description:
          'Change of V8 heap used per hour (deriv over 30 minutes): a steady positive slope that outlives GC is a leak.',
        unit: 'bytes',
        queries: [q(`deriv(${heapUsed(BY_INSTANCE)}[30m:1m]) * 3600`, '{{instance}}')],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Active resources by type',
        description:
          'Resources keeping the event loop alive (v8js.resource.active: Timeout, TCPWrap...), per type: a count that only grows is a handle leak.',
        queries: [q(sumOf(series(RUNTIME.resourcesActive), [RESOURCE_TYPE]), `{{${RESOURCE_TYPE}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'External memory',
        description: 'Memory held by C++ objects bound to JavaScript (nodejs.memory.external), per instance.',
        unit: 'bytes',
        min: 0,
        queries: [q(sumOf(series(RUNTIME.memoryExternal), BY_INSTANCE), '{{instance}}')],
      }),
      12,
      8,
    )
    .row('Garbage collection')
    .panel(
      timeseriesPanel({
        title: 'Time in GC',
        description: 'Share of wall time spent in GC pauses, per instance and GC type.',
        unit: 'percentunit',
        min: 0,
        stack: true,
        queries: [
          q(sumRate(total(RUNTIME.gcDuration), ['instance', GC_TYPE]), `{{instance}} {{${GC_TYPE}}}`),
        ],
      }),
      8,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'GC pause p99',
        description: '99th percentile GC pause by type (v8js.gc.duration, every entry of a batch).',
        unit: 's',
        min: 0,
        queries: [q(quantile(0.99, RUNTIME.gcDuration, [GC_TYPE]), `{{${GC_TYPE}}}`)],
      }),
      8,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'GCs per second',
        description: 'Collections per second by type.',
        unit: 'ops',
        stack: true,
        queries: [q(sumRate(count(RUNTIME.gcDuration), [GC_TYPE]), `{{${GC_TYPE}}}`)],
      }),
      8,
      8,
    );

  return build(builder);
}
