import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import {
  type Attributes,
  type BatchObservableCallback,
  type BatchObservableResult,
  diag,
  type Histogram,
  type Meter,
  type Observable,
  type ObservableCounter,
  type ObservableGauge,
  type ObservableUpDownCounter,
} from '@opentelemetry/api';
import { EVENT_LOOP_DELAY_BUCKETS, GC_DURATION_BUCKETS } from '@otel-perf/views';
import type { GcType } from './gc.js';
import {
  ATTR_CPU_MODE,
  ATTR_NODEJS_EVENTLOOP_STATE,
  ATTR_V8JS_GC_TYPE,
  ATTR_V8JS_HEAP_SPACE_NAME,
  ATTR_V8JS_RESOURCE_TYPE,
  type MetricDescriptor,
  RUNTIME_METRICS,
  type RuntimeMetricName,
} from './semconv.js';
import type { DelayStats } from './types.js';
import type { CpuShare } from './window.js';

/** What the observable callbacks read; implemented by the instrumentation (undefined parts: not running). */
export interface RuntimeSources {
  /** Also records the pending delay samples into the histogram, before the SDK reads it. */
  delayStats(): DelayStats | undefined;
  utilization(): number | undefined;
  cpuShare(): CpuShare | undefined;
  readonly activeResources: boolean;
}

/** One batch observable callback and the observables it reports. */
interface Group {
  readonly callback: BatchObservableCallback;
  readonly observables: Observable[];
}

/** The instruments created on one meter, and the callback groups to register while enabled. */
export interface RuntimeInstruments {
  readonly meter: Meter;
  readonly delay: Histogram;
  readonly gcDuration: Histogram;
  readonly groups: readonly Group[];
  /** Records one GC (every entry), with pre-built attributes. */
  recordGc(seconds: number, type: GcType): void;
}

/** Most distinct `v8js.resource.type` values reported (Node has about thirty). */
export const MAX_RESOURCE_TYPES = 64;

const descriptor = (name: RuntimeMetricName): MetricDescriptor =>
  RUNTIME_METRICS.find((m) => m.name === name) as MetricDescriptor;

const options = (d: MetricDescriptor) => ({ description: d.description, unit: d.unit });

/** A batch callback that sends its own failure to diag instead of failing the whole collection. */
function safe(what: string, fn: (result: BatchObservableResult) => void): BatchObservableCallback {
  return (result) => {
    try {
      fn(result);
    } catch (err) {
      diag.error(`otel-perf: runtime ${what} callback failed`, err);
    }
  };
}

const gcAttributes = new Map<GcType, Attributes>();
const gcAttrs = (type: GcType): Attributes => {
  let a = gcAttributes.get(type);
  if (!a) {
    a = { [ATTR_V8JS_GC_TYPE]: type };
    gcAttributes.set(type, a);
  }
  return a;
};
const ACTIVE = { [ATTR_NODEJS_EVENTLOOP_STATE]: 'active' };
const IDLE = { [ATTR_NODEJS_EVENTLOOP_STATE]: 'idle' };
const USER = { [ATTR_CPU_MODE]: 'user' };
const SYSTEM = { [ATTR_CPU_MODE]: 'system' };

