import type { MetricDescriptor as CoreMetricDescriptor } from '@otel-perf/core';
/**
 * Every metric and attribute name this package emits. Names are the OpenTelemetry semantic conventions'
 * (`nodejs.*`, `v8js.*`, `process.*`, semantic-conventions 1.45) where they exist, with these additions and
 * readings:
 *
 * - `nodejs.eventloop.delay` is a histogram (seconds, the `eventLoop` preset of `@otel-perf/views`) next to the
 *   convention's per-window gauges, so delay can be summed across instances and re-aggregated over time;
 * - every delay value has the sampling resolution subtracted (see the README, "How delay is measured");
 * - the `nodejs.eventloop.delay.*` gauges, `nodejs.eventloop.utilization` and `process.cpu.utilization`
 *   describe a trailing window that no reader consumes, so every reader of a provider sees the same values;
 * - `v8js.memory.heap.limit` is V8's heap size limit (one point, no space attribute): the convention deprecated
 *   its per-space reading in favour of `v8js.memory.heap.space.size`, which this package also emits;
 * - `nodejs.memory.external` and `nodejs.memory.array_buffers` have no convention and are ours.
 *
 * The README's metrics table is checked against {@link RUNTIME_METRICS} by a test.
 */

/** The type of a garbage collection: `major`, `minor`, `incremental` or `weakcb`. */
export const ATTR_V8JS_GC_TYPE = 'v8js.gc.type' as const;
/** A V8 heap space (`new_space`, `old_space`, `code_space`...), from `v8.getHeapSpaceStatistics()`. */
export const ATTR_V8JS_HEAP_SPACE_NAME = 'v8js.heap.space.name' as const;
/** The type of a resource keeping the event loop alive (`Timeout`, `TCPWrap`...). */
export const ATTR_V8JS_RESOURCE_TYPE = 'v8js.resource.type' as const;
/** `active` or `idle`. */
export const ATTR_NODEJS_EVENTLOOP_STATE = 'nodejs.eventloop.state' as const;
/** `user` or `system`. */
export const ATTR_CPU_MODE = 'cpu.mode' as const;

/** Values of `v8js.gc.type`. */
export const GC_TYPES = ['major', 'minor', 'incremental', 'weakcb'] as const;
/** Values of `nodejs.eventloop.state`. */
export const EVENTLOOP_STATES = ['active', 'idle'] as const;
/** Values of `cpu.mode`. */
export const CPU_MODES = ['user', 'system'] as const;

/** Event-loop delay samples (one per resolution tick), resolution subtracted. */
export const METRIC_NODEJS_EVENTLOOP_DELAY = 'nodejs.eventloop.delay' as const;
/** Smallest delay in the trailing window. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_MIN = 'nodejs.eventloop.delay.min' as const;
/** Largest delay in the trailing window. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_MAX = 'nodejs.eventloop.delay.max' as const;
/** Mean delay in the trailing window. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_MEAN = 'nodejs.eventloop.delay.mean' as const;
/** Standard deviation of the delay in the trailing window. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV = 'nodejs.eventloop.delay.stddev' as const;
/** Median delay in the trailing window. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P50 = 'nodejs.eventloop.delay.p50' as const;
/** 90th percentile delay in the trailing window. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P90 = 'nodejs.eventloop.delay.p90' as const;
/** 99th percentile delay in the trailing window (read by `@otel-perf/health`, in seconds). */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P99 = 'nodejs.eventloop.delay.p99' as const;
/** Share of the trailing window the event loop was busy (0..1). */
export const METRIC_NODEJS_EVENTLOOP_UTILIZATION = 'nodejs.eventloop.utilization' as const;
/** Total time the event loop spent in each state. */
export const METRIC_NODEJS_EVENTLOOP_TIME = 'nodejs.eventloop.time' as const;
/** Duration of every garbage collection. */
export const METRIC_V8JS_GC_DURATION = 'v8js.gc.duration' as const;
/** Heap memory used, by heap space. */
export const METRIC_V8JS_MEMORY_HEAP_USED = 'v8js.memory.heap.used' as const;
/** V8's heap size limit. */
export const METRIC_V8JS_MEMORY_HEAP_LIMIT = 'v8js.memory.heap.limit' as const;
/** Heap memory reserved for a heap space. */
export const METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE = 'v8js.memory.heap.space.size' as const;
/** Heap memory still available in a heap space. */
export const METRIC_V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE = 'v8js.memory.heap.space.available_size' as const;
/** Committed (physical) size of a heap space. */
export const METRIC_V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE = 'v8js.memory.heap.space.physical_size' as const;
/** Resources keeping the event loop alive, by type. */
export const METRIC_V8JS_RESOURCE_ACTIVE = 'v8js.resource.active' as const;
/** Resident set size of the process. */
export const METRIC_PROCESS_MEMORY_USAGE = 'process.memory.usage' as const;
/** Memory of C++ objects bound to JavaScript objects (includes array buffers). */
export const METRIC_NODEJS_MEMORY_EXTERNAL = 'nodejs.memory.external' as const;
/** Memory of `ArrayBuffer`s and `SharedArrayBuffer`s, `Buffer`s included. */
export const METRIC_NODEJS_MEMORY_ARRAY_BUFFERS = 'nodejs.memory.array_buffers' as const;
/** CPU time used by the process, by mode. */
export const METRIC_PROCESS_CPU_TIME = 'process.cpu.time' as const;
/** CPU used in the trailing window over the CPUs available to the process (cgroup quota when set). */
export const METRIC_PROCESS_CPU_UTILIZATION = 'process.cpu.utilization' as const;

