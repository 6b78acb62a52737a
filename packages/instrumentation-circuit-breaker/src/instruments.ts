import { performance } from 'node:perf_hooks';
import {
  type Attributes,
  type BatchObservableCallback,
  type BatchObservableResult,
  diag,
  type Meter,
  type Observable,
} from '@opentelemetry/api';
import type { BatchInstruments } from '@otel-perf/core';
import { CIRCUIT_BREAKER_CALL_BUCKETS } from '@otel-perf/views';
import type { BreakerHandle } from './handle.js';
import { type Retired, registry, type Sink } from './registry.js';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_STATE,
  CIRCUIT_BREAKER_METRICS,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
  METRIC_CIRCUIT_BREAKER_CALLS,
  METRIC_CIRCUIT_BREAKER_CONFIG,
  METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES,
  METRIC_CIRCUIT_BREAKER_FALLBACKS,
  METRIC_CIRCUIT_BREAKER_OPEN_TIME,
  METRIC_CIRCUIT_BREAKER_STATE,
  METRIC_CIRCUIT_BREAKER_TRANSITIONS,
  METRIC_CIRCUIT_BREAKER_WINDOW_CALLS,
  METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO,
  METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO,
} from './semconv.js';

/** The instruments of one instrumentation on one meter, and the batch callback that feeds the gauges. */
export type BreakerInstruments = BatchInstruments<Sink>;

function describe(name: string): { description: string; unit: string } {
  const d = CIRCUIT_BREAKER_METRICS.find((m) => m.name === name);
  if (!d) throw new Error(`otel-perf: no descriptor for ${name}`);
  return { description: d.description, unit: d.unit };
}

/** Creates every instrument on `meter`. The batch callback is registered by the caller, on enable. */
export function createInstruments(meter: Meter): BreakerInstruments {
  const sink: Sink = {
    calls: meter.createCounter(METRIC_CIRCUIT_BREAKER_CALLS, describe(METRIC_CIRCUIT_BREAKER_CALLS)),
    duration: meter.createHistogram(METRIC_CIRCUIT_BREAKER_CALL_DURATION, {
      ...describe(METRIC_CIRCUIT_BREAKER_CALL_DURATION),
      advice: { explicitBucketBoundaries: [...CIRCUIT_BREAKER_CALL_BUCKETS] },
    }),
    transitions: meter.createCounter(
      METRIC_CIRCUIT_BREAKER_TRANSITIONS,
      describe(METRIC_CIRCUIT_BREAKER_TRANSITIONS),
    ),
    fallbacks: meter.createCounter(
      METRIC_CIRCUIT_BREAKER_FALLBACKS,
      describe(METRIC_CIRCUIT_BREAKER_FALLBACKS),
    ),
  };
  const o = {
    state: meter.createObservableUpDownCounter(
      METRIC_CIRCUIT_BREAKER_STATE,
      describe(METRIC_CIRCUIT_BREAKER_STATE),
    ),
    windowCalls: meter.createObservableUpDownCounter(
      METRIC_CIRCUIT_BREAKER_WINDOW_CALLS,
      describe(METRIC_CIRCUIT_BREAKER_WINDOW_CALLS),
    ),
    failureRatio: meter.createObservableGauge(
      METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO,
      describe(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO),
    ),
    slowCallRatio: meter.createObservableGauge(
      METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO,
      describe(METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO),
    ),
    consecutiveFailures: meter.createObservableGauge(
      METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES,
      describe(METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES),
    ),
    openTime: meter.createObservableCounter(
      METRIC_CIRCUIT_BREAKER_OPEN_TIME,
      describe(METRIC_CIRCUIT_BREAKER_OPEN_TIME),
    ),
    config: meter.createObservableGauge(
      METRIC_CIRCUIT_BREAKER_CONFIG,
      describe(METRIC_CIRCUIT_BREAKER_CONFIG),
    ),
  };
  const callback: BatchObservableCallback = (result) => observeAll(result, o);
  return { meter, sink, observables: Object.values(o), callback };
}

type Observables = {
  state: Observable;
  windowCalls: Observable;
  failureRatio: Observable;
  slowCallRatio: Observable;
  consecutiveFailures: Observable;
  openTime: Observable;
  config: Observable;
};

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const clampRatio = (n: number, d: number) => (d > 0 ? Math.min(1, Math.max(0, n / d)) : 0);

/**
 * Observes every live breaker, grouped by name (two breakers that share a name are one series: states are
 * counted, window counts added, ratios computed over the added counts of the windows that hold their minimum).
 * Values are computed from state at each call, so two readers each see the full value.
 */