/** Creates every instrument on `meter` (call from `_updateMetricInstruments`); registers nothing. */
export function createInstruments(meter: Meter, sources: RuntimeSources): RuntimeInstruments {
  const gauge = (name: RuntimeMetricName): ObservableGauge =>
    meter.createObservableGauge(name, options(descriptor(name)));
  const upDown = (name: RuntimeMetricName): ObservableUpDownCounter =>
    meter.createObservableUpDownCounter(name, options(descriptor(name)));
  const counter = (name: RuntimeMetricName): ObservableCounter =>
    meter.createObservableCounter(name, options(descriptor(name)));

  const delay = meter.createHistogram('nodejs.eventloop.delay', {
    ...options(descriptor('nodejs.eventloop.delay')),
    advice: { explicitBucketBoundaries: [...EVENT_LOOP_DELAY_BUCKETS] },
  });
  const gcDuration = meter.createHistogram('v8js.gc.duration', {
    ...options(descriptor('v8js.gc.duration')),
    advice: { explicitBucketBoundaries: [...GC_DURATION_BUCKETS] },
  });

  // Event loop: the delay gauges, utilization and time.
  const delayGauges = {
    min: gauge('nodejs.eventloop.delay.min'),
    max: gauge('nodejs.eventloop.delay.max'),
    mean: gauge('nodejs.eventloop.delay.mean'),
    stddev: gauge('nodejs.eventloop.delay.stddev'),
    p50: gauge('nodejs.eventloop.delay.p50'),
    p90: gauge('nodejs.eventloop.delay.p90'),
    p99: gauge('nodejs.eventloop.delay.p99'),
  };
  const utilization = gauge('nodejs.eventloop.utilization');
  const loopTime = counter('nodejs.eventloop.time');
  const eventLoop: Group = {
    observables: [...Object.values(delayGauges), utilization, loopTime],
    callback: safe('event-loop', (r) => {
      const stats = sources.delayStats();
      if (stats) {
        for (const [key, g] of Object.entries(delayGauges))
          r.observe(g, stats[key as keyof typeof delayGauges]);
      }
      const u = sources.utilization();
      if (u !== undefined) r.observe(utilization, u);
      const elu = performance.eventLoopUtilization();
      r.observe(loopTime, elu.active / 1000, ACTIVE);
      r.observe(loopTime, elu.idle / 1000, IDLE);
    }),
  };

  // Memory: V8 heap (per space and limit) and the process.
  const heapUsed = upDown('v8js.memory.heap.used');
  const heapLimit = upDown('v8js.memory.heap.limit');
  const spaceSize = upDown('v8js.memory.heap.space.size');
  const spaceAvailable = upDown('v8js.memory.heap.space.available_size');
  const spacePhysical = upDown('v8js.memory.heap.space.physical_size');
  const rss = upDown('process.memory.usage');
  const external = upDown('nodejs.memory.external');
  const arrayBuffers = upDown('nodejs.memory.array_buffers');
  const memory: Group = {
    observables: [heapUsed, heapLimit, spaceSize, spaceAvailable, spacePhysical, rss, external, arrayBuffers],
    callback: safe('memory', (r) => {
      for (const s of getHeapSpaceStatistics()) {
        const attrs = { [ATTR_V8JS_HEAP_SPACE_NAME]: s.space_name };
        r.observe(heapUsed, s.space_used_size, attrs);
        r.observe(spaceSize, s.space_size, attrs);
        r.observe(spaceAvailable, s.space_available_size, attrs);
        r.observe(spacePhysical, s.physical_space_size, attrs);
      }
      r.observe(heapLimit, getHeapStatistics().heap_size_limit);
      const m = process.memoryUsage();
      r.observe(rss, m.rss);
      r.observe(external, m.external);
      r.observe(arrayBuffers, m.arrayBuffers);
    }),
  };

  // CPU: cumulative time and windowed utilization.
  const cpuTime = counter('process.cpu.time');
  const cpuUtilization = gauge('process.cpu.utilization');
  const cpu: Group = {
    observables: [cpuTime, cpuUtilization],
    callback: safe('cpu', (r) => {
      const used = process.cpuUsage();
      r.observe(cpuTime, used.user / 1e6, USER);
      r.observe(cpuTime, used.system / 1e6, SYSTEM);
      const share = sources.cpuShare();
      if (share) {
        r.observe(cpuUtilization, share.user, USER);
        r.observe(cpuUtilization, share.system, SYSTEM);
      }
    }),
  };

  const groups = [eventLoop, memory, cpu];

  // Active resources, by type. A type seen once keeps being reported (0 when gone), so its series drops to 0.
  if (sources.activeResources) {
    const active = upDown('v8js.resource.active');
    const seen = new Map<string, Attributes>();
    groups.push({
      observables: [active],
      callback: safe('active resources', (r) => {
        const counts = new Map<string, number>();
        for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
        for (const type of counts.keys()) {
          if (!seen.has(type) && seen.size < MAX_RESOURCE_TYPES) {
            seen.set(type, { [ATTR_V8JS_RESOURCE_TYPE]: type });
          }
        }
        for (const [type, attrs] of seen) r.observe(active, counts.get(type) ?? 0, attrs);
      }),
    });
  }

  return {
    meter,
    delay,
    gcDuration,
    groups,
    recordGc: (seconds, type) => gcDuration.record(seconds, gcAttrs(type)),
  };
}