/** The kinds of OpenTelemetry instrument behind this package's metrics. */
export type InstrumentKind =
  | 'Histogram'
  | 'ObservableCounter'
  | 'ObservableUpDownCounter'
  | 'ObservableGauge';

/** One metric this package emits: the single source for instrument creation and the README table. */
export type MetricDescriptor = CoreMetricDescriptor<InstrumentKind>;

const delayGauge = (name: string, what: string) =>
  ({
    name,
    instrument: 'ObservableGauge',
    unit: 's',
    description: `${what} event-loop delay in the trailing window, resolution subtracted.`,
    attributes: [],
  }) as const;

/** Every metric this package emits, in README order. */
export const RUNTIME_METRICS = [
  {
    name: METRIC_NODEJS_EVENTLOOP_DELAY,
    instrument: 'Histogram',
    unit: 's',
    description: 'Event-loop delay, one sample per resolution tick, resolution subtracted.',
    attributes: [],
  },
  delayGauge(METRIC_NODEJS_EVENTLOOP_DELAY_MIN, 'Minimum'),
  delayGauge(METRIC_NODEJS_EVENTLOOP_DELAY_MAX, 'Maximum'),
  delayGauge(METRIC_NODEJS_EVENTLOOP_DELAY_MEAN, 'Mean'),
  delayGauge(METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV, 'Standard deviation of the'),
  delayGauge(METRIC_NODEJS_EVENTLOOP_DELAY_P50, 'Median'),
  delayGauge(METRIC_NODEJS_EVENTLOOP_DELAY_P90, '90th percentile'),
  delayGauge(METRIC_NODEJS_EVENTLOOP_DELAY_P99, '99th percentile'),
  {
    name: METRIC_NODEJS_EVENTLOOP_UTILIZATION,
    instrument: 'ObservableGauge',
    unit: '1',
    description: 'Share (0..1) of the trailing window the event loop spent outside its idle wait.',
    attributes: [],
  },
  {
    name: METRIC_NODEJS_EVENTLOOP_TIME,
    instrument: 'ObservableCounter',
    unit: 's',
    description: 'Time the event loop spent active and idle since it started.',
    attributes: [ATTR_NODEJS_EVENTLOOP_STATE],
  },
  {
    name: METRIC_V8JS_GC_DURATION,
    instrument: 'Histogram',
    unit: 's',
    description: 'Duration of every garbage collection (every entry of every batch the observer gets).',
    attributes: [ATTR_V8JS_GC_TYPE],
  },
  {
    name: METRIC_V8JS_MEMORY_HEAP_USED,
    instrument: 'ObservableUpDownCounter',
    unit: 'By',
    description: 'V8 heap memory in use, by heap space (their sum is the heap used).',
    attributes: [ATTR_V8JS_HEAP_SPACE_NAME],
  },
  {
    name: METRIC_V8JS_MEMORY_HEAP_LIMIT,
    instrument: 'ObservableUpDownCounter',
    unit: 'By',
    description:
      "V8's heap size limit (`--max-old-space-size`), the size at which the process runs out of heap.",
    attributes: [],
  },
  {
    name: METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE,
    instrument: 'ObservableUpDownCounter',
    unit: 'By',
    description: 'Heap memory reserved for each heap space (their sum is the heap total).',
    attributes: [ATTR_V8JS_HEAP_SPACE_NAME],
  },
  {
    name: METRIC_V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE,
    instrument: 'ObservableUpDownCounter',
    unit: 'By',
    description: 'Heap memory still available in each heap space.',
    attributes: [ATTR_V8JS_HEAP_SPACE_NAME],
  },
  {
    name: METRIC_V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE,
    instrument: 'ObservableUpDownCounter',
    unit: 'By',
    description: 'Committed (physical) memory of each heap space.',
    attributes: [ATTR_V8JS_HEAP_SPACE_NAME],
  },
  {
    name: METRIC_PROCESS_MEMORY_USAGE,
    instrument: 'ObservableUpDownCounter',
    unit: 'By',
    description: 'Resident set size (RSS) of the process.',
    attributes: [],
  },
  {
    name: METRIC_NODEJS_MEMORY_EXTERNAL,
    instrument: 'ObservableUpDownCounter',
    unit: 'By',
    description: 'Memory of C++ objects bound to JavaScript objects, array buffers included.',
    attributes: [],
  },
  {
    name: METRIC_NODEJS_MEMORY_ARRAY_BUFFERS,
    instrument: 'ObservableUpDownCounter',
    unit: 'By',
    description: 'Memory of `ArrayBuffer`s and `SharedArrayBuffer`s, Node.js `Buffer`s included.',
    attributes: [],
  },
  {
    name: METRIC_PROCESS_CPU_TIME,
    instrument: 'ObservableCounter',
    unit: 's',
    description: 'CPU time used by the process, user and system.',
    attributes: [ATTR_CPU_MODE],
  },
  {
    name: METRIC_PROCESS_CPU_UTILIZATION,
    instrument: 'ObservableGauge',
    unit: '1',
    description:
      'CPU time in the trailing window over its length times the CPUs available (cgroup quota when set).',
    attributes: [ATTR_CPU_MODE],
  },
  {
    name: METRIC_V8JS_RESOURCE_ACTIVE,
    instrument: 'ObservableUpDownCounter',
    unit: '{resource}',
    description: 'Resources keeping the event loop alive, by type (`process.getActiveResourcesInfo()`).',
    attributes: [ATTR_V8JS_RESOURCE_TYPE],
  },
] as const satisfies readonly MetricDescriptor[];

/** A metric name this package emits. */
export type RuntimeMetricName = (typeof RUNTIME_METRICS)[number]['name'];
