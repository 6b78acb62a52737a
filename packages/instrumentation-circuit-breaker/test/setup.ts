import type { MetricData } from '@opentelemetry/sdk-metrics';
import {
  findMetric,
  pointsWith,
  sumValues,
  type TestMetrics,
  uniqueName,
  withInstrumentation,
} from '@otel-perf/test-utils';
import {
  ATTR_CIRCUIT_BREAKER_CALL_OUTCOME,
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_CIRCUIT_BREAKER_STATE_FROM,
  ATTR_CIRCUIT_BREAKER_STATE_TO,
  CircuitBreakerInstrumentation,
  type CircuitBreakerInstrumentationConfig,
  type InstrumentedBreaker,
  METRIC_CIRCUIT_BREAKER_CALLS,
  METRIC_CIRCUIT_BREAKER_FALLBACKS,
  METRIC_CIRCUIT_BREAKER_STATE,
  METRIC_CIRCUIT_BREAKER_TRANSITIONS,
} from '../src/index.js';

export { uniqueName };

/** A real MeterProvider + pull reader with the instrumentation enabled on it; `cleanup` undoes everything. */
export interface Harness {
  metrics: TestMetrics;
  instrumentation: CircuitBreakerInstrumentation;
  /** Disposes these handles at cleanup. */
  track<T extends InstrumentedBreaker>(handle: T): T;
  cleanup(): Promise<void>;
}

export function harness(config: CircuitBreakerInstrumentationConfig = { patchOpossum: false }): Harness {
  const h = withInstrumentation(new CircuitBreakerInstrumentation(config));
  const handles: InstrumentedBreaker[] = [];
  return {
    ...h,
    track(handle) {
      handles.push(handle);
      return handle;
    },
    async cleanup() {
      for (const handle of handles) handle.dispose();
      await h.cleanup();
    },
  };
}

/** `circuit_breaker.calls` of breaker `name` by outcome (0 for an outcome with no point). */
export function callsOf(metric: MetricData | undefined, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pointsWith<number>(metric, { [ATTR_CIRCUIT_BREAKER_NAME]: name })) {
    out[String(p.attributes[ATTR_CIRCUIT_BREAKER_CALL_OUTCOME])] = p.value;
  }
  return out;
}

/** `circuit_breaker.transitions` of breaker `name` as `from>to` → count. */
export function transitionsOf(metric: MetricData | undefined, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pointsWith<number>(metric, { [ATTR_CIRCUIT_BREAKER_NAME]: name })) {
    out[`${p.attributes[ATTR_CIRCUIT_BREAKER_STATE_FROM]}>${p.attributes[ATTR_CIRCUIT_BREAKER_STATE_TO]}`] =
      p.value;
  }
  return out;
}

/** `circuit_breaker.state` of breaker `name` as state → breakers in it. */
export function statesOf(metric: MetricData | undefined, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pointsWith<number>(metric, { [ATTR_CIRCUIT_BREAKER_NAME]: name })) {
    out[String(p.attributes[ATTR_CIRCUIT_BREAKER_STATE])] = p.value;
  }
  return out;
}

/** Collects once and reads the calls, fallbacks, transitions and states of breaker `name`. */
export async function readBreaker(metrics: TestMetrics, name: string) {
  const rm = await metrics.collect();
  return {
    rm,
    calls: callsOf(findMetric(rm, METRIC_CIRCUIT_BREAKER_CALLS), name),
    fallbacks: callsOf(findMetric(rm, METRIC_CIRCUIT_BREAKER_FALLBACKS), name),
    transitions: transitionsOf(findMetric(rm, METRIC_CIRCUIT_BREAKER_TRANSITIONS), name),
    states: statesOf(findMetric(rm, METRIC_CIRCUIT_BREAKER_STATE), name),
    /** The value of a single-point gauge/counter of this breaker, or undefined. */
    value(metric: string): number | undefined {
      const m = findMetric(rm, metric);
      const pts = pointsWith<number>(m, { [ATTR_CIRCUIT_BREAKER_NAME]: name });
      return pts.length === 0 ? undefined : sumValues(m, { [ATTR_CIRCUIT_BREAKER_NAME]: name });
    },
  };
}