function observeAll(result: BatchObservableResult, o: Observables): void {
  const now = performance.now();
  const groups = new Map<string, BreakerHandle[]>();
  for (const h of [...registry().handles]) {
    try {
      if (!h.sync()) {
        h.dispose();
        continue;
      }
    } catch (err) {
      diag.error('otel-perf: reading a circuit breaker failed', err);
      continue;
    }
    const g = groups.get(h.name);
    if (g) g.push(h);
    else groups.set(h.name, [h]);
  }
  const retired = registry().retired;
  for (const [name, handles] of groups) {
    try {
      observeGroup(result, o, name, handles, now, retired.get(name));
    } catch (err) {
      diag.error(`otel-perf: observing circuit breaker ${name} failed`, err);
    }
  }
  for (const [name, r] of retired) {
    if (!groups.has(name)) observeRetired(result, o, name, r);
  }
}

/** A name whose breakers are all gone: states and window gauges read 0, time open keeps its total. */
function observeRetired(result: BatchObservableResult, o: Observables, name: string, r: Retired): void {
  const attrs = { [ATTR_CIRCUIT_BREAKER_NAME]: name };
  for (const state of r.states) {
    result.observe(o.state, 0, { ...attrs, [ATTR_CIRCUIT_BREAKER_STATE]: state });
  }
  result.observe(o.openTime, r.openSeconds, attrs);
  if (r.windowCalls) result.observe(o.windowCalls, 0, attrs);
  if (r.failureRatio) result.observe(o.failureRatio, 0, attrs);
  if (r.slowCallRatio) result.observe(o.slowCallRatio, 0, attrs);
  if (r.consecutiveFailures) result.observe(o.consecutiveFailures, 0, attrs);
}

function observeGroup(
  result: BatchObservableResult,
  o: Observables,
  name: string,
  handles: BreakerHandle[],
  now: number,
  retired: Retired | undefined,
): void {
  const nameAttrs = (handles[0] as BreakerHandle).nameAttrs;
  const states = new Map<string, number>();
  for (const s of retired?.states ?? []) states.set(s, 0);
  let openSeconds = retired?.openSeconds ?? 0;
  let calls: number | undefined;
  let ratio: { failures: number; calls: number } | undefined;
  let slow: { slow: number; calls: number } | undefined;
  let consecutive: number | undefined;
  const configs = new Map<string, Attributes>();
  for (const h of handles) {
    for (const s of h.states) if (!states.has(s)) states.set(s, 0);
    states.set(h.state, (states.get(h.state) ?? 0) + 1);
    const snap = h.snapshot(now);
    openSeconds += snap.openSeconds;
    const w = snap.window;
    const minimum = finite(w?.minimumCalls) ? w.minimumCalls : 0;
    if (w && finite(w.calls)) {
      calls = (calls ?? 0) + w.calls;
      if (finite(w.failures)) {
        ratio ??= { failures: 0, calls: 0 };
        if (w.calls > 0 && w.calls >= minimum) {
          ratio.failures += w.failures;
          ratio.calls += w.calls;
        }
      }
    }
    if (w && finite(w.consecutiveFailures)) consecutive = Math.max(consecutive ?? 0, w.consecutiveFailures);
    if (snap.slow && finite(snap.slow.slow) && finite(snap.slow.calls)) {
      slow ??= { slow: 0, calls: 0 };
      if (snap.slow.calls > 0 && snap.slow.calls >= minimum) {
        slow.slow += snap.slow.slow;
        slow.calls += snap.slow.calls;
      }
    }
    configs.set(h.configKey, h.configAttrs);
  }
  for (const [state, count] of states) {
    result.observe(o.state, count, {
      [ATTR_CIRCUIT_BREAKER_NAME]: name,
      [ATTR_CIRCUIT_BREAKER_STATE]: state,
    });
  }
  result.observe(o.openTime, openSeconds, nameAttrs);
  if (calls !== undefined) result.observe(o.windowCalls, calls, nameAttrs);
  if (ratio) result.observe(o.failureRatio, clampRatio(ratio.failures, ratio.calls), nameAttrs);
  if (slow) result.observe(o.slowCallRatio, clampRatio(slow.slow, slow.calls), nameAttrs);
  if (consecutive !== undefined) result.observe(o.consecutiveFailures, consecutive, nameAttrs);
  for (const attrs of configs.values()) result.observe(o.config, 1, attrs);
  for (const h of handles) {
    h.published.windowCalls ||= calls !== undefined;
    h.published.failureRatio ||= ratio !== undefined;
    h.published.slowCallRatio ||= slow !== undefined;
    h.published.consecutiveFailures ||= consecutive !== undefined;
  }
}
